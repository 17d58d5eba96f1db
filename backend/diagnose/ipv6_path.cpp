#include "ipv6_path.h"

#include "finding_codes.h"
#include "route_checks.h"

#include <algorithm>
#include <iterator>

namespace podpath::diagnose {

namespace {

std::optional<Ipv6> vtep6(const NodeFacts &f) { return Ipv6::parse(f.ipv6TunnelAddress); }

// Does the node hold this IPv6 address on any device? The FDB entry for the peer's VTEP
// must send to one of the peer's.
bool holds(const NodeSnapshot &node, const Ipv6 &address)
{
    for (const auto &i : node.interfaces)
        for (const Ipv6Prefix &p : i.ipv6Prefixes())
            if (p.address() == address)
                return true;
    return false;
}

} // namespace

std::optional<Ipv6> ipv6EchoTarget(Encapsulation mode, const NodeFacts &client, const NodeFacts &server,
                                   std::string &whyNot)
{
    whyNot.clear();
    if (client.ipv6TunnelDevice.empty() && server.ipv6TunnelDevice.empty())
        return std::nullopt;
    const std::string c = nodeName(client), s = nodeName(server);
    if (client.ipv6TunnelDevice.empty() || server.ipv6TunnelDevice.empty())
        whyNot = "only " + (client.ipv6TunnelDevice.empty() ? s : c) + " has an IPv6 VXLAN device";
    else if (!vtep6(client) || !vtep6(server))
        whyNot = (vtep6(client) ? s : c) + "'s IPv6 VXLAN device has no IPv6 address";
    else if (!tunnelled(mode))
        whyNot = "the IPv4 path between them is not encapsulated, and the IPv6 one is drawn on the same hops";
    if (!whyNot.empty())
        return std::nullopt;
    return vtep6(server);
}

CheckResult checkRoute6(NodeRole role, const NodeSnapshot &node, const NodeFacts &self, const NodeSnapshot &peerNode,
                        const NodeFacts &peer, std::vector<Finding> &findings)
{
    CheckResult c;
    c.id = "route6." + std::string(roleName(role));
    const std::string who = nodeName(self), dev = self.ipv6TunnelDevice;
    const std::optional<Ipv6> want = vtep6(peer);
    if (!want || dev.empty()) {
        c.status = Status::Unknown;
        c.detail = "not a dual-stack pair";
        return c;
    }
    if (!node.routes6Problem.empty()) {
        c.status = Status::Unknown;
        c.detail = node.routes6Problem;
        return c;
    }
    auto fail = [&](FindingCode code, const std::string &message, std::string next) {
        return failCheck(c, findings, code, message, std::move(next));
    };
    const parse::Route6 *r = node.routes.routeFor(*want);
    if (r) {
        c.evidence.push_back(routeLine(*r));
    } else {
        // What the device does route: the other nodes' blocks, or nothing at all.
        c.evidence.push_back("ip -6 route get " + want->toString() + ": no route");
        for (const auto &other : node.routes.routes6)
            if (other.device == dev && c.evidence.size() < 5)
                c.evidence.push_back(routeLine(other));
    }
    const bool right = r && r->type == parse::RouteType::Unicast && r->destination.length() > 0 && r->device == dev;
    if (!right)
        return fail(kIpv6RouteMissing,
                    who + (r ? " routes the peer's IPv6 VTEP " + want->toString() + " by '" + routeLine(*r) + "'"
                             : " has no IPv6 route to the peer's IPv6 VTEP " + want->toString()) +
                        ", not through " + dev,
                    "On " + who + ": ip -6 route get " + want->toString() + "; Felix programs " + nodeName(peer) +
                        "'s IPv6 block via " + want->toString() + " dev " + dev + " onlink: check its log");
    if (!node.neighboursProblem.empty() || !node.fdbProblem.empty()) {
        c.status = Status::Unknown;
        c.detail = routeLine(*r) + "; " + (node.neighboursProblem.empty() ? node.fdbProblem : node.neighboursProblem);
        return c;
    }
    auto n = std::find_if(node.neighbours.begin(), node.neighbours.end(), [&](const parse::Neighbour &x) {
        return x.ipv6 == want && (x.device.empty() || x.device == dev) && !x.lladdr.empty();
    });
    if (n == node.neighbours.end())
        return fail(kIpv6VxlanEntryMissing,
                    who + " has no neighbour entry for the peer's IPv6 VTEP " + want->toString() + " on " + dev,
                    "On " + who + ": ip -6 neigh show dev " + dev + "; Felix programs it, check its log");
    c.evidence.push_back(n->address + " dev " + dev + " lladdr " + n->lladdr + (n->states.empty() ? "" : " " + n->states.front()));
    auto f = std::find_if(node.fdb.begin(), node.fdb.end(), [&](const parse::FdbEntry &x) {
        return x.mac == n->lladdr && (x.device.empty() || x.device == dev);
    });
    if (f == node.fdb.end())
        return fail(kIpv6VxlanEntryMissing, who + " has no forwarding entry on " + dev + " for the peer's IPv6 VTEP MAC " + n->lladdr,
                    "On " + who + ": bridge fdb show dev " + dev + "; Felix programs it");
    c.evidence.push_back(f->mac + " dev " + dev + " dst " + f->dst + (f->state.empty() ? "" : " " + f->state));
    if (!f->dstIpv6 || !holds(peerNode, *f->dstIpv6))
        return fail(kIpv6VxlanEntryMissing,
                    who + " sends the peer's IPv6 VTEP traffic to " + (f->dst.empty() ? std::string("no address") : f->dst) +
                        ", which " + nodeName(peer) + " does not hold",
                    "On " + who + ": bridge fdb show dev " + dev + "; on " + nodeName(peer) +
                        ": ip -6 addr (a stale entry after an address change)");
    c.status = Status::Pass;
    c.detail = routeLine(*r);
    return c;
}

void explainIpv6Loss(Diagnosis &d, HopId hop, std::vector<std::string> evidence)
{
    // The IPv6 echoes' own lines (tcpdump's "IP6"), when the hop before saw any.
    std::vector<std::string> ipv6Lines;
    std::copy_if(evidence.begin(), evidence.end(), std::back_inserter(ipv6Lines),
                 [](const std::string &line) { return line.find(" IP6 ") != std::string::npos; });
    if (!ipv6Lines.empty())
        evidence = std::move(ipv6Lines);
    // A wrong IPv6 table on either node explains it; the one on the hop's node first.
    const std::string self = roleName(hopInfo(hop).node), other = hopInfo(hop).node == NodeRole::Client ? "server" : "client";
    for (const std::string &id : {"route6." + self, "route6." + other})
        if (const CheckResult *c = d.check(id); c && c->status == Status::Fail) {
            auto it = std::find_if(d.findings.begin(), d.findings.end(), [&](const Finding &f) { return f.blames == id; });
            if (it != d.findings.end())
                std::rotate(d.findings.begin(), it, it + 1);
            return;
        }
    const NodeFacts &node = hopInfo(hop).node == NodeRole::Client ? d.client : d.server;
    const std::string where(hopInfo(hop).title);
    d.findings.insert(d.findings.begin(),
                      makeFinding(kIpv6EchoesLost, std::string(hopInfo(hop).key),
                                  "The IPv6 echoes between the nodes' IPv6 VTEPs were lost at " + where +
                                      ", where the IPv4 ones crossed; " + nodeName(node) +
                                      "'s IPv6 routes and VXLAN entries are right",
                                  evidence,
                                  "On " + nodeName(node) + ": ip6tables-save -c (or nft list ruleset) for a rule "
                                  "counting them; between the nodes, a firewall or security group that drops UDP over IPv6"));
}

std::optional<Finding> ipv6NotJudged(const NodeFacts &client, const NodeFacts &server, int vxlanPort,
                                     const std::string &why)
{
    const bool onClient = !client.ipv6TunnelDevice.empty(), onServer = !server.ipv6TunnelDevice.empty();
    if (!onClient && !onServer)
        return std::nullopt;
    const std::string c = nodeName(client), s = nodeName(server);
    const std::string dev = onServer ? server.ipv6TunnelDevice : client.ipv6TunnelDevice;
    const std::string who = onClient && onServer ? c + " and " + s + " are dual-stack (" + dev + " on both)"
                            : onServer           ? s + " is dual-stack (" + dev + "), " + c + " has no IPv6 VXLAN device"
                                                 : c + " is dual-stack (" + dev + "), " + s + " has no IPv6 VXLAN device";
    std::vector<std::string> evidence;
    for (const NodeFacts *n : {&client, &server})
        if (!n->ipv6TunnelDevice.empty())
            evidence.push_back(nodeName(*n) + ": " + n->ipv6TunnelDevice +
                               (n->ipv6TunnelAddress.empty() ? std::string(" (no IPv6 address)") : " " + n->ipv6TunnelAddress));
    const std::string port = std::to_string(vxlanPort > 0 ? vxlanPort : 4789);
    const std::string underlay = client.underlayDevice.empty() ? "any" : client.underlayDevice;
    std::string next = "To look at the IPv6 path: on " + c + ": ";
    if (!server.ipv6TunnelAddress.empty())
        next += "ping -6 -c 3 " + server.ipv6TunnelAddress + "; ";
    next += "ip -6 route show dev " + (client.ipv6TunnelDevice.empty() ? dev : client.ipv6TunnelDevice) +
            "; on both nodes, while it runs: tcpdump -ni " + underlay + " 'ip6 and udp port " + port + "'";
    return makeFinding(kIpv6NotJudged, onClient ? "tunnel.client" : "tunnel.server",
                       who + ": this diagnosis judged the IPv4 path only (" + why + ")", std::move(evidence),
                       std::move(next));
}

} // namespace podpath::diagnose
