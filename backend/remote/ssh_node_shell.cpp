#include "remote/ssh_node_shell.h"

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

} // namespace podpath::remote
