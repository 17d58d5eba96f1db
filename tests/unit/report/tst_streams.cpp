// The two streams of echoes (the small burst and the full-size DF probe) judged apart and
// shown apart, over every recorded MTU fault and every healthy recording: a hop fails only
// where a stream was lost at it, the full-size check and the guide's step 4 read the MTU
// fault for what it is, and the terminal picture and the reports carry one lane or
// column per stream.

#include "diagnose/guide_steps.h"
#include "replayed.h"
#include "report/document_report.h"
#include "report/json_report.h"
#include "report/terminal_picture.h"

#include <QRegularExpression>
#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

namespace {

const GuideStep &step(std::string_view id)
{
    for (const auto &s : guideSteps())
        if (s.id == id)
            return s;
    qFatal("no step %s", std::string(id).c_str());
}

QString statusText(Status s) { return QString::fromLatin1(toString(s).data()); }
QString key(HopId h) { return QString::fromLatin1(hopInfo(h).key.data()); }

// The recordings of one fault in both modes: "mtu-too-small" -> ipip-..., vxlan-...
QStringList sessionsOf(const QString &fault)
{
    QStringList out;
    for (const QString &s : testing::recordedSessions())
        if (s.section('-', 1) == fault)
            out << s;
    return out;
}

// The picture's lane lines: "request   84 B ..." and the line after it, per direction.
QStringList laneLines(const QString &picture)
{
    QStringList out;
    const QStringList lines = picture.split('\n');
    for (int i = 0; i < lines.size(); ++i)
        if (lines[i].startsWith(QLatin1String("request ")) || lines[i].startsWith(QLatin1String("reply ")))
            out << lines[i] << lines.value(i + 1);
    return out;
}

} // namespace

class TestStreams : public QObject {
    Q_OBJECT

    // session, mtu fault?
    void sessions()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<bool>("mtu");
        const QStringList mtu = sessionsOf(QStringLiteral("mtu-too-small"));
        const QStringList healthy = sessionsOf(QStringLiteral("healthy"));
        QVERIFY(mtu.size() >= 2 && healthy.size() >= 2);
        for (const QString &s : mtu)
            QTest::newRow(qPrintable(s)) << s << true;
        for (const QString &s : healthy)
            QTest::newRow(qPrintable(s)) << s << false;
    }

