#include "remote/ssh_worker.h"

#include "remote/command_batch.h"
#include "remote/error_codes.h"
#include "remote/node_wrapper.h"

#include <libssh/libssh.h>
#include <spdlog/spdlog.h>

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

namespace podpath::remote {

namespace {

int drainWakeFd(socket_t fd, int, void *)
{
    eventfd_t value;
    (void)eventfd_read(fd, &value);
    return 0;
}

Error notConnected(const std::string &node)
{
    return Error("not connected to " + node, {}, "connect first (or reconnect after a loss)", 0,
                 kSshNotConnected);
}

// How many channels one session opens at once; more wait their turn. OpenSSH's sshd
// allows 10 sessions per connection by default (MaxSessions).
constexpr int kMaxOpenChannels = 8;

} // namespace

struct SshWorker::WakeFd {
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    ~WakeFd() { close(fd); }
    void wake() const { (void)eventfd_write(fd, 1); }
};

SshWorker::SshWorker(SshTarget target, SshPrompter *prompter, ConnectOptions options, Hooks hooks)
    : m_target(std::move(target)), m_prompter(prompter), m_options(std::move(options)), m_hooks(std::move(hooks))
{
    m_wake = std::make_shared<WakeFd>();
    m_wakeFd = m_wake->fd;
    m_info.label = m_target.label();
    m_thread = std::thread([this] { run(); });
    std::string name = "ssh " + m_target.host;
    pthread_setname_np(m_thread.native_handle(), name.substr(0, 15).c_str());
}

SshWorker::~SshWorker()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    wake();
    m_thread.join();
}

void SshWorker::wake() { m_wake->wake(); }

std::function<void()> SshWorker::waker() const
{
    return [w = m_wake] { w->wake(); };
}

std::shared_ptr<SshWorker::ConnectResult> SshWorker::connect()
{
    auto pending = std::make_shared<ConnectResult>();
    {
        std::lock_guard lock(m_mutex);
        m_connectRequests.push_back(pending);
        m_disconnectRequested = false;
    }
    wake();
    return pending;
}

void SshWorker::disconnect()
{
    {
        std::lock_guard lock(m_mutex);
        m_disconnectRequested = true;
    }
    wake();
}

NodeInfo SshWorker::info() const
{
    std::lock_guard lock(m_mutex);
    return m_info;
}

CommandHandle SshWorker::submit(const RemoteCommand &command, const RunOptions &options, ChunkSink sink)
{
    auto handle = std::make_shared<RunningCommand>(command.toString(), waker());
    {
        std::lock_guard lock(m_mutex);
        m_incoming.push_back(Request{handle, command, options, std::move(sink)});
    }
    wake();
    return handle;
}

bool SshWorker::sessionAlive() const { return m_session.session && ssh_is_connected(m_session.session.get()); }

void SshWorker::run()
{
    for (;;) {
        std::deque<Request> incoming;
        std::vector<std::shared_ptr<ConnectResult>> connects;
        bool disconnectNow = false;
        bool quit = false;
        {
            std::lock_guard lock(m_mutex);
            incoming.swap(m_incoming);
            connects.swap(m_connectRequests);
            disconnectNow = std::exchange(m_disconnectRequested, false);
            quit = m_quit;
        }
        if (quit || disconnectNow) {
            for (auto &job : m_jobs)
                job->handle()->cancel();
            if (m_shell) {
                m_shell->cancelAll();
                m_shell.reset();
            }
            serviceJobs(0);   // each cancelled job closes its channel and finishes
            closeSession();
            m_lostWhy.clear();   // closed on purpose: not connected, nothing lost
            for (auto &r : incoming)
                r.handle->finish(notConnected(m_target.label()));
            incoming.clear();
            if (quit) {
                for (auto &c : connects)
                    c->set(notConnected(m_target.label()));
                return;
            }
        }
        if (!connects.empty()) {
            Result<NodeInfo> result = m_session.session ? Result<NodeInfo>(info()) : doConnect();
            for (auto &c : connects)
                c->set(result);
        }
        for (auto &r : incoming)
            accept(std::move(r));

        if (m_session.session) {
            serviceJobs(m_jobs.empty() && !m_shell ? 1000 : 50);
        } else {
            pollfd p{m_wakeFd, POLLIN, 0};
            if (poll(&p, 1, 1000) > 0)
                drainWakeFd(m_wakeFd, 0, nullptr);
        }
    }
}

