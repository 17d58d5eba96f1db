#pragma once
// The SSH choices every headless command takes (--identity, --known-hosts, --ssh-config,
// --jump) applied to one node as the user named it.

#include "core/result.h"
#include "remote/ssh_target.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <optional>
#include <string>

namespace podpath::app {

struct SshChoices {
    std::optional<std::string> identityFile, knownHostsFile, configFile;
    std::optional<remote::JumpHost> jump;  // parsed once, so its error names --jump
};

// The choices as the parser holds them (the jump host is parsed on its own, for its error).
SshChoices sshChoices(const QCommandLineParser &p, const QCommandLineOption &identity, const QCommandLineOption &knownHosts,
                      const QCommandLineOption &sshConfig);

// "[user@]host[:port]" or an ~/.ssh/config alias, with the choices applied.
Result<remote::SshTarget> sshTarget(const std::string &node, const SshChoices &choices);

} // namespace podpath::app
