// A node list (`podpath matrix --nodes-file`, a recording's nodes.txt, the window's box) is
// read whatever it holds: every node read is one word, never empty or a comment, and a
// refusal names its line.
#include "remote/cluster_sessions.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto r = podpath::remote::parseNodeList(text, "fuzz");
    if (!r.ok()) {
        if (r.error().line <= 0)
            __builtin_trap();
        return 0;
    }
    for (const auto &n : *r)
        if (n.empty() || n.front() == '#' || n.size() > 1024 ||
            std::any_of(n.begin(), n.end(), [](char c) { return c == ' ' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
            __builtin_trap();
    return 0;
}