void SshWorker::accept(Request r)
{
    if (!m_session.session) {
        // After a loss the caller learns why, as the commands that were running did: a
        // diagnosis then names the node that went dark even if nothing of its was waiting.
        r.handle->finish(m_lostWhy.empty()
                             ? notConnected(m_target.label())
                             : Error("lost the connection to " + m_target.label() + " before running: " +
                                         r.handle->commandLine(),
                                     m_lostWhy, "reconnect when the node is reachable", 0, kSshConnectionLost));
        return;
    }
    SudoMode mode = SudoMode::None;
    std::optional<Secret> stdinLine;
    if (r.options.asRoot) {
        switch (m_privilege.privilege) {
        case Privilege::Root: break;
        case Privilege::SudoNoPassword: mode = SudoMode::NoPassword; break;
        case Privilege::SudoRestricted:
            // Named commands only; with a password when sudo asked for one at the probe.
            mode = m_privilege.sudoPassword ? SudoMode::PerCommandWithPassword : SudoMode::PerCommand;
            stdinLine = m_privilege.sudoPassword;
            break;
        case Privilege::SudoPassword:
            mode = SudoMode::WithPassword;
            stdinLine = m_privilege.sudoPassword;
            break;
        case Privilege::None:
        case Privilege::Unknown:
            r.handle->finish(rootUnavailable(m_session.user + "@" + m_target.host, m_privilege,
                                             {r.command.program()}));
            return;
        }
    }
    dispatch(r.handle, r.command, r.options, mode, std::move(stdinLine), std::move(r.sink));
}

void SshWorker::dispatch(CommandHandle handle, const RemoteCommand &command, const RunOptions &options, SudoMode mode,
                         std::optional<Secret> password, ChunkSink sink)
{
    if (sink) {
        // A stream keeps its own exec, the spare one when its login shell is up; the
        // marker keeps a login banner out of the pcap.
        auto spare = std::find_if(m_jobs.begin(), m_jobs.end(),
                                  [&](const auto &job) { return m_spare && job->handle() == m_spare; });
        std::optional<ChannelJob::Spare> adopted;
        if (spare != m_jobs.end())
            adopted = (*spare)->release();
        m_spare.reset();
        if (adopted) {
            runOnOwnChannel(std::move(handle), wrapForNode(command, options.timeout, mode), std::move(password),
                            options, std::move(sink));
            m_jobs.back()->adopt(std::move(*adopted));
            return;
        }
        const std::string marker = CommandBatch::randomNonce();
        runOnOwnChannel(std::move(handle), wrapForNode(command, options.timeout, mode, marker), std::move(password),
                        options, std::move(sink));
        m_jobs.back()->skipUntil(marker);
        return;
    }
    std::string job = commandShellJob(command, options.timeout, mode);
    if (options.ownChannel || m_shellBroken || job.find('\n') != std::string::npos) {
        runOnOwnChannel(std::move(handle), wrapForNode(command, options.timeout, mode), std::move(password), options,
                        std::move(sink));
        return;
    }
    if (!m_shell)
        m_shell = std::make_unique<CommandChannel>(m_target.host);
    m_shell->enqueue(CommandChannel::Job{std::move(handle), std::move(job), options, command, mode, std::move(password)});
}

void SshWorker::runOnOwnChannel(CommandHandle handle, std::string wire, std::optional<Secret> stdinLine,
                                const RunOptions &options, ChunkSink sink)
{
    m_jobs.push_back(std::make_unique<ChannelJob>(std::move(handle), std::move(wire), std::move(stdinLine), options,
                                                  std::move(sink), m_target.host));
}

void SshWorker::startSpare()
{
    const std::string marker = CommandBatch::randomNonce();
    m_spare = std::make_shared<RunningCommand>("spare exec for the capture");
    RunOptions options;
    options.timeout = *Seconds::of(86400);   // it runs nothing until adopted; EOF ends it
    options.maxOutputBytes = 64 * 1024;
    runOnOwnChannel(m_spare, spareRunnerLine(marker), std::nullopt, options, {});
    m_jobs.back()->skipUntil(marker);
}

void SshWorker::countExec()
{
    std::lock_guard lock(m_mutex);
    ++m_info.execs;
}

void SshWorker::stepShell(ChannelJob::Clock::time_point now)
{
    if (!m_shell)
        return;
    const bool wasOpen = m_shell->opened();
    m_shell->step(m_session.session.get(), now);
    if (!wasOpen && m_shell->opened())
        countExec();
    if (!m_shell->broken())
        return;
    // The commands still waiting run the old way, one channel each; so does everything
    // after, on this connection.
    m_nodeSilent = m_shell->silent();
    if (m_nodeSilent) {
        // The node stopped answering: the queued commands are not sent anywhere, so the
        // diagnosis learns it now and not one bound per command later.
        spdlog::warn("{}: PodPath's command shell stopped answering", m_target.label());
        for (auto &job : m_shell->takeQueued())
            job.handle->finish(Error("not run on " + m_target.label() + ": the node stopped answering before its turn",
                                     job.handle->commandLine(), "check that the node is up and reachable over SSH",
                                     0, kSshChannelFailed));
    } else {
        spdlog::warn("{}: PodPath's command shell stopped; commands get channels of their own", m_target.label());
        for (auto &job : m_shell->takeQueued())
            runOnOwnChannel(job.handle, wrapForNode(job.command, job.options.timeout, job.mode),
                            std::move(job.password), job.options, {});
    }
    m_shell.reset();
    m_shellBroken = true;
}

