#include "engine.h"

#include "capture_stream.h"
#include "bgp_evidence.h"
#include "explain.h"
#include "finding_codes.h"
#include "ipv6_path.h"
#include "node_reader.h"
#include "pod_checks.h"
#include "route_checks.h"
#include "wireguard_checks.h"
#include "wireguard_path.h"
#include "parse/text.h"
#include "parse/log_time.h"

#include <cctype>
#include <chrono>
#include <map>
#include <set>
#include <ctime>
#include <thread>
#include <tuple>

namespace podpath::diagnose {

using namespace std::chrono_literals;
using remote::RemoteCommand;

struct DiagnosisEngine::State {
    State(NodeTarget c, NodeTarget s, DiagnoseOptions o)
        : options(o),
          client(NodeAccess{*c.shell, NodeRole::Client, log}, c.host),
          server(NodeAccess{*s.shell, NodeRole::Server, log}, s.host)
    {
    }
    DiagnoseOptions options;
    CommandLog log;
    NodeReader client;
    NodeReader server;
    NodeFacts clientFacts, serverFacts;
    Encapsulation mode = Encapsulation::Unknown;
    std::optional<Ipv4> target;
    // Dual-stack pairs: the server's IPv6 VTEP, where the IPv6 burst goes; else why not.
    std::optional<Ipv6> target6;
    std::string ipv6WhyNot;
    // Both nodes run WireGuard for IPv4 and the echoes go between their tunnel addresses:
    // the path is judged through it (wireguard_path.h).
    bool wireguard = false;

    // The full-size probe's length: as large as the client's tunnel MTU allows (DF set).
    // Through WireGuard the echoes cross its device, whose MTU is smaller (60 less for
    // IPv4): Felix gives the pods that one. Without encapsulation it goes to the server
    // pod: as large as the underlay carries and the pods' own links take (Calico sets every
    // workload veth to one MTU; a pod cannot send more, so a larger probe would fail on a
    // healthy pair).
    std::uint32_t probeLength() const
    {
        int mtu = clientFacts.tunnelMtu > 0 ? clientFacts.tunnelMtu : 1400;
        if (wireguard && clientFacts.encryptionMtu > 0)
            mtu = std::min(mtu, clientFacts.encryptionMtu);
        if (mode == Encapsulation::None && clientFacts.underlayMtu > 0) {
            mtu = clientFacts.underlayMtu;
            if (const parse::Interface *veth = parse::findInterface(client.reading().snapshot.interfaces, pods.client.interface);
                veth && veth->mtu && int(*veth->mtu) < mtu)
                mtu = int(*veth->mtu);
        }
        return std::uint32_t(mtu);
    }
    // The VXLAN port both captures and the messages use: the client's device's, as it
    // reported it (Calico's default where it did not).
    std::uint16_t vxlanPort() const { return clientFacts.vxlanPort > 0 ? std::uint16_t(clientFacts.vxlanPort) : 4789; }
    std::vector<std::unique_ptr<CaptureStream>> captures;  // client's first, then server's
    PingOutcome underlayPing, tunnelPing, fullSizeProbe, ipv6Burst;
    std::uint32_t fullSizeLength = 0;
    std::string startedAt;
    std::set<Stage> gathered;
    LogWindow clientLogWindow, serverLogWindow;
    PodReadings pods;  // pod to pod only

