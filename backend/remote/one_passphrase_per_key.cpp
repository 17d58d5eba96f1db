#include "remote/one_passphrase_per_key.h"

namespace podpath::remote {

std::optional<Secret> OnePassphrasePerKey::keyPassphrase(const std::string &keyFile)
{
    std::lock_guard lock(m_mutex);
    if (auto known = m_answers.find(keyFile); known != m_answers.end())
        return known->second;
    std::optional<Secret> answer = m_inner ? m_inner->keyPassphrase(keyFile) : std::nullopt;
    m_answers.emplace(keyFile, answer);
    return answer;
}

} // namespace podpath::remote
