// The evidence views around the path diagram (round-trip plot, hop activity plot,
// firewall counter plot, log view, findings list), drawn from real diagnoses: the
// engine run over the recorded lab sessions. Each test checks what the widget shows.

#include "replayed.h"

#include "counter_delta_plot.h"
#include "echo_rtt_plot.h"
#include "evidence_style.h"
#include "findings_list.h"
#include "hop_activity_plot.h"
#include "log_table_model.h"
#include "log_view.h"
#include "parse/calico_log.h"
#include "parse/log_time.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QSignalSpy>
#include <QTableView>
#include <QTreeWidget>
#include <QRegularExpression>
#include <QtTest>
#include <limits>
#include <map>
#include <qcustomplot.h>

using namespace podpath;
using namespace podpath::widgets;
using diagnose::HopId;

namespace {

const diagnose::Diagnosis &diagnosisOf(const QString &session)
{
    static std::map<QString, diagnose::Diagnosis> cache;
    auto it = cache.find(session);
    if (it == cache.end()) {
        auto run = testing::replayed(session);
        if (!run)
            qFatal("cannot load the recorded session %s", qPrintable(session));
        it = cache.emplace(session, run->diagnosis).first;
    }
    return it->second;
}

// Sessions whose pictures a person looks at: healthy, and faults of each kind of picture.
const QStringList kScreenshotSessions = {QStringLiteral("ipip-healthy"), QStringLiteral("ipip-ipset-missing-client"),
                                         QStringLiteral("vxlan-mtu-too-small"), QStringLiteral("vxlan-tcpdump-missing")};

QPalette darkPalette()
{
    QPalette p;
    const QColor text(0xe8, 0xe8, 0xe8);
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2a, 0x2a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    return p;
}

void screenshot(QWidget &w, const QString &widget, const QString &session)
{
    if (!kScreenshotSessions.contains(session))
        return;
    QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
    for (bool dark : {false, true}) {
        const QPalette keep = w.palette();
        if (dark)
            w.setPalette(darkPalette());
        const QString name = QStringLiteral(PODPATH_SCREENSHOTS "/evidence-%1-%2%3.png")
                                 .arg(widget, session, dark ? QStringLiteral("-dark") : QString());
        QVERIFY2(w.grab().save(name), qPrintable(name));
        if (dark)
            w.setPalette(keep);
    }
}

void sessionsTable()
{
    QTest::addColumn<QString>("session");
    for (const QString &s : testing::recordedSessions())
        QTest::newRow(qPrintable(s)) << s;
}

QVector<QCPGraph *> graphsNamed(QCustomPlot *p, const QString &prefix)
{
    QVector<QCPGraph *> out;
    for (int i = 0; i < p->graphCount(); ++i)
        if (p->graph(i)->objectName().startsWith(prefix))
            out << p->graph(i);
    return out;
}

template <typename T> T *itemNamed(QCustomPlot *p, const QString &name)
{
    for (int i = 0; i < p->itemCount(); ++i)
        if (p->item(i)->objectName() == name)
            return qobject_cast<T *>(p->item(i));
    return nullptr;
}

QStringList tickLabels(QCPAxis *axis)
{
    auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
    return ticker ? QStringList(ticker->ticks().values()) : QStringList();
}

// Real log lines from tests/fixtures/logs (felix warnings from calico#9687, a felix
// ERROR from calicoctl#1598), added to a diagnosis as the engine adds what it reads
// (diagnose/engine.cpp addLogs), with the finding diagnose/log_checks.cpp makes of them.
// No recorded lab session has log errors: the lab's Calico logs are clean.
diagnose::Diagnosis withLogErrors(diagnose::Diagnosis d)
{
    for (const char *file : {"felix_route_errors_9687.log", "felix_syslog_error_1598.log"}) {
        QFile f(QStringLiteral(PODPATH_FIXTURES "/logs/") + QLatin1String(file));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("fixture %s missing", file);
        const QByteArray bytes = f.readAll();
        auto log = parse::parseCalicoLog(std::string_view(bytes.constData(), std::size_t(bytes.size())));
        if (!log.ok())
            qFatal("fixture %s unreadable", file);
        std::vector<std::string> errors;
        for (const auto &e : log.value().entries) {
            diagnose::LogLine l;
            l.node = "server";
            l.source = "felix";
            l.location = std::string("tests/fixtures/logs/") + file;
            l.line = e.line;
            l.time = e.time ? e.time->text : "";
            if (e.time)
                l.timeMicros = e.time->micros;
            l.level = std::string(parse::toString(e.level));
            l.text = e.raw;
            l.recent = true;
            if (e.level >= parse::LogLevel::Error)
                errors.push_back("felix: " + e.raw);
            d.logs.push_back(l);
        }
        if (!errors.empty())
            d.findings.push_back({"CALICO_LOG_ERRORS", diagnose::Severity::Warning, "logs.server",
                                  "pplab-node2: 1 error line(s) from Calico components in the window", errors,
                                  "read them in context on pplab-node2"});
    }
    return d;
}

int countLevel(const diagnose::Diagnosis &d, int minimumRank)
{
    return int(std::count_if(d.logs.begin(), d.logs.end(), [&](const diagnose::LogLine &l) {
        return LogTableModel::levelRank(QString::fromStdString(l.level)) >= minimumRank;
    }));
}

} // namespace

class TestEvidenceViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();

    void rttPlot_data() { sessionsTable(); }
    void rttPlot();
    void hopPlot_data() { sessionsTable(); }
    void hopPlot();
    void counterPlot_data() { sessionsTable(); }
    void counterPlot();
    void counterPlotKeepsDropsBeyondTheLimit();
    void ruleLabels_data();
    void ruleLabels();
    void logView_data() { sessionsTable(); }
    void logView();
    void logTimeline_data();
    void logTimeline();
    void logViewShowLineClearsOnlyWhatHidesIt();
    void findings_data();
    void findings();
    void findingCitingALogLineShowsIt();
    void rttPlotDualStack_data();
    void rttPlotDualStack();
    void plotsFollowThePalette();
};

void TestEvidenceViews::initTestCase()
{
    QVERIFY(testing::recordedSessions().size() >= 12);
}

void TestEvidenceViews::rttPlot()
{
    QFETCH(QString, session);
    const auto &d = diagnosisOf(session);
    EchoRttPlot w;
    w.resize(900, 520);
    w.setDiagnosis(d);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    screenshot(w, QStringLiteral("rtt"), session);
    QVERIFY(!w.accessibleName().isEmpty());

    if (d.echoes.empty()) {
        QVERIFY(w.isShowingEmptyState());
        QVERIFY2(w.emptyStateText().startsWith(QStringLiteral("No echoes were sent: ")), qPrintable(w.emptyStateText()));
        QVERIFY(w.emptyStateText().contains(QString::fromStdString(d.error.empty() ? d.check("tunnel.ping")->detail : d.error)));
        return;
    }
    QVERIFY(!w.isShowingEmptyState());
    const int lost = int(std::count_if(d.echoes.begin(), d.echoes.end(), [](const auto &e) { return !e.rttMs; }));
    int markers = 0;
    const EvidenceColors colors = EvidenceColors::from(w.palette());
    for (QCPGraph *g : graphsNamed(w.plot(), QStringLiteral("lost:"))) {
        markers += g->dataCount();
        QCOMPARE(g->scatterStyle().shape(), QCPScatterStyle::ssCross);
        QCOMPARE(g->scatterStyle().pen().color(), colors.loss);
        QCOMPARE(g->valueAxis()->axisRect(), w.lostLane());
    }
    QCOMPARE(markers, lost);
    QCOMPARE(itemNamed<QCPItemText>(w.plot(), QStringLiteral("noneLost")) != nullptr, lost == 0);
    QCOMPARE(itemNamed<QCPItemText>(w.plot(), QStringLiteral("noReplyAtAll")) != nullptr, lost == int(d.echoes.size()));

    // One graph per stream with a point for each reply at its sequence, and the axes say what they are.
    const auto rtt = graphsNamed(w.plot(), QStringLiteral("rtt:"));
    QCOMPARE(rtt.size(), w.streams().size());
    QCOMPARE(w.streams(), (QStringList{QStringLiteral("burst"), QStringLiteral("full-size probe")}));
    for (QCPGraph *g : rtt) {
        const QString stream = g->objectName().mid(4);
        int replies = 0;
        for (const auto &e : d.echoes)
            if (QString::fromStdString(e.stream) == stream && e.rttMs) {
                ++replies;
                bool found = false;
                for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
                    found |= it->key == e.seq && qFuzzyCompare(it->value, *e.rttMs);
                QVERIFY2(found, qPrintable(QStringLiteral("%1 seq %2").arg(stream).arg(e.seq)));
            }
        QCOMPARE(g->name(), replies == 0 ? stream + QStringLiteral(" (no reply)") : stream);
        QCOMPARE(g->valueAxis()->label(), QStringLiteral("round trip (ms)"));
    }
    QCOMPARE(w.lostLane()->axis(QCPAxis::atBottom)->label(), QStringLiteral("echo sequence number (icmp_seq)"));
    QVERIFY(w.summary().contains(QStringLiteral("%1 lost").arg(lost)));
}

// A dual-stack pair (tests/fixtures/dataplane-sessions): the IPv6 burst is a stream of
// its own beside the IPv4 ones, in its own colour and shape; its losses in the lost lane.
void TestEvidenceViews::rttPlotDualStack_data()
{
    QTest::addColumn<QString>("session");
    QTest::addColumn<int>("ipv6Replies");
    QTest::newRow("healthy") << "dual-stack-vxlan-healthy" << 5;
    QTest::newRow("the underlay drops VXLAN over IPv6") << "dual-stack-vxlan6-ipv6-underlay-drops" << 0;
}

void TestEvidenceViews::rttPlotDualStack()
{
    QFETCH(QString, session);
    QFETCH(int, ipv6Replies);
    const auto run = testing::replayedDataplane(session);
    QVERIFY(run);
    EchoRttPlot w;
    w.resize(900, 520);
    w.setDiagnosis(run->diagnosis);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.streams(), (QStringList{QStringLiteral("burst"), QStringLiteral("IPv6 burst"), QStringLiteral("full-size probe")}));
    QCPGraph *v6 = nullptr;
    for (QCPGraph *g : graphsNamed(w.plot(), QStringLiteral("rtt:")))
        if (g->objectName() == QLatin1String("rtt:IPv6 burst"))
            v6 = g;
    QVERIFY(v6);
    int replies = 0;  // a lost echo is a gap (NaN) in its stream's line
    for (auto it = v6->data()->constBegin(); it != v6->data()->constEnd(); ++it)
        replies += !std::isnan(it->value);
    QCOMPARE(replies, ipv6Replies);
    QCOMPARE(v6->name(), ipv6Replies ? QStringLiteral("IPv6 burst") : QStringLiteral("IPv6 burst (no reply)"));
    QCOMPARE(v6->scatterStyle().shape(), QCPScatterStyle::ssTriangle);
    QVERIFY(v6->scatterStyle().pen().color() != streamColor(QStringLiteral("burst"), w.palette()));
    QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
    QVERIFY(w.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/evidence-rtt-%1.png").arg(session)));
}

