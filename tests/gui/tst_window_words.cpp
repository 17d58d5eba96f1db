// Every word the window shows about a recorded diagnosis, checked by the rules
// tst_words applies to the engine and the reports (tests/unit/words_check.h): for every
// recorded lab session, opened as File ▸ Open recording opens it, the texts a person
// reads: the window title and status bar, the path diagram (verdict, nodes, hop labels,
// per-stream lines, checks, callout), the hop pane for every hop, the findings, every
// guided page and the log pane. No placeholders or blanks, no hop ids in prose (only as
// bracketed detail), sentences that start like sentences, no health without evidence at
// every hop, and, at 1366x768 and at 800x600, no diagram text cut short. Pictures of two
// sessions' guided pages and log pane: PODPATH_SCREENSHOTS/words-*.png; README's window
// (docs/window-ipset-fault.png): PODPATH_SCREENSHOTS/window-ipset-fault.png.

#include "findings_list.h"
#include "guided_page.h"
#include "log_view.h"
#include "main_window.h"
#include "path_diagram_view.h"
#include "replayed.h"
#include "report/hop_words.h"
#include "results_view.h"
#include "words_check.h"

#include <QApplication>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;
using namespace podpath::widgets;

namespace {

// One text as a person reads it, and where.
struct Shown {
    QString where;
    QString text;
    bool sentence = false;  // must start like a sentence (a label, "client tunnel out", need not)
};

// A check id in prose: the window names checks by checkTitle().
QString firstCheckIdIn(const QString &prose)
{
    for (std::string_view id : kCheckIds) {
        const QString s = QString::fromLatin1(id.data(), qsizetype(id.size()));
        static const QString word = QStringLiteral("(^|[^\\w.-])%1($|[^\\w.-])");
        if (prose.contains(QRegularExpression(word.arg(QRegularExpression::escape(s)))))
            return s;
    }
    return {};
}

QStringList lines(const QString &text)
{
    QStringList out;
    for (const QString &l : text.split(QLatin1Char('\n')))
        if (!l.trimmed().isEmpty())
            out << l.trimmed();
    return out;
}

QStringList cutTexts(const PathDiagramView *view)
{
    QStringList cut;
    for (const DrawnText &t : view->drawnTexts())
        if (t.cut())
            cut << t.part + QStringLiteral(": \"") + t.text + QStringLiteral("\" drawn as \"") + t.shown + QLatin1Char('"');
    return cut;
}

} // namespace

