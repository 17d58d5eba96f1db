#include "remote/privilege_probe.h"

#include "parse/text.h"
#include "remote/command_batch.h"
#include "remote/error_codes.h"

namespace podpath::remote {

namespace {

const Seconds kProbeBound = *Seconds::of(15);

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

// "cmd: what it said on stderr", or "cmd exited with status 1" when it said nothing:
// never a bare "cmd: ".
std::string saidOrWhy(const std::string &cmd, const CommandResult &r)
{
    const std::string said(text::firstLine(r.err));
    if (!said.empty())
        return cmd + ": " + said;
    return r.succeeded() ? cmd + " gave no answer PodPath could read" : cmd + " " + r.whyNot();
}

// Sudo restricted to named commands: two of those PodPath needs, each through sudo on
// its own, read-only. Works if either answers; a rejected password ends the asking.
Result<SudoVerdict> probeNamedCommands(const ProbeRunner &run, SudoMode mode, const std::optional<Secret> &password)
{
    SudoVerdict last = SudoVerdict::NotAllowed;
    for (const RemoteCommand &needed : {RemoteCommand("tcpdump").flag("--version"),
                                        RemoteCommand("iptables-save").flag("--version")}) {
        auto named = run(needed, kProbeBound, mode, password);
        if (!named)
            return named.error();
        last = classifySudo(named->exitStatus.value_or(-1), named->err);
        if (last == SudoVerdict::Works || last == SudoVerdict::WrongPassword)
            break;
    }
    return last;
}

} // namespace

SudoVerdict classifySudo(int exitStatus, std::string_view err)
{
    if (exitStatus == 0)
        return SudoVerdict::Works;
    if (exitStatus == 127 || contains(err, "sudo: not found") || contains(err, "sudo: command not found"))
        return SudoVerdict::Missing;
    if (contains(err, "incorrect password") || contains(err, "Sorry, try again"))
        return SudoVerdict::WrongPassword;
    if (contains(err, "not in the sudoers") || contains(err, "is not allowed to") || contains(err, "may not run sudo"))
        return SudoVerdict::NotAllowed;
    if (contains(err, "a password is required") || contains(err, "no password was provided") ||
        contains(err, "a terminal is required"))
        return SudoVerdict::NeedsPassword;
    return SudoVerdict::NotAllowed;
}

Error rootUnavailable(const std::string &userAtHost, const PrivilegeState &why,
                      const std::vector<std::string> &commands)
{
    std::string need = commands.empty() ? "some commands need root"
                                        : text::listed(commands) + (commands.size() == 1 ? " needs root" : " need root");
    if (why.sudoNeedsTerminal)
        return Error(userAtHost + " is not root and its sudo works only from a terminal: " + need, why.detail,
                     "allow sudo without a terminal for this user (Defaults:" + userAtHost.substr(0, userAtHost.find('@')) +
                         " !requiretty in sudoers), or log in as root",
                     0, kRootUnavailable);
    return Error(userAtHost + " is not root and cannot use sudo: " + need, why.detail,
                 "log in as root, or give the user sudo rights: NOPASSWD, with a password PodPath asks for once, "
                 "or only the commands PodPath runs as root (README, Least-privilege sudo)",
                 0, kRootUnavailable);
}

Result<PrivilegeState> probePrivilege(const ProbeRunner &run, SshPrompter *prompter, const std::string &userAtHost,
                                      const RootTaker &takeRoot)
{
    PrivilegeState state;
    // Framed like the batched reads: a login shell that prints a banner, a motd or a
    // number to stdout must not be read as the uid.
    const CommandBatch framed({RemoteCommand("id").flag("-u")});
    auto whole = run(framed.command(), kProbeBound, SudoMode::None, std::nullopt);
    if (!whole)
        return whole.error();
    const auto parts = framed.split(*whole);
    const std::optional<CommandResult> id = parts.empty() ? std::nullopt : parts.front();
    auto uid = id ? text::toUnsigned<unsigned>(text::trim(id->out)) : std::nullopt;
    if (!id || !id->succeeded() || !uid)
        return Error("could not tell which user PodPath is on " + userAtHost,
                     saidOrWhy("id -u", id ? *id : *whole),
                     "check that the login shell works (ssh " + userAtHost + " id -u)", 0, kPrivilegeProbeFailed);
    state.uid = int(*uid);
    if (state.uid == 0) {
        state.privilege = Privilege::Root;
        return state;
    }

    if (takeRoot) {
        auto taken = takeRoot();
        if (!taken)
            return taken.error();
        if (*taken) {
            state.privilege = Privilege::SudoNoPassword;
            state.rootTaken = true;
            return state;
        }
    }
    const RemoteCommand sudoTrue("true");
    auto probe = run(sudoTrue, kProbeBound, SudoMode::NoPassword, std::nullopt);
    if (!probe)
        return probe.error();
    SudoVerdict verdict = classifySudo(probe->exitStatus.value_or(-1), probe->err);
    if (verdict == SudoVerdict::Works) {
        state.privilege = Privilege::SudoNoPassword;
        return state;
    }
    // `Defaults requiretty`: sudo runs only from a terminal, and PodPath's commands have
    // none (a pty would mix stderr into stdout and echo the password). Said in one line,
    // with the sudoers change that lets PodPath in (rootUnavailable); nothing else is tried.
    if (contains(probe->err, "must have a tty")) {
        state.privilege = Privilege::None;
        state.sudoNeedsTerminal = true;
        state.detail = "sudo on " + userAtHost + " requires a terminal (Defaults requiretty), which PodPath does not "
                       "open";
        return state;
    }
    // Sudo restricted to named commands (least privilege): `timeout` and `true` are not
    // among them, yet the node is usable one command at a time.
    if (verdict == SudoVerdict::NotAllowed || verdict == SudoVerdict::NeedsPassword) {
        auto named = probeNamedCommands(run, SudoMode::PerCommand, std::nullopt);
        if (!named)
            return named.error();
        if (*named == SudoVerdict::Works) {
            state.privilege = Privilege::SudoRestricted;
            return state;
        }
    }
    if (verdict == SudoVerdict::NeedsPassword) {
        std::optional<Secret> password = prompter ? prompter->sudoPassword(userAtHost) : std::nullopt;
        if (!password) {
            state.privilege = Privilege::None;
            state.detail = "sudo needs a password and none was given";
            return state;
        }
        auto withPassword = run(sudoTrue, kProbeBound, SudoMode::WithPassword, password);
        if (!withPassword)
            return withPassword.error();
        verdict = classifySudo(withPassword->exitStatus.value_or(-1), withPassword->err);
        if (verdict == SudoVerdict::Works) {
            state.privilege = Privilege::SudoPassword;
            state.sudoPassword = std::move(password);
            return state;
        }
        // The password is right but `true` is not among the named commands: sudo
        // restricted to them, with a password.
        if (verdict == SudoVerdict::NotAllowed && !contains(withPassword->err, "not in the sudoers")) {
            auto named = probeNamedCommands(run, SudoMode::PerCommandWithPassword, password);
            if (!named)
                return named.error();
            if (*named == SudoVerdict::Works) {
                state.privilege = Privilege::SudoRestricted;
                state.sudoPassword = std::move(password);
                return state;
            }
        }
        if (verdict == SudoVerdict::WrongPassword)
            return Error("sudo on " + userAtHost + " did not accept the password", "sudo -S",
                         "connect again and type the user's own password (not root's); sudo gives the same "
                         "answer to a user it does not allow at all",
                         0, kSudoPasswordRejected);
        probe = std::move(withPassword);
    }
    state.privilege = Privilege::None;
    state.detail = verdict == SudoVerdict::Missing ? "sudo is not installed" : saidOrWhy("sudo", *probe);
    return state;
}

} // namespace podpath::remote
