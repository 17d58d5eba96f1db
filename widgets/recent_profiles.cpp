#include "recent_profiles.h"

#include <QSettings>

namespace podpath::widgets {

namespace {

QString nodeLabel(const NodeFields &n)
{
    QString s = n.host;
    if (!n.user.isEmpty() && !s.contains(QLatin1Char('@')))
        s = n.user + QLatin1Char('@') + s;
    if (!n.port.isEmpty() && !s.contains(QLatin1Char(':')))
        s += QLatin1Char(':') + n.port;
    return s;
}

void writeNode(QSettings &s, const QString &prefix, const NodeFields &n)
{
    s.setValue(prefix + QStringLiteral("/host"), n.host);
    s.setValue(prefix + QStringLiteral("/user"), n.user);
    s.setValue(prefix + QStringLiteral("/port"), n.port);
    s.setValue(prefix + QStringLiteral("/identityFile"), n.identityFile);
    s.setValue(prefix + QStringLiteral("/jumpHost"), n.jumpHost);
}

NodeFields readNode(const QSettings &s, const QString &prefix)
{
    NodeFields n;
    n.host = s.value(prefix + QStringLiteral("/host")).toString();
    n.user = s.value(prefix + QStringLiteral("/user")).toString();
    n.port = s.value(prefix + QStringLiteral("/port")).toString();
    n.identityFile = s.value(prefix + QStringLiteral("/identityFile")).toString();
    n.jumpHost = s.value(prefix + QStringLiteral("/jumpHost")).toString();
    return n;
}

} // namespace

QString PairProfile::label() const
{
    QString s = nodeLabel(client) + QStringLiteral(" → ") + nodeLabel(server);
    if (pods.clientPod.isEmpty() && pods.serverPod.isEmpty())
        return s;
    s += QStringLiteral(" · pods ") + pods.clientPod + QStringLiteral(" → ") + pods.serverPod;
    if (!pods.port.isEmpty())
        s += QLatin1Char(' ') + (pods.protocol == QLatin1String("udp") ? QStringLiteral("UDP ") : QStringLiteral("TCP ")) +
             pods.port;
    return s;
}

RecentProfiles::RecentProfiles(QSettings *settings) : m_settings(settings ? settings : new QSettings), m_own(!settings) {}

RecentProfiles::~RecentProfiles()
{
    if (m_own)
        delete m_settings;
}

QList<PairProfile> RecentProfiles::pairs() const
{
    QList<PairProfile> out;
    m_settings->beginGroup(QStringLiteral("profiles"));
    const int n = m_settings->beginReadArray(QStringLiteral("pairs"));
    for (int i = 0; i < n && out.size() < kMaxPairs; ++i) {
        m_settings->setArrayIndex(i);
        PairProfile p;
        p.client = readNode(*m_settings, QStringLiteral("client"));
        p.server = readNode(*m_settings, QStringLiteral("server"));
        p.knownHostsFile = m_settings->value(QStringLiteral("knownHostsFile")).toString();
        p.sshConfigFile = m_settings->value(QStringLiteral("sshConfigFile")).toString();
        p.pods.clientPod = m_settings->value(QStringLiteral("pods/client")).toString();
        p.pods.serverPod = m_settings->value(QStringLiteral("pods/server")).toString();
        p.pods.port = m_settings->value(QStringLiteral("pods/port")).toString();
        p.pods.protocol = m_settings->value(QStringLiteral("pods/protocol")).toString();
        if (!p.client.host.isEmpty() && !p.server.host.isEmpty())
            out << p;
    }
    m_settings->endArray();
    m_settings->endGroup();
    return out;
}

void RecentProfiles::remember(const PairProfile &pair)
{
    QList<PairProfile> list = pairs();
    list.removeAll(pair);
    list.prepend(pair);
    while (list.size() > kMaxPairs)
        list.removeLast();
    m_settings->beginGroup(QStringLiteral("profiles"));
    m_settings->remove(QString());  // the whole group: no stale rows beyond the new size
    m_settings->beginWriteArray(QStringLiteral("pairs"), int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        m_settings->setArrayIndex(i);
        writeNode(*m_settings, QStringLiteral("client"), list[i].client);
        writeNode(*m_settings, QStringLiteral("server"), list[i].server);
        m_settings->setValue(QStringLiteral("knownHostsFile"), list[i].knownHostsFile);
        m_settings->setValue(QStringLiteral("sshConfigFile"), list[i].sshConfigFile);
        if (list[i].pods != PodFields{}) {
            m_settings->setValue(QStringLiteral("pods/client"), list[i].pods.clientPod);
            m_settings->setValue(QStringLiteral("pods/server"), list[i].pods.serverPod);
            m_settings->setValue(QStringLiteral("pods/port"), list[i].pods.port);
            m_settings->setValue(QStringLiteral("pods/protocol"), list[i].pods.protocol);
        }
    }
    m_settings->endArray();
    m_settings->endGroup();
    m_settings->sync();
}

QStringList RecentProfiles::hosts() const
{
    QStringList out;
    for (const auto &p : pairs())
        for (const NodeFields *n : {&p.client, &p.server})
            if (!out.contains(n->host))
                out << n->host;
    return out;
}

} // namespace podpath::widgets
