#pragma once
// What a node is, read from its own tables rather than from the 2016 guide's names:
// which device is the Calico tunnel (an ipip or vxlan device, or whatever device the
// onlink routes to other blocks use), its address, the node's underlay address and
// device, and the encapsulation the client actually uses towards the server.

#include "diagnosis.h"
#include "parse/ip_addr.h"
#include "parse/ip_neigh.h"
#include "parse/ip_route.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::diagnose {

// Everything discovery read from one node, parsed.
struct NodeSnapshot {
    std::string host;                       // as the user named it
    std::string hostname;                   // `uname -n`
    std::optional<Ipv4> sshLocalAddress;    // the node's side of this SSH connection
    std::vector<parse::Interface> interfaces;  // `ip -d addr`
    parse::RouteTable routes;               // `ip route`; routes6: `ip -6 route`, read for dual-stack pairs
    std::vector<parse::Neighbour> neighbours;  // `ip neigh`
    std::vector<parse::FdbEntry> fdb;       // `bridge fdb show`
    // Lines of `ip addr`, `ip neigh` and `bridge fdb` that could not be read and were
    // skipped (those of `ip route` are in routes.unreadable): a device or entry on such
    // a line is not known, and the checks built on these tables say so.
    std::vector<Error> interfacesUnreadable, neighboursUnreadable, fdbUnreadable;
    // Why the neighbours / FDB could not be read ("" when read): a table that was never
    // read is unknown, not empty.
    std::string neighboursProblem, fdbProblem;
    // Why the routing table could not be read ("" when read): the route checks are then
    // unknown, never "missing".
    std::string routesProblem;
    // Why `ip -6 route` could not be read, on a dual-stack pair ("" when read or not asked).
    std::string routes6Problem;
};

// Facts that need only the node itself: tunnel device and address, underlay address.
NodeFacts nodeFacts(const NodeSnapshot &node);

// The node IP Calico uses between the two, from what each node says of the other, over
// the address the SSH session reached (a management network or a bastion's network is
// not Calico's): the VXLAN device's local address; else the address the peer routes
// this node's block to, when it is one of this node's; else this node's address on the
// subnet of the gateway it routes the peer's block to. Without such evidence the
// single-node answer of nodeFacts stands.
void settleNodeIps(NodeFacts &client, const NodeSnapshot &clientNode, NodeFacts &server, const NodeSnapshot &serverNode);

// The encapsulation a device of the node carries: Vxlan for a vxlan device, IpIp for
// any other (an ipip device, or the TUN that stands in for tunl0); Unknown when the
// node has no such device.
Encapsulation deviceEncapsulation(const NodeSnapshot &node, const std::string &device);

// The encapsulation on the way from client to server, judged by the client's route to
// the server's tunnel address (or block): through an ipip or vxlan device, or straight
// out of the underlay (CrossSubnet within one subnet, or no overlay at all).
// A direct route counts as CrossSubnet only when the server routes back directly too:
// one side direct and the other through its tunnel is a wrong device, not a mode.
Encapsulation pathMode(const NodeSnapshot &client, const NodeFacts &clientFacts, const NodeSnapshot &server,
                       const NodeFacts &serverFacts);

// Where to send the echoes: the server's tunnel address; when the server has none but
// the client routes its block through the tunnel (the address was lost) an address inside
// that block, so the path still shows how far packets get; else the server pod, when one
// was named (BGP without encapsulation: no node holds an address in the pod range).
std::optional<Ipv4> echoTarget(const NodeSnapshot &client, const NodeFacts &clientFacts, const NodeFacts &serverFacts,
                               std::optional<Ipv4> serverPod = std::nullopt);

// The gateway of the node's route to `peer` (another node's address): the router between
// them, or none when the peer is on the node's own subnet or no route was read.
std::optional<Ipv4> routerTowards(const NodeSnapshot &node, std::optional<Ipv4> peer);

// The node's own block: the blackhole route Calico installs for it, containing its
// tunnel address (without one, the first such route BIRD or Felix wrote).
std::optional<Ipv4Prefix> ownBlock(const NodeSnapshot &node, const NodeFacts &facts);
// That blackhole route itself (its protocol tells who programs the node's routes), or null.
const parse::Route *ownBlockRoute(const NodeSnapshot &node, const NodeFacts &facts);
// A route's protocol is BIRD's or Felix's (proto 80).
bool programmedByCalico(const parse::Route &route);

// An address the peer routes to this node's pods by: its tunnel address, else its block's.
std::optional<Ipv4> addressInBlock(const NodeSnapshot &node, const NodeFacts &facts);

} // namespace podpath::diagnose
