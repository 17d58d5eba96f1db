#pragma once
// `nft list ruleset` (also `nft -a`, `nft list table ...`, `nft list chain ...`).
// Calico's nftables mode keeps everything in `table ip calico`
// (chains filter-cali-INPUT, ..., sets cali40all-hosts-net, ...); on iptables-nft
// nodes the same listing shows the iptables tables too.
//
// Kept: "# Warning: ..." lines (iptables-nft marks its tables), rule
// handles from `-a`, sets and maps with their elements (nftables-mode Calico keeps its
// hosts sets there, and its workload dispatch in verdict maps). Skipped: blocks PodPath
// does not read (flowtables, named counters, quotas, ct helpers...), table flags and
// comments. A comment's newline
// is printed as it is: the rule's lines are joined back.
//
// Total per line: a line that cannot be read (a rule outside a chain, a stray brace, a
// rule PodPath cannot analyse) is kept in `unreadable` and skipped. Errors are only:
// output that is no ruleset at all, and output cut off inside a block. Empty input is
// an empty ruleset: nft prints nothing when no table exists.

#include "core/ipv4.h"
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

// One element as printed: "198.51.100.40/30", "198.51.100.22 timeout 5m expires 4m49s",
// "10.0.0.1-10.0.0.9", or a map's "\"cali1234\" : goto filter-cali-fw-cali1234".
struct NftSetElement {
    std::string text;
    std::string key;    // the first part, quotes removed: an address, prefix, range or name
    std::string value;  // maps: what follows " : "
    // The addresses the key covers, for sets of type ipv4_addr (a range as the prefixes
    // that make it up); empty when the key is no IPv4 address, prefix or range.
    std::vector<Ipv4Prefix> prefixes;
};

struct NftSet {
    std::string name;
    bool map = false;
    std::string type;                // "ipv4_addr", "ifname : verdict", "ipv4_addr . inet_service"
    std::vector<std::string> flags;  // "interval", "timeout", "constant", "dynamic"
    std::vector<NftSetElement> elements;
    int line = 0;
    bool holdsIpv4() const { return type == "ipv4_addr"; }
    // Whether an address is among the elements (an interval set's prefixes and ranges
    // cover it); false for sets of other types.
    bool contains(Ipv4 address) const;
};

struct NftTable {
    std::string family;  // "ip", "ip6", "inet", "arp", "bridge", "netdev"
    std::string name;
    std::vector<NftChain> chains;
    std::vector<NftSet> sets;  // sets and maps, in the order printed
    int line = 0;
    const NftChain *chain(std::string_view name) const;
    const NftSet *set(std::string_view name) const;
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
