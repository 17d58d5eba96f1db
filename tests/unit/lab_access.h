#pragma once
// Why a lab test cannot run here, or empty: the lab needs root (network namespaces, an
// sshd per node, iptables, tcpdump), and PODPATH_LAB_SKIP=reason turns it off on
// purpose. Lab tests skip with this reason, never pass silently:
//   if (const QString why = testing::whyNoLab(); !why.isEmpty()) QSKIP(qPrintable(why));

#include <QString>
#include <QtGlobal>

#include <unistd.h>

namespace podpath::testing {

inline QString whyNoLab()
{
    if (::geteuid() != 0)
        return QStringLiteral("the lab needs root (network namespaces, sshd, iptables, tcpdump): run ctest -L lab as root");
    if (const QByteArray reason = qgetenv("PODPATH_LAB_SKIP"); !reason.isEmpty())
        return QStringLiteral("PODPATH_LAB_SKIP: ") + QString::fromUtf8(reason);
    return {};
}

} // namespace podpath::testing
