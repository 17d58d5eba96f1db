#pragma once
// What `iptables-save -c` prints: tables, chains, rules with their counters. Two
// snapshots taken around a ping burst are compared by counter_diff.h.

#include "core/ipv4.h"
#include "core/result.h"
#include "firewall.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse {

// `-m set [!] --match-set NAME src` / `[!] match-set NAME src`.
struct IptablesSetMatch {
    std::string name;
    std::string flags;  // "src", "dst", "src,dst", ...
    bool negated = false;
};

struct IptablesInterface {
    std::string name;   // "" for any (no -i / -o)
    bool negated = false;
    bool wildcard() const { return !name.empty() && name.back() == '+'; }
};

struct IptablesAddress {
    std::string text;   // as printed: "0.0.0.0/0" (no -s / -d), "198.51.100.11/32", "loopback/8"
    std::optional<Ipv4Prefix> prefix;  // nullopt when printed as a name
    bool negated = false;
    bool isAny() const { return text.empty() || text == "0.0.0.0/0"; }
};

struct IptablesRule {
    int position = 0;        // 1-based within its chain, as --line-numbers counts
    int line = 0;            // input line the rule came from
    std::optional<Counters> counters;  // absent without -c
    std::string target;      // "" when the rule only counts
    bool isGoto = false;     // -g / [goto]
    Verdict verdict = Verdict::None;
    std::string protocol;    // as printed: "ipencap", "ipv4", "4", "all", "0", "udp"
    bool protocolNegated = false;
    std::optional<int> protocolNumber;  // 0 = any; nullopt for an unknown name
    IptablesInterface in;
    IptablesInterface out;
    IptablesAddress source;
    IptablesAddress destination;
    std::vector<std::string> comments;  // Calico: "cali:<hash>", then the description
    std::vector<IptablesSetMatch> setMatches;
    // Every option not broken out above, re-quoted as iptables-save does.
    std::string matches;
    std::string targetOptions;  // what follows -j TARGET ("--reject-with tcp-reset")
    // The rule without its counters: the arguments after "-A CHAIN" as printed, the
    // rule's identity when two snapshots are compared.
    std::string spec;

    std::string comment() const;  // comments joined with "; "
};

struct IptablesChain {
    std::string name;
    std::optional<std::string> policy; // built-in chains only: "ACCEPT", "DROP"
    std::optional<Counters> policyCounters;
    std::vector<IptablesRule> rules;
    int line = 0;
    bool isBuiltin() const { return policy.has_value(); }
};

struct IptablesTable {
    std::string name;  // "filter", "nat", "mangle", "raw", "security"
    std::vector<IptablesChain> chains;
    int line = 0;

    const IptablesChain *chain(std::string_view name) const;
    IptablesChain *chain(std::string_view name);
};

struct IptablesSnapshot {
    std::vector<IptablesTable> tables;
    // iptables-nft warned that iptables-legacy holds tables too: rules there also
    // act on packets and this snapshot does not show them (read both).
    bool legacyTablesPresent = false;
    std::vector<std::string> warnings;  // "# Warning: ..." lines, verbatim
    // Lines that could not be read, each skipped (message, excerpt, next step, line):
    // one odd line must not hide the rules around it.
    std::vector<Error> unreadable;

    const IptablesTable *table(std::string_view name) const;
    const IptablesChain *chain(std::string_view table, std::string_view chain) const;
};

} // namespace podpath::parse