class TestWindowWords : public QObject {
    Q_OBJECT
private slots:
    void everyText_data()
    {
        QTest::addColumn<QString>("session");
        QVERIFY(testing::recordedSessions().size() >= 40);
        for (const QString &s : testing::recordedSessions())
            QTest::newRow(qPrintable(s)) << s;
    }
    void everyText()
    {
        QFETCH(QString, session);
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        MainWindow w(&settings);
        w.resize(1366, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.size(), QSize(1366, 768));
        QSignalSpy done(&w, &MainWindow::diagnosisFinished);
        QString error;
        QVERIFY2(w.openRecording(QStringLiteral(PODPATH_FIXTURES "/sessions/") + session, &error), qPrintable(error));
        QVERIFY(done.wait(30000));
        QTest::qWait(20);
        const Diagnosis &d = w.results()->diagnosis();
        QVERIFY(!d.isEmpty());

        std::vector<Shown> texts;
        texts.push_back({QStringLiteral("window title"), w.windowTitle(), false});
        texts.push_back({QStringLiteral("status bar"), w.statusText(), true});

        // The diagram: its words as composed, and every line as drawn.
        const PathDiagramView *view = w.results()->diagram();
        const DiagramHeader header = diagramHeader(d);
        texts.push_back({QStringLiteral("verdict"), header.verdict, true});
        texts.push_back({QStringLiteral("diagram nodes"), header.nodes, false});
        texts.push_back({QStringLiteral("diagram details"), header.details, false});
        DiagramState state;
        state.shown = DiagramState::Shown::InWindow;
        const DiagramCallout callout = diagramCallout(d, state);
        texts.push_back({QStringLiteral("callout title"), callout.title, true});
        for (const QString &t : {callout.why, callout.next})
            if (!t.isEmpty())
                texts.push_back({QStringLiteral("callout"), t, true});
        for (const DrawnText &t : view->drawnTexts())
            texts.push_back({QStringLiteral("diagram ") + t.part, t.text, false});
        texts.push_back({QStringLiteral("diagram summary"), view->summary(), true});

        // The hop pane, hop by hop: a heading, then sentences.
        for (const HopInfo &h : kHops) {
            w.results()->showHop(h.id);
            const QStringList pane = lines(w.results()->detailText());
            QVERIFY2(pane.size() >= 2, qPrintable(QString::fromLatin1(h.title.data()) + " has an empty pane"));
            texts.push_back({QStringLiteral("hop pane heading"), pane.front(), false});
            // Where the echoes went in two streams (the small burst, the full-size DF probe),
            // the pane counts each apart, with the numbers the hop holds: an MTU fault reads
            // "84 B 5/5, 1450 B DF 0/5", never one sum of both.
            const HopVerdict &v = d.hop(h.id);
            // A hop nothing reached is not a failure there (the diagram's empty ring).
            if (report::hopFate(v) == StreamFate::NotReached)
                QVERIFY2(pane.front().endsWith(QStringLiteral("not reached")), qPrintable(pane.front()));
            if (v.streams.size() > 1 && (v.status == Status::Pass || v.status == Status::Fail)) {
                const QString said = pane.join(QLatin1Char(' '));
                for (const StreamAtHop &st : v.streams) {
                    const QString label = QString::fromStdString(streamLabel(st));
                    QVERIFY2(said.contains(label), qPrintable(QString::fromLatin1(h.title.data()) + ": " + label + " not in: " + said));
                    const QString count = streamFate(st) == StreamFate::NotReached
                                              ? QStringLiteral("did not reach")
                                              : QStringLiteral("%1/%2").arg(st.seen).arg(st.expected);
                    QVERIFY2(said.contains(label + QLatin1Char(' ') + count) || said.contains(label + QStringLiteral(": ") + count),
                             qPrintable(QString::fromLatin1(h.title.data()) + ": " + label + " " + count + " not in: " + said));
                }
                QVERIFY2(!said.contains(QStringLiteral("%1/%2").arg(v.seen).arg(v.expected)) || v.streams.front().expected == v.expected,
                         qPrintable(QString::fromLatin1(h.title.data()) + " adds its streams into one count: " + said));
            }
            for (const QString &l : pane.mid(1))
                texts.push_back({QStringLiteral("hop pane"), l, true});
        }

        // The findings pane: each message a sentence, what it points at a label.
        FindingsList *findings = w.results()->findings();
        if (findings->isShowingEmptyState()) {
            for (const QString &l : lines(findings->emptyStateText()))
                texts.push_back({QStringLiteral("findings (none)"), l, true});
        } else {
            QTreeWidget *tree = findings->tree();
            QCOMPARE(tree->topLevelItemCount(), int(d.findings.size()));
            for (int i = 0; i < tree->topLevelItemCount(); ++i) {
                const QTreeWidgetItem *item = tree->topLevelItem(i);
                texts.push_back({QStringLiteral("finding severity"), item->text(FindingsList::SeverityColumn), false});
                texts.push_back({QStringLiteral("finding"), item->text(FindingsList::MessageColumn), true});
                texts.push_back({QStringLiteral("finding points at"), item->text(FindingsList::BlamesColumn), false});
                for (int c = 0; c < item->childCount(); ++c)
                    texts.push_back({QStringLiteral("finding detail"), item->child(c)->text(0), false});
            }
        }

        // Every guided page, as the finished diagnosis fills it.
        GuidedPage *guided = w.guidedPage();
        const bool keepPictures = session == QLatin1String("ipip-ipset-missing-client") ||
                                  session == QLatin1String("vxlan-mtu-too-small");
        if (keepPictures)
            w.tabs()->setCurrentWidget(guided);
        for (int i = 0; i + 1 < guided->stepCount(); ++i) {
            guided->setCurrentStep(i);
            if (keepPictures) {
                QTest::qWait(10);
                w.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/words-%1-guided-%2.png").arg(session).arg(i));
            }
            const QStringList page = lines(guided->pageText());
            QVERIFY(!page.isEmpty());
            texts.push_back({QStringLiteral("guided page %1 title").arg(i), page.front(), true});
            for (const QString &l : page.mid(1)) {
                texts.push_back({QStringLiteral("guided page %1").arg(i), l, false});
                for (const HopInfo &h : kHops)
                    if (l.startsWith(QString::fromLatin1(h.title.data()) + QStringLiteral(" (")) &&
                        report::hopFate(d.hop(h.id)) == StreamFate::NotReached)
                        QVERIFY2(l.contains(QStringLiteral("(not reached)")), qPrintable(l));
            }
        }

        // The log pane.
        LogView *logs = w.results()->logs();
        if (keepPictures) {
            w.tabs()->setCurrentWidget(w.results());
            w.results()->tabs()->setCurrentWidget(logs);
            QTest::qWait(10);
            w.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/words-%1-logs.png").arg(session));
        }
        if (logs->isShowingEmptyState()) {
            for (const QString &l : lines(logs->emptyStateText()))
                texts.push_back({QStringLiteral("logs (none)"), l, true});
        } else {
            texts.push_back({QStringLiteral("log count"), logs->countText(), true});
            const QString plural = testing::firstUncountedPluralIn(logs->countText());
            QVERIFY2(plural.isEmpty(), qPrintable("\"" + plural + "\" in the log count: " + logs->countText()));
            if (!logs->windowText().isEmpty())
                texts.push_back({QStringLiteral("log window"), logs->windowText(), true});
        }

        QStringList wrong;
        for (const Shown &s : texts) {
            QString problem = testing::wordsProblem(s.text, s.sentence);
            if (problem.isEmpty())
                if (const QString id = firstCheckIdIn(testing::prose(s.text)); !id.isEmpty())
                    problem = QStringLiteral("check id ") + id + QStringLiteral(" in: ") + s.text;
            if (!problem.isEmpty())
                wrong << s.where + QStringLiteral(": ") + problem;
        }
        wrong.removeDuplicates();
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));

        // Health only with evidence at every hop.
        const bool healthy = header.verdict.startsWith(QStringLiteral("HEALTHY")) ||
                             w.statusText().startsWith(QStringLiteral("Healthy"));
        if (healthy) {
            QVERIFY(d.verdict == Verdict::Pass);
            for (const auto &h : d.hops)
                QVERIFY2(h.status == Status::Pass || h.status == Status::Skipped,
                         qPrintable(QString::fromLatin1(hopInfo(h.id).key.data()) + " has no evidence in a healthy window"));
        }

        // The diagram's words stay whole on a laptop and in a narrow window.
        w.tabs()->setCurrentWidget(w.results());
        w.results()->tabs()->setCurrentIndex(0);
        w.results()->findings()->selectFinding(0);
        QTest::qWait(20);
        if (session == QLatin1String("ipip-ipset-missing-client")) {
            // README's picture (docs/window-ipset-fault.png) is this, at 1280x800, as the
            // window opens a diagnosis: the first failing hop selected.
            QVERIFY(d.firstFailingHop);
            w.results()->showHop(*d.firstFailingHop);
            w.resize(1280, 800);
            QTest::qWait(20);
            w.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/window-ipset-fault.png"));
            w.resize(1366, 768);
            QTest::qWait(20);
        }
        QStringList cut = cutTexts(view);
        QVERIFY2(cut.isEmpty(), qPrintable("at 1366x768:\n" + cut.join(QLatin1Char('\n'))));
        w.resize(800, 600);
        QTest::qWait(20);
        QCOMPARE(w.size(), QSize(800, 600));
        double smallest = 1e9;
        for (const DrawnText &t : view->drawnTexts())
            smallest = std::min(smallest, t.pixelSize);
        qInfo("at 800x600 the diagram is %dx%d, its smallest text %.1f px", view->width(), view->height(), smallest);
        if (session == QLatin1String("vxlan-mtu-too-small"))
            w.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/window-800x600-mtu.png"));
        // Smaller than that a junior squints at a ticket's screenshot: the picture scrolls.
        QVERIFY2(smallest >= 8.95, qPrintable(QStringLiteral("smallest diagram text %1 px at 800x600").arg(smallest)));
        cut = cutTexts(view);
        QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("at %1x%2:\n").arg(view->width()).arg(view->height()) +
                                           cut.join(QLatin1Char('\n'))));
    }
};

int main(int argc, char *argv[])
{
    // The offscreen platform's screen is 800x600 unless told otherwise: give it a desktop
    // monitor, so the window really is 1366x768 and then 800x600.
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("screen.json"));
    QFile f(config);
    if (!f.open(QIODevice::WriteOnly))
        return 3;
    f.write(R"({"screens": [{"name": "desktop", "x": 0, "y": 0, "width": 1920, "height": 1080,
                 "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
    f.close();
    if (qEnvironmentVariable("QT_QPA_PLATFORM") == QLatin1String("offscreen"))
        qputenv("QT_QPA_PLATFORM", ("offscreen:configfile=" + config).toLocal8Bit());
    QApplication app(argc, argv);
    TestWindowWords t;
    return QTest::qExec(&t, argc, argv);
}
#include "tst_window_words.moc"
