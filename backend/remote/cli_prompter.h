#pragma once
// The headless command's answers: unknown host keys are refused unless a flag accepts
// them; passwords and passphrases are read from the controlling terminal with echo
// off, and only from a terminal (never from a pipe, never from the environment).
// Without a terminal every secret question is declined, so a batch run fails with the
// authentication error instead of hanging.

#include "remote/ssh_prompter.h"

#include <string>

namespace podpath::remote {

// What the terminal shows for the node's i-th keyboard-interactive question: the
// node's name, instruction and prompt are its own words, so they are shown escaped
// (a node must not drive the engineer's terminal); the header comes with the first.
std::string keyboardInteractiveText(const std::string &userAtHost, const std::string &name,
                                    const std::string &instruction, const std::string &prompt, bool first);

class CliPrompter : public SshPrompter {
public:
    struct Options {
        HostKeyDecision unknownHostKeys = HostKeyDecision::Refuse;   // --accept-host-key: AcceptAndSave
        std::string terminal = "/dev/tty";
    };
    CliPrompter() = default;
    explicit CliPrompter(Options options) : m_options(std::move(options)) {}

    HostKeyDecision unknownHostKey(const HostKeyQuestion &question) override;
    std::optional<Secret> keyPassphrase(const std::string &keyFile) override;
    std::optional<Secret> password(const std::string &userAtHost, int attempt) override;
    std::optional<std::vector<Secret>> keyboardInteractive(const std::string &userAtHost, const std::string &name,
                                                           const std::string &instruction,
                                                           const std::vector<KeyboardPrompt> &prompts) override;
    std::optional<Secret> sudoPassword(const std::string &userAtHost) override;

private:
    std::optional<Secret> ask(const std::string &prompt, bool echo);
    Options m_options;
};

} // namespace podpath::remote
