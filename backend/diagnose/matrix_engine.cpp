#include "matrix_engine.h"

#include "capture_stream.h"
#include "finding_codes.h"
#include "ipv6_path.h"
#include "node_reader.h"
#include "ping_reading.h"
#include "topology.h"
#include "wireguard_path.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

namespace podpath::diagnose {

using namespace std::chrono_literals;
using remote::RemoteCommand;

namespace {

// What one node's pings to one peer gave.
struct PairPings {
    PingOutcome underlay, burst, fullSize;
};

// One ordered pair as discovery left it: whom to ping and how the path runs.
struct PairPlan {
    NodeFacts client, server;  // settled for this pair (node addresses seen from each other)
    Encapsulation mode = Encapsulation::Unknown;
    std::optional<Ipv4> target;
    std::string ipv6WhyNot;
    bool wireguard = false;
    std::uint32_t probeLength = 0;
    Result<void> ready;  // an Error: nothing to ping (said like the two-node diagnosis says it)
};

Error asRole(Error e, NodeRole role)
{
    e.context = roleName(role);
    return e;
}

} // namespace

struct MatrixEngine::State {
    struct Node {
        MatrixTarget target;
        CommandLog log;  // its commands, under the role "client": the node is each row's client
        std::unique_ptr<NodeReader> reader;
        Result<void> discovered;
        NodeFacts facts;
        std::vector<std::unique_ptr<CaptureStream>> captures;
        std::map<std::size_t, PairPings> pings;  // by peer
        bool reached() const { return target.shell != nullptr; }
        NodeAccess access() const { return reader->access(); }
    };
    MatrixOptions options;
    std::vector<std::unique_ptr<Node>> nodes;
    std::vector<std::vector<PairPlan>> plans;  // [client][server]
    std::string startedAt;
    std::mutex mutex;

    bool usable(std::size_t i) const { return nodes[i]->reached() && nodes[i]->discovered.ok(); }
    // The mode the node's firewall sets and logs are read for: that of its first pair.
    Encapsulation modeOf(std::size_t i) const
    {
        for (std::size_t j = 0; j < nodes.size(); ++j)
            if (j != i && usable(j) && plans[i][j].ready.ok())
                return plans[i][j].mode;
        return Encapsulation::Unknown;
    }
};

MatrixEngine::MatrixEngine(std::vector<MatrixTarget> nodes, MatrixOptions options) : m_state(std::make_unique<State>())
{
    m_state->options = options;
    for (auto &t : nodes) {
        auto n = std::make_unique<State::Node>();
        n->target = std::move(t);
        if (n->target.shell)
            n->reader = std::make_unique<NodeReader>(NodeAccess{*n->target.shell, NodeRole::Client, n->log}, n->target.host);
        else
            n->discovered = Error{n->target.connectError};  // already says where and what to check
        m_state->nodes.push_back(std::move(n));
    }
}

MatrixEngine::~MatrixEngine() = default;

void MatrixEngine::setProgressSink(ProgressSink sink) { m_runner.setProgressSink(std::move(sink)); }

// The nodes' own discovery runs inside the matrix's tasks (RecipeRunner::run's `within`):
// this cancel reaches them too, even one that had not started yet.
void MatrixEngine::cancel() { m_runner.cancel(); }

RecipeNode MatrixEngine::recipe()
{
    State &s = *m_state;
    const std::size_t n = s.nodes.size();
    auto eachNode = [&s](const std::string &group, Millis timeout, auto body) {
        std::vector<RecipeNode> children;
        for (std::size_t i = 0; i < s.nodes.size(); ++i)
            if (s.nodes[i]->reached())
                children.push_back(task(s.nodes[i]->target.host, timeout,
                                        [i, body](const TaskContext &c) -> Result<void> { return body(i, c); }));
        return parallel(group, std::move(children), ErrorPolicy::ContinueOnError);
    };

    // Each node read on its own: one that fails is its row and column, not the run.
    auto discover = eachNode("discover", 12s, [&s](std::size_t i, const TaskContext &c) -> Result<void> {
        State::Node &node = *s.nodes[i];
        RecipeRunner own;
        node.discovered = own.run(discoveryRecipe(*node.reader, node.target.host, false), &c);
        node.facts = nodeFacts(node.reader->reading().snapshot);
        return {};
    });

    auto plan = task("topology", 2s, [&s, n](const TaskContext &) -> Result<void> {
        s.plans.assign(n, std::vector<PairPlan>(n));
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                if (i == j || !s.usable(i) || !s.usable(j))
                    continue;
                PairPlan &p = s.plans[i][j];
                const NodeSnapshot &cs = s.nodes[i]->reader->reading().snapshot, &ss = s.nodes[j]->reader->reading().snapshot;
                p.client = s.nodes[i]->facts;
                p.server = s.nodes[j]->facts;
                settleNodeIps(p.client, cs, p.server, ss);
                p.mode = pathMode(cs, p.client, ss, p.server);
                p.target = echoTarget(cs, p.client, p.server);
                // The matrix judges each pair's IPv4 path; a dual-stack pair is told so.
                if (ipv6EchoTarget(p.mode, p.client, p.server, p.ipv6WhyNot))
                    p.ipv6WhyNot = "the cluster matrix follows each pair's IPv4 path only (diagnose the pair for its IPv6 path)";
                p.wireguard = p.client.encryptsIpv4 && p.server.encryptsIpv4 && tunnelled(p.mode) && p.target &&
                              p.target == p.server.tunnelIp && p.client.nodeIp && p.server.nodeIp;
                p.probeLength = fullSizeProbeLength(p.client, p.mode, p.wireguard);
                p.ready = pairReady(p.server, p.mode, p.target);
            }
        return {};
    });

