#pragma once
// Host key verification against known_hosts in OpenSSH's format (shared with `ssh`):
// known passes; unknown asks the prompter (once / save / refuse); a changed key is
// refused, always, without asking.

#include "core/result.h"
#include "remote/ssh_prompter.h"

#include <string>

struct ssh_session_struct;
struct ssh_key_struct;

namespace podpath::remote {

struct HostKeyContext {
    std::string node;            // as the user named it
    std::string host;            // HostName actually connected to
    int port = 22;
    std::string knownHostsFile;  // resolved path
};

// `prompter` may be null: unknown keys are then refused.
Result<void> verifyHostKey(ssh_session_struct *session, const HostKeyContext &context, SshPrompter *prompter);

// "SHA256:<base64>" as ssh-keygen -l prints it; empty on failure.
std::string sha256Fingerprint(ssh_key_struct *key);

// The ssh-keygen -R argument for a host and port: "host" or "[host]:port".
std::string knownHostsName(const std::string &host, int port);

} // namespace podpath::remote