void TestEvidenceViews::hopPlot()
{
    QFETCH(QString, session);
    const auto &d = diagnosisOf(session);
    HopActivityPlot w;
    w.resize(900, 600);
    w.setDiagnosis(d);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    screenshot(w, QStringLiteral("hops"), session);

    if (d.sightings.empty() && d.hop(HopId::RequestClientTunnel).expected == 0) {
        QVERIFY(w.isShowingEmptyState());
        QVERIFY2(w.emptyStateText().startsWith(QStringLiteral("No packets were captured at any hop: ")),
                 qPrintable(w.emptyStateText()));
        return;
    }
    QVERIFY(!w.isShowingEmptyState());
    for (const auto &info : diagnose::kHops) {
        const auto &hop = d.hop(info.id);
        const QString key = QString::fromUtf8(info.key.data(), qsizetype(info.key.size()));
        // Marks in the hop's row: exactly the sightings at that hop.
        int marks = 0;
        for (QCPGraph *g : graphsNamed(w.plot(), QStringLiteral("seen:")))
            if (g->valueAxis()->axisRect() == w.laneOf(info.id))
                for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
                    marks += qRound(it->value) == int(HopActivityPlot::rowOf(info.id)) ? 1 : 0;
        const int sightings = int(std::count_if(d.sightings.begin(), d.sightings.end(), [&](const auto &s) { return s.hop == info.id; }));
        QCOMPARE(marks, sightings);
        // Row labels in path order, the first failing hop pointed at.
        const QStringList left = tickLabels(w.laneOf(info.id)->axis(QCPAxis::atLeft));
        const QString label = left.value(int(HopActivityPlot::rowOf(info.id)));
        QVERIFY2(label.endsWith(QStringLiteral("%1. %2").arg(int(info.id) + 1).arg(QString::fromUtf8(info.title.data(), qsizetype(info.title.size())))),
                 qPrintable(label));
        QCOMPARE(label.startsWith(QStringLiteral("▶")), d.firstFailingHop == info.id);
        // An empty row that should have had echoes says so, in the loss colour.
        auto *nothing = itemNamed<QCPItemText>(w.plot(), QStringLiteral("nothingSeen:") + key);
        QCOMPARE(nothing != nullptr, hop.expected > 0 && hop.seen == 0);
        if (nothing) {
            QVERIFY(nothing->text().contains(QStringLiteral("nothing seen")));
            QCOMPARE(nothing->color(), EvidenceColors::from(w.palette()).loss);
            QCOMPARE(nothing->text().contains(QStringLiteral("stop here")), d.firstFailingHop == info.id);
        }
        QCOMPARE(itemNamed<QCPItemRect>(w.plot(), QStringLiteral("band:") + key) != nullptr, hop.seen < hop.expected);
    }
    // The echoes stop at the failing hop: when nothing reached it, no mark at or after it.
    if (d.firstFailingHop && d.hop(*d.firstFailingHop).seen == 0)
        for (const auto &s : d.sightings)
            QVERIFY(int(s.hop) < int(*d.firstFailingHop));
    auto *verdict = qobject_cast<QCPTextElement *>(w.plot()->plotLayout()->element(2, 0));
    QVERIFY(verdict);
    if (d.firstFailingHop)
        QCOMPARE(verdict->text(), QStringLiteral("The echoes stop at hop %1: %2")
                                      .arg(int(*d.firstFailingHop) + 1)
                                      .arg(QString::fromUtf8(diagnose::hopInfo(*d.firstFailingHop).title.data())));
    else
        QCOMPARE(verdict->text(), QStringLiteral("Every hop saw its echoes"));
}

