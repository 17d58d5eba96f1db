#pragma once
// "Test connection" for one node, off the GUI thread: connect (SshNodeShell; its own
// worker thread asks the prompter), read the node (diagnose::probeNode), disconnect,
// and hand the outcome back as a queued call. The GUI thread never waits for it: a
// tester destroyed mid-test cancels the test and lets it end on its own.

#include "diagnose/node_probe.h"
#include "remote/node_shell.h"
#include "remote/ssh_prompter.h"
#include "remote/ssh_target.h"
#include "remote/ssh_worker.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace podpath::widgets {

struct ConnectionTestOutcome {
    QString label;                               // user@host:port as tested
    std::optional<diagnose::NodeProbe> probe;    // what the node is, when it could be read
    std::optional<Error> error;                  // why not: message, context, next step
    qint64 elapsedMs = 0;
    bool ok() const { return probe.has_value(); }
};

class ConnectionTester : public QObject {
    Q_OBJECT
public:
    // Makes the shell a test runs on (on the test's thread). An SshNodeShell is
    // connected by the test; any other shell (a replay, in tests) is used as it is.
    using ShellFactory =
        std::function<std::unique_ptr<remote::NodeShell>(const remote::SshTarget &, const remote::ConnectOptions &)>;
    // Real nodes: SshNodeShell asking `prompter` (kept alive by the factory).
    static ShellFactory sshShells(std::shared_ptr<remote::SshPrompter> prompter);

    explicit ConnectionTester(ShellFactory factory, QObject *parent = nullptr);
    ~ConnectionTester() override;

    // Starts a test (a running one is cancelled and its outcome dropped).
    void start(const remote::SshTarget &target, const remote::ConnectOptions &options, diagnose::NodeRole role);
    // Stops the running test: finished() comes with a "cancelled" error.
    void cancel();
    bool running() const { return m_job != nullptr; }

    // Tests still running anywhere (their threads are detached), and a bounded wait for
    // them, for tests and for the application's exit.
    static int testsInFlight();
    static bool waitForTestsInFlight(int timeoutMs);

signals:
    void started(const QString &label);
    void finished(const podpath::widgets::ConnectionTestOutcome &outcome);

private:
    struct Job;
    void deliver(const std::shared_ptr<Job> &job, ConnectionTestOutcome outcome);

    ShellFactory m_factory;
    std::shared_ptr<Job> m_job;
};

} // namespace podpath::widgets
