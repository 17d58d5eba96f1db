#pragma once
// Which firewall rules counted packets between two snapshots taken around a ping
// burst. iptables-save and nft rules are first reduced to CountedRule,
// so the diagnosis reads both backends the same way.
//
// Rules are matched by table + chain + spec (the rule text without counters), not
// by position: a rule inserted between the snapshots shifts every rule below it.
// Identical rules in one chain are paired in order (first with first).
// Compare snapshots of the same command only: iptables-save and nft specs differ.

#include "firewall.h"
#include "iptables_snapshot.h"
#include "nft.h"

#include <cstdint>
#include <string>
#include <vector>

namespace podpath::parse {

struct RuleIdentity {
    std::string table;   // iptables: "filter"; nft: "ip calico"
    std::string chain;
    std::string spec;    // chain policies: "policy"
    bool operator==(const RuleIdentity &) const = default;
};

struct CountedRule {
    RuleIdentity id;
    int position = 0;     // 1-based in its chain; 0 for a chain's policy
    Counters counters;
    std::string target;   // iptables target; nft: the jump/goto chain or the verdict word
    std::string comment;
    Verdict verdict = Verdict::None;
    bool isPolicy = false;  // iptables built-in chain's policy counters
    int line = 0;
};

struct CounterDelta {
    std::string table;
    std::string chain;
    int position = 0;        // in the later snapshot; 0 for a chain policy
    std::string spec;
    std::string target;
    std::string comment;
    Verdict verdict = Verdict::None;
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    bool isPolicy = false;
    bool newRule = false;       // not in the earlier snapshot: counted since it was added
    bool counterReset = false;  // lower than before (zeroed or rule replaced): counts since the reset
    int line = 0;               // in the later snapshot's input

    bool discards() const { return parse::discards(verdict); }
};

std::vector<CountedRule> countedRules(const IptablesSnapshot &snapshot);
std::vector<CountedRule> countedRules(const NftRuleset &ruleset);

// Rules (and policies) whose packet counter rose, in the later snapshot's order.
std::vector<CounterDelta> diffCounters(const std::vector<CountedRule> &before, const std::vector<CountedRule> &after);
std::vector<CounterDelta> diffCounters(const IptablesSnapshot &before, const IptablesSnapshot &after);
std::vector<CounterDelta> diffCounters(const NftRuleset &before, const NftRuleset &after);

// Only the deltas of rules that drop or reject (and DROP policies).
std::vector<CounterDelta> discardingOnly(const std::vector<CounterDelta> &deltas);

} // namespace podpath::parse
