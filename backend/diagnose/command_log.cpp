#include "command_log.h"

#include "read_ahead.h"
#include "remote/error_codes.h"

#include <algorithm>

namespace podpath::diagnose {

void CommandLog::add(CommandRecord record)
{
    if (record.output.size() > kKeptBytes)
        record.output = record.output.substr(0, kKeptBytes) + "\n[... " +
                        std::to_string(record.output.size() - kKeptBytes) + " more bytes not kept in the report]";
    std::lock_guard lock(m_mutex);
    m_records.push_back(std::move(record));
}

std::vector<CommandRecord> CommandLog::records() const
{
    std::lock_guard lock(m_mutex);
    return m_records;
}

void CommandLog::noteSilence(NodeRole role, std::string what)
{
    std::lock_guard lock(m_mutex);
    auto &slot = m_silence[role == NodeRole::Client ? 0 : 1];
    if (!slot)
        slot = std::move(what);
}

bool CommandLog::noteLostConnection(NodeRole role, const std::string &what, const Error &e)
{
    if (e.code != remote::kSshConnectionLost)
        return false;
    noteSilence(role, "the connection was lost while " + what + " ran" + (e.context.empty() ? "" : ": " + e.context));
    return true;
}

bool CommandLog::nodeWentDark(const Error &e)
{
    return e.code == remote::kSshConnectionLost || e.message == kNotRunNodeSilent;
}

std::optional<std::string> CommandLog::silence(NodeRole role) const
{
    std::lock_guard lock(m_mutex);
    return m_silence[role == NodeRole::Client ? 0 : 1];
}

remote::Seconds nodeBound(const TaskContext &ctx, int maxSeconds)
{
    const auto leftMs = ctx.remaining().count();
    return *remote::Seconds::of(
        std::clamp<std::uint64_t>(std::uint64_t((leftMs + 999) / 1000), 1, std::uint64_t(std::max(maxSeconds, 1))));
}

std::string loggedCommand(const std::string &commandLine, bool asRoot)
{
    return (asRoot ? "[root] " : "") + commandLine;
}

CommandRecord ranRecord(NodeRole role, std::string step, const std::string &commandLine, bool asRoot,
                        const remote::CommandResult &r)
{
    CommandRecord rec;
    rec.node = roleName(role);
    rec.step = std::move(step);
    rec.command = loggedCommand(commandLine, asRoot);
    rec.exitStatus = r.exitStatus.value_or(-1);
    rec.output = r.out;
    rec.errors = r.err;
    rec.duration = r.duration;
    return rec;
}

namespace {

// Keeps a command's answer in the log; a node that let its bound pass without answering
// has gone dark (CommandLog::noteSilence).
void logAnswer(const NodeAccess &node, const std::string &step, const remote::RemoteCommand &command, bool asRoot,
               const Result<remote::CommandResult> &r, const remote::Seconds &bound, int batchSize, bool ahead)
{
    CommandRecord rec;
    if (r.ok()) {
        rec = ranRecord(node.role, step, command.toString(), asRoot, *r);
        rec.batchSize = batchSize;
        if (r->timedOut)
            rec.errors += "\n[timed out after " + bound.toString() + " s]";
        // The node reports an exit status or a signal even for a command its own
        // `timeout` ended; nothing at all means nothing came back.
        if (r->timedOut && !r->exitStatus && r->exitSignal.empty() && !r->cancelled && !ahead)
            node.log.noteSilence(node.role, "`" + command.toString() + "` (" + step + ") got no answer within its bound of " +
                                                bound.toString() + " s");
    } else {
        rec.node = roleName(node.role);
        rec.step = step;
        rec.command = loggedCommand(command.toString(), asRoot);
        rec.errors = r.error().oneLine();
        node.log.noteLostConnection(node.role, "`" + command.toString() + "` (" + step + ")", r.error());
    }
    node.log.add(std::move(rec));
}

} // namespace

Result<remote::CommandResult> runOn(const NodeAccess &node, const TaskContext &ctx, const std::string &step,
                                    const remote::RemoteCommand &command, bool asRoot, int maxSeconds)
{
    if (auto quiet = node.log.silence(node.role)) {
        CommandRecord rec;
        rec.node = roleName(node.role);
        rec.step = step;
        rec.command = loggedCommand(command.toString(), asRoot);
        rec.errors = "[" + std::string(kNotRunNodeSilent) + ": " + *quiet + "]";
        node.log.add(std::move(rec));
        return Error{std::string(kNotRunNodeSilent), *quiet, {}, 0};
    }
    if (ctx.cancelled())
        return Error{"cancelled before running: " + command.toString(), roleName(node.role), {}, 0};
    remote::RunOptions opts;
    opts.timeout = nodeBound(ctx, maxSeconds);
    opts.asRoot = asRoot;
    auto ahead = node.readAhead ? node.readAhead->take(command, asRoot) : std::nullopt;
    auto r = ahead ? Result<remote::CommandResult>(std::move(ahead->result)) : node.shell.run(command, opts);
    logAnswer(node, step, command, asRoot, r, opts.timeout, ahead ? ahead->batchSize : 0, ahead.has_value());
    return r;
}

std::vector<Result<remote::CommandResult>> runTogether(const NodeAccess &node, const TaskContext &ctx, const std::string &step,
                                                       const std::vector<remote::RemoteCommand> &commands, bool asRoot,
                                                       int maxSeconds)
{
    std::vector<Result<remote::CommandResult>> out;
    if (node.log.silence(node.role) || ctx.cancelled()) {
        for (const auto &c : commands)
            out.push_back(runOn(node, ctx, step, c, asRoot, maxSeconds));  // says why it did not run
        return out;
    }
    remote::RunOptions opts;
    opts.timeout = nodeBound(ctx, maxSeconds);
    opts.asRoot = asRoot;
    auto handles = node.shell.startTogether(commands, opts);
    for (std::size_t i = 0; i < commands.size(); ++i) {
        out.push_back(i < handles.size() ? handles[i]->result()
                                         : Result<remote::CommandResult>(Error{"not started", commands[i].toString()}));
        logAnswer(node, step, commands[i], asRoot, out.back(), opts.timeout, int(commands.size()), false);
    }
    return out;
}

} // namespace podpath::diagnose
