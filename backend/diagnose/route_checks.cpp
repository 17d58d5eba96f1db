#include "route_checks.h"

#include "bgp_evidence.h"
#include "finding_codes.h"
#include "sentence.h"
#include "topology.h"

#include "parse/text.h"

#include <algorithm>

namespace podpath::diagnose {

namespace {

// Lines of the node's tables the parsers skipped as unreadable. The route, neighbour or
// device a check looks for may be on such a line, so a check built on a table with
// skipped lines says so, whatever its verdict: the lines go to the evidence (as the
// firewall check shows its skipped rules) and a count to the detail.
struct SkippedLines {
    std::vector<std::string> evidence;
    std::vector<std::string> counts;  // "1 line of ip route"
    std::size_t total = 0;

    void add(std::string_view source, const std::vector<Error> &unreadable)
    {
        if (unreadable.empty())
            return;
        for (const auto &e : unreadable)
            if (evidence.size() < 8)
                evidence.push_back("skipped line " + std::to_string(e.line) + " of " + std::string(source) + ": " +
                                   e.message + (e.context.empty() ? "" : ": " + e.context));
        counts.push_back(counted(unreadable.size(), "line") + " of " + std::string(source));
        total += unreadable.size();
    }

    // " (1 line of ip route output could not be read and was skipped: see the evidence)"
    std::string note() const
    {
        if (counts.empty())
            return {};
        return " (" + text::listed(counts) + " output could not be read and " + (total == 1 ? "was" : "were") +
               " skipped: see the evidence)";
    }

