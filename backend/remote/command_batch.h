#pragma once
// Several short reads run in one exec on the node. Every exec costs the node a fork of
// sshd, a login shell, the wrapper's shell and `timeout` before the command itself runs:
// tens of milliseconds on a small or busy node, far more than `uname` or `ip -j route`
// take. A batch runs its commands one after the other under one wrapper (one bound for
// all), frames each one's stdout and stderr with a random marker the node cannot guess,
// and is split back into one result per command.

#include "remote/command_result.h"
#include "remote/remote_command.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::remote {

class CommandBatch {
public:
    // `nonce`: 16 to 64 lowercase hex digits (randomNonce()); anything else is replaced
    // by a fresh random one.
    CommandBatch(std::vector<RemoteCommand> commands, std::string nonce = randomNonce());

    static std::string randomNonce();
    // 16 to 64 lowercase hex digits: what randomNonce() makes.
    static bool isNonce(const std::string &s);

    const std::string &nonce() const { return m_nonce; }
    // `sh -c SCRIPT`: what runs on the node, inside the usual wrapper.
    const RemoteCommand &command() const { return m_command; }

    // One entry per command, in order: its own exit status, stdout and stderr; empty
    // where the batch ended before that command finished (bound, output cap, cancel).
    // `whole` is what the batch command produced; total for any input.
    std::vector<std::optional<CommandResult>> split(const CommandResult &whole) const;

private:
    std::vector<RemoteCommand> m_commands;
    std::string m_nonce;
    RemoteCommand m_command;
};

} // namespace podpath::remote
