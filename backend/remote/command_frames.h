#pragma once
// Reads the answers of a node's command shell (node_wrapper.h: commandShellLine) back
// into one CommandResult per command. The shell runs one command at a time and frames
// it on both streams with a nonce the node cannot guess:
//   stdout: NONCE:ready\n (again after awaitReady) ... NONCE:b\n BODY \nNONCE:e:STATUS\n
//   stderr:                          NONCE:b\n BODY \nNONCE:e\n
// The newline before an end marker is the frame's, so a body without a final newline
// comes back as it was. Whatever the login shell printed before the ready line (a
// banner, a profile's chatter) is skipped. Pure and incremental: chunks arrive as the
// channel delivers them, split anywhere.

#include "remote/command_result.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace podpath::remote {

class CommandFrames {
public:
    explicit CommandFrames(std::string nonce);

    // The next command's frames are expected; stdout beyond `maxOutputBytes` is counted
    // but not kept (truncated() then says so, and the caller stops the command).
    void expect(std::size_t maxOutputBytes);

    void feedOut(std::string_view chunk);
    void feedErr(std::string_view chunk);

    bool ready() const { return m_ready; }
    // The shell was asked to start again as root: the next ready line is awaited, or
    // "NONCE:noroot" (sudo refused; the same shell is ready again).
    void awaitReady()
    {
        m_ready = false;
        m_rootRefused = false;
    }
    bool rootRefused() const { return m_rootRefused; }
    bool truncated() const { return m_out.dropped; }
    // The expected command's result once both of its end markers arrived; the reader
    // then waits for the next expect().
    std::optional<CommandResult> take();

    // Bytes held that belong to no frame yet (bounded: a node cannot grow it without end).
    std::size_t pendingBytes() const { return m_out.tail.size() + m_err.tail.size(); }

private:
    struct Stream {
        bool begun = false;
        bool ended = false;
        std::string tail;    // not yet known to be body or marker
        std::string body;    // kept, up to the cap
        std::uint64_t bodyBytes = 0;
        std::size_t cap = 0;
        bool dropped = false;
        int status = -1;
    };
    void advance(Stream &s, bool isStdout);
    void keep(Stream &s, std::string_view bytes);

    std::string m_nonce;
    std::string m_readyLine;
    std::string m_noRootLine;
    std::string m_begin;
    std::string m_endOut;   // "\nNONCE:e:" then digits and "\n"
    std::string m_endErr;   // "\nNONCE:e\n"
    bool m_ready = false;
    bool m_rootRefused = false;
    bool m_expecting = false;
    Stream m_out;
    Stream m_err;
};

} // namespace podpath::remote
