#pragma once
// Vocabulary shared by the iptables and nftables parsers, so the diagnosis reads a
// counted DROP the same way whichever backend the node runs.

#include <cstdint>
#include <optional>
#include <string_view>

namespace podpath::parse {

struct Counters {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;

    bool operator==(const Counters &) const = default;
};

// What a rule does with a packet it matches, whatever the backend calls it.
enum class Verdict {
    None,    // counts only (iptables rule without -j, nft rule without verdict)
    Accept,
    Drop,
    Reject,
    Return,
    Jump,    // to a user chain; comes back unless that chain ends the packet
    Goto,    // to a user chain, never comes back here
    Other,   // another target or terminal statement (MARK, LOG, MASQUERADE, ...)
};

std::string_view verdictName(Verdict v);
inline bool discards(Verdict v) { return v == Verdict::Drop || v == Verdict::Reject; }

// iptables target text ("DROP", "cali-INPUT", "MARK", "") as a verdict. isChain says
// whether the table declares a chain of that name; other targets are extensions
// (MARK, LOG, MASQUERADE, CT).
Verdict verdictOfIptablesTarget(std::string_view target, bool isGoto, bool isChain);

// IP protocol number for what iptables prints or accepts after -p: numbers, the
// names of /etc/protocols (both "ipencap" and the older "ipv4" for 4) and "all".
// 0 means any protocol. nullopt for a name this table does not know.
std::optional<int> ipProtocolNumber(std::string_view name);

} // namespace podpath::parse
