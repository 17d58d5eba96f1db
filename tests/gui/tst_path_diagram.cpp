// The path diagram over every recorded lab session: what the picture shows (status by
// colour and shape at each hop, the emphasised first failure, the verdict in the header),
// the view's mouse, keyboard and accessibility, and PNGs under PODPATH_SCREENSHOTS for a
// person to look at.

#include "report/terminal_picture.h"
#include "diagram_image.h"
#include "path_diagram_painter.h"
#include "path_diagram_view.h"
#include "replayed.h"
#include "report/hop_words.h"
#include "report/json_report.h"

#include <QAccessible>
#include <QDir>
#include <QPainter>
#include <QSignalSpy>
#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;
using namespace podpath::widgets;

namespace {

const QRectF kArea(QPointF(0, 0), QSizeF(kDiagramImageSize));

int distance(QColor a, QColor b)
{
    return std::max({std::abs(a.red() - b.red()), std::abs(a.green() - b.green()), std::abs(a.blue() - b.blue())});
}

QColor pixelAt(const QImage &img, QPointF logical)
{
    const double s = img.devicePixelRatio();
    return img.pixelColor(int(logical.x() * s), int(logical.y() * s));
}

QString screenshotPath(const QString &name)
{
    QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
    return QStringLiteral(PODPATH_SCREENSHOTS "/") + name + QStringLiteral(".png");
}

// Sessions whose dark picture is also written and checked.
const QStringList kDarkToo = {"ipip-ipset-missing-client", "vxlan-healthy", "vxlan-tcpdump-missing"};

Diagnosis replayedDiagnosis(const QString &session)
{
    auto run = testing::replayed(session);
    return run ? run->diagnosis : Diagnosis{};
}

} // namespace

