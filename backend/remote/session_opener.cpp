#include "remote/session_opener.h"

#include "remote/error_codes.h"
#include "remote/host_key_check.h"
#include "remote/openssh_config.h"
#include "remote/shell_quote.h"
#include "remote/ssh_authenticator.h"

#include <libssh/libssh.h>
#include <spdlog/spdlog.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace podpath::remote {

namespace {

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
                             const std::optional<std::string> &configFile, int connectTimeoutSeconds,
                             const std::string &via)
{
    std::string cmd = "exec ssh " + jumpSshOptions(knownHostsFile, configFile, connectTimeoutSeconds);
    if (!via.empty())
        cmd += " -J " + shellQuote(escapePercent(via));
    if (jump.user)
        cmd += " -l " + shellQuote(*jump.user);
    if (jump.port)
        cmd += " -p " + jump.port->toString();
    cmd += " -W '[%h]:%p' " + shellQuote(jump.host);
    return cmd;
}

namespace {

// OpenSSH's defaults, as ssh -G lists them when the config names no IdentityFile:
// libssh tries its own defaults from the same folder, so they are not added twice.
bool onlyOpenSshDefaults(const std::vector<std::string> &files)
{
    static const std::vector<std::string> defaults{"~/.ssh/id_rsa",        "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk",
                                                   "~/.ssh/id_ed25519",    "~/.ssh/id_ed25519_sk",
                                                   "~/.ssh/id_xmss",       "~/.ssh/id_dsa"};
    return files == defaults;
}

// ProxyCommand's tokens as OpenSSH expands them (sshconnect.c: %h %n %p %r %%), then %
// doubled for libssh, which expands the command again.
Result<std::string> proxyCommandForLibssh(const std::string &command, const OpenSshConfig &c)
{
    std::string out = "exec ";
    for (std::size_t i = 0; i < command.size(); ++i) {
        if (command[i] != '%') {
            out += command[i];
            continue;
        }
        const char k = i + 1 < command.size() ? command[++i] : '\0';
        if (k == '%')
            out += '%';
        else if (k == 'h')
            out += c.hostName;
        else if (k == 'n')
            out += c.host;
        else if (k == 'p')
            out += c.port ? c.port->toString() : "22";
        else if (k == 'r')
            out += c.user;
        else
            return Error(std::string("unknown token %") + k + " in ProxyCommand", command,
                         "check with ssh -G " + c.host, 0, kSshConfigError);
    }
    return escapePercent(out);
}

// ProxyJump "[user@]host[:port]" or a list of them: ssh -J takes all but the last.
Result<std::string> proxyJumpForLibssh(const std::string &hops, const std::string &knownHosts,
                                       const SshTarget &target, int timeout)
{
    const auto comma = hops.rfind(',');
    const std::string last = comma == std::string::npos ? hops : hops.substr(comma + 1);
    auto jump = parseJumpHost(last);
    if (!jump)
        return Error("PodPath cannot use the ProxyJump \"" + hops + "\" of the ssh config", jump.error().message,
                     "write it as [user@]host[:port], or give the jump host with --jump", 0, kSshConfigError);
    return jumpProxyCommand(*jump, knownHosts, target.configFile, timeout,
                            comma == std::string::npos ? std::string() : hops.substr(0, comma));
}

} // namespace

