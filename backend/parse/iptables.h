#pragma once
// `iptables [-t TABLE] -vnxL [--line-numbers]`, and the looser forms people paste:
// `-vL` (names, "anywhere", K/M/G counters), `-nL` (no counters), and grep'd lines
// without Chain headers, as in the troubleshooting guide's `iptables -vL | grep DROP`.
//
// Accepted and kept: "# Warning: ..." lines (iptables-nft prints the legacy-tables
// warning on stderr; captured with 2>&1 it may come first or last), blank lines.
// Rules read before any "Chain" line land in a chain named "" (grep'd output has
// lost the chain boundaries: a grep'd "Chain" line is taken at its word, so the
// rules after it may belong to other chains). Anything else is an error naming the
// line: it is usually iptables saying why it printed no listing.
// Empty input is an error: `iptables -L` always prints the built-in chains.

#include "core/result.h"
#include "iptables_snapshot.h"

#include <string_view>

namespace podpath::parse {

// `table` names the table the listing came from (-t), which the output never says.
Result<IptablesSnapshot> parseIptablesList(std::string_view text, std::string_view table = "filter");

// One counter column of -L: exact ("214620") or rounded with a K/M/G/T suffix
// ("215K", base 1000 as iptables prints it).
std::optional<std::uint64_t> parseIptablesCount(std::string_view text, bool *approximate = nullptr);

} // namespace podpath::parse
