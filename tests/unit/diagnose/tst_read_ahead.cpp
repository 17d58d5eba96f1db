// Answers fetched ahead are handed out once, by command and privilege; a command that
// was not fetched (or failed to come back) runs on the node as usual; and what no read
// asked for still appears in the log, because it ran on the node.

#include "diagnose/command_log.h"
#include "diagnose/read_ahead.h"
#include "remote/replay_node_shell.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;
using namespace podpath::remote;

namespace {

RecordedCommand rec(const std::string &line, const std::string &out, bool root = false)
{
    RecordedCommand c;
    c.commandLine = line;
    c.asRoot = root;
    CommandResult r;
    r.exitStatus = 0;
    r.out = out;
    c.result = r;
    return c;
}

SessionRecording node()
{
    SessionRecording s;
    s.node = {"root@node1", "root", 0, Privilege::Root};
    s.commands = {rec("uname -n", "node1\n"), rec("date +%s", "1764000000\n"), rec("tcpdump --version", "4.99\n", true)};
    return s;
}

} // namespace

class TestReadAhead : public QObject {
    Q_OBJECT
private slots:
    void answersOnceThenRunsAgain_data()
    {
        QTest::addColumn<bool>("fetched");
        QTest::newRow("fetched ahead") << true;
        QTest::newRow("not fetched") << false;
    }
    void answersOnceThenRunsAgain()
    {
        QFETCH(bool, fetched);
        ReplayNodeShell shell(node());
        CommandLog log;
        ReadAhead ahead;
        NodeAccess access{shell, NodeRole::Client, log, &ahead};
        std::atomic<bool> cancelled{false};
        TaskContext ctx(cancelled, Clock::now() + std::chrono::seconds(10));
        if (fetched)
            ahead.fetch(shell, ctx,
                        {{RemoteCommand("uname").flag("-n"), false}, {RemoteCommand("date").flag("+%s"), false},
                         {RemoteCommand("tcpdump").flag("--version"), true}, {RemoteCommand("not-recorded"), false}},
                        5);
        auto a = runOn(access, ctx, "identity", RemoteCommand("uname").flag("-n"), false);
        QVERIFY(a.ok());
        QCOMPARE(a->out, std::string("node1\n"));
        // Privilege is part of the key: the root answer is not the login's.
        QCOMPARE(ahead.take(RemoteCommand("tcpdump").flag("--version"), false).has_value(), false);
        QCOMPARE(ahead.take(RemoteCommand("tcpdump").flag("--version"), true).has_value(), fetched);
        // Once: a second ask goes to the node (the replay answers it again).
        QVERIFY(!ahead.take(RemoteCommand("uname").flag("-n"), false));
        ahead.recordUnused(access);
        const auto records = log.records();
        QCOMPARE(int(records.size()), fetched ? 2 : 1);
        QCOMPARE(records.front().step, std::string("identity"));
        if (fetched) {
            // `date` ran and nobody asked for it; the unrecorded command never came back.
            QCOMPARE(records.back().step, std::string("read ahead"));
            QCOMPARE(records.back().command, std::string("date +%s"));
            QCOMPARE(records.back().output, std::string("1764000000\n"));
        }
        ahead.recordUnused(access);
        QCOMPARE(log.records().size(), records.size());
    }
};

QTEST_GUILESS_MAIN(TestReadAhead)
#include "tst_read_ahead.moc"
