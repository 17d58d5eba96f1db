#include "ssh_options.h"

namespace podpath::app {

Result<remote::SshTarget> sshTarget(const std::string &node, const SshChoices &choices)
{
    auto t = remote::SshTarget::parse(node);
    if (!t.ok())
        return t;
    if (choices.identityFile)
        t->identityFile = *choices.identityFile;
    if (choices.knownHostsFile)
        t->knownHostsFile = *choices.knownHostsFile;
    if (choices.configFile)
        t->configFile = *choices.configFile;
    if (choices.jump)
        t->jump = *choices.jump;
    return t;
}

} // namespace podpath::app
