#include "remote/server_alive.h"

#include <libssh/libssh.h>

#include <algorithm>

namespace podpath::remote {

ServerAlive::~ServerAlive()
{
    closeQuestion();
}

void ServerAlive::closeQuestion()
{
    if (!m_question)
        return;
    ssh_channel_close(m_question);
    ssh_channel_free(m_question);
    m_question = nullptr;
}

void ServerAlive::sessionGone()
{
    m_question = nullptr;
}

void ServerAlive::reset()
{
    closeQuestion();
    m_lastSign = m_lastStep = Clock::now();
    m_asked = m_answered = 0;
}

void ServerAlive::heard(Clock::time_point when)
{
    m_lastSign = std::max(m_lastSign, when);
}

bool ServerAlive::lookForAnswer(ssh_session_struct *session, Clock::time_point now)
{
    // Non-blocking: the first call sends the open, later ones only look at what arrived.
    // A refusal (MaxSessions reached) is an answer too; only a session that broke is not.
    const int rc = ssh_channel_open_session(m_question);
    if (rc == SSH_AGAIN)
        return true;
    closeQuestion();
    if (rc == SSH_ERROR && !ssh_is_connected(session))
        return false;
    ++m_answered;
    heard(now);
    return true;
}

ServerAlive::State ServerAlive::step(ssh_session_struct *session, Clock::time_point now, bool waiting)
{
    // The loop was away (a prompt waited on the engineer, the laptop slept, the machine
    // was starved): the node's quiet in that time says nothing about the node.
    if (now - m_lastStep > m_timing.interval)
        heard(now);
    m_lastStep = now;
    if (m_question && !lookForAnswer(session, now))
        return State::SessionFailed;
    if (!waiting) {
        heard(now);
        return State::Answering;
    }
    const auto quiet = now - m_lastSign;
    if (quiet >= m_timing.patience)
        return State::Silent;
    if (!m_question && quiet >= m_timing.interval) {
        m_question = ssh_channel_new(session);
        if (!m_question)
            return State::SessionFailed;
        ++m_asked;
        if (!lookForAnswer(session, now))
            return State::SessionFailed;
    }
    return State::Answering;
}

ServerAlive::Clock::time_point ServerAlive::nextDeadline(bool waiting) const
{
    if (!waiting)
        return Clock::time_point::max();
    return m_lastSign + (m_question ? m_timing.patience : m_timing.interval);
}

std::chrono::milliseconds ServerAlive::quietFor(Clock::time_point now) const
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(now - m_lastSign);
}

} // namespace podpath::remote
