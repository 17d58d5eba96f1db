#pragma once
// The caller's handle on a command in flight: wait for it, be called back, stop it.
// Shared between the caller and the shell's worker; every member is thread-safe.

#include "core/result.h"
#include "remote/command_result.h"
#include "remote/pending.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace podpath::remote {

class RunningCommand {
public:
    // `wake` tells the owning worker to look at the stop flags; may be empty.
    RunningCommand(std::string commandLine, std::function<void()> wake = {})
        : m_line(std::move(commandLine)), m_wake(std::move(wake))
    {
    }

    const std::string &commandLine() const { return m_line; }

    bool isFinished() const { return m_result.isReady(); }
    bool waitForFinished(std::chrono::milliseconds max) const { return m_result.waitFor(max); }
    // Blocks until finished: not on the GUI thread (use onFinished there).
    const Result<CommandResult> &result() const { return m_result.get(); }
    // Called once with the result, on the worker thread (or at once if finished).
    void onFinished(std::function<void(const Result<CommandResult> &)> cb) { m_result.then(std::move(cb)); }

    // Abrupt: closes the channel now; the node's watchdog kills the command.
    void cancel() { request(m_cancel); }
    // Graceful: closes the command's stdin, so the watchdog sends SIGTERM and the
    // command's last words (tcpdump's packet counts) still arrive; cancel follows if it
    // does not end within a few seconds.
    void stop() { request(m_stop); }

    // For implementations of NodeShell.
    bool cancelRequested() const { return m_cancel.load(); }
    bool stopRequested() const { return m_stop.load(); }
    bool finish(Result<CommandResult> result) { return m_result.set(std::move(result)); }

private:
    void request(std::atomic<bool> &flag)
    {
        flag.store(true);
        if (m_wake)
            m_wake();
    }

    std::string m_line;
    std::function<void()> m_wake;
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_stop{false};
    Pending<Result<CommandResult>> m_result;
};

using CommandHandle = std::shared_ptr<RunningCommand>;

} // namespace podpath::remote
