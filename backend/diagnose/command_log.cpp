#include "command_log.h"

#include "read_ahead.h"

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

Result<remote::CommandResult> runOn(const NodeAccess &node, const TaskContext &ctx, const std::string &step,
                                    const remote::RemoteCommand &command, bool asRoot, int maxSeconds)
{
    if (ctx.cancelled())
        return Error{"cancelled before running: " + command.toString(), roleName(node.role), {}, 0};
    // Whole seconds on the node, rounded up, never beyond the task's own budget.
    const auto leftMs = ctx.remaining().count();
    const std::uint64_t secs = std::clamp<std::uint64_t>(std::uint64_t((leftMs + 999) / 1000), 1, std::uint64_t(maxSeconds));
    remote::RunOptions opts;
    opts.timeout = *remote::Seconds::of(secs);
    opts.asRoot = asRoot;
    auto ahead = node.readAhead ? node.readAhead->take(command, asRoot) : std::nullopt;
    auto r = ahead ? Result<remote::CommandResult>(std::move(ahead->result)) : node.shell.run(command, opts);
    CommandRecord rec;
    rec.node = roleName(node.role);
    rec.step = step;
    rec.command = (asRoot ? "[root] " : "") + command.toString();
    if (r.ok()) {
        rec.exitStatus = r->exitStatus.value_or(-1);
        rec.output = r->out;
        rec.errors = r->err;
        rec.duration = r->duration;
        rec.batchSize = ahead ? ahead->batchSize : 0;
        if (r->timedOut)
            rec.errors += "\n[timed out after " + std::to_string(secs) + " s]";
    } else {
        rec.errors = r.error().oneLine();
    }
    node.log.add(std::move(rec));
    return r;
}

} // namespace podpath::diagnose
