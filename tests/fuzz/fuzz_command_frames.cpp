// The command shell's answers come from the node: whatever it sends, the reader keeps
// no more than the cap per command, holds a bounded number of bytes that belong to no
// frame, and never reports more kept than seen. The input is split into stdout and
// stderr chunks by its own bytes, so chunk boundaries fall everywhere.
#include "remote/command_frames.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace podpath::remote;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // A short nonce so that random input can hit the markers.
    CommandFrames frames("0123456789abcdef");
    const std::size_t cap = 64;
    frames.expect(cap);
    std::string_view in(reinterpret_cast<const char *>(data), size);
    while (!in.empty()) {
        const unsigned char head = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        const std::size_t n = std::min<std::size_t>(in.size(), (head & 0x3f) + 1);
        if (head & 0x40)
            frames.feedErr(in.substr(0, n));
        else
            frames.feedOut(in.substr(0, n));
        in.remove_prefix(n);
        if (frames.pendingBytes() > 2 * (64 * 1024 + 64))
            __builtin_trap();
        while (auto r = frames.take()) {
            if (r->out.size() > cap || r->out.size() > r->outBytes)
                __builtin_trap();
            if (r->truncated != (r->outBytes > cap))
                __builtin_trap();
            if (!r->exitStatus || *r->exitStatus < 0 || *r->exitStatus > 999)
                __builtin_trap();
            if (!frames.ready())
                __builtin_trap();
            frames.expect(cap);
        }
    }
    return 0;
}
