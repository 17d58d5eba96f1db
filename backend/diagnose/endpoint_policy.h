#pragma once
// Which NetworkPolicy decided a pod's packets, read from the counters of the chains Felix
// writes for the pod's host-side interface (docs/hops-and-checks.md, "Policy verdict").
//
// Felix sends a packet into a pod through the interface's to-workload chain (the pod's
// ingress) and out of it through its from-workload chain (egress). That chain runs the
// policies that select the pod, tier by tier: a policy that allows sets the accept mark
// and the chain returns ("Return if policy accepted"); a policy's Deny rule drops; when no
// policy of a tier allowed, the tier's end drops ("End of tier T. Drop if no policies
// passed packet"). A pod no policy selects goes to its profiles (namespace, service
// account). Each policy chain's first rule carries the policy's name ("NetworkPolicy
// ns/name ingress") where Felix writes it. Two snapshots taken around a probe tell which
// of these rules counted the probe's packets.
//
// Chains are found by what they are, not by the lab's names: the endpoint chain is the one
// named "...tw-IFACE" / "...fw-IFACE" (iptables "cali-tw-", nftables "filter-cali-tw-"),
// policies and profiles by the chains it jumps to; nothing depends on mark values.

#include "parse/counter_diff.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::diagnose {

// Which way the packets cross the pod's host-side interface.
enum class PodSide {
    Ingress,  // into the pod: Felix's to-workload chain
    Egress,   // out of the pod: its from-workload chain
};

// A policy or profile as the dataplane carries it.
struct PolicyRef {
    std::string kind;   // "NetworkPolicy", "GlobalNetworkPolicy", "Profile"; empty when unnamed
    std::string name;   // "default/allow-web", "deny-web-egress", "kns.default"
    std::string chain;  // the chain that holds its rules: "cali-pi-_NTA2Y2E4M2Q4NWI4Yzd"
    bool profile = false;
    bool named() const { return !name.empty(); }
    bool operator==(const PolicyRef &) const = default;
};

enum class PolicyOutcome {
    AllowedByPolicy,      // a policy allowed them (its chain set the accept mark)
    AllowedByProfile,     // a profile allowed them (no policy selects the pod, or all passed)
    AllowedByConnection,  // part of a connection conntrack had already allowed
    DeniedByRule,         // a Deny rule of a policy (or profile) dropped them
    DroppedAtEndOfTier,   // policies of a tier selected the pod and none allowed them
    DroppedNoProfile,     // no profile allowed them
    DroppedInvalid,       // conntrack judged them invalid
    DroppedOther,         // another drop in the endpoint's chain (its comment says which)
};

struct PolicyDecision {
    PolicyOutcome outcome = PolicyOutcome::DroppedOther;
    std::uint64_t packets = 0;
    std::string tier;                  // where a policy decided; empty for profiles and conntrack
    std::optional<PolicyRef> by;       // the policy or profile that decided
    std::string chain;                 // the rule whose counter rose
    int position = 0;                  // 1-based in its chain
    std::string rule;                  // its text without counters
    std::string comment;               // its description (Felix's "cali:" ids left out)
    std::vector<PolicyRef> evaluated;  // DroppedAtEndOfTier: the tier's policies the packets went through
    bool drops() const;
};

struct EndpointPolicyReading {
    std::string interface;
    PodSide side = PodSide::Ingress;
    std::string chain;                   // the endpoint's chain; empty: the node has none for it
    std::uint64_t entered = 0;           // packets sent into that chain (its dispatch rule's counter)
    bool enteredCounted = false;         // a rule that sends packets there counts them
    std::vector<std::string> tiers;      // the tiers whose policies select the pod this way
    std::vector<PolicyRef> policies;     // every policy the chain runs, in order
    std::vector<PolicyRef> profiles;
    std::vector<PolicyDecision> decisions;  // in the chain's order
    std::vector<std::string> notes;      // what could not be followed (a missing chain, a loop)

    bool found() const { return !chain.empty(); }
    std::uint64_t dropped() const;
    std::uint64_t allowed() const;
};

EndpointPolicyReading readEndpointPolicy(const std::vector<parse::CountedRule> &before,
                                         const std::vector<parse::CountedRule> &after,
                                         std::string_view interface, PodSide side);

// "Policy default/allow-web" style names for a reader; an unnamed policy by its chain
// and how to find it.
std::string describePolicy(const PolicyRef &ref);
// One sentence per decision, in the reader's words: who decided, how many packets, which way.
std::string policySentence(const PolicyDecision &d, PodSide side, bool policySelects);

} // namespace podpath::diagnose