void TestEvidenceViews::counterPlot()
{
    QFETCH(QString, session);
    const auto &d = diagnosisOf(session);
    CounterDeltaPlot w;
    w.resize(900, 520);
    w.setDiagnosis(d);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    screenshot(w, QStringLiteral("counters"), session);

    if (d.counterChanges.empty()) {
        QVERIFY(w.isShowingEmptyState());
        QVERIFY2(w.emptyStateText().startsWith(d.error.empty() ? QStringLiteral("No firewall rule counted packets during the burst")
                                                               : QStringLiteral("No firewall counters were read: ")),
                 qPrintable(w.emptyStateText()));
        return;
    }
    const int drops = int(std::count_if(d.counterChanges.begin(), d.counterChanges.end(), [](const auto &c) { return c.drops; }));
    const auto &bars = w.bars();
    QCOMPARE(bars.size(), std::min<int>(int(d.counterChanges.size()), std::max(CounterDeltaPlot::kMaxBars, drops)));
    QCOMPARE(w.hiddenRuleCount(), int(d.counterChanges.size()) - bars.size());
    QCOMPARE(int(std::count_if(bars.begin(), bars.end(), [](const auto &b) { return b.drops; })), drops);
    // Grouped by node: every client bar above every server bar.
    for (int i = 1; i < bars.size(); ++i)
        QVERIFY(!(bars[i - 1].node == QLatin1String("server") && bars[i].node == QLatin1String("client")));

    // DROP bars: their own bars object, red fill plus hatch, "DROP n" at the end.
    auto *dropFill = qobject_cast<QCPBars *>(w.plot()->plottable(1));
    auto *dropHatch = qobject_cast<QCPBars *>(w.plot()->plottable(2));
    QVERIFY(dropFill && dropHatch);
    QCOMPARE(dropFill->objectName(), QStringLiteral("drops"));
    QCOMPARE(dropFill->dataCount(), drops);
    QCOMPARE(dropHatch->brush().style(), Qt::BDiagPattern);
    QCOMPARE(dropHatch->brush().color(), EvidenceColors::from(w.palette()).loss);
    for (const auto &b : bars) {
        auto *count = itemNamed<QCPItemText>(w.plot(), QStringLiteral("count:%1").arg(b.row));
        QVERIFY(count);
        QCOMPARE(count->text(), b.drops ? QStringLiteral("DROP  %1").arg(b.packets) : QString::number(b.packets));
    }
    const QStringList labels = tickLabels(w.plot()->axisRect()->axis(QCPAxis::atLeft));
    auto *subtitle = qobject_cast<QCPTextElement *>(w.plot()->plotLayout()->element(1, 0));
    QVERIFY(subtitle);
    QCOMPARE(subtitle->text().startsWith(QStringLiteral("No DROP or REJECT")), drops == 0);

    if (session == QLatin1String("ipip-ipset-missing-client") || session == QLatin1String("ipip-source-address-wrong")) {
        // The server's Calico rule drops IPIP from hosts outside its hosts set: the client.
        QCOMPARE(drops, 1);
        const auto &drop = bars.front().node == QLatin1String("server") ? bars.front()
                                                                        : *std::find_if(bars.begin(), bars.end(), [](const auto &b) { return b.drops; });
        QCOMPARE(drop.node, QStringLiteral("server"));
        QCOMPARE(drop.label, QStringLiteral("cali-INPUT #2: Drop IPIP packets from non-Calico hosts"));
        QCOMPARE(drop.packets, 10u);
        QVERIFY(labels.contains(drop.label));
        QVERIFY(drop.toolTip.contains(QStringLiteral("-m comment --comment \"Drop IPIP packets from non-Calico hosts\" -j DROP")));
        // Hovering the bar (or its label) shows the full rule.
        QCPAxis *key = w.plot()->axisRect()->axis(QCPAxis::atLeft);
        const QPoint onBar(w.plot()->axisRect()->left() + 5, int(key->coordToPixel(drop.row)));
        QCOMPARE(w.toolTipAt(onBar), drop.toolTip);
        QCOMPARE(w.toolTipAt(QPoint(onBar.x(), int(key->coordToPixel(drop.row - 0.5)))), QString());
    }
    if (session.endsWith(QLatin1String("healthy")))
        QCOMPARE(drops, 0);
}

void TestEvidenceViews::counterPlotKeepsDropsBeyondTheLimit()
{
    diagnose::Diagnosis d;
    for (int i = 0; i < 20; ++i) {
        diagnose::RuleCounterChange c;
        c.node = i % 2 ? "server" : "client";
        c.table = "filter";
        c.chain = "INPUT";
        c.position = i + 1;
        c.target = "ACCEPT";
        c.rule = "-j ACCEPT";
        c.packets = std::uint64_t(100 + i);
        d.counterChanges.push_back(c);
    }
    for (int i = 0; i < 14; ++i) {
        diagnose::RuleCounterChange c;
        c.node = "server";
        c.table = "filter";
        c.chain = "cali-INPUT";
        c.position = 30 + i;
        c.target = "DROP";
        c.rule = "-j DROP";
        c.packets = 1;
        c.drops = true;
        d.counterChanges.push_back(c);
    }
    CounterDeltaPlot w;
    w.setDiagnosis(d);
    QCOMPARE(w.bars().size(), 14);  // every DROP, even past the limit of 12
    QCOMPARE(w.hiddenRuleCount(), 20);
    d.counterChanges.resize(22);  // 20 accepting rules + 2 DROPs
    w.setDiagnosis(d);
    QCOMPARE(w.bars().size(), CounterDeltaPlot::kMaxBars);
    QCOMPARE(int(std::count_if(w.bars().begin(), w.bars().end(), [](const auto &b) { return b.drops; })), 2);
    // The busiest accepting rules are the ones kept.
    for (const auto &b : w.bars())
        QVERIFY(b.drops || b.packets >= 110);
}

void TestEvidenceViews::ruleLabels_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("chain");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("comment");
    QTest::addColumn<QString>("label");
    QTest::newRow("policy") << "filter" << "INPUT" << 0 << "ACCEPT" << "" << "INPUT policy: ACCEPT";
    QTest::newRow("calico hash only") << "filter" << "INPUT" << 1 << "cali-INPUT" << "cali:Cz_u1IQiXIMmKD4c"
                                      << "INPUT #1: → cali-INPUT";
    QTest::newRow("calico hash and words") << "filter" << "cali-INPUT" << 2 << "DROP"
                                           << "cali:_wjq-Yrma8Ly1Svo; Drop IPIP packets from non-Calico hosts"
                                           << "cali-INPUT #2: Drop IPIP packets from non-Calico hosts";
    QTest::newRow("other table") << "raw" << "PREROUTING" << 3 << "MARK" << "" << "raw/PREROUTING #3: → MARK";
    QTest::newRow("host firewall comment") << "filter" << "INPUT" << 4 << "DROP" << "block vxlan" << "INPUT #4: block vxlan";
}

void TestEvidenceViews::ruleLabels()
{
    QFETCH(QString, table);
    QFETCH(QString, chain);
    QFETCH(int, position);
    QFETCH(QString, target);
    QFETCH(QString, comment);
    QFETCH(QString, label);
    diagnose::RuleCounterChange c;
    c.table = table.toStdString();
    c.chain = chain.toStdString();
    c.position = position;
    c.target = target.toStdString();
    c.comment = comment.toStdString();
    QCOMPARE(ruleLabel(c), label);
}

