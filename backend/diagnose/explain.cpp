#include "explain.h"
#include "ipv6_path.h"
#include "sentence.h"

#include "bgp_evidence.h"
#include "finding_codes.h"
#include "route_checks.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace podpath::diagnose {

namespace {

std::string join(const std::set<Ipv4> &s)
{
    std::string out;
    for (const auto &a : s)
        out += (out.empty() ? "" : ", ") + a.toString();
    return out;
}

} // namespace

CheckResult pingCheck(const std::string &id, const PingOutcome &p, const std::string &what)
{
    CheckResult c;
    c.id = id;
    if (!p.result) {
        c.status = Status::Unknown;
        c.detail = p.problem.empty() ? "not run" : p.problem;
        return c;
    }
    const auto &r = *p.result;
    if (r.fatal) {
        c.status = Status::Fail;
        c.detail = what + ": ping: " + r.fatal->text;
        c.evidence.push_back("ping: " + r.fatal->text);
        return c;
    }
    const unsigned sent = r.statistics ? r.statistics->transmitted : unsigned(r.probes.size());
    const unsigned got = r.repliedSequences();
    c.detail = what + ": " + std::to_string(got) + "/" + std::to_string(sent) + " replies";
    if (r.rtt) {
        char rtt[32];
        std::snprintf(rtt, sizeof rtt, ", rtt avg %.3f ms", r.rtt->avgMs);
        c.detail += rtt;
    }
    for (const auto &e : r.localErrors)
        c.evidence.push_back("ping: " + e.text);
    for (const auto &pr : r.probes)
        if (!pr.reply && c.evidence.size() < 6)
            c.evidence.push_back("icmp_seq=" + std::to_string(pr.sequence) + " " + pr.text);
    c.status = sent > 0 && got == sent ? Status::Pass : Status::Fail;
    return c;
}