private slots:
    void hops_data() { sessions(); }
    // Small echoes pass every hop both ways; the full-size probe fails where the captures
    // lost it and "did not reach" the hops after it, which pass on the small echoes.
    void hops()
    {
        QFETCH(QString, session);
        QFETCH(bool, mtu);
        const auto run = testing::replayed(session);
        QVERIFY(run);
        const Diagnosis &d = run->diagnosis;
        QVERIFY(d.verdict == (mtu ? Verdict::Fail : Verdict::Pass));
        QCOMPARE(d.firstFailingHop, mtu ? std::optional(HopId::RequestServerIngress) : std::nullopt);
        for (const auto &h : d.hops) {
            const bool breaks = mtu && h.id == HopId::RequestServerIngress;
            QCOMPARE(key(h.id) + "=" + statusText(h.status), key(h.id) + "=" + (breaks ? "fail" : "pass"));
            QCOMPARE(h.streams.size(), std::size_t(2));
            const StreamAtHop &small = h.streams[0], &big = h.streams[1];
            QCOMPARE(QString::fromStdString(small.stream), QString::fromLatin1(kBurstStream.data()));
            QCOMPARE(QString::fromStdString(big.stream), QString::fromLatin1(kFullSizeStream.data()));
            QCOMPARE(small.ipLength, 84u);
            QCOMPARE(big.ipLength, std::uint32_t(d.client.tunnelMtu));
            QCOMPARE(streamFate(small), StreamFate::Seen);
            QCOMPARE(small.seen, small.expected);
            const StreamFate want = !mtu || h.id < HopId::RequestServerIngress ? StreamFate::Seen
                                    : breaks                                   ? StreamFate::LostHere
                                                                               : StreamFate::NotReached;
            QCOMPARE(streamFate(big), want);
            // Not reaching a hop is no evidence there, for or against it.
            QCOMPARE(statusText(big.status), want == StreamFate::Seen       ? QStringLiteral("pass")
                                             : want == StreamFate::LostHere ? QStringLiteral("fail")
                                                                            : QStringLiteral("unknown"));
            if (want == StreamFate::NotReached) {
                QCOMPARE(big.expected, 0);
                QCOMPARE(big.seen, 0);
                QCOMPARE(big.lostEarlier, 5);
                QVERIFY2(QString::fromStdString(h.explanation).contains(QStringLiteral("did not reach this hop")),
                         h.explanation.c_str());
                QVERIFY2(QString::fromStdString(h.explanation).contains(QStringLiteral("server underlay in")),
                         h.explanation.c_str());
            }
        }
    }

    // The JSON carries each hop's streams apart, with counts that add up, over every
    // recording (faults included): per stream, what reached the hop was seen there or lost
    // there, what did not reach it was lost earlier, and the icmp_seq listed as missing
    // are as many as were lost here; the hop counts what its streams saw and every echo sent. What a
    // script reads back is what was judged.
    void jsonStreams_data()
    {
        QTest::addColumn<QString>("session");
        for (const QString &s : testing::recordedSessions())
            QTest::newRow(qPrintable(s)) << s;
    }
    void jsonStreams()
    {
        QFETCH(QString, session);
        const auto run = testing::replayed(session);
        QVERIFY(run);
        const Diagnosis &d = run->diagnosis;
        const QJsonObject json = report::toJson(d);
        const QJsonArray hops = json[QStringLiteral("hops")].toArray();
        QCOMPARE(hops.size(), qsizetype(d.hops.size()));
        std::size_t withStreams = 0;
        for (qsizetype i = 0; i < hops.size(); ++i) {
            const QJsonObject hop = hops[i].toObject();
            const HopVerdict &h = d.hops[std::size_t(i)];
            const QString where = session + " " + key(h.id);
            QCOMPARE(hop[QStringLiteral("id")].toString(), key(h.id));
            const QJsonArray streams = hop[QStringLiteral("streams")].toArray();
            QCOMPARE(streams.size(), qsizetype(h.streams.size()));
            withStreams += streams.isEmpty() ? 0 : 1;
            int seen = 0, expected = 0;
            for (qsizetype k = 0; k < streams.size(); ++k) {
                const QJsonObject s = streams[k].toObject();
                const StreamAtHop &judged = h.streams[std::size_t(k)];
                const QString name = s[QStringLiteral("stream")].toString();
                QVERIFY2(name == QLatin1String(kBurstStream.data()) || name == QLatin1String(kFullSizeStream.data()),
                         qPrintable(where + ": stream " + name));
                QCOMPARE(name, QString::fromStdString(judged.stream));
                const int sSeen = s[QStringLiteral("seen")].toInt(), sExpected = s[QStringLiteral("expected")].toInt();
                const int lostHere = s[QStringLiteral("lostHere")].toInt(), lostEarlier = s[QStringLiteral("lostEarlier")].toInt();
                QVERIFY2(sSeen >= 0 && lostHere >= 0 && lostEarlier >= 0, qPrintable(where));
                QVERIFY2(sSeen + lostHere == sExpected,
                         qPrintable(QStringLiteral("%1 %2: seen %3 + lost here %4 != expected %5")
                                        .arg(where, name).arg(sSeen).arg(lostHere).arg(sExpected)));
                QVERIFY2(s[QStringLiteral("missingHere")].toArray().size() == lostHere,
                         qPrintable(where + " " + name + ": missingHere does not list every echo lost here"));
                QCOMPARE(s[QStringLiteral("status")].toString(), statusText(judged.status));
                QCOMPARE(sSeen, judged.seen);
                QCOMPARE(sExpected, judged.expected);
                seen += sSeen;
                expected += sExpected + lostEarlier;  // the hop counts every echo sent (docs/json-schema.md)
            }
            if (!streams.isEmpty()) {
                QCOMPARE(hop[QStringLiteral("seen")].toInt(), seen);
                QCOMPARE(hop[QStringLiteral("expected")].toInt(), expected);
            }
        }
        // A diagnosis whose capture ran judges every hop per stream.
        if (d.client.hasTcpdump && d.server.hasTcpdump && d.verdict != Verdict::Error)
            QCOMPARE(withStreams, d.hops.size());
        // Read back, the streams are the same.
        const auto back = report::fromJson(report::toJsonBytes(d));
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        for (std::size_t i = 0; i < d.hops.size(); ++i) {
            QCOMPARE(back->hops[i].streams.size(), d.hops[i].streams.size());
            for (std::size_t k = 0; k < d.hops[i].streams.size(); ++k) {
                const StreamAtHop &a = d.hops[i].streams[k], &b = back->hops[i].streams[k];
                QVERIFY(a.stream == b.stream && a.ipLength == b.ipLength && a.status == b.status && a.seen == b.seen &&
                        a.expected == b.expected && a.lostHere == b.lostHere && a.lostEarlier == b.lostEarlier &&
                        a.missingHere == b.missingHere);
            }
        }
    }

    void checks_data() { sessions(); }
    // tunnel.ping counts the small echoes, tunnel.full-size the full-size ones against
    // them; the guide's step 4 judges both, so it fails on the MTU fault.
    void checks()
    {
        QFETCH(QString, session);
        QFETCH(bool, mtu);
        const auto run = testing::replayed(session);
        QVERIFY(run);
        const Diagnosis &d = run->diagnosis;
        QVERIFY(d.check("tunnel.ping"));
        QVERIFY(d.check("tunnel.ping")->status == Status::Pass);
        const CheckResult *full = d.check("tunnel.full-size");
        QVERIFY(full);
        QCOMPARE(statusText(full->status), mtu ? QStringLiteral("fail") : QStringLiteral("pass"));
        const QString detail = QString::fromStdString(full->detail);
        const QString size = QString::number(d.client.tunnelMtu);
        QVERIFY2(detail.startsWith(QStringLiteral("Full-size echoes of ") + size + QStringLiteral(" bytes with don't-fragment: ")),
                 qPrintable(detail));
        if (mtu) {
            QVERIFY2(detail.contains(QStringLiteral("0 of 5 answered")), qPrintable(detail));
            QVERIFY2(detail.contains(QStringLiteral("small echoes of 84 bytes: 5 of 5")), qPrintable(detail));
            QVERIFY2(detail.contains(QStringLiteral("Lost at server underlay in")), qPrintable(detail));
            // The size on the wire: the tunnel MTU plus the mode's encapsulation.
            const int overhead = d.mode == Encapsulation::Vxlan ? 50 : 20;
            QVERIFY2(detail.contains(QString::number(d.client.tunnelMtu + overhead) + QStringLiteral("-byte packets")),
                     qPrintable(detail));
        } else {
            QVERIFY2(detail.endsWith(QStringLiteral("5 of 5 answered")), qPrintable(detail));
        }
        QCOMPARE(statusText(stepStatus(step("tunnel-ping"), d)), mtu ? QStringLiteral("fail") : QStringLiteral("pass"));
        QCOMPARE(statusText(stepStatus(step("reply-path"), d)), QStringLiteral("pass"));

        // The guide's step 4 on its own, without captures: the pings alone say it.
        const auto staged = testing::replayed(session, {Stage::TunnelPing});
        QVERIFY(staged);
        QVERIFY(staged->diagnosis.check("tunnel.full-size")->status == (mtu ? Status::Fail : Status::Pass));
        QCOMPARE(statusText(stepStatus(step("tunnel-ping"), staged->diagnosis)),
                 mtu ? QStringLiteral("fail") : QStringLiteral("pass"));
        // Before the pings ran, neither check has a verdict.
        const auto before = testing::replayed(session, {Stage::Logs});
        QVERIFY(before);
        QVERIFY(before->diagnosis.check("tunnel.full-size")->status == Status::Skipped);
        for (const auto &h : before->diagnosis.hops)
            QVERIFY(h.streams.empty());
    }

    // The terminal picture fits the terminal it is printed on: at 80 and 100 columns every
    // line does (lanes with bare marks where the bracketed ones would not fit, details
    // folded), and the lanes say what the wide ones say, cell for cell. Every node and pod
    // recording.
    void terminalFitsItsWidth_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<int>("port");  // -1: a node recording
        QTest::addColumn<int>("width");
        for (int width : {80, 100}) {
            for (const QString &s : testing::recordedSessions())
                QTest::addRow("%s %d", qPrintable(s), width) << s << -1 << width;
            for (const QString &s : testing::recordedPodSessions())
                QTest::addRow("pods %s %d", qPrintable(s), width) << s << testing::recordedPodPort(s) << width;
        }
    }
    void terminalFitsItsWidth()
    {
        QFETCH(QString, session);
        QFETCH(int, port);
        QFETCH(int, width);
        const auto run = port < 0 ? testing::replayed(session) : testing::replayedPods(session, port);
        QVERIFY(run);
        const Diagnosis &d = run->diagnosis;
        const QString narrow = QString::fromStdString(report::renderTerminal(d, {false, width}));
        for (const QString &line : narrow.split(QLatin1Char('\n')))
            QVERIFY2(line.size() <= width, qPrintable(QString::number(line.size()) + ": " + line));
        // Cell for cell: the counts and marks of the lanes, in order, as the wide picture has them.
        static const QRegularExpression cellRx(QStringLiteral("(\\[ ok \\]|\\[FAIL\\]|\\[ -- \\]|\\[ \\?\\? \\]|\\[skip\\]|\\bok\\b|\\bFAIL\\b|--|\\?\\?|\\bskip\\b)( \\d+/\\d+)?"));
        auto cells = [&](const QString &picture) {
            QStringList out;
            const QStringList lines = picture.split(QLatin1Char('\n'));
            bool inLanes = false;
            for (const QString &l : lines) {
                if (l.startsWith(QLatin1String("verdict:")))
                    inLanes = true;
                else if (inLanes && l.trimmed().startsWith(QLatin1String("marks:")))
                    break;
                else if (inLanes)
                    for (auto it = cellRx.globalMatch(l); it.hasNext();) {
                        const auto m = it.next();
                        QString mark = m.captured(1);
                        mark.remove(QLatin1Char('[')).remove(QLatin1Char(']'));
                        out << mark.trimmed() + m.captured(2);
                    }
            }
            return out;
        };
        const QString wide = QString::fromStdString(report::renderTerminal(d, {false, 1000}));
        const QStringList wideCells = cells(wide), narrowCells = cells(narrow);
        QVERIFY(!wideCells.isEmpty());
        QCOMPARE(narrowCells, wideCells);
    }

    void terminalLanes_data() { sessions(); }
    // One lane per stream per direction, labelled by size, readable in 100 columns.
    void terminalLanes()
    {
        QFETCH(QString, session);
        QFETCH(bool, mtu);
        const auto run = testing::replayed(session);
        QVERIFY(run);
        const Diagnosis &d = run->diagnosis;
        const QString picture = QString::fromStdString(report::renderTerminal(d));
        const QStringList lanes = laneLines(picture);
        QCOMPARE(lanes.size(), 4);
        const QString big = QString::number(d.client.tunnelMtu) + QStringLiteral(" B DF");
        QVERIFY2(lanes[0].startsWith(QStringLiteral("request   84 B ")), qPrintable(lanes[0]));
        QVERIFY2(lanes[1].startsWith(QStringLiteral("          ") + big), qPrintable(lanes[1]));
        QVERIFY2(lanes[2].startsWith(QStringLiteral("reply     84 B ")), qPrintable(lanes[2]));
        QVERIFY2(lanes[3].startsWith(QStringLiteral("          ") + big), qPrintable(lanes[3]));
        for (const QString &l : lanes)
            QVERIFY2(l.size() <= 100, qPrintable(l));
        // Small echoes: seen at all four hops of each direction, arrows between them.
        for (int i : {0, 2}) {
            QCOMPARE(lanes[i].count(QStringLiteral("[ ok ] 5/5")), 4);
            QVERIFY(lanes[i].contains(i == 0 ? QStringLiteral(" >>> ") : QStringLiteral(" <<< ")));
        }
        if (mtu) {
            QCOMPARE(lanes[1].count(QStringLiteral("[ ok ] 5/5")), 2);
            QCOMPARE(lanes[1].count(QStringLiteral("[FAIL] 0/5")), 1);
            QCOMPARE(lanes[1].count(QStringLiteral("[ -- ]")), 1);
            QVERIFY(lanes[1].indexOf(QStringLiteral("[FAIL]")) < lanes[1].indexOf(QStringLiteral("[ -- ]")));
            QCOMPARE(lanes[3].count(QStringLiteral("[ -- ]")), 4);
            // The hop's line says per stream, by name, counts never mixed.
            // (Unfolded: a terminal as wide as the line.)
            const QString wide = QString::fromStdString(report::renderTerminal(d, {false, 1000}));
            QVERIFY2(wide.contains(QStringLiteral("[FAIL] server underlay in [request.server.ingress] (burst 5 of 5 seen; "
                                                  "full-size probe 0 of 5 seen, 5 lost here)")),
                     qPrintable(wide));
            QVERIFY(!picture.contains(QStringLiteral("/10")));
            QVERIFY(picture.contains(QStringLiteral("[FAIL] full-size tunnel ping [tunnel.full-size]")));
        } else {
            QCOMPARE(lanes[1].count(QStringLiteral("[ ok ] 5/5")), 4);
            QCOMPARE(lanes[3].count(QStringLiteral("[ ok ] 5/5")), 4);
        }
        // The legend names every mark the lanes use.
        for (const char *mark : {"[ ok ] seen", "[FAIL] lost here", "[ -- ] did not reach", "[ ?? ] no evidence", "[skip] not on this path"})
            QVERIFY2(picture.contains(QLatin1String(mark)), mark);
    }

    void reportColumns_data() { sessions(); }
    // The HTML and Markdown hop tables have a column per stream.
    void reportColumns()
    {
        QFETCH(QString, session);
        QFETCH(bool, mtu);
        const auto run = testing::replayed(session);
        QVERIFY(run);
        const Diagnosis &d = run->diagnosis;
        const QString big = QString::number(d.client.tunnelMtu) + QStringLiteral(" B DF");
        const QString md = QString::fromStdString(report::renderMarkdown(d));
        QVERIFY2(md.contains(QStringLiteral("| hop | status | burst (84 B) | full-size probe (") + big +
                             QStringLiteral(") | explanation |")),
                 qPrintable(md.left(3000)));
        const QString html = QString::fromStdString(report::renderHtml(d));
        QVERIFY(html.contains(QStringLiteral("<th>burst (84 B)</th><th>full-size probe (") + big + QStringLiteral(")</th>")));
        // The Markdown picture keeps both legend lines and the key to the stream labels;
        // the table says what its stream columns mean.
        QVERIFY(md.contains(QStringLiteral("[skip] not on this path\n")));
        QVERIFY(md.contains(QStringLiteral("streams: 84 B = the burst's echoes; ") + big + QStringLiteral(" = full-size probes")));
        QVERIFY(md.contains(QStringLiteral("## Hops\n\n84 B = the burst's echoes")));
        QVERIFY(html.contains(QStringLiteral("<h2>Hops</h2>\n<p>84 B = the burst&#39;s echoes")) ||
                html.contains(QStringLiteral("<h2>Hops</h2>\n<p>84 B = the burst's echoes")));
        if (mtu) {
            // Each cell accounts for all 5 of its stream: seen, lost here, or lost before.
            QVERIFY2(md.contains(QStringLiteral("| [ ok ] 5 of 5 seen | [FAIL] 0 of 5 seen, 5 lost here (icmp_seq 1, 2, 3, 4, 5) |")),
                     qPrintable(md.left(3000)));
            QVERIFY(md.contains(QStringLiteral("| [ ok ] 5 of 5 seen | [ -- ] did not reach: 5 lost before |")));
            QVERIFY(html.contains(QStringLiteral("<td class=\"skipped\">[ -- ] did not reach: 5 lost before</td>")));
        }
    }
};

QTEST_GUILESS_MAIN(TestStreams)
#include "tst_streams.moc"