void TestEvidenceViews::logView()
{
    QFETCH(QString, session);
    const auto &recorded = diagnosisOf(session);
    LogView w;
    w.resize(1100, 520);
    w.setDiagnosis(recorded);
    QCOMPARE(w.model()->rowCount(), int(recorded.logs.size()));
    QCOMPARE(w.isShowingEmptyState(), recorded.logs.empty());
    if (recorded.logs.empty()) {
        QVERIFY(w.emptyStateText().startsWith(QStringLiteral("No log lines were read from the nodes.")));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        screenshot(w, QStringLiteral("logs"), session);
        return;
    }

    const auto d = session.endsWith(QLatin1String("healthy")) ? recorded : withLogErrors(recorded);
    w.setDiagnosis(d);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.visibleLineCount(), int(d.logs.size()));

    // Minimum level ERROR: only the errors are left.
    const int errorRank = LogTableModel::levelRank(QStringLiteral("ERROR"));
    w.setMinimumLevel(QStringLiteral("ERROR"));
    QCOMPARE(w.visibleLineCount(), countLevel(d, errorRank));
    for (int r = 0; r < w.visibleLineCount(); ++r)
        QVERIFY(w.proxy()->index(r, LogTableModel::LevelColumn).data(LogTableModel::LevelRankRole).toInt() >= errorRank);
    w.setMinimumLevel(QStringLiteral("WARNING"));
    QCOMPARE(w.visibleLineCount(), countLevel(d, LogTableModel::levelRank(QStringLiteral("WARNING"))));
    w.clearFilters();

    // Node and source filters, and text (case-insensitive).
    w.setNodeFilter(QStringLiteral("client"));
    QCOMPARE(w.visibleLineCount(), int(std::count_if(d.logs.begin(), d.logs.end(), [](const auto &l) { return l.node == "client"; })));
    w.setSourceFilter(QStringLiteral("felix"));
    QCOMPARE(w.visibleLineCount(), int(std::count_if(d.logs.begin(), d.logs.end(), [](const auto &l) {
                 return l.node == "client" && l.source == "felix";
             })));
    w.clearFilters();
    w.setTextFilter(QStringLiteral("FELIX STARTING UP"));
    QCOMPARE(w.visibleLineCount(), int(std::count_if(d.logs.begin(), d.logs.end(), [](const auto &l) {
                 return QString::fromStdString(l.text).contains(QStringLiteral("felix starting up"), Qt::CaseInsensitive);
             })));
    w.clearFilters();
    w.setOnlyRecent(true);
    QCOMPARE(w.visibleLineCount(), int(std::count_if(d.logs.begin(), d.logs.end(), [](const auto &l) { return l.recent; })));
    w.clearFilters();

    // Errors and warnings are marked by icon, bold text and a tinted row; others are not.
    const EvidenceColors colors = EvidenceColors::from(w.palette());
    for (int r = 0; r < w.model()->rowCount(); ++r) {
        const QString level = QString::fromStdString(d.logs[std::size_t(r)].level);
        const QModelIndex levelCell = w.model()->index(r, LogTableModel::LevelColumn);
        const QModelIndex textCell = w.model()->index(r, LogTableModel::TextColumn);
        // The line without the time the Time column already shows; the raw line in full behind it.
        const auto &line = d.logs[std::size_t(r)];
        QVERIFY(QString::fromStdString(line.text).endsWith(textCell.data().toString()));
        QCOMPARE(textCell.data(LogTableModel::RawTextRole).toString(), QString::fromStdString(line.text));
        QVERIFY(textCell.data(Qt::ToolTipRole).toString().contains(QString::fromStdString(line.text)));
        QCOMPARE(w.model()->index(r, LogTableModel::TimeColumn).data().toString(),
                 line.timeMicros ? QString::fromStdString(parse::formatTimestamp(*line.timeMicros)) : LogTableModel::noTimeText());
        const bool marked = level == QLatin1String("ERROR") || level == QLatin1String("WARNING") ||
                            level == QLatin1String("FATAL") || level == QLatin1String("PANIC");
        QCOMPARE(levelCell.data(Qt::DecorationRole).isValid(), marked);
        QCOMPARE(textCell.data(Qt::FontRole).value<QFont>().bold(), marked);
        if (marked)
            QCOMPARE(textCell.data(Qt::BackgroundRole).value<QColor>(),
                     level == QLatin1String("WARNING") ? colors.warningTint : colors.lossTint);
    }

    // showLine: the line a log finding cites gets selected, wherever the filters were.
    const auto cited = std::find_if(d.logs.begin(), d.logs.end(), [](const auto &l) { return l.level == "ERROR"; });
    if (cited != d.logs.end()) {
        w.setMinimumLevel(QStringLiteral("WARNING"));
        screenshot(w, QStringLiteral("logs-warnings"), session);
        w.setMinimumLevel(QStringLiteral("ERROR"));
        // Filtered to the other node: showing the line lifts that filter.
        w.setNodeFilter(cited->node == "client" ? QStringLiteral("server") : QStringLiteral("client"));
        QVERIFY(w.showLine(QString::fromStdString(cited->node), QString::fromStdString(cited->source),
                           QString::fromStdString(cited->text)));
        QCOMPARE(w.selectedLine(), int(cited - d.logs.begin()));
        QCOMPARE(w.proxy()->node(), QString());
        QCOMPARE(w.proxy()->minimumLevel(), errorRank);  // did not hide it: left alone
        w.clearFilters();
    }
    const auto &some = d.logs[d.logs.size() / 2];
    QVERIFY(w.showLine(QString::fromStdString(some.node), QString::fromStdString(some.source), QString::fromStdString(some.text)));
    QCOMPARE(int(std::distance(d.logs.data(), &some)) >= w.selectedLine(), true);
    QCOMPARE(w.model()->lines()[std::size_t(w.selectedLine())].text, some.text);
    QVERIFY(!w.showLine(QStringLiteral("server"), QString(), QStringLiteral("no line says this 8c1f0e")));
    w.table()->scrollToTop();
    w.clearFilters();
    screenshot(w, QStringLiteral("logs"), session);
}