    NodeReader &reader(NodeRole r) { return r == NodeRole::Client ? client : server; }
};

namespace {

// "2026-12-05T13:31:59Z" for seconds since 1970.
std::string isoOfSeconds(std::int64_t seconds)
{
    const std::time_t t = std::time_t(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string nowIso(std::int64_t shiftSeconds = 0) { return isoOfSeconds(std::int64_t(std::time(nullptr)) + shiftSeconds); }

std::string isoOfMicros(std::int64_t micros)
{
    std::string t = parse::formatTimestamp(micros, 0);
    t[10] = 'T';
    return t + 'Z';
}

// "4.99.3" -> true: tcpdump 4.99 writes LINUX_SLL2 on -i any, with interface indexes.
bool recordsInterfaces(const std::string &version)
{
    int major = 0, minor = 0;
    if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2)
        return true;
    return major > 4 || (major == 4 && minor >= 99);
}

// sudo's first line when it refused the command (restricted to named commands): it prints
// nothing on stdout. Empty when sudo did not refuse.
std::string sudoRefusal(const remote::CommandResult &r)
{
    const auto first = text::firstLine(r.err);
    return r.out.empty() && first.starts_with("sudo:") ? std::string(first) : std::string();
}

// What a probe sent from inside a pod says when sudo would not run `ip netns exec`.
std::string podSudoProblem(const std::string &refused)
{
    return "ip netns exec did not run as root on the client: " + refused +
           " (sending from inside a pod needs `ip` in the user's sudo rights)";
}

PingOutcome ping(const NodeAccess &node, const TaskContext &ctx, const std::string &step, const RemoteCommand &cmd)
{
    PingOutcome out;
    auto r = runOn(node, ctx, step, cmd, true, 8);
    if (!r.ok()) {
        // The finding NODE_STOPPED_ANSWERING says how; the hops need only say why they are unknown.
        out.problem = CommandLog::nodeWentDark(r.error())
                          ? "The ping's result never arrived: the " + std::string(roleName(node.role)) + " stopped answering"
                          : r.error().oneLine();
        return out;
    }
    if (r->timedOut && !r->exitStatus) {
        // What arrived is ping's output up to the moment the node went dark, not its result.
        out.problem = "The ping's result never arrived: the " + std::string(roleName(node.role)) + " stopped answering";
        return out;
    }
    if (r->exitStatus == 127) {
        // Not found by the shell or by `timeout`: no ping, no evidence either way.
        out.problem = "ping is not installed on the " + std::string(roleName(node.role)) +
                      " (install iputils-ping, or iputils on dnf systems)";
        return out;
    }
    // sudo refusing ping (restricted to named commands; the burst's 20 ms interval needs
    // root) prints nothing on stdout: its own words say why, not "not ping output".
    if (out.sudoRefused = sudoRefusal(*r); !out.sudoRefused.empty()) {
        out.problem = "ping did not run on the " + std::string(roleName(node.role)) + ": " + out.sudoRefused +
                      " (the burst needs ping as root: add it to the user's sudo rights)";
        return out;
    }
    auto parsed = parse::parsePing(r->out + r->err);
    if (!parsed.ok()) {
        out.problem = "could not read ping's output: " + parsed.error().oneLine();
        return out;
    }
    // A ping that refused its options (BusyBox's has no -M) sent nothing: its echoes are
    // not lost, they never existed, and no hop may be judged on them.
    if (!parsed->header && parsed->fatal && parsed->fatal->failure == parse::PingFailure::BadOption) {
        const bool busybox = (r->out + r->err).find("BusyBox") != std::string::npos;
        out.refusedOptions = true;
        out.problem = "ping on the " + std::string(roleName(node.role)) + " did not run: " + parsed->fatal->text +
                      (busybox ? " (it is BusyBox's ping, which cannot set don't-fragment: install iputils-ping on the "
                                 "node for this test)"
                               : "");
        return out;
    }
    out.result = std::move(parsed).value();
    return out;
}

// Connections (or datagrams) from inside the client pod to the server pod's port, all
// attempts at once, each bounded on the node; bash's /dev/tcp first, nc where bash is not.
PortProbeOutcome probePort(const NodeAccess &node, const TaskContext &ctx, const remote::Word &netns, Transport t,
                           Ipv4 to, remote::Port port)
{
    constexpr int kAttempts = 3, kWaitSeconds = 2;
    PortProbeOutcome out;
    out.transport = t;
    out.port = port;
    std::vector<std::string> whyNot;  // per tool that could not probe, in the reader's words
    for (ProbeTool tool : {ProbeTool::Bash, ProbeTool::Netcat}) {
        std::vector<ConnectAttempt> got(kAttempts);
        std::vector<std::string> refusedBySudo(kAttempts);  // one slot per thread: no shared write
        {
            std::vector<std::jthread> attempts;
            for (int k = 0; k < kAttempts; ++k)
                attempts.emplace_back([&, k] {
                    const auto cmd = connectCommand(tool, netns, t, to, port, *remote::Seconds::of(kWaitSeconds));
                    auto r = runOn(node, ctx, "connect from the client pod", cmd, true, kWaitSeconds);
                    if (!r.ok()) {
                        got[k] = {ConnectOutcome::Failed, r.error().oneLine()};
                        return;
                    }
                    refusedBySudo[k] = sudoRefusal(*r);
                    got[k] = classifyAttempt(t, r->exitStatus, r->timedOut, r->err);
                });
        }
        for (const auto &said : refusedBySudo)
            if (!said.empty()) {
                out.problem = podSudoProblem(said);
                return out;
            }
        const auto cannot = [](const ConnectAttempt &a) {
            return a.outcome == ConnectOutcome::ToolMissing || a.outcome == ConnectOutcome::ToolUnusable;
        };
        if (std::all_of(got.begin(), got.end(), cannot)) {
            const std::string name = tool == ProbeTool::Bash ? "bash" : "nc";
            const auto unusable = std::find_if(got.begin(), got.end(), [](const ConnectAttempt &a) {
                return a.outcome == ConnectOutcome::ToolUnusable;
            });
            whyNot.push_back(unusable == got.end() ? name + " is not there"
                                                   : "its " + name + " cannot make one (" + unusable->words + ")");
            continue;
        }
        out.tool = tool;
        out.attempts = std::move(got);
        return out;
    }
    out.problem = "no port probe could be made from the client node: " + whyNot.front() + ", and " + whyNot.back() +
                  " (install bash or OpenBSD's nc, netcat-openbsd, on the node to probe a port; the ICMP ping still ran)";
    return out;
}

// Both ends of every run, finished or stopped: a node that went dark is named.
void noteSilentNodes(Diagnosis &d, const CommandLog &log)
{
    for (NodeRole role : {NodeRole::Client, NodeRole::Server})
        if (auto quiet = log.silence(role))
            noteNodeStoppedAnswering(d, role, *quiet);
}

std::set<std::uint16_t> answeredSequences(const parse::PingResult &r)
{
    std::set<std::uint16_t> out;
    for (const auto &p : r.probes)
        if (p.reply && !p.duplicate && p.problem == parse::PingProblem::None && p.sequence <= 0xffff)
            out.insert(std::uint16_t(p.sequence));
    return out;
}

// The sequence numbers a ping sent: as many as it counted (or was asked for, when it
// printed no statistics); iputils numbers its echoes from 1, BusyBox from 0.
std::vector<std::uint16_t> sentSequences(const parse::PingResult &r, unsigned asked)
{
    const unsigned sent = r.statistics ? r.statistics->transmitted : asked;
    const unsigned first = r.flavour == parse::PingFlavour::Busybox ? 0 : 1;
    std::vector<std::uint16_t> out;
    for (unsigned q = first; q < first + sent; ++q)
        out.push_back(std::uint16_t(q));
    return out;
}

int refusedLocally(const parse::PingResult &r)
{
    int n = 0;
    for (const auto &e : r.localErrors)
        if (e.text.find("No buffer space") != std::string::npos)
            ++n;
    return n;
}

void addEchoes(std::vector<EchoSample> &out, const std::string &stream, const PingOutcome &p)
{
    if (!p.result)
        return;
    const unsigned sent = p.result->statistics ? p.result->statistics->transmitted : 0;
    std::map<std::uint32_t, std::optional<double>> bySeq;
    for (unsigned q = 1; q <= sent && q <= 1000; ++q)
        bySeq[q] = std::nullopt;
    for (const auto &probe : p.result->probes)
        if (probe.reply && !probe.duplicate && probe.sequence <= 1000)
            bySeq[probe.sequence] = probe.timeMs ? probe.timeMs : std::optional<double>(0.0);
    for (const auto &[seq, rtt] : bySeq)
        out.push_back({stream, int(seq), rtt});
}

void addLogs(std::vector<LogLine> &out, const char *node, const LogReadings &logs, const LogWindow &window)
{
    // The newest lines of each source: enough to read around an error, bounded for the report.
    constexpr std::size_t kPerSource = 400;
    for (const auto &src : logs.sources) {
        if (!src.log)
            continue;
        const auto &entries = src.log->entries;
        const std::size_t from = entries.size() > kPerSource ? entries.size() - kPerSource : 0;
        for (std::size_t i = from; i < entries.size(); ++i) {
            const auto &e = entries[i];
            LogLine l;
            l.node = node;
            l.source = src.name;
            l.location = src.location;
            l.line = e.line;
            l.time = e.time ? e.time->text : "";
            if (e.time)
                l.timeMicros = e.time->micros;
            l.level = std::string(parse::toString(e.level));
            l.text = e.raw;
            l.recent = !window.sinceMicros || (e.time && e.time->micros >= *window.sinceMicros);
            out.push_back(std::move(l));
        }
    }
}

} // namespace

DiagnosisEngine::DiagnosisEngine(NodeTarget client, NodeTarget server, DiagnoseOptions options)
    : m_state(std::make_unique<State>(client, server, options))
{
}

DiagnosisEngine::~DiagnosisEngine() = default;

void DiagnosisEngine::setProgressSink(ProgressSink sink) { m_runner.setProgressSink(std::move(sink)); }

void DiagnosisEngine::cancel() { m_runner.cancel(); }

DiagnosisEngine::Steps DiagnosisEngine::steps()
{
    State &s = *m_state;
    auto readNode = [&s](NodeRole role) {
        NodeReader &r = s.reader(role);
        // The first commands of all reads in one batch; then the reads, at once on the
        // node's session, each filling its own part of the reading (fallbacks run then).
        std::vector<RecipeNode> reads{
            task("identity", 5s, [&r](const TaskContext &c) { return r.readIdentity(c); }),
            task("addresses", 5s, [&r](const TaskContext &c) { return r.readAddresses(c); }),
            task("routes", 5s, [&r](const TaskContext &c) { return r.readRoutes(c); }),
            task("neighbours", 5s, [&r](const TaskContext &c) { return r.readNeighbours(c); }),
            task("clock", 5s, [&r](const TaskContext &c) { return r.readClock(c); }),
            task("tools", 5s, [&r](const TaskContext &c) { return r.readTools(c); })};
        if (s.options.pods)
            reads.push_back(task("pod namespaces", 5s, [&r](const TaskContext &c) { return r.readNetns(c); }));
        return sequential(roleName(role),
                          {task("read ahead", 6s, [&r](const TaskContext &c) { return r.readAheadDiscovery(c); }),
                           parallel("reads", std::move(reads), ErrorPolicy::ContinueOnError)},
                          ErrorPolicy::ContinueOnError);
    };

    auto topology = task("topology", 1s, [this, &s](const TaskContext &) -> Result<void> {
        s.clientFacts = nodeFacts(s.client.reading().snapshot);
        s.serverFacts = nodeFacts(s.server.reading().snapshot);
        settleNodeIps(s.clientFacts, s.client.reading().snapshot, s.serverFacts, s.server.reading().snapshot);
        s.mode = s.options.mode.value_or(pathMode(s.client.reading().snapshot, s.clientFacts, s.server.reading().snapshot, s.serverFacts));
        s.target = echoTarget(s.client.reading().snapshot, s.clientFacts, s.serverFacts,
                              s.options.pods ? std::optional<Ipv4>(s.options.pods->server) : std::nullopt);
        s.target6 = ipv6EchoTarget(s.mode, s.clientFacts, s.serverFacts, s.ipv6WhyNot);
        s.wireguard = s.clientFacts.encryptsIpv4 && s.serverFacts.encryptsIpv4 && tunnelled(s.mode) && s.target &&
                      s.target == s.serverFacts.tunnelIp && s.clientFacts.nodeIp && s.serverFacts.nodeIp;
        if (m_factsSink) {
            Diagnosis partial;
            partial.startedAt = s.startedAt;
            partial.mode = s.mode;
            partial.client = s.clientFacts;
            partial.server = s.serverFacts;
            for (auto &h : partial.hops)
                h.explanation = kNotCapturedYet;
            m_factsSink(partial);
        }
        if (s.options.pods) {
            // Where each pod is, from its own node's routes and interfaces.
            for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
                const NodeReading &r = s.reader(role).reading();
                const NodeFacts &f = role == NodeRole::Client ? s.clientFacts : s.serverFacts;
                const Ipv4 pod = role == NodeRole::Client ? s.options.pods->client : s.options.pods->server;
                (role == NodeRole::Client ? s.pods.client : s.pods.server) = findPodEndpoint(
                    pod, r.snapshot.routes, r.snapshot.interfaces, r.netns ? &*r.netns : nullptr, nodeName(f));
            }
        }
        return {};
    });
    // Asked about the nodes alone on a path without encapsulation there is nothing to ping,
    // but the routes between the blocks are still judged; BIRD's log says why one is gone.
    auto nodesAloneWithoutTunnel = [&s] { return !s.target && s.mode == Encapsulation::None && s.serverFacts.nodeIp; };
    auto bgpLog = [&s, nodesAloneWithoutTunnel](NodeRole role) {
        return task(roleName(role), 8s, [&s, role, nodesAloneWithoutTunnel](const TaskContext &c) -> Result<void> {
            if (!nodesAloneWithoutTunnel())
                return {};
            (void)s.reader(role).readLogs(c, s.mode);  // unread, BGP's state stays unknown: no failure of the run
            return {};
        });
    };
    auto routes6 = [&s](NodeRole role) {
        return task(roleName(role), 5s, [&s, role](const TaskContext &c) -> Result<void> {
            return s.target6 ? s.reader(role).readRoutes6(c) : Result<void>{};
        });
    };
    auto bgpLogs = parallel("logs for BGP, IPv6 routes", {bgpLog(NodeRole::Client), bgpLog(NodeRole::Server),
                                                         routes6(NodeRole::Client), routes6(NodeRole::Server)});
    auto requireTarget = task("echo target", 1s, [&s, nodesAloneWithoutTunnel](const TaskContext &) -> Result<void> {
        if (!s.serverFacts.nodeIp)
            return Error{"could not tell the server's node address", "server",
                         "name the server by its node IP, or check `ip addr` on it", 0};
        if (nodesAloneWithoutTunnel())
            return Error{"the pods' packets are not encapsulated between these nodes (BGP routes the blocks over the "
                         "underlay), so no node address in the pod range answers an echo",
                         "server",
                         "ask about two pods (a pod's address on each node) to follow a pod's packets between the nodes", 0,
                         std::string(kPodsNeeded.name())};
        if (!s.target)
            return Error{"the server has no tunnel address and the client no route to its block: nothing to ping",
                         "server", "check that calico-node runs on both nodes (tunnel device, routes)", 0};
        return {};
    });

