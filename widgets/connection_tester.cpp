#include "connection_tester.h"

#include "remote/ssh_node_shell.h"

#include <QElapsedTimer>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace podpath::widgets {

namespace {

std::mutex g_flightMutex;
std::condition_variable g_flightDone;
int g_inFlight = 0;

Error cancelledError(const std::string &label)
{
    return Error("the test was cancelled", label, "press Test connection to try again", 0, "CANCELLED");
}

} // namespace

// Shared by the tester (GUI thread) and its test's thread; the mutex guards all of it.
struct ConnectionTester::Job {
    std::mutex mutex;
    ConnectionTester *receiver = nullptr;  // null once the tester let go of the test
    remote::NodeShell *shell = nullptr;    // while the test's thread has one
    bool cancelled = false;

    bool isCancelled()
    {
        std::lock_guard lock(mutex);
        return cancelled;
    }
    // Caller holds the mutex. Ends a connect or a probe early: the node's commands are
    // cancelled and the session closed (SshNodeShell is safe to call from any thread).
    void stopShell()
    {
        if (auto *ssh = dynamic_cast<remote::SshNodeShell *>(shell))
            ssh->disconnectFromNode();
    }
};

ConnectionTester::ShellFactory ConnectionTester::sshShells(std::shared_ptr<remote::SshPrompter> prompter)
{
    return [prompter](const remote::SshTarget &target, const remote::ConnectOptions &options) {
        // The factory's copy of `prompter` outlives the shell: the test's thread holds
        // the factory until the shell is gone.
        return std::unique_ptr<remote::NodeShell>(new remote::SshNodeShell(target, prompter.get(), options));
    };
}

ConnectionTester::ConnectionTester(ShellFactory factory, QObject *parent) : QObject(parent), m_factory(std::move(factory))
{
}

ConnectionTester::~ConnectionTester()
{
    if (!m_job)
        return;
    std::lock_guard lock(m_job->mutex);
    m_job->receiver = nullptr;
    m_job->cancelled = true;
    m_job->stopShell();
}

void ConnectionTester::start(const remote::SshTarget &target, const remote::ConnectOptions &options,
                             diagnose::NodeRole role)
{
    if (m_job) {
        std::lock_guard lock(m_job->mutex);
        m_job->receiver = nullptr;
        m_job->cancelled = true;
        m_job->stopShell();
    }
    auto job = std::make_shared<Job>();
    job->receiver = this;
    m_job = job;
    const std::string label = target.label();
    emit started(QString::fromStdString(label));
    {
        std::lock_guard lock(g_flightMutex);
        ++g_inFlight;
    }
    std::thread([job, factory = m_factory, target, options, role, label]() mutable {
        QElapsedTimer clock;
        clock.start();
        ConnectionTestOutcome out;
        out.label = QString::fromStdString(label);
        std::unique_ptr<remote::NodeShell> shell = factory(target, options);
        {
            std::lock_guard lock(job->mutex);
            job->shell = shell.get();
            if (job->cancelled)
                job->stopShell();
        }
        auto *ssh = dynamic_cast<remote::SshNodeShell *>(shell.get());
        if (ssh)
            if (auto info = ssh->connectAndWait(); !info.ok())
                out.error = info.error();
        if (!out.error && !job->isCancelled()) {
            diagnose::ProbeOptions o;
            o.role = role;
            if (auto probe = diagnose::probeNode(*shell, label, o); probe.ok())
                out.probe = std::move(probe).value();
            else
                out.error = probe.error();
        }
        if (job->isCancelled()) {
            out.probe.reset();
            out.error = cancelledError(label);
        }
        {
            std::lock_guard lock(job->mutex);
            job->shell = nullptr;
        }
        if (ssh)
            ssh->disconnectFromNode();
        shell.reset();
        out.elapsedMs = clock.elapsed();
        {
            // Under the lock the receiver cannot go away between the check and the post;
            // once posted, Qt drops the call if the receiver is destroyed first.
            std::lock_guard lock(job->mutex);
            if (ConnectionTester *r = job->receiver)
                QMetaObject::invokeMethod(
                    r, [r, job, out] { r->deliver(job, out); }, Qt::QueuedConnection);
        }
        // Let go of the prompter (inside the factory) before anyone waiting is told.
        factory = nullptr;
        job.reset();
        std::lock_guard lock(g_flightMutex);
        --g_inFlight;
        g_flightDone.notify_all();
    }).detach();
}

void ConnectionTester::cancel()
{
    if (!m_job)
        return;
    std::lock_guard lock(m_job->mutex);
    m_job->cancelled = true;
    m_job->stopShell();
}

void ConnectionTester::deliver(const std::shared_ptr<Job> &job, ConnectionTestOutcome outcome)
{
    if (job != m_job)
        return;  // a test that was replaced by a newer one
    m_job.reset();
    emit finished(outcome);
}

int ConnectionTester::testsInFlight()
{
    std::lock_guard lock(g_flightMutex);
    return g_inFlight;
}

bool ConnectionTester::waitForTestsInFlight(int timeoutMs)
{
    std::unique_lock lock(g_flightMutex);
    return g_flightDone.wait_for(lock, std::chrono::milliseconds(timeoutMs), [] { return g_inFlight == 0; });
}

} // namespace podpath::widgets
