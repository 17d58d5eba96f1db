// Recorded sessions: the JSON format, replay by command line in order, the recorder.

#include "remote/recording_node_shell.h"
#include "remote/replay_node_shell.h"
#include "remote/session_recording.h"

#include "parse/text.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

namespace {

RecordedCommand rec(const std::string &line, int status, const std::string &out, bool asRoot = false)
{
    RecordedCommand c;
    c.commandLine = line;
    c.asRoot = asRoot;
    CommandResult r;
    r.exitStatus = status;
    r.out = out;
    r.duration = std::chrono::milliseconds(7);
    c.result = r;
    return c;
}

SessionRecording sample()
{
    SessionRecording s;
    s.node = {"root@node1", "root", 0, Privilege::Root};
    s.commands.push_back(rec("iptables-save -c", 0, "first\n", true));
    s.commands.push_back(rec("ip -o addr", 0, "addr\n"));
    s.commands.push_back(rec("iptables-save -c", 0, "second\n", true));
    RecordedCommand lost;
    lost.commandLine = "sleep 30";
    lost.error = Error("lost the connection", "x", "reconnect", 0, "SSH_CONNECTION_LOST");
    s.commands.push_back(lost);
    RecordedCommand pcap = rec("tcpdump -i any -w -", 0, std::string("\xd4\xc3\xb2\xa1\0\0\xff", 7), true);
    pcap.streamed = true;
    s.commands.push_back(pcap);
    return s;
}

RunOptions root()
{
    RunOptions o;
    o.asRoot = true;
    return o;
}

} // namespace

class TestSessionReplay : public QObject {
    Q_OBJECT
private slots:
    void jsonRoundTripKeepsBinary()
    {
        const SessionRecording s = sample();
        auto back = SessionRecording::fromJson(s.toJson());
        QVERIFY(back.ok());
        QCOMPARE(back->commands.size(), s.commands.size());
        QCOMPARE(back->node.label, std::string("root@node1"));
        QCOMPARE(back->node.privilege, Privilege::Root);
        QCOMPARE(back->commands[4].result->out, s.commands[4].result->out);
        QVERIFY(s.toJson().find("stdoutBase64") != std::string::npos);
        QCOMPARE(back->commands[3].error->code, std::string("SSH_CONNECTION_LOST"));
        QCOMPARE(back->commands[0].result->duration.count(), 7);
    }

    void malformedFiles_data()
    {
        QTest::addColumn<QString>("json");
        QTest::newRow("empty") << "";
        QTest::newRow("not json") << "{oops";
        QTest::newRow("array") << "[]";
        QTest::newRow("wrong format") << R"({"format":"x","version":1})";
        QTest::newRow("future version") << R"({"format":"podpath-session","version":2})";
        QTest::newRow("entry without command") << R"({"format":"podpath-session","version":1,"commands":[{}]})";
        QTest::newRow("entry not object") << R"({"format":"podpath-session","version":1,"commands":[3]})";
    }
    void malformedFiles()
    {
        QFETCH(QString, json);
        auto r = SessionRecording::fromJson(json.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, std::string("REPLAY_BAD_FILE"));
    }

