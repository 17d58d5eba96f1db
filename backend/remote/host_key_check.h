#pragma once
// Host key verification against known_hosts in OpenSSH's format (shared with `ssh`),
// decided by PodPath's own reader (known_hosts.h) as `ssh` decides: known passes;
// unknown asks the prompter (once / save / refuse); a changed key, a key where only keys
// of other types are known and a revoked key are refused, always, without asking, and
// never saved. libssh only hands over the node's key and saves an accepted one.

#include "core/result.h"
#include "remote/known_hosts.h"
#include "remote/ssh_prompter.h"

#include <string>
#include <vector>

struct ssh_session_struct;
struct ssh_key_struct;

namespace podpath::remote {

struct HostKeyContext {
    std::string node;            // as the user named it
    std::string host;            // HostName actually connected to
    int port = 22;
    std::string knownHostsFile;  // resolved path; read, and where an accepted key is saved
    // Read after it, never written: the system-wide files (/etc/ssh/ssh_known_hosts).
    std::vector<std::string> moreKnownHostsFiles;
    // HostKeyAlias of the ssh config: when set, known_hosts holds the key under this name
    // alone (no port), for lookup and save, as ssh does.
    std::string hostKeyAlias;
};

// `prompter` may be null: unknown keys are then refused.
Result<void> verifyHostKey(ssh_session_struct *session, const HostKeyContext &context, SshPrompter *prompter);

// "SHA256:<base64>" as ssh-keygen -l prints it; empty on failure.
std::string sha256Fingerprint(ssh_key_struct *key);

} // namespace podpath::remote
