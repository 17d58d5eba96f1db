// The real-window check: podpath on a real X server (Xvfb, xcb platform, no offscreen
// shortcuts) reaches its first frame, the X server's framebuffer then shows its window,
// and it exits cleanly by itself. With `--replay DIR --diagnose` the same after a replayed
// diagnosis: the diagnosis hook fires and the memory is reported. The program is
// podpath-probed: podpath's own code (podpath::app::run) with the first-frame probe on
// its window, which the shipped podpath does not carry.
// Screenshots: PODPATH_SCREENSHOTS/xvfb-*.png.

#include "test_main.h"
#include "xvfb_server.h"

#include <QFileInfo>
#include <QImage>
#include <QSet>
#include <QTest>

using podpath::testing::XvfbServer;

namespace {

constexpr int kTimeoutMs = 30000;

// Distinct colours inside `r`, counted up to `cap`.
int distinctColours(const QImage &image, const QRect &r, int cap = 1000)
{
    QSet<QRgb> seen;
    for (int y = r.top(); y <= r.bottom(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = r.left(); x <= r.right(); ++x) {
            seen.insert(line[x] | 0xff000000u);
            if (seen.size() >= cap)
                return cap;
        }
    }
    return int(seen.size());
}

QRgb dominantColour(const QImage &image, const QRect &r)
{
    QHash<QRgb, int> counts;
    for (int y = r.top(); y <= r.bottom(); y += 2) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = r.left(); x <= r.right(); x += 2)
            ++counts[line[x] | 0xff000000u];
    }
    QRgb best = 0;
    int most = -1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() > most)
            best = it.key(), most = it.value();
    return best;
}

} // namespace

class XvfbFirstFrame : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(QStringLiteral(PODPATH_PROBED)), PODPATH_PROBED);
        QVERIFY(m_work.isValid());
        QVERIFY(QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS)));
        const QString why = m_xvfb.start();
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void firstFrame_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("diagnosis");   // exit after the diagnosis, not at the first frame
        QTest::addColumn<bool>("redrawn");     // the diagnosis ends after the first frame and changes the window
        const QString podpath = QStringLiteral(PODPATH_PROBED), probe = QStringLiteral(PODPATH_PROBE_WINDOW);
        QTest::newRow("podpath at start") << podpath << QStringList{} << false << false;
        QTest::newRow("podpath replaying ipip-ipset-missing-client")
            << podpath
            << QStringList{QStringLiteral("--replay"),
                           QStringLiteral(PODPATH_FIXTURES "/sessions/ipip-ipset-missing-client"),
                           QStringLiteral("--diagnose")}
            << true << false;
        // The probe's diagnosis hook on its own, in both orders.
        QTest::newRow("bare window, diagnosis before the first frame")
            << probe << QStringList{QStringLiteral("--diagnosis-after"), QStringLiteral("0")} << true << false;
        QTest::newRow("bare window, diagnosis after the first frame")
            << probe << QStringList{QStringLiteral("--diagnosis-after"), QStringLiteral("300")} << true << true;
    }
    void firstFrame()
    {
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        QFETCH(bool, diagnosis);
        QFETCH(bool, redrawn);

        const QString work = m_work.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(' ', '-'));
        const auto run = podpath::testing::runToFirstFrame(
            m_xvfb.display(), program, args, work,
            diagnosis ? QStringLiteral("PODPATH_EXIT_AFTER_DIAGNOSIS") : QStringLiteral("PODPATH_EXIT_AFTER_FIRST_FRAME"),
            kTimeoutMs);

        // It quit by itself, cleanly, and left its window on a real X server.
        QVERIFY2(run.finished, qPrintable(QStringLiteral("%4 did not exit within %1 s%2; stderr:\n%3")
                                               .arg(kTimeoutMs / 1000)
                                               .arg(diagnosis ? QStringLiteral(
                                                        " (is FirstFrameProbe::diagnosisFinished() called when a "
                                                        "diagnosis ends?)")
                                                              : QString())
                                               .arg(run.stderrText, QFileInfo(program).fileName())));
        QVERIFY2(run.exitStatus == QProcess::NormalExit && run.exitCode == 0,
                 qPrintable(QStringLiteral("exit %1; stderr:\n%2").arg(run.exitCode).arg(run.stderrText)));
        QVERIFY2(m_xvfb.running(), "the X server went away");
        QCOMPARE(run.report.value(QStringLiteral("platform")).toString(), QStringLiteral("xcb"));
        const double ms = run.report.value(QStringLiteral("firstFrameMs")).toDouble();
        QVERIFY2(ms > 0 && ms < kTimeoutMs, qPrintable(QString::number(ms)));
        QVERIFY(run.report.value(QStringLiteral("rssKb")).toInt() > 1000);
        qInfo("first frame %.0f ms after the process started, %d KiB resident", ms,
              run.report.value(QStringLiteral("rssKb")).toInt());

        const QJsonObject w = run.report.value(QStringLiteral("window")).toObject();
        const QRect window(w.value(QStringLiteral("x")).toInt(), w.value(QStringLiteral("y")).toInt(),
                           w.value(QStringLiteral("width")).toInt(), w.value(QStringLiteral("height")).toInt());
        const QString keepAs = QStringLiteral("xvfb-") + QFileInfo(program).fileName()
            + (args.size() < 2 ? QString() : QStringLiteral("-") + QFileInfo(args[1]).fileName());
        QImage first, after;
        checkScreenshot(run.shot + QStringLiteral(".png"), window, keepAs, &first);
        if (QTest::currentTestFailed())
            return;

        if (diagnosis) {
            QVERIFY(run.report.value(QStringLiteral("rssAfterDiagnosisKb")).toInt() > 1000);
            QVERIFY(run.report.value(QStringLiteral("diagnosisMs")).toDouble() > 0);
            qInfo("diagnosis done %.0f ms after the start, %d KiB resident",
                  run.report.value(QStringLiteral("diagnosisMs")).toDouble(),
                  run.report.value(QStringLiteral("rssAfterDiagnosisKb")).toInt());
            checkScreenshot(run.shot + QStringLiteral("-diagnosis.png"), window, keepAs + QStringLiteral("-diagnosis"),
                            &after);
            if (QTest::currentTestFailed())
                return;
            if (redrawn)   // the screenshot waits for the window to show the result
                QVERIFY2(first.copy(window) != after.copy(window), "the diagnosis screenshot shows the first frame");
        } else {
            QVERIFY(!run.report.contains(QStringLiteral("rssAfterDiagnosisKb")));
            QVERIFY(!QFile::exists(run.shot + QStringLiteral("-diagnosis.png")));
        }
    }

    void cleanupTestCase()
    {
        m_xvfb.stop();
        QVERIFY(!m_xvfb.running());
    }

