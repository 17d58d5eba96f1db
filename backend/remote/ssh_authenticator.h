#pragma once
// Logs in the way OpenSSH does, in its order: ssh-agent, identity files (asking for a
// passphrase when a key needs one), keyboard-interactive, password; only the methods
// the server offers. A failure says which methods were tried and how each ended.

#include "core/result.h"
#include "remote/ssh_prompter.h"

#include <string>
#include <vector>

struct ssh_session_struct;

namespace podpath::remote {

class SshAuthenticator {
public:
    // `identitiesOnly`: the ssh config's IdentitiesOnly. The agent's keys are then not
    // offered (libssh 0.10 cannot offer only the agent's copy of a configured key, so a
    // configured key with a passphrase is asked for even when the agent holds it).
    SshAuthenticator(ssh_session_struct *session, std::string userAtHost, SshPrompter *prompter,
                     bool identitiesOnly = false);
    ~SshAuthenticator();
    SshAuthenticator(const SshAuthenticator &) = delete;
    SshAuthenticator &operator=(const SshAuthenticator &) = delete;

    Result<void> authenticate();
    // What was tried, e.g. {"agent: refused", "publickey: accepted"}; never secrets.
    const std::vector<std::string> &trail() const { return m_trail; }

private:
    static int passphraseCallback(const char *prompt, char *buf, size_t len, int echo, int verify, void *userdata);
    int tryPublicKeys();
    int tryKeyboardInteractive();
    int tryPassword();
    Error failure(const std::string &why) const;

    ssh_session_struct *m_session;
    std::string m_label;
    SshPrompter *m_prompter;
    bool m_identitiesOnly;
    struct Callbacks;
    Callbacks *m_callbacks;
    std::vector<std::string> m_trail;
};

} // namespace podpath::remote
