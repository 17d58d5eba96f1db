#pragma once
// Settles the eight hops from what the two captures saw: which echo (by id and sequence)
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
};

// What the wire said beyond pass/fail, for the rules that explain a failure.
struct WireFacts {
    std::set<Ipv4> requestSourcesAtServer;  // outer source of requests arriving at the server
    std::set<Ipv4> replySourcesAtClient;
    std::set<Ipv4> requestWrongOuterDst;    // client encapsulated requests to someone else
    std::set<Ipv4> replyWrongOuterDst;
    bool requestLeftPlainOnUnderlay = false;  // not encapsulated where it should have been
    bool replyLeftPlainOnUnderlay = false;
    std::vector<std::string> strayEvidence;   // the packets behind the flags above
    // MTU: the largest echo that made it end to end and the smallest that died.
    std::optional<std::uint32_t> largestDelivered;
    std::optional<std::uint32_t> smallestLost;
    std::optional<HopId> smallestLostAt;
};

struct HopJudgement {
    std::array<HopVerdict, 8> hops{};
    std::optional<HopId> firstFailing;
    WireFacts wire;
    std::vector<HopSighting> timeline;  // every counted sighting, by time
};

HopJudgement judgeHops(const PathExpectation &expect, const std::vector<EchoStream> &streams,
                       const std::vector<EchoSighting> &sightings);

// Fills unknown stream ids from the client's capture: the id of the echo requests from
// the client's tunnel address to the server's with that stream's size.
void identifyStreams(std::vector<EchoStream> &streams, const PathExpectation &expect,
                     const std::vector<EchoSighting> &sightings);

} // namespace podpath::diagnose
