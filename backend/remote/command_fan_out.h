#pragma once
// Several commands started at once in one exec on the node, each one's output tagged line
// by line with a nonce the node cannot guess, and split back into one result per command.
// A CommandBatch runs its reads one after the other; pings that wait for answers must run
// side by side, and sshd allows a connection only so many channels (MaxSessions, 10 by
// default), so a node pinging thirty peers does it in one exec, not thirty.
//
// Each command's stdout and stderr arrive merged, line by line (a line is written whole,
// so lines of commands running at once never mix); a last line without a newline gains
// one. Enough for commands whose output is read line by line, such as ping.

#include "remote/command_result.h"
#include "remote/remote_command.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::remote {

class CommandFanOut {
public:
    // `via`: a command each one runs through inside the exec (`sudo -n --` where sudo names
    // the commands a user may run as root, so the exec itself runs as the user). `nonce`: as
    // CommandBatch's, anything else is replaced by a fresh random one.
    CommandFanOut(std::vector<RemoteCommand> commands, std::optional<RemoteCommand> via = std::nullopt,
                  std::string nonce = {});

    const std::string &nonce() const { return m_nonce; }
    // `sh -c SCRIPT`: what runs on the node, inside the usual wrapper.
    const RemoteCommand &command() const { return m_command; }

    // One entry per command, in order: its exit status and output (stderr merged, `err`
    // empty); empty where the command's end never came back (the exec's bound, a cancel).
    // Total for any input.
    std::vector<std::optional<CommandResult>> split(const CommandResult &whole) const;

private:
    std::size_t m_count = 0;
    std::string m_nonce;
    RemoteCommand m_command;
};

} // namespace podpath::remote
