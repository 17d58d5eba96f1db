#pragma once
// Where a pod is on its node (issue #15): the host-side interface the node routes the
// pod's address to, and the network namespace at the other end of it. CNI plugins do
// not agree on names (Calico's "cali<hash>", Canal's, a renamed one), so nothing is
// assumed: the pod's /32 route names the interface, the interface's peer names the
// namespace's id, and `ip netns list` names the namespace with that id.

#include "core/ipv4.h"
#include "parse/ip_addr.h"
#include "parse/ip_netns.h"
#include "parse/ip_route.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::diagnose {

enum class PodPlace {
    Here,          // the node routes the pod's /32 to an interface of its own
    RouteMissing,  // the address is in a block this node holds (blackhole or local route), with no /32
    Elsewhere,     // the node routes the address away (through the tunnel, a gateway): the pod is not here
    Unknown,       // the routing table could not be read
};

struct PodEndpoint {
    Ipv4 ip;
    PodPlace place = PodPlace::Unknown;
    const parse::Route *route = nullptr;  // what answered for the pod's address, into the table read
    std::string interface;                // the /32 route's device (Here)
    bool interfaceKnown = false;          // `ip addr` lists it
    bool up = false;                      // administratively up
    bool carrier = false;                 // LOWER_UP: the pod's end is up too
    std::optional<int> netnsId;           // the peer's namespace as the node numbers it
    std::string netns;                    // its name, for `ip netns exec`; empty when not named
    std::string problem;                  // one sentence when the pod cannot be probed from here
    std::vector<std::string> downPeers;   // RouteMissing: down interfaces with a peer in another namespace
};

// `netns` may be null (not read): the namespace stays unnamed unless the interface line
// already named it (text `ip addr`: "link-netns NAME").
PodEndpoint findPodEndpoint(Ipv4 pod, const parse::RouteTable &routes, const std::vector<parse::Interface> &interfaces,
                            const parse::NetnsList *netns, const std::string &nodeName);

} // namespace podpath::diagnose
