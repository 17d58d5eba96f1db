// The node wrapper under sudo, run for real on this machine as sshd would run it on a
// node (`sh -c WIRE`, stdin as the channel). Needs root: as root, sudo -n and sudo -S
// work without a password, so no sudoers change is needed to exercise both paths.

#include "lab_access.h"
#include "node_wrapper_checks.h"

#include <QProcess>
#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

class TestNodeWrapperSudo : public QObject {
    Q_OBJECT
private slots:
    void stdinEofKillsTheCommandUnderSudo() { testing::checkStdinEofKillsTheCommand(SudoMode::NoPassword); }

    // sudo -S reads the password from the channel; it never reaches a command line.
    void passwordIsReadFromStdinNeverFromTheCommandLine()
    {
        const std::string wire = wrapForNode(RemoteCommand("true"), testing::secs(10), SudoMode::WithPassword);
        QProcess p;
        p.start("/bin/sh", {"-c", QString::fromStdString(wire)});
        QVERIFY(p.waitForStarted());
        p.write("pp-rm-not-a-real-secret\n");
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(!testing::processAlive("pp-rm-not-a-real-secret"));
    }

    void commandRunsInTheCLocaleUnderSudo() { testing::checkRunsInTheCLocale(SudoMode::NoPassword); }

    // Sudo restricted to named commands: `timeout ... sudo -n -- COMMAND`. The channel's
    // end still stops the command (sudo relays the SIGTERM), and LC_ALL=C passes sudo's
    // env_check (LC_* is checked, not removed), so the parsers still read the C locale.
    void stdinEofKillsTheCommandThroughSudoPerCommand() { testing::checkStdinEofKillsTheCommand(SudoMode::PerCommand); }
    void commandRunsInTheCLocaleThroughSudoPerCommand() { testing::checkRunsInTheCLocale(SudoMode::PerCommand); }
};

PODPATH_TEST_GUILESS_MAIN_UNLESS(TestNodeWrapperSudo,
                                 podpath::testing::whyNoRoot(QStringLiteral("running sudo -n and sudo -S locally")))
#include "tst_node_wrapper_sudo.moc"
