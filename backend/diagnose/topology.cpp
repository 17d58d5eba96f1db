#include "topology.h"

#include "core/interface_name.h"
#include "core/ipv6.h"

#include <algorithm>

namespace podpath::diagnose {

namespace {

bool isLoopback(const parse::Interface &i) { return i.linkType == "loopback" || i.hasFlag("LOOPBACK"); }

// Workload veths (cali*) carry no node address; neither do the tunnel devices.
bool isTunnelKind(const parse::Interface &i) { return i.kind == "ipip" || i.kind == "vxlan" || i.linkType == "ipip"; }

int onlinkRoutesVia(const parse::RouteTable &routes, const std::string &device)
{
    int n = 0;
    for (const auto &r : routes.routes)
        if (r.device == device && r.hasFlag("onlink") && r.inMainTable())
            ++n;
    return n;
}

const parse::Interface *tunnelDevice(const NodeSnapshot &node)
{
    // Calico's tunnel is an ipip or vxlan device (tunl0 / vxlan.calico by default)
    // holding a /32 from the node's block, through which other nodes' blocks are
    // routed onlink. A TUN device stands in for tunl0 where the kernel lacks ipip. A
    // device with a LAN prefix or the default route is the underlay, however its
    // routes look (a route "via PEER dev eth0 onlink" must not make eth0 the tunnel).
    const parse::Route *def = node.routes.routeFor(Ipv4(0x01010101));
    const parse::Interface *best = nullptr;
    int bestScore = 0;
    for (const auto &i : node.interfaces) {
        if (isLoopback(i) || i.name.starts_with("cali") || (def && def->destination.length() == 0 && def->device == i.name))
            continue;
        const bool lanAddress = std::any_of(i.ipv4.begin(), i.ipv4.end(), [](const auto &a) { return a.address.length() < 32; });
        if (lanAddress && !isTunnelKind(i))
            continue;
        int score = std::min(onlinkRoutesVia(node.routes, i.name), 3);
        if (isTunnelKind(i))
            score += 8;
        if (i.name == "tunl0" || i.name == "vxlan.calico")
            score += 4;
        if (!i.ipv4.empty() && !lanAddress)
            score += 2;
        if (score < 3)
            continue;  // an unrelated /32 (a dummy or loopback alias) with no tunnel routes
        if (score > bestScore) {
            best = &i;
            bestScore = score;
        }
    }
    return best;
}

bool hasAddress(const parse::Interface &i, Ipv4 a)
{
    return std::any_of(i.ipv4.begin(), i.ipv4.end(), [&](const auto &x) { return x.address.address() == a; });
}

} // namespace

NodeFacts nodeFacts(const NodeSnapshot &node)
{
    NodeFacts f;
    f.host = node.host;
    f.hostname = node.hostname;
    const parse::Interface *tun = tunnelDevice(node);
    if (tun) {
        f.tunnelDevice = tun->name;
        f.tunnelMtu = int(tun->mtu.value_or(0));
        if (tun->vxlan && tun->vxlan->dstPort)
            f.vxlanPort = int(*tun->vxlan->dstPort);
        f.tunnelUp = tun->isUp();
        if (!tun->ipv4.empty())
            f.tunnelIp = tun->ipv4.front().address.address();
    }
    // Calico's IPv6 VXLAN device: Felix's name, or a VXLAN device holding only IPv6
    // addresses (its VTEP's, a /128 from an IPv6 pool). Both end up in a next step the
    // engineer may paste: a strictly parsed address (printed as RFC 5952 writes it), a
    // valid name.
    for (const auto &i : node.interfaces) {
        std::optional<Ipv6> global;
        for (const Ipv6Prefix &p : i.ipv6Prefixes())
            if (!p.address().isLinkLocal()) {
                global = p.address();
                break;
            }
        if (!InterfaceName::parse(i.name))
            continue;
        if (i.name == "vxlan-v6.calico" || ((i.kind == "vxlan" || i.vxlan) && i.ipv4.empty() && global)) {
            f.ipv6TunnelDevice = i.name;
            if (global)
                f.ipv6TunnelAddress = global->toString();
            break;
        }
    }
    // Calico's WireGuard device, by kind (ip -d) or, without it (BusyBox), by Felix's names.
    // The IPv4 one first: it is the one the IPv4 path crosses.
    for (const auto &i : node.interfaces)
        if ((i.kind == "wireguard" || i.name == "wireguard.cali" || i.name == "wg-v6.cali") && i.isUp()) {
            const bool v4 = i.name == "wireguard.cali" || !i.ipv4.empty();
            if (!f.encryptionDevice.empty() && (f.encryptsIpv4 || !v4))
                continue;
            f.encryptionDevice = i.name;
            f.encryptionMtu = int(i.mtu.value_or(0));
            f.encryptsIpv4 = v4;
        }

    // The underlay address: the one this SSH session reached, when it is a node address
    // (settleNodeIps prefers what the peer sends to, for a management network); else the
    // VXLAN device's local address; else the default route's source
    // or device; else the first global address of an up, non-tunnel interface.
    auto usable = [&](const parse::Interface &i) { return !isLoopback(i) && (!tun || i.name != tun->name) && !isTunnelKind(i); };
    auto pick = [&](const parse::Interface &i, Ipv4 a) {
        f.nodeIp = a;
        f.underlayDevice = i.name;
        f.underlayMtu = int(i.mtu.value_or(0));
    };
    if (node.sshLocalAddress)
        for (const auto &i : node.interfaces)
            if (usable(i) && hasAddress(i, *node.sshLocalAddress))
                pick(i, *node.sshLocalAddress);
    if (!f.nodeIp && tun && tun->vxlan && tun->vxlan->local)
        for (const auto &i : node.interfaces)
            if (usable(i) && hasAddress(i, *tun->vxlan->local))
                pick(i, *tun->vxlan->local);
    if (!f.nodeIp) {
        if (const parse::Route *def = node.routes.routeFor(Ipv4(0x01010101))) {
            for (const auto &i : node.interfaces) {
                if (!usable(i) || i.name != def->device || i.ipv4.empty())
                    continue;
                pick(i, def->source && hasAddress(i, *def->source) ? *def->source : i.ipv4.front().address.address());
            }
        }
    }
    if (!f.nodeIp)
        for (const auto &i : node.interfaces)
            if (usable(i) && i.isUp() && !i.ipv4.empty() && !i.name.starts_with("cali")) {
                pick(i, i.ipv4.front().address.address());
                break;
            }
    return f;
}

namespace {

void settleNodeIp(NodeFacts &self, const NodeSnapshot &node, const NodeFacts &peer, const NodeSnapshot &peerNode)
{
    auto usable = [&](const parse::Interface &i) {
        return !isLoopback(i) && i.name != self.tunnelDevice && !isTunnelKind(i) && !i.name.starts_with("cali");
    };
    auto pick = [&](const parse::Interface &i, Ipv4 a) {
        self.nodeIp = a;
        self.underlayDevice = i.name;
        self.underlayMtu = int(i.mtu.value_or(0));
    };
    auto pickAddress = [&](Ipv4 a) {
        for (const auto &i : node.interfaces)
            if (usable(i) && hasAddress(i, a)) {
                pick(i, a);
                return true;
            }
        return false;
    };
    const parse::Interface *tun = parse::findInterface(node.interfaces, self.tunnelDevice);
    if (tun && tun->vxlan) {
        // VXLAN: where the peer's FDB sends this node's VTEP, else the device's own local.
        if (!tun->linkAddress.empty())
            for (const auto &e : peerNode.fdb)
                if (e.dstIpv4 && e.mac == tun->linkAddress && pickAddress(*e.dstIpv4))
                    return;
        if (tun->vxlan->local)
            pickAddress(*tun->vxlan->local);
        return;
    }
    // IPIP: what the peer sends this node's pods to.
    if (self.tunnelIp && !peerNode.routes.routes.empty())
        if (const parse::Route *r = peerNode.routes.routeFor(*self.tunnelIp); r && r->gateway && pickAddress(*r->gateway))
            return;
    // This node's own address on the subnet it reaches the peer's block through (without
    // tunnel addresses, BGP without encapsulation: the block the peer blackholes).
    if (const std::optional<Ipv4> there = addressInBlock(peerNode, peer))
        if (const parse::Route *r = node.routes.routeFor(*there); r && r->gateway && r->destination.length() > 0)
            for (const auto &i : node.interfaces)
                if (usable(i))
                    for (const auto &a : i.ipv4)
                        if (a.address.length() < 32 && a.address.contains(*r->gateway) && a.address.address() != *r->gateway) {
                            pick(i, a.address.address());
                            return;
                        }
}

} // namespace

void settleNodeIps(NodeFacts &client, const NodeSnapshot &clientNode, NodeFacts &server, const NodeSnapshot &serverNode)
{
    // Each from the other's routes as read, before either is changed.
    const NodeFacts clientBefore = client;
    settleNodeIp(client, clientNode, server, serverNode);
    settleNodeIp(server, serverNode, clientBefore, clientNode);
    client.underlayGateway = routerTowards(clientNode, server.nodeIp);
    server.underlayGateway = routerTowards(serverNode, client.nodeIp);
}

std::optional<Ipv4> routerTowards(const NodeSnapshot &node, std::optional<Ipv4> peer)
{
    const parse::Route *r = peer ? node.routes.routeFor(*peer) : nullptr;
    if (!r || r->type != parse::RouteType::Unicast)
        return std::nullopt;
    return r->gateway;
}

std::optional<Ipv4> echoTarget(const NodeSnapshot &client, const NodeFacts &clientFacts, const NodeFacts &server,
                               std::optional<Ipv4> serverPod)
{
    if (server.tunnelIp)
        return server.tunnelIp;
    // A tunnel that lost its address: the block routed through the tunnel still shows how
    // far packets get. Never a block routed over the underlay: its network address is
    // blackholed on the server, and the lost echoes would blame a healthy pair.
    if (server.nodeIp && !clientFacts.tunnelDevice.empty())
        for (const auto &r : client.routes.routes)
            if (r.gateway == server.nodeIp && r.device == clientFacts.tunnelDevice && r.destination.length() > 0 &&
                r.destination.length() < 32 && r.type == parse::RouteType::Unicast)
                return r.destination.network();
    return serverPod;
}

Encapsulation deviceEncapsulation(const NodeSnapshot &node, const std::string &device)
{
    const parse::Interface *i = parse::findInterface(node.interfaces, device);
    if (!i)
        return Encapsulation::Unknown;
    // Without -d (BusyBox's `ip`) there is no kind: of Calico's tunnels only VXLAN
    // carries Ethernet (tunl0 is link/ipip, its TUN stand-in link/none).
    if (i->kind == "vxlan" || i->vxlan || (i->kind.empty() && i->linkType == "ether"))
        return Encapsulation::Vxlan;
    return Encapsulation::IpIp;
}

namespace {

// A route to a block straight out of an underlay device, to the peer node or to a router
// (a fabric that learns the blocks by BGP, a reflector with next-hop-self).
bool overUnderlay(const NodeSnapshot &node, const NodeFacts &facts, const parse::Route *route)
{
    if (!route || route->type != parse::RouteType::Unicast || route->device.empty() || !route->gateway ||
        route->destination.length() == 0 || route->device == facts.tunnelDevice)
        return false;
    const parse::Interface *dev = parse::findInterface(node.interfaces, route->device);
    return dev ? !isTunnelKind(*dev) : route->device == facts.underlayDevice;
}

} // namespace

Encapsulation pathMode(const NodeSnapshot &client, const NodeFacts &clientFacts, const NodeSnapshot &server,
                       const NodeFacts &serverFacts)
{
    std::optional<Ipv4> target = echoTarget(client, clientFacts, serverFacts);
    if (!target)
        target = addressInBlock(server, serverFacts);
    const parse::Route *route = target ? client.routes.routeFor(*target) : nullptr;
    auto kindOf = [&](const std::string &device) { return deviceEncapsulation(client, device); };
    // Not encapsulated: a node in CrossSubnet mode keeps its tunnel for other subnets. A
    // VXLAN device is Calico's only when VXLAN is on; tunl0 exists wherever the ipip module
    // is loaded, so it counts only with an address, which Calico gives it only for IPIP.
    auto directMode = [&] {
        auto kind = [](const NodeSnapshot &node, const NodeFacts &facts) {
            return facts.tunnelDevice.empty() ? Encapsulation::Unknown : deviceEncapsulation(node, facts.tunnelDevice);
        };
        const Encapsulation c = kind(client, clientFacts), s = kind(server, serverFacts);
        if (c == Encapsulation::Vxlan || s == Encapsulation::Vxlan)
            return Encapsulation::VxlanCrossSubnetDirect;
        if ((c == Encapsulation::IpIp && clientFacts.tunnelIp) || (s == Encapsulation::IpIp && serverFacts.tunnelIp))
            return Encapsulation::IpipCrossSubnetDirect;
        return Encapsulation::None;
    };
    // A default route is no route to the block.
    if (route && route->type == parse::RouteType::Unicast && !route->device.empty() && route->destination.length() > 0) {
        if (route->device == clientFacts.tunnelDevice)
            return kindOf(route->device);
        const parse::Interface *dev = parse::findInterface(client.interfaces, route->device);
        if (dev && (dev->kind == "vxlan" || dev->kind == "ipip"))
            return kindOf(route->device);
        const std::optional<Ipv4> home = addressInBlock(client, clientFacts);
        const parse::Route *back = home ? server.routes.routeFor(*home) : nullptr;
        const bool serverTunnels = back && !serverFacts.tunnelDevice.empty() && back->device == serverFacts.tunnelDevice;
        if (overUnderlay(client, clientFacts, route) && !serverTunnels)
            return directMode();
    } else if (const std::optional<Ipv4> home = addressInBlock(client, clientFacts)) {
        // The client's route is gone: the server's route back says how the pair is carried.
        // VXLAN in CrossSubnet mode routes nodes of one subnet straight over the underlay;
        // judged as the tunnel, the server's right route would be a false critical.
        if (overUnderlay(server, serverFacts, server.routes.routeFor(*home)))
            return directMode();
    }
    // The route is missing or wrong: fall back on what the client's tunnel device is, so
    // the hops are judged for the overlay the cluster means to run; when the client has
    // lost its tunnel device, the server's says which overlay that is.
    if (!clientFacts.tunnelDevice.empty())
        return kindOf(clientFacts.tunnelDevice);
    if (!serverFacts.tunnelDevice.empty())
        return deviceEncapsulation(server, serverFacts.tunnelDevice);
    // No tunnel device on either node and no route to judge by (BGP lost the blocks): a
    // Calico node holding its own block (BIRD's or Felix's blackhole) routes its pods
    // unencapsulated, and its missing route is then the fault to report, not the tunnel.
    if (ownBlock(client, clientFacts) || ownBlock(server, serverFacts))
        return Encapsulation::None;
    return Encapsulation::Unknown;
}

bool programmedByCalico(const parse::Route &route)
{
    return route.protocol && (*route.protocol == "bird" || *route.protocol == "80");
}

const parse::Route *ownBlockRoute(const NodeSnapshot &node, const NodeFacts &facts)
{
    const parse::Route *best = nullptr;
    for (const auto &r : node.routes.routes) {
        if (r.type != parse::RouteType::Blackhole || r.destination.length() == 0)
            continue;
        // Without a tunnel address, only Calico's own blackholes (BIRD's, Felix's): an
        // administrator's blackhole is no pod block.
        if (facts.tunnelIp ? r.destination.contains(*facts.tunnelIp) && (!best || r.destination.length() > best->destination.length())
                           : programmedByCalico(r) && !best)
            best = &r;
    }
    return best;
}

std::optional<Ipv4Prefix> ownBlock(const NodeSnapshot &node, const NodeFacts &facts)
{
    if (const parse::Route *r = ownBlockRoute(node, facts))
        return r->destination;
    return std::nullopt;
}

std::optional<Ipv4> addressInBlock(const NodeSnapshot &node, const NodeFacts &facts)
{
    if (facts.tunnelIp)
        return facts.tunnelIp;
    if (const std::optional<Ipv4Prefix> block = ownBlock(node, facts))
        return block->network();
    return std::nullopt;
}

} // namespace podpath::diagnose
