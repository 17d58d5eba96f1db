#include "remote/channel_job.h"

#include "remote/error_codes.h"
#include "remote/node_wrapper.h"

#include <libssh/libssh.h>

#include <algorithm>
#include <cstdint>

namespace podpath::remote {

namespace {
constexpr std::size_t kReadBudget = 256 * 1024;   // per channel per step, for fairness
}

ChannelJob::ChannelJob(CommandHandle handle, std::string wire, std::optional<Secret> stdinLine,
                       const RunOptions &options, ChunkSink sink, std::string node)
    : m_handle(std::move(handle)), m_wire(std::move(wire)), m_stdinLine(std::move(stdinLine)), m_options(options),
      m_sink(std::move(sink)), m_node(std::move(node))
{
    m_started = Clock::now();
    m_deadline = m_started + std::chrono::seconds(m_options.timeout.value()) + kClientGrace;
}

ChannelJob::~ChannelJob()
{
    if (m_channel)
        ssh_channel_free(m_channel);
}

ChannelJob::Clock::time_point ChannelJob::nextDeadline() const
{
    return m_stopDeadline ? std::min(*m_stopDeadline, m_deadline) : m_deadline;
}

void ChannelJob::closeChannel()
{
    if (!m_channel)
        return;
    // Closing the channel closes the command's stdin on the node: the watchdog there
    // kills it at once.
    ssh_channel_close(m_channel);
    ssh_channel_free(m_channel);
    m_channel = nullptr;
}

bool ChannelJob::fail(const std::string &message, const std::string &detail, const char *code)
{
    closeChannel();
    m_phase = Phase::Done;
    m_handle->finish(Error(message, detail,
                           std::string(code) == kSshConnectionLost
                               ? "the node or the network went away; reconnect when the node is reachable"
                               : "try again; if it persists, check the node's sshd (MaxSessions) and logs",
                           0, code));
    return true;
}

bool ChannelJob::finish(bool exited)
{
    // Only once the node closed the channel is its exit status final (and reading it
    // cannot block); a channel we closed ourselves has none.
    if (exited && m_channel) {
        int status = ssh_channel_get_exit_status(m_channel);
        if (status >= 0)
            m_result.exitStatus = status;
    }
    closeChannel();
    if (m_result.exitStatus == kTimeoutExitStatus)
        m_result.timedOut = true;
    m_result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_started);
    m_phase = Phase::Done;
    m_handle->finish(std::move(m_result));
    return true;
}

void ChannelJob::connectionLost(const std::string &why)
{
    // The session is freed after this: the channel went with it.
    m_channel = nullptr;
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_handle->finish(Error("lost the connection to " + m_node + " while running: " + m_handle->commandLine(), why,
                           "the node or the network went away; reconnect when the node is reachable", 0,
                           kSshConnectionLost));
}

void ChannelJob::adopt(Spare spare)
{
    m_channel = spare.channel;
    m_adopted = true;
    m_phase = Phase::Exec;
    m_startMarker = spare.startMarker.empty() ? std::string() : spare.startMarker;
    m_beforeStart = std::move(spare.beforeStart);
}

std::optional<ChannelJob::Spare> ChannelJob::release()
{
    if (!runningNow() || ssh_channel_is_closed(m_channel) || ssh_channel_is_eof(m_channel))
        return std::nullopt;
    Spare spare{m_channel, m_startMarker, m_beforeStart};
    m_channel = nullptr;
    m_phase = Phase::Done;
    m_result.cancelled = true;
    m_handle->finish(std::move(m_result));
    return spare;
}

