#include "matrix_session.h"

#include "remote/one_passphrase_per_key.h"

#include <QMetaObject>

namespace podpath::widgets {

namespace {
// As `podpath matrix`: a few sessions at once, no flood of a bastion or of sshd's MaxStartups.
constexpr std::size_t kConnectAtOnce = 8;
}

MatrixSession::MatrixSession(remote::SshPrompter *prompter, QObject *parent) : QObject(parent), m_prompter(prompter)
{
    qRegisterMetaType<diagnose::ClusterMatrix>();
}

MatrixSession::~MatrixSession()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void MatrixSession::cancel()
{
    std::lock_guard lock(m_mutex);
    if (m_engine)
        m_engine->cancel();
}

void MatrixSession::start(std::function<void()> work)
{
    if (m_busy.exchange(true))
        return;
    if (m_thread.joinable())
        m_thread.join();
    m_thread = std::thread([this, work = std::move(work)] {
        work();
        m_busy = false;
    });
}

void MatrixSession::runNodes(std::vector<std::pair<std::string, remote::SshTarget>> nodes)
{
    start([this, nodes = std::move(nodes)] {
        remote::OnePassphrasePerKey onePassphrase(m_prompter);
        QMetaObject::invokeMethod(this, [this, n = nodes.size()] { emit progress(tr("Connecting to %1 nodes…").arg(n)); },
                                  Qt::QueuedConnection);
        auto cluster = remote::connectCluster(nodes, &onePassphrase, kConnectAtOnce, [this](std::size_t done, std::size_t all) {
            QMetaObject::invokeMethod(this, [this, done, all] { emit progress(tr("Connected to %1 of %2 nodes").arg(done).arg(all)); },
                                      Qt::QueuedConnection);
        });
        std::vector<diagnose::MatrixTarget> targets;
        for (auto &n : cluster)
            targets.push_back({n.host, n.shell.get(), n.error});
        QMetaObject::invokeMethod(this, [this] { emit progress(tr("Every node pings every other, each one capturing…")); },
                                  Qt::QueuedConnection);
        diagnose::MatrixEngine engine(std::move(targets));
        {
            std::lock_guard lock(m_mutex);
            m_engine = &engine;
        }
        diagnose::ClusterMatrix m = engine.run();
        {
            std::lock_guard lock(m_mutex);
            m_engine = nullptr;
        }
        QMetaObject::invokeMethod(this, [this, m = std::move(m)] { emit finished(m); }, Qt::QueuedConnection);
    });
}

void MatrixSession::runRecording(const QString &dir)
{
    start([this, dir = dir.toStdString()] {
        auto loaded = remote::loadClusterRecording(dir);
        if (!loaded.ok()) {
            QMetaObject::invokeMethod(this, [this, why = QString::fromStdString(loaded.error().oneLine())] { emit failed(why); },
                                      Qt::QueuedConnection);
            return;
        }
        std::vector<diagnose::MatrixTarget> targets;
        for (auto &n : *loaded)
            targets.push_back({n.host, n.shell.get(), n.error});
        diagnose::MatrixEngine engine(std::move(targets));
        diagnose::ClusterMatrix m = engine.run();
        QMetaObject::invokeMethod(this, [this, m = std::move(m)] { emit finished(m); }, Qt::QueuedConnection);
    });
}

} // namespace podpath::widgets
