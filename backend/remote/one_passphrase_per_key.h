#pragma once
// Asks a key's passphrase once for a whole diagnosis, not once per node: both nodes
// connect at once with the same key, and the engineer should type it one time. Every
// other question goes to the prompter it wraps. The second node waits while the first
// one's question is open, then reuses the answer (a declined key stays declined).
// Lives as long as one run: nothing is kept past it.

#include "remote/ssh_prompter.h"

#include <map>
#include <mutex>

namespace podpath::remote {

class OnePassphrasePerKey final : public SshPrompter {
public:
    explicit OnePassphrasePerKey(SshPrompter *inner) : m_inner(inner) {}

    HostKeyDecision unknownHostKey(const HostKeyQuestion &q) override
    {
        return m_inner ? m_inner->unknownHostKey(q) : HostKeyDecision::Refuse;
    }
    std::optional<Secret> keyPassphrase(const std::string &keyFile) override;
    std::optional<Secret> password(const std::string &userAtHost, int attempt) override
    {
        return m_inner ? m_inner->password(userAtHost, attempt) : std::nullopt;
    }
    std::optional<std::vector<Secret>> keyboardInteractive(const std::string &userAtHost, const std::string &name,
                                                           const std::string &instruction,
                                                           const std::vector<KeyboardPrompt> &prompts) override
    {
        return m_inner ? m_inner->keyboardInteractive(userAtHost, name, instruction, prompts) : std::nullopt;
    }
    std::optional<Secret> sudoPassword(const std::string &userAtHost) override
    {
        return m_inner ? m_inner->sudoPassword(userAtHost) : std::nullopt;
    }

private:
    SshPrompter *m_inner;
    std::mutex m_mutex;  // held while a passphrase question is open
    std::map<std::string, std::optional<Secret>> m_answers;
};

} // namespace podpath::remote
