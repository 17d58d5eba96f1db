#pragma once
// What a node command produced, and how it may run.

#include "remote/command_values.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace podpath::remote {

struct RunOptions {
    // Bound on the node (`timeout`); PodPath gives up a few seconds later itself.
    Seconds timeout = *Seconds::of(30);
    // Stdout beyond this stops the command and sets `truncated`; for a stream it bounds
    // the bytes handed to the sink (raise it for long captures).
    std::size_t maxOutputBytes = 16u * 1024u * 1024u;
    bool asRoot = false;   // via sudo when the login is not root
};

struct CommandResult {
    std::optional<int> exitStatus;  // empty when the command was stopped before it exited
    std::string exitSignal;         // e.g. "TERM" when the node reported a signal instead
    std::string out;                // stdout (empty for streams: the sink had it)
    std::string err;                // stderr, capped at 1 MiB
    std::uint64_t outBytes = 0;     // stdout bytes seen, streamed or kept
    std::chrono::milliseconds duration{0};
    bool timedOut = false;          // the bound ran out (node-side timeout, or ours)
    bool truncated = false;         // stdout reached maxOutputBytes; the command was stopped
    bool cancelled = false;         // cancel() or stop() ended it

    bool succeeded() const { return exitStatus == 0 && !timedOut && !truncated && !cancelled; }
};

// Receives stdout chunks of a streamed command, in order, on the shell's worker
// thread; it must not block for long (it holds up every channel of that node).
using ChunkSink = std::function<void(std::string_view chunk)>;

inline constexpr std::size_t kMaxStderrBytes = 1024u * 1024u;
// `timeout` exits with this when the bound ran out.
inline constexpr int kTimeoutExitStatus = 124;

} // namespace podpath::remote