    auto startCaptures = eachNode("start captures", 4s, [&s, n](std::size_t i, const TaskContext &) -> Result<void> {
        State::Node &node = *s.nodes[i];
        const NodeReading &r = node.reader->reading();
        if (!s.usable(i) || r.tcpdumpMissing)
            return {};
        CaptureSpec spec;
        spec.echoTarget = node.facts.tunnelIp;
        std::set<Ipv4> targets, addresses;
        std::set<std::uint32_t> sealed;
        bool wireguard = false;
        for (std::size_t j = 0; j < n; ++j) {
            if (j == i || !s.usable(j))
                continue;
            for (const PairPlan *p : {&s.plans[i][j], &s.plans[j][i]}) {
                if (p->target)
                    targets.insert(*p->target);
                for (const auto &ip : {p->client.nodeIp, p->server.nodeIp})
                    if (ip)
                        addresses.insert(*ip);
                if (p->wireguard) {
                    wireguard = true;
                    sealed.insert({sealedLength(84), sealedLength(p->probeLength)});
                }
            }
        }
        // No pair pings to or from this node: nothing of its capture would be judged (and
        // without a target the filter would keep all of a busy node's overlay traffic).
        if (targets.empty())
            return {};
        if (!spec.echoTarget)
            spec.echoTarget = *targets.begin();
        for (const Ipv4 &t : targets)
            if (t != spec.echoTarget)
                spec.moreTargets.push_back(t);
        spec.nodeAddresses.assign(addresses.begin(), addresses.end());
        spec.wireguard = wireguard;
        spec.wireguardLengths.assign(sealed.begin(), sealed.end());
        spec.vxlanPort = node.facts.vxlanPort > 0 ? std::uint16_t(node.facts.vxlanPort) : 4789;
        const CaptureScope scope = captureScope(r.snapshot.interfaces);
        std::vector<std::string> ifaces{"any"};
        if (!recordsInterfaces(r.tcpdumpVersion))
            ifaces = {node.facts.tunnelDevice, node.facts.underlayDevice, wireguard ? node.facts.encryptionDevice : ""};
        for (const auto &iface : ifaces) {
            if (iface.empty())
                continue;
            CaptureSpec one = spec;
            one.interface = iface;
            auto cap = std::make_unique<CaptureStream>(node.access(), one, scope.names, scope.local);
            if (auto st = cap->start(); !st.ok())
                return st;
            node.captures.push_back(std::move(cap));
        }
        return {};
    });

