#include "remote/ssh_authenticator.h"

#include "remote/error_codes.h"

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include <cstdlib>
#include <cstring>

namespace podpath::remote {

struct SshAuthenticator::Callbacks {
    ssh_callbacks_struct cb{};
};

SshAuthenticator::SshAuthenticator(ssh_session session, std::string userAtHost, SshPrompter *prompter,
                                   bool identitiesOnly)
    : m_session(session), m_label(std::move(userAtHost)), m_prompter(prompter), m_identitiesOnly(identitiesOnly),
      m_callbacks(new Callbacks)
{
    // libssh's public-key login asks the agent first, whatever else it is told: with
    // IdentitiesOnly it is pointed at no agent at all.
    if (m_identitiesOnly)
        ssh_options_set(m_session, SSH_OPTIONS_IDENTITY_AGENT, "/dev/null");
    m_callbacks->cb.userdata = this;
    m_callbacks->cb.auth_function = &SshAuthenticator::passphraseCallback;
    ssh_callbacks_init(&m_callbacks->cb);
    ssh_set_callbacks(m_session, &m_callbacks->cb);
}

SshAuthenticator::~SshAuthenticator()
{
    // The session outlives us and keeps a pointer to its callbacks: leave it one that
    // lives forever and calls nothing.
    static ssh_callbacks_struct none = [] {
        ssh_callbacks_struct cb{};
        ssh_callbacks_init(&cb);
        return cb;
    }();
    ssh_set_callbacks(m_session, &none);
    delete m_callbacks;
}

int SshAuthenticator::passphraseCallback(const char *, char *buf, size_t len, int, int, void *userdata)
{
    auto *self = static_cast<SshAuthenticator *>(userdata);
    if (!self->m_prompter || len == 0)
        return -1;
    std::string file = "a private key";
    char *current = nullptr;
    if (ssh_userauth_publickey_auto_get_current_identity(self->m_session, &current) == SSH_OK && current) {
        file = current;
        ssh_string_free_char(current);
    }
    auto answer = self->m_prompter->keyPassphrase(file);
    if (!answer || answer->reveal().size() + 1 > len)
        return -1;
    std::memcpy(buf, answer->reveal().data(), answer->reveal().size());
    buf[answer->reveal().size()] = '\0';
    self->m_trail.push_back("passphrase asked for " + file);
    return 0;
}

int SshAuthenticator::tryPublicKeys()
{
    // One pass of libssh's public-key login: the agent's keys, then the identity files,
    // each offered once. (Asking the agent on its own first offered its keys twice, and
    // spent the server's MaxAuthTries, 6, before a file's key came.)
    const bool agent = !m_identitiesOnly && std::getenv("SSH_AUTH_SOCK");
    if (m_identitiesOnly)
        m_trail.push_back("agent: not used (IdentitiesOnly)");
    else if (!agent)
        m_trail.push_back("agent: not running");
    const int rc = ssh_userauth_publickey_auto(m_session, nullptr, nullptr);
    if (rc == SSH_AUTH_SUCCESS) {
        char *file = nullptr;
        const bool fromFile = ssh_userauth_publickey_auto_get_current_identity(m_session, &file) == SSH_OK && file;
        m_trail.push_back(fromFile ? "identity file " + std::string(file) + ": accepted" : "agent: accepted");
        ssh_string_free_char(file);
    } else {
        m_trail.push_back(agent ? "agent and identity files: no key accepted" : "identity files: none accepted");
    }
    return rc;
}

int SshAuthenticator::tryKeyboardInteractive()
{
    int rc = ssh_userauth_kbdint(m_session, nullptr, nullptr);
    // A server may send several rounds (PAM: password, then OTP); bounded like OpenSSH.
    for (int round = 0; rc == SSH_AUTH_INFO && round < 8; ++round) {
        const int n = ssh_userauth_kbdint_getnprompts(m_session);
        std::vector<KeyboardPrompt> prompts;
        for (int i = 0; i < n; ++i) {
            char echo = 0;
            const char *text = ssh_userauth_kbdint_getprompt(m_session, unsigned(i), &echo);
            prompts.push_back({text ? text : "", echo != 0});
        }
        std::optional<std::vector<Secret>> answers;
        if (n > 0) {
            if (!m_prompter)
                break;
            const char *name = ssh_userauth_kbdint_getname(m_session);
            const char *instruction = ssh_userauth_kbdint_getinstruction(m_session);
            answers = m_prompter->keyboardInteractive(m_label, name ? name : "", instruction ? instruction : "",
                                                      prompts);
            if (!answers || answers->size() != std::size_t(n))
                break;
            for (int i = 0; i < n; ++i) {
                std::string copy((*answers)[std::size_t(i)].reveal());
                ssh_userauth_kbdint_setanswer(m_session, unsigned(i), copy.c_str());
                std::fill(copy.begin(), copy.end(), '\0');
            }
        }
        rc = ssh_userauth_kbdint(m_session, nullptr, nullptr);
    }
    m_trail.push_back(rc == SSH_AUTH_SUCCESS ? "keyboard-interactive: accepted"
                                             : "keyboard-interactive: not accepted");
    return rc == SSH_AUTH_INFO ? SSH_AUTH_DENIED : rc;
}

int SshAuthenticator::tryPassword()
{
    int rc = SSH_AUTH_DENIED;
    // OpenSSH asks three times.
    for (int attempt = 1; attempt <= 3 && m_prompter; ++attempt) {
        auto password = m_prompter->password(m_label, attempt);
        if (!password)
            break;
        std::string copy(password->reveal());
        rc = ssh_userauth_password(m_session, nullptr, copy.c_str());
        std::fill(copy.begin(), copy.end(), '\0');
        if (rc != SSH_AUTH_DENIED)
            break;
    }
    m_trail.push_back(rc == SSH_AUTH_SUCCESS ? "password: accepted"
                      : m_prompter          ? "password: rejected or not given"
                                            : "password: nobody to ask");
    return rc;
}

Error SshAuthenticator::failure(const std::string &why) const
{
    std::string tried;
    for (const auto &t : m_trail)
        tried += (tried.empty() ? "" : "; ") + t;
    return Error("Permission denied for " + m_label + (why.empty() ? "" : " (" + why + ")"),
                 tried.empty() ? "no method tried" : "tried " + tried,
                 "check the user name and that your key is in the node's authorized_keys "
                 "(ssh -v " + m_label + " shows what the server accepts), or load the key into ssh-agent",
                 0, kSshAuthFailed);
}

Result<void> SshAuthenticator::authenticate()
{
    auto lost = [&] {
        return Error("lost the connection to " + m_label + " while logging in", ssh_get_error(m_session),
                     "try again", 0, kSshConnectionLost);
    };
    // Public keys first, without the "none" request clients usually send for the method
    // list: a refusal carries the list as well, and over a WAN link that is one round
    // trip less. Only when no key was offered at all does "none" ask for the list.
    int rc = tryPublicKeys();
    if (rc == SSH_AUTH_SUCCESS)
        return {};
    if (rc == SSH_AUTH_ERROR)
        return lost();
    if (ssh_userauth_list(m_session, nullptr) == 0) {
        rc = ssh_userauth_none(m_session, nullptr);
        if (rc == SSH_AUTH_SUCCESS)
            return {};
        if (rc == SSH_AUTH_ERROR)
            return lost();
    }

    // PARTIAL (a second factor needed) re-reads the method list and goes on.
    for (int pass = 0; pass < 4; ++pass) {
        const int methods = ssh_userauth_list(m_session, nullptr);
        // The keys were offered just now; a later pass (after a partial success) offers
        // them again.
        if ((methods & SSH_AUTH_METHOD_PUBLICKEY) && pass > 0)
            rc = tryPublicKeys();
        if ((rc == SSH_AUTH_DENIED || !(methods & SSH_AUTH_METHOD_PUBLICKEY)) &&
            (methods & SSH_AUTH_METHOD_INTERACTIVE))
            rc = tryKeyboardInteractive();
        if ((rc == SSH_AUTH_DENIED || !(methods & (SSH_AUTH_METHOD_PUBLICKEY | SSH_AUTH_METHOD_INTERACTIVE))) &&
            (methods & SSH_AUTH_METHOD_PASSWORD))
            rc = tryPassword();
        if (rc == SSH_AUTH_SUCCESS)
            return {};
        if (rc == SSH_AUTH_ERROR)
            return lost();
        if (rc != SSH_AUTH_PARTIAL)
            break;
        m_trail.push_back("partial success, server wants another method");
    }
    const int methods = ssh_userauth_list(m_session, nullptr);
    std::string offered;
    auto add = [&](int bit, const char *name) {
        if (methods & bit)
            offered += (offered.empty() ? "" : ",") + std::string(name);
    };
    add(SSH_AUTH_METHOD_PUBLICKEY, "publickey");
    add(SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive");
    add(SSH_AUTH_METHOD_PASSWORD, "password");
    add(SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic");
    return failure(offered);
}

} // namespace podpath::remote
