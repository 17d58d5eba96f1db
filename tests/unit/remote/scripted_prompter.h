#pragma once
// A prompter with canned answers that remembers what it was asked, for tests.

#include "remote/ssh_prompter.h"

#include <atomic>
#include <mutex>

class ScriptedPrompter : public podpath::remote::SshPrompter {
public:
    using Decision = podpath::remote::HostKeyDecision;
    Decision hostKeyDecision = Decision::Refuse;
    std::optional<std::string> passwordAnswer;
    std::optional<std::string> sudoAnswer;
    std::optional<std::string> passphraseAnswer;

    std::atomic<int> hostKeyQuestions{0};
    std::atomic<int> passwordQuestions{0};
    std::atomic<int> sudoQuestions{0};
    podpath::remote::HostKeyQuestion lastQuestion;

    Decision unknownHostKey(const podpath::remote::HostKeyQuestion &q) override
    {
        std::lock_guard lock(m_mutex);
        lastQuestion = q;
        ++hostKeyQuestions;
        return hostKeyDecision;
    }
    std::optional<podpath::remote::Secret> keyPassphrase(const std::string &) override
    {
        return wrap(passphraseAnswer);
    }
    std::optional<podpath::remote::Secret> password(const std::string &, int) override
    {
        ++passwordQuestions;
        return wrap(passwordAnswer);
    }
    std::optional<std::vector<podpath::remote::Secret>>
    keyboardInteractive(const std::string &, const std::string &, const std::string &,
                        const std::vector<podpath::remote::KeyboardPrompt> &prompts) override
    {
        if (!passwordAnswer)
            return std::nullopt;
        std::vector<podpath::remote::Secret> answers;
        for (std::size_t i = 0; i < prompts.size(); ++i)
            answers.emplace_back(*passwordAnswer);
        return answers;
    }
    std::optional<podpath::remote::Secret> sudoPassword(const std::string &) override
    {
        ++sudoQuestions;
        return wrap(sudoAnswer);
    }

private:
    static std::optional<podpath::remote::Secret> wrap(const std::optional<std::string> &s)
    {
        if (!s)
            return std::nullopt;
        return podpath::remote::Secret(*s);
    }
    std::mutex m_mutex;
};
