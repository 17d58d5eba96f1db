#pragma once
// OpenSSH's host patterns, shared by ~/.ssh/config's Host lines and known_hosts.

#include <string_view>

namespace podpath::remote {

// OpenSSH's match_pattern: '*' any run, '?' any one character; ASCII letters match
// either case (host names are case-insensitive). Greedy with one backtrack point, so a
// hostile pattern costs time linear in its length times the name's.
bool sshPatternMatch(std::string_view name, std::string_view pattern);

} // namespace podpath::remote
