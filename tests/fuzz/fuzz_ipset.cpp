// `ipset list` and `ipset save`, and the membership check.
#include "parse/ipset.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace podpath::parse;

namespace {

void check(const IpsetList &list)
{
    // Total per line: each skipped line says which and why, and a list that kept
    // nothing but skipped lines is an error instead.
    for (const auto &e : list.unreadable)
        if (e.line <= 0 || e.message.empty())
            __builtin_trap();
    if (list.sets.empty() && !list.unreadable.empty())
        __builtin_trap();
    for (const auto &s : list.sets) {
        for (const auto &m : s.members) {
            // Every address the set claims to hold is found by contains(), unless a
            // more specific nomatch member carves it out.
            if (m.prefix && !m.nomatch && s.holdsAddresses() && !s.contains(m.prefix->address())) {
                bool carved = false;
                for (const auto &n : s.members)
                    if (n.nomatch && n.prefix && n.prefix->contains(m.prefix->address()) &&
                        n.prefix->length() >= m.prefix->length())
                        carved = true;
                if (!carved)
                    __builtin_trap();
            }
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view text(reinterpret_cast<const char *>(data), size);
    auto l = parseIpsetList(text);
    if (l.ok())
        check(*l);
    else if (l.error().message.empty())
        __builtin_trap();
    return 0;
}
