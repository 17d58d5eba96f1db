#pragma once
// The thread that owns one node's libssh session (libssh sessions are not thread-safe)
// and services all of its channels at once in one non-blocking loop. Other threads
// only post requests and wait on handles.

#include "core/result.h"
#include "remote/channel_job.h"
#include "remote/command_channel.h"
#include "remote/node_wrapper.h"
#include "remote/node_shell.h"
#include "remote/pending.h"
#include "remote/privilege_probe.h"
#include "remote/server_alive.h"
#include "remote/session_opener.h"
#include "remote/ssh_prompter.h"
#include "remote/ssh_target.h"

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

struct ssh_event_struct;

namespace podpath::remote {

struct ConnectOptions {
    // Refuse to connect when the login is neither root nor able to use sudo, naming the
    // commands that need root.
    bool requireRoot = true;
    std::vector<std::string> rootCommands = {"tcpdump", "iptables", "ipset"};
};

class SshWorker {
public:
    using ConnectResult = Pending<Result<NodeInfo>>;
    struct Hooks {
        std::function<void(const NodeInfo &)> connected;
        std::function<void(const Error &)> connectFailed;
        std::function<void(const Error &)> connectionLost;
    };

    SshWorker(SshTarget target, SshPrompter *prompter, ConnectOptions options, Hooks hooks);
    ~SshWorker();
    SshWorker(const SshWorker &) = delete;
    SshWorker &operator=(const SshWorker &) = delete;

    // Connects, or reconnects after a loss; a no-op returning the current info if connected.
    std::shared_ptr<ConnectResult> connect();
    // Cancels every command and closes the session.
    void disconnect();
    CommandHandle submit(const RemoteCommand &command, const RunOptions &options, ChunkSink sink);
    NodeInfo info() const;

private:
    struct Request {
        CommandHandle handle;
        RemoteCommand command;
        RunOptions options;
        ChunkSink sink;
    };

    void wake();
    std::function<void()> waker() const;
    void run();
    void serviceJobs(int maxWaitMs);
    Result<NodeInfo> doConnect();
    // The command shell becomes root's (CommandChannel::Job::takeRoot), waited for.
    Result<bool> takeRootInline();
    Result<CommandResult> runInline(const RemoteCommand &command, Seconds bound, SudoMode mode,
                                    const std::optional<Secret> &stdinLine);
    void accept(Request request);
    void dispatch(CommandHandle handle, const RemoteCommand &command, const RunOptions &options, SudoMode mode,
                  std::optional<Secret> password, ChunkSink sink);
    void runOnOwnChannel(CommandHandle handle, std::string wire, std::optional<Secret> stdinLine,
                         const RunOptions &options, ChunkSink sink);
    void stepShell(ChannelJob::Clock::time_point now);
    void countExec();
    void closeSession();
    void lose(const std::string &why);
    bool sessionAlive() const;

    const SshTarget m_target;
    SshPrompter *const m_prompter;
    const ConnectOptions m_options;
    const Hooks m_hooks;
    // Shared with every handle, so a handle that outlives the worker can still call
    // cancel() safely (the write then wakes nobody).
    struct WakeFd;
    std::shared_ptr<WakeFd> m_wake;
    int m_wakeFd = -1;

    mutable std::mutex m_mutex;   // guards the members up to m_info
    std::deque<Request> m_incoming;
    std::vector<std::shared_ptr<ConnectResult>> m_connectRequests;
    bool m_disconnectRequested = false;
    bool m_quit = false;
    NodeInfo m_info;

    // Worker thread only.
    OpenedSession m_session;
    ssh_event_struct *m_event = nullptr;
    PrivilegeState m_privilege;
    std::vector<std::unique_ptr<ChannelJob>> m_jobs;
    // Short commands go through the node's command shell (one login for all of them);
    // streams, and everything once the shell broke, get channels of their own.
    std::unique_ptr<CommandChannel> m_shell;
    bool m_shellBroken = false;
    bool m_nodeSilent = false;   // the command shell got no answer within a bound
    ServerAlive m_alive;
    std::string m_lostWhy;   // why the last session was lost; empty once connected again
    bool waitingOnNode() const;
    // A spare exec whose login shell starts during discovery, for the capture.
    CommandHandle m_spare;
    void startSpare();
    std::thread m_thread;
};

} // namespace podpath::remote
