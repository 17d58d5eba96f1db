#include "remote/openssh_config.h"

#include "parse/text.h"
#include "remote/error_codes.h"
#include "remote/local_process.h"
#include "remote/session_opener.h"

#include <cstdlib>

#include <pwd.h>
#include <unistd.h>

namespace podpath::remote {

namespace {

// `ssh -G` prints space-separated lists (UserKnownHostsFile, GlobalKnownHostsFile).
std::vector<std::string> words(std::string_view s)
{
    std::vector<std::string> out;
    for (auto w : text::words(s))
        out.emplace_back(w);
    return out;
}

// What ssh said about why it failed: its first line, past notes about the terminal.
std::string whatSshSaid(const std::string &s)
{
    std::string_view v = text::trim(s);
    std::string_view best;
    text::LineReader lines(v);
    std::string_view line;
    // ssh's notes about the terminal are not why it failed.
    while (lines.next(line)) {
        line = text::trim(line);
        if (line.empty() || line.starts_with("Pseudo-terminal will not be allocated"))
            continue;
        best = line;
        break;
    }
    return std::string(best);
}

std::string localHostName()
{
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0)
        return {};
    return buf;
}

std::string localUserName()
{
    if (const passwd *pw = ::getpwuid(::getuid()); pw && pw->pw_name)
        return pw->pw_name;
    return std::to_string(::getuid());
}

} // namespace

Result<OpenSshConfig> parseOpenSshConfigDump(std::string_view output)
{
    OpenSshConfig c;
    bool sawUser = false;
    text::LineReader lines(output);
    std::string_view line;
    while (lines.next(line)) {
        line = text::trim(line);
        const auto blank = line.find(' ');
        if (blank == std::string_view::npos)
            continue;
        const std::string_view key = line.substr(0, blank);
        const std::string_view value = text::trim(line.substr(blank + 1));
        if (key == "host") {
            c.host = value;
        } else if (key == "hostname") {
            c.hostName = value;
        } else if (key == "user") {
            c.user = value;
            sawUser = true;
        } else if (key == "port") {
            c.port = Port::parse(value);
            if (!c.port)
                return Error("ssh -G printed a port PodPath cannot read: \"" + std::string(value) + "\"", {}, {},
                             lines.lineNumber(), kSshConfigError);
        } else if (key == "identityfile") {
            if (value != "none")
                c.identityFiles.emplace_back(value);
        } else if (key == "identitiesonly") {
            c.identitiesOnly = value == "yes" || value == "true";
        } else if (key == "userknownhostsfile") {
            if (value != "none")
                c.userKnownHostsFiles = words(value);
        } else if (key == "globalknownhostsfile") {
            if (value != "none")
                c.globalKnownHostsFiles = words(value);
        } else if (key == "proxyjump") {
            if (value != "none")
                c.proxyJump = std::string(value);
        } else if (key == "proxycommand") {
            if (value != "none")
                c.proxyCommand = std::string(value);
        } else if (key == "connecttimeout") {
            if (value != "none") {
                auto seconds = Seconds::parse(value);
                if (!seconds)
                    return Error("ssh -G printed a ConnectTimeout PodPath cannot read: \"" + std::string(value) + "\"",
                                 {}, {}, lines.lineNumber(), kSshConfigError);
                c.connectTimeoutSeconds = int(seconds->value());
            }
        } else if (key == "hostkeyalias") {
            if (value != "none")
                c.hostKeyAlias = std::string(value);
        }
    }
    if (c.hostName.empty() || !sawUser || !c.port)
        return Error("ssh -G did not say the host name, user and port", {}, "check with ssh -G " + c.host, 0,
                     kSshConfigError);
    return c;
}

OpenSshTokens OpenSshTokens::of(const OpenSshConfig &config)
{
    OpenSshTokens t;
    t.originalHost = config.host;
    t.hostName = config.hostName;
    t.port = config.port ? config.port->toString() : "22";
    t.remoteUser = config.user;
    t.localUser = localUserName();
    t.home = userHomeDir();
    t.uid = std::to_string(::getuid());
    t.localHost = localHostName();
    t.localHostShort = t.localHost.substr(0, t.localHost.find('.'));
    t.hostKeyAlias = config.hostKeyAlias.value_or(config.host);
    return t;
}