// One timeline over both nodes and every source: every line of the diagnosis is a row,
// the time column reads in one form, a click on any column sorts it (equal values in
// the order read), and the words under the table give the window's bounds.
void TestEvidenceViews::logTimeline_data()
{
    QTest::addColumn<QString>("session");
    for (const QString &s : testing::recordedSessions())
        if (!diagnosisOf(s).logs.empty())
            QTest::newRow(qPrintable(s)) << s;
    // A source that printed no stamps, among stamped ones (bird's own log without -tt).
    QTest::newRow("ipip-healthy, bird unstamped") << QStringLiteral("ipip-healthy:unstamped-bird");
}

void TestEvidenceViews::logTimeline()
{
    QFETCH(QString, session);
    diagnose::Diagnosis d = diagnosisOf(session.section(':', 0, 0));
    const bool unstamped = session.endsWith(QLatin1String(":unstamped-bird"));
    if (unstamped)
        for (auto &l : d.logs)
            if (l.source == "bird" && l.node == "server")
                l.timeMicros.reset(), l.time.clear(), l.recent = false;
    LogView w;
    w.resize(1100, 520);
    w.setDiagnosis(d);
    QCOMPARE(w.model()->rowCount(), int(d.logs.size()));
    QCOMPARE(w.visibleLineCount(), int(d.logs.size()));
    QSet<QString> nodes, sources;
    for (const auto &l : d.logs)
        nodes << QString::fromStdString(l.node), sources << QString::fromStdString(l.source);
    QCOMPARE(nodes.size(), 2);  // both nodes in one table

    // One form for every time: "2026-11-25 17:08:40.034" (UTC), or the words for none.
    static const QRegularExpression form(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}$"));
    for (int r = 0; r < w.proxy()->rowCount(); ++r) {
        const QString t = w.proxy()->index(r, LogTableModel::TimeColumn).data().toString();
        QVERIFY2(form.match(t).hasMatch() || t == LogTableModel::noTimeText(), qPrintable(t));
    }
    QVERIFY(w.model()->headerData(LogTableModel::TimeColumn, Qt::Horizontal).toString().contains(QStringLiteral("UTC")));

    // Opened sorted by time, oldest first; every column sorts both ways.
    QCOMPARE(w.table()->horizontalHeader()->sortIndicatorSection(), int(LogTableModel::TimeColumn));
    auto key = [&](int row, int column) -> QVariant {
        const QModelIndex i = w.proxy()->index(row, column);
        if (column == LogTableModel::TimeColumn) {
            const QVariant v = i.data(LogTableModel::TimeRole);
            return v.isValid() ? v : QVariant(std::numeric_limits<qint64>::min());
        }
        if (column == LogTableModel::LevelColumn)
            return i.data(LogTableModel::LevelRankRole);
        return i.data().toString().toLower();
    };
    for (int column = 0; column < LogTableModel::ColumnCount; ++column)
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            if (!(column == LogTableModel::TimeColumn && order == Qt::AscendingOrder))
                w.table()->sortByColumn(column, order);
            for (int r = 1; r < w.proxy()->rowCount(); ++r) {
                const QVariant a = key(r - 1, column), b = key(r, column);
                const bool inOrder = order == Qt::AscendingOrder ? QVariant::compare(a, b) <= 0 : QVariant::compare(a, b) >= 0;
                QVERIFY2(inOrder, qPrintable(QStringLiteral("column %1 row %2: %3 then %4")
                                                 .arg(column).arg(r).arg(a.toString(), b.toString())));
                // Equal values keep the order the lines were read: the same sort every time.
                if (QVariant::compare(a, b) == 0) {
                    const int ra = w.proxy()->mapToSource(w.proxy()->index(r - 1, 0)).row();
                    const int rb = w.proxy()->mapToSource(w.proxy()->index(r, 0)).row();
                    QVERIFY(order == Qt::AscendingOrder ? ra < rb : ra > rb);
                }
            }
        }
    w.table()->sortByColumn(LogTableModel::TimeColumn, Qt::AscendingOrder);

    // Filters still work on the sorted timeline.
    w.setNodeFilter(QStringLiteral("server"));
    QCOMPARE(w.visibleLineCount(), int(std::count_if(d.logs.begin(), d.logs.end(), [](const auto &l) { return l.node == "server"; })));
    w.clearFilters();

    // The window in words: its bounds on the nodes' clocks, what it is, and the
    // sources without stamps.
    const QString words = w.windowText();
    QVERIFY2(words.startsWith(QStringLiteral("Diagnosis window: lines stamped ")), qPrintable(words));
    const QString since = QString::fromStdString(parse::formatTimestamp(parse::parseIsoTimestamp(d.client.logsSince)->micros, 0));
    QVERIFY2(words.contains(since) && words.contains(QStringLiteral(" UTC")), qPrintable(words));
    QVERIFY2(words.contains(QStringLiteral("30 minutes before the logs were read")), qPrintable(words));
    QCOMPARE(words.contains(QStringLiteral("when this recording was made")), d.recorded);
    QCOMPARE(words.contains(QStringLiteral("No time stamps from bird on the server:")), unstamped);
    if (unstamped) {
        QCOMPARE(w.proxy()->index(0, LogTableModel::TimeColumn).data().toString(), LogTableModel::noTimeText());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        screenshot(w, QStringLiteral("logs-unstamped"), QStringLiteral("ipip-healthy"));
    }
}

