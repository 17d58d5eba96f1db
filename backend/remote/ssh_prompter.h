#pragma once
// Everything an SSH connection may need to ask a person. The GUI and the CLI each
// implement it. Calls come from the node's worker thread and may block it (a GUI
// implementation hands the question to the GUI thread and waits for the answer);
// they never come from the GUI thread.

#include "remote/secret.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::remote {

enum class HostKeyDecision { Refuse, AcceptOnce, AcceptAndSave };

struct HostKeyQuestion {
    std::string node;            // as the user named it (alias)
    std::string host;            // what was connected to (HostName)
    int port = 22;
    std::string keyType;         // "ssh-ed25519"
    std::string fingerprint;     // "SHA256:..." as ssh-keygen -l prints it
    std::string knownHostsFile;  // where "save" writes
};

struct KeyboardPrompt {
    std::string text;
    bool echo = false;
};

class SshPrompter {
public:
    virtual ~SshPrompter() = default;
    virtual HostKeyDecision unknownHostKey(const HostKeyQuestion &question) = 0;
    // nullopt: the user declined; the key is skipped.
    virtual std::optional<Secret> keyPassphrase(const std::string &keyFile) = 0;
    virtual std::optional<Secret> password(const std::string &userAtHost, int attempt) = 0;
    virtual std::optional<std::vector<Secret>> keyboardInteractive(const std::string &userAtHost,
                                                                   const std::string &name,
                                                                   const std::string &instruction,
                                                                   const std::vector<KeyboardPrompt> &prompts) = 0;
    virtual std::optional<Secret> sudoPassword(const std::string &userAtHost) = 0;
};

} // namespace podpath::remote
