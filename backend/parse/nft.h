#pragma once
// `nft list ruleset` (also `nft -a`, `nft list table ...`, `nft list chain ...`).
// Calico's nftables mode keeps everything in `table ip calico`
// (chains filter-cali-INPUT, ..., sets cali40all-hosts-net, ...); on iptables-nft
// nodes the same listing shows the iptables tables too.
//
// Kept: "# Warning: ..." lines (iptables-nft marks its tables), rule
// handles from `-a`. Skipped: blocks PodPath does not read (sets and maps, flowtables,
// named counters, quotas, ct helpers...), table flags and comments. A comment's newline
// is printed as it is: the rule's lines are joined back.
//
// Total per line: a line that cannot be read (a rule outside a chain, a stray brace, a
// rule PodPath cannot analyse) is kept in `unreadable` and skipped. Errors are only:
// output that is no ruleset at all, and output cut off inside a block. Empty input is
// an empty ruleset: nft prints nothing when no table exists.

#include "core/result.h"
#include "firewall.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse {

// "ip saddr != @cali40all-hosts-net"
struct NftSetReference {
    std::string selector;  // the two words before the set as printed ("ip saddr")
    std::string set;
    bool negated = false;
};

struct NftRule {
    int position = 0;   // 1-based within its chain
    int line = 0;       // input line
    std::optional<std::uint64_t> handle;
    std::optional<Counters> counters;   // absent without a `counter` statement
    std::string text;   // the rule as printed, without "# handle N"
    // Identity across snapshots: text with "counter packets N bytes M" reduced to
    // "counter".
    std::string spec;
    Verdict verdict = Verdict::None;
    std::string verdictText;  // "drop", "jump filter-cali-INPUT", "reject with tcp reset", "masquerade fully-random"
    std::string target;       // jump/goto: the chain
    std::string comment;
    std::vector<NftSetReference> setReferences;
};

struct NftChain {
    std::string name;
    std::string type;      // base chains only: "filter", "nat", "route"
    std::string hook;      // "input", "output", "forward", "prerouting", "postrouting", "ingress"
    std::string priority;  // as printed: "filter", "srcnat", "-100"
    std::string policy;    // "accept", "drop"
    std::string device;
    std::string comment;
    std::optional<std::uint64_t> handle;
    std::vector<NftRule> rules;
    int line = 0;
    bool isBaseChain() const { return !hook.empty(); }
};

struct NftTable {
    std::string family;  // "ip", "ip6", "inet", "arp", "bridge", "netdev"
    std::string name;
    std::vector<NftChain> chains;
    int line = 0;
    const NftChain *chain(std::string_view name) const;
};

struct NftRuleset {
    std::vector<NftTable> tables;
    std::vector<std::string> warnings;  // "# Warning: table ip filter is managed by iptables-nft, ..."
    // Lines that could not be read, each skipped: one odd line must not hide the rest.
    std::vector<Error> unreadable;
    const NftTable *table(std::string_view family, std::string_view name) const;
};

Result<NftRuleset> parseNftRuleset(std::string_view text);

} // namespace podpath::parse
