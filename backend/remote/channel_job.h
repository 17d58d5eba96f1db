#pragma once
// One command on one channel of a non-blocking libssh session: open, exec, feed the
// optional stdin line, read stdout/stderr as they come, honour cancel/stop, the
// deadline and the output cap, then finish the caller's handle. Driven by the node's
// worker loop; never blocks.

#include "remote/command_result.h"
#include "remote/running_command.h"
#include "remote/secret.h"

#include <chrono>
#include <optional>
#include <string>

struct ssh_session_struct;
struct ssh_channel_struct;

namespace podpath::remote {

class ChannelJob {
public:
    using Clock = std::chrono::steady_clock;

    ChannelJob(CommandHandle handle, std::string wire, std::optional<Secret> stdinLine, const RunOptions &options,
               ChunkSink sink, std::string node);
    ~ChannelJob();
    ChannelJob(const ChannelJob &) = delete;
    ChannelJob &operator=(const ChannelJob &) = delete;

    // Advances as far as it can without blocking. True when the handle is finished.
    // `mayOpen` false keeps a job that has no channel yet waiting (the session's
    // channel limit); it still honours cancel and its deadline.
    bool step(ssh_session_struct *session, Clock::time_point now, bool mayOpen = true);
    bool opened() const { return m_channel != nullptr; }
    // Stdout before "MARKER\n" is the login shell's, not the command's: dropped
    // (wrapForNode's startMarker).
    void skipUntil(std::string marker) { m_startMarker = std::move(marker) + "\n"; }

    // A channel whose login shell already started (a spare, spareRunnerLine): the job
    // writes its wire as the first stdin line instead of asking for an exec.
    struct Spare {
        ssh_channel_struct *channel = nullptr;
        std::string startMarker;   // still to be found ("" when already passed)
        std::string beforeStart;
    };
    void adopt(Spare spare);
    // This job's channel, once its exec went through and it has not ended, for adopt();
    // the job is then done and finishes its handle as cancelled.
    std::optional<Spare> release();
    bool runningNow() const { return m_phase == Phase::Running && m_channel != nullptr; }
    // The session is gone: finish with SSH_CONNECTION_LOST, touch no libssh object.
    void connectionLost(const std::string &why);
    Clock::time_point nextDeadline() const;
    const CommandHandle &handle() const { return m_handle; }
    // When the node last sent this job anything (ServerAlive).
    Clock::time_point lastHeard() const { return m_heard; }

private:
    enum class Phase { Open, Exec, Running, Done };
    bool fail(const std::string &message, const std::string &detail, const char *code);
    bool finish(bool exited);
    void closeChannel();
    // Reads what is buffered; false on a channel or session error.
    bool pump(bool isStderr, std::size_t budget);

    CommandHandle m_handle;
    std::string m_wire;
    std::optional<Secret> m_stdinLine;
    RunOptions m_options;
    ChunkSink m_sink;
    std::string m_node;
    ssh_channel_struct *m_channel = nullptr;
    Phase m_phase = Phase::Open;
    CommandResult m_result;
    Clock::time_point m_started;
    Clock::time_point m_deadline;
    std::optional<Clock::time_point> m_stopDeadline;
    bool m_eofSent = false;
    bool m_adopted = false;      // the exec happened on a spare: m_wire goes in on stdin
    std::string m_startMarker;   // empty once found (or never asked for)
    std::string m_beforeStart;   // stdout not yet known to be past the marker
    Clock::time_point m_heard{};
};

// Slack PodPath gives a command beyond its node-side bound before it stops waiting,
// and the time a stopped command has to say its last words.
inline constexpr std::chrono::seconds kClientGrace{5};

} // namespace podpath::remote
