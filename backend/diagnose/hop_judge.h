#pragma once
// Settles the hops (eight, or twelve with a stream from the client pod) from what the two captures saw: which echo (by id and sequence)
// was seen where. A hop passes when every echo that reached the hop before it reached it
// too, fails when some did not, and is unknown when there is no evidence either way
// (its node's capture did not run, or nothing reached the hop before it).

#include "diagnosis.h"
#include "echo_sighting.h"

#include <optional>
#include <set>
#include <vector>

namespace podpath::diagnose {

// One ping run of the burst: the normal echoes and the full-size DF probe are separate
// streams, so an MTU problem shows as "small ones pass, big ones die at hop X".
struct EchoStream {
    std::string label;            // "burst", "full-size probe"
    std::optional<std::uint16_t> id;  // ICMP id when known (from the client's capture)
    std::uint32_t ipLength = 0;   // IPv4 total length of its echoes; 0 = any
    std::vector<std::uint16_t> sentSeqs;
    // Echoes ping counted as sent but the kernel refused to queue (ENOBUFS while the
    // next hop's address does not resolve): that many missing at the first hop are
    // taken as never sent, so the loss is blamed where the path really breaks.
    int refusedLocally = 0;
    // Sequences ping got a reply for: each crossed every hop there and back, whatever a
    // busy node's capture missed (kernel buffer drops, a capture cap).
    std::set<std::uint16_t> answered;
    // Where its echoes were sent: the server's tunnel address when unset (the nodes'
    // pings), the server pod for the ping from inside the client pod, the server's IPv6
    // VTEP address for the IPv6 burst of a dual-stack pair.
    std::optional<IpAddress> target;
    // Sent from inside the client pod: judged on the pods' ends too (kPodPath).
    bool fromPod = false;
};

struct PathExpectation {
    Encapsulation mode = Encapsulation::Unknown;
    NodeFacts client;
    NodeFacts server;
    bool clientCaptured = true;  // false: the client's capture did not run (its hops unknown)
    bool serverCaptured = true;
    std::string clientCaptureProblem;
    std::string serverCaptureProblem;
    // Set when the node stopped answering part-way: its capture may lack what it saw
    // last, so an echo missing there is no evidence of loss (why, for the reader).
    std::string clientCaptureCut;
    std::string serverCaptureCut;
    // Why no stream was sent or known, when none was (the ping's problem).
    std::string noEchoWhy;
    // Pod to pod (the pods' ends are judged, with or without a ping from the pod): the host side of each pod's interface (its /32 route's device); empty
    // when not found, which leaves that pod's hops without evidence. podNoEchoWhy: why no
    // echo left the client pod, when none did.
    // Set when WireGuard encrypts the traffic between the nodes ("WireGuard (wireguard.cali
    // on both nodes)"): the echoes cross the node hops inside UDP 51820, where a capture
    // cannot tell them apart, so those hops have no evidence (never "lost").
    std::string encryptedBy;
    // Both nodes run WireGuard and its messages were captured: the tunnel hops are the
    // WireGuard devices (the echoes in the clear), the underlay hops the transport-data
    // packets paired with them (wireguard_path.h). encryptedBy then hides nothing.
    bool wireguard = false;
    bool pods = false;
    std::string clientPodInterface;
    std::string serverPodInterface;
    std::string podNoEchoWhy;
};

// What the wire said beyond pass/fail, for the rules that explain a failure. IPv4 only:
// the rules behind them (hosts sets, the peer's node IP) are IPv4's.
struct WireFacts {
    std::set<Ipv4> requestSourcesAtServer;  // outer source of requests arriving at the server
    std::set<Ipv4> replySourcesAtClient;
    std::set<Ipv4> requestWrongOuterDst;    // client encapsulated requests to someone else
    std::set<Ipv4> replyWrongOuterDst;
    bool requestLeftPlainOnUnderlay = false;  // not encapsulated where it should have been
    bool replyLeftPlainOnUnderlay = false;
    std::vector<std::string> strayEvidence;   // the packets behind the flags above
    // MTU: the largest echo that made it end to end and the smallest that died (the nodes'
    // IPv4 streams: the pod's and the IPv6 burst take other paths).
    std::optional<std::uint32_t> largestDelivered;
    std::optional<std::uint32_t> smallestLost;
    std::optional<HopId> smallestLostAt;
};

struct HopJudgement {
    std::array<HopVerdict, 8> hops{};
    std::array<HopVerdict, 4> podHops{};  // judged when a stream came from the client pod
    std::optional<HopId> firstFailing;
    WireFacts wire;
    std::vector<HopSighting> timeline;  // every counted sighting, by time
};

// A tunnel hop's explanation on a path without tunnel (no encapsulation, or CrossSubnet
// within one subnet): the hop is skipped, not unknown.
std::string noTunnelHere(Encapsulation mode);

HopJudgement judgeHops(const PathExpectation &expect, const std::vector<EchoStream> &streams,
                       const std::vector<EchoSighting> &sightings);

// Fills unknown stream ids from the client's capture: the id of the echo requests to the
// stream's target (the server's tunnel address, or the server pod) with that stream's size.
void identifyStreams(std::vector<EchoStream> &streams, const PathExpectation &expect,
                     const std::vector<EchoSighting> &sightings);

} // namespace podpath::diagnose