    auto startCaptures = task("start captures", 4s, [&s](const TaskContext &) -> Result<void> {
        if (!s.options.capture)
            return {};
        for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
            NodeReader &r = s.reader(role);
            if (r.reading().tcpdumpMissing)
                continue;  // its hops go without evidence; the other node still captures
            const NodeFacts &f = role == NodeRole::Client ? s.clientFacts : s.serverFacts;
            InterfaceNames names;
            std::set<IpAddress> local;
            for (const auto &i : r.reading().snapshot.interfaces) {
                names[std::uint32_t(i.index)] = i.name;
                for (const auto &a : i.ipv4)
                    local.insert(a.address.address());
                for (const Ipv6Prefix &p : i.ipv6Prefixes())
                    local.insert(p.address());
            }
            // The pod on this node, when two pods were asked about and it was found here.
            const PodEndpoint *pod = nullptr;
            if (s.options.pods) {
                const PodEndpoint &e = role == NodeRole::Client ? s.pods.client : s.pods.server;
                if (e.place == PodPlace::Here && !e.interface.empty())
                    pod = &e;
            }
            std::vector<std::string> ifaces{"any"};
            if (!recordsInterfaces(r.reading().tcpdumpVersion)) {
                ifaces = {f.tunnelDevice, f.underlayDevice};  // old tcpdump: -i any loses the interface
                if (s.target6)
                    ifaces.push_back(f.ipv6TunnelDevice);
                if (s.wireguard)
                    ifaces.push_back(f.encryptionDevice);
                if (pod)
                    ifaces.push_back(pod->interface);
            }
            for (const auto &iface : ifaces) {
                if (iface.empty())
                    continue;
                CaptureSpec spec;
                spec.interface = iface;
                if (s.options.pods)
                    spec.podTarget = s.options.pods->server;
                if (pod && iface == pod->interface)
                    spec.podOnInterface = pod->ip;
                spec.vxlanPort = s.vxlanPort();
                // A busy node carries other pods' overlay traffic: only this pair's echoes
                // (and what carries them) are captured, so its bounds are spent on them.
                spec.echoTarget = s.target;
                spec.echoTarget6 = s.target6;
                spec.wireguard = s.wireguard;
                if (s.wireguard)  // the burst's and pod's echoes (84), the full-size probe
                    spec.wireguardLengths = {sealedLength(84), sealedLength(s.probeLength())};
                for (const auto &ip : {s.clientFacts.nodeIp, s.serverFacts.nodeIp})
                    if (ip)
                        spec.nodeAddresses.push_back(*ip);
                auto cap = std::make_unique<CaptureStream>(r.access(), spec, names, local);
                if (auto st = cap->start(); !st.ok())
                    return st;
                s.captures.push_back(std::move(cap));
            }
        }
        // Prime: tcpdump writes its file header with the first packet it flushes; the
        // underlay ping below is matched by the filter on both nodes.
        return {};
    });