private:
    // The X server's framebuffer shows the window: drawn (text, frames: many colours),
    // and different from the bare root window around it.
    // Qt Test's checks return from the function: the picture comes back through `out`.
    void checkScreenshot(const QString &path, const QRect &window, const QString &keepAs, QImage *out)
    {
        QImage shot(path);
        QVERIFY2(!shot.isNull(), qPrintable(path + QStringLiteral(" is missing or not a PNG")));
        shot = shot.convertToFormat(QImage::Format_RGB32);
        shot.save(QStringLiteral(PODPATH_SCREENSHOTS "/%1.png").arg(keepAs));
        QCOMPARE(shot.size(), QSize(XvfbServer::kWidth, XvfbServer::kHeight));
        const QRect visible = window & shot.rect();
        QVERIFY2(visible.width() > 200 && visible.height() > 150,
                 qPrintable(QStringLiteral("window %1,%2 %3x%4 is not on the screen")
                                .arg(window.x()).arg(window.y()).arg(window.width()).arg(window.height())));
        const int colours = distinctColours(shot, visible);
        QVERIFY2(colours >= 16, qPrintable(QStringLiteral("only %1 colours in the window: blank?").arg(colours)));
        if (visible.right() + 10 < shot.width()) {
            const QRect outside(visible.right() + 10, 0, shot.width() - visible.right() - 10, shot.height());
            QVERIFY2(dominantColour(shot, visible) != dominantColour(shot, outside),
                     "the window looks like the empty screen around it");
        }
        *out = shot;
    }

    XvfbServer m_xvfb;
    QTemporaryDir m_work;
};

PODPATH_TEST_GUILESS_MAIN_UNLESS(XvfbFirstFrame, XvfbServer::installed()
                                                     ? QString()
                                                     : QStringLiteral("Xvfb is not installed (packaging/podpath-dev deps "
                                                                      "installs xvfb)"))
#include "xvfb_first_frame.moc"
