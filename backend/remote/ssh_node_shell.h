#pragma once
// A node reached over SSH: the NodeShell the diagnosis uses against real nodes. One
// libssh session, owned by its own worker thread, carries every command of the node
// at once (a capture stream while pings and snapshots run). Every member may be
// called from any thread and none waits on the network, except the *AndWait helpers
// meant for the CLI and tests. Signals are emitted from the worker thread, so
// receivers in other threads get them queued.

#include "remote/node_shell.h"
#include "remote/ssh_prompter.h"
#include "remote/ssh_target.h"
#include "remote/ssh_worker.h"

#include <QObject>
#include <QString>

#include <memory>

namespace podpath::remote {

class SshNodeShell : public QObject, public NodeShell {
    Q_OBJECT
public:
    // `prompter` must outlive this object; it is called from the worker thread.
    SshNodeShell(SshTarget target, SshPrompter *prompter, ConnectOptions options = {}, QObject *parent = nullptr);
    ~SshNodeShell() override;

    // Connects (or reconnects after connectionLost); the answer also comes as a signal.
    std::shared_ptr<SshWorker::ConnectResult> connectToNode();
    Result<NodeInfo> connectAndWait();
    // Cancels what runs (the node's watchdogs end it) and closes the session.
    void disconnectFromNode();

    const SshTarget &target() const { return m_target; }
    NodeInfo info() const override;
    CommandHandle start(const RemoteCommand &command, const RunOptions &options) override;
    CommandHandle stream(const RemoteCommand &command, const RunOptions &options, ChunkSink sink) override;
    std::vector<CommandHandle> startAll(const std::vector<RemoteCommand> &commands, const RunOptions &options) override;
    std::vector<CommandHandle> startTogether(const std::vector<RemoteCommand> &commands, const RunOptions &options) override;

signals:
    void connected(const QString &label, const QString &privilege);
    void connectFailed(const QString &message);
    void connectionLost(const QString &message);

private:
    SshTarget m_target;
    std::unique_ptr<SshWorker> m_worker;
};

} // namespace podpath::remote
