#include "ping_reading.h"

#include "command_log.h"
#include "parse/text.h"

namespace podpath::diagnose {

// sudo's first line when it refused the command (restricted to named commands): it prints
// nothing on stdout. Empty when sudo did not refuse.
std::string sudoRefusal(const remote::CommandResult &r)
{
    const auto first = text::firstLine(r.err);
    return r.out.empty() && first.starts_with("sudo:") ? std::string(first) : std::string();
}

PingOutcome readPing(NodeRole role, const Result<remote::CommandResult> &r)
{
    PingOutcome out;
    if (!r.ok()) {
        // The finding NODE_STOPPED_ANSWERING says how; the hops need only say why they are unknown.
        out.problem = CommandLog::nodeWentDark(r.error())
                          ? "The ping's result never arrived: the " + std::string(roleName(role)) + " stopped answering"
                          : r.error().oneLine();
        return out;
    }
    if (r->timedOut && !r->exitStatus) {
        // What arrived is ping's output up to the moment the node went dark, not its result.
        out.problem = "The ping's result never arrived: the " + std::string(roleName(role)) + " stopped answering";
        return out;
    }
    if (r->exitStatus == 127) {
        // Not found by the shell or by `timeout`: no ping, no evidence either way.
        out.problem = "ping is not installed on the " + std::string(roleName(role)) +
                      " (install iputils-ping, or iputils on dnf systems)";
        return out;
    }
    // sudo refusing ping (restricted to named commands; the burst's 20 ms interval needs
    // root) prints nothing on stdout: its own words say why, not "not ping output".
    if (out.sudoRefused = sudoRefusal(*r); !out.sudoRefused.empty()) {
        out.problem = "ping did not run on the " + std::string(roleName(role)) + ": " + out.sudoRefused +
                      " (the burst needs ping as root: add it to the user's sudo rights)";
        return out;
    }
    auto parsed = parse::parsePing(r->out + r->err);
    if (!parsed.ok()) {
        out.problem = "could not read ping's output: " + parsed.error().oneLine();
        return out;
    }
    // A ping that refused its options (BusyBox's has no -M) sent nothing: its echoes are
    // not lost, they never existed, and no hop may be judged on them.
    if (!parsed->header && parsed->fatal && parsed->fatal->failure == parse::PingFailure::BadOption) {
        const bool busybox = (r->out + r->err).find("BusyBox") != std::string::npos;
        out.refusedOptions = true;
        out.problem = "ping on the " + std::string(roleName(role)) + " did not run: " + parsed->fatal->text +
                      (busybox ? " (it is BusyBox's ping, which cannot set don't-fragment: install iputils-ping on the "
                                 "node for this test)"
                               : "");
        return out;
    }
    out.result = std::move(parsed).value();
    return out;
}

} // namespace podpath::diagnose
