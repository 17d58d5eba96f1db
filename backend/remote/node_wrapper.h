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
    // `timeout ... sudo -n -- COMMAND`: sudoers names the commands, not timeout, env or a
    // shell. The bound's SIGTERM reaches the command through sudo, which relays it; its
    // SIGKILL reaches only sudo (a user cannot kill a root process), so the commands
    // PodPath runs this way are ones that end on SIGTERM (tcpdump, the reads).
    PerCommand,
    // PerCommand where sudo asks for the password: `timeout ... sudo -S -p '' -- COMMAND`,
    // the caller writes the password + "\n" to stdin first, as for WithPassword.
    PerCommandWithPassword,
};

// The string for ssh_channel_request_exec. The login shell parses it once; the
// wrapper itself always runs under /bin/sh.
// `startMarker`, when given, is printed on its own stdout line just before the command
// starts: what the login shell printed before it (a banner, a profile's chatter) is not
// the command's output, which matters for a binary stream such as a pcap.
std::string wrapForNode(const RemoteCommand &command, Seconds bound, SudoMode sudo,
                        const std::string &startMarker = {});

// The node's command shell: one exec whose login shell starts once, then a plain
// /bin/sh reads framed commands from the channel's stdin and runs them one at a time,
// each under the same guarantees as wrapForNode (bound on the node, a watchdog on the
// channel's stdin, the C locale). Protocol (command_frames.h for the answers):
//   PodPath writes "NONCE run\n", or "NONCE feed\n" and the sudo password on a line
//   of its own (handed to the job's stdin, then forgotten), then the job on one line
//   (commandShellJob). While a job runs, any line or EOF on stdin sends it SIGTERM;
//   EOF while idle ends the shell. "NONCE root\n" while idle: the shell starts the same
//   loop as root through `sudo -n`, which says ready again (root is taken once, not per
//   command), or, if sudo refuses, says "NONCE:noroot" and goes on as before.
std::string commandShellLine(const std::string &nonce);
// One job for the command shell: one line of sh, ending in `exec` of the command.
std::string commandShellJob(const RemoteCommand &command, Seconds bound, SudoMode sudo);
// The header line before a job: whether the shell feeds it the sudo password.
std::string commandShellHeader(const std::string &nonce, bool feedPassword);
// The line that turns an idle command shell into root's (commandShellLine).
std::string commandShellRootRequest(const std::string &nonce);

// A spare exec for the next stream (a capture): its login shell starts while the node
// is read, then it prints `marker` on its own line and waits for one line, a
// wrapForNode wire, which it runs. EOF before that line ends it.
std::string spareRunnerLine(const std::string &marker);

// What a one-off exec asks the login shell to run: a fixed line any login shell reads
// the same way (bash, dash, zsh, BusyBox ash, fish, tcsh: no backslash, no `!`, no
// newline), which reads one line from stdin, a wrapForNode wire, and runs it in sh.
// The commands' own values (`!` for tcsh's history, `\'` for fish) so never meet
// the login shell.
std::string stdinRunnerLine();

// Seconds between SIGTERM and SIGKILL on the node (timeout -k).
inline constexpr int kKillAfterSeconds = 2;

} // namespace podpath::remote
