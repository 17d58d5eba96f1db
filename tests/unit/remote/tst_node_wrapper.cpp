// The node wrapper is plain POSIX sh: its promises (exit status passes through, the
// bound holds, closing stdin kills the command at once, the sudo password never
// reaches a command line) are checked here by running it on this machine, as sshd
// would run it on a node: `sh -c WIRE` with stdin as the channel.

#include "remote/node_wrapper.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include <unistd.h>

using namespace podpath;
using namespace podpath::remote;

namespace {

Seconds secs(int n) { return *Seconds::of(std::uint64_t(n)); }

bool processAlive(const QString &pattern)
{
    QProcess p;
    p.start("pgrep", {"-f", pattern});
    p.waitForFinished(5000);
    return p.exitCode() == 0;
}

// Polls until no process matches `pattern`; returns the milliseconds it took, or -1.
qint64 waitGone(const QString &pattern, int maxMs)
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

} // namespace

class TestNodeWrapper : public QObject {
    Q_OBJECT
private slots:
    void exitStatusAndOutputPassThrough_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<int>("exitStatus");
        QTest::addColumn<QByteArray>("out");
        QTest::newRow("true") << 0 << 0 << QByteArray();
        QTest::newRow("false") << 1 << 1 << QByteArray();
        QTest::newRow("echo") << 2 << 0 << QByteArray("hello world\n");
        QTest::newRow("missing file") << 3 << 2 << QByteArray();
    }
    void exitStatusAndOutputPassThrough()
    {
        QFETCH(int, which);
        QFETCH(int, exitStatus);
        QFETCH(QByteArray, out);
        const RemoteCommand cmds[] = {RemoteCommand("true"), RemoteCommand("false"),
                                      RemoteCommand("echo").flag("hello").flag("world"),
                                      RemoteCommand("ls").arg(*RemotePath::parse("/nonexistent/pp-rm"))};
        QProcess p;
        p.start("/bin/sh", {"-c", QString::fromStdString(wrapForNode(cmds[which], secs(10), SudoMode::None))});
        QVERIFY(p.waitForStarted());
        QVERIFY(p.waitForFinished(10000));   // stdin stays open: the command ends by itself
        QCOMPARE(p.exitCode(), exitStatus);
        QCOMPARE(p.readAllStandardOutput(), out);
        if (which == 3)
            QVERIFY(p.readAllStandardError().contains("No such file"));
    }

    void boundHoldsOnTheNode()
    {
        QElapsedTimer t;
        t.start();
        QProcess p;
        p.start("/bin/sh", {"-c", QString::fromStdString(wrapForNode(RemoteCommand("sleep").arg(secs(30)), secs(1),
                                                                         SudoMode::None))});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 124);
        QVERIFY(t.elapsed() < 5000);
    }

    // Closing stdin is what sshd does on cancel, disconnect or when PodPath dies.
    void stdinEofKillsTheCommandAtOnce_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("plain") << int(SudoMode::None);
        if (geteuid() == 0)
            QTest::newRow("under sudo") << int(SudoMode::NoPassword);
    }
    void stdinEofKillsTheCommandAtOnce()
    {
        QFETCH(int, mode);
        const int marker = 4700 + mode;
        const QString pattern = QString("[s]leep %1").arg(marker);
        QProcess p;
        p.start("/bin/sh", {"-c", QString::fromStdString(wrapForNode(RemoteCommand("sleep").arg(secs(marker)),
                                                                         secs(600), SudoMode(mode)))});
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(processAlive(pattern), 5000);
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(5000));
        QVERIFY(p.exitCode() != 0);
        const qint64 ms = waitGone(pattern, 5000);
        QVERIFY2(ms >= 0, "the command outlived its channel");
        qInfo("gone %lld ms after stdin closed", ms);
    }

    void passwordIsReadFromStdinNeverFromTheCommandLine()
    {
        const std::string wire = wrapForNode(RemoteCommand("true"), secs(10), SudoMode::WithPassword);
        QVERIFY(wire.find("sudo -S -p ") != std::string::npos);
        QVERIFY(wire.find("read -r pw") != std::string::npos);
        if (geteuid() != 0)
            QSKIP("running sudo -S locally needs root (sudo asks root for no password)");
        QProcess p;
        p.start("/bin/sh", {"-c", QString::fromStdString(wire)});
        QVERIFY(p.waitForStarted());
        p.write("pp-rm-not-a-real-secret\n");
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(!processAlive("pp-rm-not-a-real-secret"));
    }

    void commandRunsInTheCLocale_data()
    {
        QTest::addColumn<bool>("underSudo");
        QTest::newRow("login user") << false;
        QTest::newRow("sudo -n (needs root or sudo here)") << true;
    }
    void commandRunsInTheCLocale()
    {
        QFETCH(bool, underSudo);
        if (underSudo && QProcess::execute("sudo", {"-n", "true"}) != 0)
            QSKIP("sudo -n does not work for this user here");
        QProcess p;
        qputenv("LC_ALL", "en_US.UTF-8");
        p.start("/bin/sh", {"-c", QString::fromStdString(wrapForNode(RemoteCommand("locale"), secs(10),
                                                                     underSudo ? SudoMode::NoPassword : SudoMode::None))});
        QVERIFY(p.waitForFinished(10000));
        qunsetenv("LC_ALL");
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.contains("LC_ALL=C\n"), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestNodeWrapper)
#include "tst_node_wrapper.moc"
