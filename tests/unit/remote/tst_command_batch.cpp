// A batch must give each command exactly what running it alone gives: the same stdout
// (bytes, missing final newline, NULs), stderr and exit status. Checked by running both
// on this machine with `sh -c`, as the node's wrapper does.

#include "remote/command_batch.h"
#include "run_here.h"

#include <QProcess>
#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

namespace {


using Commands = std::vector<RemoteCommand>;

Commands commandSet(int which)
{
    switch (which) {
    case 0: return {RemoteCommand("uname").flag("-n")};
    case 1:
        return {RemoteCommand("printf").flag("no-final-newline"), RemoteCommand("true"), RemoteCommand("false"),
                RemoteCommand("ls").flag("/nonexistent/podpath")};
    case 2:
        return {RemoteCommand("podpath-no-such-program").flag("-x"), RemoteCommand("head").flag("-c").flag("3000")
                    .flag("/dev/zero"), RemoteCommand("seq").flag("100000")};
    case 3:
        // Output that looks like another batch's frames is output, nothing more.
        return {RemoteCommand("echo").flag("0123456789abcdef0123456789abcdef:0:end:0"),
                RemoteCommand("echo").flag("0123456789abcdef0123456789abcdef:1"), RemoteCommand("uname").flag("-s")};
    }
    return {};
}

} // namespace

class TestCommandBatch : public QObject {
    Q_OBJECT
private slots:
    void sameAsAlone_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("one command") << 0;
        QTest::newRow("status, stderr, no newline") << 1;
        QTest::newRow("not found, NULs, 600 KB") << 2;
        QTest::newRow("fake frames in output") << 3;
    }
    void sameAsAlone()
    {
        QFETCH(int, which);
        const Commands cmds = commandSet(which);
        CommandBatch batch(cmds);
        const CommandResult whole = runHere(batch.command());
        QCOMPARE(whole.exitStatus, std::optional<int>(0));
        const auto parts = batch.split(whole);
        QCOMPARE(parts.size(), cmds.size());
        for (std::size_t i = 0; i < cmds.size(); ++i) {
            const CommandResult alone = runHere(cmds[i]);
            QVERIFY2(parts[i].has_value(), cmds[i].toString().c_str());
            QCOMPARE(parts[i]->exitStatus, alone.exitStatus);
            QCOMPARE(parts[i]->out.size(), alone.out.size());
            QVERIFY(parts[i]->out == alone.out);
            QCOMPARE(QString::fromStdString(parts[i]->err), QString::fromStdString(alone.err));
        }
    }

    // Wherever the node's answer is cut (bound, output cap, lost connection), the
    // commands that came back whole are right and the rest are missing, never wrong.
    void cutAnswerGivesAPrefix_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("status, stderr, no newline") << 1;
        QTest::newRow("fake frames in output") << 3;
    }
    void cutAnswerGivesAPrefix()
    {
        QFETCH(int, which);
        const Commands cmds = commandSet(which);
        CommandBatch batch(cmds);
        const CommandResult whole = runHere(batch.command());
        const auto full = batch.split(whole);
        for (std::size_t cut = 0; cut <= whole.out.size(); ++cut) {
            CommandResult partial = whole;
            partial.out.resize(cut);
            const auto parts = batch.split(partial);
            bool ended = false;
            for (std::size_t i = 0; i < parts.size(); ++i) {
                if (!parts[i]) {
                    ended = true;
                    continue;
                }
                QVERIFY2(!ended, "a command after a missing one came back");
                QVERIFY(parts[i]->out == full[i]->out);
                QCOMPARE(parts[i]->exitStatus, full[i]->exitStatus);
            }
        }
    }

    void nonceIsRandomHexOrReplaced_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<bool>("kept");
        QTest::newRow("32 hex") << "0123456789abcdef0123456789abcdef" << true;
        QTest::newRow("too short") << "abc" << false;
        QTest::newRow("shell text") << "x'; reboot; '0123456789abcdef" << false;
        QTest::newRow("upper case") << "0123456789ABCDEF0123456789ABCDEF" << false;
    }
    void nonceIsRandomHexOrReplaced()
    {
        QFETCH(QString, given);
        QFETCH(bool, kept);
        CommandBatch batch({RemoteCommand("true")}, given.toStdString());
        QCOMPARE(batch.nonce() == given.toStdString(), kept);
        QVERIFY(batch.nonce().size() >= 16);
        QVERIFY(batch.nonce().find_first_not_of("0123456789abcdef") == std::string::npos);
        QVERIFY(CommandBatch::randomNonce() != CommandBatch::randomNonce());
    }
};

QTEST_GUILESS_MAIN(TestCommandBatch)
#include "tst_command_batch.moc"
