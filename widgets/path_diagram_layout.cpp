// Geometry of the path diagram, from the font's metrics only: the painter, the view's
// hit test and the tests all ask here, so no rectangle is computed twice.

#include "path_diagram_painter.h"

#include <QFontInfo>
#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace podpath::widgets {

using namespace diagnose;

namespace {

// Pixel-sized fonts measure the same on a screen, a 2x QImage and a printer.
QFont pixelFont(const QFont &f, double factor = 1.0)
{
    QFont r = f;
    const int px = f.pixelSize() > 0 ? f.pixelSize() : QFontInfo(f).pixelSize();
    r.setPixelSize(std::max(7, int(std::lround(std::max(7, px) * factor))));
    return r;
}

// Everything vertical, in multiples of the line heights: natural sizes, before the
// area's spare room is handed out.
struct Metrics {
    double L = 0, Ls = 0, Lb = 0;  // line heights: base, small, big
    double r = 0;                  // marker radius
    double margin = 0, gap = 0, pad = 0;
    double header = 0, callout = 0, legend = 0;
    double labels = 0;             // small lines: title, then a count per stream (two at least)
    double chip = 0;               // a device's name, address and MTU atop its column (two lines; three with pods)
    double checks = 0;             // a node's checks: one row; with pods a second, the pod's
    double ringClear = 0;          // marker centre to its label
    double laneGap = 0;            // request lane to reply lane, centre to centre
    double outerGap = 0;           // room for the ping pill / the reply's turn
    double columnMin = 0, networkMin = 0;
    int columns = 2;               // per node: tunnel and underlay device, and the pod's interface with pods

    double boxHeight(double lane) const
    {
        return pad + L + Ls + 0.35 * L + chip + 0.25 * L + labels + ringClear + lane + ringClear + labels + 0.3 * L +
               0.35 * L + checks + pad;
    }
    double naturalHeight() const
    {
        return margin + header + gap + boxHeight(laneGap) + gap + callout + gap + legend + margin;
    }
    double minWidth() const
    {
        const double box = outerGap + columns * columnMin + columns * pad;
        return 2 * margin + 2 * box + networkMin + 2 * (0.4 * L);
    }
};

Metrics metricsFor(const QFont &base, const QFont &small, const QFont &bold, const QFont &big, int calloutLines,
                   int streamLines, bool pods)
{
    Metrics m;
    const QFontMetricsF fb(base), fs(small), fbold(bold), fbig(big);
    m.L = fb.height();
    m.Ls = fs.height();
    m.Lb = fbig.height();
    m.r = 0.8 * m.L;
    m.margin = 0.5 * m.L;
    m.gap = 0.5 * m.L;
    m.pad = 0.55 * m.L;
    m.header = 0.3 * m.L + m.Lb + 0.2 * m.L + m.L + 0.3 * m.L;
    // Three lines, or as many as the callout's text needs (two more when there is room).
    m.callout = 2 * m.pad + std::max(3, calloutLines) * m.L;
    m.legend = m.Ls + 0.4 * m.L;
    m.labels = (1 + std::max(2, streamLines)) * m.Ls;
    // Three columns are narrower: a device's address and MTU may need a line each.
    m.chip = (pods ? 3 : 2) * m.Ls + 0.3 * m.L;
    m.checks = pods ? 2 * m.Ls + 0.45 * m.L : m.Ls + 0.3 * m.L;
    m.ringClear = 1.85 * m.r;
    m.laneGap = 3.7 * m.r;
    m.outerGap = 1.7 * m.L;
    double title = 0;
    m.columns = pods ? 3 : 2;
    for (const auto &h : kHops)
        title = std::max(title, fs.horizontalAdvance(QString::fromUtf8(h.title.data(), qsizetype(h.title.size()))));
    m.columnMin = title + 0.8 * m.L;
    m.networkMin = std::max(fbold.horizontalAdvance(QStringLiteral("underlay network")),
                            fs.horizontalAdvance(QStringLiteral("WireGuard (encrypted)"))) +
                   1.5 * m.L;
    return m;
}

QRectF around(QPointF c, double half) { return QRectF(c.x() - half, c.y() - half, 2 * half, 2 * half); }

} // namespace

QSizeF readableDiagramSize(const DiagramStyle &style, int calloutLines, double smallestTextPx, int streamLines, bool pods)
{
    const QFont base = pixelFont(style.font), small = pixelFont(style.font, 0.88), big = pixelFont(style.font, 1.4);
    QFont bold = base, bigBold = big;
    bold.setBold(true);
    bigBold.setBold(true);
    const Metrics m = metricsFor(base, small, bold, bigBold, calloutLines, streamLines, pods);
    const double scale = std::min(1.0, smallestTextPx / double(small.pixelSize()));
    return {std::ceil(m.minWidth() * scale), std::ceil(m.naturalHeight() * scale)};
}

