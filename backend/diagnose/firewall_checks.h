#pragma once
// The guide's "Verify iptables" step, for every backend Calico runs on: which DROP or
// REJECT rules counted packets during the burst, and whether the sender's address as
// seen on the wire is in the hosts set those rules consult.

#include "diagnosis.h"
#include "parse/counter_diff.h"
#include "parse/ipset.h"
#include "parse/iptables_snapshot.h"
#include "parse/nft.h"

#include <optional>
#include <set>
#include <vector>

namespace podpath::diagnose {

// One node's firewall as read before and after the burst.
struct FirewallReadings {
    std::string backend;  // "iptables-nft", "iptables-legacy", "nftables", "ebpf", "" unknown
    std::string ebpfEvidence;  // what showed eBPF mode: "bpfin.cali and bpfout.cali present"
    std::optional<parse::IptablesSnapshot> iptablesBefore, iptablesAfter;
    std::optional<parse::NftRuleset> nftBefore, nftAfter;  // Calico's nftables mode
    std::optional<parse::IpsetList> ipsets;
    std::string problem;  // why the firewall could not be read, when it could not
    std::string ipsetProblem;  // why the hosts set could not be read: the rules may still be
    std::string afterProblem;  // why the counters after the burst could not be read
    // The UDP port of the node's VXLAN device (`ip -d link`: dstport): the one its
    // rules guard; Calico's default when the node has none or did not say.
    std::uint16_t vxlanPort = 4789;
};

// Deltas of every rule whose counter rose between the snapshots, both backends.
std::vector<parse::CounterDelta> firewallDeltas(const FirewallReadings &r);

// The hosts set guarding the encapsulation: the set a rule for IPIP (protocol 4) or
// VXLAN (udp on the node's VXLAN port) matches on, else the first of Calico's names that exists.
std::string hostsSetName(const FirewallReadings &r, Encapsulation mode);

// `iptables.client` / `iptables.server`. lostHere: the first failing hop is on this
// node, so a DROP that rose is likely the cause, not background noise.
CheckResult checkIptables(NodeRole role, const NodeFacts &self, const FirewallReadings &r, bool lostHere,
                          std::vector<Finding> &findings);

// `ipset.client` / `ipset.server`: receiver-side. sourcesSeen: outer sources of the
// encapsulated packets that reached this node; empty when none did (the peer's node IP
// is then the address checked).
CheckResult checkHostsIpset(NodeRole role, Encapsulation mode, const NodeFacts &self, const NodeFacts &peer,
                            const std::set<Ipv4> &sourcesSeen, const FirewallReadings &r, bool lostHere,
                            std::vector<Finding> &findings);

// "[5 packets, 520 bytes] filter INPUT #3: -p ipencap -m set ! --match-set ... -j DROP /* comment */"
std::string deltaLine(const parse::CounterDelta &d);

} // namespace podpath::diagnose
