#include "hop.h"

namespace podpath::diagnose {

std::string_view toString(Status s)
{
    switch (s) {
    case Status::Pass: return "pass";
    case Status::Fail: return "fail";
    case Status::Unknown: return "unknown";
    case Status::Skipped: return "skipped";
    }
    return "unknown";
}

std::optional<Status> statusFromString(std::string_view s)
{
    for (Status v : {Status::Pass, Status::Fail, Status::Unknown, Status::Skipped})
        if (toString(v) == s)
            return v;
    return std::nullopt;
}

const std::array<HopInfo, 8> kHops = {{
    {HopId::RequestClientTunnel, "request.client.tunnel", Direction::Request, NodeRole::Client, HopPlace::Tunnel,
     "client tunnel out", "echo request leaves the client's tunnel device, client tunnel IP -> server tunnel IP (a pod's: pod IP -> pod IP)"},
    {HopId::RequestClientEgress, "request.client.egress", Direction::Request, NodeRole::Client, HopPlace::Egress,
     "client underlay out", "the request, encapsulated, leaves the client's underlay interface to the server node IP"},
    {HopId::RequestServerIngress, "request.server.ingress", Direction::Request, NodeRole::Server, HopPlace::Ingress,
     "server underlay in", "the same encapsulated request arrives on the server from the client node IP"},
    {HopId::RequestServerTunnel, "request.server.tunnel", Direction::Request, NodeRole::Server, HopPlace::Tunnel,
     "server tunnel in", "the decapsulated echo request appears on the server's tunnel device"},
    {HopId::ReplyServerTunnel, "reply.server.tunnel", Direction::Reply, NodeRole::Server, HopPlace::Tunnel,
     "server tunnel out", "the server generates the echo reply on its tunnel device"},
    {HopId::ReplyServerEgress, "reply.server.egress", Direction::Reply, NodeRole::Server, HopPlace::Egress,
     "server underlay out", "the reply, encapsulated, leaves the server's underlay interface to the client node IP"},
    {HopId::ReplyClientIngress, "reply.client.ingress", Direction::Reply, NodeRole::Client, HopPlace::Ingress,
     "client underlay in", "the encapsulated reply arrives on the client from the server node IP"},
    {HopId::ReplyClientTunnel, "reply.client.tunnel", Direction::Reply, NodeRole::Client, HopPlace::Tunnel,
     "client tunnel in", "the decapsulated echo reply appears on the client's tunnel device"},
}};

const std::array<HopInfo, 4> kPodHops = {{
    {HopId::RequestClientPod, "request.client.pod", Direction::Request, NodeRole::Client, HopPlace::Pod,
     "client pod out", "the client pod's echo request enters its node on the pod's interface (host side), client pod IP -> server pod IP"},
    {HopId::RequestServerPod, "request.server.pod", Direction::Request, NodeRole::Server, HopPlace::Pod,
     "server pod in", "the server node hands the request to the server pod's interface (host side), past its policies"},
    {HopId::ReplyServerPod, "reply.server.pod", Direction::Reply, NodeRole::Server, HopPlace::Pod,
     "server pod out", "the server pod's echo reply enters its node on the pod's interface (host side)"},
    {HopId::ReplyClientPod, "reply.client.pod", Direction::Reply, NodeRole::Client, HopPlace::Pod,
     "client pod in", "the client node hands the reply to the client pod's interface (host side)"},
}};

std::vector<HopId> hopPath(bool pods)
{
    return pods ? std::vector<HopId>(kPodPath.begin(), kPodPath.end()) : std::vector<HopId>(kNodePath.begin(), kNodePath.end());
}

const char *roleName(NodeRole r) { return r == NodeRole::Client ? "client" : "server"; }

const HopInfo &hopInfo(HopId id)
{
    const auto i = static_cast<std::size_t>(id);
    return i < kHops.size() ? kHops[i] : kPodHops[i - kHops.size()];
}

std::string checkTitle(std::string_view id, bool tunnelled)
{
    static constexpr std::pair<std::string_view, std::string_view> kWhat[] = {
        {"route", "route to the peer's block"}, {"tunnel", "tunnel device"}, {"iptables", "firewall"},
        {"route6", "IPv6 route to the peer's VTEP"}, {"wireguard", "WireGuard peer"},
        {"ipset", "hosts set"},                 {"logs", "Calico logs"},      {"capture", "capture"},
        {"node", "node"},                       {"pod", "pod"},               {"policy", "pod's policies"},
    };
    if (id == "underlay.ping")
        return "underlay ping";
    if (id == "tunnel.ping")
        return tunnelled ? "tunnel ping" : "ping into the server's pod block";
    if (id == "tunnel.full-size")
        return tunnelled ? "full-size tunnel ping" : "full-size ping into the server's pod block";
    if (id == "tunnel6.ping")
        return "IPv6 tunnel ping";
    if (id == "pod.ping")
        return "ping from pod to pod";
    if (id == "pod.port")
        return "port probe from pod to pod";
    const auto dot = id.find('.');
    if (dot == std::string_view::npos)
        return std::string(id);
    const std::string_view kind = id.substr(0, dot), node = id.substr(dot + 1);
    if (node != "client" && node != "server")
        return std::string(id);
    for (const auto &[k, what] : kWhat)
        if (k == kind)
            return std::string(node) + " " + std::string(what);
    return std::string(id);
}

std::string blamedName(std::string_view blames, bool tunnelled)
{
    if (const auto hop = hopFromString(blames))
        return std::string(hopInfo(*hop).title);
    return checkTitle(blames, tunnelled);
}

std::optional<HopId> hopFromString(std::string_view key)
{
    for (const auto &h : kHops)
        if (h.key == key)
            return h.id;
    for (const auto &h : kPodHops)
        if (h.key == key)
            return h.id;
    return std::nullopt;
}

} // namespace podpath::diagnose