bool ChannelJob::pump(bool isStderr, std::size_t budget)
{
    char buf[32 * 1024];
    std::size_t taken = 0;
    while (m_channel && taken < budget) {
        int n = ssh_channel_read_nonblocking(m_channel, buf, sizeof buf, isStderr ? 1 : 0);
        if (n == SSH_ERROR)
            return false;
        if (n <= 0)   // 0: nothing buffered now; SSH_EOF: no more will come
            break;
        taken += std::size_t(n);
        m_heard = Clock::now();
        std::string_view chunk(buf, std::size_t(n));
        if (!isStderr && !m_startMarker.empty()) {
            m_beforeStart.append(chunk);
            const auto at = m_beforeStart.find(m_startMarker);
            if (at == std::string::npos) {
                if (m_beforeStart.size() >= m_startMarker.size())
                    m_beforeStart.erase(0, m_beforeStart.size() - (m_startMarker.size() - 1));
                continue;
            }
            m_beforeStart.erase(0, at + m_startMarker.size());
            m_startMarker.clear();
            chunk = m_beforeStart;   // lives until the next read of this job
        }
        if (isStderr) {
            std::size_t room = kMaxStderrBytes - std::min(kMaxStderrBytes, m_result.err.size());
            m_result.err.append(chunk.substr(0, room));
            continue;
        }
        std::size_t room = m_options.maxOutputBytes - std::min<std::uint64_t>(m_options.maxOutputBytes, m_result.outBytes);
        if (chunk.size() > room) {
            chunk = chunk.substr(0, room);
            m_result.truncated = true;
        }
        m_result.outBytes += chunk.size();
        if (!chunk.empty()) {
            if (m_sink)
                m_sink(chunk);
            else
                m_result.out.append(chunk);
        }
        if (m_result.truncated)
            break;
    }
    return true;
}

bool ChannelJob::step(ssh_session session, Clock::time_point now, bool mayOpen)
{
    if (m_phase == Phase::Done)
        return true;
    if (m_handle->cancelRequested()) {
        m_result.cancelled = true;
        return finish(false);
    }
    if (now >= m_deadline) {
        m_result.timedOut = true;
        return finish(false);
    }

    if (m_phase == Phase::Open && !m_channel && !mayOpen)
        return false;
    if (m_phase == Phase::Open) {
        if (!m_channel && !(m_channel = ssh_channel_new(session)))
            return fail("could not create a channel to " + m_node, ssh_get_error(session), kSshChannelFailed);
        int rc = ssh_channel_open_session(m_channel);
        if (rc == SSH_AGAIN)
            return false;
        if (rc != SSH_OK)
            return fail("the node " + m_node + " refused a new channel", ssh_get_error(session),
                        ssh_is_connected(session) ? kSshChannelFailed : kSshConnectionLost);
        m_phase = Phase::Exec;
    }
    if (m_phase == Phase::Exec) {
        // The wire goes in on stdin behind a fixed runner line (node_wrapper.h), so the
        // login shell, whichever it is, never parses it; a wire of several lines (a value
        // with a newline) cannot, and is the exec line itself.
        const bool onStdin = m_adopted || m_wire.find('\n') == std::string::npos;
        int rc = m_adopted ? SSH_OK
                           : ssh_channel_request_exec(m_channel, onStdin ? stdinRunnerLine().c_str() : m_wire.c_str());
        if (rc == SSH_AGAIN)
            return false;
        if (rc != SSH_OK)
            return fail("the node " + m_node + " refused to run a command", ssh_get_error(session),
                        ssh_is_connected(session) ? kSshChannelFailed : kSshConnectionLost);
        if (onStdin) {
            const std::string line = m_wire + "\n";
            if (ssh_channel_write(m_channel, line.data(), uint32_t(line.size())) != int(line.size()))
                return fail("could not send to " + m_node, ssh_get_error(session), kSshChannelFailed);
        }
        if (m_stdinLine) {
            std::string line(m_stdinLine->reveal());
            line += '\n';
            int written = ssh_channel_write(m_channel, line.data(), uint32_t(line.size()));
            std::fill(line.begin(), line.end(), '\0');
            m_stdinLine.reset();
            if (written != int(line.size()))
                return fail("could not send to " + m_node, ssh_get_error(session), kSshChannelFailed);
        }
        m_phase = Phase::Running;
    }

    if (!pump(false, kReadBudget) || !pump(true, kReadBudget))
        return fail("lost the connection to " + m_node + " while running: " + m_handle->commandLine(),
                    ssh_get_error(session), kSshConnectionLost);
    if (m_result.truncated)
        return finish(false);   // closing the channel stops the command on the node

    if (m_handle->stopRequested() && !m_eofSent) {
        // EOF on stdin: the watchdog on the node sends SIGTERM; keep reading its last words.
        ssh_channel_send_eof(m_channel);
        m_eofSent = true;
        m_result.cancelled = true;
        m_stopDeadline = now + kClientGrace;
    }
    if (ssh_channel_is_closed(m_channel)) {
        // What arrived with the close is still buffered: take all of it.
        pump(false, SIZE_MAX);
        pump(true, SIZE_MAX);
        return finish(true);
    }
    if (m_stopDeadline && now >= *m_stopDeadline)
        return finish(false);
    return false;
}

} // namespace podpath::remote
