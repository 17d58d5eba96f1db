// Splitting a batch's (and a fan-out's) answer reads whatever the node sent back: total, and a command's
// result is only ever text the node wrote, in order, with nothing after a missing one.
#include "remote/command_batch.h"
#include "remote/command_fan_out.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace podpath::remote;
    static const CommandBatch batch({RemoteCommand("uname").flag("-n"), RemoteCommand("true"), RemoteCommand("false")},
                                    "0123456789abcdef");
    std::string_view s(reinterpret_cast<const char *>(data), size);
    // First byte picks where stdout ends and stderr begins.
    const std::size_t cut = size ? std::size_t(data[0]) * size / 256 : 0;
    CommandResult whole;
    whole.out = std::string(s.substr(0, cut));
    whole.err = std::string(s.substr(cut));
    const auto parts = batch.split(whole);
    if (parts.size() != 3)
        __builtin_trap();
    bool ended = false;
    for (const auto &p : parts) {
        if (!p) {
            ended = true;
            continue;
        }
        if (ended || !p->exitStatus || *p->exitStatus < 0 || *p->exitStatus > 999)
            __builtin_trap();
        if (whole.out.find(p->out) == std::string::npos || p->err.size() > whole.err.size())
            __builtin_trap();
    }
    // The same answer split as commands run side by side: total, each result only lines
    // the node wrote, and the status three digits at most.
    static const CommandFanOut fan({RemoteCommand("true"), RemoteCommand("false")}, std::nullopt,
                                   "0123456789abcdef");
    for (const auto &p : fan.split(whole)) {
        if (!p)
            continue;
        if (!p->exitStatus || *p->exitStatus < 0 || *p->exitStatus > 999 || p->out.size() > whole.out.size() + 1)
            __builtin_trap();
    }
    return 0;
}