namespace {

std::string encapsulationName(Encapsulation m) { return m == Encapsulation::Vxlan ? "VXLAN" : "IPIP"; }

// What a finding says and suggests must hold when a fact was not read: a sentence names
// "the tunnel device" instead of leaving a blank, and a suggested command drops the
// argument it does not know instead of carrying "not known" to the engineer's shell.
std::string tunnelOf(const NodeFacts &f) { return f.tunnelDevice.empty() ? "the tunnel device" : f.tunnelDevice; }
std::string linkShow(const NodeFacts &f)
{
    return f.tunnelDevice.empty() ? "ip -d link" : "ip -d link show " + f.tunnelDevice;
}
std::string routeGet(const std::optional<Ipv4> &to, const std::optional<Ipv4> &from = {})
{
    if (!to)
        return "ip route";
    return "ip route get " + to->toString() + (from ? " from " + from->toString() : "");
}
// The node's rules with their counters, in the tool its Calico writes them with.
std::string rulesWithCounters(const NodeFacts &f)
{
    if (f.firewallBackend == "nftables")
        return "nft -a list ruleset";
    return f.firewallBackend == "iptables-legacy" ? "iptables-legacy-save -c" : "iptables-save -c";
}
std::string rpFilterOf(const NodeFacts &f)
{
    return f.tunnelDevice.empty() ? "net.ipv4.conf.all.rp_filter" : "net.ipv4.conf." + f.tunnelDevice + ".rp_filter";
}

struct PingCount {
    unsigned sent = 0, answered = 0;
};
PingCount counted(const parse::PingResult &r)
{
    return {r.statistics ? r.statistics->transmitted : unsigned(r.probes.size()), r.repliedSequences()};
}

std::string ofText(PingCount c) { return std::to_string(c.answered) + " of " + std::to_string(c.sent); }

// The first hop of a direction is the sender's own tunnel device: an echo lost there never
// left its node, so the network between the nodes is not what lost it.
bool startsDirection(HopId h) { return h == HopId::RequestClientTunnel || h == HopId::ReplyServerTunnel; }

// "local error: message too long, mtu=1300": the client's kernel would not send the
// full-size probe at all (a route's mtu, or a path MTU it learned, below the tunnel MTU).
const parse::PingLocalError *refusedAsTooLong(const PingOutcome &p)
{
    if (!p.result)
        return nullptr;
    for (const auto &e : p.result->localErrors)
        if (e.problem == parse::PingProblem::MessageTooLong)
            return &e;
    return nullptr;
}

// Why the full-size probe never left the node that sends it, in one clause. `refused`: the
// client ping's own complaint; the server's replies have no ping to speak for them.
std::string neverLeft(const NodeFacts &sender, const parse::PingLocalError *refused)
{
    if (const auto *e = refused)
        return nodeName(sender) + "'s kernel refused to send it (ping: " + e->text + "): a route or a path MTU it learned" +
               (e->mtu ? " limits packets to " + std::to_string(*e->mtu) + " bytes" : std::string(" is smaller")) +
               ", less than the tunnel MTU";
    return "it was lost on " + nodeName(sender) + " before " + tunnelOf(sender) +
           " (a route MTU below the tunnel MTU, or a firewall rule that matches the packet size)";
}

// Do echoes as large as the tunnel MTU cross, with don't-fragment set, where small ones
// do? The two pings ran together through the same path, so a difference between them is
// the packet size and nothing else: the path between the nodes carries less than the
// tunnel's MTU plus the encapsulation.
CheckResult fullSizeCheck(const Diagnosis &d, const ExplainInput &in)
{
    CheckResult c;
    c.id = "tunnel.full-size";
    const PingOutcome &probe = in.fullSizeProbe;
    if (!probe.result) {
        c.status = Status::Unknown;
        c.detail = probe.problem.empty()   ? "not run"
                   : probe.refusedOptions ? "Full-size echoes with don't-fragment were not sent: " + probe.problem
                                          : probe.problem;
        return c;
    }
    std::uint32_t smallLength = 0;
    for (const auto &s : in.judgement.hops.front().streams)
        if (s.stream == kBurstStream)
            smallLength = s.ipLength;
    const std::string size = in.fullSizeLength ? std::to_string(in.fullSizeLength) + " bytes" : std::string("full size");
    const std::string small = "small echoes" + (smallLength ? " of " + std::to_string(smallLength) + " bytes" : std::string());
    const PingCount big = counted(*probe.result);
    c.detail = "Full-size echoes of " + size + " with don't-fragment: " +
               (probe.result->fatal ? "ping: " + probe.result->fatal->text : ofText(big) + " answered");
    for (const auto &e : probe.result->localErrors)
        c.evidence.push_back("ping: " + e.text);
    for (const auto &pr : probe.result->probes)
        if (!pr.reply && c.evidence.size() < 6)
            c.evidence.push_back("icmp_seq=" + std::to_string(pr.sequence) + " " + pr.text);
    if (!probe.result->fatal && big.sent > 0 && big.answered == big.sent) {
        c.status = Status::Pass;
        return c;
    }
    if (!in.tunnelPing.result || in.tunnelPing.result->fatal) {
        c.status = Status::Unknown;
        c.detail += "; " + small + " could not be sent to compare";
        return c;
    }
    const PingCount few = counted(*in.tunnelPing.result);
    if (few.sent == 0 || few.answered < few.sent) {
        // Small echoes were lost too: whatever breaks the path, it is not the size alone.
        c.status = Status::Unknown;
        c.detail += ", but " + small + " were lost too (" + ofText(few) + " answered): the size is not what breaks the path";
        return c;
    }
    c.status = Status::Fail;
    c.detail += ", " + small + ": " + ofText(few) + ".";
    const WireFacts &w = in.judgement.wire;
    if (w.smallestLostAt && startsDirection(*w.smallestLostAt)) {
        const bool request = *w.smallestLostAt == HopId::RequestClientTunnel;
        c.detail += " Not seen even at " + std::string(hopInfo(*w.smallestLostAt).title) + ": " +
                    neverLeft(request ? d.client : d.server, request ? refusedAsTooLong(probe) : nullptr);
        return c;
    }
    c.detail += w.smallestLostAt ? " Lost at " + std::string(hopInfo(*w.smallestLostAt).title) + ":" : std::string(" So");
    const int overhead = encapsulationOverhead(d.mode);
    const int outer = int(in.fullSizeLength) + overhead;
    const int underlay = d.client.underlayMtu;
    const std::string device = d.client.underlayDevice.empty() ? "the underlay device" : d.client.underlayDevice;
    if (overhead > 0 && in.fullSizeLength) {
        c.detail += " the path between the nodes does not carry " + std::to_string(outer) + "-byte packets (tunnel MTU " +
                    std::to_string(in.fullSizeLength) + " + " + std::to_string(overhead) + " for " +
                    encapsulationName(d.mode) + ")";
        if (underlay > 0 && outer > underlay)
            c.detail += ", more than the client's " + device + " MTU of " + std::to_string(underlay);
        else if (underlay > 0)
            c.detail += ", though " + device + " on the client says MTU " + std::to_string(underlay);
    } else {
        c.detail += " the path between the nodes carries less than the tunnel MTU";
    }
    return c;
}

bool checkFailed(const Diagnosis &d, const std::string &id)
{
    const CheckResult *c = d.check(id);
    return c && c->status == Status::Fail;
}

bool hasFinding(const Diagnosis &d, FindingCode code)
{
    return std::any_of(d.findings.begin(), d.findings.end(), [&](const Finding &f) { return hasCode(f, code); });
}

// Moves the first finding blaming one of `ids` to the front; true when one did.
bool lead(Diagnosis &d, std::initializer_list<std::string_view> ids)
{
    for (auto id : ids) {
        auto it = std::find_if(d.findings.begin(), d.findings.end(),
                               [&](const Finding &f) { return f.blames == id && f.severity >= Severity::Error; });
        if (it != d.findings.end()) {
            std::rotate(d.findings.begin(), it, it + 1);
            return true;
        }
    }
    return false;
}

void leadWith(Diagnosis &d, Finding f) { d.findings.insert(d.findings.begin(), std::move(f)); }

std::vector<std::string> hopEvidence(const Diagnosis &d, HopId before)
{
    // What the hop before saw is the evidence that the packet got that far.
    const std::vector<HopId> path = d.path();
    const auto at = std::find(path.begin(), path.end(), before);
    return at != path.end() && at != path.begin() ? d.hop(*(at - 1)).evidence : std::vector<std::string>{};
}

// Through WireGuard: where the echo stopped says which of its parts failed. Its device on
// the sender (routing), the sealed packet leaving (the peer, its endpoint, the handshake),
// the network between the nodes (UDP to WireGuard's port), the receiver letting the
// decrypted packet out (allowed ips, its firewall).
void explainWireguardHop(Diagnosis &d, const ExplainInput &in, HopId hop)
{
    const HopInfo &info = hopInfo(hop);
    const bool request = info.direction == Direction::Request;
    const NodeFacts &from = request ? d.client : d.server;
    const NodeFacts &to = request ? d.server : d.client;
    const std::string fromSide = request ? "client" : "server", toSide = request ? "server" : "client";
    const std::string key(info.key);
    const std::string what = request ? "echo request" : "echo reply";
    const WireguardWire &w = in.wireguard;
    const std::uint16_t seenPort = request ? w.clientPort : w.serverPort;
    const std::string portNumber = seenPort ? std::to_string(seenPort) : std::string("51820");
    const std::string port = seenPort ? portNumber : portNumber + ", Felix's default";
    const std::string wgShow = "wg show " + from.encryptionDevice;
    const bool startsHere = (info.node == NodeRole::Client) == request;
    switch (info.place) {
    case HopPlace::Tunnel:
        if (startsHere) {
            if (lead(d, {"route." + fromSide, "wireguard." + fromSide, "iptables." + fromSide}))
                return;
            leadWith(d, makeFinding(kEchoNotSent, key,
                         nodeName(from) + " never put the " + what + " into its WireGuard device " + from.encryptionDevice,
                         {},
                         "On " + nodeName(from) + ": " + routeGet(to.tunnelIp, from.tunnelIp) +
                             " must name " + from.encryptionDevice + " (Felix's routes through it are in their own table, "
                             "chosen by an ip rule: ip rule; ip route show table all dev " + from.encryptionDevice + ")"));
            return;
        }
        if (lead(d, {"wireguard." + toSide, "iptables." + toSide}))
            return;
        leadWith(d, makeFinding(kWireguardNotDelivered, key,
                     "The WireGuard packets carrying the " + what + " reached " + nodeName(to) + " but the " + what +
                         " never came out of its device " + to.encryptionDevice +
                         ": WireGuard dropped it after decrypting it (the peer entry for " + nodeName(from) +
                         " does not allow its source " + ipText(from.tunnelIp) + "), or a firewall rule did",
                     hopEvidence(d, hop),
                     "On " + nodeName(to) + ": wg show " + to.encryptionDevice + " (the peer whose endpoint is " +
                         ipText(from.nodeIp) + " must list " + ipText(from.tunnelIp) + " or its block in its allowed ips); " +
                         rulesWithCounters(to) + " (drops of UDP to port " + port + ")"));
        return;
    case HopPlace::Egress: {
        if (lead(d, {"wireguard." + fromSide, "iptables." + fromSide}))
            return;
        const int initiations = request ? w.clientInitiations : w.serverInitiations;
        const int arrived = request ? w.serverInitiationsReceived : w.clientInitiationsReceived;
        const int answers = request ? w.serverResponses : w.clientResponses;
        const bool peerCaptured = d.hop(request ? HopId::RequestServerIngress : HopId::ReplyClientIngress).status != Status::Unknown;
        std::vector<std::string> evidence = hopEvidence(d, hop);
        evidence.insert(evidence.end(), w.handshakeEvidence.begin(), w.handshakeEvidence.end());
        const std::string tried = std::to_string(initiations) + " handshake initiation" + (initiations == 1 ? "" : "s");
        // No session yet, and the handshake itself never crossed: the network, not the sender.
        if (initiations > 0 && arrived == 0 && answers == 0 && peerCaptured) {
            leadWith(d, makeFinding(kWireguardUnderlayDrops, key,
                         nodeName(from) + " could not open a WireGuard session with " + nodeName(to) + ": the " + tried +
                             " it sent to " + ipText(to.nodeIp) + " (UDP port " + port + ") never arrived there, so the " +
                             what + " never left: the network between the nodes drops them",
                         evidence,
                         "Allow UDP port " + portNumber +
                             " between the nodes' addresses in the cloud security group / firewall between them" +
                             (checkFailed(d, "underlay.ping") ? "" : " (plain pings between the nodes work)")));
            return;
        }
        std::string why = ": its WireGuard has no peer for it, sends to another endpoint, or has no session with it";
        if (initiations > 0 && answers == 0)
            why = ": it sent " + tried + (arrived > 0 ? ", which arrived," : "") + " and got no response from " +
                  ipText(to.nodeIp) + (arrived > 0 ? " (" + nodeName(to) + "'s WireGuard does not know its key)" : "");
        leadWith(d, makeFinding(kWireguardNotSent, key,
                     nodeName(from) + " took the " + what + " into " + from.encryptionDevice +
                         " but sent no WireGuard data packet to " + nodeName(to) + " (" + ipText(to.nodeIp) + ")" + why,
                     evidence,
                     "On " + nodeName(from) + ": " + wgShow + " (a peer for " + nodeName(to) + " with endpoint " +
                         ipText(to.nodeIp) + ":" + portNumber +
                         ", " + ipText(to.tunnelIp) + " in its allowed ips, a recent handshake); "
                         "Calico's Node resource for " + nodeName(to) + " must carry its WireGuard public key"));
        return;
    }
    case HopPlace::Ingress: {
        if (checkFailed(d, "underlay.ping") && lead(d, {"underlay.ping"}))
            return;
        const std::string router = from.underlayGateway ? " (through the router " + from.underlayGateway->toString() + ")" : "";
        leadWith(d, makeFinding(kWireguardUnderlayDrops, key,
                     "The WireGuard packets carrying the " + what + " left " + nodeName(from) + " for " + ipText(to.nodeIp) +
                         " (UDP port " + port + ") but never arrived: the network between the nodes" + router + " drops them",
                     hopEvidence(d, hop),
                     "Allow UDP port " + portNumber +
                         " between the nodes' addresses in the cloud security group / firewall between them" +
                         (checkFailed(d, "underlay.ping") ? "" : " (plain pings between the nodes work)")));
        return;
    }
    case HopPlace::Pod: return;
    }
}

// Why did the first failing hop fail, when no check has said so already?
void explainHop(Diagnosis &d, const ExplainInput &in, HopId hop)
{
    const WireFacts &w = in.judgement.wire;
    const std::string client = nodeName(d.client), server = nodeName(d.server);
    const std::string key(hopInfo(hop).key);      // what the finding blames (the JSON's id)
    const std::string where(hopInfo(hop).title);  // what its message says
    const bool mtuHere = w.smallestLostAt == hop && w.largestDelivered && w.smallestLost &&
                         *w.smallestLost > *w.largestDelivered;
    auto mtuFinding = [&]() {
        if (hasFinding(d, kMtuTooSmall)) {
            lead(d, {"tunnel.client", "tunnel.server"});
            return;
        }
        // The loss of the full-size probe is this hop's explanation, not a config warning.
        // Evidence: both sizes leaving the hop before, then only the small ones arriving here.
        std::vector<std::string> evidence;
        const std::vector<std::string> before = hopEvidence(d, hop), here = d.hop(hop).evidence;
        evidence.insert(evidence.end(), before.begin(), before.begin() + std::ptrdiff_t(std::min<std::size_t>(4, before.size())));
        evidence.insert(evidence.end(), here.begin(), here.begin() + std::ptrdiff_t(std::min<std::size_t>(2, here.size())));
        const bool atSender = startsDirection(hop);
        const NodeFacts &sender = hop == HopId::RequestClientTunnel ? d.client : d.server;
        const NodeFacts &receiver = hop == HopId::RequestClientTunnel ? d.server : d.client;
        const parse::PingLocalError *refused = hop == HopId::RequestClientTunnel ? refusedAsTooLong(in.fullSizeProbe) : nullptr;
        if (refused)
            evidence.push_back("ping: " + refused->text);
        Finding f = makeFinding(
            kMtuTooSmall, key,
            atSender ? "Echoes of " + std::to_string(*w.largestDelivered) + " bytes leave, but the full-size probe of " +
                           std::to_string(*w.smallestLost) + " bytes (DF set) is not seen even at " + where + ": " +
                           neverLeft(sender, refused)
                     : "Echoes of " + std::to_string(*w.largestDelivered) + " bytes cross, but the full-size probe of " +
                           std::to_string(*w.smallestLost) + " bytes (DF set) is lost at " + where +
                           ": the path cannot carry full-size packets once encapsulated",
            evidence,
            atSender ? "On " + nodeName(sender) + ": " + routeGet(receiver.tunnelIp) +
                           " shows the route's mtu or a learned one ('cache expires ... mtu'); ip route flush cache "
                           "forgets a learned one; " + rulesWithCounters(sender) + " | grep -e length finds a rule on the size"
                     : "Compare the tunnel MTU with the underlay MTU on both nodes (ip link) and the MTU of the network "
                       "between them; set Calico's MTU to the underlay MTU minus " +
                           std::string(d.mode == Encapsulation::Vxlan ? "50 (VXLAN)" : "20 (IPIP)"));
        f.severity = Severity::Critical;
        leadWith(d, std::move(f));
    };
    if (mtuHere) {
        mtuFinding();
        return;
    }
    // Only the pod's own echoes were lost here (the nodes' pings passed, or this is a
    // pod's end): the pods' policies or the pods themselves explain it, when a check said so.
    const HopVerdict &verdict = d.hop(hop);
    const bool podLossOnly = d.pods && std::all_of(verdict.streams.begin(), verdict.streams.end(), [](const StreamAtHop &s) {
        return s.lostHere == 0 || s.stream == kPodStream;
    });
    // Only the IPv6 burst was lost here: the IPv6 tables explain it, not the IPv4 ones.
    const bool ipv6LossOnly = std::any_of(verdict.streams.begin(), verdict.streams.end(),
                                          [](const StreamAtHop &s) { return s.lostHere > 0; }) &&
                              std::all_of(verdict.streams.begin(), verdict.streams.end(), [](const StreamAtHop &s) {
                                  return s.lostHere == 0 || s.stream == kIpv6Stream;
                              });
    if (ipv6LossOnly) {
        explainIpv6Loss(d, hop, hopEvidence(d, hop));
        return;
    }
    if (d.wireguardJudged() && hopInfo(hop).place != HopPlace::Pod && !podLossOnly) {
        explainWireguardHop(d, in, hop);
        return;
    }
    if (podLossOnly) {
        const std::string self = roleName(hopInfo(hop).node), other = hopInfo(hop).node == NodeRole::Client ? "server" : "client";
        if (lead(d, {"policy." + self, "pod." + self, "policy." + other, "pod." + other, "pod.ping"}) || isPodHop(hop))
            return;
    }
    switch (hop) {
    case HopId::RequestClientTunnel:
        // A missing tunnel takes its routes with it: name the tunnel first.
        if (lead(d, {"tunnel.client", "route.client", "iptables.client"}))
            return;
        if (w.requestLeftPlainOnUnderlay && !hasFinding(d, kRouteWrongDevice)) {
            leadWith(d, makeFinding(kRouteWrongDevice, key,
                         client + " sends the echo to " + ipText(d.server.tunnelIp) +
                             " out of its underlay, unencapsulated, instead of through " + tunnelOf(d.client),
                         w.strayEvidence, "On " + client + ": " + routeGet(d.server.tunnelIp)));
            return;
        }
        leadWith(d, makeFinding(kEchoNotSent, key,
                     client + " never put the echo on " + (d.client.tunnelDevice.empty() ? std::string("its tunnel device") : "its tunnel device " + d.client.tunnelDevice),
                     d.check("tunnel.ping") ? d.check("tunnel.ping")->evidence : std::vector<std::string>{},
                     "On " + client + ": " + routeGet(d.server.tunnelIp, d.client.tunnelIp) +
                         "; check OUTPUT rules (" + rulesWithCounters(d.client) + ")"));
        return;
    case HopId::RequestClientEgress:
    case HopId::ReplyServerEgress: {
        const bool request = hop == HopId::RequestClientEgress;
        const NodeFacts &self = request ? d.client : d.server;
        const NodeFacts &peer = request ? d.server : d.client;
        const std::set<Ipv4> &wrong = request ? w.requestWrongOuterDst : w.replyWrongOuterDst;
        if (lead(d, {request ? "route.client" : "route.server"}))
            return;
        if (!wrong.empty()) {
            leadWith(d, makeFinding(kRouteWrongGateway, key,
                         nodeName(self) + " encapsulates the " + (request ? "echo request" : "echo reply") + " to " +
                             join(wrong) + " instead of the peer node " + ipText(peer.nodeIp),
                         w.strayEvidence,
                         "On " + nodeName(self) + ": " + routeGet(peer.tunnelIp) +
                             "; the route's gateway must be the peer's node IP"));
            return;
        }
        if (lead(d, {request ? "tunnel.client" : "tunnel.server", request ? "iptables.client" : "iptables.server"}))
            return;
        leadWith(d, makeFinding(request ? kTunnelNotEncapsulating : kReplyNotEncapsulated, key,
                     "the " + std::string(request ? "echo request" : "echo reply") + " reached " + tunnelOf(self) +
                         " on " + nodeName(self) + " but never left its underlay encapsulated",
                     hopEvidence(d, hop),
                     "On " + nodeName(self) + ": " + linkShow(self) + "; " + routeGet(peer.tunnelIp) +
                         "; check OUTPUT/POSTROUTING drops"));
        return;
    }
    case HopId::RequestServerIngress:
    case HopId::ReplyClientIngress: {
        const bool request = hop == HopId::RequestServerIngress;
        const NodeFacts &from = request ? d.client : d.server;
        const NodeFacts &to = request ? d.server : d.client;
        // Between subnets the router is on the path: named where the engineer looks next.
        const std::string router = from.underlayGateway ? " (through the router " + from.underlayGateway->toString() + ")" : "";
        if (checkFailed(d, "underlay.ping") && request) {
            leadWith(d, makeFinding(kNodeUnreachable, "underlay.ping",
                         nodeName(to) + " (" + ipText(to.nodeIp) + ") does not answer plain pings from " +
                             nodeName(from) + ": the nodes cannot reach each other on the underlay" + router,
                         d.check("underlay.ping")->evidence,
                         "Check the network between the nodes first (routes, security groups, the node being up" +
                             std::string(from.underlayGateway ? ", the router between their subnets" : "") +
                             "): the overlay cannot work without it"));
            return;
        }
        // Unencapsulated, a packet goes where its sender's route sends it: a route that
        // failed its check (missing: the default route; a gateway that does not answer)
        // sent it elsewhere. Else the network between the nodes does not carry pod addresses.
        if (!tunnelled(d.mode)) {
            // A BGP session down explains the routes missing on both sides: the block the
            // sender lacks was never passed on because its owner's session is down.
            const std::string sender = request ? "route.client" : "route.server";
            auto downAt = [&](const std::string &check) {
                return std::any_of(d.findings.begin(), d.findings.end(),
                                   [&](const Finding &f) { return f.blames == check && hasCode(f, kBgpSessionDown); });
            };
            const std::string other = request ? "route.server" : "route.client";
            if (checkFailed(d, sender) && !downAt(sender) && downAt(other) && lead(d, {other}))
                return;
            if (lead(d, {sender}))
                return;
            const NodeFacts &target = request ? d.server : d.client;
            const bool vxlan = d.mode == Encapsulation::VxlanCrossSubnetDirect;
            const std::string sentTo = target.tunnelIp ? target.tunnelIp->toString()
                                       : d.pods        ? (request ? d.pods->server.ip : d.pods->client.ip)
                                                       : ipText(target.tunnelIp);
            leadWith(d, makeFinding(kUnderlayDropsPodAddresses, key,
                         "The " + std::string(request ? "request" : "reply") + " left " + nodeName(from) +
                             " unencapsulated, with addresses of the pod range, but never arrived on " + nodeName(to) +
                             ": the network between the nodes does not carry them (a router that does not know the "
                             "block, a cloud network's source/destination check, a firewall)",
                         hopEvidence(d, hop),
                         // CrossSubnet sends them straight to a peer of the same subnet (Felix's
                         // route, no router, no BGP); without encapsulation BGP spreads the blocks.
                         crossSubnetDirect(d.mode)
                             ? "On " + nodeName(from) + ": ip route get " + sentTo + " (" +
                                   (vxlan ? "Felix" : "Calico") +
                                   " routes the block straight to " + nodeName(to) + ", " +
                                   (vxlan ? "VXLAN" : "IPIP") +
                                   " CrossSubnet between nodes of one subnet); the network must carry pod "
                                   "addresses between them: in a cloud, turn the nodes' source/destination check off, "
                                   "or set the IP pool's " +
                                   (vxlan ? "vxlanMode" : "ipipMode") + " to Always"
                             : "On " + nodeName(from) + ": ip route get " + sentTo +
                                   " names the next hop; on that router, its route to the block (learned from " +
                                   nodeName(to) + " by BGP); in a cloud, the nodes' source/destination check must be off"));
            return;
        }
        const std::string proto = d.mode == Encapsulation::Vxlan ? "VXLAN (UDP " + std::to_string(in.vxlanPort) + ")"
                                                                 : "IP-in-IP (IP protocol 4)";
        leadWith(d, makeFinding(kUnderlayDropsEncapsulation, key,
                     "The encapsulated " + std::string(request ? "request" : "reply") + " left " + nodeName(from) +
                         " for " + ipText(to.nodeIp) + " but never arrived: the network between the nodes" + router +
                         " drops " + proto,
                     hopEvidence(d, hop),
                     "Allow " + proto + " between the nodes' addresses in the cloud security group / firewall "
                     "between them" + (from.underlayGateway ? " and on the router " + from.underlayGateway->toString() : "") +
                         (checkFailed(d, "underlay.ping") ? "" : " (plain pings between the nodes work)")));
        return;
    }
    case HopId::RequestServerTunnel:
    case HopId::ReplyClientTunnel: {
        const bool request = hop == HopId::RequestServerTunnel;
        const std::string side = request ? "server" : "client";
        if (lead(d, {"ipset." + side, "iptables." + side, "tunnel." + side}))
            return;
        const NodeFacts &self = request ? d.server : d.client;
        leadWith(d, makeFinding(kTunnelNotDecapsulating, key,
                     "The encapsulated " + std::string(request ? "request" : "reply") + " reached " + nodeName(self) +
                         " but never came out of " + (self.tunnelDevice.empty() ? std::string("its tunnel device") : "its tunnel device " + self.tunnelDevice),
                     hopEvidence(d, hop),
                     "On " + nodeName(self) + ": " + linkShow(self) +
                         "; " + rulesWithCounters(self) + " | grep -i drop; check rp_filter on the tunnel device"));
        return;
    }
    case HopId::ReplyServerTunnel:
        // No route back: the kernel drops the request on its reverse-path check and
        // never answers (or answers out of the wrong device).
        if (lead(d, {"route.server", "iptables.server"}))
            return;
        leadWith(d, makeFinding(kNoReplyGenerated, key,
                     nodeName(d.server) + " received the echo request on " + tunnelOf(d.server) +
                         " but sent no reply",
                     hopEvidence(d, hop),
                     "On " + nodeName(d.server) + ": sysctl net.ipv4.icmp_echo_ignore_all " +
                         rpFilterOf(d.server) + "; " + rulesWithCounters(d.server) + " (INPUT drops of ICMP)"));
        return;
    case HopId::RequestClientPod:
    case HopId::RequestServerPod:
    case HopId::ReplyServerPod:
    case HopId::ReplyClientPod:
        // Only the pod's echoes cross a pod's end: answered above, by the pods' checks.
        return;
    }
}

int findingRank(const Finding &f) { return -int(f.severity); }

} // namespace

