#pragma once
// What a node command produced, and how it may run.

#include "parse/text.h"
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
    // Via sudo when the login is not root. Where sudo needs no password the command
    // shell is root's from the connect on, and every command in it runs as root, with
    // or without asRoot (PodPath's commands only read).
    bool asRoot = false;
    // Over SSH, commands take their turn in the node's command shell, one at a time
    // (one login shell for all). A command that others must not wait behind (a long
    // sleep, a second capture) asks for a channel of its own: one more exec.
    bool ownChannel = false;
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
    // Why it did not succeed, for the end of "X failed: ...": never empty. The first
    // line of stderr when there is one, else what is known (status, signal, time).
    std::string whyNot() const
    {
        const std::string_view e = text::firstLine(err);
        const std::string said = e.empty() ? std::string() : ": " + std::string(e);
        if (timedOut)
            return exitStatus ? "ran out of time on the node" + said : "got no answer (the node stopped answering)";
        if (cancelled)
            return "was stopped before it finished";
        if (truncated)
            return "printed more than PodPath reads";
        if (!exitSignal.empty())
            return "was killed by signal " + exitSignal + said;
        if (!exitStatus)
            return "ended without an exit status (the connection was lost)";
        return "exited with status " + std::to_string(*exitStatus) + said;
    }
};

// Receives stdout chunks of a streamed command, in order, on the shell's worker
// thread; it must not block for long (it holds up every channel of that node).
using ChunkSink = std::function<void(std::string_view chunk)>;

inline constexpr std::size_t kMaxStderrBytes = 1024u * 1024u;
// `timeout` exits with this when the bound ran out.
inline constexpr int kTimeoutExitStatus = 124;

} // namespace podpath::remote