void SshWorker::serviceJobs(int maxWaitMs)
{
    ssh_session s = m_session.session.get();
    // Two passes: packets read for one channel may complete another channel's step.
    for (int pass = 0; pass < 2 && s; ++pass) {
        auto now = ChannelJob::Clock::now();
        stepShell(now);
        // A node that stopped answering will not say a stopped command's last words
        // either: stop at once instead of waiting out the grace.
        if (m_nodeSilent)
            for (auto &job : m_jobs)
                if (job->handle()->stopRequested())
                    job->handle()->cancel();
        int open = int(std::count_if(m_jobs.begin(), m_jobs.end(), [](auto &job) { return job->opened(); })) +
                   int(m_shell && m_shell->opened());
        m_jobs.erase(std::remove_if(m_jobs.begin(), m_jobs.end(),
                                    [&](auto &job) {
                                        const bool wasOpen = job->opened();
                                        const bool done = job->step(s, now, wasOpen || open < kMaxOpenChannels);
                                        m_alive.heard(job->lastHeard());
                                        if (!wasOpen && job->opened())
                                            countExec();
                                        open += int(job->opened()) - int(wasOpen);
                                        return done;
                                    }),
                     m_jobs.end());
        if (!sessionAlive()) {
            lose(ssh_get_error(s));
            return;
        }
    }
    if (!s)
        return;
    if (m_shell)
        m_alive.heard(m_shell->lastHeard());
    const bool waiting = waitingOnNode();
    switch (m_alive.step(s, ChannelJob::Clock::now(), waiting)) {
    case ServerAlive::State::Answering: break;
    case ServerAlive::State::Silent:
        lose("nothing came from the node for " + std::to_string(m_alive.timing().patience.count() / 1000) +
             " s, not even an answer to an SSH keepalive (SSH blocked on the path, or the node hung)");
        return;
    case ServerAlive::State::SessionFailed:
        lose(ssh_get_error(s));
        return;
    }
    if (maxWaitMs <= 0)
        return;
    int wait = maxWaitMs;
    auto now = ChannelJob::Clock::now();
    for (auto &job : m_jobs) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(job->nextDeadline() - now).count();
        wait = int(std::clamp<long long>(left, 0, wait));
    }
    if (waiting) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_alive.nextDeadline(true) - now).count();
        wait = int(std::clamp<long long>(left, 0, wait));
    }
    if (m_shell && m_shell->nextDeadline() != ChannelJob::Clock::time_point::max()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_shell->nextDeadline() - now).count();
        wait = int(std::clamp<long long>(left, 0, wait));
    }
    if (ssh_event_dopoll(m_event, wait) == SSH_ERROR && !sessionAlive())
        lose(ssh_get_error(s));
    else if (!sessionAlive())
        lose(ssh_get_error(s));
}

bool SshWorker::waitingOnNode() const
{
    // The spare exec waits for the capture, not for the node: quiet is expected there.
    return (m_shell && m_shell->waiting()) ||
           std::any_of(m_jobs.begin(), m_jobs.end(), [&](const auto &job) { return !(m_spare && job->handle() == m_spare); });
}

void SshWorker::lose(const std::string &why)
{
    spdlog::warn("lost the connection to {}: {}", m_target.label(), why);
    m_alive.sessionGone();
    m_lostWhy = why.empty() ? std::string("the connection broke") : why;
    for (auto &job : m_jobs)
        job->connectionLost(why);
    m_jobs.clear();
    if (m_shell) {
        m_shell->connectionLost(why);
        for (auto &job : m_shell->takeQueued())
            job.handle->finish(Error("lost the connection to " + m_target.label() + " before running: " +
                                         job.handle->commandLine(),
                                     why, "the node or the network went away; reconnect when the node is reachable",
                                     0, kSshConnectionLost));
        m_shell.reset();
    }
    closeSession();
    if (m_hooks.connectionLost)
        m_hooks.connectionLost(Error("lost the connection to " + m_target.label(), why,
                                     "reconnect when the node is reachable", 0, kSshConnectionLost));
}