void TestEvidenceViews::logViewShowLineClearsOnlyWhatHidesIt()
{
    const auto d = withLogErrors(diagnosisOf(QStringLiteral("ipip-ipset-missing-client")));
    LogView w;
    w.setDiagnosis(d);
    w.setSourceFilter(QStringLiteral("bird"));
    w.setTextFilter(QStringLiteral("nothing"));
    w.setOnlyRecent(true);
    w.setNodeFilter(QStringLiteral("server"));
    // A finding cites "felix: <raw line>": the source prefix is understood.
    QVERIFY(w.showLine(QStringLiteral("server"), QString(),
                       QStringLiteral("felix: 2017-04-07 08:33:33.120 [ERROR][40] logutils.go 147: Failed to connect to syslog")));
    QCOMPARE(w.proxy()->source(), QString());
    QCOMPARE(w.proxy()->text(), QString());
    QCOMPARE(w.proxy()->onlyRecent(), true);        // the line is recent: kept
    QCOMPARE(w.proxy()->node(), QStringLiteral("server"));  // the line is on the server: kept
    QVERIFY(w.selectedLine() >= 0);
    QVERIFY(QString::fromStdString(w.model()->lines()[std::size_t(w.selectedLine())].text).contains(QStringLiteral("[ERROR]")));
    // The filter bar shows what the proxy does.
    auto *source = w.findChild<QComboBox *>();
    QVERIFY(source);
    for (auto *combo : w.findChildren<QComboBox *>())
        QVERIFY(!combo->accessibleName().isEmpty());
}

void TestEvidenceViews::findings_data()
{
    QTest::addColumn<QString>("session");
    QTest::addColumn<QString>("firstCode");
    QTest::addColumn<QString>("hop");  // the hop the first finding highlights; "" none
    QTest::addColumn<QString>("pointsAt");
    QTest::newRow("ipip-healthy") << "ipip-healthy" << "" << "" << "";
    QTest::newRow("vxlan-healthy") << "vxlan-healthy" << "" << "" << "";
    QTest::newRow("ipip-ipset-missing-client") << "ipip-ipset-missing-client" << "SOURCE_NOT_IN_HOSTS_IPSET"
                                               << "request.server.tunnel" << "server hosts set\n→ hop: server tunnel in";
    QTest::newRow("ipip-iptables-drop-server-request") << "ipip-iptables-drop-server-request" << "IPTABLES_DROP"
                                                       << "request.server.tunnel" << "server firewall\n→ hop: server tunnel in";
    QTest::newRow("ipip-reply-route-missing") << "ipip-reply-route-missing" << "ROUTE_MISSING" << "reply.server.tunnel"
                                              << "server route to the peer's block\n→ hop: server tunnel out";
    QTest::newRow("ipip-route-wrong-gateway") << "ipip-route-wrong-gateway" << "ROUTE_WRONG_GATEWAY" << "request.client.egress"
                                              << "client route to the peer's block\n→ hop: client underlay out";
    QTest::newRow("ipip-source-address-wrong") << "ipip-source-address-wrong" << "SOURCE_NOT_IN_HOSTS_IPSET"
                                               << "request.server.tunnel" << "server hosts set\n→ hop: server tunnel in";
    QTest::newRow("vxlan-ipset-missing-server") << "vxlan-ipset-missing-server" << "SOURCE_NOT_IN_HOSTS_IPSET"
                                                << "reply.client.tunnel" << "client hosts set\n→ hop: client tunnel in";
    QTest::newRow("vxlan-mtu-too-small") << "vxlan-mtu-too-small" << "MTU_TOO_SMALL" << "request.server.ingress"
                                         << "hop: server underlay in";
    QTest::newRow("vxlan-tcpdump-missing") << "vxlan-tcpdump-missing" << "TCPDUMP_MISSING" << "" << "check: server capture";
    QTest::newRow("vxlan-underlay-blocks-encap") << "vxlan-underlay-blocks-encap" << "UNDERLAY_DROPS_ENCAPSULATION"
                                                 << "request.server.ingress" << "hop: server underlay in";
    QTest::newRow("vxlan-vxlan-fdb-stale") << "vxlan-vxlan-fdb-stale" << "VXLAN_FDB_STALE" << "request.client.egress"
                                           << "client route to the peer's block\n→ hop: client underlay out";
}

