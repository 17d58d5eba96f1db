#pragma once
// The judgement of one ordered pair of nodes from what was gathered about it: its two
// nodes' readings, the echoes each node's capture saw of this pair, the pings, and the
// pods when asked. Whoever gathered it (the two-node engine, the cluster matrix that
// gathered every pair in one burst) hands the same evidence, and gets the same document.

#include "command_log.h"
#include "diagnosis.h"
#include "echo_sighting.h"
#include "explain.h"
#include "node_reader.h"
#include "pod_checks.h"
#include "port_probe.h"
#include "recipe.h"

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace podpath::diagnose {

// The guide's steps as the wizard runs them one at a time. Discovery (identity,
// addresses, routes, tools, topology) comes first whenever it has not run yet.
enum class Stage { Discover, Logs, UnderlayPing, TunnelPing, Burst };

struct DiagnoseOptions {
    std::optional<Encapsulation> mode;  // --mode: force; nullopt = detect
    int count = 5;                      // echoes in the burst
    int logWindowMinutes = 30;          // log lines older than this are not evidence
    bool capture = true;                // false: judge from pings and checks only
    bool keepPcap = true;               // keep the raw captures for --pcap
    // Pod to pod (issue #15): the client pod (on the client node) pings the server pod
    // from inside its network namespace, and both pods' policies are read around it.
    // With a port, connections (TCP) or datagrams (UDP) to it go from the client pod too.
    struct Pods {
        Ipv4 client, server;
        Transport protocol = Transport::Icmp;
        std::optional<remote::Port> port;  // set for TCP and UDP
    };
    std::optional<Pods> pods;
};

// One node's part of a pair's evidence.
struct PairSide {
    const NodeReading *nodeReading = nullptr;
    remote::NodeInfo info;
    // This pair's echoes as the node's capture(s) saw them, and the WireGuard messages.
    std::vector<EchoSighting> sightings;
    std::vector<SealedSighting> sealed;
    bool captured = false;       // some capture of the node ran and can be judged
    std::string captureProblem;  // why it cannot, when it cannot
    std::string captureCut;      // why it may lack packets that crossed the node
    std::optional<std::string> silence;  // the node stopped answering: the command that showed it
    const NodeReading &reading() const { return *nodeReading; }
};

struct PairEvidence {
    DiagnoseOptions options;
    std::string startedAt;
    Clock::time_point started;
    Result<void> result;  // the run's own outcome: an error before the echoes stops the judgement
    std::vector<StepReport> steps;  // for the phases' timings
    PairSide client, server;
    NodeFacts clientFacts, serverFacts;
    Encapsulation mode = Encapsulation::Unknown;
    std::optional<Ipv4> target;
    std::optional<Ipv6> target6;
    std::string ipv6WhyNot;
    bool wireguard = false;
    std::uint16_t vxlanPortNumber = 4789;
    PingOutcome underlayPing, tunnelPing, fullSizeProbe, ipv6Burst;
    std::uint32_t fullSizeLength = 0;
    PodReadings pods;  // pod to pod only
    std::set<Stage> gathered;
    std::vector<CommandRecord> commands;

    std::uint16_t vxlanPort() const { return vxlanPortNumber; }
    const PairSide &reader(NodeRole r) const { return r == NodeRole::Client ? client : server; }
};

Diagnosis judgePair(const PairEvidence &evidence);

// Whether a pair has something to ping, from what discovery found: an Error (said to the
// reader, PODS_NEEDED where only pods can be followed) when the server's node address is
// unknown, when BGP carries the blocks unencapsulated (no node address in the pod range
// answers), or when there is no tunnel address to ping.
Result<void> pairReady(const NodeFacts &server, Encapsulation mode, const std::optional<Ipv4> &target);

// The full-size probe's length: as large as the client's tunnel MTU allows (DF set).
// Through WireGuard the echoes cross its device, whose MTU is smaller (60 less for IPv4):
// Felix gives the pods that one. Without encapsulation it goes to the server pod: as
// large as the underlay carries and the pods' own links take (`podLinkMtu`: Calico sets
// every workload veth to one MTU; a pod cannot send more, so a larger probe would fail on
// a healthy pair).
std::uint32_t fullSizeProbeLength(const NodeFacts &client, Encapsulation mode, bool wireguard,
                                  std::optional<int> podLinkMtu = std::nullopt);

// "2026-12-05T13:31:59Z" for seconds since 1970.
std::string isoOfSeconds(std::int64_t seconds);

} // namespace podpath::diagnose
