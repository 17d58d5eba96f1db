#include "remote/session_opener.h"

#include "remote/error_codes.h"
#include "remote/host_key_check.h"
#include "remote/shell_quote.h"
#include "remote/ssh_authenticator.h"

#include <libssh/libssh.h>
#include <spdlog/spdlog.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace podpath::remote {

namespace {

constexpr long kDefaultConnectTimeout = 15;

// libssh expands %h, %p, %d... in a ProxyCommand: a literal % must be doubled.
std::string escapePercent(const std::string &s)
{
    std::string out;
    for (char c : s) {
        out += c;
        if (c == '%')
            out += '%';
    }
    return out;
}

std::string optionString(ssh_session s, ssh_options_e option)
{
    char *value = nullptr;
    if (ssh_options_get(s, option, &value) != SSH_OK || !value)
        return {};
    std::string out(value);
    ssh_string_free_char(value);
    return out;
}

// Options OpenSSH's `ssh`, run as the jump host's ProxyCommand, gets from PodPath: no
// prompts (nobody could answer them) and the same known_hosts file.
// OpenSSH reads UserKnownHostsFile as a list of files split at blanks (quotes keep one
// together) and expands %d, %u... in each: a path with a blank, a quote or a % must be
// written as one double-quoted word with its % doubled.
std::string openSshFileWord(const std::string &path)
{
    std::string out = "\"";
    for (char c : escapePercent(path)) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string jumpSshOptions(const std::string &knownHostsFile, const std::optional<std::string> &configFile,
                           int connectTimeoutSeconds)
{
    // libssh expands % in the ProxyCommand first (%% to %), then OpenSSH does.
    std::string o = "-o BatchMode=yes -o StrictHostKeyChecking=yes -o " +
                    shellQuote("UserKnownHostsFile=" + escapePercent(openSshFileWord(knownHostsFile)));
    if (configFile)
        o += " -F " + shellQuote(escapePercent(*configFile));
    o += " -o ConnectTimeout=" + std::to_string(connectTimeoutSeconds);
    return o;
}

} // namespace

void SessionDeleter::operator()(ssh_session_struct *session) const
{
    if (!session)
        return;
    if (ssh_is_connected(session))
        ssh_disconnect(session);
    ssh_free(session);
}

std::string userHomeDir()
{
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_dir)
        return pw->pw_dir;
    const char *home = getenv("HOME");
    return home ? home : "/";
}

std::string defaultKnownHostsFile() { return userHomeDir() + "/.ssh/known_hosts"; }

std::string jumpProxyCommand(const JumpHost &jump, const std::string &knownHostsFile,
                             const std::optional<std::string> &configFile, int connectTimeoutSeconds)
{
    std::string cmd = "exec ssh " + jumpSshOptions(knownHostsFile, configFile, connectTimeoutSeconds);
    if (jump.user)
        cmd += " -l " + shellQuote(*jump.user);
    if (jump.port)
        cmd += " -p " + jump.port->toString();
    cmd += " -W '[%h]:%p' " + shellQuote(jump.host);
    return cmd;
}