    // Every node's pings to all its peers at once, in one exec (fan-out): `what` picks them.
    enum class Pings { Underlay, Burst };
    auto pingAll = [&s, n](Pings what) {
        return [&s, n, what](std::size_t i, const TaskContext &c) -> Result<void> {
            State::Node &node = *s.nodes[i];
            if (!s.usable(i))
                return {};
            std::vector<RemoteCommand> cmds;
            std::vector<std::pair<std::size_t, PingOutcome PairPings::*>> slots;
            const std::uint64_t count = std::uint64_t(std::clamp(s.options.count, 1, 100));
            for (std::size_t j = 0; j < n; ++j) {
                if (j == i || !s.usable(j) || !s.plans[i][j].ready.ok())
                    continue;
                const PairPlan &p = s.plans[i][j];
                if (what == Pings::Underlay) {
                    cmds.push_back(RemoteCommand("ping").flag("-n").flag("-c").flag("3").flag("-i").flag("0.02").flag("-W").flag("1")
                                       .arg(*p.server.nodeIp));
                    slots.emplace_back(j, &PairPings::underlay);
                    continue;
                }
                auto base = [&] {
                    RemoteCommand cmd("ping");
                    cmd.flag("-n").flag("-c").arg(*remote::Count::of(count)).flag("-i").flag("0.02").flag("-W").flag("1");
                    if (p.client.tunnelIp)
                        cmd.flag("-I").arg(*p.client.tunnelIp);
                    return cmd;
                };
                cmds.push_back(base().arg(*p.target));
                slots.emplace_back(j, &PairPings::burst);
                cmds.push_back(base().flag("-M").flag("do").flag("-s")
                                   .arg(*remote::Count::of(std::uint64_t(std::max(int(p.probeLength) - 28, 1))))
                                   .arg(*p.target));
                slots.emplace_back(j, &PairPings::fullSize);
            }
            if (cmds.empty())
                return {};
            // As root (the burst's 20 ms interval needs it), side by side in one exec.
            const auto results = runTogether(node.access(), c, what == Pings::Underlay ? "underlay ping" : "ping burst", cmds,
                                             true, 10);
            std::lock_guard lock(s.mutex);
            for (std::size_t k = 0; k < slots.size(); ++k)
                node.pings[slots[k].first].*slots[k].second = readPing(NodeRole::Client, results[k]);
            return {};
        };
    };

    // WireGuard opens a session with a peer on the first packet to it and holds that packet
    // until the handshake is done; a pair idle for three minutes has none. Both nodes of
    // every pair send their first packets at once in the burst, and a lost or crossed
    // initiation waits five seconds for its retry (REKEY_TIMEOUT): longer than the burst.
    // So each WireGuard pair's session is opened first, before the captures, with one echo
    // that may wait out one retry, from one side only (two initiations crossing are what
    // costs the retry): the burst then judges the path, not the handshake.
    auto openSessions = eachNode("WireGuard sessions", 8s, [&s, n](std::size_t i, const TaskContext &c) -> Result<void> {
        const State::Node &node = *s.nodes[i];
        if (!s.usable(i))
            return {};
        std::vector<RemoteCommand> cmds;
        for (std::size_t j = 0; j < n; ++j) {
            const PairPlan &p = s.plans[i][j];
            if (j == i || !s.usable(j) || !p.ready.ok() || !p.wireguard)
                continue;
            if (j < i && s.plans[j][i].ready.ok() && s.plans[j][i].wireguard)
                continue;  // the node listed first opens it
            RemoteCommand cmd("ping");
            cmd.flag("-n").flag("-c").flag("1").flag("-W").flag("6");
            if (p.client.tunnelIp)
                cmd.flag("-I").arg(*p.client.tunnelIp);
            cmds.push_back(cmd.arg(*p.target));
        }
        if (!cmds.empty())  // its outcome is not evidence: the burst's echoes are
            (void)runTogether(node.access(), c, "open WireGuard session", cmds, true, 7);
        return {};
    });

    auto waitCapturing = task("wait for captures", 3s, [&s](const TaskContext &c) -> Result<void> {
        for (auto &node : s.nodes)
            for (auto &cap : node->captures)
                (void)cap->waitUntilCapturing(c.remaining());
        return {};
    });
    auto firewall = [&s, eachNode](bool after) {
        return eachNode(after ? "firewall after" : "firewall before", 5s, [&s, after](std::size_t i, const TaskContext &c) {
            return s.usable(i) ? s.nodes[i]->reader->readFirewall(c, after) : Result<void>{};
        });
    };
    auto ipsets = eachNode("ipsets", 5s, [&s](std::size_t i, const TaskContext &c) {
        return s.usable(i) ? s.nodes[i]->reader->readIpsets(c, s.modeOf(i)) : Result<void>{};
    });
    auto logs = eachNode("logs", 8s, [&s](std::size_t i, const TaskContext &c) {
        return s.usable(i) ? s.nodes[i]->reader->readLogs(c, s.modeOf(i)) : Result<void>{};
    });
    auto stopCaptures = task("stop captures", 6s, [&s](const TaskContext &) -> Result<void> {
        std::this_thread::sleep_for(30ms);  // as the two-node diagnosis: the kernel's last packets
        std::vector<std::jthread> stops;  // every node's at once
        for (auto &node : s.nodes)
            stops.emplace_back([&node] { CaptureStream::stopAll(node->captures, 4s); });
        return {};
    });
    auto wgShow = eachNode("WireGuard peers", 5s, [&s, n](std::size_t i, const TaskContext &c) -> Result<void> {
        for (std::size_t j = 0; j < n; ++j)
            if (j != i && s.usable(i) && s.usable(j) && (s.plans[i][j].wireguard || s.plans[j][i].wireguard))
                return s.nodes[i]->reader->readWireguard(c, s.nodes[i]->facts.encryptionDevice);
        return {};
    });

