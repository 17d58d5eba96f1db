// Why a node command did not succeed, for the end of "X failed: ..." (issue #13 saw
// "ipset list failed: " with nothing after it when the server went dark): never empty,
// stderr's first line when there is one, else what is known.

#include "remote/command_result.h"

#include <QtTest>

using namespace podpath::remote;

class TestCommandResult : public QObject {
    Q_OBJECT
private slots:
    void whyNot_data()
    {
        QTest::addColumn<int>("exitStatus");  // -1: none
        QTest::addColumn<QString>("signal");
        QTest::addColumn<QString>("err");
        QTest::addColumn<bool>("timedOut");
        QTest::addColumn<bool>("cancelled");
        QTest::addColumn<bool>("truncated");
        QTest::addColumn<QString>("why");
        QTest::newRow("said why") << 1 << "" << "\n  ipset v7.10: The set with the given name does not exist\nmore\n"
                                  << false << false << false
                                  << "exited with status 1: ipset v7.10: The set with the given name does not exist";
        QTest::newRow("silent failure") << 2 << "" << "" << false << false << false << "exited with status 2";
        QTest::newRow("blank stderr") << 1 << "" << " \r\n\t\n" << false << false << false << "exited with status 1";
        QTest::newRow("node went dark") << -1 << "" << "" << true << false << false
                                        << "got no answer (the node stopped answering)";
        QTest::newRow("timeout on the node") << 124 << "" << "" << true << false << false << "ran out of time on the node";
        QTest::newRow("connection lost") << -1 << "" << "" << false << false << false
                                         << "ended without an exit status (the connection was lost)";
        QTest::newRow("signal") << -1 << "KILL" << "" << false << false << false << "was killed by signal KILL";
        QTest::newRow("cancelled") << -1 << "" << "" << false << true << false << "was stopped before it finished";
        QTest::newRow("too much output") << -1 << "" << "" << false << false << true << "printed more than PodPath reads";
    }
    void whyNot()
    {
        QFETCH(int, exitStatus);
        QFETCH(QString, signal);
        QFETCH(QString, err);
        QFETCH(bool, timedOut);
        QFETCH(bool, cancelled);
        QFETCH(bool, truncated);
        QFETCH(QString, why);
        CommandResult r;
        if (exitStatus >= 0)
            r.exitStatus = exitStatus;
        r.exitSignal = signal.toStdString();
        r.err = err.toStdString();
        r.timedOut = timedOut;
        r.cancelled = cancelled;
        r.truncated = truncated;
        const std::string got = r.whyNot();
        QCOMPARE(QString::fromStdString(got), why);
        QVERIFY(!got.empty() && !got.ends_with(": ") && !got.ends_with(":"));
    }
};

QTEST_GUILESS_MAIN(TestCommandResult)
#include "tst_command_result.moc"