    auto underlay = task("underlay ping", 4s, [&s](const TaskContext &c) -> Result<void> {
        s.underlayPing = ping(s.client.access(), c, "underlay ping",
                              RemoteCommand("ping").flag("-n").flag("-c").flag("3").flag("-i").flag("0.02").flag("-W").flag("1")
                                  .arg(*s.serverFacts.nodeIp));
        return {};
    });

    // Pod to pod: each pod's own routes and interfaces, read inside its namespace (does
    // its route to the other pod leave by its link to the node?), while the underlay ping runs.
    auto podRoutes = task("pod routes", 4s, [&s](const TaskContext &c) -> Result<void> {
        if (!s.options.pods)
            return {};
        std::vector<std::jthread> reads;
        for (NodeRole role : {NodeRole::Client, NodeRole::Server})
            reads.emplace_back([&s, &c, role] {
                const PodEndpoint &e = role == NodeRole::Client ? s.pods.client : s.pods.server;
                PodRouting &own = role == NodeRole::Client ? s.pods.clientRouting : s.pods.serverRouting;
                const auto netns = remote::Word::parse(e.netns);
                if (e.place != PodPlace::Here || !e.problem.empty() || !netns) {
                    own.problem = "the pod's namespace is not known";
                    return;
                }
                const NodeAccess &node = s.reader(role).access();
                auto inPod = [&] { return RemoteCommand("ip").flag("netns").flag("exec").arg(*netns).flag("ip"); };
                auto routes = runOn(node, c, "the pod's routes", inPod().flag("route").flag("show"), true, 3);
                auto addrs = runOn(node, c, "the pod's addresses", inPod().flag("addr").flag("show"), true, 3);
                for (const Result<remote::CommandResult> *r : {&routes, &addrs})
                    if (!r->ok() || (*r)->exitStatus != 0) {
                        own.problem = !r->ok() ? r->error().oneLine()
                                               : "`ip netns exec ... ip` answered " + std::to_string((*r)->exitStatus.value_or(-1)) +
                                                     ": " + (*r)->err.substr(0, 200);
                        return;
                    }
                auto table = parse::parseIpRoute((*routes).out);
                auto list = parse::parseIpAddr((*addrs).out);
                if (!table.ok() || !list.ok()) {
                    own.problem = !table.ok() ? table.error().oneLine() : list.error().oneLine();
                    return;
                }
                own.routes = std::move(table).value();
                own.interfaces = std::move(list).value().interfaces;
                own.read = true;
            });
        return {};
    });

    auto waitCapturing = task("wait for captures", 3s, [&s](const TaskContext &c) -> Result<void> {
        // A capture that never starts is judged later: its node's hops stay unknown.
        for (auto &cap : s.captures)
            (void)cap->waitUntilCapturing(c.remaining());
        return {};
    });

    auto firewall = [&s](bool after) {
        return parallel(after ? "firewall after" : "firewall before",
                        {task("client", 5s, [&s, after](const TaskContext &c) { return s.client.readFirewall(c, after); }),
                         task("server", 5s, [&s, after](const TaskContext &c) { return s.server.readFirewall(c, after); })});
    };

    auto burst = task("ping burst", 6s, [&s](const TaskContext &c) -> Result<void> {
        const Ipv4 target = *s.target;
        const std::uint64_t count = std::uint64_t(std::clamp(s.options.count, 1, 100));
        // No -w: with a deadline ping keeps sending until -c replies arrive, so a dead
        // path would send more echoes than the streams expect.
        auto burstFlags = [count](RemoteCommand &cmd) -> RemoteCommand & {
            return cmd.flag("-n").flag("-c").arg(*remote::Count::of(count)).flag("-i").flag("0.02").flag("-W").flag("1");
        };
        auto base = [&](RemoteCommand cmd) {
            burstFlags(cmd);
            if (s.clientFacts.tunnelIp)
                cmd.flag("-I").arg(*s.clientFacts.tunnelIp);
            return cmd;
        };
        const int mtu = int(s.probeLength());
        s.fullSizeLength = std::uint32_t(mtu);
        auto probe = base(RemoteCommand("ping")).flag("-M").flag("do").flag("-s").arg(*remote::Count::of(std::uint64_t(std::max(mtu - 28, 1))));
        probe.arg(target);
        auto normal = base(RemoteCommand("ping"));
        normal.arg(target);
        std::jthread big([&] { s.fullSizeProbe = ping(s.client.access(), c, "full-size probe", probe); });
        // Pod to pod: the same burst from inside the client pod, through its chains.
        std::optional<std::jthread> fromPod, portFromPod;
        if (s.options.pods) {
            const PodEndpoint &e = s.pods.client;
            const auto netns = remote::Word::parse(e.netns);
            if (e.place != PodPlace::Here)
                s.pods.pingNotRun = "the client pod " + e.ip.toString() + " is not on the client node";
            else if (!e.problem.empty() || !netns)
                s.pods.pingNotRun = e.problem.empty() ? "its network namespace's name cannot be used" : e.problem;
            else {
                if (s.options.pods->port && s.options.pods->protocol != Transport::Icmp)
                    portFromPod.emplace([&s, &c, netns] {
                        s.pods.port = probePort(s.client.access(), c, *netns, s.options.pods->protocol, s.options.pods->server,
                                                *s.options.pods->port);
                    });
                fromPod.emplace([&s, &c, netns, burstFlags] {
                    // The pod's own address is its source: no -I, the pod has one address.
                    auto cmd = RemoteCommand("ip").flag("netns").flag("exec").arg(*netns).flag("ping");
                    burstFlags(cmd);
                    cmd.arg(s.options.pods->server);
                    s.pods.ping = ping(s.client.access(), c, "ping from the client pod", cmd);
                    // sudo refuses `ip` here, not ping: say what the user's rights lack.
                    if (!s.pods.ping.sudoRefused.empty())
                        s.pods.ping.problem = podSudoProblem(s.pods.ping.sudoRefused);
                });
            }
        }
        // Dual-stack: the same burst between the IPv6 VTEPs, judged on the same hops.
        std::optional<std::jthread> v6;
        if (s.target6)
            v6.emplace([&s, &c, burstFlags] {
                auto cmd = RemoteCommand("ping").flag("-6");
                burstFlags(cmd);
                if (const auto own = Ipv6::parse(s.clientFacts.ipv6TunnelAddress))
                    cmd.flag("-I").arg(*own);
                cmd.arg(*s.target6);
                s.ipv6Burst = ping(s.client.access(), c, "IPv6 tunnel ping", cmd);
                if (s.ipv6Burst.refusedOptions)
                    s.ipv6Burst.problem = "ping on the client does not take -6 (an old iputils has a separate ping6, "
                                          "BusyBox's may be built without IPv6): " + s.ipv6Burst.problem;
            });
        s.tunnelPing = ping(s.client.access(), c, "tunnel ping", normal);
        return {};
    });

    auto stopCaptures = task("stop captures", 6s, [&s](const TaskContext &) -> Result<void> {
        // Every echo and reply of the burst was on the wire, and so in the nodes' capture
        // rings, before the client's ping saw its last reply and exited; the stop below
        // reaches each node an SSH round trip after that. What is left is the node's
        // kernel handing the last packets to tcpdump (--immediate-mode: no batching),
        // which takes well under a millisecond on an idle node; 30 ms covers a busy one.
        std::this_thread::sleep_for(30ms);
        std::vector<std::jthread> stops;
        for (auto &cap : s.captures)
            stops.emplace_back([&cap] { (void)cap->stop(4s); });
        return {};
    });