void TestEvidenceViews::findings()
{
    QFETCH(QString, session);
    QFETCH(QString, firstCode);
    QFETCH(QString, hop);
    QFETCH(QString, pointsAt);
    const auto &d = diagnosisOf(session);
    FindingsList w;
    w.resize(900, 320);
    w.setDiagnosis(d);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    screenshot(w, QStringLiteral("findings"), session);

    if (firstCode.isEmpty()) {
        QVERIFY(d.findings.empty());
        QVERIFY(w.isShowingEmptyState());
        QCOMPARE(w.emptyStateText(), QStringLiteral("No findings: every hop passed."));
        return;
    }
    QVERIFY2(!d.findings.empty(), qPrintable(QString::fromStdString(d.error)));
    QTreeWidget *tree = w.tree();
    QCOMPARE(tree->topLevelItemCount(), int(d.findings.size()));
    QTreeWidgetItem *first = tree->topLevelItem(0);
    const auto &f = d.findings.front();
    QCOMPARE(QString::fromStdString(f.code), firstCode);
    QCOMPARE(first->text(FindingsList::MessageColumn), QString::fromStdString(f.message));
    // Severity as a word and an icon, not colour alone.
    QCOMPARE(first->text(FindingsList::SeverityColumn), severityWord(f.severity));
    QVERIFY(!first->icon(FindingsList::SeverityColumn).isNull());
    QCOMPARE(first->text(FindingsList::BlamesColumn), pointsAt);
    // Expanded: the evidence lines and the next step.
    QVERIFY(first->isExpanded());
    QStringList children;
    for (int c = 0; c < first->childCount(); ++c)
        children << first->child(c)->text(0);
    for (const auto &e : f.evidence)
        QVERIFY(children.contains(QStringLiteral("evidence: ") + QString::fromStdString(e)) ||
                children.contains(QStringLiteral("log line: ") + QString::fromStdString(e)));
    QVERIFY(children.contains(QStringLiteral("next step: ") + QString::fromStdString(f.nextStep)));

    // Mapping to the hop the window highlights.
    const FindingTarget target = w.target(0);
    QCOMPARE(target.hop.has_value(), !hop.isEmpty());
    if (target.hop)
        QCOMPARE(QString::fromUtf8(diagnose::hopInfo(*target.hop).key.data()), hop);
    QCOMPARE(hopOfBlames(QString::fromStdString(f.blames)) == diagnose::hopFromString(f.blames), true);

    // Keyboard: moving through the findings announces each one.
    QSignalSpy spy(&w, &FindingsList::findingSelected);
    tree->setFocus();
    tree->collapseAll();
    tree->setCurrentItem(first);
    if (d.findings.size() > 1) {
        QTest::keyClick(tree, Qt::Key_Down);
        QCOMPARE(w.currentFinding(), 1);
        QCOMPARE(spy.last().at(0).toInt(), 1);
        QCOMPARE(spy.last().at(1).toString(), QString::fromStdString(d.findings[1].blames));
        QTest::keyClick(tree, Qt::Key_Up);
    }
    w.selectFinding(0);
    QCOMPARE(w.currentFinding(), 0);
    QVERIFY(!w.accessibleName().isEmpty());
}

void TestEvidenceViews::findingCitingALogLineShowsIt()
{
    const auto d = withLogErrors(diagnosisOf(QStringLiteral("ipip-ipset-missing-client")));
    FindingsList findings;
    LogView logs;
    findings.setDiagnosis(d);
    logs.setDiagnosis(d);
    connect(&findings, &FindingsList::logLineRequested, &logs, &LogView::showLine);
    const int index = int(d.findings.size()) - 1;
    QCOMPARE(d.findings.back().code, std::string("CALICO_LOG_ERRORS"));
    const FindingTarget target = findings.target(index);
    QCOMPARE(target.check, QStringLiteral("logs.server"));
    QVERIFY(!target.hop);
    QCOMPARE(target.logLines.size(), 1);
    QCOMPARE(target.logLines[0].node, QStringLiteral("server"));
    QCOMPARE(target.logLines[0].source, QStringLiteral("felix"));
    QVERIFY(target.logLines[0].text.startsWith(QStringLiteral("2017-04-07 08:33:33.120 [ERROR]")));

    logs.setOnlyRecent(false);
    logs.setNodeFilter(QStringLiteral("client"));
    QSignalSpy spy(&findings, &FindingsList::logLineRequested);
    QTreeWidgetItem *item = findings.tree()->topLevelItem(index);
    QVERIFY(item->child(0)->text(0).startsWith(QStringLiteral("log line: felix: ")));
    findings.tree()->setCurrentItem(item->child(0));  // its evidence line
    QCOMPARE(spy.size(), 1);
    QCOMPARE(logs.selectedLine() >= 0, true);
    QCOMPARE(QString::fromStdString(logs.model()->lines()[std::size_t(logs.selectedLine())].text), target.logLines[0].text);
    QCOMPARE(findings.currentFinding(), index);

    FindingsList shown;
    shown.resize(1000, 360);
    shown.setDiagnosis(d);
    shown.selectFinding(index);
    shown.tree()->topLevelItem(index)->setExpanded(true);
    shown.show();
    QVERIFY(QTest::qWaitForWindowExposed(&shown));
    QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
    QVERIFY(shown.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/evidence-findings-log-errors.png")));
}

void TestEvidenceViews::plotsFollowThePalette()
{
    const auto &d = diagnosisOf(QStringLiteral("ipip-ipset-missing-client"));
    CounterDeltaPlot counters;
    EchoRttPlot rtt;
    HopActivityPlot hops;
    counters.setDiagnosis(d);
    rtt.setDiagnosis(d);
    hops.setDiagnosis(d);
    for (const QPalette &palette : {QPalette(QColor(0xef, 0xef, 0xef)), darkPalette()}) {
        const EvidenceColors c = EvidenceColors::from(palette);
        for (PlotPanel *p : std::initializer_list<PlotPanel *>{&counters, &rtt, &hops}) {
            p->setPalette(palette);
            QCOMPARE(p->plot()->axisRect()->axis(QCPAxis::atLeft)->tickLabelColor() == c.loss ||
                         p->plot()->axisRect()->axis(QCPAxis::atLeft)->tickLabelColor() == c.text,
                     true);
            QCOMPARE(p->plot()->axisRect()->axis(QCPAxis::atBottom)->basePen().color(), c.text);
        }
        QCOMPARE(qobject_cast<QCPBars *>(counters.plot()->plottable(1))->brush().color(), c.lossTint);
        for (QCPGraph *g : graphsNamed(rtt.plot(), QStringLiteral("lost:")))
            QCOMPARE(g->scatterStyle().pen().color(), c.loss);
        // Text on the plots keeps its contrast against the plot background in both themes.
        const double contrast = std::abs(c.text.lightnessF() - c.base.lightnessF());
        QVERIFY(contrast > 0.6);
        QVERIFY(std::abs(c.loss.lightnessF() - c.base.lightnessF()) > 0.3);
    }
}

QTEST_MAIN(TestEvidenceViews)
#include "tst_evidence_views.moc"
