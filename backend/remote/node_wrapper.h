#pragma once
// What actually runs on the node around every RemoteCommand, so that nothing PodPath
// starts can outlive it:
//  - `timeout -k 2 BOUND` bounds the command on the node itself, whatever happens to
//    the connection (timeout puts itself in its own process group and passes the
//    signal to the whole group, so children die too);
//  - a watchdog reads the channel's stdin, which PodPath never closes while it wants
//    the command; at EOF (cancel, stop, disconnect, or PodPath killed: sshd closes the
//    pipe when the connection drops) it sends SIGTERM to the command at once. Under
//    sudo the signal goes to sudo, which relays it to the root command;
//  - LC_ALL=C (`env LC_ALL=C` under sudo) so output reads the same on every node;
//  - privilege: `sudo -n`, or `sudo -S -p ''` fed the password from the first stdin
//    line, which a shell builtin reads, so it never appears on a command line.

#include "remote/command_values.h"
#include "remote/remote_command.h"

#include <string>

namespace podpath::remote {

enum class SudoMode {
    None,            // run as the login user (root logins need nothing else)
    NoPassword,      // sudo -n
    WithPassword,    // sudo -S -p '': the caller writes the password + "\n" to stdin first
};

// The string for ssh_channel_request_exec. The login shell parses it once; the
// wrapper itself always runs under /bin/sh.
std::string wrapForNode(const RemoteCommand &command, Seconds bound, SudoMode sudo);

// Seconds between SIGTERM and SIGKILL on the node (timeout -k).
inline constexpr int kKillAfterSeconds = 2;

} // namespace podpath::remote
