// Commands run at once in one exec must each come back with what running it alone gives:
// its exit status and its lines (stderr merged), whatever the others print meanwhile.
// Checked by running the fan-out on this machine with `sh -c`, as the node's wrapper does.

#include "remote/command_fan_out.h"
#include "run_here.h"

#include <QProcess>
#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

namespace {


// What one command says alone, as the fan-out gives it: stderr after stdout is not
// promised (merged in the order written), so each case writes to one stream or in an
// order both keep; a last line gains its newline.
std::string asLines(std::string s)
{
    if (!s.empty() && s.back() != '\n')
        s += '\n';
    return s;
}

RemoteCommand sh(FixedScript script) { return RemoteCommand("sh").flag("-c").script(script); }

std::vector<RemoteCommand> commandSet(int which)
{
    switch (which) {
    case 0: return {sh("echo one")};
    case 1: return {sh("echo out; exit 3"), sh("echo err >&2"), sh("printf no-newline"), sh("true")};
    case 2:
        return {sh("for i in 1 2 3 4 5; do echo a$i; sleep 0.05; done"), sh("for i in 1 2 3 4 5; do echo b$i; sleep 0.03; done"),
                sh("seq 2000 | tail -n 3")};
    case 3:
        return {sh("echo 0123456789abcdef0123456789abcdef:1 x; echo 0123456789abcdef0123456789abcdef:0:end:7"), sh("echo fine")};
    case 4: return {sh("exec podpath-no-such-program")};
    }
    return {};
}

} // namespace

class TestCommandFanOut : public QObject {
    Q_OBJECT
private slots:
    void eachAsAlone_data()
    {
        QTest::addColumn<int>("which");  // commandSet()
        QTest::addColumn<QStringList>("expected");  // its lines, stderr merged
        QTest::addColumn<QList<int>>("statuses");
        QTest::newRow("one") << 0 << QStringList{"one\n"} << QList<int>{0};
        QTest::newRow("statuses and stderr")
            << 1
            << QStringList{"out\n", "err\n", "no-newline\n", ""} << QList<int>{3, 0, 0, 0};
        // Slow and fast side by side, lines written while others write: each keeps its own, in order.
        QTest::newRow("at once, interleaved")
            << 2
            << QStringList{"a1\na2\na3\na4\na5\n", "b1\nb2\nb3\nb4\nb5\n", "1998\n1999\n2000\n"} << QList<int>{0, 0, 0};
        // A command printing what looks like the frames is output, nothing more.
        QTest::newRow("fake tags")
            << 3
            << QStringList{"0123456789abcdef0123456789abcdef:1 x\n0123456789abcdef0123456789abcdef:0:end:7\n", "fine\n"}
            << QList<int>{0, 0};
        QTest::newRow("not found") << 4 << QStringList{"*"} << QList<int>{127};
    }
    void eachAsAlone()
    {
        QFETCH(int, which);
        QFETCH(QStringList, expected);
        QFETCH(QList<int>, statuses);
        const std::vector<RemoteCommand> cmds = commandSet(which);
        // The fixed nonce above is not this run's: a random one is.
        CommandFanOut fan(cmds);
        const CommandResult whole = runHere(fan.command());
        QCOMPARE(whole.exitStatus, std::optional<int>(0));
        const auto parts = fan.split(whole);
        QCOMPARE(parts.size(), cmds.size());
        for (std::size_t i = 0; i < cmds.size(); ++i) {
            QVERIFY2(parts[i].has_value(), cmds[i].toString().c_str());
            QCOMPARE(parts[i]->exitStatus, std::optional<int>(statuses[int(i)]));
            QVERIFY(parts[i]->err.empty());
            if (expected[int(i)] == "*") {  // the shell's own words: as alone
                const CommandResult alone = runHere(cmds[i]);
                QCOMPARE(QString::fromStdString(parts[i]->out), QString::fromStdString(asLines(alone.out + alone.err)));
            } else {
                QCOMPARE(QString::fromStdString(parts[i]->out), expected[int(i)]);
            }
        }
    }

    // Through a command: each runs under it (here `env`, as `sudo -n --` on a node).
    void via()
    {
        CommandFanOut fan({sh("echo \"$PODPATH_FAN\"")},
                          RemoteCommand("env").flag("PODPATH_FAN=through"));
        const auto parts = fan.split(runHere(fan.command()));
        QVERIFY(parts[0].has_value());
        QCOMPARE(QString::fromStdString(parts[0]->out), QStringLiteral("through\n"));
    }

    // What the node sent back, cut or mangled: a command whose end never came is empty,
    // the others keep theirs; lines not ours are skipped.
    void cutShort_data()
    {
        QTest::addColumn<QString>("out");
        QTest::addColumn<QList<int>>("statuses");  // -1: no result
        const QString n = "0123456789abcdef0123456789abcdef";
        QTest::newRow("nothing") << QString() << QList<int>{-1, -1};
        QTest::newRow("first ended, second cut")
            << n + ":0 a\n" + n + ":1 b\n" + n + ":0 " + n + ":0:end:0\n" + n + ":1 c" << QList<int>{0, -1};
        QTest::newRow("banner and junk")
            << "Welcome\n" + n + ":9 x\n" + n + ":x y\n" + n + ":1 " + n + ":1:end:1\n" + n + ":0 " + n + ":0:end:12345\n"
            << QList<int>{-1, 1};
        QTest::newRow("after the end") << n + ":0 " + n + ":0:end:0\n" + n + ":0 late\n" + n + ":1 " + n + ":1:end:2\n"
                                       << QList<int>{0, 2};
    }
    void cutShort()
    {
        QFETCH(QString, out);
        QFETCH(QList<int>, statuses);
        CommandFanOut fan({RemoteCommand("true"), RemoteCommand("true")}, std::nullopt, "0123456789abcdef0123456789abcdef");
        CommandResult whole;
        whole.out = out.toStdString();
        const auto parts = fan.split(whole);
        QCOMPARE(parts.size(), std::size_t(2));
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(parts[i].has_value(), statuses[i] >= 0);
            if (parts[i])
                QCOMPARE(*parts[i]->exitStatus, statuses[i]);
        }
        if (parts[0] && statuses[0] == 0 && out.contains(" a\n"))
            QCOMPARE(QString::fromStdString(parts[0]->out), QStringLiteral("a\n"));
    }
};

QTEST_GUILESS_MAIN(TestCommandFanOut)
#include "tst_command_fan_out.moc"