void explain(Diagnosis &d, const ExplainInput &in)
{
    d.checks.insert(d.checks.begin(), fullSizeCheck(d, in));
    // A pass without the full-size probe is a pass on small packets only: said, not hidden
    // in the check's detail (an MTU fault would go unseen on such a node).
    if (in.fullSizeProbe.refusedOptions)
        d.findings.push_back(makeFinding(kFullSizeNotTested, "tunnel.full-size",
                                         "Full-size packets were not tested, so a pass holds for small packets only: " +
                                             in.fullSizeProbe.problem,
                                         {},
                                         "On " + nodeName(d.client) + " with iputils-ping: ping -M do -s " +
                                             std::to_string(std::max(int(in.fullSizeLength) - 28, 1)) + " " +
                                             ipText(d.server.tunnelIp)));
    // Without encapsulation the burst goes from the client node to the server pod (no node
    // holds an address in the pod range).
    const auto target = d.burstTarget();
    const std::string burstTarget =
        !target              ? std::string("Ping the server's tunnel address (not known)")
        : d.server.tunnelIp ? "Ping " + *target + (d.client.tunnelIp ? " from " + d.client.tunnelIp->toString() : "")
                             : "Ping the server pod " + *target + " from the client node";
    d.checks.insert(d.checks.begin(), pingCheck("tunnel.ping", in.tunnelPing, burstTarget));
    d.checks.insert(d.checks.begin(), pingCheck("underlay.ping", in.underlayPing, "Ping " + ipText(d.server.nodeIp)));
    d.hops = in.judgement.hops;
    d.podHops = in.judgement.podHops;
    d.firstFailingHop = in.judgement.firstFailing;

    // Severity order first (stable: checks keep their path order), then the
    // explanation of the first failing hop goes in front of everything.
    std::stable_sort(d.findings.begin(), d.findings.end(),
                     [](const Finding &a, const Finding &b) { return findingRank(a) < findingRank(b); });
    // The kernel refuses a gateway route without onlink ("Nexthop has invalid
    // gateway"): on the node it is simply missing; the routing daemon's log says why.
    for (auto &f : d.findings) {
        if (!hasCode(f, kRouteMissing))
            continue;
        const std::string logs = "logs." + f.blames.substr(f.blames.find('.') + 1);
        if (const CheckResult *c = d.check(logs))
            for (const auto &line : c->evidence)
                if (line.find("invalid gateway") != std::string::npos) {
                    f.code = kRouteNotOnlink.name();
                    f.message += "; the routing daemon's attempt to add it without 'onlink' was refused by the kernel";
                    f.evidence.push_back(line);
                    f.nextStep = "The route must be added with 'onlink' (the gateway is not on the tunnel's subnet); "
                                 "check the Calico version and whoever programs routes on the node";
                    break;
                }
    }
    if (d.firstFailingHop)
        explainHop(d, in, *d.firstFailingHop);
    sessionCauseFirst(d.findings);
    // The pod's echoes lost where the nodes' own were lost too are the path's loss, and the
    // critical finding about the path (a route, the network) is their explanation: "no
    // policy chain counted them dropped" beside it would send the reader to the pods.
    // (Lost: a hop failed. Skipped tunnel hops on a path without tunnel lose nothing.)
    const bool pathExplained = d.firstFailingHop && std::any_of(d.findings.begin(), d.findings.end(), [](const Finding &f) {
                                   return f.severity == Severity::Critical;
                               });
    if (pathExplained)
        std::erase_if(d.findings, [](const Finding &f) { return hasCode(f, kPodPingLost); });

    const bool seriousFinding = std::any_of(d.findings.begin(), d.findings.end(),
                                            [](const Finding &f) { return f.severity >= Severity::Error; });
    d.verdict = d.firstFailingHop || seriousFinding ? Verdict::Fail : Verdict::Pass;
}

