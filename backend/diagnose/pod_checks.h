#pragma once
// The checks of a pod-to-pod diagnosis (issue #15): where each pod is on its node
// (pod.client, pod.server), the ping sent from inside the client pod's network namespace
// to the server pod (pod.ping), and what each pod's policies did with those packets,
// both ways through its interface (policy.client, policy.server). The node-to-node path
// is judged beside them as always.

#include "endpoint_policy.h"
#include "explain.h"
#include "firewall_checks.h"
#include "pod_endpoint.h"
#include "port_probe.h"

#include <set>
#include <string>
#include <vector>

namespace podpath::diagnose {

struct PodReadings {
    PodEndpoint client, server;
    PodRouting clientRouting, serverRouting;  // each pod's own tables, read inside it
    PingOutcome ping;        // from inside the client pod to the server pod
    std::string pingNotRun;  // why no ping was sent (the pod not found, its namespace not named)
    std::optional<PortProbeOutcome> port;  // asked for a TCP or UDP port
};

// The ping's replies against what it sent: true when some echo got none (nothing is
// known to be lost when it did not run).
bool podEchoesLost(const PodReadings &r);
// Some packet of the probes may have been lost: echoes without reply, connections
// without answer, or UDP datagrams (nothing answers them; the counters must judge).
bool podProbeLost(const PodReadings &r);

// Where the pod at `role`'s end is on its node, and how it routes towards the other pod.
CheckResult checkPodEnd(NodeRole role, const NodeFacts &node, const PodReadings &r, std::vector<Finding> &findings);
// What the pod at `role`'s end of `r` had its policies do with the probes, from the
// counters around them; fails only where a drop was counted and a probe lost. podChains
// gets the chains it read (the pod's endpoint chains both ways, and the policy chains
// where drops were counted): a drop counted there is this check's to tell, not a second
// finding of the firewall check.
CheckResult checkPodPolicy(NodeRole role, const NodeFacts &node, const PodReadings &r, const FirewallReadings &fw,
                           std::vector<Finding> &findings, std::set<std::string> &podChains);
// Rules that exempt the pods' packets from conntrack (iptables NOTRACK or CT --notrack, nft
// notrack) and counted between the two snapshots: those that name the pod's `interface`
// (or a wildcard covering it) or one of `addresses`, at most three. A NOTRACK rule for
// other traffic is not the pod's (a node-local DNS cache's).
std::vector<parse::CounterDelta> untrackingRules(const std::vector<parse::CountedRule> &before,
                                                 const std::vector<parse::CountedRule> &after, const std::string &interface,
                                                 const std::vector<std::string> &addresses);

// After the policy checks: a loss no policy explains is a finding of its own.
// overlayPassed: every hop between the nodes passed.
CheckResult checkPodPing(const PodReadings &r, bool overlayPassed, std::vector<Finding> &findings);
// The TCP or UDP port asked about (pod.port); after the policy checks, as the ping.
CheckResult checkPodPort(const PodReadings &r, bool overlayPassed, std::vector<Finding> &findings);

} // namespace podpath::diagnose
