#pragma once
// Why a lab test cannot run here, or empty: the lab needs root (network namespaces, an
// sshd per node, iptables, tcpdump), and PODPATH_LAB_SKIP=reason turns it off on
// purpose. Lab tests ask before they start (test_main.h), never part-way:
//   PODPATH_TEST_GUILESS_MAIN_UNLESS(TestDiagnoseLab, testing::whyNoLab())

#include "test_main.h"

#include <QString>
#include <QtGlobal>

#include <unistd.h>

namespace podpath::testing {

inline QString whyNoRoot(const QString &what)
{
    if (::geteuid() != 0)
        return what + QStringLiteral(" needs root: run ctest -L lab as root");
    return {};
}

inline QString whyNoLab()
{
    if (QString why = whyNoRoot(QStringLiteral("the lab (network namespaces, sshd, iptables, tcpdump)")); !why.isEmpty())
        return why;
    if (const QByteArray reason = qgetenv("PODPATH_LAB_SKIP"); !reason.isEmpty())
        return QStringLiteral("PODPATH_LAB_SKIP: ") + QString::fromUtf8(reason);
    return {};
}

} // namespace podpath::testing
