#pragma once
// A node's command shell on one long-lived channel (node_wrapper.h: commandShellLine):
// the login shell starts once per node instead of once per command, which on a node
// whose profile takes half a second is the whole cost of a diagnosis. Commands queue
// and run one at a time, in order; each keeps its own bound on the node, exit status,
// stdout, stderr, cap, cancel and stop. Driven by the node's worker loop like a
// ChannelJob; never blocks.
//
// When the shell cannot be started or stops answering, the channel breaks: the command
// in flight fails with the reason, and the ones still queued are handed back
// (takeQueued) so the worker can run them on channels of their own.

#include "remote/command_frames.h"
#include "remote/command_result.h"
#include "remote/node_wrapper.h"
#include "remote/remote_command.h"
#include "remote/running_command.h"
#include "remote/secret.h"

#include <chrono>
#include <deque>
#include <optional>
#include <string>

struct ssh_session_struct;
struct ssh_channel_struct;

namespace podpath::remote {

class CommandChannel {
public:
    using Clock = std::chrono::steady_clock;

    struct Job {
        CommandHandle handle;
        std::string line;     // commandShellJob
        RunOptions options;
        // The command itself, for a channel of its own should the shell break.
        RemoteCommand command;
        SudoMode mode = SudoMode::None;
        std::optional<Secret> password;   // sudo -S: the job's stdin gets it
        // Not a command: the shell is asked to become root's (sudo -n). The handle gets
        // exit status 0 when it did, 1 when sudo refused (the shell goes on as before).
        bool takeRoot = false;
    };

    CommandChannel(std::string node);
    ~CommandChannel();
    CommandChannel(const CommandChannel &) = delete;
    CommandChannel &operator=(const CommandChannel &) = delete;

    void enqueue(Job job);
    // Advances as far as it can without blocking. False once the channel is broken.
    bool step(ssh_session_struct *session, Clock::time_point now);
    bool broken() const { return m_broken; }
    // Broken because a job got no answer within its bound plus grace: the commands still
    // queued would most likely wait out theirs too.
    bool silent() const { return m_silent; }
    bool opened() const { return m_channel != nullptr; }
    // After a break: the jobs never sent, for the caller to run another way.
    std::deque<Job> takeQueued();
    // The session is gone: the job in flight fails; queued jobs stay for takeQueued.
    void connectionLost(const std::string &why);
    Clock::time_point nextDeadline() const;
    // A command is queued or runs, or the shell is starting: the node owes an answer.
    bool waiting() const;
    // When the node last sent anything on this channel (ServerAlive).
    Clock::time_point lastHeard() const { return m_heard; }
    // Closes the channel (the shell's watchdog ends what runs, the shell ends) and
    // finishes every job, queued or in flight, as cancelled.
    void cancelAll();

private:
    enum class Phase { Open, Exec, Starting, Idle, Running };
    enum class CancelWhy { None, Caller, Stop, Cap, Deadline };
    void close();
    bool breakWith(const std::string &message, const std::string &detail, const char *code);
    bool send(const std::string &bytes);
    bool pump(bool isStderr);
    void finishCurrent(Result<CommandResult> result);
    void sendCancel(CancelWhy why, Clock::time_point now);

    std::string m_node;
    std::string m_nonce;
    ssh_channel_struct *m_channel = nullptr;
    Phase m_phase = Phase::Open;
    bool m_broken = false;
    bool m_silent = false;
    Clock::time_point m_heard{};
    CommandFrames m_frames;
    std::deque<Job> m_queue;
    std::optional<Job> m_current;
    Clock::time_point m_started;       // of the shell, then of the current job
    Clock::time_point m_deadline;      // of the shell's start, then of the current job
    CancelWhy m_cancelWhy = CancelWhy::None;   // why the job in flight was sent SIGTERM
    std::string m_startErr;                    // the login shell's stderr before the ready line
    bool m_abandoned = false;          // the caller cancelled: its answer is read and dropped
    bool m_root = false;               // the shell is root's: jobs need no sudo of their own
};

// How long a node's login shell may take to hand over to the command shell.
inline constexpr std::chrono::seconds kCommandShellStart{20};

} // namespace podpath::remote
