#pragma once
// The ssh configuration of one target as OpenSSH itself resolves it: `ssh -G`.
//
// Why ask the local `ssh` rather than libssh or a reader of our own: libssh 0.10
// (Debian 12) skips `Match originalhost`, `exec`, `canonical` and `final` as
// unsupported (a block it cannot judge never applies, so an alias set up in
// `Match originalhost` stays unresolved: "Failed to resolve hostname"), and its `Match
// host` sees libssh's own idea of the host. A reader of our own could follow Host,
// Match host/originalhost/user/localuser/all, Include and the tokens, but not `Match
// exec` (a command ssh runs while reading), CanonicalizeHostname (DNS) or the final pass
// without becoming a second OpenSSH, and every difference is a node that `ssh` reaches
// and PodPath does not. `ssh -G` is OpenSSH: the same files in the same order, first
// value wins, the same tokens; and PodPath already needs that ssh for jump hosts. When
// ssh is not installed the session opener falls back to libssh's reader and says so.

#include "core/result.h"
#include "remote/command_values.h"
#include "remote/ssh_target.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::remote {

// The keywords PodPath uses, as `ssh -G` prints them.
struct OpenSshConfig {
    std::string host;                               // the name given (OpenSSH's %n)
    std::string hostName;                           // HostName, %h already expanded
    std::string user;
    std::optional<Port> port;
    std::vector<std::string> identityFiles;         // as written: ~ and %-tokens not expanded
    bool identitiesOnly = false;
    std::vector<std::string> userKnownHostsFiles;   // expanded by ssh
    std::vector<std::string> globalKnownHostsFiles;
    std::optional<std::string> proxyJump;           // none: not set
    std::optional<std::string> proxyCommand;        // as written, tokens not expanded
    std::optional<int> connectTimeoutSeconds;       // none: not set
    std::optional<std::string> hostKeyAlias;
};

// `ssh -G` output to the keywords above. Pure; an Error when hostname, user or port is
// missing or not readable.
Result<OpenSshConfig> parseOpenSshConfigDump(std::string_view output);

// The values OpenSSH puts for %-tokens in IdentityFile and friends (ssh.c's
// DEFAULT_CLIENT_PERCENT_EXPAND_ARGS, OpenSSH 9.2).
struct OpenSshTokens {
    std::string originalHost;  // %n
    std::string hostName;      // %h
    std::string port;          // %p
    std::string remoteUser;    // %r
    std::string localUser;     // %u
    std::string home;          // %d
    std::string uid;           // %i
    std::string localHost;     // %l
    std::string localHostShort;// %L
    std::string hostKeyAlias;  // %k
    static OpenSshTokens of(const OpenSshConfig &config);
};

// A path as OpenSSH expands IdentityFile: a leading ~ or ~user, then %-tokens and
// ${VARIABLE}s. Errors as ssh's: an unknown token, an unset variable. %C (a hash of the
// connection) is refused with a next step: PodPath does not compute it.
Result<std::string> expandOpenSshPath(std::string_view path, const OpenSshTokens &tokens);

// Runs `ssh -G [-F file] [-l user] [-p port] -- host` with `sshProgram` (found on
// PATH). nullopt: that program is not installed. An Error (SSH_CONFIG_ERROR) when ssh
// refuses the configuration: its own first line, and "check with ssh -G host".
Result<std::optional<OpenSshConfig>> askOpenSsh(const SshTarget &target, const std::string &sshProgram = "ssh",
                                                int timeoutMs = 10000);

} // namespace podpath::remote
