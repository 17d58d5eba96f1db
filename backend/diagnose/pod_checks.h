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

#include <string>
#include <vector>

namespace podpath::diagnose {

struct PodReadings {
    PodEndpoint client, server;
    PingOutcome ping;        // from inside the client pod to the server pod
    std::string pingNotRun;  // why no ping was sent (the pod not found, its namespace not named)
};

// The ping's replies against what it sent: true when some echo got none (nothing is
// known to be lost when it did not run).
bool podEchoesLost(const PodReadings &r);

CheckResult checkPodEnd(NodeRole role, const NodeFacts &node, const PodEndpoint &e, std::vector<Finding> &findings);
CheckResult checkPodPolicy(NodeRole role, const NodeFacts &node, const PodEndpoint &e, const FirewallReadings &fw,
                           bool echoesLost, std::vector<Finding> &findings);
// After the policy checks: a loss no policy explains is a finding of its own.
// overlayPassed: every hop between the nodes passed.
CheckResult checkPodPing(const PodReadings &r, bool overlayPassed, std::vector<Finding> &findings);

} // namespace podpath::diagnose
