// `nft list ruleset` and the counter diff over it: both must be total.
#include "parse/counter_diff.h"
#include "parse/nft.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace podpath::parse;

namespace {

void check(const NftRuleset &rs, int lines)
{
    // A skipped line says why and where, and that line exists.
    for (const auto &e : rs.unreadable)
        if (e.message.empty() || e.line <= 0 || e.line > lines)
            __builtin_trap();
    for (const auto &t : rs.tables)
        for (const auto &c : t.chains)
            for (std::size_t i = 0; i < c.rules.size(); ++i)
                if (c.rules[i].position != int(i) + 1)
                    __builtin_trap();
    if (!diffCounters(rs, rs).empty())
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view text(reinterpret_cast<const char *>(data), size);
    auto rs = parseNftRuleset(text);
    const int lines = int(std::count(text.begin(), text.end(), '\n')) + 1;
    if (rs.ok())
        check(*rs, lines);
    else if (rs.error().message.empty())
        __builtin_trap();
    return 0;
}