void SshWorker::closeSession()
{
    m_jobs.clear();
    if (m_shell) {
        m_shell->cancelAll();
        m_shell.reset();
    }
    m_alive.reset();
    m_shellBroken = false;
    m_nodeSilent = false;
    m_spare.reset();
    if (m_event) {
        if (m_session.session)
            ssh_event_remove_session(m_event, m_session.session.get());
        ssh_event_remove_fd(m_event, m_wakeFd);
        ssh_event_free(m_event);
        m_event = nullptr;
    }
    m_session.session.reset();
    m_privilege = PrivilegeState{};
    std::lock_guard lock(m_mutex);
    m_info.privilege = Privilege::Unknown;
    m_info.uid = -1;
}

Result<CommandResult> SshWorker::runInline(const RemoteCommand &command, Seconds bound, SudoMode mode,
                                          const std::optional<Secret> &stdinLine)
{
    auto handle = std::make_shared<RunningCommand>(command.toString());
    RunOptions options;
    options.maxOutputBytes = 64 * 1024;
    options.timeout = bound;
    // Through the command shell like everything after: the probe's login is the only one.
    dispatch(handle, command, options, mode, stdinLine, {});
    while (!handle->isFinished() && m_session.session)
        serviceJobs(50);
    if (!handle->isFinished())
        return Error("lost the connection to " + m_target.label() + " while checking privileges", {},
                     "reconnect when the node is reachable", 0, kSshConnectionLost);
    return handle->result();
}

Result<bool> SshWorker::takeRootInline()
{
    if (!m_shell || m_shellBroken)
        return false;   // no command shell to turn into root's: sudo per command
    auto handle = std::make_shared<RunningCommand>("sudo -n (the command shell becomes root's)");
    RunOptions options;
    options.timeout = *Seconds::of(15);
    m_shell->enqueue(CommandChannel::Job{handle, {}, options, RemoteCommand("sudo"), SudoMode::None, std::nullopt, true});
    while (!handle->isFinished() && m_session.session)
        serviceJobs(50);
    if (!handle->isFinished())
        return Error("lost the connection to " + m_target.label() + " while checking privileges", {},
                     "reconnect when the node is reachable", 0, kSshConnectionLost);
    const auto &r = handle->result();
    if (!r.ok())
        // A refusing sudo leaves the shell as it was (noroot); this is the shell breaking
        // (root's did not say ready within its start bound): the probe goes on without
        // it, its commands on channels of their own, as after any break.
        return r.error().code == kSshConnectionLost ? Result<bool>(r.error()) : Result<bool>(false);
    return r->exitStatus == 0;
}

Result<NodeInfo> SshWorker::doConnect()
{
    auto fail = [&](Error e) -> Result<NodeInfo> {
        closeSession();
        if (m_hooks.connectFailed)
            m_hooks.connectFailed(e);
        return e;
    };
    auto opened = openSession(m_target, m_prompter);
    if (!opened)
        return fail(opened.error());
    m_session = std::move(*opened);
    m_lostWhy.clear();
    {
        std::lock_guard lock(m_mutex);
        m_info.logins = 1;
        m_info.execs = 0;
    }
    ssh_session s = m_session.session.get();
    ssh_set_blocking(s, 0);
    m_alive.reset();
    m_event = ssh_event_new();
    if (!m_event || ssh_event_add_session(m_event, s) != SSH_OK ||
        ssh_event_add_fd(m_event, m_wakeFd, POLLIN, drainWakeFd, nullptr) != SSH_OK)
        return fail(Error("could not watch the connection to " + m_target.label(), {}, {}, 0, kSshConnectFailed));

    const std::string userAtHost = m_session.user + "@" + m_target.host;
    // Its login shell starts now, alongside the command shell's, not when the capture does.
    startSpare();
    auto privilege = probePrivilege(
        [this](const RemoteCommand &command, Seconds bound, SudoMode mode, const std::optional<Secret> &line) {
            return runInline(command, bound, mode, line);
        },
        m_prompter, userAtHost, [this] { return takeRootInline(); });
    if (!privilege) {
        Error e = privilege.error();
        // The probe's framed shell script is plumbing; the reader needs to know the stage.
        if (e.code == kSshConnectionLost)
            e.message = "lost the connection to " + m_target.label() + " while checking its privileges";
        return fail(std::move(e));
    }
    if (m_options.requireRoot && privilege->privilege == Privilege::None)
        return fail(rootUnavailable(userAtHost, *privilege, m_options.rootCommands));
    m_privilege = std::move(*privilege);

    NodeInfo info;
    {
        std::lock_guard lock(m_mutex);
        m_info.user = m_session.user;
        m_info.uid = m_privilege.uid;
        m_info.privilege = m_privilege.privilege;
        info = m_info;
    }
    spdlog::info("connected to {} as uid {} (privilege: {})", info.label, info.uid, privilegeName(info.privilege));
    if (m_hooks.connected)
        m_hooks.connected(info);
    return info;
}

} // namespace podpath::remote
