#pragma once
// The eight hops of the packet path and the checks beside them. Their ids are a public
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
enum class HopPlace { Tunnel, Egress, Ingress };

enum class HopId {
    RequestClientTunnel,
    RequestClientEgress,
    RequestServerIngress,
    RequestServerTunnel,
    ReplyServerTunnel,
    ReplyServerEgress,
    ReplyClientIngress,
    ReplyClientTunnel,
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

const HopInfo &hopInfo(HopId id);
const char *roleName(NodeRole r);  // "client", "server": check ids and messages use it
std::optional<HopId> hopFromString(std::string_view key);

// How a person names a check, as the window and the reports do: "server hosts set"
// for "ipset.server". The id itself for one PodPath does not know.
std::string checkTitle(std::string_view id);
// What a finding blames, in a reader's words: a hop's title ("server underlay in"), a
// check's title, else the text as it is.
std::string blamedName(std::string_view blames);

inline constexpr std::array<std::string_view, 15> kCheckIds = {
    "underlay.ping", "tunnel.ping",    "tunnel.full-size", "route.client",  "route.server",   "tunnel.client",
    "tunnel.server", "iptables.client", "iptables.server", "ipset.client", "ipset.server",
    "logs.client",   "logs.server",    "capture.client", "capture.server",
};

// The checks of a pod-to-pod diagnosis, besides every check above: where each pod is,
// the ping from inside the client pod, the port asked about (TCP or UDP, when one was),
// and what each pod's policies did with them.
inline constexpr std::array<std::string_view, 6> kPodCheckIds = {
    "pod.client", "pod.server", "pod.ping", "pod.port", "policy.client", "policy.server",
};

} // namespace podpath::diagnose