    // Found by fuzz_session_recording: a duration beyond any integer was undefined
    // behaviour when converted.
    void crashRegressions_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("huge durationMs") << "session_recording_huge_duration.json";
    }
    void crashRegressions()
    {
        QFETCH(QString, file);
        const std::string path = std::string(PODPATH_FIXTURES) + "/crashes/" + file.toStdString();
        QVERIFY(QFile::exists(QString::fromStdString(path)));
        auto r = SessionRecording::load(path);   // a value or an error, never a crash
        if (r.ok())
            for (const auto &c : r->commands)
                if (c.result)
                    QVERIFY(c.result->duration.count() >= 0);
    }

    void oversizedFileRefused()
    {
        std::string big(podpath::text::kMaxInputBytes + 1, ' ');
        QVERIFY(!SessionRecording::fromJson(big).ok());
        // A device that never ends (its size reads 0) once aborted with bad_alloc.
        auto endless = SessionRecording::load("/dev/zero");
        QVERIFY(!endless.ok());
        QVERIFY2(endless.error().message.find("larger than PodPath reads") != std::string::npos,
                 endless.error().oneLine().c_str());
    }

    // Within the 64 MiB, a recording is still held to what a live run could produce:
    // millions of tiny commands, or one command's output beyond 32 MiB, are refused.
    void recordingBeyondALiveRun_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QByteArray many = "{\"format\": \"podpath-session\", \"version\": 1, \"node\": {}, \"commands\": [";
        for (int i = 0; i <= 100000; ++i)
            many += QByteArray(i ? "," : "") + "{\"command\": \"x\"}";
        many += "]}";
        QTest::newRow("100001 commands") << many << "more than 100000 commands";
        const QByteArray big = "{\"format\": \"podpath-session\", \"version\": 1, \"node\": {}, \"commands\": [{\"command\": \"x\", \"stdout\": \"" +
                               QByteArray(32 * 1024 * 1024 + 1, 'a') + "\"}]}";
        QTest::newRow("one output over 32 MiB") << big << "larger than 32 MiB";
        const QByteArray fits = "{\"format\": \"podpath-session\", \"version\": 1, \"node\": {}, \"commands\": [{\"command\": \"x\", \"stdout\": \"" +
                                QByteArray(1024 * 1024, 'a') + "\"}]}";
        QTest::newRow("1 MiB output fits") << fits << "";
    }
    void recordingBeyondALiveRun()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        auto rec = SessionRecording::fromJson(std::string_view(json.constData(), std::size_t(json.size())));
        if (message.isEmpty()) {
            QVERIFY2(rec.ok(), rec.ok() ? "" : rec.error().oneLine().c_str());
            return;
        }
        QVERIFY(!rec.ok());
        QVERIFY2(rec.error().oneLine().find(message.toStdString()) != std::string::npos, rec.error().oneLine().c_str());
    }

    void replayMatchesByLineAndOrder()
    {
        ReplayNodeShell shell(sample());
        // Counters read before and after: the n-th run gets the n-th result.
        QCOMPARE(shell.run(RemoteCommand("iptables-save").flag("-c"), root())->out, std::string("first\n"));
        QCOMPARE(shell.run(RemoteCommand("ip").flag("-o").flag("addr"), {})->out, std::string("addr\n"));
        QCOMPARE(shell.run(RemoteCommand("iptables-save").flag("-c"), root())->out, std::string("second\n"));
        // Asked more often than recorded (the wizard repeats a step): the answers start over.
        QCOMPARE(shell.run(RemoteCommand("iptables-save").flag("-c"), root())->out, std::string("first\n"));
        QCOMPARE(shell.run(RemoteCommand("iptables-save").flag("-c"), root())->out, std::string("second\n"));
        QCOMPARE(shell.run(RemoteCommand("ip").flag("-o").flag("addr"), {})->out, std::string("addr\n"));
        auto never = shell.run(RemoteCommand("iptables-save"), root());
        QVERIFY(!never.ok());
        QCOMPARE(never.error().code, std::string("REPLAY_NO_MATCH"));
        // asRoot is part of the key.
        QVERIFY(!shell.run(RemoteCommand("ip").flag("-o").flag("addr"), root()).ok());
        QCOMPARE(shell.unmatched().size(), std::size_t(2));
        auto lost = shell.run(RemoteCommand("sleep").arg(*Seconds::of(30)), {});
        QVERIFY(!lost.ok());
        QCOMPARE(lost.error().code, std::string("SSH_CONNECTION_LOST"));
    }

    // A session recorded from a lab node (tests/fixtures/remote/README.md) plays back.
    void realRecordingReplays()
    {
        auto rec = SessionRecording::load(std::string(PODPATH_FIXTURES) + "/remote/session_pplab-node1.json");
        QVERIFY2(rec.ok(), rec.ok() ? "" : rec.error().oneLine().c_str());
        QCOMPARE(rec->node.privilege, Privilege::SudoNoPassword);
        ReplayNodeShell shell(*rec);
        QCOMPARE(shell.run(RemoteCommand("hostname"), {})->out, std::string("pplab-node1\n"));
        QVERIFY(shell.run(RemoteCommand("iptables-save").flag("-c"), root())->out.find("cali-INPUT") != std::string::npos);
        std::string pcap;
        auto h = shell.stream(RemoteCommand("tcpdump").flag("-i").flag("any").flag("-U").flag("-w").flag("-").flag("-c")
                                  .arg(*Count::of(4)).flag("icmp"),
                              root(), [&](std::string_view c) { pcap.append(c); });
        QVERIFY(h->result().ok());
        QVERIFY(pcap.size() > 24);
        QCOMPARE(QByteArray::fromStdString(pcap.substr(0, 4)).toHex(), QByteArray("d4c3b2a1"));   // pcap, little-endian
        QVERIFY(h->result()->err.find("4 packets captured") != std::string::npos);
    }

    void replayStreamsToTheSink()
    {
        ReplayNodeShell shell(sample());
        std::string got;
        auto h = shell.stream(RemoteCommand("tcpdump").flag("-i").flag("any").flag("-w").flag("-"), root(),
                              [&](std::string_view c) { got.append(c); });
        QVERIFY(h->isFinished());
        QVERIFY(h->result().ok());
        QCOMPARE(got.size(), std::size_t(7));
        QCOMPARE(h->result()->outBytes, std::uint64_t(7));
        QVERIFY(h->result()->out.empty());
    }

    // A replay stops where a live run would: stdout beyond the command's bound is cut and
    // the command reads as stopped there (not as exited 0), for a read and for a stream.
    void replayHoldsTheLiveBound_data()
    {
        QTest::addColumn<bool>("streamed");
        QTest::addColumn<int>("recorded");
        QTest::addColumn<int>("bound");
        QTest::newRow("read within the bound") << false << 1000 << 4096;
        QTest::newRow("read beyond the bound") << false << 10000 << 4096;
        QTest::newRow("stream beyond the bound") << true << 200000 << 70000;
        QTest::newRow("stream at the bound") << true << 4096 << 4096;
    }
    void replayHoldsTheLiveBound()
    {
        QFETCH(bool, streamed);
        QFETCH(int, recorded);
        QFETCH(int, bound);
        SessionRecording s;
        s.node = {"root@node1", "root", 0, Privilege::Root};
        s.commands.push_back(rec("hostname", 0, std::string(std::size_t(recorded), 'x')));
        s.commands.back().result->err = std::string(2u << 20, 'e');
        ReplayNodeShell shell(s);
        RunOptions o;
        o.maxOutputBytes = std::size_t(bound);
        std::string got;
        auto h = streamed ? shell.stream(RemoteCommand("hostname"), o, [&](std::string_view c) { got.append(c); })
                          : shell.start(RemoteCommand("hostname"), o);
        QVERIFY(h->result().ok());
        const CommandResult r = *h->result();
        if (!streamed)
            got = r.out;
        const bool beyond = recorded > bound;
        QCOMPARE(got.size(), std::size_t(std::min(recorded, bound)));
        QCOMPARE(r.truncated, beyond);
        QCOMPARE(r.succeeded(), !beyond);
        QCOMPARE(r.err.size(), kMaxStderrBytes);
    }

    void recorderOverReplayReproducesTheRecording()
    {
        ReplayNodeShell inner(sample());
        RecordingNodeShell recorder(inner);
        (void)recorder.run(RemoteCommand("iptables-save").flag("-c"), root());
        (void)recorder.run(RemoteCommand("ip").flag("-o").flag("addr"), {});
        (void)recorder.stream(RemoteCommand("tcpdump").flag("-i").flag("any").flag("-w").flag("-"), root(), {});
        (void)recorder.run(RemoteCommand("sleep").arg(*Seconds::of(30)), {});
        SessionRecording out = recorder.recording();
        QCOMPARE(out.commands.size(), std::size_t(4));
        QCOMPARE(out.commands[0].result->out, std::string("first\n"));
        QVERIFY(out.commands[2].streamed);
        QCOMPARE(out.commands[2].result->out.size(), std::size_t(7));
        QVERIFY(out.commands[3].error.has_value());

        QTemporaryDir dir;
        const std::string file = dir.filePath("node1.json").toStdString();
        QVERIFY(recorder.save(file).ok());
        auto loaded = SessionRecording::load(file);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->commands.size(), std::size_t(4));
        QVERIFY(!SessionRecording::load(dir.filePath("missing.json").toStdString()).ok());
    }
};

QTEST_GUILESS_MAIN(TestSessionReplay)
#include "tst_session_replay.moc"
