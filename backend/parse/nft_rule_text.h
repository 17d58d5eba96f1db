#pragma once
// Pieces of nft's text syntax the ruleset parser needs: quote-aware scanning and
// reading one rule's counters, verdict, comment and set references. Internal to
// nft.cpp and its tests.

#include "core/result.h"
#include "nft.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse::nft_text {

// Cuts a trailing "# ..." (outside quotes) and reads "# handle N" from it.
std::string_view stripComment(std::string_view line, std::optional<std::uint64_t> &handle);
// '{' minus '}' outside quotes.
int braceBalance(std::string_view s);
std::string unquote(std::string_view s);

// Blank-separated words; a "quoted string" stays one word, quotes included.
std::vector<std::string_view> tokens(std::string_view s);

// A rule line (handle already cut off).
Result<NftRule> analyseRule(std::string_view text, int lineNo);

} // namespace podpath::parse::nft_text
