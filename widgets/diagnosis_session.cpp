#include "diagnosis_session.h"

#include "remote/one_passphrase_per_key.h"

#include "remote/replay_node_shell.h"
#include "remote/ssh_node_shell.h"

#include <QMetaObject>

#include <spdlog/spdlog.h>

namespace podpath::widgets {

struct DiagnosisSession::Nodes {
    // Declared first, destroyed last: the shells hold it.
    std::unique_ptr<remote::OnePassphrasePerKey> prompter;
    std::unique_ptr<remote::NodeShell> client, server;
    std::string clientHost, serverHost;
};

DiagnosisSession::DiagnosisSession(remote::SshPrompter *prompter, QObject *parent)
    : QObject(parent), m_prompter(prompter)
{
}

DiagnosisSession::~DiagnosisSession()
{
    cancel();
    join();
}

void DiagnosisSession::join()
{
    if (m_worker.joinable())
        m_worker.join();
}

void DiagnosisSession::setNodes(NodeSpec client, NodeSpec server)
{
    join();
    m_clientSpec = std::move(client);
    m_serverSpec = std::move(server);
    m_replayDir.clear();
    reset();
}

Result<void> DiagnosisSession::setReplay(const QString &dir)
{
    for (const char *f : {"/client.json", "/server.json"})
        if (auto r = remote::ReplayNodeShell::loadRecording((dir + f).toStdString()); !r.ok())
            return r.error();
    join();
    m_replayDir = dir;
    m_clientSpec.reset();
    m_serverSpec.reset();
    reset();
    return {};
}

void DiagnosisSession::reset()
{
    join();
    std::lock_guard lock(m_engineMutex);
    m_engine.reset();
    m_nodes.reset();
}

bool DiagnosisSession::gathered(diagnose::Stage stage) const
{
    return m_engine && !m_busy && m_engine->gathered(stage);
}

void DiagnosisSession::cancel()
{
    m_cancelled = true;
    std::lock_guard lock(m_engineMutex);
    if (m_engine)
        m_engine->cancel();
}

void DiagnosisSession::runAll()
{
    start([](diagnose::DiagnosisEngine &e) { return e.run(); }, true);
}

void DiagnosisSession::runStages(std::vector<diagnose::Stage> stages)
{
    start([stages](diagnose::DiagnosisEngine &e) { return e.runStages(stages); }, false);
}

// Runs on the worker thread.
Result<void> DiagnosisSession::ensureConnected()
{
    if (m_nodes)
        return {};
    auto nodes = std::make_unique<Nodes>();
    if (!m_replayDir.isEmpty()) {
        auto c = remote::ReplayNodeShell::loadRecording((m_replayDir + "/client.json").toStdString());
        auto s = remote::ReplayNodeShell::loadRecording((m_replayDir + "/server.json").toStdString());
        if (!c.ok())
            return c.error();
        if (!s.ok())
            return s.error();
        nodes->clientHost = c->node.label;
        nodes->serverHost = s->node.label;
        nodes->client = std::make_unique<remote::ReplayNodeShell>(std::move(c).value());
        nodes->server = std::make_unique<remote::ReplayNodeShell>(std::move(s).value());
    } else {
        if (!m_clientSpec || !m_serverSpec)
            return Error{"no nodes chosen", {}, "pick a client and a server node first", 0};
        // One passphrase question per key for both nodes.
        nodes->prompter = std::make_unique<remote::OnePassphrasePerKey>(m_prompter);
        auto cs = std::make_unique<remote::SshNodeShell>(m_clientSpec->target, nodes->prompter.get(), m_clientSpec->options);
        auto ss = std::make_unique<remote::SshNodeShell>(m_serverSpec->target, nodes->prompter.get(), m_serverSpec->options);
        // Both at once: the slower node sets the pace, not their sum.
        auto c = cs->connectToNode();
        auto s = ss->connectToNode();
        const auto &cr = c->get();
        const auto &sr = s->get();
        if (!cr.ok() || !sr.ok()) {
            const bool clientFailed = !cr.ok();
            const Error &e = clientFailed ? cr.error() : sr.error();
            const auto role = clientFailed ? diagnose::NodeRole::Client : diagnose::NodeRole::Server;
            m_pending.diagnosis = diagnose::connectionFailure(role, (clientFailed ? m_clientSpec : m_serverSpec)->target.label(),
                                                              m_clientSpec->target.label(), m_serverSpec->target.label(), e);
            return e;
        }
        for (remote::SshNodeShell *shell : {cs.get(), ss.get()})
            QObject::connect(shell, &remote::SshNodeShell::connectionLost, this,
                             [this, label = QString::fromStdString(shell->target().label())](const QString &why) {
                                 m_lostMessage = tr("lost the connection to %1: %2").arg(label, why);
                             }, Qt::QueuedConnection);
        nodes->clientHost = m_clientSpec->target.label();
        nodes->serverHost = m_serverSpec->target.label();
        nodes->client = std::move(cs);
        nodes->server = std::move(ss);
    }
    m_nodes = std::move(nodes);
    return {};
}

namespace {

// Everything that decides where and how a node is reached.
std::string connectionKey(const NodeSpec &n)
{
    const remote::SshTarget &t = n.target;
    std::string key = t.label() + '\n' + t.identityFile.value_or("") + '\n' + t.knownHostsFile.value_or("") + '\n' +
                      t.configFile.value_or("") + '\n' + (t.jump ? t.jump->user.value_or("") + "@" + t.jump->host + ":" + (t.jump->port ? t.jump->port->toString() : "") : "") + '\n' +
                      (n.options.requireRoot ? "root" : "");
    return key;
}

} // namespace

void DiagnosisSession::start(std::function<diagnose::DiagnosisRun(diagnose::DiagnosisEngine &)> work, bool freshEngine)
{
    if (m_busy)
        return;
    join();
    if (m_nodeSource && m_replayDir.isEmpty()) {
        if (auto nodes = m_nodeSource()) {
            const bool same = m_clientSpec && m_serverSpec &&
                              connectionKey(*m_clientSpec) == connectionKey(nodes->first) &&
                              connectionKey(*m_serverSpec) == connectionKey(nodes->second);
            if (!same)
                setNodes(std::move(nodes->first), std::move(nodes->second));
        }
    }
    m_busy = true;
    m_cancelled = false;
    const QString clientLabel = m_clientSpec ? QString::fromStdString(m_clientSpec->target.label()) : m_replayDir;
    const QString serverLabel = m_serverSpec ? QString::fromStdString(m_serverSpec->target.label()) : m_replayDir;
    emit connecting(clientLabel, serverLabel);
    m_worker = std::thread([this, work = std::move(work), freshEngine] {
        m_pending = {};
        if (auto c = ensureConnected(); !c.ok()) {
            if (m_pending.diagnosis.error.empty()) {
                m_pending.diagnosis.verdict = diagnose::Verdict::Error;
                m_pending.diagnosis.error = c.error().oneLine();
            }
            spdlog::warn("connect: {}", c.error().oneLine());
        } else if (m_cancelled) {
            m_pending.diagnosis.verdict = diagnose::Verdict::Error;
            m_pending.diagnosis.error = "cancelled before the diagnosis started";
        } else {
            {
                std::lock_guard lock(m_engineMutex);
                if (freshEngine || !m_engine) {
                    m_engine = std::make_unique<diagnose::DiagnosisEngine>(
                        diagnose::NodeTarget{m_nodes->clientHost, m_nodes->client.get()},
                        diagnose::NodeTarget{m_nodes->serverHost, m_nodes->server.get()}, m_options);
                    m_engine->setProgressSink([this](const diagnose::StepReport &r) {
                        // From engine threads: queued to the session's (GUI) thread.
                        QMetaObject::invokeMethod(this, [this, path = QString::fromStdString(r.path),
                                                         state = QString::fromLatin1(diagnose::toString(r.state)),
                                                         error = QString::fromStdString(r.error)] {
                            emit progress(path, state, error);
                        }, Qt::QueuedConnection);
                    });
                    m_engine->setFactsSink([this](const diagnose::Diagnosis &partial) {
                        QMetaObject::invokeMethod(this, [this, partial] {
                            m_partial = partial;
                            emit factsKnown();
                        }, Qt::QueuedConnection);
                    });
                }
            }
            m_pending = work(*m_engine);
        }
        QMetaObject::invokeMethod(this, [this] {
            join();
            m_last = std::move(m_pending);
            m_busy = false;
            const QString lost = std::exchange(m_lostMessage, QString());
            if (!lost.isEmpty()) {
                // Dead sessions are not reused: the next run connects afresh.
                std::lock_guard lock(m_engineMutex);
                m_engine.reset();
                m_nodes.reset();
            }
            emit finished();
            if (!lost.isEmpty())
                emit connectionLost(lost);
        }, Qt::QueuedConnection);
    });
}

} // namespace podpath::widgets