Result<std::string> expandOpenSshPath(std::string_view path, const OpenSshTokens &t)
{
    std::string in(path);
    // OpenSSH's tilde_expand_filename: "~" or "~/..." is the home, "~user/..." theirs.
    if (in.starts_with("~")) {
        const auto slash = in.find('/');
        const std::string who = in.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
        std::string home = t.home;
        if (!who.empty()) {
            const passwd *pw = ::getpwnam(who.c_str());
            if (!pw || !pw->pw_dir)
                return Error("no such user: \"" + who + "\"", in, "check the path in the ssh config", 0,
                             kSshConfigError);
            home = pw->pw_dir;
        }
        in = home + (slash == std::string::npos ? std::string() : in.substr(slash));
    }
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '$' && i + 1 < in.size() && in[i + 1] == '{') {
            const auto close = in.find('}', i + 2);
            if (close == std::string::npos)
                return Error("a ${ without its }", in, "check the path in the ssh config", 0, kSshConfigError);
            const std::string name = in.substr(i + 2, close - i - 2);
            const char *value = std::getenv(name.c_str());
            if (!value)
                return Error("the environment variable " + name + " is not set", in,
                             "set it, or write the path without it", 0, kSshConfigError);
            out += value;
            i = close;
            continue;
        }
        if (c != '%') {
            out += c;
            continue;
        }
        if (i + 1 >= in.size())
            return Error("a lone % at the end", in, "write %% for a literal %", 0, kSshConfigError);
        const char k = in[++i];
        const std::string *value = nullptr;
        switch (k) {
        case '%': out += '%'; continue;
        case 'n': value = &t.originalHost; break;
        case 'h': value = &t.hostName; break;
        case 'p': value = &t.port; break;
        case 'r': value = &t.remoteUser; break;
        case 'u': value = &t.localUser; break;
        case 'd': value = &t.home; break;
        case 'i': value = &t.uid; break;
        case 'l': value = &t.localHost; break;
        case 'L': value = &t.localHostShort; break;
        case 'k': value = &t.hostKeyAlias; break;
        case 'C':
            return Error("PodPath does not expand %C (a hash of the connection)", in,
                         "write the path without %C, or give the key with --identity", 0, kSshConfigError);
        default:
            return Error(std::string("unknown token %") + k, in, "check the path with ssh -G " + t.originalHost, 0,
                         kSshConfigError);
        }
        out += *value;
    }
    return out;
}

Result<std::optional<OpenSshConfig>> askOpenSsh(const SshTarget &target, const std::string &sshProgram,
                                                int timeoutMs)
{
    std::vector<std::string> argv{sshProgram, "-G"};
    if (target.configFile) {
        argv.push_back("-F");
        argv.push_back(*target.configFile);
    }
    // The login and port given decide `Match user` and %r/%p as on ssh's command line.
    if (target.user) {
        argv.push_back("-l");
        argv.push_back(*target.user);
    }
    if (target.port) {
        argv.push_back("-p");
        argv.push_back(target.port->toString());
    }
    argv.push_back("--");
    argv.push_back(target.host);
    auto run = runLocal(argv, timeoutMs);
    if (!run)
        return Error(run.error().message, run.error().context, "check that ssh -G " + target.host + " works", 0,
                     kSshConfigError);
    if (!*run)
        return std::optional<OpenSshConfig>{};
    const LocalRun &r = **run;
    const std::string where = target.configFile.value_or("~/.ssh/config");
    if (r.timedOut)
        return Error("ssh -G " + target.host + " did not answer within " + std::to_string(timeoutMs / 1000) +
                         " s (a Match exec command that hangs?)",
                     where, "check with ssh -G " + target.host, 0, kSshConfigError);
    if (r.exitStatus != 0) {
        std::string why = whatSshSaid(r.err);
        if (why.empty())
            why = r.exitStatus >= 0 ? "exit status " + std::to_string(r.exitStatus)
                                    : "killed by signal " + std::to_string(r.signal);
        return Error("ssh cannot use the ssh configuration for " + target.host + ": " + why, where,
                     "check with ssh -G " + target.host, 0, kSshConfigError);
    }
    auto parsed = parseOpenSshConfigDump(r.out);
    if (!parsed)
        return parsed.error();
    if (parsed->host.empty())
        parsed->host = target.host;
    return std::optional<OpenSshConfig>{std::move(*parsed)};
}

} // namespace podpath::remote