    // Through WireGuard: each node's peer for the other, read after the burst (so a working
    // pair shows a fresh handshake).
    auto wgShow = [&s](NodeRole role) {
        return task(roleName(role), 5s, [&s, role](const TaskContext &c) -> Result<void> {
            const NodeFacts &f = role == NodeRole::Client ? s.clientFacts : s.serverFacts;
            return s.wireguard ? s.reader(role).readWireguard(c, f.encryptionDevice) : Result<void>{};
        });
    };
    auto wireguardPeers = parallel("WireGuard peers", {wgShow(NodeRole::Client), wgShow(NodeRole::Server)});
    auto ipsets = parallel("ipsets",
                           {task("client", 5s, [&s](const TaskContext &c) { return s.client.readIpsets(c, s.mode); }),
                            task("server", 5s, [&s](const TaskContext &c) { return s.server.readIpsets(c, s.mode); })});
    // Logs need nothing from the burst: they are read while it runs.
    auto logs = parallel("logs",
                         {task("client", 8s, [&s](const TaskContext &c) { return s.client.readLogs(c, s.mode); }),
                          task("server", 8s, [&s](const TaskContext &c) { return s.server.readLogs(c, s.mode); })});

    auto tunnelPingOnly = task("tunnel ping", 6s, [burst](const TaskContext &c) -> Result<void> {
        // The guide's step 4 on its own: the same pings as the burst, without captures.
        return burst.run(c);
    });

    Steps out;
    out.discover = parallel("discover", {readNode(NodeRole::Client), readNode(NodeRole::Server)},
                            ErrorPolicy::ContinueOnError, 12s);
    out.topology = sequential("topology", {topology, bgpLogs, requireTarget}, ErrorPolicy::StopOnError);
    out.podRoutes = podRoutes;
    out.logs = logs;
    out.underlay = underlay;
    out.tunnelPing = tunnelPingOnly;
    out.burst = sequential("burst",
                           {task("reset", 1s, [&s](const TaskContext &) -> Result<void> {
                                s.captures.clear();
                                return {};
                            }),
                            startCaptures,
                            parallel("underlay and pod routes", {underlay, podRoutes}, ErrorPolicy::ContinueOnError),
                            waitCapturing, firewall(false),
                            // The hosts sets do not change with the burst: read while it runs
                            // (after the firewall read, which tells whether there are any).
                            parallel("burst and sets", {burst, ipsets}, ErrorPolicy::ContinueOnError),
                            // The counters after the burst need only the burst done, not the
                            // captures stopped: one round trip less on a slow link.
                            parallel("stop and count", {stopCaptures, firewall(true), wireguardPeers},
                                     ErrorPolicy::ContinueOnError)},
                           ErrorPolicy::StopOnError, 25s);
    return out;
}

RecipeNode DiagnosisEngine::recipe()
{
    Steps st = steps();
    return sequential("diagnose",
                      {st.discover, st.topology,
                       parallel("burst and logs", {st.burst, st.logs}, ErrorPolicy::StopOnError)},
                      ErrorPolicy::StopOnError);
}

void DiagnosisEngine::markNotGathered(Diagnosis &d, const std::set<Stage> &gathered)
{
    // A step the wizard has not run yet: its checks and hops say so, and nothing is
    // concluded from readings that were never taken.
    auto missing = [&](Stage st) { return !gathered.count(st); };
    std::set<std::string> notRun;
    if (missing(Stage::Logs))
        notRun.insert({"logs.client", "logs.server"});
    if (missing(Stage::UnderlayPing) && missing(Stage::Burst))
        notRun.insert("underlay.ping");
    if (missing(Stage::TunnelPing) && missing(Stage::Burst))
        notRun.insert({"tunnel.ping", "tunnel.full-size", "tunnel6.ping"});
    if (missing(Stage::Burst))
        notRun.insert({"iptables.client", "iptables.server", "ipset.client", "ipset.server", "capture.client",
                       "capture.server", "pod.ping", "pod.port", "policy.client", "policy.server"});
    for (auto &c : d.checks)
        if (notRun.count(c.id)) {
            c.status = Status::Skipped;
            c.detail = "not run yet";
            c.evidence.clear();
        }
    if (missing(Stage::Burst)) {
        for (const HopId id : d.path()) {
            HopVerdict &h = d.hop(id);
            notRun.insert(std::string(hopInfo(h.id).key));
            h.status = Status::Unknown;
            h.seen = h.expected = 0;
            h.streams.clear();
            h.evidence.clear();
            h.explanation = kNotCapturedYet;
        }
        d.firstFailingHop.reset();
    }
    std::erase_if(d.findings, [&](const Finding &f) { return notRun.count(f.blames) > 0; });
}

void DiagnosisEngine::fillSeries(Diagnosis &d, const State &s)
{
    addEchoes(d.echoes, "burst", s.tunnelPing);
    addEchoes(d.echoes, "full-size probe", s.fullSizeProbe);
    addEchoes(d.echoes, std::string(kIpv6Stream), s.ipv6Burst);
    for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
        const NodeReading &r = (role == NodeRole::Client ? s.client : s.server).reading();
        for (const auto &delta : firewallDeltas(r.firewall)) {
            RuleCounterChange c;
            c.node = roleName(role);
            c.table = delta.table;
            c.chain = delta.chain;
            c.position = delta.isPolicy ? 0 : delta.position;
            c.rule = delta.spec;
            c.target = delta.target;
            c.comment = delta.comment;
            c.packets = delta.packets;
            c.bytes = delta.bytes;
            c.drops = delta.discards();
            d.counterChanges.push_back(std::move(c));
        }
        addLogs(d.logs, roleName(role), r.logs, role == NodeRole::Client ? s.clientLogWindow : s.serverLogWindow);
    }
}

DiagnosisRun DiagnosisEngine::run()
{
    State &s = *m_state;
    s.startedAt = nowIso();
    const auto started = std::chrono::steady_clock::now();
    auto result = m_runner.run(recipe());
    stopLeftoverCaptures();
    s.client.recordUnusedReads();
    s.server.recordUnusedReads();
    for (Stage st : {Stage::Discover, Stage::Logs, Stage::UnderlayPing, Stage::TunnelPing, Stage::Burst})
        s.gathered.insert(st);
    return judge(result, started);
}

DiagnosisRun DiagnosisEngine::runStages(const std::vector<Stage> &stages)
{
    State &s = *m_state;
    if (s.startedAt.empty())
        s.startedAt = nowIso();
    const auto started = std::chrono::steady_clock::now();
    Steps st = steps();
    std::vector<RecipeNode> todo;
    const bool discover = !s.gathered.count(Stage::Discover) ||
                          std::find(stages.begin(), stages.end(), Stage::Discover) != stages.end();
    if (discover) {
        todo.push_back(st.discover);
        todo.push_back(st.topology);
        // The guide's "find the two pods" is whole only with each pod's own routes; the
        // one-click recipe reads them beside the underlay ping instead.
        todo.push_back(st.podRoutes);
    }
    for (Stage stage : stages) {
        switch (stage) {
        case Stage::Discover: break;
        case Stage::Logs: todo.push_back(st.logs); break;
        case Stage::UnderlayPing: todo.push_back(st.underlay); break;
        case Stage::TunnelPing: todo.push_back(st.tunnelPing); break;
        case Stage::Burst: todo.push_back(st.burst); break;
        }
    }
    auto result = m_runner.run(sequential("diagnose", std::move(todo), ErrorPolicy::StopOnError));
    stopLeftoverCaptures();
    s.client.recordUnusedReads();
    s.server.recordUnusedReads();
    s.gathered.insert(Stage::Discover);
    if (s.target && s.serverFacts.nodeIp)
        s.gathered.insert(stages.begin(), stages.end());
    return judge(result, started);
}

