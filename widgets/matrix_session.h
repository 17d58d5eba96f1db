#pragma once
// One cluster matrix as the window runs it: off the GUI thread, the nodes connected a few at
// a time (or a recording loaded), the matrix engine run, and the result handed back by a
// queued signal. The event loop never waits on a node.

#include "diagnose/matrix_engine.h"
#include "remote/cluster_sessions.h"
#include "remote/ssh_prompter.h"
#include "remote/ssh_target.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace podpath::widgets {

class MatrixSession : public QObject {
    Q_OBJECT
public:
    // `prompter` answers host-key and password questions; it must outlive the session.
    explicit MatrixSession(remote::SshPrompter *prompter, QObject *parent = nullptr);
    ~MatrixSession() override;

    bool busy() const { return m_busy.load(); }
    // Connects to `nodes` (as the user named them) and runs the matrix.
    void runNodes(std::vector<std::pair<std::string, remote::SshTarget>> nodes);
    // Replays a folder written by `podpath matrix --record`.
    void runRecording(const QString &dir);
    void cancel();

signals:
    void progress(const QString &what);
    void finished(const diagnose::ClusterMatrix &matrix);
    void failed(const QString &why);  // nothing could run (a recording that does not load)

private:
    void start(std::function<void()> work);
    remote::SshPrompter *m_prompter;
    std::thread m_thread;
    std::atomic<bool> m_busy{false};
    std::mutex m_mutex;
    diagnose::MatrixEngine *m_engine = nullptr;  // while it runs, for cancel()
};

} // namespace podpath::widgets

Q_DECLARE_METATYPE(podpath::diagnose::ClusterMatrix)