    return sequential(
        "matrix",
        {discover, plan, openSessions,
         sequential("burst",
                    {startCaptures, eachNode("underlay pings", 4s, pingAll(Pings::Underlay)), waitCapturing,
                     firewall(false),
                     parallel("burst, sets and logs", {eachNode("ping burst", 10s, pingAll(Pings::Burst)), ipsets, logs},
                              ErrorPolicy::ContinueOnError),
                     parallel("stop and count", {stopCaptures, firewall(true), wgShow}, ErrorPolicy::ContinueOnError)},
                    ErrorPolicy::ContinueOnError, 40s)},
        ErrorPolicy::StopOnError);
}

ClusterMatrix MatrixEngine::run()
{
    State &s = *m_state;
    s.startedAt = isoOfSeconds(std::int64_t(std::time(nullptr)));
    const auto started = Clock::now();
    auto result = m_runner.run(recipe());
    // Cancelled or failed before the stop: no tcpdump outlives the run on a node.
    {
        std::vector<std::jthread> stops;
        for (auto &node : s.nodes)
            stops.emplace_back([&node] { CaptureStream::stopAll(node->captures, 1s); });
    }
    for (auto &node : s.nodes)
        if (node->reader)
            node->reader->recordUnusedReads();
    return judge(result, started);
}

namespace {

// The echoes of one pair among everything a node's captures saw: those between the
// client's source and the address it pinged, as `role` in that pair.
void pairSide(PairSide &side, const std::vector<std::unique_ptr<CaptureStream>> &captures, NodeRole role,
              std::optional<Ipv4> source, Ipv4 target, std::optional<Ipv4> clientIp, std::optional<Ipv4> serverIp)
{
    const IpAddress to(target);
    const std::optional<IpAddress> from = source ? std::optional<IpAddress>(IpAddress(*source)) : std::nullopt;
    auto ours = [&](const IpAddress &a, const IpAddress &b) { return b == to && (!from || a == *from); };
    for (const auto &cap : captures) {
        if (cap->problem().empty() || cap->packets() > 0) {
            side.captured = true;
            for (EchoSighting e : cap->sightings())
                if (ours(e.src, e.dst) || ours(e.dst, e.src)) {
                    e.node = role;
                    side.sightings.push_back(std::move(e));
                }
            if (clientIp && serverIp)
                for (SealedSighting w : cap->sealed()) {
                    const IpAddress a(*clientIp), b(*serverIp);
                    if ((w.src == a && w.dst == b) || (w.src == b && w.dst == a)) {
                        w.node = role;
                        side.sealed.push_back(std::move(w));
                    }
                }
        } else {
            side.captureProblem = cap->problem();
        }
        if (side.captureCut.empty())
            side.captureCut = cap->incompleteBecause();
    }
}

} // namespace

