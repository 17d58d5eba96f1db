#pragma once
// Dual-stack pairs (Calico's second VXLAN device, vxlan-v6.calico, on both nodes): the
// IPv6 path is judged beside the IPv4 one, as one more stream of echoes on the same
// hops ("IPv6 burst": between the nodes' IPv6 VTEP addresses), and the tables that carry
// it are checked the way Felix programs them:
//   PEER_BLOCK6 via PEER_VTEP6 dev vxlan-v6.calico onlink, a neighbour with the peer
//   VTEP's MAC, an FDB entry sending that MAC to the peer node's IPv6 address.

#include "diagnosis.h"
#include "explain.h"
#include "topology.h"

#include "core/ipv6.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::diagnose {

// Where the IPv6 burst goes: the server's IPv6 VTEP address, when both nodes are
// dual-stack and the IPv4 path between them is encapsulated too (the hops are drawn for
// an encapsulated path: a pair sent directly over the underlay in IPv4 has no tunnel
// hops for IPv6's echoes to be judged at). Otherwise nullopt, and `whyNot` says why (empty
// on IPv4-only pairs, where there is nothing to say).
std::optional<Ipv6> ipv6EchoTarget(Encapsulation mode, const NodeFacts &client, const NodeFacts &server,
                                   std::string &whyNot);

// `route6.client` / `route6.server`: the node's IPv6 route to the peer's IPv6 VTEP and the
// entries its IPv6 VXLAN device needs. Appends the findings it makes.
CheckResult checkRoute6(NodeRole role, const NodeSnapshot &node, const NodeFacts &self, const NodeSnapshot &peerNode,
                        const NodeFacts &peer, std::vector<Finding> &findings);

// The IPv6 echoes were lost at `hop` where the IPv4 ones crossed: the IPv6 table that
// explains it leads (a failed route6 check), else a finding of its own.
// `evidence`: what the hop before saw (its IPv6 lines are kept when there are any).
void explainIpv6Loss(Diagnosis &d, HopId hop, std::vector<std::string> evidence);

// Dual-stack nodes whose IPv6 path was not judged (`why`): an info finding with the
// commands that look at it; none on IPv4-only pairs.
std::optional<Finding> ipv6NotJudged(const NodeFacts &client, const NodeFacts &server, int vxlanPort,
                                     const std::string &why);

} // namespace podpath::diagnose
