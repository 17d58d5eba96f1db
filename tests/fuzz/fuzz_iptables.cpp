// `iptables-save -c` and the counter diff over what it reads: both must be total.
#include "diagnose/endpoint_policy.h"
#include "parse/counter_diff.h"
#include "parse/iptables_save.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace podpath::parse;

namespace {

void checkSnapshot(const IptablesSnapshot &s, int lines)
{
    // A skipped line says why and where, and that line exists.
    for (const auto &e : s.unreadable)
        if (e.message.empty() || e.line <= 0 || e.line > lines)
            __builtin_trap();
    for (const auto &t : s.tables)
        for (const auto &c : t.chains)
            for (const auto &r : c.rules) {
                // Every rule has a position and names its input line.
                if (r.position <= 0 || r.line <= 0 || r.line > lines)
                    __builtin_trap();
                if (r.verdict == Verdict::Goto && !r.isGoto)
                    __builtin_trap();
            }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view text(reinterpret_cast<const char *>(data), size);
    auto save = parseIptablesSave(text);
    const int lines = int(std::count(text.begin(), text.end(), '\n')) + 1;
    if (save.ok()) {
        checkSnapshot(*save, lines);
        // A snapshot compared with itself has no rule whose counter rose.
        if (!diffCounters(*save, *save).empty())
            __builtin_trap();
        for (const auto &d : diffCounters(IptablesSnapshot{}, *save))
            if (!d.newRule || (d.packets == 0 && d.bytes == 0))
                __builtin_trap();
        // The policy verdict over every pod chain in the dump: each decision counted
        // packets and reads as a sentence.
        const auto rules = countedRules(*save);
        for (const auto &t : save->tables)
            for (const auto &c : t.chains)
                for (std::string_view pfx : {"cali-tw-", "cali-fw-"})
                    if (c.name.rfind(pfx, 0) == 0) {
                        using namespace podpath::diagnose;
                        const PodSide side = pfx == "cali-tw-" ? PodSide::Ingress : PodSide::Egress;
                        const auto r = readEndpointPolicy({}, rules, c.name.substr(pfx.size()), side);
                        // A chain is found by its counted rules (an empty one has none to judge).
                        const bool counted = std::any_of(c.rules.begin(), c.rules.end(),
                                                         [](const auto &rule) { return rule.counters.has_value(); });
                        if (counted && !r.found())
                            __builtin_trap();
                        for (const auto &d : r.decisions)
                            if (d.packets == 0 || policySentence(d, side, !r.tiers.empty()).empty())
                                __builtin_trap();
                    }
    } else if (save.error().message.empty()) {
        __builtin_trap();
    }
    (void)splitIptablesArguments(text);
    return 0;
}
