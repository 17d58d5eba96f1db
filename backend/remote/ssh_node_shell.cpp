#include "remote/ssh_node_shell.h"

#include "remote/command_batch.h"
#include "remote/command_fan_out.h"
#include "remote/error_codes.h"

#include <algorithm>

namespace podpath::remote {

SshNodeShell::SshNodeShell(SshTarget target, SshPrompter *prompter, ConnectOptions options, QObject *parent)
    : QObject(parent), m_target(target)
{
    SshWorker::Hooks hooks;
    hooks.connected = [this](const NodeInfo &info) {
        emit connected(QString::fromStdString(info.label), QString::fromLatin1(privilegeName(info.privilege)));
    };
    hooks.connectFailed = [this](const Error &e) { emit connectFailed(QString::fromStdString(e.oneLine())); };
    hooks.connectionLost = [this](const Error &e) { emit connectionLost(QString::fromStdString(e.oneLine())); };
    m_worker = std::make_unique<SshWorker>(std::move(target), prompter, std::move(options), std::move(hooks));
}

// The worker joins its thread before the signals' sender goes away.
SshNodeShell::~SshNodeShell() { m_worker.reset(); }

std::shared_ptr<SshWorker::ConnectResult> SshNodeShell::connectToNode() { return m_worker->connect(); }

Result<NodeInfo> SshNodeShell::connectAndWait() { return m_worker->connect()->get(); }

void SshNodeShell::disconnectFromNode() { m_worker->disconnect(); }

NodeInfo SshNodeShell::info() const { return m_worker->info(); }

CommandHandle SshNodeShell::start(const RemoteCommand &command, const RunOptions &options)
{
    return m_worker->submit(command, options, {});
}

CommandHandle SshNodeShell::stream(const RemoteCommand &command, const RunOptions &options, ChunkSink sink)
{
    if (!sink)
        sink = [](std::string_view) {};
    return m_worker->submit(command, options, std::move(sink));
}

namespace {

// One handle per command of `job`, which runs them all: cancelling or stopping any part
// ends the job (they are one step's commands); when it ends, an error fails every part
// and an answer goes to `settle`, which finishes each part from it.
std::vector<CommandHandle> partsOf(const CommandHandle &job, const std::vector<RemoteCommand> &commands,
                                   std::function<void(const CommandResult &, const std::vector<CommandHandle> &)> settle)
{
    std::vector<CommandHandle> parts;
    for (const auto &c : commands)
        parts.push_back(std::make_shared<RunningCommand>(c.toString(), [weak = std::weak_ptr(job)] {
            if (auto j = weak.lock())
                j->cancel();
        }));
    job->onFinished([parts, settle = std::move(settle)](const Result<CommandResult> &r) {
        if (!r.ok()) {
            for (const auto &p : parts)
                p->finish(r.error());
            return;
        }
        settle(*r, parts);
    });
    return parts;
}

} // namespace

std::vector<CommandHandle> SshNodeShell::startAll(const std::vector<RemoteCommand> &commands, const RunOptions &options)
{
    // A batch is one `sh` script: sudo restricted to named commands runs no shell, so
    // each privileged read goes on its own (still through the one command shell).
    if (commands.size() < 2 || (options.asRoot && info().privilege == Privilege::SudoRestricted))
        return NodeShell::startAll(commands, options);
    auto batch = std::make_shared<CommandBatch>(commands);
    RunOptions whole = options;
    whole.maxOutputBytes = std::min<std::size_t>(options.maxOutputBytes * commands.size(), 256u * 1024u * 1024u);
    auto job = m_worker->submit(batch->command(), whole, {});
    return partsOf(job, commands, [batch](const CommandResult &r, const std::vector<CommandHandle> &parts) {
        auto pieces = batch->split(r);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (pieces[i]) {
                parts[i]->finish(std::move(*pieces[i]));
                continue;
            }
            const char *why = r.cancelled ? "it was cancelled"
                              : r.timedOut ? "its bound ran out"
                              : r.truncated ? "its output reached the cap"
                                            : "the node's answer had no frame for it";
            parts[i]->finish(Error{"not read: the batch of reads ended before this command finished (" +
                                       std::string(why) + ")",
                                   parts[i]->commandLine(), "run it on its own", 0, kBatchUnfinished});
        }
    });
}

std::vector<CommandHandle> SshNodeShell::startTogether(const std::vector<RemoteCommand> &commands, const RunOptions &options)
{
    if (commands.size() < 2)
        return NodeShell::startTogether(commands, options);
    // Sudo restricted to named commands runs no shell: the exec runs as the user and each
    // command through sudo, as the wrapper would run it alone.
    RunOptions whole = options;
    std::optional<RemoteCommand> via;
    if (options.asRoot && info().privilege == Privilege::SudoRestricted) {
        via = RemoteCommand("sudo").flag("-n").flag("--");
        whole.asRoot = false;
    }
    auto fan = std::make_shared<CommandFanOut>(commands, via);
    whole.maxOutputBytes = std::min<std::size_t>(options.maxOutputBytes * commands.size(), 256u * 1024u * 1024u);
    auto job = m_worker->submit(fan->command(), whole, {});
    return partsOf(job, commands, [fan](const CommandResult &r, const std::vector<CommandHandle> &parts) {
        auto pieces = fan->split(r);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (pieces[i]) {
                // Merged: sudo refusing the command said so on its stderr.
                if (pieces[i]->out.starts_with("sudo:"))
                    std::swap(pieces[i]->out, pieces[i]->err);
                parts[i]->finish(std::move(*pieces[i]));
                continue;
            }
            // Its end never came back: what it printed is not its whole answer.
            CommandResult cut;
            cut.timedOut = r.timedOut;
            cut.exitStatus = r.exitStatus;  // the exec's own: none when the node went dark
            cut.cancelled = r.cancelled;
            cut.duration = r.duration;
            parts[i]->finish(std::move(cut));
        }
    });
}

} // namespace podpath::remote
