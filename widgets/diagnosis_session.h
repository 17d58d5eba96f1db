#pragma once
// One diagnosis between two nodes as the GUI runs it: off the GUI thread, the nodes
// connected once (or a recording loaded), then the engine run whole (one click) or a
// stage at a time (the wizard). Results and progress come back as queued signals; the
// event loop never waits on a node.

#include "diagnose/engine.h"
#include "remote/ssh_prompter.h"
#include "remote/ssh_target.h"
#include "remote/ssh_worker.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <utility>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace podpath::widgets {

struct NodeSpec {
    remote::SshTarget target;
    remote::ConnectOptions options;
};

class DiagnosisSession : public QObject {
    Q_OBJECT
public:
    // `prompter` answers host-key and password questions; it must outlive the session.
    explicit DiagnosisSession(remote::SshPrompter *prompter, QObject *parent = nullptr);
    ~DiagnosisSession() override;

    // Next run connects to these nodes (the previous connections are closed).
    void setNodes(NodeSpec client, NodeSpec server);
    // Asked on the GUI thread before each run: the nodes as the Nodes page has them now.
    // A change (host, user, key, known_hosts, jump...) reconnects; none keeps the session.
    using NodeSource = std::function<std::optional<std::pair<NodeSpec, NodeSpec>>()>;
    void setNodeSource(NodeSource source) { m_nodeSource = std::move(source); }
    // Next run replays DIR/client.json and DIR/server.json (recorded with --record).
    Result<void> setReplay(const QString &dir);
    // Back to the nodes of the node source: the next run connects over SSH again.
    void clearReplay();
    bool replaying() const { return !m_replayDir.isEmpty(); }
    void setOptions(diagnose::DiagnoseOptions options) { m_options = options; }
    const diagnose::DiagnoseOptions &options() const { return m_options; }

    bool busy() const { return m_busy.load(); }
    // The whole diagnosis (a fresh engine each time).
    void runAll();
    // The wizard: these stages on the session's engine, which keeps what earlier stages found.
    void runStages(std::vector<diagnose::Stage> stages);
    bool gathered(diagnose::Stage stage) const;
    // Any time: commands stop on the nodes; finished() still comes, with what was gathered.
    void cancel();
    // Forget the wizard's progress (new nodes or "start over").
    void reset();

    // Valid after finished().
    const diagnose::DiagnosisRun &last() const { return m_last; }
    const diagnose::Diagnosis &partial() const { return m_partial; }

signals:
    void connecting(const QString &clientLabel, const QString &serverLabel);
    void progress(const QString &stepPath, const QString &state, const QString &error);
    // Discovery's findings while the rest still runs; read with partial().
    void factsKnown();
    // A node's SSH connection dropped during the run: its hops are judged unknown, and
    // the next run reconnects (the window offers a retry).
    void connectionLost(const QString &message);
    void finished();

private:
    struct Nodes;
    void start(std::function<diagnose::DiagnosisRun(diagnose::DiagnosisEngine &)> work, bool freshEngine);
    Result<void> ensureConnected();
    void join();

    remote::SshPrompter *m_prompter;
    diagnose::DiagnoseOptions m_options;
    std::optional<NodeSpec> m_clientSpec, m_serverSpec;
    QString m_replayDir;
    NodeSource m_nodeSource;
    std::unique_ptr<Nodes> m_nodes;
    std::unique_ptr<diagnose::DiagnosisEngine> m_engine;
    std::mutex m_engineMutex;  // cancel() from the GUI thread while the worker owns the engine
    std::thread m_worker;
    std::atomic<bool> m_busy{false};
    std::atomic<bool> m_cancelled{false};
    QString m_lostMessage;  // GUI thread
    diagnose::DiagnosisRun m_last;
    diagnose::DiagnosisRun m_pending;
    diagnose::Diagnosis m_partial;
};

} // namespace podpath::widgets