Result<OpenedSession> openSession(const SshTarget &target, SshPrompter *prompter)
{
    OpenedSession out;
    out.session.reset(ssh_new());
    ssh_session s = out.session.get();
    if (!s)
        return Error("out of memory starting an SSH session", target.label(), {}, 0, kSshConnectFailed);

    auto setOption = [&](ssh_options_e option, const void *value, const char *what) -> Result<void> {
        if (ssh_options_set(s, option, value) != SSH_OK)
            return Error(std::string("libssh refused the ") + what + " option", ssh_get_error(s),
                         "check the ssh configuration for " + target.host, 0, kSshConfigError);
        return {};
    };

    if (auto r = setOption(SSH_OPTIONS_HOST, target.host.c_str(), "host"); !r)
        return r.error();
    long timeout = kDefaultConnectTimeout;
    (void)setOption(SSH_OPTIONS_TIMEOUT, &timeout, "timeout");

    if (target.configFile) {
        struct stat st {};
        if (stat(target.configFile->c_str(), &st) != 0)
            return Error("ssh config file not found", *target.configFile, "give an existing file or none", 0,
                         kSshConfigError);
    }
    if (ssh_options_parse_config(s, target.configFile ? target.configFile->c_str() : nullptr) != 0)
        return Error("could not read the ssh configuration", target.configFile.value_or("~/.ssh/config"),
                     "check its syntax with ssh -G " + target.host, 0, kSshConfigError);
    // Parsed once, here: ssh_connect must not read ~/.ssh/config again over a given file.
    bool no = false;
    (void)setOption(SSH_OPTIONS_PROCESS_CONFIG, &no, "config");

    if (target.user)
        if (auto r = setOption(SSH_OPTIONS_USER, target.user->c_str(), "user"); !r)
            return r.error();
    if (target.port) {
        unsigned int port = target.port->value();
        (void)setOption(SSH_OPTIONS_PORT, &port, "port");
    }
    // libssh expands %d, %u... in the identity and known_hosts paths: the user's own
    // paths are taken literally.
    if (target.identityFile)
        if (auto r = setOption(SSH_OPTIONS_IDENTITY, escapePercent(*target.identityFile).c_str(), "identity"); !r)
            return r.error();
    if (target.connectTimeoutSeconds) {
        timeout = *target.connectTimeoutSeconds;
        (void)setOption(SSH_OPTIONS_TIMEOUT, &timeout, "timeout");
    }
    std::string knownHosts = target.knownHostsFile.value_or(optionString(s, SSH_OPTIONS_KNOWNHOSTS));
    if (knownHosts.empty())
        knownHosts = defaultKnownHostsFile();
    (void)setOption(SSH_OPTIONS_KNOWNHOSTS, (target.knownHostsFile ? escapePercent(knownHosts) : knownHosts).c_str(),
                    "known hosts");
    int one = 1;
    (void)setOption(SSH_OPTIONS_NODELAY, &one, "nodelay");

    const int jumpTimeout = int(target.connectTimeoutSeconds.value_or(int(kDefaultConnectTimeout)));
    if (target.jump) {
        const std::string proxy = jumpProxyCommand(*target.jump, knownHosts, target.configFile, jumpTimeout);
        if (auto r = setOption(SSH_OPTIONS_PROXYCOMMAND, proxy.c_str(), "jump host"); !r)
            return r.error();
    } else {
        // libssh 0.10 turns ProxyJump into "ssh ... -W '[%h]:%p' jump"; give that ssh
        // the same non-interactive options as an explicit jump host.
        const std::string proxy = optionString(s, SSH_OPTIONS_PROXYCOMMAND);
        if (proxy.rfind("ssh ", 0) == 0) {
            const std::string fixed = "exec ssh " + jumpSshOptions(knownHosts, target.configFile, jumpTimeout) +
                                      proxy.substr(3);
            (void)setOption(SSH_OPTIONS_PROXYCOMMAND, fixed.c_str(), "proxy command");
        }
    }

    out.host = optionString(s, SSH_OPTIONS_HOST);
    unsigned int port = 22;
    ssh_options_get_port(s, &port);
    out.port = int(port);
    out.user = optionString(s, SSH_OPTIONS_USER);
    const std::string where = target.host + (out.host != target.host || out.port != 22
                                                 ? " (" + out.host + " port " + std::to_string(out.port) + ")"
                                                 : "");

    if (ssh_connect(s) != SSH_OK)
        return Error("cannot reach " + where + ": " + ssh_get_error(s), target.label(),
                     "check the address and port, that sshd runs there and any jump host "
                     "(ssh -v " + target.host + " shows each step)",
                     0, kSshConnectFailed);

    // libssh read the system-wide file too (GlobalKnownHostsFile in the ssh config).
    std::string globalKnownHosts = optionString(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS);
    if (globalKnownHosts.empty())
        globalKnownHosts = "/etc/ssh/ssh_known_hosts";
    HostKeyContext hk{target.host, out.host, out.port, knownHosts, {globalKnownHosts}};
    if (auto r = verifyHostKey(s, hk, prompter); !r)
        return r.error();

    SshAuthenticator auth(s, out.user + "@" + target.host, prompter);
    if (auto r = auth.authenticate(); !r)
        return r.error();
    spdlog::info("logged in to {} as {} ({})", where, out.user, auth.trail().empty() ? "none" : auth.trail().back());
    return out;
}

} // namespace podpath::remote
