#include "remote/cli_prompter.h"

#include "core/printable.h"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <mutex>

namespace podpath::remote {

namespace {
// Two nodes connect in parallel; their questions must not interleave on one terminal.
std::mutex g_terminal;
}

HostKeyDecision CliPrompter::unknownHostKey(const HostKeyQuestion &q)
{
    const char *verdict = m_options.unknownHostKeys == HostKeyDecision::Refuse ? "refused (no --accept-host-key)"
                          : m_options.unknownHostKeys == HostKeyDecision::AcceptOnce ? "accepted for this run"
                                                                                      : "accepted and saved";
    spdlog::warn("host key of {} ({} port {}) is not known: {} {}; {}", q.node, q.host, q.port, q.keyType,
                 q.fingerprint, verdict);
    return m_options.unknownHostKeys;
}

std::optional<Secret> CliPrompter::ask(const std::string &prompt, bool echo)
{
    std::lock_guard lock(g_terminal);
    int fd = open(m_options.terminal.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    if (!isatty(fd)) {
        close(fd);
        return std::nullopt;
    }
    termios saved{};
    tcgetattr(fd, &saved);
    if (!echo) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= ECHONL;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    (void)!write(fd, prompt.data(), prompt.size());
    std::string line;
    char c;
    while (line.size() < 4096 && read(fd, &c, 1) == 1 && c != '\n')
        line += c;
    if (!echo)
        tcsetattr(fd, TCSAFLUSH, &saved);
    close(fd);
    Secret secret(std::move(line));
    return secret;
}

std::optional<Secret> CliPrompter::keyPassphrase(const std::string &keyFile)
{
    return ask("Enter passphrase for key '" + keyFile + "': ", false);
}

std::optional<Secret> CliPrompter::password(const std::string &userAtHost, int attempt)
{
    return ask((attempt > 1 ? "Permission denied, please try again.\n" : "") + userAtHost + "'s password: ", false);
}

std::string keyboardInteractiveText(const std::string &userAtHost, const std::string &name,
                                    const std::string &instruction, const std::string &prompt, bool first)
{
    std::string text;
    if (first)
        text = "(" + printable(userAtHost) + ") " + (name.empty() ? "" : printable(name) + "\n") +
               (instruction.empty() ? "" : printableLines(instruction) + (instruction.ends_with('\n') ? "" : "\n"));
    return text + printable(prompt);
}

std::optional<std::vector<Secret>> CliPrompter::keyboardInteractive(const std::string &userAtHost,
                                                                    const std::string &name,
                                                                    const std::string &instruction,
                                                                    const std::vector<KeyboardPrompt> &prompts)
{
    std::vector<Secret> answers;
    for (std::size_t i = 0; i < prompts.size(); ++i) {
        auto a = ask(keyboardInteractiveText(userAtHost, name, instruction, prompts[i].text, i == 0), prompts[i].echo);
        if (!a)
            return std::nullopt;
        answers.push_back(std::move(*a));
    }
    return answers;
}

std::optional<Secret> CliPrompter::sudoPassword(const std::string &userAtHost)
{
    return ask("[sudo] password for " + userAtHost + ": ", false);
}

} // namespace podpath::remote
