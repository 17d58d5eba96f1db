// The node wrapper is plain POSIX sh: its promises (exit status passes through, the
// bound holds, closing stdin kills the command at once, the sudo password never
// reaches a command line) are checked here by running it on this machine, as sshd
// would run it on a node: `sh -c WIRE` with stdin as the channel.

#include "node_wrapper_checks.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

using testing::secs;

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

    // Closing stdin kills the command at once (under sudo: tst_node_wrapper_sudo).
    void stdinEofKillsTheCommandAtOnce() { testing::checkStdinEofKillsTheCommand(SudoMode::None); }

    // The password goes to sudo -S on stdin (run for real in tst_node_wrapper_sudo).
    void passwordIsReadFromStdinNeverFromTheCommandLine()
    {
        const std::string wire = wrapForNode(RemoteCommand("true"), secs(10), SudoMode::WithPassword);
        QVERIFY(wire.find("sudo -S -p ") != std::string::npos);
        QVERIFY(wire.find("read -r pw") != std::string::npos);
    }

    void commandRunsInTheCLocale() { testing::checkRunsInTheCLocale(SudoMode::None); }
};

QTEST_GUILESS_MAIN(TestNodeWrapper)
#include "tst_node_wrapper.moc"
