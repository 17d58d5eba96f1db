// The window on a laptop: 1366x768 at 100 % and at 125 % (QT_SCALE_FACTOR=1.25, 1093x614
// logical pixels). Opened on the demo diagnosis it stays inside the screen's free area,
// the callout's lines are drawn whole (no "…"), and the findings under the picture
// keep room to read. The scale factor is read once per process, so each row runs this
// program again as a child on an offscreen screen of that size and reads its report.
// The guided summary after a partial run stays readable there too.
// Screenshots: PODPATH_SCREENSHOTS/laptop-<scale>-{diagnosis,logs,empty,guided-summary}.png.

#include "diagnosis_session.h"
#include "guided_page.h"
#include "main_window.h"
#include "path_diagram_view.h"
#include "results_view.h"

#include <QApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QProcess>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace podpath;

namespace {

QJsonObject rect(const QRect &r) { return {{"x", r.x()}, {"y", r.y()}, {"width", r.width()}, {"height", r.height()}}; }
QRect rectOf(const QJsonValue &v)
{
    const QJsonObject o = v.toObject();
    return QRect(o["x"].toInt(), o["y"].toInt(), o["width"].toInt(), o["height"].toInt());
}

// The child: the real window, as a person opens it, measured.
int child(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QString tag = QString::fromLocal8Bit(argv[2]);
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    QJsonObject out;
    {
        widgets::MainWindow empty(&settings);
        empty.show();
        if (!QTest::qWaitForWindowExposed(&empty))
            return 3;
        empty.tabs()->setCurrentWidget(empty.results());
        QTest::qWait(50);
        empty.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/laptop-%1-empty.png").arg(tag));
        out["emptyFrame"] = rect(empty.frameGeometry());
        out["emptyCallout"] = empty.results()->diagram()->calloutText().join(QLatin1Char('\n'));
        const widgets::DiagramCallout none = widgets::diagramCallout(empty.results()->diagnosis());
        out["emptyCalloutFull"] = none.title + QLatin1Char('\n') + none.why + QLatin1Char('\n') + none.next;
        empty.close();
    }
    settings.clear();  // a first start: no remembered geometry
    widgets::MainWindow w(&settings);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return 3;
    QSignalSpy done(&w, &widgets::MainWindow::diagnosisFinished);
    QString error;
    if (!w.openDemo(&error)) {
        std::fprintf(stderr, "openDemo: %s\n", qPrintable(error));
        return 4;
    }
    if (!done.wait(30000))
        return 5;
    QTest::qWait(100);
    const widgets::PathDiagramView *diagram = w.results()->diagram();
    widgets::DiagramState inWindow;  // the window points at its Findings tab
    inWindow.shown = widgets::DiagramState::Shown::InWindow;
    const widgets::DiagramCallout words = widgets::diagramCallout(w.results()->diagnosis(), inWindow);
    out["available"] = rect(w.screen()->availableGeometry());
    out["physical"] = QJsonObject{{"width", w.screen()->geometry().width() * w.devicePixelRatio()},
                                  {"height", w.screen()->geometry().height() * w.devicePixelRatio()}};
    out["frame"] = rect(w.frameGeometry());
    out["minimum"] = rect(QRect(QPoint(), w.minimumSizeHint()));
    out["diagram"] = rect(diagram->geometry());
    out["diagramMinimum"] = rect(QRect(QPoint(), diagram->minimumSizeHint()));
    out["evidence"] = rect(w.results()->tabs()->geometry());
    out["line"] = w.fontMetrics().height();
    out["callout"] = diagram->calloutText().join(QLatin1Char('\n'));
    out["calloutFull"] = words.title + QLatin1Char('\n') + words.why + QLatin1Char('\n') + words.next;
    out["recorded"] = w.results()->diagnosis().recorded;
    out["details"] = widgets::diagramHeader(w.results()->diagnosis()).details;
    w.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/laptop-%1-diagnosis.png").arg(tag));
    w.results()->tabs()->setCurrentIndex(2);  // Logs
    QTest::qWait(50);
    w.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/laptop-%1-logs.png").arg(tag));

    // A junior's partial guided run on the same recording, in a window of its own: step 3
    // only, then the summary, whose text is long (the steps not run are listed).
    w.close();
    settings.clear();
    widgets::MainWindow guided(&settings);
    guided.show();
    if (!QTest::qWaitForWindowExposed(&guided) || !guided.useReplay(widgets::MainWindow::demoRecording()))
        return 3;
    guided.tabs()->setCurrentWidget(guided.guidedPage());
    widgets::GuidedPage *g = guided.guidedPage();
    QSignalSpy stepDone(guided.session(), &widgets::DiagnosisSession::finished);
    g->setCurrentStep(3);
    QTest::mouseClick(g->runButton(), Qt::LeftButton);
    if (!stepDone.wait(30000))
        return 6;
    g->setCurrentStep(g->stepCount() - 1);
    QTest::qWait(50);
    const auto *text = g->findChild<QLabel *>(QStringLiteral("summaryText"));
    const auto *area = g->findChild<QScrollArea *>(QStringLiteral("summaryTextScroll"));
    if (!text || !area)
        return 7;
    out["summaryVisible"] = area->isVisible() && !text->text().isEmpty();
    out["summaryNeeded"] = text->heightForWidth(text->width());
    out["summaryHeight"] = text->height();
    out["summaryHidden"] = text->height() - area->viewport()->height();
    out["summaryScroll"] = area->verticalScrollBar()->maximum();
    out["summaryPartial"] = text->text().contains(QStringLiteral("Not a verdict yet"));
    out["guidedFrame"] = rect(guided.frameGeometry());
    guided.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/laptop-%1-guided-summary.png").arg(tag));
    std::fputs(QJsonDocument(out).toJson(QJsonDocument::Compact).constData(), stdout);
    return 0;
}

} // namespace

