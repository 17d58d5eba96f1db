#pragma once
// Every code a Finding can carry, with its default severity, what it blames and what it
// means: the one table docs/hops-and-checks.md is checked against (tst_docs). Findings
// are built from a FindingCode, which names a code of this table or does not compile, so
// a code cannot reach a report without an entry here. A diagnosis that could not run may
// instead carry the remote layer's code for what stopped it (remote/error_codes.h):
// findingCodeFor() decides. Codes are a public contract (JSON consumers and the lab's
// fault catalogue key on them): never rename one.

#include "diagnosis.h"

#include <array>
#include <string_view>

namespace podpath::diagnose {

struct FindingCodeInfo {
    std::string_view code;     // UPPER_SNAKE
    Severity severity;         // the usual one; the few call sites that differ say why
    std::string_view blames;   // what `blames` holds: a check or hop id pattern ("route.X")
    std::string_view meaning;  // one line, for the docs
};

inline constexpr auto kFindingCodes = std::to_array<FindingCodeInfo>({
    // Checks beside the hops (route_checks, firewall_checks, log_checks).
    {"ROUTE_MISSING", Severity::Critical, "route.X",
     "X has no route to the peer's pod block but the default route or a non-unicast one (blackhole, "
     "unreachable)"},
    {"BGP_SESSION_DOWN", Severity::Critical, "route.X",
     "X has no route to the peer's pod block and BIRD's log shows the BGP session that brings it (with the peer "
     "node, else every route reflector or router X peers with) not established: the routes went with it"},
    {"ROUTE_WRONG_DEVICE", Severity::Critical, "route.X, request.client.tunnel",
     "the route to the peer's block leaves through another device than the tunnel (the underlay when the "
     "path is direct), or the capture saw the echo leave unencapsulated on the underlay"},
    {"ROUTE_WRONG_GATEWAY", Severity::Critical, "route.X, request.client.egress, reply.server.egress",
     "the route's gateway is not the peer (node IP; VTEP tunnel IP in VXLAN), or the capture saw the echo "
     "encapsulated to another address"},
    {"ROUTE_NOT_ONLINK", Severity::Critical, "route.X",
     "the route through the tunnel lacks 'onlink', or is missing and the node's log shows the kernel refusing "
     "it (\"invalid gateway\")"},
    {"VXLAN_NEIGHBOUR_MISSING", Severity::Critical, "route.X",
     "VXLAN: no neighbour entry with a MAC for the peer's VTEP on the tunnel device"},
    {"VXLAN_FDB_MISSING", Severity::Critical, "route.X", "VXLAN: no FDB entry for the MAC of the peer's VTEP"},
    {"VXLAN_FDB_STALE", Severity::Critical, "route.X",
     "VXLAN: the FDB entry sends the peer VTEP's MAC to another address than the peer's node IP"},
    // Dual-stack pairs: the IPv6 burst between the nodes' IPv6 VTEPs (vxlan-v6.calico).
    {"IPV6_ROUTE_MISSING", Severity::Critical, "route6.X",
     "dual-stack: X routes the peer's IPv6 VTEP address by no route, the default route, a non-unicast route or "
     "another device than its IPv6 VXLAN device"},
    {"IPV6_VXLAN_ENTRY_MISSING", Severity::Critical, "route6.X",
     "dual-stack: X's IPv6 VXLAN device lacks the neighbour (MAC) or the FDB entry for the peer's IPv6 VTEP, or "
     "the FDB entry sends it to an address the peer node does not hold"},
    {"IPV6_ECHOES_LOST", Severity::Critical, "request.*, reply.*",
     "dual-stack: the IPv6 echoes were lost at a hop the IPv4 ones crossed, and X's IPv6 routes and VXLAN entries are "
     "right: an IPv6 firewall rule (ip6tables, nft ip6/inet), or a network that drops VXLAN over IPv6"},
    {"TUNNEL_MISSING", Severity::Critical, "tunnel.X", "X has no Calico tunnel device"},
    {"TUNNEL_DOWN", Severity::Critical, "tunnel.X", "X's tunnel device is down"},
    {"TUNNEL_NO_ADDRESS", Severity::Critical, "tunnel.X", "X's tunnel device has no IPv4 address"},
    {"MTU_TOO_SMALL", Severity::Error, "tunnel.X, the first failing hop",
     "the tunnel MTU plus the encapsulation (20 bytes IPIP, 50 VXLAN) exceeds the underlay MTU, or small "
     "echoes crossed while the full-size DF probe was lost (then critical, blaming the hop)"},
    {"IPTABLES_DROP", Severity::Critical, "iptables.X",
     "a DROP or REJECT rule (or a dropping chain policy) counted packets during the burst on the node where "
     "the echoes were lost"},
    {"SOURCE_NOT_IN_HOSTS_IPSET", Severity::Critical, "ipset.X",
     "the encapsulated source seen arriving at X (else the peer's node IP) is not in X's Calico hosts set "
     "(a warning when no DROP consulting the set counted packets and the echoes were not lost on X)"},
    {"CALICO_LOG_ERRORS", Severity::Warning, "logs.X",
     "Calico's components (or the kubelet, about pod networking) logged errors within the log window"},
    // Pod to pod (pod_checks): where the pods are, what their policies did.
    {"POD_NOT_ON_NODE", Severity::Critical, "pod.X",
     "the node given for X's pod routes the pod's address elsewhere (another node's block, a gateway): the pod "
     "runs on another node"},
    {"POD_ROUTE_MISSING", Severity::Critical, "pod.X",
     "the pod's address is in a block the node holds, but no /32 route leads to a pod interface"},
    {"POD_INTERFACE_DOWN", Severity::Critical, "pod.X",
     "the pod's host-side interface is down, or has no carrier (the pod's end is down)"},
    {"POLICY_DROP", Severity::Critical, "policy.X",
     "a rule of X's pod's policy chains (a policy's Deny, the end of a tier, no profile) dropped the ping or the "
     "port probe from the client pod, which lost them: the policy is named where Felix writes its name"},
    {"CONNTRACK_INVALID", Severity::Critical, "policy.X",
     "conntrack on X's node held no valid record for the pod's packets (ctstate INVALID: the requests went "
     "untracked, the table was full, or the replies came back another way), so Calico's first rules in the pod's "
     "chain dropped them before any policy was asked; a NOTRACK rule whose counter rose meanwhile is named"},
    {"POD_NO_ROUTE", Severity::Critical, "pod.X, pod.ping",
     "X's pod has no route to the other pod in its own routing table (its default route via 169.254.1.1 is "
     "missing): read inside the pod, or ping inside the client pod says the network is unreachable; nothing "
     "leaves the pod that way"},
    {"POD_ROUTE_WRONG", Severity::Critical, "pod.X",
     "X's pod routes the other pod's address out of another interface than its link to the node (a second "
     "network's default route, a blackhole): what it sends that way never reaches Calico"},
    {"POD_PING_LOST", Severity::Error, "pod.ping",
     "echoes from the client pod got no reply and no policy chain counted them dropped"},
    {"PORT_NO_ANSWER", Severity::Error, "pod.port",
     "connections (TCP) from the client pod to the server pod's port got no answer, and no policy chain counted "
     "them dropped"},
    {"PORT_REFUSED", Severity::Error, "pod.port",
     "the server pod's port answered with a reset: the path and the pods' policies let the connection through, "
     "but nothing listens on that port in the pod (or a rule rejects it)"},
    // The first failing hop when no check explains it (explain).
    {"ECHO_NOT_SENT", Severity::Critical, "request.client.tunnel",
     "the client never put the echo request on its tunnel device"},
    {"TUNNEL_NOT_ENCAPSULATING", Severity::Critical, "request.client.egress",
     "the request reached the client's tunnel device but never left the underlay encapsulated"},
    {"NODE_UNREACHABLE", Severity::Critical, "underlay.ping",
     "the encapsulated request never arrived and plain pings between the node IPs fail too: the underlay is "
     "broken"},
    {"UNDERLAY_DROPS_ENCAPSULATION", Severity::Critical, "request.server.ingress, reply.client.ingress",
     "the encapsulated packet left one node and never arrived at the other: the network between them drops "
     "IP protocol 4 or the VXLAN port (UDP 4789 unless the device says otherwise)"},
    // Through WireGuard (both nodes run it): the hop says which part failed.
    {"WIREGUARD_NOT_SENT", Severity::Critical, "request.client.egress, reply.server.egress",
     "the echo entered the sender's WireGuard device but no WireGuard data packet left for the peer node: no peer "
     "for it, a wrong endpoint, or no handshake (the handshake messages seen are quoted)"},
    {"WIREGUARD_UNDERLAY_DROPS", Severity::Critical, "request.server.ingress, reply.client.ingress, request.client.egress",
     "the WireGuard data packets left one node and never arrived at the other: the network between them drops "
     "UDP to WireGuard's port (51820 unless the packets seen say otherwise); at the sender's egress when no session "
     "could be opened because not even its handshake initiations arrived"},
    {"WIREGUARD_NOT_DELIVERED", Severity::Critical, "request.server.tunnel, reply.client.tunnel",
     "the WireGuard packets arrived but the echo never came out of the receiver's WireGuard device: its peer entry "
     "does not allow the sender's address, or a firewall rule dropped them"},
    {"WIREGUARD_PEER_MISSING", Severity::Critical, "wireguard.X",
     "`wg show` on X lists no peer whose endpoint or allowed ips belong to the other node"},
    {"WIREGUARD_ENDPOINT_WRONG", Severity::Critical, "wireguard.X",
     "X's peer for the other node sends to an endpoint that is not the other node's address"},
    {"WIREGUARD_ALLOWED_IPS_MISSING", Severity::Critical, "wireguard.X",
     "X's peer for the other node does not allow the other node's tunnel address (or its block): what it sends is "
     "dropped after decryption, and X does not route to it through WireGuard"},
    {"UNDERLAY_DROPS_POD_ADDRESSES", Severity::Critical, "request.server.ingress, reply.client.ingress",
     "without encapsulation: the packet left one node with addresses of the pod range and never arrived at the other, "
     "its route being right: the network between them does not carry pod addresses (a router without the "
     "block, a cloud's source/destination check)"},
    {"TUNNEL_NOT_DECAPSULATING", Severity::Critical, "request.server.tunnel, reply.client.tunnel",
     "the encapsulated packet arrived but never came out of the tunnel device"},
    {"NO_REPLY_GENERATED", Severity::Critical, "reply.server.tunnel",
     "the server received the echo request on its tunnel device but sent no reply"},
    {"REPLY_NOT_ENCAPSULATED", Severity::Critical, "reply.server.egress",
     "the reply reached the server's tunnel device but never left the underlay encapsulated"},
    // What the diagnosis could not watch: X's hops have no evidence, the rest is judged
    // (verdict incomplete unless something else failed). Not a fault of the path.
    {"TCPDUMP_MISSING", Severity::Warning, "capture.X",
     "tcpdump is not installed on X, or does not run: X's hops have no evidence, everything else is read and "
     "judged"},
    {"FULL_SIZE_NOT_TESTED", Severity::Warning, "tunnel.full-size",
     "the full-size DF probe could not be sent (the client's ping cannot set don't-fragment, as BusyBox's cannot): a pass proves nothing about full-size packets"},
    {"NODE_STOPPED_ANSWERING", Severity::Warning, "node.X",
     "X stopped answering during the run (its session or the path to it went away): what was still to be read "
     "there has no evidence, and the verdict is incomplete unless a hop failed on the evidence that arrived"},
    // The diagnosis could not run (verdict error, exit status 2).
    {"NO_PRIVILEGE", Severity::Critical, "capture.X",
     "the login on X is neither root nor able to use sudo (or sudo refused its password)"},
    {"CONNECTION_FAILED", Severity::Critical, "client, server",
     "PodPath could not connect to the node, for a reason without a code of its own"},
    {"DIAGNOSIS_FAILED", Severity::Critical, "client, server",
     "discovery failed for a reason without a code of its own (no node IP, nothing to ping, a read failed)"},
    // Not a fault: what to ask instead.
    {"IPV6_NOT_JUDGED", Severity::Info, "tunnel.X",
     "the node is dual-stack (Calico's IPv6 VXLAN device `vxlan-v6.calico`) but the IPv6 path could not be judged (the "
     "other node has no such device or it has no address, or the IPv4 path is not encapsulated): the finding says why, "
     "names the device, the peer's IPv6 VTEP address and the commands that look at that path (`ping -6`, `ip -6 route`, "
     "a capture of `ip6 and udp port 4789`)"},
    {"PODS_NEEDED", Severity::Info, "server",
     "the pair is not encapsulated (BGP routes the blocks over the underlay): no node holds an address in the pod range to answer an echo, so the path is followed between two pods, and none were named (the route checks still run: a missing route is critical)"},
});

// A code of kFindingCodes, checked when compiling: FindingCode("NO_SUCH_CODE") does not
// build (the evaluation reaches the throw, which no constant expression may).
class FindingCode {
public:
    consteval explicit FindingCode(std::string_view code) : m_index(indexOf(code)) {}
    const FindingCodeInfo &info() const { return kFindingCodes[m_index]; }
    std::string_view name() const { return info().code; }
    bool operator==(const FindingCode &) const = default;

private:
    static consteval std::size_t indexOf(std::string_view code)
    {
        for (std::size_t i = 0; i < kFindingCodes.size(); ++i)
            if (kFindingCodes[i].code == code)
                return i;
        throw "not in kFindingCodes: add the code, its severity and meaning there";
    }
    std::size_t m_index;
};

inline constexpr FindingCode kRouteMissing{"ROUTE_MISSING"};
inline constexpr FindingCode kBgpSessionDown{"BGP_SESSION_DOWN"};
inline constexpr FindingCode kUnderlayDropsPodAddresses{"UNDERLAY_DROPS_POD_ADDRESSES"};
inline constexpr FindingCode kRouteWrongDevice{"ROUTE_WRONG_DEVICE"};
inline constexpr FindingCode kRouteWrongGateway{"ROUTE_WRONG_GATEWAY"};
inline constexpr FindingCode kRouteNotOnlink{"ROUTE_NOT_ONLINK"};
inline constexpr FindingCode kVxlanNeighbourMissing{"VXLAN_NEIGHBOUR_MISSING"};
inline constexpr FindingCode kVxlanFdbMissing{"VXLAN_FDB_MISSING"};
inline constexpr FindingCode kVxlanFdbStale{"VXLAN_FDB_STALE"};
inline constexpr FindingCode kIpv6RouteMissing{"IPV6_ROUTE_MISSING"};
inline constexpr FindingCode kIpv6VxlanEntryMissing{"IPV6_VXLAN_ENTRY_MISSING"};
inline constexpr FindingCode kIpv6EchoesLost{"IPV6_ECHOES_LOST"};
inline constexpr FindingCode kWireguardNotSent{"WIREGUARD_NOT_SENT"};
inline constexpr FindingCode kWireguardUnderlayDrops{"WIREGUARD_UNDERLAY_DROPS"};
inline constexpr FindingCode kWireguardNotDelivered{"WIREGUARD_NOT_DELIVERED"};
inline constexpr FindingCode kWireguardPeerMissing{"WIREGUARD_PEER_MISSING"};
inline constexpr FindingCode kWireguardEndpointWrong{"WIREGUARD_ENDPOINT_WRONG"};
inline constexpr FindingCode kWireguardAllowedIpsMissing{"WIREGUARD_ALLOWED_IPS_MISSING"};
inline constexpr FindingCode kTunnelMissing{"TUNNEL_MISSING"};
inline constexpr FindingCode kTunnelDown{"TUNNEL_DOWN"};
inline constexpr FindingCode kTunnelNoAddress{"TUNNEL_NO_ADDRESS"};
inline constexpr FindingCode kMtuTooSmall{"MTU_TOO_SMALL"};
inline constexpr FindingCode kIptablesDrop{"IPTABLES_DROP"};
inline constexpr FindingCode kSourceNotInHostsIpset{"SOURCE_NOT_IN_HOSTS_IPSET"};
inline constexpr FindingCode kCalicoLogErrors{"CALICO_LOG_ERRORS"};
inline constexpr FindingCode kPodNotOnNode{"POD_NOT_ON_NODE"};
inline constexpr FindingCode kPodRouteMissing{"POD_ROUTE_MISSING"};
inline constexpr FindingCode kPodInterfaceDown{"POD_INTERFACE_DOWN"};
inline constexpr FindingCode kPolicyDrop{"POLICY_DROP"};
inline constexpr FindingCode kConntrackInvalid{"CONNTRACK_INVALID"};
inline constexpr FindingCode kPodPingLost{"POD_PING_LOST"};
inline constexpr FindingCode kPodNoRoute{"POD_NO_ROUTE"};
inline constexpr FindingCode kPodRouteWrong{"POD_ROUTE_WRONG"};
inline constexpr FindingCode kPortNoAnswer{"PORT_NO_ANSWER"};
inline constexpr FindingCode kPortRefused{"PORT_REFUSED"};
inline constexpr FindingCode kEchoNotSent{"ECHO_NOT_SENT"};
inline constexpr FindingCode kTunnelNotEncapsulating{"TUNNEL_NOT_ENCAPSULATING"};
inline constexpr FindingCode kNodeUnreachable{"NODE_UNREACHABLE"};
inline constexpr FindingCode kUnderlayDropsEncapsulation{"UNDERLAY_DROPS_ENCAPSULATION"};
inline constexpr FindingCode kTunnelNotDecapsulating{"TUNNEL_NOT_DECAPSULATING"};
inline constexpr FindingCode kNoReplyGenerated{"NO_REPLY_GENERATED"};
inline constexpr FindingCode kReplyNotEncapsulated{"REPLY_NOT_ENCAPSULATED"};
inline constexpr FindingCode kNoPrivilege{"NO_PRIVILEGE"};
inline constexpr FindingCode kTcpdumpMissing{"TCPDUMP_MISSING"};
inline constexpr FindingCode kFullSizeNotTested{"FULL_SIZE_NOT_TESTED"};
inline constexpr FindingCode kNodeStoppedAnswering{"NODE_STOPPED_ANSWERING"};
inline constexpr FindingCode kConnectionFailed{"CONNECTION_FAILED"};
inline constexpr FindingCode kDiagnosisFailed{"DIAGNOSIS_FAILED"};
inline constexpr FindingCode kPodsNeeded{"PODS_NEEDED"};
inline constexpr FindingCode kIpv6NotJudged{"IPV6_NOT_JUDGED"};

// A finding with the code's usual severity.
Finding makeFinding(FindingCode code, std::string blames, std::string message, std::vector<std::string> evidence,
                    std::string nextStep);
bool hasCode(const Finding &f, FindingCode code);
// The check failed with `message`, and a finding of `code` blames it (with its evidence).
CheckResult failCheck(CheckResult &c, std::vector<Finding> &findings, FindingCode code, const std::string &message,
                      std::string nextStep);

// The code a finding gets for an Error that stopped the diagnosis: the error's own when it
// is one of kFindingCodes or the remote layer's, NO_PRIVILEGE for the remote layer's
// privilege refusals, else `fallback` (an error without a code, or with one that is in
// neither table, says what happened in its message).
std::string findingCodeFor(const Error &error, FindingCode fallback);

// Test connection (node_probe.h) names what would stop a diagnosis with an Error. Besides
// TCPDUMP_MISSING and NO_PRIVILEGE it uses these codes, which no Finding carries.
struct ProbeCodeInfo {
    std::string_view code;
    std::string_view meaning;
};

inline constexpr auto kProbeCodes = std::to_array<ProbeCodeInfo>({
    {"TOOLS_UNREADABLE", "`tcpdump --version` did not answer (the session failed or ran out of time)"},
    {"NO_ROUTES", "the routing table could not be read or parsed"},
    {"NO_TUNNEL_DEVICE", "the node has no ipip or vxlan device and no device that routes other nodes' blocks"},
});

consteval const char *probeCode(std::string_view code)
{
    for (const auto &p : kProbeCodes)
        if (p.code == code)
            return p.code.data();
    throw "not in kProbeCodes: add the code and its meaning there";
}

inline constexpr const char *kToolsUnreadable = probeCode("TOOLS_UNREADABLE");
inline constexpr const char *kNoRoutes = probeCode("NO_ROUTES");
inline constexpr const char *kNoTunnelDevice = probeCode("NO_TUNNEL_DEVICE");

} // namespace podpath::diagnose