Result<ConfiguredSession> configureSession(const SshTarget &target, const std::string &sshProgram)
{
    auto resolved = askOpenSsh(target, sshProgram);
    if (!resolved)
        return resolved.error();

    ConfiguredSession out;
    out.opened.session.reset(ssh_new());
    ssh_session s = out.opened.session.get();
    if (!s)
        return Error("out of memory starting an SSH session", target.label(), {}, 0, kSshConnectFailed);

    auto setOption = [&](ssh_options_e option, const void *value, const char *what) -> Result<void> {
        if (ssh_options_set(s, option, value) != SSH_OK)
            return Error(std::string("libssh refused the ") + what + " option", ssh_get_error(s),
                         "check the ssh configuration for " + target.host + " (ssh -G " + target.host + ")", 0,
                         kSshConfigError);
        return {};
    };

    if (target.configFile) {
        struct stat st {};
        if (stat(target.configFile->c_str(), &st) != 0)
            return Error("ssh config file not found", *target.configFile, "give an existing file or none", 0,
                         kSshConfigError);
    }

    std::string knownHosts;
    bool knownHostsExpanded = true;  // false: libssh's own value, which it expands itself
    std::string proxyFromConfig;  // ProxyJump/ProxyCommand of the config, for libssh
    if (*resolved) {
        const OpenSshConfig &c = **resolved;
        // ssh_connect must not read ~/.ssh/config over what ssh -G decided.
        bool no = false;
        (void)setOption(SSH_OPTIONS_PROCESS_CONFIG, &no, "config");
        // libssh would read "user@host" in a host name as a login.
        if (c.hostName.find_first_of("@ \t") != std::string::npos)
            return Error("the ssh config gives " + target.host + " the host name \"" + c.hostName + "\"",
                         target.configFile.value_or("~/.ssh/config"), "check with ssh -G " + target.host, 0,
                         kSshConfigError);
        if (auto r = setOption(SSH_OPTIONS_HOST, c.hostName.c_str(), "host"); !r)
            return r.error();
        if (auto r = setOption(SSH_OPTIONS_USER, c.user.c_str(), "user"); !r)
            return r.error();
        unsigned int port = c.port->value();
        (void)setOption(SSH_OPTIONS_PORT, &port, "port");
        // libssh puts each identity first: the config's last goes in first, so the
        // first is tried first, as ssh does.
        if (!onlyOpenSshDefaults(c.identityFiles)) {
            const OpenSshTokens tokens = OpenSshTokens::of(c);
            for (const auto &file : c.identityFiles) {
                auto expanded = expandOpenSshPath(file, tokens);
                if (!expanded)
                    return Error("cannot use the IdentityFile of " + target.host + ": " + expanded.error().message,
                                 expanded.error().context, expanded.error().nextStep, 0, kSshConfigError);
                out.identityFiles.push_back(*expanded);
            }
            for (auto it = out.identityFiles.rbegin(); it != out.identityFiles.rend(); ++it)
                if (auto r = setOption(SSH_OPTIONS_IDENTITY, escapePercent(*it).c_str(), "identity"); !r)
                    return r.error();
        }
        if (c.connectTimeoutSeconds)
            out.connectTimeoutSeconds = *c.connectTimeoutSeconds;
        out.hostKeyAlias = c.hostKeyAlias.value_or(std::string());
        out.identitiesOnly = c.identitiesOnly;
        std::vector<std::string> userFiles = c.userKnownHostsFiles;
        if (!target.knownHostsFile && !userFiles.empty()) {
            knownHosts = userFiles.front();
            out.moreKnownHostsFiles.assign(userFiles.begin() + 1, userFiles.end());
        }
        out.moreKnownHostsFiles.insert(out.moreKnownHostsFiles.end(), c.globalKnownHostsFiles.begin(),
                                       c.globalKnownHostsFiles.end());
        if (knownHosts.empty())
            knownHosts = target.knownHostsFile.value_or(defaultKnownHostsFile());
        const int timeout = target.connectTimeoutSeconds.value_or(out.connectTimeoutSeconds);
        if (!target.jump && c.proxyJump) {
            auto proxy = proxyJumpForLibssh(*c.proxyJump, knownHosts, target, timeout);
            if (!proxy)
                return proxy.error();
            proxyFromConfig = *proxy;
        } else if (!target.jump && c.proxyCommand) {
            auto proxy = proxyCommandForLibssh(*c.proxyCommand, c);
            if (!proxy)
                return proxy.error();
            proxyFromConfig = *proxy;
        }
    } else {
        out.configFromOpenSsh = false;
        spdlog::warn("{} is not installed: libssh reads the ssh configuration for {}, and it skips Match "
                     "originalhost, exec, canonical and final (install OpenSSH's client for ssh's own reading)",
                     sshProgram, target.host);
        if (auto r = setOption(SSH_OPTIONS_HOST, target.host.c_str(), "host"); !r)
            return r.error();
        if (ssh_options_parse_config(s, target.configFile ? target.configFile->c_str() : nullptr) != 0)
            return Error("could not read the ssh configuration", target.configFile.value_or("~/.ssh/config"),
                         "check its syntax with ssh -G " + target.host, 0, kSshConfigError);
        bool no = false;
        (void)setOption(SSH_OPTIONS_PROCESS_CONFIG, &no, "config");
        if (target.user)
            if (auto r = setOption(SSH_OPTIONS_USER, target.user->c_str(), "user"); !r)
                return r.error();
        knownHosts = target.knownHostsFile.value_or(optionString(s, SSH_OPTIONS_KNOWNHOSTS));
        knownHostsExpanded = target.knownHostsFile.has_value();
        if (knownHosts.empty())
            knownHosts = defaultKnownHostsFile();
        std::string global = optionString(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS);
        out.moreKnownHostsFiles.push_back(global.empty() ? "/etc/ssh/ssh_known_hosts" : global);
        // libssh 0.10 turns ProxyJump into "ssh ... -W '[%h]:%p' jump"; give that ssh
        // the same non-interactive options as an explicit jump host.
        const std::string proxy = optionString(s, SSH_OPTIONS_PROXYCOMMAND);
        const int timeout = target.connectTimeoutSeconds.value_or(out.connectTimeoutSeconds);
        if (proxy.rfind("ssh ", 0) == 0)
            proxyFromConfig = "exec ssh " + jumpSshOptions(knownHosts, target.configFile, timeout) + proxy.substr(3);
    }

    if (target.port) {
        unsigned int port = target.port->value();
        (void)setOption(SSH_OPTIONS_PORT, &port, "port");
    }
    // libssh expands %d, %u... in the identity and known_hosts paths: the user's own
    // paths are taken literally.
    if (target.identityFile)
        if (auto r = setOption(SSH_OPTIONS_IDENTITY, escapePercent(*target.identityFile).c_str(), "identity"); !r)
            return r.error();
    if (target.connectTimeoutSeconds)
        out.connectTimeoutSeconds = *target.connectTimeoutSeconds;
    long timeout = out.connectTimeoutSeconds;
    (void)setOption(SSH_OPTIONS_TIMEOUT, &timeout, "timeout");
    // libssh opens the file itself while it picks host key types, blocking on a FIFO
    // nobody writes to: only a regular file (or none yet) is handed to it.
    if (struct stat st {}; ::stat(knownHosts.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        return Error("the known_hosts file " + knownHosts + " is not a regular file", knownHosts,
                     "give --known-hosts a file (OpenSSH's known_hosts format)", 0, kSshHostKeyError);
    out.knownHostsFile = knownHosts;
    (void)setOption(SSH_OPTIONS_KNOWNHOSTS, (knownHostsExpanded ? escapePercent(knownHosts) : knownHosts).c_str(),
                    "known hosts");
    int one = 1;
    (void)setOption(SSH_OPTIONS_NODELAY, &one, "nodelay");

    if (target.jump)
        out.proxyCommand = jumpProxyCommand(*target.jump, knownHosts, target.configFile, out.connectTimeoutSeconds);
    else
        out.proxyCommand = proxyFromConfig;
    if (!out.proxyCommand.empty())
        if (auto r = setOption(SSH_OPTIONS_PROXYCOMMAND, out.proxyCommand.c_str(), "jump host"); !r)
            return r.error();

    out.opened.host = optionString(s, SSH_OPTIONS_HOST);
    unsigned int port = 22;
    ssh_options_get_port(s, &port);
    out.opened.port = int(port);
    out.opened.user = optionString(s, SSH_OPTIONS_USER);
    return out;
}

Result<OpenedSession> openSession(const SshTarget &target, SshPrompter *prompter)
{
    auto configured = configureSession(target);
    if (!configured)
        return configured.error();
    OpenedSession &out = configured->opened;
    ssh_session s = out.session.get();
    const std::string where = target.host + (out.host != target.host || out.port != 22
                                                 ? " (" + out.host + " port " + std::to_string(out.port) + ")"
                                                 : "");

    if (ssh_connect(s) != SSH_OK)
        return Error("cannot reach " + where + ": " + ssh_get_error(s), target.label(),
                     configured->configFromOpenSsh
                         ? "check the address and port, that sshd runs there and any jump host "
                           "(ssh -v " + target.host + " shows each step)"
                         : "install OpenSSH's client so that PodPath reads the ssh config as ssh does "
                           "(libssh skips Match originalhost, exec, canonical and final), and check with ssh -G " +
                               target.host,
                     0, kSshConnectFailed);

    HostKeyContext hk{target.host, out.host, out.port, configured->knownHostsFile, configured->moreKnownHostsFiles,
                      configured->hostKeyAlias};
    if (auto r = verifyHostKey(s, hk, prompter); !r)
        return r.error();

    SshAuthenticator auth(s, out.user + "@" + target.host, prompter, configured->identitiesOnly);
    if (auto r = auth.authenticate(); !r)
        return r.error();
    spdlog::info("logged in to {} as {} ({})", where, out.user, auth.trail().empty() ? "none" : auth.trail().back());
    return std::move(out);
}

} // namespace podpath::remote