void requireEvidence(Diagnosis &d)
{
    if (d.verdict != Verdict::Pass)
        return;
    std::vector<const HopVerdict *> without;
    const std::vector<HopId> path = d.path();
    for (const HopId id : path)
        if (const HopVerdict &h = d.hop(id); h.status != Status::Pass && h.status != Status::Skipped)
            without.push_back(&h);
    if (without.empty())
        return;
    d.verdict = Verdict::Incomplete;
    std::string names;
    for (const HopVerdict *h : without)
        names += (names.empty() ? "" : ", ") + std::string(hopInfo(h->id).title);
    const bool notYet = std::all_of(without.begin(), without.end(),
                                    [](const HopVerdict *h) { return h->explanation == kNotCapturedYet; });
    // The hop says "No evidence: the server's capture did not run (...)."; after "no
    // evidence at N hops:" only the reason reads.
    std::string why = without.front()->explanation;
    if (constexpr std::string_view lead = "No evidence: "; why.starts_with(lead))
        why.erase(0, lead.size());
    else
        why = sentenceTail(std::move(why));
    const std::string all = std::to_string(path.size());
    d.error = (without.size() == path.size() ? "No evidence at any of the " + all + " hops"
                                             : "No evidence at " + std::to_string(without.size()) + " of " + all + " hops (" +
                                                   names + ")") +
              ": " +
              (notYet ? std::string("the steps that watch the packets (the request's and the reply's path) have not run yet")
                      : why);
}

} // namespace podpath::diagnose

namespace podpath::diagnose {

void noteNodeStoppedAnswering(Diagnosis &d, NodeRole role, const std::string &why)
{
    const NodeFacts &facts = role == NodeRole::Client ? d.client : d.server;
    const std::string who = nodeName(facts);
    const std::string suffix = std::string(".") + roleName(role);
    std::string unread;
    for (const auto &c : d.checks)
        if (c.id.ends_with(suffix) && c.status == Status::Unknown)
            unread += (unread.empty() ? "" : ", ") + checkTitle(c.id);
    std::string message = who + " stopped answering during the run: " + why;
    if (!unread.empty())
        message += "; no evidence for: " + unread;
    d.findings.push_back(makeFinding(kNodeStoppedAnswering, "node." + std::string(roleName(role)), message, {why},
                                     "Check that " + who + " is up and that SSH to it still works (a firewall on "
                                     "the node or on the path dropping SSH, the node overloaded), then diagnose again"));
    if (d.verdict == Verdict::Pass) {
        d.verdict = Verdict::Incomplete;
        d.error = message;
    } else if (d.verdict == Verdict::Incomplete || d.verdict == Verdict::Error) {
        d.error = message + ". " + d.error;
    }
}

} // namespace podpath::diagnose
