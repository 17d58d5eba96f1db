#include "pair_judge.h"

#include "bgp_evidence.h"
#include "explain.h"
#include "finding_codes.h"
#include "ipv6_path.h"
#include "pod_checks.h"
#include "route_checks.h"
#include "wireguard_checks.h"
#include "wireguard_path.h"
#include "parse/log_time.h"

#include <algorithm>
#include <ctime>
#include <map>

namespace podpath::diagnose {

std::string isoOfSeconds(std::int64_t seconds)
{
    const std::time_t t = std::time_t(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::uint32_t fullSizeProbeLength(const NodeFacts &client, Encapsulation mode, bool wireguard, std::optional<int> podLinkMtu)
{
    int mtu = client.tunnelMtu > 0 ? client.tunnelMtu : 1400;
    if (wireguard && client.encryptionMtu > 0)
        mtu = std::min(mtu, client.encryptionMtu);
    if (mode == Encapsulation::None && client.underlayMtu > 0) {
        mtu = client.underlayMtu;
        if (podLinkMtu && *podLinkMtu > 0 && *podLinkMtu < mtu)
            mtu = *podLinkMtu;
    }
    return std::uint32_t(mtu);
}

namespace {

std::string isoOfMicros(std::int64_t micros)
{
    std::string t = parse::formatTimestamp(micros, 0);
    t[10] = 'T';
    return t + 'Z';
}

// Both ends of every run, finished or stopped: a node that went dark is named.
void noteSilentNodes(Diagnosis &d, const PairEvidence &s)
{
    for (NodeRole role : {NodeRole::Client, NodeRole::Server})
        if (const auto &quiet = s.reader(role).silence)
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

void markNotGathered(Diagnosis &d, const std::set<Stage> &gathered)
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

void fillSeries(Diagnosis &d, const PairEvidence &s, const LogWindow windows[2])
{
    addEchoes(d.echoes, "burst", s.tunnelPing);
    addEchoes(d.echoes, "full-size probe", s.fullSizeProbe);
    addEchoes(d.echoes, std::string(kIpv6Stream), s.ipv6Burst);
    for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
        const NodeReading &r = s.reader(role).reading();
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
        addLogs(d.logs, roleName(role), r.logs, windows[role == NodeRole::Client ? 0 : 1]);
    }
}
} // namespace

Diagnosis judgePair(const PairEvidence &s)
{
    Diagnosis d;
    const Result<void> &result = s.result;
    const auto started = s.started;
    LogWindow windows[2];
    d.startedAt = s.startedAt;
    // A replayed recording says so, with the time it was recorded: the node's own clock
    // as the recording holds it, not the time of the replay.
    d.recorded = s.client.info.replayed;
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
        const remote::NodeInfo &info = (f == &d.client ? s.client : s.server).info;
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
    for (const auto &step : s.steps) {
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
        noteSilentNodes(d, s);
        d.commands = s.commands;
        d.timings.push_back({"total", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)});
        return d;
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
        const PairSide &side = s.reader(role);
        sightings.insert(sightings.end(), side.sightings.begin(), side.sightings.end());
        sealed.insert(sealed.end(), side.sealed.begin(), side.sealed.end());
        std::string problem = s.options.capture ? side.captureProblem : "captures were switched off";
        if (side.reading().tcpdumpMissing)
            problem = missingToolSentence(*side.reading().tcpdumpMissing, "the " + std::string(roleName(role)));
        (role == NodeRole::Client ? expect.clientCaptured : expect.serverCaptured) = side.captured;
        std::string &cut = role == NodeRole::Client ? expect.clientCaptureCut : expect.serverCaptureCut;
        if (side.silence)
            cut = "the " + std::string(roleName(role)) + " stopped answering during the run";
        else if (!side.captureCut.empty())
            cut = "the " + std::string(roleName(role)) + "'s capture " + side.captureCut;
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
        LogWindow &window = windows[role == NodeRole::Client ? 0 : 1];
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
    d.commands = s.commands;
    d.sightings = in.judgement.timeline;
    fillSeries(d, s, windows);
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
    noteSilentNodes(d, s);
    d.timings.push_back({"total", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)});
    return d;
}

Result<void> pairReady(const NodeFacts &server, Encapsulation mode, const std::optional<Ipv4> &target)
{
    if (!server.nodeIp)
        return Error{"could not tell the server's node address", "server",
                     "name the server by its node IP, or check `ip addr` on it", 0};
    if (!target && mode == Encapsulation::None)
        return Error{"the pods' packets are not encapsulated between these nodes (BGP routes the blocks over the "
                     "underlay), so no node address in the pod range answers an echo",
                     "server", "ask about two pods (a pod's address on each node) to follow a pod's packets between the nodes",
                     0, std::string(kPodsNeeded.name())};
    if (!target)
        return Error{"the server has no tunnel address and the client no route to its block: nothing to ping", "server",
                     "check that calico-node runs on both nodes (tunnel device, routes)", 0};
    return {};
}

} // namespace podpath::diagnose
