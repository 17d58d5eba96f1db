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
    int interfaceIndex = 0;               // its ifindex on the node: the pod's end names it ("eth0@if7")
    bool interfaceKnown = false;          // `ip addr` lists it
    bool up = false;                      // administratively up
    bool carrier = false;                 // LOWER_UP: the pod's end is up too
    std::optional<int> netnsId;           // the peer's namespace as the node numbers it
    std::string netns;                    // its name, for `ip netns exec`; empty when not named
    std::string problem;                  // one sentence when the pod cannot be probed from here
    std::vector<std::string> downPeers;   // RouteMissing: down interfaces with a peer in another namespace
};

// The pod's own side of its link, read inside its namespace (`ip route`, `ip addr`): how
// it sends towards the other pod. Calico gives a pod one route, default via 169.254.1.1
// on eth0; a second interface (Multus, a sidecar's tunnel) can take that traffic away.
struct PodRouting {
    bool read = false;
    std::string problem;  // why it was not read, when it was not
    parse::RouteTable routes;
    std::vector<parse::Interface> interfaces;
};

enum class PodRouteFit {
    Fits,     // the route to the peer leaves by the pod's link to the node
    Wrong,    // by another interface, or a blackhole/unreachable route
    NoRoute,  // no route at all
    Unknown,  // not read, or the pod's end of the link not found among its interfaces
};

struct PodRouteJudgement {
    PodRouteFit fit = PodRouteFit::Unknown;
    std::string link;       // the pod's end of the veth ("eth0"), when found
    std::string routeText;  // "default via 169.254.1.1 dev eth0", as iproute2 prints it
    std::string why;        // Unknown: why nothing is said
};

// "default via 169.254.1.1 dev eth0": one route as iproute2 prints it.
std::string podRouteText(const parse::Route &r);

// How the pod at `e` routes towards `peer`, from its own tables.
PodRouteJudgement judgePodRoute(const PodEndpoint &e, Ipv4 peer, const PodRouting &own);

// `netns` may be null (not read): the namespace stays unnamed unless the interface line
// already named it (text `ip addr`: "link-netns NAME").
PodEndpoint findPodEndpoint(Ipv4 pod, const parse::RouteTable &routes, const std::vector<parse::Interface> &interfaces,
                            const parse::NetnsList *netns, const std::string &nodeName);

} // namespace podpath::diagnose
