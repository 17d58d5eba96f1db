#pragma once
// The node wrapper's promises, checked by running it on this machine as sshd would run
// it on a node (`sh -c WIRE`, stdin as the channel). Shared by the unit test (the login
// user) and the sudo test (needs root: sudo -n and sudo -S run locally).

#include "remote/node_wrapper.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QThread>
#include <QtTest>

namespace podpath::testing {

inline remote::Seconds secs(int n) { return *remote::Seconds::of(std::uint64_t(n)); }

inline bool processAlive(const QString &pattern)
{
    QProcess p;
    p.start("pgrep", {"-f", pattern});
    p.waitForFinished(5000);
    return p.exitCode() == 0;
}

// Polls until no process matches `pattern`; returns the milliseconds it took, or -1.
inline qint64 waitGone(const QString &pattern, int maxMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < maxMs) {
        if (!processAlive(pattern))
            return t.elapsed();
        QThread::msleep(50);
    }
    return -1;
}

// Closing stdin is what sshd does on cancel, disconnect or when PodPath dies: the
// command must go at once, not at its bound.
inline void checkStdinEofKillsTheCommand(remote::SudoMode mode)
{
    const int marker = 4700 + int(mode);
    const QString pattern = QString("[s]leep %1").arg(marker);
    QProcess p;
    p.start("/bin/sh", {"-c", QString::fromStdString(wrapForNode(remote::RemoteCommand("sleep").arg(secs(marker)),
                                                                     secs(600), mode))});
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(processAlive(pattern), 5000);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(5000));
    QVERIFY(p.exitCode() != 0);
    const qint64 ms = waitGone(pattern, 5000);
    QVERIFY2(ms >= 0, "the command outlived its channel");
    qInfo("gone %lld ms after stdin closed", ms);
}

// Parsers read English, unit-free numbers: the command runs in the C locale whatever the
// login's environment says (and under sudo, which may reset the environment).
inline void checkRunsInTheCLocale(remote::SudoMode mode)
{
    QProcess p;
    qputenv("LC_ALL", "en_US.UTF-8");
    p.start("/bin/sh", {"-c", QString::fromStdString(wrapForNode(remote::RemoteCommand("locale"), secs(10), mode))});
    QVERIFY(p.waitForFinished(10000));
    qunsetenv("LC_ALL");
    const QByteArray out = p.readAllStandardOutput();
    QVERIFY2(out.contains("LC_ALL=C\n"), out.constData());
}

} // namespace podpath::testing