class TestPathDiagram : public QObject {
    Q_OBJECT
private slots:
    void sessions_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<bool>("dark");
        const QStringList all = testing::recordedSessions();
        QVERIFY(all.size() >= 12);
        for (const QString &s : all) {
            QTest::addRow("%s", qPrintable(s)) << s << false;
            if (kDarkToo.contains(s))
                QTest::addRow("%s dark", qPrintable(s)) << s << true;
        }
    }

    void sessions()
    {
        QFETCH(QString, session);
        QFETCH(bool, dark);
        auto run = testing::replayed(session);
        QVERIFY2(run, "recording cannot be loaded");
        const Diagnosis &d = run->diagnosis;
        const DiagramStyle style = dark ? DiagramStyle::dark() : DiagramStyle::light();

        const QImage img = renderDiagramImage(d, 2.0, dark);
        QCOMPARE(img.size(), kDiagramImageSize * 2);
        QVERIFY(img.save(screenshotPath(session + (dark ? "-dark" : ""))));

        // Eight distinct hop markers, inside the picture.
        // The callout's text is never cut: the picture is laid out for all its lines.
        const QStringList callout = calloutLines(kArea, d, style);
        const DiagramCallout words = diagramCallout(d);
        QVERIFY2(!callout.join(' ').contains(QChar(0x2026)) || (words.title + words.why + words.next).contains(QChar(0x2026)),
                 qPrintable(callout.join('\n')));
        QString drawn = callout.join(QString()), full = words.title + words.why + words.next;
        QCOMPARE(drawn.remove(' '), full.remove(' '));
        const auto all = hopMarkerRects(kArea, style, calloutLineCount(kArea, d, style));
        // Between two nodes the eight hops are drawn; the pods' four are not.
        for (std::size_t i = kHops.size(); i < all.size(); ++i)
            QVERIFY(all[i].isNull());
        const std::vector<QRectF> rects(all.begin(), all.begin() + std::ptrdiff_t(kHops.size()));
        for (std::size_t i = 0; i < rects.size(); ++i) {
            QVERIFY2(kArea.contains(emphasisRingRect(rects[i])), qPrintable(QString::number(i)));
            for (std::size_t j = i + 1; j < rects.size(); ++j)
                QVERIFY2(!rects[i].intersects(rects[j]), qPrintable(QStringLiteral("%1 overlaps %2").arg(i).arg(j)));
        }

        for (std::size_t i = 0; i < rects.size(); ++i) {
            const HopVerdict &h = d.hops[i];
            // Colour: the marker's centre carries the status colour; a hop no echo reached
            // is an empty ring (its centre the background), never a second cross.
            const QColor centre = pixelAt(img, rects[i].center());
            const bool notReached = report::hopFate(h) == StreamFate::NotReached;
            const QColor want = notReached ? style.background : style.statusColor(h.status);
            QVERIFY2(distance(centre, want) <= 24,
                     qPrintable(QStringLiteral("%1 is %2: centre %3, expected %4")
                                    .arg(QString::fromUtf8(kHops[i].key.data()), QString::fromUtf8(toString(h.status).data()),
                                         centre.name(), want.name())));
            // Emphasis: the ring only around the first failing hop.
            const QRectF ring = emphasisRingRect(rects[i]);
            const QColor top = pixelAt(img, QPointF(ring.center().x(), ring.top()));
            const bool emphasised = distance(top, style.emphasis) <= 40;
            const bool first = d.firstFailingHop && std::size_t(*d.firstFailingHop) == i;
            QVERIFY2(emphasised == first, qPrintable(QStringLiteral("%1: ring %2 (%3)")
                                                         .arg(QString::fromUtf8(kHops[i].key.data()))
                                                         .arg(emphasised)
                                                         .arg(top.name())));
        }

        // The header states the verdict in words.
        const DiagramHeader header = diagramHeader(d);
        switch (d.verdict) {
        case Verdict::Pass: QCOMPARE(header.verdict, QStringLiteral("HEALTHY")); break;
        case Verdict::Fail:
            if (d.firstFailingHop)
                QCOMPARE(header.verdict, QStringLiteral("FAILS at ") + QString::fromUtf8(hopInfo(*d.firstFailingHop).title.data()));
            else  // a check failed, no hop did
                QCOMPARE(header.verdict, QStringLiteral("FAILS at ") + QString::fromStdString(blamedName(d.findings.front().blames)));
            break;
        case Verdict::Error:
            QVERIFY(header.verdict.startsWith(QStringLiteral("COULD NOT DIAGNOSE: ")));
            QVERIFY(header.verdict.contains(QString::fromStdString(d.error)));
            break;
        case Verdict::Incomplete: QVERIFY(header.verdict.startsWith(QStringLiteral("NOT PROVEN"))); break;
        }
        QVERIFY(header.nodes.contains(QString::fromStdString(nodeName(d.client))));
        QVERIFY(header.nodes.contains(QString::fromStdString(nodeName(d.server))));
        if (d.client.nodeIp)
            QVERIFY(header.nodes.contains(QString::fromStdString(d.client.nodeIp->toString())));
        if (d.mode == Encapsulation::IpIp)
            QVERIFY(header.details.startsWith(QStringLiteral("IPIP")));
        if (d.mode == Encapsulation::Vxlan)
            QVERIFY(header.details.startsWith(QStringLiteral("VXLAN")));

        // The callout names the node and why (the leading finding's message).
        const DiagramCallout c = diagramCallout(d);
        QVERIFY(!c.title.isEmpty());
        if (d.verdict == Verdict::Fail && d.firstFailingHop) {
            const HopInfo &at = hopInfo(*d.firstFailingHop);
            QVERIFY2(c.title.contains(QString::fromStdString(nodeName(at.node == NodeRole::Client ? d.client : d.server))),
                     qPrintable(c.title));
            QVERIFY(c.title.contains(QString::fromUtf8(at.title.data())));
            // The finding in the reader's words; its code is for the Findings tab and the JSON.
            QVERIFY2(!c.why.contains(QString::fromStdString(d.findings.front().code)), qPrintable(c.why));
            QVERIFY(c.why.contains(QString::fromStdString(d.findings.front().message)));
        }
        if (d.verdict == Verdict::Error)
            QVERIFY(c.why.contains(QString::fromStdString(d.error)));

        // What `podpath render` draws from the saved JSON is the same picture.
        if (!dark) {
            auto back = report::fromJson(report::toJsonBytes(d));
            QVERIFY2(back.ok(), back.ok() ? "" : back.error().oneLine().c_str());
            QVERIFY(renderDiagramImage(*back, 2.0, false) == img);
        }
    }

    // Status by shape for greyscale printers: a pass is a filled disc, a failure a cross
    // in a hollow diamond, so the same spot beside the centre is dark in one and light in
    // the other once the colour is gone. The status colours stand off the page and each other.
    void greyscale()
    {
        const Diagnosis d = replayedDiagnosis(QStringLiteral("ipip-ipset-missing-client"));
        const QImage grey = renderDiagramImage(d, 2.0, false).convertToFormat(QImage::Format_Grayscale8);
        QVERIFY(grey.save(screenshotPath(QStringLiteral("ipip-ipset-missing-client-greyscale"))));
        const auto rects = hopMarkerRects(kArea, DiagramStyle::light(), calloutLineCount(kArea, d, DiagramStyle::light()));
        const double r = rects[0].width() / 2 / 1.1;
        auto greyBeside = [&](std::size_t hop) {
            const QPointF at = rects[hop].center() + QPointF(-0.6 * r, -0.3 * r);
            return qGray(grey.pixel((at * 2).toPoint()));
        };
        QVERIFY(d.hops[0].status == Status::Pass);
        QVERIFY(d.hops[3].status == Status::Fail);
        QVERIFY2(greyBeside(0) < 120, qPrintable(QString::number(greyBeside(0))));
        QVERIFY2(greyBeside(3) > 190, qPrintable(QString::number(greyBeside(3))));
        for (const DiagramStyle &s : {DiagramStyle::light(), DiagramStyle::dark()}) {
            const QColor c[] = {s.pass, s.fail, s.unknown, s.skipped};
            for (int i = 0; i < 4; ++i) {
                QVERIFY(std::abs(qGray(c[i].rgb()) - qGray(s.background.rgb())) >= 60);  // visible on the page
                for (int j = i + 1; j < 4; ++j)
                    QVERIFY(distance(c[i], c[j]) >= 60);
            }
        }
    }

    // While the diagnosis runs: facts known, hops waiting, the phase in the header.
    void running()
    {
        Diagnosis d = replayedDiagnosis(QStringLiteral("ipip-healthy"));
        for (auto &h : d.hops)
            h = HopVerdict{h.id, Status::Unknown, 0, 0, {}, {}, {}};
        d.findings.clear();
        d.checks.clear();
        d.verdict = Verdict::Error;  // what a default Diagnosis says until the judge has run
        d.firstFailingHop.reset();
        DiagramState state;
        state.running = true;
        state.phase = "capturing: ping burst running";
        const DiagramHeader header = diagramHeader(d, state);
        QCOMPARE(header.verdict, QStringLiteral("DIAGNOSING: capturing: ping burst running"));
        QVERIFY(header.nodes.contains(QStringLiteral("pplab-node1")));
        QCOMPARE(hopCountText(d.hops[0], true), QStringLiteral("waiting"));
        QCOMPARE(diagramCallout(d, state).title, QStringLiteral("Diagnosis running: capturing: ping burst running"));
        QVERIFY(diagramCallout(d, state).tone == Status::Unknown);

        PathDiagramView view;
        view.resize(1200, 560);
        view.setStyleOverride(DiagramStyle::light());
        view.setDiagnosis(d, state.phase);
        QVERIFY(view.isRunning());
        QVERIFY(view.summary().startsWith(QStringLiteral("DIAGNOSING: capturing")));
        const QImage img = view.grab().toImage();
        img.save(screenshotPath(QStringLiteral("running")));
        for (const QRectF &r : view.hopRects())
            QVERIFY(r.isNull() || distance(pixelAt(img, r.center()), DiagramStyle::light().unknown) <= 24);
        view.setDiagnosis(replayedDiagnosis(QStringLiteral("ipip-healthy")));
        QVERIFY(!view.isRunning());
        QVERIFY(view.summary().startsWith(QStringLiteral("HEALTHY")));
    }

    // A replayed recording says so where a reader looks: the diagram's header (which the
    // exported PNG draws too) and the window's title, with the time it was recorded.
    void recordedSaysSo_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<bool>("recorded");
        QTest::addColumn<QString>("details");  // in the header
        QTest::addColumn<QString>("title");
        // The time is the recording's own (its client's `date`).
        const QString healthy = testing::recordedAt(QStringLiteral("ipip-healthy")).toString(QStringLiteral("yyyy-MM-dd HH:mm:"));
        const QString noTcpdump = testing::recordedAt(QStringLiteral("vxlan-tcpdump-missing")).toString(QStringLiteral("yyyy-MM-dd HH:mm:"));
        QTest::newRow("replayed") << "ipip-healthy" << true << QStringLiteral("IPIP \u00b7 recorded ") + healthy
                                  << QStringLiteral("PodPath \u2014 recorded ") + healthy;
        QTest::newRow("replayed without tcpdump") << "vxlan-tcpdump-missing" << true
                                                  << QStringLiteral("VXLAN \u00b7 recorded ") + noTcpdump
                                                  << QStringLiteral("PodPath \u2014 recorded ") + noTcpdump;
        QTest::newRow("live") << "ipip-healthy" << false << QStringLiteral("IPIP \u00b7 started ")
                              << QStringLiteral("PodPath \u2014 replay of x");
    }
    void recordedSaysSo()
    {
        QFETCH(QString, session);
        QFETCH(bool, recorded);
        QFETCH(QString, details);
        QFETCH(QString, title);
        auto run = testing::replayed(session);
        QVERIFY(run);
        Diagnosis d = run->diagnosis;
        QVERIFY(d.recorded);
        d.recorded = recorded;
        const DiagramHeader header = diagramHeader(d);
        QVERIFY2(header.details.startsWith(details), qPrintable(header.details));
        QCOMPARE(header.details.contains(QStringLiteral("(replay)")), recorded);
        QVERIFY2(titleFor(d, QStringLiteral("x")).startsWith(title), qPrintable(titleFor(d, QStringLiteral("x"))));
        QCOMPARE(titleFor(d, QStringLiteral("x")).endsWith(QStringLiteral("(replay of x)")), recorded);
    }

    // Asked about two pods, the picture names them and what was sent, and its callout
    // the policy, in full; saved for a look (tests/fixtures/pod-sessions).
    void pods_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("nodesLine");
        QTest::addColumn<QString>("callout");
        QTest::newRow("ICMP only, TCP 8080") << "ipip-port-deny-tcp-8080" << 8080
                                             << QStringLiteral("pod 198.18.10.66 \u2192 pod 198.18.20.130 (ICMP, TCP 8080)")
                                             << "allowed by ICMP but not by TCP 8080";
        QTest::newRow("ingress deny") << "ipip-ingress-deny" << 0
                                      << QStringLiteral("pod 198.18.10.66 \u2192 pod 198.18.20.130 (ICMP)")
                                      << "NetworkPolicy default/default-deny-ingress";
        QTest::newRow("replies untracked") << "ipip-reply-untracked" << 0
                                           << QStringLiteral("pod 198.18.10.66 \u2192 pod 198.18.20.130 (ICMP)")
                                           << "before any policy was asked";
    }
    void pods()
    {
        QFETCH(QString, name);
        QFETCH(int, port);
        QFETCH(QString, nodesLine);
        QFETCH(QString, callout);
        auto run = testing::replayedPods(name, port);
        QVERIFY(run);
        const Diagnosis &d = run->diagnosis;
        QVERIFY2(diagramHeader(d).nodes.endsWith(nodesLine), qPrintable(diagramHeader(d).nodes));
        const DiagramStyle style = DiagramStyle::light();
        const QStringList lines = calloutLines(kArea, d, style);
        QVERIFY2(lines.join(' ').contains(callout), qPrintable(lines.join('\n')));
        // The nodes' own echoes crossed: said, whether the pods' failed at a hop (the
        // ingress deny: at server pod in) or only TCP did (no echo was lost).
        QVERIFY2(lines.join(' ').contains("every hop between the nodes"), qPrintable(lines.join('\n')));
        QVERIFY2(lines.first().at(0).isUpper(), qPrintable(lines.first()));
        if (d.firstFailingHop)
            QVERIFY2(lines.first().contains(QString::fromLatin1(diagnose::hopInfo(*d.firstFailingHop).title.data())),
                     qPrintable(lines.first()));
        const QImage img = renderDiagramImage(d, 2.0, false);
        QVERIFY(img.save(screenshotPath("pods-" + name)));
        // The pods' ends are drawn: twelve markers, none over another, each in its
        // node's box on the outer side, coloured by its status.
        const DiagramGeometry g = diagramGeometry(kArea, style, calloutLineCount(kArea, d, style), diagramStreamLines(d), true);
        const auto rects = hopMarkerRects(kArea, style, calloutLineCount(kArea, d, style), diagramStreamLines(d), true);
        QImage shown(kArea.size().toSize(), QImage::Format_ARGB32_Premultiplied);
        QPainter painter(&shown);
        paintPathDiagram(painter, kArea, d, style);
        painter.end();
        for (const HopId id : d.path()) {
            const QRectF r = rects[std::size_t(id)];
            QVERIFY2(!r.isNull(), hopInfo(id).key.data());
            for (const HopId other : d.path())
                QVERIFY(other == id || !r.intersects(rects[std::size_t(other)]));
            const QRectF box = g.toArea.mapRect(hopInfo(id).node == NodeRole::Client ? g.client : g.server);
            QVERIFY2(box.contains(r), hopInfo(id).key.data());
            if (!isPodHop(id))
                continue;
            const QRectF column = g.toArea.mapRect((hopInfo(id).node == NodeRole::Client ? g.clientColumns : g.serverColumns)[2]);
            QVERIFY2(column.contains(r.center()), hopInfo(id).key.data());
            const HopVerdict &h = d.hop(id);
            const QColor want = report::hopFate(h) == StreamFate::NotReached ? style.background : style.statusColor(h.status);
            QVERIFY2(distance(pixelAt(shown, r.center()), want) <= 24,
                     qPrintable(QStringLiteral("%1 is %2").arg(QString::fromUtf8(hopInfo(id).key.data()),
                                                               QString::fromUtf8(toString(h.status).data()))));
        }
        // A screen reader meets the pods' ends too: twelve hops, named as drawn.
        PathDiagramView view;
        view.resize(1366, 600);
        view.setDiagnosis(d);
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(&view);
        QVERIFY(iface);
        QCOMPARE(iface->childCount(), 12);
        for (const HopId id : d.path()) {
            QAccessibleInterface *hop = iface->child(int(id));
            QVERIFY(hop);
            QCOMPARE(hop->text(QAccessible::Name), QString::fromUtf8(hopInfo(id).title.data()));
            QCOMPARE(iface->indexOfChild(hop), int(id));
        }
        // The client pod's column is left of its tunnel, the server pod's right of its own.
        QVERIFY(g.clientColumns[2].right() <= g.clientColumns[0].left());
        QVERIFY(g.serverColumns[2].left() >= g.serverColumns[0].right());
    }

    // From about 900 x 450 up (a title and a line per stream under each hop) everything
    // fits: boxes, callout and legend do not overlap and stay inside; smaller areas scale
    // the whole picture down.
    void fits_data()
    {
        QTest::addColumn<QSizeF>("size");
        QTest::newRow("900x450") << QSizeF(900, 450);
        QTest::newRow("900x420 (scaled)") << QSizeF(900, 420);
        QTest::newRow("1200x560") << QSizeF(1200, 560);
        QTest::newRow("1920x1000") << QSizeF(1920, 1000);
        QTest::newRow("600x300 (scaled)") << QSizeF(600, 300);
    }
    void fits()
    {
        QFETCH(QSizeF, size);
        const QRectF area(QPointF(0, 0), size);
        // A widget's usual font (13 px); the exported picture uses 14 px at 1200 x 560.
        DiagramStyle style = DiagramStyle::light();
        style.font.setPixelSize(13);
        const DiagramGeometry g = diagramGeometry(area, style);
        if (size.width() >= 900 && size.height() >= 450)
            QVERIFY2(g.scale == 1.0, qPrintable(QStringLiteral("scaled to %1").arg(g.scale)));
        else
            QVERIFY(g.scale < 1.0);
        const QRectF all = g.bounds.adjusted(-0.5, -0.5, 0.5, 0.5);
        for (const QRectF &r : {g.header, g.client, g.server, g.network, g.callout, g.legend})
            QVERIFY(all.contains(r));
        QVERIFY(g.header.bottom() <= g.client.top());
        QVERIFY(g.client.right() <= g.network.left() && g.network.right() <= g.server.left());
        QVERIFY(g.client.bottom() <= g.callout.top());
        QVERIFY(g.callout.bottom() <= g.legend.top());
        for (std::size_t i = 0; i < 8; ++i) {
            const QRectF box = kHops[i].node == NodeRole::Client ? g.client : g.server;
            QVERIFY(box.contains(g.markers[i]));
            QVERIFY(box.contains(g.labels[i]));
            QVERIFY(!g.labels[i].intersects(emphasisRingRect(g.markers[i]).adjusted(2, 2, -2, -2)));
        }
        for (const QRectF &r : hopMarkerRects(area, style))
            QVERIFY(r.isNull() || area.contains(r));
        // A picture at this size really paints (no crash, not blank).
        QImage img(size.toSize(), QImage::Format_ARGB32_Premultiplied);
        QPainter p(&img);
        paintPathDiagram(p, area, replayedDiagnosis(QStringLiteral("vxlan-mtu-too-small")), style);
        p.end();
        img.save(screenshotPath(QStringLiteral("size-%1x%2").arg(size.width()).arg(size.height())));
    }

    // Hover, click and keyboard reach every hop; the selection ring shows.
    void view_interaction()
    {
        const Diagnosis d = replayedDiagnosis(QStringLiteral("ipip-ipset-missing-client"));
        PathDiagramView view;
        view.setStyleOverride(DiagramStyle::light());
        view.resize(1000, 480);
        view.setDiagnosis(d);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy spy(&view, &PathDiagramView::hopActivated);

        const auto rects = view.hopRects();
        for (const HopInfo &h : kHops) {
            const QRectF r = rects[std::size_t(h.id)];
            QVERIFY(QRectF(view.rect()).contains(r));
            QCOMPARE(view.hopAt(r.center()), std::optional<HopId>(h.id));
            QTest::mouseClick(&view, Qt::LeftButton, {}, r.center().toPoint());
            QCOMPARE(spy.count(), 1);
            QCOMPARE(spy.takeFirst().at(0).value<HopId>(), h.id);
        }
        QVERIFY(!view.hopAt(QPointF(2, 2)));

        // Tooltip: title, status, count, explanation and evidence lines.
        const QString tip = view.hopToolTip(HopId::RequestServerIngress);
        QVERIFY(tip.contains(QStringLiteral("server underlay in")));
        QVERIFY2(tip.contains(QStringLiteral("84 B: 5/5 seen, 1480 B DF: 5/5 seen")), qPrintable(tip));
        QVERIFY(tip.contains(QString::fromStdString(d.hop(HopId::RequestServerIngress).explanation).toHtmlEscaped()));
        QVERIFY(tip.contains(QString::fromStdString(d.hop(HopId::RequestServerIngress).evidence.front()).toHtmlEscaped()));
        QVERIFY(view.hopToolTip(HopId::RequestServerTunnel).contains(QStringLiteral("FAIL")));

        // Keyboard: focus lands on the first failure; Left/Right walk the path; Enter activates.
        view.clearFocus();
        view.setFocusedHop(std::nullopt);
        view.setFocus();
        QTRY_VERIFY(view.hasFocus());
        QCOMPARE(view.focusedHop(), d.firstFailingHop);
        QTest::keyClick(&view, Qt::Key_Left);
        QCOMPARE(view.focusedHop(), std::optional<HopId>(HopId::RequestServerIngress));
        view.grab().save(screenshotPath(QStringLiteral("view-focused")));
        QTest::keyClick(&view, Qt::Key_Return);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.takeFirst().at(0).value<HopId>(), HopId::RequestServerIngress);
        QTest::keyClick(&view, Qt::Key_End);
        QTest::keyClick(&view, Qt::Key_Right);  // stays on the last hop
        QCOMPARE(view.focusedHop(), std::optional<HopId>(HopId::ReplyClientTunnel));
        QTest::keyClick(&view, Qt::Key_Home);
        QCOMPARE(view.focusedHop(), std::optional<HopId>(HopId::RequestClientTunnel));

        // Selection ring, drawn in the selection colour around the highlighted hop only.
        view.clearFocus();
        view.setHighlightedHop(HopId::ReplyServerEgress);
        QCOMPARE(view.highlightedHop(), std::optional<HopId>(HopId::ReplyServerEgress));
        const QImage img = view.grab().toImage();
        img.save(screenshotPath(QStringLiteral("view-highlighted")));
        const double radius = rects[0].width() / 2 / 1.1;
        for (const HopInfo &h : kHops) {
            const QPointF c = rects[std::size_t(h.id)].center();
            const QColor ring = pixelAt(img, c + QPointF(0, -1.82 * radius));
            const bool selected = distance(ring, DiagramStyle::light().selection) <= 40;
            QVERIFY2(selected == (h.id == HopId::ReplyServerEgress), qPrintable(QString::fromUtf8(h.key.data())));
        }
        view.setHighlightedHop(std::nullopt);
        QVERIFY(!view.highlightedHop());
    }

    void accessibility()
    {
        const Diagnosis d = replayedDiagnosis(QStringLiteral("vxlan-mtu-too-small"));
        PathDiagramView view;
        view.resize(1200, 560);
        view.setDiagnosis(d);
        QVERIFY(view.accessibleDescription().startsWith(QStringLiteral("FAILS at server underlay in")));
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(&view);
        QVERIFY(iface);
        QCOMPARE(iface->text(QAccessible::Name), QStringLiteral("Packet path diagram"));
        QVERIFY(iface->text(QAccessible::Description).contains(QStringLiteral("pplab-node2")));
        QCOMPARE(iface->childCount(), 8);
        for (int i = 0; i < 8; ++i) {
            QAccessibleInterface *hop = iface->child(i);
            QVERIFY(hop);
            QCOMPARE(hop->text(QAccessible::Name), QString::fromUtf8(kHops[std::size_t(i)].title.data()));
            QCOMPARE(hop->role(), QAccessible::Button);
            QCOMPARE(iface->indexOfChild(hop), i);
            QCOMPARE(hop->text(QAccessible::Value), QString::fromUtf8(toString(d.hops[std::size_t(i)].status).data()));
        }
        QVERIFY(iface->child(2)->text(QAccessible::Description).contains(QStringLiteral("first failure")));
        QVERIFY2(iface->child(2)->text(QAccessible::Description).contains(QStringLiteral("84 B: 5/5 seen, 1450 B DF: 0/5 seen")),
                 qPrintable(iface->child(2)->text(QAccessible::Description)));
        QSignalSpy spy(&view, &PathDiagramView::hopActivated);
        auto *action = iface->child(5)->actionInterface();
        QVERIFY(action);
        action->doAction(QAccessibleActionInterface::pressAction());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<HopId>(), HopId::ReplyServerEgress);
    }

    // The MTU fault reads at a glance: under each hop a mark and a count per stream, the
    // callout names the stream lost and the hop, the checks row shows both pings.
    // The underlay line names what crosses it, with the VXLAN port the nodes reported
    // (the lab's devices use 4789; another cluster's may use 8472), never a guessed one.
    void encapsulationLine_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<int>("clientPort");  // -1: as recorded
        QTest::addColumn<int>("serverPort");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ipip as recorded") << "ipip-healthy" << -1 << -1 << "IPIP (IP protocol 4)";
        QTest::newRow("vxlan as recorded") << "vxlan-healthy" << -1 << -1 << "VXLAN (UDP 4789)";
        QTest::newRow("vxlan on 8472") << "vxlan-healthy" << 8472 << 8472 << "VXLAN (UDP 8472)";
        QTest::newRow("client port not read") << "vxlan-healthy" << 0 << 8472 << "VXLAN (UDP 8472)";
        QTest::newRow("no port read") << "vxlan-healthy" << 0 << 0 << "VXLAN";
    }
    void encapsulationLine()
    {
        QFETCH(QString, session);
        QFETCH(int, clientPort);
        QFETCH(int, serverPort);
        QFETCH(QString, expected);
        Diagnosis d = replayedDiagnosis(session);
        if (clientPort >= 0) {
            d.client.vxlanPort = clientPort;
            d.server.vxlanPort = serverPort;
        }
        QCOMPARE(encapsulationText(d), expected);
    }

    // Recorded two-subnet and dual-stack pairs (tests/fixtures/dataplane-sessions): the
    // underlay box names each node's router, the header says which families a dual-stack
    // verdict holds for (IPv4 alone when the IPv6 burst was not read); a pair on one
    // subnet has neither.
    void routersAndDualStack_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QStringList>("routers");
        QTest::addColumn<bool>("ipv6Unread");  // the IPv6 ping's check taken out, as when ping -6 could not run
        QTest::addColumn<QString>("families");  // what the header says; empty: nothing
        QTest::newRow("two subnets") << "two-subnets-vxlan-healthy"
                                     << QStringList{"routed via 198.51.100.126", "back via 198.51.100.254"} << false << "";
        QTest::newRow("two subnets, VXLAN dropped") << "two-subnets-vxlan-underlay-blocks-encap"
                                                    << QStringList{"routed via 198.51.100.126", "back via 198.51.100.254"}
                                                    << false << "";
        QTest::newRow("dual-stack") << "dual-stack-vxlan-healthy" << QStringList{} << false << "IPv4 and IPv6";
        QTest::newRow("dual-stack, IPv6 lost") << "dual-stack-vxlan6-ipv6-underlay-drops" << QStringList{} << false
                                               << "IPv4 and IPv6";
        QTest::newRow("dual-stack, IPv6 not read") << "dual-stack-vxlan-healthy" << QStringList{} << true
                                                   << "IPv4 only (IPv6 not judged)";
        QTest::newRow("one subnet, IPv4") << "nftables-ipip-healthy" << QStringList{} << false << "";
    }
    void routersAndDualStack()
    {
        QFETCH(QString, session);
        QFETCH(QStringList, routers);
        QFETCH(bool, ipv6Unread);
        QFETCH(QString, families);
        const auto run = testing::replayedDataplane(session);
        QVERIFY(run);
        Diagnosis d = run->diagnosis;
        if (ipv6Unread)
            std::erase_if(d.checks, [](const CheckResult &c) { return c.id == "tunnel6.ping"; });
        QCOMPARE(routerLines(d), routers);
        const QString details = diagramHeader(d, {}).details;
        QVERIFY2(families.isEmpty() ? !details.contains(QLatin1String("IPv")) : details.contains(families), qPrintable(details));
        if (!ipv6Unread)
            QVERIFY(renderDiagramImage(d, 2.0, false).save(screenshotPath(session)));
    }

    // Through WireGuard the reader is told where the hops were watched: the header, the
    // network between the nodes, the tunnel column named after WireGuard's device, its check.
    void wireguard_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<bool>("judged");
        QTest::newRow("healthy") << "wireguard-vxlan-healthy" << true;
        QTest::newRow("allowed ips missing on the server") << "wireguard-wireguard-wg-allowed-ips-missing" << true;
        QTest::newRow("no WireGuard") << "nftables-ipip-healthy" << false;
    }
    void wireguard()
    {
        QFETCH(QString, session);
        QFETCH(bool, judged);
        const auto run = testing::replayedDataplane(session);
        QVERIFY(run);
        const Diagnosis &d = run->diagnosis;
        QCOMPARE(d.wireguardJudged(), judged);
        const QString details = diagramHeader(d, {}).details;
        QCOMPARE(details.contains(QLatin1String("WireGuard (VXLAN pool)")), judged);
        QCOMPARE(encapsulationText(d) == QLatin1String("WireGuard (encrypted)"), judged);
        // The terminal says it in one line under the nodes.
        const std::string terminal = report::renderTerminal(d);
        QCOMPARE(terminal.find("WireGuard wireguard.cali on both nodes: the tunnel column is that device") != std::string::npos, judged);
        if (judged) {
            QCOMPARE(d.client.encryptionDevice, std::string("wireguard.cali"));
            QCOMPARE(d.client.encryptionMtu, 1440);
            QVERIFY(renderDiagramImage(d, 2.0, false).save(screenshotPath(session)));
        }
    }

    void streams_data()
    {
        QTest::addColumn<QString>("session");
        for (const QString &s : testing::recordedSessions())
            if (s.endsWith(QLatin1String("-mtu-too-small")) || s.endsWith(QLatin1String("-healthy")))
                QTest::newRow(qPrintable(s)) << s;
    }
    void streams()
    {
        QFETCH(QString, session);
        const bool mtu = session.endsWith(QLatin1String("-mtu-too-small"));
        const Diagnosis d = replayedDiagnosis(session);
        const QString big = QString::number(d.client.tunnelMtu) + QStringLiteral(" B DF");
        for (const HopInfo &h : kHops) {
            const auto lines = hopStreamLines(d.hop(h.id));
            QCOMPARE(lines.size(), std::size_t(2));
            QCOMPARE(lines[0].fate, StreamFate::Seen);
            QCOMPARE(lines[0].text, QStringLiteral("84 B 5/5"));
            if (!mtu || h.id < HopId::RequestServerIngress) {
                QCOMPARE(lines[1].fate, StreamFate::Seen);
                QCOMPARE(lines[1].text, big + QStringLiteral(" 5/5"));
            } else if (h.id == HopId::RequestServerIngress) {
                QCOMPARE(lines[1].fate, StreamFate::LostHere);
                QCOMPARE(lines[1].text, big + QStringLiteral(" 0/5"));
            } else {
                QCOMPARE(lines[1].fate, StreamFate::NotReached);
                QCOMPARE(lines[1].text, big + QStringLiteral(" not reached"));
            }
            QVERIFY(hopStreamLines(d.hop(h.id), true).empty());  // while running: "waiting"
        }
        const DiagramCallout c = diagramCallout(d);
        if (mtu) {
            QVERIFY2(c.title.startsWith(big + QStringLiteral(" echoes lost in the network between pplab-node1 and pplab-node2")),
                     qPrintable(c.title));
            QVERIFY2(c.title.contains(QStringLiteral("client underlay out saw 5/5, server underlay in only 0/5")), qPrintable(c.title));
            QVERIFY2(c.title.endsWith(QStringLiteral("84 B echoes (5/5) crossed")), qPrintable(c.title));
            QVERIFY(d.check("tunnel.full-size")->status == Status::Fail);
            QVERIFY(d.check("tunnel.ping")->status == Status::Pass);
        }
        // Reply hops pass on the small echoes: drawn as passes (the status colour at the centre).
        const QImage img = renderDiagramImage(d, 2.0, false);
        QVERIFY(img.save(screenshotPath(session + QStringLiteral("-streams"))));
        const auto rects = hopMarkerRects(kArea, DiagramStyle::light(), calloutLineCount(kArea, d, DiagramStyle::light()));
        for (HopId h : {HopId::ReplyServerTunnel, HopId::ReplyClientTunnel})
            QVERIFY(distance(pixelAt(img, rects[std::size_t(h)].center()), DiagramStyle::light().pass) <= 24);
    }

    // Written for the README and for people to look at: light and dark, 1x.
    void scales()
    {
        const Diagnosis d = replayedDiagnosis(QStringLiteral("ipip-route-wrong-gateway"));
        const QImage one = renderDiagramImage(d, 1.0);
        QCOMPARE(one.size(), kDiagramImageSize);
        QVERIFY(one.save(screenshotPath(QStringLiteral("ipip-route-wrong-gateway-1x"))));
        const QByteArray png = renderDiagramPng(d, 2.0, true);
        QVERIFY(png.startsWith("\x89PNG"));
        QImage decoded;
        QVERIFY(decoded.loadFromData(png, "PNG"));
        QCOMPARE(decoded.size(), kDiagramImageSize * 2);
    }
};

QTEST_MAIN(TestPathDiagram)
#include "tst_path_diagram.moc"
