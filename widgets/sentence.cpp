#include "sentence.h"

#include <QSet>

namespace podpath::widgets {

QString asSentence(const QString &text)
{
    // Programs PodPath runs or names: written as typed, even first in a sentence.
    static const QSet<QString> commands{
        QStringLiteral("ssh"),     QStringLiteral("sshd"),      QStringLiteral("sudo"),    QStringLiteral("tcpdump"),
        QStringLiteral("ping"),    QStringLiteral("ip"),        QStringLiteral("iptables"), QStringLiteral("ipset"),
        QStringLiteral("nft"),     QStringLiteral("timeout"),   QStringLiteral("calicoctl"), QStringLiteral("kubectl"),
        QStringLiteral("crictl"),  QStringLiteral("journalctl"), QStringLiteral("birdc"),  QStringLiteral("bird"),
        QStringLiteral("ethtool"), QStringLiteral("env"),       QStringLiteral("sh"),      QStringLiteral("bash"),
        QStringLiteral("libssh"),  QStringLiteral("libpcap"),   QStringLiteral("conntrack"), QStringLiteral("podpath")};
    qsizetype end = 0;
    while (end < text.size() && text.at(end) >= QLatin1Char('a') && text.at(end) <= QLatin1Char('z'))
        ++end;
    if (end == 0)
        return text;
    // The first word ends at a space, a comma, a colon or the end: "node-1", "eth0",
    // "a.b" and "root@node" are names.
    if (end < text.size() && text.at(end) != QLatin1Char(' ') && text.at(end) != QLatin1Char(',') &&
        text.at(end) != QLatin1Char(':'))
        return text;
    if (commands.contains(text.left(end)))
        return text;
    QString out = text;
    out[0] = out.at(0).toUpper();
    return out;
}

QString asFullSentence(const QString &text)
{
    QString t = asSentence(text.trimmed());
    if (!t.isEmpty() && !t.endsWith(QLatin1Char('.')))
        t += QLatin1Char('.');
    return t;
}

} // namespace podpath::widgets
