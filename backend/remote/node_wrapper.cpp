#include "remote/node_wrapper.h"

#include "remote/shell_quote.h"

namespace podpath::remote {

namespace {

// A login's PATH often lacks the sbin folders (Debian's default user PATH), where `bridge`,
// `ip` on older distributions and the firewall tools live; sudo brings its own
// (secure_path). Appended, so the login's own tools still come first.
const std::string kSystemPath = "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\" ";

} // namespace

std::string wrapForNode(const RemoteCommand &command, Seconds bound, SudoMode sudo, const std::string &startMarker)
{
    const std::string timeout = "timeout -k " + std::to_string(kKillAfterSeconds) + " " + bound.toString() + " ";
    // The C locale: as an assignment where the shell starts `timeout` (one exec fewer per
    // command, and execs are what a node pays most for); through `env` under sudo,
    // which may reset the environment.
    const std::string bounded = sudo == SudoMode::None ? "LC_ALL=C " + kSystemPath + timeout + command.toString()
                                : sudo == SudoMode::PerCommand
                                    ? "LC_ALL=C " + kSystemPath + timeout + "sudo -n -- " + command.toString()
                                : sudo == SudoMode::PerCommandWithPassword
                                    ? "LC_ALL=C " + kSystemPath + timeout + "sudo -S -p '' -- " + command.toString()
                                    : timeout + "env LC_ALL=C " + command.toString();
    std::string script = startMarker.empty() ? std::string() : "printf '%s\\n' " + shellQuote(startMarker) + "; ";
    // The async lists below get /dev/null as stdin (POSIX, without job control), so the
    // channel is kept on fd 3 for the watchdog and closed for everything else.
    switch (sudo) {
    case SudoMode::None:
    case SudoMode::PerCommand:
        script += "exec 3<&0; " + bounded + " </dev/null 3<&- & ";
        break;
    case SudoMode::NoPassword:
        script += "exec 3<&0; sudo -n -- " + bounded + " </dev/null 3<&- & ";
        break;
    case SudoMode::WithPassword:
        script += "IFS= read -r pw; exec 3<&0; printf '%s\\n' \"$pw\" | sudo -S -p '' -- " + bounded +
                 " 3<&- & pw=; ";
        break;
    case SudoMode::PerCommandWithPassword:
        script += "IFS= read -r pw; exec 3<&0; printf '%s\\n' \"$pw\" | " + bounded + " 3<&- & pw=; ";
        break;
    }
    script += "p=$!; "
              "(while IFS= read -r l; do :; done; kill -TERM $p; kill -TERM -$p) <&3 >/dev/null 2>&1 & "
              "w=$!; exec 3<&-; "
              "wait $p; s=$?; kill $w 2>/dev/null; exit $s";
    return "exec sh -c " + shellQuote(script) + " podpath";
}

namespace {

// The watchdogs signal the job and then its process group: a job that is `timeout` (as
// root) leads a group of its own, which its command shares, so the command is reached
// even when timeout is gone without passing the signal on (CI saw a job's `sleep`
// reparented to init, never signalled, after the channel closed under load).
// The command shell's loop (node_wrapper.h); $2 is its own text, for the root shell it
// starts. Root's shell runs as a child, so a sudo that refuses leaves this loop to say
// "noroot" and go on; when root's shell ends (EOF), this one ends too. Async lists get
// /dev/null as stdin, so the channel is kept on fd 3 for the watchdog. The watchdog is
// killed and reaped before the end marker goes out: PodPath writes the next job only
// after it, so the watchdog can never read a byte of it.
// sudo resets the environment: the session's SSH_CONNECTION (the node's address as the
// session reached it) is handed over by name.
const char *const kCommandShell =
    "n=$1; LC_ALL=C; export LC_ALL; PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"; export PATH; "
    "exec 3<&0; "
    "printf '%s:ready\\n' \"$n\"; "
    "while IFS= read -r h; do "
    "case $h in \"$n run\"|\"$n feed\") ;; "
    "\"$n root\") sudo -n -- env LC_ALL=C SSH_CONNECTION=\"$SSH_CONNECTION\" sh -c \"$2\" podpath \"$n\" \"$2\" 3<&- "
    "&& exit 0; printf '%s:noroot\\n' \"$n\"; continue ;; "
    "*) continue ;; esac; "
    "pw=; if [ \"$h\" = \"$n feed\" ]; then IFS= read -r pw || break; fi; "
    "IFS= read -r c || break; "
    "printf '%s:b\\n' \"$n\"; printf '%s:b\\n' \"$n\" >&2; "
    "if [ \"$h\" = \"$n feed\" ]; then printf '%s\\n' \"$pw\" | { eval \"$c\"; } 3<&- & "
    "else { eval \"$c\"; } </dev/null 3<&- & fi; "
    "pw=; "
    "p=$!; "
    "{ IFS= read -r l; kill -TERM $p; kill -TERM -$p; } <&3 >/dev/null 2>&1 & "
    "w=$!; "
    "wait $p; s=$?; kill $w 2>/dev/null; wait $w 2>/dev/null; "
    "printf '\\n%s:e:%s\\n' \"$n\" \"$s\"; printf '\\n%s:e\\n' \"$n\" >&2; "
    "done";

} // namespace

std::string commandShellLine(const std::string &nonce)
{
    return "exec sh -c " + shellQuote(kCommandShell) + " podpath " + shellQuote(nonce) + " " + shellQuote(kCommandShell);
}

std::string spareRunnerLine(const std::string &marker)
{
    return "exec sh -c " + shellQuote("printf '%s\\n' \"$1\"; IFS= read -r c || exit 0; eval \"$c\"") +
           " podpath " + shellQuote(marker);
}

std::string stdinRunnerLine()
{
    return "exec sh -c " + shellQuote("IFS= read -r c || exit 125; eval \"$c\"");
}

std::string commandShellJob(const RemoteCommand &command, Seconds bound, SudoMode sudo)
{
    const std::string timeout = "timeout -k " + std::to_string(kKillAfterSeconds) + " " + bound.toString() + " ";
    switch (sudo) {
    case SudoMode::None: return "exec " + timeout + command.toString();
    case SudoMode::NoPassword: return "exec sudo -n -- " + timeout + "env LC_ALL=C " + command.toString();
    case SudoMode::WithPassword: return "exec sudo -S -p '' -- " + timeout + "env LC_ALL=C " + command.toString();
    case SudoMode::PerCommand: return "exec " + timeout + "sudo -n -- " + command.toString();
    case SudoMode::PerCommandWithPassword: return "exec " + timeout + "sudo -S -p '' -- " + command.toString();
    }
    return {};
}

std::string commandShellHeader(const std::string &nonce, bool feedPassword)
{
    return nonce + (feedPassword ? " feed" : " run");
}

std::string commandShellRootRequest(const std::string &nonce) { return nonce + " root"; }

} // namespace podpath::remote
