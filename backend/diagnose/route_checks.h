#pragma once
// The guide's step 5 and its modern forms: does this node route the peer's block the
// way Calico programs it, and is its tunnel device fit to carry it?
//   IPIP:   BLOCK via PEER_NODE_IP dev TUNNEL onlink (proto bird, or 80 from 3.33)
//   VXLAN:  BLOCK via PEER_VTEP_IP dev TUNNEL onlink, a permanent neighbour for the VTEP
//           and an FDB entry sending its MAC to PEER_NODE_IP
//   direct: BLOCK via PEER_NODE_IP dev UNDERLAY (CrossSubnet within one subnet)

#include "diagnosis.h"
#include "topology.h"

#include "parse/bgp_sessions.h"

#include <vector>

namespace podpath::diagnose {

struct NodePair {
    NodeRole role;               // whose tables are checked
    const NodeSnapshot &node;
    const NodeFacts &self;
    const NodeFacts &peer;
    std::optional<Ipv4> peerTarget;  // the peer's tunnel address (or an address in its block)
    // The node's BGP sessions as BIRD's log tells them (none when it says nothing): why a
    // route BIRD programs is missing.
    const std::vector<parse::BgpSession> *bgp = nullptr;
};

// Appends the findings it makes; returns the check `route.client` / `route.server`.
CheckResult checkRoute(Encapsulation mode, const NodePair &p, std::vector<Finding> &findings);

// `tunnel.client` / `tunnel.server`: exists, up, has an address, MTU fits the underlay.
CheckResult checkTunnel(Encapsulation mode, const NodePair &p, std::vector<Finding> &findings);

// "198.18.2.0/26 via 198.51.100.12 dev tunl0 proto bird onlink": as `ip route` prints it.
std::string routeLine(const parse::Route &r);
std::string routeLine(const parse::Route6 &r);

// Bytes the encapsulation adds to each packet (IPIP 20, VXLAN 50).
int encapsulationOverhead(Encapsulation mode);

// The route to the peer's block as it should be: as `ip route` prints it when every part
// is known ("198.18.20.128/26 via 198.51.100.12 dev tunl0 onlink"), in words where not.
std::string expectedRoute(Encapsulation mode, const NodePair &p);

} // namespace podpath::diagnose
