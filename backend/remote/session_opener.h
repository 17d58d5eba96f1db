#pragma once
// Opens an authenticated libssh session to a target: ssh config (the user's, or a given
// file, as `ssh -G` resolves it), explicit overrides, jump host, host key check, login. Blocking: runs on the
// node's worker thread only.

#include "core/result.h"
#include "remote/ssh_prompter.h"
#include "remote/ssh_target.h"

#include <memory>
#include <string>
#include <vector>

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

// A libssh session with every option set for the target, not connected: the ssh
// configuration as OpenSSH's `ssh -G` resolves it (openssh_config.h says why), the
// explicit overrides on top. When `sshProgram` is not installed, libssh reads the
// configuration itself (it skips Match originalhost, exec, canonical and final), and
// `configFromOpenSsh` says so. Exposed so tests can hold what libssh got against ssh -G.
struct ConfiguredSession {
    OpenedSession opened;
    std::string knownHostsFile;                    // read, and where an accepted key is saved
    std::vector<std::string> moreKnownHostsFiles;  // read only: UserKnownHostsFile's others, the global files
    std::vector<std::string> identityFiles;        // from the config, expanded, in the order ssh tries them
    std::string hostKeyAlias;                      // HostKeyAlias: the name known_hosts holds the key under
    bool identitiesOnly = false;                   // IdentitiesOnly: the agent's keys are not offered
    std::string proxyCommand;                      // as libssh got it (% doubled); empty: none
    int connectTimeoutSeconds = 15;
    bool configFromOpenSsh = true;
};
Result<ConfiguredSession> configureSession(const SshTarget &target, const std::string &sshProgram = "ssh");

// The ProxyCommand for an explicit jump host: OpenSSH's `ssh -W`, non-interactive,
// checking the jump host's key against the same known_hosts file. Exposed for tests.
// `via`: the hops before it (ProxyJump's "a,b,c" gives via "a,b"), as `ssh -J` takes them.
std::string jumpProxyCommand(const JumpHost &jump, const std::string &knownHostsFile,
                             const std::optional<std::string> &configFile, int connectTimeoutSeconds,
                             const std::string &via = {});

// ~/.ssh/known_hosts of the user running PodPath (from the password database, as
// OpenSSH and libssh find it).
std::string defaultKnownHostsFile();
// The home directory of that user (the password database's, else $HOME).
std::string userHomeDir();

} // namespace podpath::remote
