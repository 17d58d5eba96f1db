// A capture longer than PodPath keeps for --pcap: the file holds exactly the stream's
// first CaptureStream::kMaxRawBytes, the stream says it was cut, the sightings still
// come from all of it, the diagnosis carries the cut per node, and the pcap export
// says so in one line per cut file.

#include "diagnose/capture_stream.h"
#include "diagnose/engine.h"
#include "fixture_file.h"
#include "parse/pcap_stream_reader.h"
#include "remote/replay_node_shell.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;
using namespace podpath::remote;

namespace {

constexpr std::size_t kBound = CaptureStream::kMaxRawBytes;

// What CaptureStream runs with the default CaptureSpec (the recorded sessions hold the same line).
const std::string kTcpdump =
    "tcpdump -i any -n -U --immediate-mode -s 256 -c 20000 -w - icmp or ip proto 4 or udp port 4789";

// A LINUX_SLL2 pcap stream of `size` bytes: a real capture's header, then its records
// again and again (the last one cut where the size ends, as a stopped tcpdump leaves it).
std::string pcapStream(std::size_t size)
{
    const std::string capture = test::fixtureText(QStringLiteral("pcap/pc-ipip-any.pcap"));
    const std::string_view records = std::string_view(capture).substr(24);
    std::string out = capture.substr(0, 24);
    out.reserve(size + records.size());
    while (out.size() < size)
        out += records;
    out.resize(size);
    return out;
}

SessionRecording tcpdumpSending(std::string bytes)
{
    SessionRecording s;
    s.node = {"root@node1", "root", 0, Privilege::Root};
    RecordedCommand c;
    c.commandLine = kTcpdump;
    c.asRoot = true;
    c.streamed = true;
    CommandResult r;
    r.exitStatus = 0;
    r.cancelled = true;   // ended by PodPath's stop, as a live capture is
    r.out = std::move(bytes);
    r.err = "tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2)\n";
    c.result = std::move(r);
    s.commands.push_back(std::move(c));
    return s;
}

// The recorded stream handed over in other pieces than the replay's 64 KiB ones, which
// line up with the bound: big pieces, one of them across the bound, and small ones that
// would still fit behind it.
class Rechunked : public NodeShell {
public:
    explicit Rechunked(NodeShell &inner) : m_inner(inner) {}
    NodeInfo info() const override { return m_inner.info(); }
    CommandHandle start(const RemoteCommand &command, const RunOptions &options) override
    {
        return m_inner.start(command, options);
    }
    CommandHandle stream(const RemoteCommand &command, const RunOptions &options, ChunkSink sink) override
    {
        std::string all;
        auto handle = m_inner.stream(command, options, [&all](std::string_view chunk) { all += chunk; });
        bool big = true;
        for (std::string_view rest = all; !rest.empty(); big = !big) {
            const std::size_t n = std::min<std::size_t>(rest.size(), big ? 40000 : 17);
            sink(rest.substr(0, n));
            rest.remove_prefix(n);
        }
        return handle;
    }

private:
    NodeShell &m_inner;
};

std::uint64_t wholeRecords(const std::string &stream)
{
    parse::PcapStreamReader reader;
    std::vector<parse::CapturedPacket> packets;
    (void)reader.feed(stream, packets);
    return packets.size();
}

} // namespace