    void addTo(CheckResult &c) const
    {
        c.detail += note();
        c.evidence.insert(c.evidence.end(), evidence.begin(), evidence.end());
    }
};

} // namespace

int encapsulationOverhead(Encapsulation mode)
{
    switch (mode) {
    case Encapsulation::IpIp: return 20;
    case Encapsulation::Vxlan: return 50;
    default: return 0;
    }
}

namespace {

template <class RouteT>
std::string anyRouteLine(const RouteT &r)
{
    std::string out;
    if (r.type != parse::RouteType::Unicast)
        out += std::string(parse::toString(r.type)) + " ";
    out += r.destination.length() == 0 ? "default" : r.destination.toString();
    if (r.gateway)
        out += " via " + r.gateway->toString();
    if (!r.device.empty())
        out += " dev " + r.device;
    if (r.protocol)
        out += " proto " + *r.protocol;
    if (!r.scope.empty())
        out += " scope " + r.scope;
    if (r.source)
        out += " src " + r.source->toString();
    for (const auto &f : r.flags)
        out += " " + f;
    return out;
}

} // namespace

std::string routeLine(const parse::Route &r) { return anyRouteLine(r); }
std::string routeLine(const parse::Route6 &r) { return anyRouteLine(r); }

namespace {

// The parts of the route to the peer's block that the mode decides: a pair that is not
// encapsulated leaves by the underlay device without onlink; VXLAN goes via the peer's
// VXLAN address, everything else via its node address. Empty or unset where not read.
struct WantedRoute {
    bool direct = false;
    std::optional<Ipv4> gateway;
    std::string device;
};

// This node's route to the peer node itself, over the underlay.
const parse::Route *routeToPeerNode(const NodePair &p)
{
    return p.peer.nodeIp ? p.node.routes.routeFor(*p.peer.nodeIp) : nullptr;
}

WantedRoute wantedRoute(Encapsulation mode, const NodePair &p)
{
    WantedRoute w;
    w.direct = !tunnelled(mode);
    w.gateway = mode == Encapsulation::Vxlan ? p.peer.tunnelIp : p.peer.nodeIp;
    w.device = p.self.tunnelDevice;
    if (w.direct) {
        // The device the node reaches its peer by (a fabric card need not be the one SSH
        // came in on).
        const parse::Route *toPeer = routeToPeerNode(p);
        w.device = toPeer && !toPeer->device.empty() ? toPeer->device : p.self.underlayDevice;
    }
    return w;
}

// Not encapsulated, the block may go via a router rather than the peer: a fabric that
// learns the blocks by BGP (top-of-rack peering), a route reflector with next-hop-self.
// Such a gateway is right when the node reaches the peer itself through it too, or when it
// answers on the link; one that does not answer is a stale route.
enum class RouterGateway { Carries, Silent, NotKnown };
RouterGateway routerGateway(const NodePair &p, const parse::Route &r, std::string &why)
{
    const std::string gw = r.gateway->toString();
    if (const parse::Route *toPeer = routeToPeerNode(p); toPeer && toPeer->gateway == r.gateway) {
        why = "the peer node " + p.peer.nodeIp->toString() + " is reached through the router " + gw + " too";
        return RouterGateway::Carries;
    }
    for (const auto &n : p.node.neighbours) {
        if (n.ipv4 != r.gateway || (!n.device.empty() && n.device != r.device))
            continue;
        const bool failed = std::any_of(n.states.begin(), n.states.end(),
                                        [](const std::string &st) { return st == "FAILED" || st == "INCOMPLETE"; });
        if (failed || n.lladdr.empty()) {
            why = gw + " does not answer on " + r.device + " (neighbour " + (n.states.empty() ? "unresolved" : n.states.front()) + ")";
            return RouterGateway::Silent;
        }
        why = gw + " is not the peer node but a router that answers on " + r.device + " (lladdr " + n.lladdr +
              ") and carries the block on";
        return RouterGateway::Carries;
    }
    why = gw + " is not the peer node " + p.peer.nodeIp->toString() + ", and it is not in " + nodeName(p.self) +
          "'s neighbour table, so whether a router answers there is not known";
    return RouterGateway::NotKnown;
}

} // namespace

std::string expectedRoute(Encapsulation mode, const NodePair &p)
{
    // No protocol: BIRD programs IPIP routes (proto bird) and, from Calico 3.33, Felix does
    // (proto 80).
    const WantedRoute wanted = wantedRoute(mode, p);
    const bool direct = wanted.direct;
    const std::optional<Ipv4> &gateway = wanted.gateway;
    const std::string &device = wanted.device;
    if (p.peer.podBlock && gateway && !device.empty())
        return p.peer.podBlock->toString() + " via " + gateway->toString() + " dev " + device + (direct ? "" : " onlink");
    // A part not read is said in words, outside the `ip route` line: "dev the tunnel
    // device" would read as a device of that name.
    const std::string block = p.peer.podBlock ? p.peer.podBlock->toString()
                              : p.peerTarget ? "the peer's pod block (the one holding " + p.peerTarget->toString() + ")"
                                             : "the peer's pod block";
    const std::string via = gateway ? gateway->toString()
                            : mode == Encapsulation::Vxlan ? "the peer's VXLAN address"
                                                           : "the peer's node address";
    const std::string out = !device.empty() ? " dev " + device
                            : direct        ? " out of the underlay device"
                                            : " through the tunnel device";
    // Unencapsulated, a router that learned the block by BGP is as right as the peer.
    return "a route to " + block + " via " + via + (direct && gateway ? " (or a router that carries the block)" : "") +
           out + (direct ? "" : ", onlink");
}

CheckResult checkRoute(Encapsulation mode, const NodePair &p, std::vector<Finding> &findings)
{
    CheckResult c;
    c.id = std::string("route.") + roleName(p.role);
    const std::string who = nodeName(p.self);
    const std::string blames = c.id;
    if (!p.peerTarget) {
        c.status = Status::Unknown;
        c.detail = "The peer's tunnel address is not known, so its route cannot be checked";
        return c;
    }
    if (!p.node.routesProblem.empty()) {
        c.status = Status::Unknown;
        c.detail = who + "'s routing table could not be read: " + p.node.routesProblem;
        return c;
    }
    SkippedLines skipped;
    skipped.add("ip route", p.node.routes.unreadable);
    const parse::Route *r = p.node.routes.routeFor(*p.peerTarget);
    const WantedRoute wanted = wantedRoute(mode, p);
    const bool direct = wanted.direct;
    const std::optional<Ipv4> &wantGateway = wanted.gateway;
    const std::string &wantDevice = wanted.device;
    const std::string want = expectedRoute(mode, p);
    if (r)
        c.evidence.push_back(routeLine(*r));

    auto fail = [&](FindingCode code, std::string message, std::string next) {
        // "Missing" read from a table with skipped lines is not known: the entry may be
        // on one of them, and a false critical on a healthy node is the worst answer. A
        // session BIRD logged down is certain; the route it would have brought is not.
        const bool absence = code == kRouteMissing || code == kBgpSessionDown || code == kVxlanNeighbourMissing ||
                             code == kVxlanFdbMissing;
        c.status = absence && skipped.total > 0 ? Status::Unknown : Status::Fail;
        c.detail = c.status == Status::Fail ? message : "Among the lines that could be read, " + message;
        skipped.addTo(c);
        if (c.status == Status::Fail)
            findings.push_back(makeFinding(code, blames, c.detail, c.evidence, std::move(next)));
        return c;
    };
    // Who programs the node's cluster routes shows in its own block's blackhole: BIRD's
    // (proto bird) or Felix's (proto 80: VXLAN's, and IPIP's from Calico 3.33).
    const parse::Route *own = ownBlockRoute(p.node, p.self);
    if (own && !programmedByCalico(*own))
        own = nullptr;  // an administrator's blackhole says nothing of who programs routes
    // IPIP in CrossSubnet mode routes a same-subnet peer's block as plain BGP does.
    const bool ipip = mode == Encapsulation::IpIp || mode == Encapsulation::IpipCrossSubnetDirect;
    const bool bgpOnly = mode == Encapsulation::None || mode == Encapsulation::IpipCrossSubnetDirect;
    const bool birdsRoutes = own ? *own->protocol == "bird" : mode == Encapsulation::None;
    const std::string programmer = own ? (birdsRoutes ? "BIRD" : "Felix")
                                   : ipip                        ? "BIRD (Felix from Calico 3.33)"
                                   : mode == Encapsulation::None ? "BIRD"
                                                                 : "Felix";
    const std::string redo =
        "On " + who + ": ip route get " + p.peerTarget->toString() +
        (bgpOnly && birdsRoutes
             ? "; Calico's BIRD learns this route over BGP (from the peer, a route reflector or the fabric's routers): "
               "check calico-node on " + who + " (birdcl show protocols) and its logs"
             : "; calico-node's " + programmer + " programs this route: check calico-node on " + who + " and its logs");
    if (!r || r->destination.length() == 0 || r->type != parse::RouteType::Unicast) {
        const std::string missing = who + " has no route to " +
                                    (p.peer.tunnelIp == p.peerTarget ? "the peer's tunnel address " + p.peerTarget->toString()
                                                                     : p.peerTarget->toString() + ", an address in the peer's pod block") +
                                    (r ? " (only: " + routeLine(*r) + ")" : "") + "; expected " + want;
        // BIRD programs this route without encapsulation, and for IPIP where the node's own
        // block is BIRD's (before Calico 3.33; from 3.33 Felix programs IPIP routes, proto
        // 80, as it does VXLAN's): its log may say why it is gone.
        std::optional<BgpAccount> bgp;
        if (p.bgp && birdsRoutes && (mode == Encapsulation::None || ipip))
            bgp = accountForMissingRoute(*p.bgp, p.self, p.peer);
        if (!bgp)
            return fail(kRouteMissing, missing, redo);
        c.evidence.insert(c.evidence.end(), bgp->evidence.begin(), bgp->evidence.end());
        const std::string birdcl = "; on " + who + ": birdcl show protocols all (inside calico-node)";
        if (bgp->sessionDown && bgp->closedHere)
            return fail(kBgpSessionDown, missing + ". " + bgp->sentence,
                        "The session is shut down on " + who + " itself: its BIRD configuration (what calico-node's confd "
                        "writes from the BGPConfiguration, BGPPeers and the node-to-node mesh setting) or an operator's "
                        "'birdcl disable'" + birdcl);
        if (bgp->sessionDown)
            return fail(kBgpSessionDown, missing + ". " + bgp->sentence,
                        "Bring the BGP session back: TCP port 179 between the two ends, the peer's calico-node "
                        "(its BIRD), its BGPPeer or node-to-node mesh configuration" + birdcl);
        return fail(kRouteMissing, missing + ". " + bgp->sentence, redo);
    }

    if (!wantDevice.empty() && r->device != wantDevice)
        return fail(kRouteWrongDevice,
                    who + " routes " + p.peerTarget->toString() + " out of " + r->device + " instead of " + wantDevice +
                        (direct ? ": this pair is not encapsulated, so its packets leave by the underlay device"
                                : ": packets skip the tunnel") +
                        " (expected " + want + ")",
                    redo);
    if (direct && wantGateway && r->gateway && r->gateway != wantGateway) {
        std::string why;
        switch (routerGateway(p, *r, why)) {
        case RouterGateway::Carries:
            c.status = Status::Pass;
            c.detail = routeLine(*r) + "; " + why;
            skipped.addTo(c);
            return c;
        case RouterGateway::NotKnown:
            c.status = Status::Unknown;
            c.detail = routeLine(*r) + ": " + why + "; the echoes say whether packets get through";
            skipped.addTo(c);
            return c;
        case RouterGateway::Silent:
            return fail(kRouteWrongGateway,
                        who + " sends the peer's block via " + ipText(r->gateway) + ", but " + why + "; expected " +
                            want + ", or via a router that answers",
                        redo + "; a stale route after a node's address changed looks like this");
        }
    }
    if (wantGateway && r->gateway != wantGateway)
        return fail(kRouteWrongGateway,
                    who + " sends the peer's block via " + ipText(r->gateway) + ", but the peer is " +
                        ipText(wantGateway) + " (expected " + want + ")",
                    redo + "; a stale route after a node's address changed looks like this");
    if (!direct && !r->hasFlag("onlink"))
        return fail(kRouteNotOnlink,
                    who + "'s route to the peer's block lacks 'onlink' (expected " + want +
                        "): the kernel will not use a gateway outside the tunnel's subnet",
                    redo);

    // The route is right, but what it relies on could not be read: unknown, never "missing".
    auto unread = [&](const std::string &why) {
        c.status = Status::Unknown;
        c.detail = routeLine(*r) + "; " + why;
        skipped.addTo(c);
        return c;
    };
    if (mode == Encapsulation::Vxlan && !p.node.neighboursProblem.empty())
        return unread(p.node.neighboursProblem);
    if (mode == Encapsulation::Vxlan) {
        skipped.add("ip neigh", p.node.neighboursUnreadable);
        skipped.add("bridge fdb", p.node.fdbUnreadable);
        // Felix programs a permanent neighbour for the peer's VTEP and an FDB entry that
        // sends the VTEP's MAC to the peer node: without them the VXLAN device cannot
        // address the outer packet.
        auto n = std::find_if(p.node.neighbours.begin(), p.node.neighbours.end(), [&](const parse::Neighbour &x) {
            return x.ipv4 == wantGateway && (x.device.empty() || x.device == p.self.tunnelDevice) && !x.lladdr.empty();
        });
        if (n == p.node.neighbours.end())
            return fail(kVxlanNeighbourMissing,
                        who + " has no neighbour entry for the peer's VTEP " + ipText(wantGateway) + " on " +
                            p.self.tunnelDevice,
                        "On " + who + ": ip neigh show dev " + p.self.tunnelDevice + "; Felix programs it, check its log");
        c.evidence.push_back(n->address + " dev " + p.self.tunnelDevice + " lladdr " + n->lladdr + " " +
                             (n->states.empty() ? "" : n->states.front()));
        // A node without `bridge` (BusyBox): the neighbour is judged, the forwarding entry not.
        if (!p.node.fdbProblem.empty())
            return unread("the peer's VTEP neighbour is there, but its forwarding entry could not be checked: " +
                          p.node.fdbProblem);
        auto f = std::find_if(p.node.fdb.begin(), p.node.fdb.end(), [&](const parse::FdbEntry &x) {
            return x.mac == n->lladdr && (x.device.empty() || x.device == p.self.tunnelDevice);
        });
        if (f == p.node.fdb.end())
            return fail(kVxlanFdbMissing,
                        who + " has no forwarding entry for the peer's VTEP MAC " + n->lladdr,
                        "On " + who + ": bridge fdb show dev " + p.self.tunnelDevice + "; Felix programs it");
        c.evidence.push_back(f->mac + " dev " + p.self.tunnelDevice + " dst " + f->dst + " " + f->state);
        if (p.peer.nodeIp && f->dstIpv4 != p.peer.nodeIp)
            return fail(kVxlanFdbStale,
                        who + " sends the peer's VTEP traffic to " + f->dst + ", but the peer node is " +
                            p.peer.nodeIp->toString(),
                        "On " + who + ": bridge fdb show dev " + p.self.tunnelDevice + "; a stale entry after an address change");
    }
    c.status = Status::Pass;
    c.detail = routeLine(*r);
    if (mode == Encapsulation::IpIp && r->protocol && *r->protocol != "bird" && *r->protocol != "80")
        c.detail += " (proto " + *r->protocol + ": not programmed by Calico's BIRD or Felix)";
    skipped.addTo(c);
    return c;
}

CheckResult checkTunnel(Encapsulation mode, const NodePair &p, std::vector<Finding> &findings)
{
    CheckResult c;
    c.id = std::string("tunnel.") + roleName(p.role);
    const std::string who = nodeName(p.self);
    if (!tunnelled(mode)) {
        c.status = Status::Skipped;
        c.detail = "no tunnel on this path";
        return c;
    }
    SkippedLines skipped;
    skipped.add("ip addr", p.node.interfacesUnreadable);
    auto fail = [&](FindingCode code, std::string message, std::string next) {
        // As for routes: a device not found among readable lines may be on a skipped one.
        c.status = code == kTunnelMissing && skipped.total > 0 ? Status::Unknown : Status::Fail;
        c.detail = c.status == Status::Fail ? message : "Among the lines that could be read, " + message;
        skipped.addTo(c);
        if (c.status == Status::Fail)
            findings.push_back(makeFinding(code, c.id, c.detail, c.evidence, std::move(next)));
        return c;
    };
    if (p.self.tunnelDevice.empty())
        return fail(kTunnelMissing,
                    who + " has no Calico tunnel device (" + (mode == Encapsulation::Vxlan ? "vxlan.calico" : "tunl0") +
                        " or another ipip/vxlan device routing other nodes' blocks)",
                    "On " + who + ": ip -d link; calico-node creates it at start: check that calico-node runs there");
    const parse::Interface *dev = parse::findInterface(p.node.interfaces, p.self.tunnelDevice);
    if (dev) {
        std::string line = dev->name + ": <";
        for (std::size_t i = 0; i < dev->flags.size(); ++i)
            line += (i ? "," : "") + dev->flags[i];
        line += "> mtu " + std::to_string(dev->mtu.value_or(0)) + " state " + dev->operState;
        for (const auto &a : dev->ipv4)
            line += " inet " + a.address.toString();
        c.evidence.push_back(line);
    }
    if (!p.self.tunnelUp)
        return fail(kTunnelDown, who + "'s tunnel device " + p.self.tunnelDevice + " is down",
                    "On " + who + ": ip link show " + p.self.tunnelDevice +
                        "; someone set it down, or calico-node failed to bring it up (see its log)");
    if (!p.self.tunnelIp)
        return fail(kTunnelNoAddress, who + "'s tunnel device " + p.self.tunnelDevice + " has no IPv4 address",
                    "On " + who + ": ip addr show dev " + p.self.tunnelDevice +
                        "; Calico assigns it from the node's block (node annotation projectcalico.org/IPv4" +
                        (mode == Encapsulation::Vxlan ? "VXLAN" : "IPIP") + "TunnelAddr)");
    const int overhead = encapsulationOverhead(mode);
    if (p.self.tunnelMtu > 0 && p.self.underlayMtu > 0 && p.self.tunnelMtu + overhead > p.self.underlayMtu)
        return fail(kMtuTooSmall,
                    who + ": tunnel MTU " + std::to_string(p.self.tunnelMtu) + " + " + std::to_string(overhead) +
                        " bytes of encapsulation exceeds the underlay MTU " + std::to_string(p.self.underlayMtu) +
                        " of " + p.self.underlayDevice + ": full-size packets cannot cross",
                    "set Calico's MTU (FelixConfiguration / the installation's mtu) to at most " +
                        std::to_string(p.self.underlayMtu - overhead) + ", or raise the underlay MTU");
    c.status = Status::Pass;
    c.detail = p.self.tunnelDevice + " up, " + p.self.tunnelIp->toString() + ", mtu " + std::to_string(p.self.tunnelMtu);
    skipped.addTo(c);
    return c;
}

} // namespace podpath::diagnose
