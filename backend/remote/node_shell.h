#pragma once
// How the rest of PodPath runs commands on a node. The diagnosis and the GUI see only
// this; behind it is a live SSH session (SshNodeShell), a recorded one
// (ReplayNodeShell), or a recorder around either (RecordingNodeShell).

#include "core/result.h"
#include "remote/command_result.h"
#include "remote/remote_command.h"
#include "remote/running_command.h"

#include <string>

#include <vector>

namespace podpath::remote {

enum class Privilege {
    Unknown,        // not connected yet
    Root,           // the login is uid 0
    SudoNoPassword, // sudo -n works
    SudoPassword,   // sudo works with the password asked once
    // sudo -n works for the commands PodPath names (tcpdump, iptables-save, ...) but not
    // for `timeout` or a shell: each privileged command runs through sudo on its own.
    SudoRestricted,
    None,           // not root and no usable sudo
};

const char *privilegeName(Privilege p);

struct NodeInfo {
    std::string label;      // user@host[:port] as the user named it
    std::string user;       // login user
    int uid = -1;
    Privilege privilege = Privilege::Unknown;
    bool replayed = false;  // the answers come from a recording, not a live node
    // What the node paid for this connection: SSH logins (authentications) and execs
    // (each one starts the login shell again).
    int logins = 0;
    int execs = 0;
};

class NodeShell {
public:
    virtual ~NodeShell() = default;

    virtual NodeInfo info() const = 0;

    // Starts `command`; stdout and stderr are collected (up to options.maxOutputBytes).
    // Never blocks on the network. Failures to start arrive as the handle's result.
    // SshNodeShell runs such commands one at a time, in order, in the node's command
    // shell, unless options.ownChannel asks for a channel (an exec) of their own.
    virtual CommandHandle start(const RemoteCommand &command, const RunOptions &options) = 0;

    // Starts `command` and hands its stdout to `sink` as it arrives (tcpdump -w -).
    virtual CommandHandle stream(const RemoteCommand &command, const RunOptions &options, ChunkSink sink) = 0;

    // Starts several short reads, one handle each, in order. A shell may run them as
    // one batch on the node (SshNodeShell does: one exec instead of one each, under one
    // bound); a command the batch did not get to finish ends with an error, and the
    // caller may run it again on its own. Not for streams or long-running commands.
    virtual std::vector<CommandHandle> startAll(const std::vector<RemoteCommand> &commands, const RunOptions &options)
    {
        std::vector<CommandHandle> handles;
        for (const auto &c : commands)
            handles.push_back(start(c, options));
        return handles;
    }

    // Starts commands that must run side by side (pings waiting for their answers), one
    // handle each, in order. SshNodeShell runs them at once in one exec (CommandFanOut:
    // sshd allows a connection few channels); their stdout and stderr come back merged,
    // line by line. Others run them as start() does.
    virtual std::vector<CommandHandle> startTogether(const std::vector<RemoteCommand> &commands, const RunOptions &options)
    {
        std::vector<CommandHandle> handles;
        for (const auto &c : commands)
            handles.push_back(start(c, options));
        return handles;
    }
    // start() and wait: for worker threads and the CLI, never for the GUI thread.
    Result<CommandResult> run(const RemoteCommand &command, const RunOptions &options)
    {
        return start(command, options)->result();
    }
};

} // namespace podpath::remote
