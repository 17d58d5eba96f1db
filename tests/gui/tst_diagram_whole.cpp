// Every word of the path diagram is drawn whole: for every recorded lab session, at the
// exported picture's size (PNG, clipboard, `podpath render`), at the report's size (HTML
// and PDF) and in a narrow window's diagram (800 px wide), no line of text is cut ("…"),
// none runs off the picture and none is drawn over another. Pictures of the tightest
// sessions (and of any that fails) go under PODPATH_SCREENSHOTS/whole-*.png for a person
// to look at.

#include "diagram_image.h"
#include "path_diagram_painter.h"
#include "replayed.h"

#include <QDir>
#include <QPainter>
#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;
using namespace podpath::widgets;

namespace {

// The diagram's share of a window 800 px wide: the results page spans the window; its
// height is what is left above the findings (see tst_window_words for the real window).
const QSizeF kNarrowWindowDiagram(800, 330);
const QSizeF kLaptopWindowDiagram(1366, 420);

QString describe(const DrawnText &t)
{
    return QStringLiteral("%1 \"%2\" at %3,%4 %5x%6")
        .arg(t.part, t.text)
        .arg(t.rect.x(), 0, 'f', 1)
        .arg(t.rect.y(), 0, 'f', 1)
        .arg(t.rect.width(), 0, 'f', 1)
        .arg(t.rect.height(), 0, 'f', 1);
}

// What is wrong with the words drawn into `area`, one line per fault.
QStringList faults(const std::vector<DrawnText> &texts, const QRectF &area)
{
    QStringList out;
    const QRectF inside = area.adjusted(-0.5, -0.5, 0.5, 0.5);
    for (const DrawnText &t : texts) {
        if (t.cut())
            out << QStringLiteral("cut to \"%1\": %2").arg(t.shown, describe(t));
        if (!inside.contains(t.rect))
            out << QStringLiteral("off the picture: ") + describe(t);
    }
    // Line boxes are a font's full height: neighbouring lines touch, text drawn over
    // other text overlaps by more than a pixel both ways.
    for (std::size_t i = 0; i < texts.size(); ++i)
        for (std::size_t j = i + 1; j < texts.size(); ++j) {
            const QRectF both = texts[i].rect.intersected(texts[j].rect);
            if (both.width() > 1.0 && both.height() > 1.0)
                out << QStringLiteral("overlap: ") + describe(texts[i]) + QStringLiteral(" and ") + describe(texts[j]);
        }
    return out;
}

} // namespace

class TestDiagramWhole : public QObject {
    Q_OBJECT
    QMap<QString, Diagnosis> m_runs;

private slots:
    void initTestCase()
    {
        QVERIFY(testing::recordedSessions().size() >= 40);
        for (const QString &s : testing::recordedSessions()) {
            auto r = testing::replayed(s);
            QVERIFY2(r, qPrintable("cannot replay " + s));
            m_runs.insert(s, r->diagnosis);
        }
        // Pod to pod: a column more per node, a lane more per hop.
        QVERIFY(!testing::recordedPodSessions().isEmpty());
        for (const QString &s : testing::recordedPodSessions()) {
            auto r = testing::replayedPods(s, testing::recordedPodPort(s));
            QVERIFY2(r, qPrintable("cannot replay pods " + s));
            m_runs.insert(QStringLiteral("pods-") + s, r->diagnosis);
        }
        QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
    }

    void wordsWhole_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("where");
        QStringList sessions = testing::recordedSessions();
        for (const QString &s : testing::recordedPodSessions())
            sessions << QStringLiteral("pods-") + s;
        for (const QString &s : sessions)
            for (const char *w : {"picture", "report", "narrow window", "laptop window"})
                QTest::newRow(qPrintable(s + " " + w)) << s << QString::fromLatin1(w);
    }
    void wordsWhole()
    {
        QFETCH(QString, session);
        QFETCH(QString, where);
        const Diagnosis &d = m_runs[session];
        DiagramState state;
        QSizeF size;
        DiagramStyle style = DiagramStyle::light();
        if (where == QLatin1String("picture")) {
            size = QSizeF(kDiagramImageSize);
        } else if (where == QLatin1String("report")) {
            size = reportDiagramSize();
            state.shown = DiagramState::Shown::InReport;
        } else {
            size = where == QLatin1String("narrow window") ? kNarrowWindowDiagram : kLaptopWindowDiagram;
            state.shown = DiagramState::Shown::InWindow;
            style.font = QFont();  // the window draws in the application's font
        }
        const QRectF area(QPointF(0, 0), size);
        const std::vector<DrawnText> texts = drawnTexts(area, d, style, state);
        QVERIFY(!texts.empty());
        const QStringList wrong = faults(texts, area);
        static const QStringList lookAt = {"vxlan-mtu-too-small", "vxlan-tunnel-down", "ipip-ipset-missing-client",
                                           "vxlan-tcpdump-missing", "pods-ipip-ingress-deny", "pods-vxlan-egress-deny",
                                           "pods-ipip-reply-untracked"};
        if (!wrong.isEmpty() || lookAt.contains(session)) {
            QImage image((size * 2).toSize(), QImage::Format_ARGB32_Premultiplied);
            image.setDevicePixelRatio(2);
            QPainter p(&image);
            paintPathDiagram(p, area, d, style, state);
            p.end();
            image.save(QStringLiteral(PODPATH_SCREENSHOTS "/whole-%1-%2.png").arg(session, QString(where).replace(' ', '-')));
        }
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QStringLiteral("\n"))));
    }

    // The callout names the lead finding and counts the others, saying where a reader of
    // that picture finds them: "(1 more finding in the Findings tab)", "(2 more findings
    // under Findings below)", "(1 more finding, not in this picture)".
    void otherFindingsCounted_data()
    {
        QTest::addColumn<QString>("session");
        for (const QString &s : testing::recordedSessions())
            QTest::newRow(qPrintable(s)) << s;
    }
    void otherFindingsCounted()
    {
        QFETCH(QString, session);
        const Diagnosis &d = m_runs[session];
        const std::size_t others = d.findings.empty() ? 0 : d.findings.size() - 1;
        const QString count = others == 1 ? QStringLiteral("(1 more finding") : QStringLiteral("(%1 more findings").arg(others);
        const std::pair<DiagramState::Shown, QString> places[] = {
            {DiagramState::Shown::InWindow, QStringLiteral(" in the Findings tab)")},
            {DiagramState::Shown::InReport, QStringLiteral(" under Findings below)")},
            {DiagramState::Shown::Alone, QStringLiteral(", not in this picture)")}};
        for (const auto &[shown, where] : places) {
            DiagramState state;
            state.shown = shown;
            const DiagramCallout c = diagramCallout(d, state);
            const QString all = c.title + QLatin1Char('\n') + c.why + QLatin1Char('\n') + c.next;
            QVERIFY2(!all.contains(QStringLiteral("more finding")) || (d.verdict == Verdict::Fail && others > 0), qPrintable(all));
            if (d.verdict == Verdict::Fail && others > 0 && !d.findings.front().message.empty())
                QVERIFY2(c.why.endsWith(count + where), qPrintable(c.why));
        }
    }
};

QTEST_MAIN(TestDiagramWhole)
#include "tst_diagram_whole.moc"
