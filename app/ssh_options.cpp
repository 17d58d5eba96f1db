#include "ssh_options.h"

namespace podpath::app {

SshChoices sshChoices(const QCommandLineParser &p, const QCommandLineOption &identity, const QCommandLineOption &knownHosts,
                      const QCommandLineOption &sshConfig)
{
    SshChoices choices;
    if (p.isSet(identity))
        choices.identityFile = p.value(identity).toStdString();
    if (p.isSet(knownHosts))
        choices.knownHostsFile = p.value(knownHosts).toStdString();
    if (p.isSet(sshConfig))
        choices.configFile = p.value(sshConfig).toStdString();
    return choices;
}

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