DiagramGeometry diagramGeometry(const QRectF &area, const DiagramStyle &style, int calloutLines, int streamLines, bool pods)
{
    DiagramGeometry g;
    g.base = pixelFont(style.font);
    g.small = pixelFont(style.font, 0.88);
    g.bold = g.base;
    g.bold.setBold(true);
    g.big = pixelFont(style.font, 1.4);
    g.big.setBold(true);
    const Metrics m = metricsFor(g.base, g.small, g.bold, g.big, calloutLines, streamLines, pods);
    g.pods = pods;

    const double natural = m.naturalHeight(), minWidth = m.minWidth();
    g.scale = std::min({1.0, area.width() / minWidth, area.height() / natural});
    if (!(g.scale > 0.05))  // empty or absurd areas still get a (tiny) picture, never a division by zero
        g.scale = 0.05;
    const double W = area.width() / g.scale, H = area.height() / g.scale;
    g.bounds = QRectF(0, 0, W, H);
    g.toArea = QTransform::fromTranslate(area.left(), area.top());
    g.toArea.scale(g.scale, g.scale);
    g.radius = m.r;

    // Spare height widens the gap between the lanes (up to a point), then gives the
    // callout a fifth line, then spreads over the gaps between the parts.
    double extra = std::max(0.0, H - natural);
    const double moreLane = std::min(extra * 0.35, 2.5 * m.r);
    const double laneGap = m.laneGap + moreLane;
    extra -= moreLane;
    const double moreCallout = std::min(2 * m.L, std::floor(extra / 1.5 / m.L) * m.L);
    extra -= moreCallout;
    const double gap = m.gap + extra / 4;

    const double side = std::max(m.margin, 0.012 * W);  // wide areas get a little air at the sides
    g.header = QRectF(side, m.margin, W - 2 * side, m.header);

    const double boxGap = 0.4 * m.L;
    const double network = std::clamp(0.2 * W, m.networkMin, std::max(m.networkMin, 0.24 * W));
    const double boxW = (W - 2 * side - network - 2 * boxGap) / 2;
    const double top = g.header.bottom() + gap;
    const double boxH = m.boxHeight(laneGap);
    g.client = QRectF(side, top, boxW, boxH);
    g.network = QRectF(g.client.right() + boxGap, top, network, boxH);
    g.server = QRectF(g.network.right() + boxGap, top, boxW, boxH);

    // Rows inside a box, top down.
    const double chipTop = top + m.pad + m.L + m.Ls + 0.35 * m.L;
    const double labelsTop = chipTop + m.chip + 0.25 * m.L;
    g.requestY = labelsTop + m.labels + m.ringClear;
    g.replyY = g.requestY + laneGap;
    const double bandBottom = g.replyY + m.ringClear + m.labels + 0.3 * m.L;
    const double checksTop = bandBottom + 0.35 * m.L;

    // Columns: the underlay device facing the network, the tunnel device beside it, and
    // with pods the pod's interface on the outer side, where the pod's echoes start and end.
    const double colW = (boxW - m.outerGap - m.columns * m.pad) / m.columns;
    auto column = [&](double left) { return QRectF(left, chipTop, colW, bandBottom - chipTop); };
    if (pods) {
        g.clientColumns[2] = column(g.client.left() + m.outerGap);
        g.clientColumns[0] = column(g.clientColumns[2].right() + m.pad);
    } else {
        g.clientColumns[0] = column(g.client.left() + m.outerGap);
    }
    g.clientColumns[1] = column(g.clientColumns[0].right() + m.pad);
    g.serverColumns[1] = column(g.server.left() + m.pad);
    g.serverColumns[0] = column(g.serverColumns[1].right() + m.pad);
    if (pods)
        g.serverColumns[2] = column(g.serverColumns[0].right() + m.pad);

    for (const HopId id : hopPath(pods)) {
        const HopInfo &h = hopInfo(id);
        const auto &cols = h.node == NodeRole::Client ? g.clientColumns : g.serverColumns;
        const QRectF &col = cols[h.place == HopPlace::Tunnel ? 0 : h.place == HopPlace::Pod ? 2 : 1];
        const double y = h.direction == Direction::Request ? g.requestY : g.replyY;
        const std::size_t i = std::size_t(h.id);
        g.markers[i] = around(QPointF(col.center().x(), y), 1.1 * m.r);
        g.labels[i] = h.direction == Direction::Request
                          ? QRectF(col.left(), y - m.ringClear - m.labels, col.width(), m.labels)
                          : QRectF(col.left(), y + m.ringClear, col.width(), m.labels);
    }

    const double checksH = m.Ls + 0.3 * m.L;
    g.clientChecks = QRectF(g.client.left() + m.pad, checksTop, boxW - 2 * m.pad, checksH);
    g.serverChecks = QRectF(g.server.left() + m.pad, checksTop, boxW - 2 * m.pad, checksH);
    if (pods) {
        g.clientPodChecks = g.clientChecks.translated(0, m.Ls + 0.15 * m.L);
        g.serverPodChecks = g.serverChecks.translated(0, m.Ls + 0.15 * m.L);
    }
    g.chipLines = pods ? 3 : 2;
    const double twoLines = 2 * (m.Ls + 0.15 * m.L);
    g.networkChecks = QRectF(g.network.left() + 0.3 * m.L, checksTop + checksH - twoLines, network - 0.6 * m.L, twoLines);

    g.callout = QRectF(side + m.L, g.client.bottom() + gap, W - 2 * side - 2 * m.L, m.callout + moreCallout);
    g.legend = QRectF(side, g.callout.bottom() + gap, W - 2 * side, m.legend);
    return g;
}

std::array<QRectF, kAllHopCount> hopMarkerRects(const QRectF &area, const DiagramStyle &style, int calloutLines,
                                                int streamLines, bool pods)
{
    const DiagramGeometry g = diagramGeometry(area, style, calloutLines, streamLines, pods);
    std::array<QRectF, kAllHopCount> out;
    for (std::size_t i = 0; i < out.size(); ++i)
        if (!g.markers[i].isNull())
            out[i] = g.toArea.mapRect(g.markers[i]);
    return out;
}

QRectF emphasisRingRect(const QRectF &hopMarker)
{
    // Markers are 1.1 r from their centre; the ring sits at 1.5 r, clear of the diamond's corners.
    const double half = hopMarker.width() / 2 * (1.5 / 1.1);
    return around(hopMarker.center(), half);
}

} // namespace podpath::widgets
