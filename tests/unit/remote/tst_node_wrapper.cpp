// The node wrapper is plain POSIX sh: its promises (exit status passes through, the
// bound holds, closing stdin kills the command at once, the sudo password never
// reaches a command line) are checked here by running it on this machine, as sshd
// would run it on a node: `sh -c WIRE` with stdin as the channel.

#include "node_wrapper_checks.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
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

    // Any login shell (issue #14): sshd runs `SHELL -c LINE`. The one-off runner line and
    // the command shell's line read the same in each, and values the login shell would
    // read its own way (tcsh's `!` history, fish's `\'`, `$`, a backquote) come back as
    // sent, because they travel on stdin to sh.
    void anyLoginShellRunsTheCommandAsSent_data()
    {
        QTest::addColumn<QStringList>("shell");
        QTest::newRow("bash") << QStringList{"bash"};
        QTest::newRow("dash") << QStringList{"dash"};
        QTest::newRow("zsh") << QStringList{"zsh"};
        QTest::newRow("fish") << QStringList{"fish"};
        QTest::newRow("tcsh") << QStringList{"tcsh"};
        QTest::newRow("busybox ash") << QStringList{"busybox", "ash"};
    }
    void anyLoginShellRunsTheCommandAsSent()
    {
        QFETCH(QStringList, shell);
        if (QStandardPaths::findExecutable(shell.front()).isEmpty())
            QSKIP(qPrintable(shell.front() + " is not installed (packaging/podpath-dev installs it)"));
        QVERIFY(stdinRunnerLine().find_first_of("\\!\n") == std::string::npos);
        // Its printf formats' `\n` is two plain characters inside quotes to fish and tcsh
        // too, and tcsh leaves the `!` of `$!;` alone (the rows below run it).
        const std::string line = commandShellLine("ppNonce1");
        QVERIFY(line.find('\n') == std::string::npos);
        for (std::size_t i = line.find('!'); i != std::string::npos; i = line.find('!', i + 1))
            QCOMPARE(line.substr(i - 1, 3), std::string("$!;"));
        const std::vector<std::string> words{"it's!", "a\\'b\\\\c", "!1$HOME", "`id`;$(id)&&x", "\"q\"~*"};
        RemoteCommand echo("printf");
        echo.arg(*Word::parse("%s\\n"));
        QByteArray expected;
        for (const auto &w : words) {
            echo.arg(*Word::parse(w));
            expected += QByteArray::fromStdString(w) + "\n";
        }
        const QString program = shell.front();
        QStringList args = shell.mid(1);

        QProcess oneOff;
        oneOff.start(program, args + QStringList{"-c", QString::fromStdString(stdinRunnerLine())});
        QVERIFY(oneOff.waitForStarted());
        oneOff.write(QByteArray::fromStdString(wrapForNode(echo, secs(10), SudoMode::None, "ppStart1") + "\n"));
        QVERIFY(oneOff.waitForFinished(10000));   // stdin stays open: the command ends by itself
        QCOMPARE(oneOff.readAllStandardError(), QByteArray());
        QCOMPARE(oneOff.exitCode(), 0);
        QCOMPARE(oneOff.readAllStandardOutput(), "ppStart1\n" + expected);

        QProcess commandShell;
        commandShell.start(program, args + QStringList{"-c", QString::fromStdString(commandShellLine("ppNonce1"))});
        QVERIFY(commandShell.waitForStarted());
        commandShell.write(QByteArray::fromStdString(commandShellHeader("ppNonce1", false) + "\n" +
                                                     commandShellJob(echo, secs(10), SudoMode::None) + "\n"));
        QByteArray out;
        QElapsedTimer t;
        t.start();
        while (!out.contains("ppNonce1:e:") && t.elapsed() < 10000 && commandShell.waitForReadyRead(10000))
            out += commandShell.readAllStandardOutput();
        commandShell.closeWriteChannel();
        QVERIFY(commandShell.waitForFinished(10000));
        out += commandShell.readAllStandardOutput();
        QCOMPARE(out, "ppNonce1:ready\nppNonce1:b\n" + expected + "\nppNonce1:e:0\n");
    }
};

QTEST_GUILESS_MAIN(TestNodeWrapper)
#include "tst_node_wrapper.moc"
