#pragma once
// The hops of the packet path and the checks beside them: eight between the nodes, and
// four more at the pods' ends when two pods were asked about. Their ids are a public
// contract (docs/hops-and-checks.md): JSON consumers, the lab's fault catalogue and the
// GUI key on them.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::diagnose {

enum class Status { Pass, Fail, Unknown, Skipped };
std::string_view toString(Status s);
std::optional<Status> statusFromString(std::string_view s);

enum class Direction { Request, Reply };
enum class NodeRole { Client, Server };
// Pod: the host side of a pod's interface (Calico's cali* veth end), where a pod's
// packets enter and leave its node.
enum class HopPlace { Tunnel, Egress, Ingress, Pod };

enum class HopId {
    RequestClientTunnel,
    RequestClientEgress,
    RequestServerIngress,
    RequestServerTunnel,
    ReplyServerTunnel,
    ReplyServerEgress,
    ReplyClientIngress,
    ReplyClientTunnel,
    // Pod to pod only: the pods' ends of the path, outside the eight above.
    RequestClientPod,
    RequestServerPod,
    ReplyServerPod,
    ReplyClientPod,
};

struct HopInfo {
    HopId id;
    std::string_view key;       // "request.client.tunnel"
    Direction direction;
    NodeRole node;              // where the capture that settles it runs
    HopPlace place;
    std::string_view title;     // short label for the diagram
    std::string_view expected;  // what should be seen there, in the guide's words
};

// In path order: a packet that passes hop i has passed every hop before it.
extern const std::array<HopInfo, 8> kHops;
// The pods' ends, by id order (not path order: see kPodPath).
extern const std::array<HopInfo, 4> kPodHops;
inline constexpr std::size_t kAllHopCount = 12;
// The path of a pod-to-pod diagnosis: the client pod's end, the eight hops between the
// nodes, the server pod's end, and back.
inline constexpr std::array<HopId, 12> kPodPath = {
    HopId::RequestClientPod,   HopId::RequestClientTunnel, HopId::RequestClientEgress, HopId::RequestServerIngress,
    HopId::RequestServerTunnel, HopId::RequestServerPod,   HopId::ReplyServerPod,      HopId::ReplyServerTunnel,
    HopId::ReplyServerEgress,  HopId::ReplyClientIngress,  HopId::ReplyClientTunnel,   HopId::ReplyClientPod,
};
inline constexpr std::array<HopId, 8> kNodePath = {
    HopId::RequestClientTunnel, HopId::RequestClientEgress, HopId::RequestServerIngress, HopId::RequestServerTunnel,
    HopId::ReplyServerTunnel,   HopId::ReplyServerEgress,   HopId::ReplyClientIngress,   HopId::ReplyClientTunnel,
};
// The hops of a diagnosis, in path order: twelve with pods, eight without.
std::vector<HopId> hopPath(bool pods);
inline bool isPodHop(HopId id) { return static_cast<std::size_t>(id) >= 8; }

const HopInfo &hopInfo(HopId id);
const char *roleName(NodeRole r);  // "client", "server": check ids and messages use it
std::optional<HopId> hopFromString(std::string_view key);

// How a person names a check, as the window and the reports do: "server hosts set"
// for "ipset.server". The id itself for one PodPath does not know.
// `tunnelled`: false on a path without tunnel (no encapsulation, CrossSubnet within a
// subnet), where the burst goes into the server's pod block unencapsulated.
std::string checkTitle(std::string_view id, bool tunnelled = true);
// What a finding blames, in a reader's words: a hop's title ("server underlay in"), a
// check's title, else the text as it is.
std::string blamedName(std::string_view blames, bool tunnelled = true);

inline constexpr std::array<std::string_view, 15> kCheckIds = {
    "underlay.ping", "tunnel.ping",    "tunnel.full-size", "route.client",  "route.server",   "tunnel.client",
    "tunnel.server", "iptables.client", "iptables.server", "ipset.client", "ipset.server",
    "logs.client",   "logs.server",    "capture.client", "capture.server",
};

// The checks of a dual-stack pair (vxlan-v6.calico on both nodes), besides every check
// above: the IPv6 burst between the IPv6 VTEPs, and each node's IPv6 route and VXLAN
// entries for the peer's.
inline constexpr std::array<std::string_view, 3> kDualStackCheckIds = {"tunnel6.ping", "route6.client", "route6.server"};

// The checks of a pair judged through WireGuard (both nodes run it), besides every check
// above: each node's WireGuard peer for the other (`wg show`).
inline constexpr std::array<std::string_view, 2> kWireguardCheckIds = {"wireguard.client", "wireguard.server"};

// The checks of a pod-to-pod diagnosis, besides every check above: where each pod is,
// the ping from inside the client pod, the port asked about (TCP or UDP, when one was),
// and what each pod's policies did with them.
inline constexpr std::array<std::string_view, 6> kPodCheckIds = {
    "pod.client", "pod.server", "pod.ping", "pod.port", "policy.client", "policy.server",
};

} // namespace podpath::diagnose
