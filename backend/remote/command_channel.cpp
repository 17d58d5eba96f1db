#include "remote/command_channel.h"

#include "parse/text.h"
#include "remote/channel_job.h"
#include "remote/command_batch.h"
#include "remote/error_codes.h"
#include "remote/node_wrapper.h"

#include <libssh/libssh.h>

#include <algorithm>

namespace podpath::remote {

namespace {

constexpr std::size_t kStartErrBytes = 4096;

// A job that ended without its answer: stopped by PodPath, or given up on.
CommandResult endedWithoutAnswer(bool timedOut, std::chrono::milliseconds after = {})
{
    CommandResult r;
    r.cancelled = !timedOut;
    r.timedOut = timedOut;
    r.duration = after;
    return r;
}

} // namespace

CommandChannel::CommandChannel(std::string node)
    : m_node(std::move(node)), m_nonce(CommandBatch::randomNonce()), m_frames(m_nonce)
{
}

CommandChannel::~CommandChannel() { close(); }

void CommandChannel::close()
{
    if (!m_channel)
        return;
    ssh_channel_close(m_channel);
    ssh_channel_free(m_channel);
    m_channel = nullptr;
}

void CommandChannel::cancelAll()
{
    close();
    const CommandResult cancelled = endedWithoutAnswer(false);
    if (m_current)
        finishCurrent(cancelled);
    for (auto &job : m_queue)
        job.handle->finish(cancelled);
    m_queue.clear();
    m_broken = true;
}

void CommandChannel::enqueue(Job job) { m_queue.push_back(std::move(job)); }

std::deque<CommandChannel::Job> CommandChannel::takeQueued() { return std::exchange(m_queue, {}); }

CommandChannel::Clock::time_point CommandChannel::nextDeadline() const
{
    if (m_phase == Phase::Starting || m_phase == Phase::Running)
        return m_deadline;
    return Clock::time_point::max();
}

bool CommandChannel::waiting() const
{
    return m_phase == Phase::Starting || m_phase == Phase::Running || !m_queue.empty();
}

void CommandChannel::finishCurrent(Result<CommandResult> result)
{
    if (m_current && !m_abandoned)
        m_current->handle->finish(std::move(result));
    m_current.reset();
    m_abandoned = false;
    m_cancelWhy = CancelWhy::None;
}

bool CommandChannel::breakWith(const std::string &message, const std::string &detail, const char *code)
{
    close();
    m_broken = true;
    if (m_current)
        finishCurrent(Error(message + ", while running: " + m_current->handle->commandLine(), detail,
                            std::string(code) == kSshConnectionLost
                                ? "the node or the network went away; reconnect when the node is reachable"
                                : "try again; if it persists, check the node's login shell and sshd",
                            0, code));
    return false;
}

void CommandChannel::connectionLost(const std::string &why)
{
    m_channel = nullptr;   // freed with the session
    m_broken = true;
    if (m_current)
        finishCurrent(Error("lost the connection to " + m_node + " while running: " +
                                m_current->handle->commandLine(),
                            why, "the node or the network went away; reconnect when the node is reachable", 0,
                            kSshConnectionLost));
}

bool CommandChannel::send(const std::string &bytes)
{
    return ssh_channel_write(m_channel, bytes.data(), uint32_t(bytes.size())) == int(bytes.size());
}

void CommandChannel::sendCancel(CancelWhy why, Clock::time_point now)
{
    // Any line reaches the watchdog of the job that runs now (SIGTERM); the shell's loop
    // ignores it if the job ended first.
    if (m_cancelWhy != CancelWhy::None)
        return;
    if (m_channel)
        (void)send("x\n");
    m_cancelWhy = why;
    // The job has a few seconds to say its last words; then the shell counts as stuck.
    m_deadline = std::min(m_deadline, now + kClientGrace);
}

bool CommandChannel::pump(bool isStderr)
{
    char buf[32 * 1024];
    for (std::size_t taken = 0; m_channel && taken < 1024 * 1024;) {
        int n = ssh_channel_read_nonblocking(m_channel, buf, sizeof buf, isStderr ? 1 : 0);
        if (n == SSH_ERROR)
            return false;
        if (n <= 0)
            break;
        taken += std::size_t(n);
        m_heard = Clock::now();
        const std::string_view chunk(buf, std::size_t(n));
        if (isStderr) {
            if (m_phase == Phase::Starting && m_startErr.size() < kStartErrBytes)
                m_startErr.append(chunk.substr(0, kStartErrBytes - m_startErr.size()));
            m_frames.feedErr(chunk);
        } else {
            m_frames.feedOut(chunk);
        }
    }
    return true;
}

bool CommandChannel::step(ssh_session session, Clock::time_point now)
{
    if (m_broken)
        return false;
    // Jobs cancelled while they waited never run.
    for (auto it = m_queue.begin(); it != m_queue.end();) {
        if (it->handle->cancelRequested() || it->handle->stopRequested()) {
            it->handle->finish(endedWithoutAnswer(false));
            it = m_queue.erase(it);
        } else {
            ++it;
        }
    }
    if (m_phase == Phase::Open) {
        if (m_queue.empty())
            return true;   // opened on first use
        if (!m_channel && !(m_channel = ssh_channel_new(session)))
            return breakWith("could not create a channel to " + m_node, ssh_get_error(session), kSshChannelFailed);
        const int rc = ssh_channel_open_session(m_channel);
        if (rc == SSH_AGAIN)
            return true;
        if (rc != SSH_OK)
            return breakWith("the node " + m_node + " refused a new channel", ssh_get_error(session),
                             ssh_is_connected(session) ? kSshChannelFailed : kSshConnectionLost);
        m_phase = Phase::Exec;
    }
    if (m_phase == Phase::Exec) {
        const int rc = ssh_channel_request_exec(m_channel, commandShellLine(m_nonce).c_str());
        if (rc == SSH_AGAIN)
            return true;
        if (rc != SSH_OK)
            return breakWith("the node " + m_node + " refused to start PodPath's command shell",
                             ssh_get_error(session), ssh_is_connected(session) ? kSshChannelFailed : kSshConnectionLost);
        m_phase = Phase::Starting;
        m_started = now;
        m_deadline = now + kCommandShellStart;
    }

    for (;;) {
        if (!pump(false) || !pump(true))
            return breakWith("lost the connection to " + m_node, ssh_get_error(session), kSshConnectionLost);
        if (m_phase == Phase::Starting) {
            if (!m_frames.ready()) {
                const bool rooting = m_current && m_current->takeRoot;
                const std::string starter = rooting ? "sudo on " + m_node : "the login shell on " + m_node;
                const std::string shell = rooting ? "PodPath's root command shell" : "PodPath's command shell";
                if (ssh_channel_is_closed(m_channel) || ssh_channel_is_eof(m_channel))
                    return breakWith(starter + " ended before " + shell + " started",
                                     std::string(text::firstLine(m_startErr)), kSshChannelFailed);
                if (now >= m_deadline)
                    return breakWith(starter + " did not start " + shell + " within " +
                                         std::to_string(kCommandShellStart.count()) + " s",
                                     std::string(text::firstLine(m_startErr)), kSshChannelFailed);
                return true;
            }
            m_phase = Phase::Idle;
            m_startErr.clear();
            if (m_current && m_current->takeRoot) {
                CommandResult r;
                r.exitStatus = m_frames.rootRefused() ? 1 : 0;
                r.duration = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_started);
                m_root = !m_frames.rootRefused();
                finishCurrent(std::move(r));
            }
        }
        if (m_phase == Phase::Idle) {
            if (m_queue.empty())
                return true;
            if (m_queue.front().takeRoot) {
                // One sudo for the rest of the session instead of one per command (each
                // pays sudo's start-up and leaves a line in the node's auth log).
                m_current = std::move(m_queue.front());
                m_queue.pop_front();
                if (!send(commandShellRootRequest(m_nonce) + "\n"))
                    return breakWith("could not send to " + m_node, ssh_get_error(session), kSshChannelFailed);
                m_frames.awaitReady();
                m_phase = Phase::Starting;
                m_started = now;
                m_deadline = now + kCommandShellStart;
                continue;
            }
            m_current = std::move(m_queue.front());
            m_queue.pop_front();
            m_frames.expect(m_current->options.maxOutputBytes);
            std::string request = commandShellHeader(m_nonce, m_current->password.has_value()) + "\n";
            if (m_current->password)
                request += std::string(m_current->password->reveal()) + "\n";
            // In root's shell the job needs no sudo of its own.
            request += (m_root && m_current->mode == SudoMode::NoPassword
                            ? commandShellJob(m_current->command, m_current->options.timeout, SudoMode::None)
                            : m_current->line) +
                       "\n";
            const bool sent = send(request);
            std::fill(request.begin(), request.end(), '\0');
            if (!sent)
                return breakWith("could not send to " + m_node, ssh_get_error(session), kSshChannelFailed);
            m_phase = Phase::Running;
            m_started = now;
            m_deadline = now + std::chrono::seconds(m_current->options.timeout.value()) + kClientGrace;
        }
        // Running.
        const auto &handle = m_current->handle;
        if (handle->cancelRequested() && !m_abandoned) {
            handle->finish(endedWithoutAnswer(false, std::chrono::duration_cast<std::chrono::milliseconds>(now - m_started)));
            m_abandoned = true;
            sendCancel(CancelWhy::Caller, now);
        }
        if (handle->stopRequested())
            sendCancel(CancelWhy::Stop, now);
        if (m_frames.truncated())
            sendCancel(CancelWhy::Cap, now);
        if (auto r = m_frames.take()) {
            r->cancelled = m_cancelWhy == CancelWhy::Stop || m_cancelWhy == CancelWhy::Caller;
            r->timedOut = r->timedOut || m_cancelWhy == CancelWhy::Deadline;
            // Stopped by PodPath for its cap or its patience: the status is SIGTERM's, not
            // the command's own, so there is none to report (as on a closed channel).
            if (m_cancelWhy == CancelWhy::Cap || m_cancelWhy == CancelWhy::Deadline)
                r->exitStatus.reset();
            r->duration = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_started);
            finishCurrent(std::move(*r));
            m_phase = Phase::Idle;
            continue;   // the next job goes out at once
        }
        if (ssh_channel_is_closed(m_channel) || ssh_channel_is_eof(m_channel))
            return breakWith("PodPath's command shell on " + m_node + " ended", {}, kSshChannelFailed);
        if (now >= m_deadline) {
            // The node's own bound (timeout -k) ended the job seconds ago, or the grace
            // after a stop ran out: nothing comes back from this shell, most likely
            // because the node stopped answering. Waiting longer only delays the verdict.
            sendCancel(CancelWhy::Deadline, now);
            finishCurrent(endedWithoutAnswer(true, std::chrono::duration_cast<std::chrono::milliseconds>(now - m_started)));
            m_silent = true;
            return breakWith("PodPath's command shell on " + m_node + " stopped answering", {}, kSshChannelFailed);
        }
        return true;
    }
}

} // namespace podpath::remote
