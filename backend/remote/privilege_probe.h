#pragma once
// Finds out how PodPath gets root on a node: the login is root (`id -u`), or sudo works
// without a password (`sudo -n true`), or with one the user gives once (checked with
// `sudo -S -p '' true`, the password on stdin). The sudo password lives only in memory
// and on the channel's stdin; it never reaches a command line or a log.

#include "core/result.h"
#include "remote/command_result.h"
#include "remote/node_shell.h"
#include "remote/node_wrapper.h"
#include "remote/secret.h"
#include "remote/ssh_prompter.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::remote {

struct PrivilegeState {
    Privilege privilege = Privilege::Unknown;
    int uid = -1;
    std::optional<Secret> sudoPassword;
    std::string detail;   // why sudo is not usable, in sudo's words
    // sudo answered, but only from a terminal (Defaults requiretty): the user may well
    // have the rights, so the advice is the sudoers change, not "give the user sudo".
    bool sudoNeedsTerminal = false;
    // The command shell is root's already (RootTaker): its commands need no sudo.
    bool rootTaken = false;
};

// Runs `command` on the node under `bound` with that use of sudo, writing `stdinLine`
// (the sudo password) to its stdin first when given.
using ProbeRunner = std::function<Result<CommandResult>(const RemoteCommand &command, Seconds bound, SudoMode sudo,
                                                        const std::optional<Secret> &stdinLine)>;

// Asks the command shell to become root's through `sudo -n` (true: it did; false: sudo
// refused, the shell goes on as the login user).
using RootTaker = std::function<Result<bool>()>;

// With `takeRoot`, a login with sudo without a password is found by taking root at once
// (one sudo, not a probe and then another to take root); the probe's `sudo -n true` then
// runs only where that was refused, to tell why.
Result<PrivilegeState> probePrivilege(const ProbeRunner &run, SshPrompter *prompter, const std::string &userAtHost,
                                      const RootTaker &takeRoot = {});

// What `sudo -n true` (or `sudo -S true`) said, from its exit status and stderr.
enum class SudoVerdict { Works, NeedsPassword, WrongPassword, NotAllowed, Missing };
SudoVerdict classifySudo(int exitStatus, std::string_view stderrText);

// "user on node is not root and cannot use sudo (...): tcpdump, iptables and ipset need root",
// or, where sudo wants a terminal, "user on node can use sudo only from a terminal ...".
Error rootUnavailable(const std::string &userAtHost, const PrivilegeState &why,
                      const std::vector<std::string> &commandsNeedingRoot);

} // namespace podpath::remote
