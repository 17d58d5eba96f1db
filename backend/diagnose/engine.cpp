#include "engine.h"

#include "capture_stream.h"
#include "bgp_evidence.h"
#include "explain.h"
#include "finding_codes.h"
#include "ipv6_path.h"
#include "node_reader.h"
#include "ping_reading.h"
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

    // The full-size probe's length (fullSizeProbeLength); without encapsulation it goes to
    // the server pod, so the client pod's link bounds it too.
    std::uint32_t probeLength() const
    {
        std::optional<int> podLink;
        if (const parse::Interface *veth = parse::findInterface(client.reading().snapshot.interfaces, pods.client.interface);
            veth && veth->mtu)
            podLink = int(*veth->mtu);
        return fullSizeProbeLength(clientFacts, mode, wireguard, podLink);
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

std::string nowIso(std::int64_t shiftSeconds = 0) { return isoOfSeconds(std::int64_t(std::time(nullptr)) + shiftSeconds); }

// What a probe sent from inside a pod says when sudo would not run `ip netns exec`.
std::string podSudoProblem(const std::string &refused)
{
    return "ip netns exec did not run as root on the client: " + refused +
           " (sending from inside a pod needs `ip` in the user's sudo rights)";
}

PingOutcome ping(const NodeAccess &node, const TaskContext &ctx, const std::string &step, const RemoteCommand &cmd)
{
    return readPing(node.role, runOn(node, ctx, step, cmd, true, 8));
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
    auto readNode = [&s](NodeRole role) { return discoveryRecipe(s.reader(role), roleName(role), s.options.pods.has_value()); };

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
    auto requireTarget = task("echo target", 1s, [&s](const TaskContext &) -> Result<void> {
        return pairReady(s.serverFacts, s.mode, s.target);
    });

    auto startCaptures = task("start captures", 4s, [&s](const TaskContext &) -> Result<void> {
        if (!s.options.capture)
            return {};
        for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
            NodeReader &r = s.reader(role);
            if (r.reading().tcpdumpMissing)
                continue;  // its hops go without evidence; the other node still captures
            const NodeFacts &f = role == NodeRole::Client ? s.clientFacts : s.serverFacts;
            const CaptureScope scope = captureScope(r.reading().snapshot.interfaces);
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
                auto cap = std::make_unique<CaptureStream>(r.access(), spec, scope.names, scope.local);
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
        CaptureStream::stopAll(s.captures, 4s);
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
    CaptureStream::stopAll(m_state->captures, std::chrono::seconds(1));
}

bool DiagnosisEngine::gathered(Stage stage) const { return m_state->gathered.count(stage) > 0; }


DiagnosisRun DiagnosisEngine::judge(const Result<void> &result, std::chrono::steady_clock::time_point started)
{
    State &s = *m_state;
    PairEvidence p;
    p.options = s.options;
    p.startedAt = s.startedAt;
    p.started = started;
    p.result = result;
    p.steps = m_runner.steps();
    for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
        PairSide &side = role == NodeRole::Client ? p.client : p.server;
        side.nodeReading = &s.reader(role).reading();
        side.info = s.reader(role).access().shell.info();
        side.silence = s.log.silence(role);
        for (auto &cap : s.captures) {
            if (cap->role() != role)
                continue;
            if (cap->problem().empty() || cap->packets() > 0) {
                side.captured = true;
                auto v = cap->sightings();
                side.sightings.insert(side.sightings.end(), v.begin(), v.end());
                auto w = cap->sealed();
                side.sealed.insert(side.sealed.end(), w.begin(), w.end());
            } else {
                side.captureProblem = cap->problem();
            }
            if (side.captureCut.empty())
                side.captureCut = cap->incompleteBecause();
        }
    }
    p.clientFacts = s.clientFacts;
    p.serverFacts = s.serverFacts;
    p.mode = s.mode;
    p.target = s.target;
    p.target6 = s.target6;
    p.ipv6WhyNot = s.ipv6WhyNot;
    p.wireguard = s.wireguard;
    p.vxlanPortNumber = s.vxlanPort();
    p.underlayPing = s.underlayPing;
    p.tunnelPing = s.tunnelPing;
    p.fullSizeProbe = s.fullSizeProbe;
    p.ipv6Burst = s.ipv6Burst;
    p.fullSizeLength = s.fullSizeLength;
    p.pods = s.pods;
    p.gathered = s.gathered;
    p.commands = s.log.records();
    DiagnosisRun out;
    out.diagnosis = judgePair(p);
    const bool discovered = s.target.has_value() && s.serverFacts.nodeIp.has_value();
    if (s.options.keepPcap && (result.ok() || discovered)) {
        for (auto &cap : s.captures) {
            out.captures.push_back({cap->role(), cap->spec().interface, cap->pcapBytes(), cap->rawTruncated()});
            NodeFacts &facts = cap->role() == NodeRole::Client ? out.diagnosis.client : out.diagnosis.server;
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
