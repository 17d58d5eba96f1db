#pragma once
// Opens an authenticated libssh session to a target: ssh config (the user's, or a given
// file), explicit overrides, jump host, host key check, login. Blocking: runs on the
// node's worker thread only.

#include "core/result.h"
#include "remote/ssh_prompter.h"
#include "remote/ssh_target.h"

#include <memory>
#include <string>

struct ssh_session_struct;

namespace podpath::remote {

struct SessionDeleter {
    void operator()(ssh_session_struct *session) const;
};
using SessionPtr = std::unique_ptr<ssh_session_struct, SessionDeleter>;

struct OpenedSession {
    SessionPtr session;
    std::string host;   // HostName connected to
    int port = 22;
    std::string user;
};

Result<OpenedSession> openSession(const SshTarget &target, SshPrompter *prompter);

// The ProxyCommand for an explicit jump host: OpenSSH's `ssh -W`, non-interactive,
// checking the jump host's key against the same known_hosts file. Exposed for tests.
std::string jumpProxyCommand(const JumpHost &jump, const std::string &knownHostsFile,
                             const std::optional<std::string> &configFile, int connectTimeoutSeconds);

// ~/.ssh/known_hosts of the user running PodPath (from the password database, as
// OpenSSH and libssh find it).
std::string defaultKnownHostsFile();
// The home directory of that user (the password database's, else $HOME).
std::string userHomeDir();

} // namespace podpath::remote
