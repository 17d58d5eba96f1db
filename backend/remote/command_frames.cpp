#include "remote/command_frames.h"

#include "parse/text.h"

namespace podpath::remote {

namespace {

constexpr std::size_t kHoldBytes = 64 * 1024;

// Keeps only the last `n` bytes: enough to find a marker that a chunk boundary cut.
void keepLast(std::string &s, std::size_t n)
{
    if (s.size() > n)
        s.erase(0, s.size() - n);
}

} // namespace

CommandFrames::CommandFrames(std::string nonce)
    : m_nonce(std::move(nonce)), m_readyLine(m_nonce + ":ready\n"), m_noRootLine(m_nonce + ":noroot\n"),
      m_begin(m_nonce + ":b\n"),
      m_endOut("\n" + m_nonce + ":e:"), m_endErr("\n" + m_nonce + ":e\n")
{
}

void CommandFrames::expect(std::size_t maxOutputBytes)
{
    auto reset = [](Stream &s, std::size_t cap) {
        std::string tail = std::move(s.tail);
        s = Stream{};
        s.tail = std::move(tail);
        s.cap = cap;
    };
    reset(m_out, maxOutputBytes);
    reset(m_err, kMaxStderrBytes);
    m_expecting = true;
    advance(m_out, true);
    advance(m_err, false);
}

void CommandFrames::keep(Stream &s, std::string_view bytes)
{
    s.bodyBytes += bytes.size();
    const std::size_t room = s.cap - std::min(s.cap, s.body.size());
    if (bytes.size() > room)
        s.dropped = true;
    s.body.append(bytes.substr(0, room));
}

void CommandFrames::feedOut(std::string_view chunk)
{
    m_out.tail.append(chunk);
    advance(m_out, true);
}

void CommandFrames::feedErr(std::string_view chunk)
{
    m_err.tail.append(chunk);
    advance(m_err, false);
}

void CommandFrames::advance(Stream &s, bool isStdout)
{
    if (isStdout && !m_ready) {
        const auto at = s.tail.find(m_readyLine);
        const auto refused = s.tail.find(m_noRootLine);
        if (at == std::string::npos && refused == std::string::npos) {
            keepLast(s.tail, m_noRootLine.size() - 1);
            return;
        }
        m_rootRefused = refused < at;
        s.tail.erase(0, m_rootRefused ? refused + m_noRootLine.size() : at + m_readyLine.size());
        m_ready = true;
    }
    if (!m_expecting || s.ended) {
        // Nothing is asked of this stream now: hold what comes for the next command (its
        // begin marker may be in it), but never more than a bounded window.
        keepLast(s.tail, kHoldBytes);
        return;
    }
    if (!s.begun) {
        const auto at = s.tail.find(m_begin);
        if (at == std::string::npos) {
            keepLast(s.tail, m_begin.size() - 1);
            return;
        }
        s.tail.erase(0, at + m_begin.size());
        s.begun = true;
    }
    const std::string &end = isStdout ? m_endOut : m_endErr;
    for (;;) {
        const auto at = s.tail.find(end);
        if (at == std::string::npos) {
            if (s.tail.size() >= end.size()) {
                const std::size_t sure = s.tail.size() - (end.size() - 1);
                keep(s, std::string_view(s.tail).substr(0, sure));
                s.tail.erase(0, sure);
            }
            return;
        }
        keep(s, std::string_view(s.tail).substr(0, at));
        s.tail.erase(0, at);
        if (!isStdout) {
            s.tail.erase(0, end.size());
            s.ended = true;
            return;
        }
        const auto nl = s.tail.find('\n', end.size());
        if (nl == std::string::npos) {
            if (s.tail.size() > end.size() + 3) {
                // More than an exit status's three digits: not our end marker.
                keep(s, std::string_view(s.tail).substr(0, 1));
                s.tail.erase(0, 1);
                continue;
            }
            return;   // the status is still on its way
        }
        const std::string_view digits = std::string_view(s.tail).substr(end.size(), nl - end.size());
        const auto status = digits.size() <= 3 ? text::toUnsigned<int>(digits) : std::nullopt;
        if (!status) {
            keep(s, std::string_view(s.tail).substr(0, 1));
            s.tail.erase(0, 1);
            continue;
        }
        s.status = *status;
        s.tail.erase(0, nl + 1);
        s.ended = true;
        return;
    }
}

std::optional<CommandResult> CommandFrames::take()
{
    if (!m_expecting || !m_out.ended || !m_err.ended)
        return std::nullopt;
    m_expecting = false;
    CommandResult r;
    r.exitStatus = m_out.status;
    r.out = std::move(m_out.body);
    r.outBytes = m_out.bodyBytes;
    r.truncated = m_out.dropped;
    r.err = std::move(m_err.body);
    r.timedOut = r.exitStatus == kTimeoutExitStatus;
    m_out.body.clear();
    m_err.body.clear();
    return r;
}

} // namespace podpath::remote