void DiagnosisEngine::stopLeftoverCaptures()
{
    // Cancelled (or failed) before "stop captures" ran: tcpdump must not outlive the
    // diagnosis on the node, even while the session stays open for the next run.
    std::vector<std::jthread> stops;
    for (auto &cap : m_state->captures)
        if (cap->running())
            stops.emplace_back([&cap] { (void)cap->stop(std::chrono::seconds(1)); });
}

bool DiagnosisEngine::gathered(Stage stage) const { return m_state->gathered.count(stage) > 0; }

DiagnosisRun DiagnosisEngine::judge(const Result<void> &result, std::chrono::steady_clock::time_point started)
{
    State &s = *m_state;
    DiagnosisRun out;
    Diagnosis &d = out.diagnosis;
    d.startedAt = s.startedAt;
    // A replayed recording says so, with the time it was recorded: the node's own clock
    // as the recording holds it, not the time of the replay.
    d.recorded = s.client.access().shell.info().replayed;
    // The clock as recorded, not shifted by how long the replay took (a slow replay
    // moved the minute: tst_text_reports under load).
    if (d.recorded)
        if (const auto epoch = s.client.reading().clockEpoch)
            d.startedAt = isoOfSeconds(*epoch);
    d.mode = s.mode;
    d.client = s.clientFacts;
    d.server = s.serverFacts;
    if (d.client.host.empty())
        d.client.host = s.client.reading().snapshot.host;
    if (d.server.host.empty())
        d.server.host = s.server.reading().snapshot.host;
    for (NodeFacts *f : {&d.client, &d.server}) {
        const NodeReading &r = (f == &d.client ? s.client : s.server).reading();
        f->privilege = r.privilege;
        const remote::NodeInfo info = (f == &d.client ? s.client : s.server).access().shell.info();
        f->logins = info.logins;
        f->execs = info.execs;
        f->hasTcpdump = r.hasTcpdump;
        f->firewallBackend = r.firewall.backend;
        f->hostsIpset = hostsSetName(r.firewall, s.mode);
        if (f->hostname.empty())
            f->hostname = r.snapshot.hostname;
    }
    d.client.podBlock = ownBlock(s.client.reading().snapshot, s.clientFacts);
    d.server.podBlock = ownBlock(s.server.reading().snapshot, s.serverFacts);
    for (const auto &step : m_runner.steps()) {
        // Phases: the recipe's top-level steps ("diagnose/discover").
        const auto slash = step.path.find('/');
        if (slash != std::string::npos && step.path.find('/', slash + 1) == std::string::npos)
            d.timings.push_back({step.path.substr(slash + 1), step.duration});
    }

    const bool discovered = s.target.has_value() && s.serverFacts.nodeIp.has_value();
    if (!result.ok() && !discovered) {
        d.verdict = Verdict::Error;
        // The recipe hands up the first task's own Error, code and next step intact.
        const Error &e = result.error();
        d.error = e.message + (e.nextStep.empty() ? "" : " - " + e.nextStep);
        const std::string code = findingCodeFor(e, kDiagnosisFailed);
        const bool nodeTool = code == kTcpdumpMissing.name() || code == kNoPrivilege.name();
        // Asking for pods is no fault of the cluster's: not critical.
        const Severity severity = code == kPodsNeeded.name() ? kPodsNeeded.info().severity : Severity::Critical;
        d.findings.push_back({code, severity, nodeTool ? "capture." + e.context : e.context, e.message, {}, e.nextStep});
        if (code == kPodsNeeded.name()) {
            // Nothing to ping, but the routes between the blocks are read: a block BGP lost
            // is a fault found without pods (the pods' echoes would only confirm it), and
            // the sentence above must not stand for routes that are not there.
            const NodeSnapshot &cs = s.client.reading().snapshot, &ss = s.server.reading().snapshot;
            const std::vector<parse::BgpSession> clientBgp = bgpSessionsOf(s.client.reading().logs),
                                                 serverBgp = bgpSessionsOf(s.server.reading().logs);
            std::vector<Finding> routes;
            d.checks.push_back(checkRoute(
                s.mode, {NodeRole::Client, cs, s.clientFacts, s.serverFacts, addressInBlock(ss, s.serverFacts), &clientBgp}, routes));
            d.checks.push_back(checkRoute(
                s.mode, {NodeRole::Server, ss, s.serverFacts, s.clientFacts, addressInBlock(cs, s.clientFacts), &serverBgp}, routes));
            if (!routes.empty()) {
                d.verdict = Verdict::Fail;
                d.error.clear();
                d.findings.front().message = "the routes between the two nodes' pod blocks are not all there (see the "
                                             "route findings); with two pods named, their packets would be followed";
                d.findings.insert(d.findings.begin(), routes.begin(), routes.end());
                sessionCauseFirst(d.findings);
            }
        }
        const bool direct = !tunnelled(s.mode);
        for (const HopId id : d.path()) {
            HopVerdict &h = d.hop(id);
            if (direct && hopInfo(id).place == HopPlace::Tunnel) {
                h.status = Status::Skipped;
                h.explanation = noTunnelHere(s.mode);
            } else {
                h.explanation = "No evidence: the diagnosis stopped before the packets were watched (see the finding).";
            }
        }
        noteSilentNodes(d, s.log);
        d.commands = s.log.records();
        d.timings.push_back({"total", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)});
        return out;
    }

    // Captures -> hops.
    PathExpectation expect;
    expect.mode = s.mode;
    if (const std::string &c = s.clientFacts.encryptionDevice, &sv = s.serverFacts.encryptionDevice; !c.empty() || !sv.empty())
        expect.encryptedBy = "WireGuard (" +
                             (c == sv ? c + " on both nodes"
                              : c.empty() ? sv + " on the server"
                              : sv.empty() ? c + " on the client"
                                           : c + " on the client, " + sv + " on the server") +
                             ")";
    expect.client = s.clientFacts;
    expect.server = s.serverFacts;
    expect.server.tunnelIp = s.target;  // the address the echoes went to
    std::vector<EchoSighting> sightings;
    std::vector<SealedSighting> sealed;
    for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
        bool any = false;
        std::string problem = s.options.capture ? "" : "captures were switched off";
        for (auto &cap : s.captures) {
            if (cap->role() != role)
                continue;
            if (cap->problem().empty() || cap->packets() > 0) {
                any = true;
                auto v = cap->sightings();
                sightings.insert(sightings.end(), v.begin(), v.end());
                auto w = cap->sealed();
                sealed.insert(sealed.end(), w.begin(), w.end());
            } else {
                problem = cap->problem();
            }
        }
        const NodeReading &reading = s.reader(role).reading();
        if (reading.tcpdumpMissing)
            problem = missingToolSentence(*reading.tcpdumpMissing, "the " + std::string(roleName(role)));
        (role == NodeRole::Client ? expect.clientCaptured : expect.serverCaptured) = any;
        std::string &cut = role == NodeRole::Client ? expect.clientCaptureCut : expect.serverCaptureCut;
        if (s.log.silence(role))
            cut = "the " + std::string(roleName(role)) + " stopped answering during the run";
        for (auto &cap : s.captures)
            if (cap->role() == role && cut.empty())
                if (const std::string why = cap->incompleteBecause(); !why.empty())
                    cut = "the " + std::string(roleName(role)) + "'s capture " + why;
        (role == NodeRole::Client ? expect.clientCaptureProblem : expect.serverCaptureProblem) = problem;
    }
    if (s.wireguard) {
        expect.wireguard = true;
        const auto carried = sealedEchoSightings({s.clientFacts.encryptionDevice, s.serverFacts.encryptionDevice}, sightings, sealed);
        sightings.insert(sightings.end(), carried.begin(), carried.end());
    }
    std::vector<EchoStream> streams;
    if (s.tunnelPing.result) {
        EchoStream st;
        st.label = "burst";
        st.sentSeqs = sentSequences(*s.tunnelPing.result, unsigned(s.options.count));
        // Small echoes: header + 56 bytes; tells them from the probe.
        st.ipLength = 84;
        st.refusedLocally = refusedLocally(*s.tunnelPing.result);
        st.answered = answeredSequences(*s.tunnelPing.result);
        streams.push_back(st);
    }
    if (s.fullSizeProbe.result) {
        EchoStream st;
        st.label = "full-size probe";
        st.ipLength = s.fullSizeLength;
        st.refusedLocally = refusedLocally(*s.fullSizeProbe.result);
        st.answered = answeredSequences(*s.fullSizeProbe.result);
        st.sentSeqs = sentSequences(*s.fullSizeProbe.result, unsigned(s.options.count));
        streams.push_back(st);
    }
    if (s.target6 && s.ipv6Burst.result) {
        EchoStream st;
        st.label = std::string(kIpv6Stream);
        st.sentSeqs = sentSequences(*s.ipv6Burst.result, unsigned(s.options.count));
        st.ipLength = 104;  // IPv6's 40-byte header, ICMPv6's 8 and ping's default 56
        st.refusedLocally = refusedLocally(*s.ipv6Burst.result);
        st.answered = answeredSequences(*s.ipv6Burst.result);
        st.target = *s.target6;
        streams.push_back(st);
    }
    if (s.options.pods) {
        // The pods' ends: judged on the ping from inside the client pod, by its own echoes.
        expect.pods = true;
        for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
            const PodEndpoint &e = role == NodeRole::Client ? s.pods.client : s.pods.server;
            (role == NodeRole::Client ? expect.clientPodInterface : expect.serverPodInterface) =
                e.place == PodPlace::Here ? e.interface : std::string();
        }
        // A pod not on the node given (or not found there) puts its echoes on another path
        // than the one drawn: they are judged nowhere, and the pod check says why.
        const PodEndpoint *astray = s.pods.client.place != PodPlace::Here   ? &s.pods.client
                                    : s.pods.server.place != PodPlace::Here ? &s.pods.server
                                                                            : nullptr;
        if (astray) {
            expect.podNoEchoWhy = "the " + std::string(astray == &s.pods.client ? "client" : "server") + " pod " +
                                  astray->ip.toString() + " was not found on the node given, so its echoes are not followed";
        } else if (s.pods.ping.result) {
            EchoStream st;
            st.label = std::string(kPodStream);
            st.sentSeqs = sentSequences(*s.pods.ping.result, unsigned(s.options.count));
            st.ipLength = 84;  // ping's default size, as the burst's
            st.refusedLocally = refusedLocally(*s.pods.ping.result);
            st.answered = answeredSequences(*s.pods.ping.result);
            st.target = s.options.pods->server;
            st.fromPod = true;
            streams.push_back(st);
        } else {
            expect.podNoEchoWhy = s.pods.pingNotRun.empty() ? s.pods.ping.problem : s.pods.pingNotRun;
        }
    }
    if (streams.empty() && !s.tunnelPing.problem.empty())
        expect.noEchoWhy = s.tunnelPing.problem;
    identifyStreams(streams, expect, sightings);
    ExplainInput in;
    in.judgement = judgeHops(expect, streams, sightings);
    in.underlayPing = s.underlayPing;
    in.vxlanPort = s.vxlanPort();
    if (s.wireguard)
        in.wireguard = wireguardWire(sealed);
    in.tunnelPing = s.tunnelPing;
    in.fullSizeProbe = s.fullSizeProbe;
    in.fullSizeLength = s.fullSizeLength;

    // Checks beside the hops. A node "lost" the echoes when the first failing hop is its.
    const std::optional<HopId> first = in.judgement.firstFailing;
    auto lostOn = [&](NodeRole r) { return first && hopInfo(*first).node == r; };
    std::vector<Finding> &f = d.findings;
    const NodeSnapshot &cs = s.client.reading().snapshot, &ss = s.server.reading().snapshot;
    const std::vector<parse::BgpSession> clientBgp = bgpSessionsOf(s.client.reading().logs),
                                         serverBgp = bgpSessionsOf(s.server.reading().logs);
    d.checks.push_back(checkRoute(s.mode, {NodeRole::Client, cs, s.clientFacts, s.serverFacts, s.target, &clientBgp}, f));
    // The server's way back: to the client's tunnel address, else to the client pod (or
    // its block) when nothing is encapsulated.
    std::optional<Ipv4> back = s.clientFacts.tunnelIp;
    if (!back && s.options.pods)
        back = s.options.pods->client;
    if (!back)
        back = addressInBlock(cs, s.clientFacts);
    d.checks.push_back(checkRoute(s.mode, {NodeRole::Server, ss, s.serverFacts, s.clientFacts, back, &serverBgp}, f));
    d.checks.push_back(checkTunnel(s.mode, {NodeRole::Client, cs, s.clientFacts, s.serverFacts, s.target}, f));
    d.checks.push_back(checkTunnel(s.mode, {NodeRole::Server, ss, s.serverFacts, s.clientFacts, s.clientFacts.tunnelIp}, f));
    d.checks.push_back(checkIptables(NodeRole::Client, s.clientFacts, s.client.reading().firewall, lostOn(NodeRole::Client), f));
    d.checks.push_back(checkIptables(NodeRole::Server, s.serverFacts, s.server.reading().firewall, lostOn(NodeRole::Server), f));
    d.checks.push_back(checkHostsIpset(NodeRole::Client, s.mode, s.clientFacts, s.serverFacts,
                                       in.judgement.wire.replySourcesAtClient, s.client.reading().firewall,
                                       lostOn(NodeRole::Client), f));
    d.checks.push_back(checkHostsIpset(NodeRole::Server, s.mode, s.serverFacts, s.clientFacts,
                                       in.judgement.wire.requestSourcesAtServer, s.server.reading().firewall,
                                       lostOn(NodeRole::Server), f));
    // A missing tcpdump costs its node's hops, nothing else: said once, with what to do.
    for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
        const NodeReading &r = s.reader(role).reading();
        if (!r.tcpdumpMissing)
            continue;
        const NodeFacts &facts = role == NodeRole::Client ? d.client : d.server;
        f.push_back(makeFinding(kTcpdumpMissing, "capture." + std::string(roleName(role)),
                                missingToolSentence(*r.tcpdumpMissing, nodeName(facts)) +
                                    ": the packets could not be watched there, so the " + roleName(role) +
                                    "'s hops have no evidence",
                                r.tcpdumpMissing->evidence, missingToolNextStep(*r.tcpdumpMissing, nodeName(facts))));
    }
    // Dual-stack: the IPv6 path is judged beside the IPv4 one; when it cannot be, the
    // report says why and how to look at it.
    if (s.target6) {
        d.checks.push_back(pingCheck("tunnel6.ping", s.ipv6Burst,
                                     "Ping " + s.target6->toString() + " from " + s.clientFacts.ipv6TunnelAddress));
        d.checks.push_back(checkRoute6(NodeRole::Client, cs, s.clientFacts, ss, s.serverFacts, f));
        d.checks.push_back(checkRoute6(NodeRole::Server, ss, s.serverFacts, cs, s.clientFacts, f));
    } else if (auto v6 = ipv6NotJudged(d.client, d.server, s.clientFacts.vxlanPort, s.ipv6WhyNot)) {
        f.push_back(std::move(*v6));
    }
    if (s.wireguard)
        for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
            const NodeReading &r = s.reader(role).reading();
            const bool client = role == NodeRole::Client;
            d.checks.push_back(checkWireguard(role, r.wireguard, r.wireguardProblem, client ? s.clientFacts : s.serverFacts,
                                              client ? s.serverFacts : s.clientFacts, client ? ss : cs, f));
        }
    if (s.options.pods) {
        d.pods = PodPair{{s.pods.client.ip.toString(), s.pods.client.interface, s.pods.client.netns},
                         {s.pods.server.ip.toString(), s.pods.server.interface, s.pods.server.netns},
                         std::string(toString(s.options.pods->protocol)),
                         s.options.pods->port ? int(s.options.pods->port->value()) : 0,
                         s.pods.port && s.pods.port->tool ? toolWords(*s.pods.port->tool, s.pods.port->transport) : std::string()};
        d.checks.push_back(checkPodEnd(NodeRole::Client, s.clientFacts, s.pods, f));
        d.checks.push_back(checkPodEnd(NodeRole::Server, s.serverFacts, s.pods, f));
        std::set<std::string> podChains[2];  // per role: the chains the policy check read
        d.checks.push_back(
            checkPodPolicy(NodeRole::Client, s.clientFacts, s.pods, s.client.reading().firewall, f, podChains[0]));
        d.checks.push_back(
            checkPodPolicy(NodeRole::Server, s.serverFacts, s.pods, s.server.reading().firewall, f, podChains[1]));
        // Every hop of the nodes' path passed (a path without tunnel skips the tunnel's).
        const bool overlayPassed = std::all_of(in.judgement.hops.begin(), in.judgement.hops.end(), [](const HopVerdict &h) {
            return h.status == Status::Pass || h.status == Status::Skipped;
        });
        d.checks.push_back(checkPodPing(s.pods, overlayPassed, f));
        d.checks.push_back(checkPodPort(s.pods, overlayPassed, f));
        // The firewall check counted the same drop in the pod's chains: it is the pods',
        // not other traffic, and the policy check's finding tells it (not a second one).
        for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
            const std::string node = roleName(role);
            const CheckResult *policy = d.check("policy." + node);
            if (!policy || policy->status != Status::Fail)
                continue;
            const FirewallReadings &fw = s.reader(role).reading().firewall;
            const std::set<std::string> &chains = podChains[role == NodeRole::Client ? 0 : 1];
            const auto drops = parse::discardingOnly(firewallDeltas(fw));
            const bool allThePods = !drops.empty() && std::all_of(drops.begin(), drops.end(), [&](const parse::CounterDelta &x) {
                return chains.count(x.chain) > 0;
            });
            const std::string told = " (the probes from the client pod: see " + checkTitle(policy->id) + ")";
            for (auto &c : d.checks) {
                if (c.id != "iptables." + node)
                    continue;
                if (const auto at = c.detail.find(" (the echoes were not lost on this node"); at != std::string::npos)
                    c.detail = c.detail.substr(0, at) + told;
                else if (allThePods)
                    c.detail += told;
            }
            if (allThePods)
                std::erase_if(f, [&](const Finding &x) { return x.code == kIptablesDrop.name() && x.blames == "iptables." + node; });
        }
    }
    // The window ends at the node's "now": its log stamps are written by its clock.
    for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
        const NodeReading &r = s.reader(role).reading();
        LogWindow &window = role == NodeRole::Client ? s.clientLogWindow : s.serverLogWindow;
        const std::int64_t nodeNow = std::int64_t(std::time(nullptr)) + r.clockOffsetSeconds.value_or(0);
        window.sinceMicros = (nodeNow - std::int64_t(s.options.logWindowMinutes) * 60) * 1000000;
        if (s.gathered.count(Stage::Logs)) {
            NodeFacts &facts = role == NodeRole::Client ? d.client : d.server;
            facts.logsSince = isoOfMicros(*window.sinceMicros);
            facts.logsUntil = isoOfMicros(nodeNow * 1000000);
        }
        d.checks.push_back(checkLogs(role, s.mode, role == NodeRole::Client ? s.clientFacts : s.serverFacts, r.logs, window, f));
    }

    explain(d, in);
    d.commands = s.log.records();
    d.sightings = in.judgement.timeline;
    fillSeries(d, s);
    markNotGathered(d, s.gathered);
    requireEvidence(d);
    // Asked about two pods, health needs the pods' own echoes answered, not only the nodes'.
    // With a port, that port too: a UDP port nothing answered is not shown reachable.
    if (d.pods && d.verdict == Verdict::Pass)
        for (const char *id : {"pod.ping", "pod.port"})
            if (const CheckResult *pc = d.check(id);
                pc && pc->status != Status::Pass && (pc->status != Status::Skipped || std::string_view(id) == "pod.ping")) {
                d.verdict = Verdict::Incomplete;
                d.error = "the pods were not shown to reach each other: " + pc->detail;
                break;
            }
    noteSilentNodes(d, s.log);
    d.timings.push_back({"total", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)});
    if (s.options.keepPcap) {
        for (auto &cap : s.captures) {
            out.captures.push_back({cap->role(), cap->spec().interface, cap->pcapBytes(), cap->rawTruncated()});
            NodeFacts &facts = cap->role() == NodeRole::Client ? d.client : d.server;
            facts.pcapTruncated = facts.pcapTruncated || cap->rawTruncated();
        }
    }
    return out;
}

std::vector<PcapFile> pcapFiles(const DiagnosisRun &run)
{
    std::vector<PcapFile> out;
    for (const auto &c : run.captures) {
        if (c.pcap.empty())
            continue;
        // The interface is the node's own name, validated before tcpdump ran on it; only
        // the characters a file name may hold are kept.
        std::string suffix;
        if (c.interface != "any")
            for (char ch : c.interface)
                suffix += std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-' ? ch : '_';
        PcapFile f{std::string(roleName(c.role)) + (suffix.empty() ? "" : "-" + suffix) + ".pcap", &c.pcap, {},
                   "the " + std::string(roleName(c.role)) + "'s capture" + (suffix.empty() ? "" : " on " + c.interface)};
        if (c.truncated)
            f.note = f.name + " holds the first " + std::to_string(CaptureStream::kMaxRawBytes / (1024 * 1024)) +
                     " MiB of the capture: tcpdump captured more";
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace podpath::diagnose
