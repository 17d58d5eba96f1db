#pragma once
// POSIX shell quoting: the one place where text becomes part of a remote command line.

#include <string>
#include <string_view>

namespace podpath::remote {

// Returns `text` as one shell word that every POSIX shell (sh, dash, bash, zsh) reads
// back byte for byte: unchanged when it only holds characters no shell treats
// specially, otherwise in single quotes with each ' written as '\''. The empty string
// becomes ''. Precondition: no NUL byte (a C argv cannot carry one); callers pass
// validated values, and a NUL is dropped rather than cutting the word short.
std::string shellQuote(std::string_view text);

// True when `c` never needs quoting: letters, digits and _ @ % + = : , . / -
bool isShellSafe(char c);

} // namespace podpath::remote