class TestWindowFit : public QObject {
    Q_OBJECT
private slots:
    void fitsALaptop_data()
    {
        QTest::addColumn<QString>("scale");
        QTest::newRow("1366x768 at 100 %") << QStringLiteral("1");
        QTest::newRow("1366x768 at 125 %") << QStringLiteral("1.25");
    }
    void fitsALaptop()
    {
        QFETCH(QString, scale);
        QVERIFY(m_dir.isValid());
        QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
        const QString config = m_dir.filePath(QStringLiteral("screen.json"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
                     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
        f.close();
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen:configfile=") + config);
        env.insert(QStringLiteral("QT_SCALE_FACTOR"), scale);
        env.insert(QStringLiteral("HOME"), m_dir.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
        p.setProcessEnvironment(env);
        p.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--child"), scale == QLatin1String("1") ? QStringLiteral("100") : QStringLiteral("125")});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
                 qPrintable(QStringLiteral("child exit %1: %2").arg(p.exitCode()).arg(QString::fromLocal8Bit(p.readAllStandardError()))));
        const QJsonObject r = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QVERIFY(!r.isEmpty());

        // The screen is the laptop's; its free area in logical pixels.
        const QRect room = rectOf(r["available"]);
        QVERIFY(qAbs(r["physical"].toObject()["width"].toDouble() - 1366) < 2);  // 1093 x 1.25
        QVERIFY(qAbs(r["physical"].toObject()["height"].toDouble() - 768) < 2);
        qInfo("free area %dx%d logical px; window %dx%d at %d,%d; minimum %dx%d; picture %dx%d; findings %dx%d",
              room.width(), room.height(), rectOf(r["frame"]).width(), rectOf(r["frame"]).height(), rectOf(r["frame"]).x(),
              rectOf(r["frame"]).y(), rectOf(r["minimum"]).width(), rectOf(r["minimum"]).height(),
              rectOf(r["diagram"]).width(), rectOf(r["diagram"]).height(), rectOf(r["evidence"]).width(),
              rectOf(r["evidence"]).height());

        // The whole window is on the screen, and could be made no smaller than it needs.
        QVERIFY2(room.contains(rectOf(r["frame"])), "the window opens larger than the screen");
        QVERIFY2(room.contains(rectOf(r["emptyFrame"])), "the empty window opens larger than the screen");
        QVERIFY(rectOf(r["minimum"]).width() <= room.width() && rectOf(r["minimum"]).height() <= room.height());

        // The callout says everything, on as many lines as it takes.
        const QString callout = r["callout"].toString(), full = r["calloutFull"].toString();
        QVERIFY2(!callout.contains(QChar(0x2026)), qPrintable(callout));
        QString drawn = callout, said = full;
        QCOMPARE(drawn.remove(QLatin1Char(' ')).remove(QLatin1Char('\n')), said.remove(QLatin1Char(' ')).remove(QLatin1Char('\n')));
        QString emptyDrawn = r["emptyCallout"].toString(), emptySaid = r["emptyCalloutFull"].toString();
        QCOMPARE(emptyDrawn.remove(QLatin1Char(' ')).remove(QLatin1Char('\n')), emptySaid.remove(QLatin1Char(' ')).remove(QLatin1Char('\n')));
        QVERIFY(r["emptyCallout"].toString().contains(QStringLiteral("Open demo diagnosis")));
        // The demo has two findings: the window sends the reader to the other one.
        QVERIFY2(full.contains(QStringLiteral("(1 more finding in the Findings tab)")), qPrintable(full));

        // Both parts are usable: the picture at least its minimum, the findings several lines.
        QVERIFY(rectOf(r["diagram"]).height() >= rectOf(r["diagramMinimum"]).height());
        QVERIFY(rectOf(r["evidence"]).height() >= 12 * r["line"].toInt());

        // The guided summary after a partial run: its whole text fits its width, and what
        // its viewport does not show is reachable by scrolling; the window stays on screen.
        QVERIFY(r["summaryVisible"].toBool());
        QVERIFY(r["summaryPartial"].toBool());
        QVERIFY2(r["summaryHeight"].toInt() >= r["summaryNeeded"].toInt(),
                 qPrintable(QStringLiteral("%1 < %2").arg(r["summaryHeight"].toInt()).arg(r["summaryNeeded"].toInt())));
        const int hidden = r["summaryHidden"].toInt();
        QVERIFY2(hidden <= 0 || r["summaryScroll"].toInt() >= hidden, qPrintable(QStringLiteral("%1 px cut off").arg(hidden)));
        QVERIFY(room.contains(rectOf(r["guidedFrame"])));

        // The demo is a replay and says so.
        QVERIFY(r["recorded"].toBool());
        QVERIFY2(r["details"].toString().contains(QStringLiteral("recorded")), qPrintable(r["details"].toString()));
    }

private:
    QTemporaryDir m_dir;
};

int main(int argc, char *argv[])
{
    if (argc >= 3 && qstrcmp(argv[1], "--child") == 0)
        return child(argc, argv);
    QApplication app(argc, argv);
    TestWindowFit t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_window_fit.moc"