class TestCaptureStream : public QObject {
    Q_OBJECT
private slots:
    void keepsTheFirstBytesOnly_data()
    {
        QTest::addColumn<qlonglong>("size");
        QTest::addColumn<bool>("rechunk");
        QTest::addColumn<bool>("cut");
        QTest::newRow("a short capture") << qlonglong(100'000) << false << false;
        QTest::newRow("exactly the bound") << qlonglong(kBound) << false << false;
        QTest::newRow("one byte more") << qlonglong(kBound + 1) << false << true;
        QTest::newRow("more, in uneven pieces") << qlonglong(kBound + 300'000) << true << true;
    }
    void keepsTheFirstBytesOnly()
    {
        QFETCH(qlonglong, size);
        QFETCH(bool, rechunk);
        QFETCH(bool, cut);
        const std::string stream = pcapStream(std::size_t(size));
        ReplayNodeShell replay(tcpdumpSending(stream));
        Rechunked rechunked(replay);
        CommandLog log;
        NodeAccess node{rechunk ? static_cast<NodeShell &>(rechunked) : replay, NodeRole::Client, log};
        CaptureStream capture(node, CaptureSpec{}, {{4, "tunl0"}, {2, "eth0"}}, {});
        QVERIFY(capture.start().ok());
        const auto stopped = capture.stop(std::chrono::seconds(5));
        QVERIFY2(replay.unmatched().empty(), replay.unmatched().empty() ? "" : replay.unmatched().front().c_str());
        QVERIFY2(stopped.ok(), stopped.ok() ? "" : stopped.error().oneLine().c_str());

        QCOMPARE(capture.rawTruncated(), cut);
        QCOMPARE(capture.pcapBytes().size(), std::min<std::size_t>(stream.size(), kBound));
        QVERIFY(capture.pcapBytes() == std::string_view(stream).substr(0, kBound));
        // The bound is on the copy kept for the file, not on what is read.
        QCOMPARE(capture.packets(), wholeRecords(stream));
        QVERIFY(!capture.sightings().empty());
    }

    // What tcpdump said at its end decides whether a missing echo may be taken as lost
    // there: a capture that hit its limit, lost packets in the kernel or ran out of time
    // on the node says why it may lack some.
    void saysWhyItMayLackPackets_data()
    {
        QTest::addColumn<QString>("err");
        QTest::addColumn<int>("exitStatus");
        QTest::addColumn<int>("maxPackets");
        QTest::addColumn<bool>("stopped");     // ended by PodPath's stop, not on its own
        QTest::addColumn<QString>("because");  // empty: complete
        const QString listening = QStringLiteral("tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2)\n");
        QTest::newRow("complete") << listening + "40 packets captured\n40 packets received by filter\n0 packets dropped by kernel\n"
                                  << 0 << 20000 << true << "";
        QTest::newRow("kernel drops") << listening + "40 packets captured\n52 packets received by filter\n12 packets dropped by kernel\n"
                                      << 0 << 20000 << true << "lost 12 packets in the kernel";
        QTest::newRow("one kernel drop") << listening + "3 packets captured\n4 packets received by filter\n1 packet dropped by kernel\n"
                                         << 0 << 20000 << true << "lost 1 packet in the kernel";
        QTest::newRow("bound ran out") << listening << 124 << 20000 << false << "ended before it was stopped (its bound of 20 s";
        // BusyBox's `timeout` ends tcpdump with SIGTERM and passes on its exit status: 0.
        QTest::newRow("ended on its own, status 0")
            << listening + "40 packets captured\n40 packets received by filter\n0 packets dropped by kernel\n" << 0 << 20000
            << false << "ended before it was stopped";
        QTest::newRow("packet limit") << listening << 0 << 3 << false << "stopped at its limit of 3 packets";
    }
    void saysWhyItMayLackPackets()
    {
        QFETCH(QString, err);
        QFETCH(int, exitStatus);
        QFETCH(int, maxPackets);
        QFETCH(bool, stopped);
        QFETCH(QString, because);
        SessionRecording rec = tcpdumpSending(pcapStream(100'000));
        auto &c = rec.commands.front();
        c.result->err = err.toStdString();
        c.result->exitStatus = exitStatus;
        c.result->cancelled = stopped;
        c.commandLine = "tcpdump -i any -n -U --immediate-mode -s 256 -c " + std::to_string(maxPackets) +
                        " -w - icmp or ip proto 4 or udp port 4789";
        ReplayNodeShell replay(std::move(rec));
        CommandLog log;
        NodeAccess node{replay, NodeRole::Server, log};
        CaptureSpec spec;
        spec.maxPackets = std::uint32_t(maxPackets);
        CaptureStream capture(node, spec, {{4, "tunl0"}, {2, "eth0"}}, {});
        QVERIFY(capture.start().ok());
        (void)capture.stop(std::chrono::seconds(5));
        QVERIFY2(replay.unmatched().empty(), replay.unmatched().empty() ? "" : replay.unmatched().front().c_str());
        const QString got = QString::fromStdString(capture.incompleteBecause());
        if (because.isEmpty())
            QVERIFY2(got.isEmpty(), qPrintable(got));
        else
            QVERIFY2(got.startsWith(because), qPrintable(got));
    }

    // A recorded healthy diagnosis whose client capture also carried 32 MiB of other
    // traffic (TCP the filter would not pass, so the judgement stays the same).
    void diagnosisCarriesTheCut()
    {
        const QString dir = QStringLiteral(PODPATH_FIXTURES "/sessions/ipip-healthy/");
        auto client = ReplayNodeShell::loadRecording((dir + "client.json").toStdString());
        auto server = ReplayNodeShell::loadRecording((dir + "server.json").toStdString());
        QVERIFY(client.ok() && server.ok());
        const std::string tcp = test::fixtureText(QStringLiteral("pcap/td-tcp-any.pcap")).substr(24);
        for (auto &c : client->commands)
            if (c.streamed && c.result)
                while (c.result->out.size() <= kBound)
                    c.result->out += tcp;
        ReplayNodeShell c(std::move(client).value()), s(std::move(server).value());
        DiagnosisEngine engine({"root@198.51.100.11", &c}, {"root@198.51.100.12", &s});
        const DiagnosisRun run = engine.run();
        QCOMPARE(run.diagnosis.exitStatus(), 0);
        QVERIFY(run.diagnosis.client.pcapTruncated);
        QVERIFY(!run.diagnosis.server.pcapTruncated);
        QCOMPARE(run.captures.size(), std::size_t(2));
        QCOMPARE(run.captures.front().pcap.size(), kBound);
        const auto files = pcapFiles(run);
        QCOMPARE(files.size(), std::size_t(2));
        QCOMPARE(files[0].note, std::string("client.pcap holds the first 32 MiB of the capture: tcpdump captured more"));
        QVERIFY(files[1].note.empty());
    }

    // One file per capture, named by node and, for captures per interface (tcpdump before
    // 4.99), by interface; the one that was cut says so; a capture with no bytes has none.
    void exportSaysWhichFileWasCut()
    {
        DiagnosisRun run;
        run.captures.push_back({NodeRole::Client, "any", "client bytes", false});
        run.captures.push_back({NodeRole::Server, "any", "server bytes", true});
        auto files = pcapFiles(run);
        QCOMPARE(files.size(), std::size_t(2));
        QCOMPARE(files[0].name, std::string("client.pcap"));
        QCOMPARE(*files[0].bytes, std::string("client bytes"));
        QVERIFY(files[0].note.empty());
        QCOMPARE(files[1].name, std::string("server.pcap"));
        QCOMPARE(*files[1].bytes, std::string("server bytes"));
        QCOMPARE(files[1].note, std::string("server.pcap holds the first 32 MiB of the capture: tcpdump captured more"));

        // A node that captured nothing gets no file.
        run.captures.front().pcap.clear();
        QCOMPARE(pcapFiles(run).size(), std::size_t(1));
        QCOMPARE(pcapFiles(run).front().name, std::string("server.pcap"));
    }

    void oneFilePerInterfaceOnOldTcpdump()
    {
        DiagnosisRun run;
        run.captures.push_back({NodeRole::Client, "tunl0", "t", false});
        run.captures.push_back({NodeRole::Client, "eth0", "e", false});
        run.captures.push_back({NodeRole::Server, "vxlan.calico", "v", false});
        run.captures.push_back({NodeRole::Server, "eth0", "e2", false});
        QStringList names;
        for (const auto &f : pcapFiles(run))
            names << QString::fromStdString(f.name);
        QCOMPARE(names, QStringList({"client-tunl0.pcap", "client-eth0.pcap", "server-vxlan.calico.pcap", "server-eth0.pcap"}));
    }
};

QTEST_GUILESS_MAIN(TestCaptureStream)
#include "tst_capture_stream.moc"