ClusterMatrix MatrixEngine::judge(const Result<void> &result, Clock::time_point started)
{
    State &s = *m_state;
    ClusterMatrix m;
    m.startedAt = s.startedAt;
    const std::size_t n = s.nodes.size();
    for (std::size_t i = 0; i < n; ++i) {
        const State::Node &node = *s.nodes[i];
        MatrixNode out;
        out.host = node.target.host;
        out.facts = node.facts;
        if (out.facts.host.empty())
            out.facts.host = node.target.host;
        if (node.reader) {
            if (out.facts.hostname.empty())
                out.facts.hostname = node.reader->reading().snapshot.hostname;
            out.facts.privilege = node.reader->reading().privilege;
            out.commands = node.log.records();
            for (auto &c : out.commands)
                c.node = nodeName(out.facts);
            m.recorded = m.recorded || node.target.shell->info().replayed;
        }
        if (!node.discovered.ok())
            out.problem = node.discovered.error().oneLine();
        m.nodes.push_back(std::move(out));
    }
    // A replay is dated when it was recorded (the earliest node clock the recording holds),
    // as the two-node diagnosis dates its replay, not when it was replayed.
    if (m.recorded) {
        std::optional<std::int64_t> earliest;
        for (const auto &node : s.nodes)
            if (node->reader)
                if (const auto epoch = node->reader->reading().clockEpoch; epoch && (!earliest || *epoch < *earliest))
                    earliest = epoch;
        if (earliest)
            m.startedAt = isoOfSeconds(*earliest);
    }
    for (const auto &step : m_runner.steps()) {
        const auto slash = step.path.find('/');
        if (slash != std::string::npos && step.path.find('/', slash + 1) == std::string::npos)
            m.timings.push_back({step.path.substr(slash + 1), step.duration});
    }
    if (s.plans.size() != n)  // stopped before the topology: no pair to judge
        s.plans.assign(n, std::vector<PairPlan>(n));

    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            if (i == j || !s.nodes[i]->reached() || !s.nodes[j]->reached())
                continue;
            const State::Node &c = *s.nodes[i], &v = *s.nodes[j];
            const PairPlan &plan = s.plans[i][j];
            PairEvidence p;
            p.options.count = s.options.count;
            p.options.logWindowMinutes = s.options.logWindowMinutes;
            p.options.keepPcap = false;
            p.startedAt = s.startedAt;
            p.started = started;
            const bool planned = plan.target || !plan.ready.ok();
            p.result = !c.discovered.ok() ? Result<void>(asRole(c.discovered.error(), NodeRole::Client))
                       : !v.discovered.ok() ? Result<void>(asRole(v.discovered.error(), NodeRole::Server))
                       : planned           ? plan.ready
                       : !result.ok()      ? result
                                           : Result<void>(Error{"the run stopped before this pair was looked at", "client"});
            p.client.nodeReading = &c.reader->reading();
            p.server.nodeReading = &v.reader->reading();
            p.client.info = c.target.shell->info();
            p.server.info = v.target.shell->info();
            p.client.silence = c.log.silence(NodeRole::Client);
            p.server.silence = v.log.silence(NodeRole::Client);
            p.clientFacts = plan.client;
            p.serverFacts = plan.server;
            p.mode = plan.mode;
            p.target = plan.target;
            p.ipv6WhyNot = plan.ipv6WhyNot;
            p.wireguard = plan.wireguard;
            p.vxlanPortNumber = plan.client.vxlanPort > 0 ? std::uint16_t(plan.client.vxlanPort) : 4789;
            if (plan.target) {
                pairSide(p.client, c.captures, NodeRole::Client, plan.client.tunnelIp, *plan.target, plan.client.nodeIp,
                         plan.server.nodeIp);
                pairSide(p.server, v.captures, NodeRole::Server, plan.client.tunnelIp, *plan.target, plan.client.nodeIp,
                         plan.server.nodeIp);
            }
            if (const auto at = c.pings.find(j); at != c.pings.end()) {
                p.underlayPing = at->second.underlay;
                p.tunnelPing = at->second.burst;
                p.fullSizeProbe = at->second.fullSize;
            }
            p.fullSizeLength = plan.probeLength;
            p.gathered = {Stage::Discover, Stage::Logs, Stage::UnderlayPing, Stage::TunnelPing, Stage::Burst};
            MatrixCell cell{i, j, judgePair(p)};
            // The nodes' commands and log lines are kept once, in the nodes.
            cell.diagnosis.commands.clear();
            cell.diagnosis.logs.clear();
            cell.diagnosis.timings.clear();
            m.cells.push_back(std::move(cell));
        }
    m.patterns = findPatterns(m);
    m.timings.push_back({"total", std::chrono::duration_cast<Millis>(Clock::now() - started)});
    return m;
}

const MatrixCell *ClusterMatrix::cell(std::size_t client, std::size_t server) const
{
    // Asked for every cell by each picture of the matrix: a scan would make drawing O(N^4).
    const auto at = std::lower_bound(cells.begin(), cells.end(), std::pair(client, server),
                                     [](const MatrixCell &c, const std::pair<std::size_t, std::size_t> &key) {
                                         return std::pair(c.client, c.server) < key;
                                     });
    return at != cells.end() && at->client == client && at->server == server ? &*at : nullptr;
}

int ClusterMatrix::count(Verdict v) const
{
    return int(std::count_if(cells.begin(), cells.end(), [v](const MatrixCell &c) { return c.diagnosis.verdict == v; }));
}

} // namespace podpath::diagnose
