// The ssh config parser reads whatever the user's ~/.ssh/config (and what it includes)
// holds: it must be total, and every alias it offers must be one PodPath can pass on.
#include "remote/ssh_config_hosts.h"
#include "remote/ssh_target.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view s(reinterpret_cast<const char *>(data), size);
    auto r = podpath::remote::parseSshConfigHosts(s);
    if (!r.ok()) {
        if (r.error().message.empty())
            __builtin_trap();
        return 0;
    }
    const int lines = int(std::count(s.begin(), s.end(), '\n')) + 1;
    std::set<std::string> seen;
    int previous = 0;
    for (const auto &h : r->hosts) {
        if (!podpath::remote::isValidHostName(h.alias) || h.alias.find_first_of("*?!") != std::string::npos)
            __builtin_trap();
        if (!seen.insert(h.alias).second)
            __builtin_trap();
        if (h.line < previous || h.line < 1 || h.line > lines)
            __builtin_trap();
        previous = h.line;
    }
    if (r->hosts.size() > 1024)
        __builtin_trap();
    if (r->includes.size() > 64)
        __builtin_trap();
    for (const auto &i : r->includes)
        if (i.patterns.empty() || i.line < 1 || i.line > lines)
            __builtin_trap();
    for (int line : r->unreadLines)
        if (line < 1 || line > lines)
            __builtin_trap();
    return 0;
}
