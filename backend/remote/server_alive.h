#pragma once
// Whether the node's sshd still answers while PodPath waits on it, as OpenSSH's
// ServerAliveInterval does: after a quiet spell, a question the server must answer;
// a node that sends nothing at all for the patience (SSH dropped on the path, the node
// hung) is silent. Without it a node that goes dark is only noticed when each waiting
// command's own bound runs out, one after the other.
//
// The question is a session channel opened and closed at once: libssh 0.10 exports no
// way to see the answer to OpenSSH's keepalive request, but the server confirms or
// refuses every channel open. No exec and no login shell: the node runs nothing.
// Anything the node sends counts as an answer (heard()), so a slow link busy with a
// capture is never taken for a silent one. Driven by the node's worker loop; never blocks.

#include <chrono>

struct ssh_session_struct;
struct ssh_channel_struct;

namespace podpath::remote {

class ServerAlive {
public:
    using Clock = std::chrono::steady_clock;
    struct Timing {
        std::chrono::milliseconds interval{2000};   // quiet this long: ask
        std::chrono::milliseconds patience{6000};   // quiet this long: silent
    };
    enum class State { Answering, Silent, SessionFailed };

    ServerAlive() : ServerAlive(Timing{}) {}
    explicit ServerAlive(Timing timing) : m_timing(timing) {}
    ~ServerAlive();
    ServerAlive(const ServerAlive &) = delete;
    ServerAlive &operator=(const ServerAlive &) = delete;

    // The node sent something (channel data, an answer to a question).
    void heard(Clock::time_point when);
    // `waiting`: a command waits on the node. While nothing waits, quiet is expected and
    // the clock does not run.
    State step(ssh_session_struct *session, Clock::time_point now, bool waiting);
    Clock::time_point nextDeadline(bool waiting) const;
    std::chrono::milliseconds quietFor(Clock::time_point now) const;
    const Timing &timing() const { return m_timing; }
    int asked() const { return m_asked; }
    int answered() const { return m_answered; }
    // The session is about to be freed: forget the question's channel (freed with it).
    void sessionGone();
    // Starts afresh on a new session.
    void reset();

private:
    void closeQuestion();
    // Sends the question or looks for its answer; false when the session broke.
    bool lookForAnswer(ssh_session_struct *session, Clock::time_point now);

    Timing m_timing;
    Clock::time_point m_lastSign{};
    Clock::time_point m_lastStep{};
    ssh_channel_struct *m_question = nullptr;
    int m_asked = 0;
    int m_answered = 0;
};

} // namespace podpath::remote
