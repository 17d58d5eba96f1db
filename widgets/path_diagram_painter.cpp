#include "path_diagram_painter.h"

#include "report/hop_words.h"
#include "report/status_palette.h"
#include "status_mark.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QPicture>
#include <QPalette>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace podpath::widgets {

using namespace diagnose;

DiagramStyle DiagramStyle::light()
{
    DiagramStyle s;
    s.background = QColor(0xff, 0xff, 0xff);
    s.text = QColor(0x1f, 0x23, 0x28);
    s.mutedText = QColor(0x57, 0x60, 0x6a);
    s.nodeFill = QColor(0xf4, 0xf6, 0xf8);
    s.nodeBorder = QColor(0x7d, 0x87, 0x91);
    s.columnFill = QColor(0xe3, 0xe7, 0xec);
    s.networkFill = QColor(0xfb, 0xfb, 0xfc);
    s.networkBorder = QColor(0x98, 0xa1, 0xaa);
    s.lane = QColor(0x3d, 0x48, 0x52);
    s.laneBroken = QColor(0xa9, 0xb0, 0xb8);
    // Okabe-Ito blue and a darkened vermillion: apart for every common colour vision
    // deficiency, dark enough for small text on white (5:1) and for a failure to stand out
    // in greyscale; shapes carry the meaning anyway. The reports use the same palette.
    s.setStatusColors(report::kLightPalette);
    s.glyph = QColor(0xff, 0xff, 0xff);
    s.emphasis = s.fail;
    s.selection = s.text;
    s.focus = s.text;
    s.calloutFill = QColor(0xfc, 0xfc, 0xfd);
    s.font.setPixelSize(14);
    return s;
}

DiagramStyle DiagramStyle::dark()
{
    DiagramStyle s;
    s.background = QColor(0x1c, 0x1e, 0x21);
    s.text = QColor(0xe8, 0xea, 0xed);
    s.mutedText = QColor(0xa3, 0xaa, 0xb2);
    s.nodeFill = QColor(0x26, 0x29, 0x2d);
    s.nodeBorder = QColor(0x6e, 0x76, 0x80);
    s.columnFill = QColor(0x32, 0x36, 0x3c);
    s.networkFill = QColor(0x21, 0x23, 0x27);
    s.networkBorder = QColor(0x6e, 0x76, 0x80);
    s.lane = QColor(0xc8, 0xce, 0xd5);
    s.laneBroken = QColor(0x58, 0x5f, 0x67);
    s.setStatusColors(report::kDarkPalette);
    s.glyph = s.background;
    s.emphasis = s.fail;
    s.selection = s.text;
    s.focus = s.text;
    s.calloutFill = QColor(0x23, 0x25, 0x29);
    s.font.setPixelSize(14);
    return s;
}

DiagramStyle DiagramStyle::forPalette(const QPalette &palette, const QFont &font)
{
    DiagramStyle s = palette.color(QPalette::Window).lightness() < 128 ? dark() : light();
    s.background = palette.color(QPalette::Base);
    s.text = palette.color(QPalette::Text);
    s.selection = s.text;
    s.focus = palette.color(QPalette::Highlight);
    s.font = font;
    return s;
}

void DiagramStyle::setStatusColors(const report::StatusPalette &p)
{
    pass = QColor::fromRgb(p.pass);
    fail = QColor::fromRgb(p.fail);
    unknown = QColor::fromRgb(p.unknown);
    skipped = QColor::fromRgb(p.skipped);
    failTint = QColor::fromRgb(p.failTint);
    unknownTint = QColor::fromRgb(p.unknownTint);
}

QColor DiagramStyle::statusColor(Status st) const
{
    switch (st) {
    case Status::Pass: return pass;
    case Status::Fail: return fail;
    case Status::Unknown: return unknown;
    case Status::Skipped: return skipped;
    }
    return unknown;
}

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QPen pen(const QColor &c, double w, Qt::PenStyle style = Qt::SolidLine)
{
    return QPen(c, w, style, Qt::RoundCap, Qt::RoundJoin);
}

void drawRing(QPainter &p, QPointF c, double radius, const QPen &pn)
{
    p.setPen(pn);
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(c, radius, radius);
}

// One line of text whose top is at `top`, elided to `width`; returns its advance.
// `log` hears what was drawn where (drawnTexts).
double drawLine(QPainter &p, double x, double top, double width, const QString &text, const QFont &font,
                const QColor &color, Qt::Alignment align = Qt::AlignLeft, std::vector<DrawnText> *log = nullptr,
                const char *part = "")
{
    // A line a little too long for its place is set narrower, as tight as 80 %, before
    // any of it is cut: the numbers in it are what the reader came for.
    QFont narrow = font;
    for (int stretch = 95; stretch >= 80 && QFontMetricsF(narrow).horizontalAdvance(text) > width; stretch -= 5)
        narrow.setStretch(stretch);
    const QFontMetricsF fm(narrow);
    const QString shown = fm.elidedText(text, Qt::ElideRight, std::max(0.0, width));
    const double w = fm.horizontalAdvance(shown);
    double left = x;
    if (align & Qt::AlignHCenter)
        left = x + (width - w) / 2;
    else if (align & Qt::AlignRight)
        left = x + width - w;
    p.setFont(narrow);
    p.setPen(color);
    p.drawText(QPointF(left, top + fm.ascent()), shown);
    if (log && !text.isEmpty())
        log->push_back({QString::fromLatin1(part), text, shown,
                        p.worldTransform().mapRect(QRectF(left, top, w, fm.height())), font.pixelSize() * std::sqrt(std::abs(p.worldTransform().determinant()))});
    return w;
}

// Word-wrapped into at most maxLines; the last line is elided when text is left over.
QStringList wrapText(const QString &text, const QFont &font, double width, int maxLines)
{
    QStringList out;
    if (text.isEmpty() || maxLines <= 0 || width <= 0)
        return out;
    QTextLayout layout(text, font);
    layout.beginLayout();
    for (;;) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        if (int(out.size()) == maxLines - 1) {
            out << QFontMetricsF(font).elidedText(text.mid(line.textStart()).trimmed(), Qt::ElideRight, width);
            break;
        }
        out << text.mid(line.textStart(), line.textLength()).trimmed();
    }
    layout.endLayout();
    return out;
}

constexpr int kAllLines = 1000;

// The callout's text width inside `g` (the painter's callout() lays out the same).
double calloutTextWidth(const DiagramGeometry &g)
{
    const double L = QFontMetricsF(g.base).height();
    const double textX = g.callout.left() + 0.55 * L + L + 0.6 * L;
    return g.callout.right() - 0.55 * L - textX;
}

QStringList wrappedCallout(const DiagramCallout &c, const DiagramGeometry &g)
{
    const double width = calloutTextWidth(g);
    return wrapText(c.title, g.bold, width, kAllLines) + wrapText(c.why, g.base, width, kAllLines) +
           wrapText(c.next, g.base, width, kAllLines);
}

struct Painter {
    QPainter &p;
    const DiagramGeometry &g;
    const Diagnosis &d;
    const DiagramStyle &st;
    const DiagramState &state;
    std::vector<DrawnText> *log = nullptr;
    const char *part = "";
    // The hops drawn, in path order (twelve with pods): worked out once per paint.
    const std::vector<HopId> pathHops = hopPath(g.pods);
    double L() const { return QFontMetricsF(g.base).height(); }

    double line(double x, double top, double width, const QString &text, const QFont &font, const QColor &color,
                Qt::Alignment align = Qt::AlignLeft)
    {
        return drawLine(p, x, top, width, text, font, color, align, log, part);
    }
    double Ls() const { return QFontMetricsF(g.small).height(); }

    Status verdictTone() const
    {
        if (state.running)
            return Status::Unknown;
        switch (d.verdict) {
        case Verdict::Pass: return Status::Pass;
        case Verdict::Fail: return Status::Fail;
        case Verdict::Error:
        case Verdict::Incomplete: break;
        }
        return Status::Unknown;
    }

    void header()
    {
        part = "header";
        const DiagramHeader h = diagramHeader(d, state);
        const QRectF r = g.header;
        const Status tone = verdictTone();
        const QColor toneColor = state.running ? st.text : st.statusColor(tone);
        const double lb = QFontMetricsF(g.big).height();
        const double top = r.top() + 0.3 * L();
        // A bar in the verdict's colour: the first thing a reader's eye lands on.
        p.fillRect(QRectF(r.left(), r.top(), 0.35 * L(), r.height()), toneColor);
        const double x = r.left() + 0.35 * L() + 0.6 * L();
        const double markR = 0.36 * lb;
        drawStatusMark(p, QPointF(x + markR, top + lb / 2), markR, tone, st);
        const double textX = x + 2 * markR + 0.5 * L();
        const double second = top + lb + 0.2 * L();
        const QFontMetricsF fbase(g.base), fbig(g.big), fsmall(g.small);
        const double detailsW = fbase.horizontalAdvance(h.details);
        // The nodes and the mode share the second row when they fit; else the mode and
        // time move up beside the verdict, where the brand was (a picture needs no brand
        // more than it needs its nodes whole).
        if (textX + fbase.horizontalAdvance(h.nodes) + L() + detailsW <= r.right()) {
            const bool overlay = d.mode != diagnose::Encapsulation::None;
            const QString brand = d.pods ? (overlay ? QStringLiteral("PodPath \u00b7 pod to pod over the Calico overlay")
                                                    : QStringLiteral("PodPath \u00b7 pod to pod, routed without encapsulation"))
                                         : (overlay ? QStringLiteral("PodPath \u00b7 Calico overlay path")
                                                    : QStringLiteral("PodPath \u00b7 Calico path, routed without encapsulation"));
            const double brandW = fsmall.horizontalAdvance(brand);
            const bool withBrand = textX + fbig.horizontalAdvance(h.verdict) + L() + brandW <= r.right();
            if (withBrand)
                line(r.right() - brandW, top + (lb - Ls()) / 2, brandW, brand, g.small, st.mutedText);
            line(textX, top, (withBrand ? r.right() - brandW - L() : r.right()) - textX, h.verdict, g.big, toneColor);
            line(r.right() - detailsW, second, detailsW, h.details, g.base, st.mutedText);
            line(textX, second, r.right() - detailsW - L() - textX, h.nodes, g.base, st.text);
        } else {
            line(r.right() - detailsW, top + (lb - L()) / 2, detailsW, h.details, g.base, st.mutedText);
            line(textX, top, r.right() - detailsW - L() - textX, h.verdict, g.big, toneColor);
            line(textX, second, r.right() - textX, h.nodes, g.base, st.text);
        }
        p.setPen(pen(st.nodeBorder, 1));
        p.drawLine(QPointF(r.left(), r.bottom()), QPointF(r.right(), r.bottom()));
    }

    // A row of check results: a small mark and the check's short name each.
    void checksRow(const QRectF &r, const std::vector<std::pair<std::string, QString>> &items, Qt::Alignment align)
    {
        const char *outer = std::exchange(part, "checks");
        const QFontMetricsF fm(g.small);
        const double mr = 0.34 * L(), space = 0.25 * L(), between = 0.9 * L();
        std::vector<std::pair<const CheckResult *, QString>> shown;
        double total = 0;
        for (const auto &[id, word] : items)
            if (const CheckResult *c = d.check(id)) {
                shown.emplace_back(c, word);
                total += (shown.size() > 1 ? between : 0) + 2 * mr + space + fm.horizontalAdvance(word);
            }
        if (shown.empty()) {
            line(r.left(), r.top(), r.width(),
                     state.running ? QStringLiteral("checks: waiting") : QStringLiteral("checks: not run"), g.small,
                     st.mutedText, align);
            part = outer;
            return;
        }
        double x = align & Qt::AlignHCenter ? r.left() + std::max(0.0, (r.width() - total) / 2)
                   : align & Qt::AlignRight  ? r.left() + std::max(0.0, r.width() - total)
                                             : r.left();
        const double cy = r.top() + Ls() / 2;
        for (const auto &[c, word] : shown) {
            drawStatusMark(p, QPointF(x + mr, cy), mr, c->status, st);
            x += 2 * mr + space;
            x += line(x, r.top(), r.right() - x, word, g.small, c->status == Status::Fail ? st.fail : st.text);
            x += between;
        }
        part = outer;
    }

    void node(NodeRole role)
    {
        part = "node";
        const bool client = role == NodeRole::Client;
        const NodeFacts &f = client ? d.client : d.server;
        const QRectF box = client ? g.client : g.server;
        const auto &cols = client ? g.clientColumns : g.serverColumns;
        const bool blamed = !state.running && d.verdict == Verdict::Error && blamedNode(d) == role;
        p.setBrush(st.nodeFill);
        QPen border = pen(blamed ? st.unknown : st.nodeBorder, blamed ? 2.0 : 1.2, blamed ? Qt::DashLine : Qt::SolidLine);
        p.setPen(border);
        p.drawRoundedRect(box, 0.5 * L(), 0.5 * L());

        const double pad = 0.55 * L();
        double x = box.left() + pad;
        const double right = box.right() - pad;
        const double top = box.top() + pad;
        QFont roleFont = g.small;
        roleFont.setBold(true);
        roleFont.setLetterSpacing(QFont::PercentageSpacing, 108);
        const QString name = q(nodeName(f));
        x += line(x, top + (L() - Ls()) / 2, right - x, client ? QStringLiteral("CLIENT") : QStringLiteral("SERVER"),
                  roleFont, st.mutedText);
        x += 0.5 * L();
        // Before the node is read the box says so once, not on every line.
        const bool unread = notReadYet(d, f, state);
        if (name.isEmpty() && unread)
            x += line(x, top, right - x, QStringLiteral("not read yet"), g.base, st.mutedText);
        else
            x += line(x, top, right - x, name.isEmpty() ? QStringLiteral("name not known") : name, g.bold, st.text);
        x += 0.6 * L();

        QStringList info;
        const QString pods = QStringLiteral("pods ") + (f.podBlock ? q(f.podBlock->toString()) : QStringLiteral("not known"));
        if (!f.firewallBackend.empty())
            info << q(f.firewallBackend);
        // Only encapsulated packets meet the hosts set: a direct path does not consult it.
        if (!f.hostsIpset.empty() && (diagnose::tunnelled(d.mode) || d.mode == diagnose::Encapsulation::Unknown))
            info << QStringLiteral("hosts set ") + q(f.hostsIpset);
        const QString sep = QStringLiteral(" \u00b7 ");
        const double infoW = box.width() - 2 * pad;
        // The node IP is also the underlay device's address below: when the second row
        // cannot hold the pod block too, the pod block takes the node IP's place.
        if (unread) {
            // Nothing read yet: blank, not a row of "not known".
        } else if (QFontMetricsF(g.small).horizontalAdvance((QStringList{pods} + info).join(sep)) <= infoW) {
            line(x, top, right - x, QStringLiteral("node IP ") + q(ipText(f.nodeIp)), g.base, st.text);
            info.prepend(pods);
        } else {
            line(x, top + (L() - Ls()) / 2, right - x, pods, g.small, st.mutedText);
        }
        line(box.left() + pad, top + L(), infoW, info.join(sep), g.small, st.mutedText);

        // The two devices the echoes cross, as columns the hop markers sit on; with pods,
        // the pod's interface beside them.
        part = "device";
        for (int i = 0; i < (g.pods ? 3 : 2); ++i) {
            const QRectF col = cols[std::size_t(i)];
            p.setPen(Qt::NoPen);
            p.setBrush(st.columnFill);
            p.drawRoundedRect(col, 0.35 * L(), 0.35 * L());
            if (i == 2) {
                podChip(col, client);
                continue;
            }
            const bool tunnel = i == 0;
            // Through WireGuard the tunnel hops were watched on its device: named so, with
            // its MTU; the echoes' addresses are the tunnel device's, not shown under it.
            const bool wireguard = tunnel && d.wireguardJudged();
            const std::string &dev = wireguard ? f.encryptionDevice : tunnel ? f.tunnelDevice : f.underlayDevice;
            const std::optional<Ipv4> ip = wireguard ? std::nullopt : tunnel ? f.tunnelIp : f.nodeIp;
            const int mtu = wireguard ? f.encryptionMtu : tunnel ? f.tunnelMtu : f.underlayMtu;
            QFont devFont = g.small;
            devFont.setBold(true);
            // The column already says which device it is; "not known" must fit its width.
            // Without encapsulation there is no tunnel to know: said so, not "not known".
            const bool noTunnel = tunnel && d.mode == diagnose::Encapsulation::None;
            const QString devText = !dev.empty() ? q(dev)
                                    : unread     ? QStringLiteral("not read yet")
                                    : noTunnel   ? QStringLiteral("no tunnel")
                                                 : QStringLiteral("device not known");
            const QString address = ip ? q(ip->toString()) : QString();
            const QFontMetricsF fs(g.small), fd(devFont);
            const double inner = col.width() - 0.5 * L();
            const double ct = col.top() + 0.2 * L();
            const double cr = col.right() - 0.25 * L();
            auto centred = [&](double w) { return col.left() + 0.25 * L() + std::max(0.0, (inner - w) / 2); };
            // Name and address on one row when they fit (tunl0 198.18.10.64), else the
            // address moves down beside the MTU (vxlan.calico / 198.18.10.64 · mtu 1450).
            const bool oneRow = fd.horizontalAdvance(devText) + fs.horizontalAdvance(QLatin1Char(' ') + address) <= inner;
            QString second = mtu > 0 ? QStringLiteral("mtu ") + QString::number(mtu) : QString();
            // A third line (narrow columns, with pods): the address alone, the MTU below it.
            QString third;
            if (!oneRow && !address.isEmpty()) {
                const QString both = second.isEmpty() ? address : address + QStringLiteral(" \u00b7 ") + second;
                if (g.chipLines > 2 && !second.isEmpty() && fs.horizontalAdvance(both) > inner) {
                    third = second;
                    second = address;
                } else {
                    second = both;
                }
            }
            // A device that is down says so in red beside its MTU, or beside its name
            // when the address took the MTU's row.
            const bool down = tunnel && !wireguard && !f.tunnelDevice.empty() && f.tunnelMtu > 0 && !f.tunnelUp;
            const QString gap = QStringLiteral("  ");
            const double downW = down ? fd.horizontalAdvance(gap + QStringLiteral("DOWN")) : 0;
            auto drawDown = [&](double at, double y) {
                at += fd.horizontalAdvance(gap);
                line(at, y, cr - at, QStringLiteral("DOWN"), devFont, st.fail);
            };
            const double firstW = fd.horizontalAdvance(devText) + (oneRow ? fs.horizontalAdvance(QLatin1Char(' ') + address) : downW);
            double cx = centred(firstW);
            cx += line(cx, ct, cr - cx - (oneRow ? 0 : downW), devText, devFont, st.text);
            if (oneRow && !address.isEmpty())
                line(cx, ct, cr - cx, QLatin1Char(' ') + address, g.small, st.mutedText);
            else if (down)
                drawDown(cx, ct);
            // The MTU on a line of its own: it is what an MTU fault is about.
            const double secondDownW = oneRow ? downW : 0;
            double mx = centred(fs.horizontalAdvance(second) + secondDownW);
            mx += line(mx, ct + Ls(), cr - mx - secondDownW, second, g.small, st.mutedText);
            if (down && oneRow)
                drawDown(mx, ct + Ls());
            if (!third.isEmpty())
                line(centred(fs.horizontalAdvance(third)), ct + 2 * Ls(), inner, third, g.small, st.mutedText);
        }

        part = "node";
        const std::string r = client ? "client" : "server";
        const bool nft = f.firewallBackend == "nftables";
        std::vector<std::pair<std::string, QString>> checks{
            {"route." + r, QStringLiteral("route")}, {"route6." + r, QStringLiteral("IPv6 route")},
            {"tunnel." + r, QStringLiteral("tunnel")}, {"wireguard." + r, QStringLiteral("WireGuard")},
            // Named after what the node runs: Calico's nftables mode has no iptables rules or ipsets.
            {"iptables." + r, nft ? QStringLiteral("nftables") : QStringLiteral("iptables")},
            {"ipset." + r, nft ? QStringLiteral("nft set") : QStringLiteral("ipset")},
            {"logs." + r, QStringLiteral("logs")}, {"capture." + r, QStringLiteral("capture")}};
        checksRow(client ? g.clientChecks : g.serverChecks, checks, Qt::AlignLeft);
        // The pod's own checks, a row below, on its column's side (the client's left, the server's right).
        if (g.pods)
            checksRow(client ? g.clientPodChecks : g.serverPodChecks,
                      {{"pod." + r, QStringLiteral("pod")}, {"policy." + r, QStringLiteral("policies")}},
                      client ? Qt::AlignLeft : Qt::AlignRight);
    }

    // Atop the pod's column: the pod's address, and the interface that leads to it on
    // the node (its name as read there), or that none was found.
    void podChip(const QRectF &col, bool client)
    {
        const PodEnd &pod = client ? d.pods->client : d.pods->server;
        QFont devFont = g.small;
        devFont.setBold(true);
        const double ct = col.top() + 0.2 * L();
        line(col.left(), ct, col.width(), QStringLiteral("pod ") + q(pod.ip), devFont, st.text, Qt::AlignHCenter);
        line(col.left(), ct + Ls(), col.width(),
             pod.interface.empty() ? QStringLiteral("interface not found") : q(pod.interface), g.small,
             pod.interface.empty() ? st.fail : st.mutedText, Qt::AlignHCenter);
    }

    void network()
    {
        part = "network";
        const QRectF r = g.network;
        QPen border = pen(st.networkBorder, 1.2, Qt::CustomDashLine);
        border.setDashPattern({4, 3});
        p.setPen(border);
        p.setBrush(st.networkFill);
        p.drawRoundedRect(r, 0.9 * L(), 0.9 * L());
        const double pad = 0.55 * L();
        line(r.left(), r.top() + pad, r.width(), QStringLiteral("underlay network"), g.bold, st.text, Qt::AlignHCenter);
        line(r.left(), r.top() + pad + L(), r.width(), encapsulationText(d, state), g.small, st.mutedText, Qt::AlignHCenter);
        double y = r.top() + pad + L() + Ls();
        // The box keeps its width (drawn for the encapsulation's name): a narrow one shows
        // the router's address alone rather than overflowing.
        const QFontMetricsF fm(g.small);
        for (const QString &router : routerLines(d)) {
            const QString address = router.section(QLatin1Char(' '), -1);
            line(r.left(), y, r.width(), fm.horizontalAdvance(router) <= r.width() - pad ? router : address, g.small,
                 st.mutedText, Qt::AlignHCenter);
            y += Ls();
        }
        line(r.left(), g.requestY - 0.35 * L() - Ls(), r.width(), QStringLiteral("request \u2192"), g.small,
                 st.mutedText, Qt::AlignHCenter);
        line(r.left(), g.replyY + 0.35 * L(), r.width(), QStringLiteral("\u2190 reply"), g.small, st.mutedText,
                 Qt::AlignHCenter);
        const QRectF c = g.networkChecks;
        const double half = c.height() / 2;
        if (!d.check("underlay.ping") && !d.check("tunnel.ping")) {
            checksRow(QRectF(c.left(), c.top() + half, c.width(), half), {}, Qt::AlignHCenter);
            return;
        }
        checksRow(QRectF(c.left(), c.top(), c.width(), half),
                  {{"underlay.ping", QStringLiteral("underlay ping")}, {"tunnel6.ping", QStringLiteral("IPv6 ping")}},
                  Qt::AlignHCenter);
        checksRow(QRectF(c.left(), c.top() + half, c.width(), half),
                  {{"tunnel.ping", diagnose::tunnelled(d.mode) ? QStringLiteral("tunnel ping") : QStringLiteral("pod-block ping")},
                   {"tunnel.full-size", QStringLiteral("full-size")}},
                  Qt::AlignHCenter);
    }

    QPointF centre(std::size_t i) const { return g.markers[i].center(); }

    std::optional<std::size_t> firstFailing() const
    {
        if (state.running || !d.firstFailingHop || g.markers[std::size_t(*d.firstFailingHop)].isNull())
            return std::nullopt;
        return std::size_t(*d.firstFailingHop);
    }

    // Where a hop is on the path drawn.
    std::size_t position(std::size_t id) const
    {
        return std::size_t(std::find(pathHops.begin(), pathHops.end(), HopId(id)) - pathHops.begin());
    }

    enum class Flow { Flowing, Broken, Unknown };

    // Some echoes left hop k: it passed, or it lost one stream while another went on
    // (small echoes crossing where the full-size probe died).
    bool feeds(std::size_t k) const
    {
        const HopVerdict &h = d.hop(HopId(k));
        if (h.status == Status::Pass)
            return true;
        return h.status == Status::Fail && std::any_of(h.streams.begin(), h.streams.end(), [](const StreamAtHop &s) {
                   return streamFate(s) == StreamFate::Seen || (s.lostHere > 0 && s.seen > 0);
               });
    }

    // The lane into the k-th hop of the path carries what left the hop before it (or the
    // ping, for k = 0).
    Flow flowInto(std::size_t k) const
    {
        const std::vector<HopId> &hops = pathHops;
        Status from;
        if (k == 0) {
            const Status s = d.hop(hops[0]).status;
            from = s == Status::Pass || s == Status::Fail ? Status::Pass : s;
        } else {
            from = d.hop(hops[k - 1]).status;
            if (feeds(std::size_t(hops[k - 1])))
                return Flow::Flowing;
        }
        if (from == Status::Pass)
            return Flow::Flowing;
        if (from == Status::Fail)
            return Flow::Broken;
        return Flow::Unknown;
    }

    void arrowHead(QPointF tip, QPointF dir, const QColor &c)
    {
        const double a = 0.42 * g.radius;
        const QPointF n(-dir.y(), dir.x());
        const QPolygonF head({tip, tip - dir * a * 1.6 + n * a, tip - dir * a * 1.6 - n * a});
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawPolygon(head);
    }

    void lanes()
    {
        part = "ping";
        const double r = g.radius;
        const double outer = 1.7 * L();
        const QPointF origin(g.client.left() + outer / 2, g.requestY);
        const QPointF end(g.client.left() + outer / 2, g.replyY);
        const double turnX = g.server.right() - outer / 2;
        const double corner = std::min(0.6 * outer, (g.replyY - g.requestY) / 2);

        const std::vector<HopId> &hops = pathHops;
        const std::size_t n = hops.size();
        for (std::size_t k = 0; k <= n; ++k) {
            QPainterPath path;
            QPointF mid, dir;
            const QPointF from = k == 0 ? origin : centre(std::size_t(hops[k - 1]));
            const QPointF to = k == n ? end : centre(std::size_t(hops[k]));
            if (k == n / 2) {  // the server turns the request into the reply (its tunnel device, or its pod)
                path.moveTo(from);
                path.lineTo(turnX - corner, g.requestY);
                path.quadTo(QPointF(turnX, g.requestY), QPointF(turnX, g.requestY + corner));
                path.lineTo(turnX, g.replyY - corner);
                path.quadTo(QPointF(turnX, g.replyY), QPointF(turnX - corner, g.replyY));
                path.lineTo(to);
                mid = QPointF(turnX, (g.requestY + g.replyY) / 2);
                dir = QPointF(0, 1);
            } else {
                path.moveTo(from);
                path.lineTo(to);
                mid = (from + to) / 2;
                dir = to.x() > from.x() ? QPointF(1, 0) : QPointF(-1, 0);
            }
            const Flow flow = flowInto(k);
            p.setBrush(Qt::NoBrush);
            if (flow == Flow::Flowing) {
                p.setPen(pen(st.lane, 0.17 * r));
                p.drawPath(path);
                arrowHead(mid + dir * 0.5 * r, dir, st.lane);
            } else {
                QPen dashed = pen(st.laneBroken, 0.13 * r, Qt::CustomDashLine);
                dashed.setCapStyle(Qt::FlatCap);
                dashed.setDashPattern(flow == Flow::Broken ? QVector<qreal>{5, 4} : QVector<qreal>{1.5, 3});
                p.setPen(dashed);
                p.drawPath(path);
            }
        }
        laneBreak();

        // Where the echoes start and end: the ping on the client.
        const QRectF pill(origin.x() - 0.45 * L(), g.requestY - 0.75 * L(), 0.9 * L(), g.replyY - g.requestY + 1.5 * L());
        p.setPen(pen(st.lane, 1.2));
        p.setBrush(st.nodeFill);
        p.drawRoundedRect(pill, 0.45 * L(), 0.45 * L());
        p.save();
        p.translate(pill.center());
        p.rotate(-90);
        line(-pill.height() / 2, -Ls() / 2, pill.height(), QStringLiteral("ping"), g.small, st.text, Qt::AlignHCenter);
        p.restore();
    }

    // Right after the first failing hop the lane is cut: a gap and two slashes.
    void laneBreak()
    {
        const auto k = firstFailing();
        if (!k || feeds(*k))
            return;  // echoes of another stream went on: the lane is not cut
        const HopInfo &h = hopInfo(HopId(*k));
        const double dir = h.direction == Direction::Request ? 1.0 : -1.0;
        const double r = g.radius;
        const QPointF at = centre(*k) + QPointF(dir * 2.35 * r, 0);
        p.setPen(Qt::NoPen);
        p.setBrush(st.columnFill);
        p.drawRect(QRectF(at.x() - 0.32 * r, at.y() - 0.3 * r, 0.64 * r, 0.6 * r));
        p.setPen(QPen(st.fail, 0.16 * r, Qt::SolidLine, Qt::FlatCap));
        for (double off : {-0.3 * r, 0.3 * r})
            p.drawLine(at + QPointF(off - 0.25 * r, 0.55 * r), at + QPointF(off + 0.25 * r, -0.55 * r));
    }

    void markers()
    {
        const auto first = firstFailing();
        for (const HopId id : pathHops) {
            const std::size_t i = std::size_t(id);
            const HopVerdict &h = d.hop(id);
            const bool downstream = first && position(i) > position(*first);
            const bool subdued = downstream && h.status == Status::Fail;
            if (report::hopFate(h) == StreamFate::NotReached)
                drawNotReachedMark(p, centre(i), 0.8 * g.radius, st);
            else
                drawStatusMark(p, centre(i), subdued ? 0.8 * g.radius : g.radius, h.status, st, subdued);
            if (first && i == *first)
                drawRing(p, centre(i), emphasisRingRect(g.markers[i]).width() / 2, pen(st.emphasis, 0.22 * g.radius));
            if (state.highlighted && std::size_t(*state.highlighted) == i)
                drawRing(p, centre(i), 1.82 * g.radius, pen(st.selection, 0.16 * g.radius));
            labels(i, first && i == *first, downstream);
            if (state.focused && std::size_t(*state.focused) == i) {
                QPen dotted = pen(st.focus, 1.2, Qt::DotLine);
                dotted.setCapStyle(Qt::FlatCap);
                p.setPen(dotted);
                p.setBrush(Qt::NoBrush);
                p.drawRoundedRect(g.markers[i].united(g.labels[i]).adjusted(-3, -3, 3, 3), 4, 4);
            }
        }
    }

    void labels(std::size_t i, bool first, bool downstream)
    {
        part = "hop label";
        const HopVerdict &h = d.hop(HopId(i));
        const QRectF r = g.labels[i];
        QFont titleFont = g.small;
        titleFont.setBold(first);
        // Hops after the first failure fail because of it: said, but quietly. One that
        // passed on another stream (small echoes past an MTU break) reads as a pass.
        const bool consequence = downstream && h.status == Status::Fail;
        const QColor titleColor = consequence ? st.mutedText : st.text;
        const QColor countColor = consequence               ? st.mutedText
                                  : h.status == Status::Fail ? st.fail
                                  : h.status == Status::Pass ? st.text
                                                             : st.mutedText;
        QFont countFont = g.small;
        countFont.setBold(h.status == Status::Fail && !consequence);
        line(r.left(), r.top(), r.width(), q(hopInfo(HopId(i)).title), titleFont, titleColor, Qt::AlignHCenter);
        const std::vector<StreamLine> streams = hopStreamLines(h, state.running);
        if (streams.empty()) {
            const QString count = hopCountText(h, state.running) + (consequence ? QStringLiteral(" (lost earlier)") : QString());
            line(r.left(), r.top() + Ls(), r.width(), count, countFont, countColor, Qt::AlignHCenter);
            return;
        }
        // A line per stream, with its own mark: which echoes passed, died here or never got here.
        const QFontMetricsF fs(g.small);
        const double mr = 0.3 * Ls(), gap = 0.25 * Ls();
        for (std::size_t j = 0; j < streams.size(); ++j) {
            const StreamLine &stream = streams[j];
            std::optional<Status> mark;
            switch (stream.fate) {
            case StreamFate::Seen: mark = Status::Pass; break;
            case StreamFate::LostHere: mark = Status::Fail; break;
            case StreamFate::NoEvidence: mark = Status::Unknown; break;
            case StreamFate::Skipped: mark = Status::Skipped; break;
            case StreamFate::NotReached: break;  // nothing to mark: the loss is where it happened
            }
            QFont font = g.small;
            font.setBold(stream.fate == StreamFate::LostHere && !consequence);
            const QColor colour = stream.fate == StreamFate::LostHere ? (consequence ? st.mutedText : st.fail)
                                  : stream.fate == StreamFate::Seen   ? st.text
                                                                    : st.mutedText;
            const double textW = std::min(QFontMetricsF(font).horizontalAdvance(stream.text), r.width() - 2 * mr - gap);
            const double want = (mark ? 2 * mr + gap : 0) + textW;
            double x = r.left() + std::max(0.0, (r.width() - want) / 2);
            const double top = r.top() + Ls() * double(j + 1);
            if (mark) {
                drawStatusMark(p, QPointF(x + mr, top + fs.height() / 2), mr, *mark, st);
                x += 2 * mr + gap;
            }
            line(x, top, r.right() - x, stream.text, font, colour);
        }
    }

    void callout()
    {
        part = "callout";
        const DiagramCallout c = diagramCallout(d, state);
        if (c.title.isEmpty())
            return;
        const QColor tone = st.statusColor(c.tone);
        QRectF box = g.callout;
        const double pad = 0.55 * L();
        const double markR = 0.5 * L();
        const double textX = box.left() + pad + 2 * markR + 0.6 * L();
        const double width = box.right() - pad - textX;
        QFont titleFont = g.bold;
        // Every line the text needs: the geometry was sized for them (calloutLineCount).
        const QStringList title = wrapText(c.title, titleFont, width, kAllLines);
        const QStringList why = wrapText(c.why, g.base, width, kAllLines);
        const QStringList next = wrapText(c.next, g.base, width, kAllLines);
        const double lines = double(title.size() + why.size() + next.size());
        box.setHeight(std::min(box.height(), 2 * pad + lines * L()));

        // A speech-bubble tail points at the failing hop's column (or the blamed node).
        std::optional<double> anchor;
        double anchorY = g.client.bottom();
        if (const auto k = firstFailing(); k && c.tone == Status::Fail)
            anchor = centre(*k).x();
        else if (c.tone == Status::Unknown && !state.running && d.verdict == Verdict::Error)
            if (const auto role = blamedNode(d))
                anchor = (*role == NodeRole::Client ? g.client : g.server).center().x();
        QPainterPath shape;
        shape.addRoundedRect(box, 0.4 * L(), 0.4 * L());
        if (anchor) {
            const double ax = std::clamp(*anchor, box.left() + L(), box.right() - L());
            QPainterPath tail;
            tail.moveTo(ax - 0.6 * L(), box.top() + 1);
            tail.lineTo(*anchor, anchorY + 1);
            tail.lineTo(ax + 0.6 * L(), box.top() + 1);
            tail.closeSubpath();
            shape = shape.united(tail);
        }
        p.setPen(pen(tone, c.tone == Status::Fail ? 2.0 : 1.4));
        p.setBrush(mix(st.calloutFill, tone, 0.07));
        p.drawPath(shape);

        drawStatusMark(p, QPointF(box.left() + pad + markR, box.top() + pad + L() / 2), markR, c.tone, st);
        double y = box.top() + pad;
        for (const QString &t : title) {
            line(textX, y, width, t, titleFont, st.text);
            y += L();
        }
        for (const QString &t : why) {
            line(textX, y, width, t, g.base, st.text);
            y += L();
        }
        for (const QString &t : next) {
            line(textX, y, width, t, g.base, st.mutedText);
            y += L();
        }
    }

    void legend()
    {
        part = "legend";
        const QRectF r = g.legend;
        const double mr = 0.36 * L();
        const double cy = r.top() + 0.2 * L() + Ls() / 2;
        double x = r.left();
        struct Item {
            std::optional<Status> status;  // none: the first failure's ring, or "not reached"
            QString text;
        };
        std::vector<Item> items = {{Status::Pass, QStringLiteral("seen (pass)")},
                                   {Status::Fail, QStringLiteral("lost (fail)")},
                                   {Status::Unknown, QStringLiteral("no evidence (unknown)")},
                                   {Status::Skipped, QStringLiteral("not checked (skipped)")},
                                   {std::nullopt, QStringLiteral("first failure")}};
        // A mark the picture does not draw needs no explaining: room for those it does.
        const bool anySkipped =
            std::any_of(d.hops.begin(), d.hops.end(), [](const HopVerdict &h) { return h.status == Status::Skipped; }) ||
            std::any_of(d.checks.begin(), d.checks.end(), [](const CheckResult &c) { return c.status == Status::Skipped; });
        if (!anySkipped)
            items.erase(items.begin() + 3);
        // The empty ring is explained where the picture has one.
        const QString notReached = QStringLiteral("not reached");
        const std::vector<HopId> &hops = pathHops;
        if (std::any_of(hops.begin(), hops.end(), [&](HopId id) { return report::hopFate(d.hop(id)) == StreamFate::NotReached; }))
            items.insert(items.begin() + 2, {std::nullopt, notReached});
        const bool perStream = std::any_of(d.hops.begin(), d.hops.end(), [](const HopVerdict &h) { return h.streams.size() > 1; });
        // How to read n/m, as long as the row has room for: the longest wording that fits.
        QStringList readings = perStream ? QStringList{QStringLiteral("per stream: n/m = seen at the hop / reached the hop before"),
                                                             QStringLiteral("n/m = seen at the hop / reached the hop before"),
                                                             QStringLiteral("n/m = seen here / reached the hop before"),
                                                             QStringLiteral("n/m = seen here / reached before")}
                                               : QStringList{QStringLiteral("n/m = echoes seen at the hop / echoes that reached the hop before"),
                                                             QStringLiteral("n/m = seen at the hop / reached the hop before"),
                                                             QStringLiteral("n/m = seen here / reached the hop before"),
                                                             QStringLiteral("n/m = seen here / reached before")};
        // What the streams are, where there is room: "1480 B DF" means nothing to a junior.
        if (const std::vector<std::string> labels = streamLabels(d); perStream && labels.size() == 2) {
            const QString small = q(labels[0]), full = q(labels[1]);
            readings.prepend(full + QStringLiteral(" = full-size probes, Don't Fragment; n/m = seen here / reached the hop before"));
            readings.prepend(small + QStringLiteral(" = the burst's echoes, ") + full +
                             QStringLiteral(" = full-size probes, Don't Fragment; n/m = seen at the hop / reached the hop before"));
        }
        const QFontMetricsF fs(g.small);
        double items0 = 0;
        for (const Item &it : items)
            items0 += 2 * mr + 0.3 * L() + fs.horizontalAdvance(it.text);
        QString reading = readings.back();
        double between = 1.1 * L();
        for (const QString &t : readings)
            if (items0 + double(items.size()) * between + fs.horizontalAdvance(t) <= r.width()) {
                reading = t;
                break;
            }
        if (reading == readings.back())
            between = std::clamp((r.width() - items0 - fs.horizontalAdvance(reading)) / double(items.size()), 0.5 * L(), 1.1 * L());
        for (const Item &it : items) {
            if (it.status) {
                drawStatusMark(p, QPointF(x + mr, cy), mr, *it.status, st);
            } else if (it.text == notReached) {
                drawNotReachedMark(p, QPointF(x + mr, cy), mr, st);
            } else {
                drawStatusMark(p, QPointF(x + mr, cy), 0.62 * mr, Status::Fail, st);
                drawRing(p, QPointF(x + mr, cy), mr, pen(st.emphasis, 0.16 * mr));
            }
            x += 2 * mr + 0.3 * L();
            x += line(x, r.top() + 0.2 * L(), r.right() - x, it.text, g.small, st.mutedText);
            x += between;
        }
        line(x, r.top() + 0.2 * L(), r.right() - x, reading, g.small, st.mutedText);
    }
};

} // namespace

int calloutLineCount(const QRectF &area, const Diagnosis &d, const DiagramStyle &style, const DiagramState &state)
{
    const DiagramCallout c = diagramCallout(d, state);
    // Room for more lines scales the picture down, which widens the text: the count
    // needed never grows from one step to the next.
    // The answer is a count whose own geometry holds the text it wraps to.
    int lines = 3;
    for (int step = 0; step < 8; ++step) {
        const int needed =
            int(wrappedCallout(c, diagramGeometry(area, style, lines, diagramStreamLines(d), d.pods.has_value())).size());
        if (needed <= lines)
            return lines;
        lines = needed;
    }
    return lines;
}

int diagramStreamLines(const Diagnosis &d) { return std::max(2, int(streamLabels(d).size())); }

QStringList calloutLines(const QRectF &area, const Diagnosis &d, const DiagramStyle &style, const DiagramState &state)
{
    return wrappedCallout(diagramCallout(d, state),
                          diagramGeometry(area, style, calloutLineCount(area, d, style, state), diagramStreamLines(d),
                                          d.pods.has_value()));
}

namespace {

void paint(QPainter &painter, const QRectF &area, const Diagnosis &d, const DiagramStyle &style, const DiagramState &state,
           std::vector<DrawnText> *log)
{
    const DiagramGeometry g =
        diagramGeometry(area, style, calloutLineCount(area, d, style, state), diagramStreamLines(d), d.pods.has_value());
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    painter.fillRect(area, style.background);
    painter.setTransform(g.toArea, true);
    Painter p{painter, g, d, style, state, log};
    p.header();
    p.network();
    p.node(NodeRole::Client);
    p.node(NodeRole::Server);
    p.lanes();
    p.markers();
    p.callout();
    p.legend();
    painter.restore();
}

} // namespace

void paintPathDiagram(QPainter &painter, const QRectF &area, const Diagnosis &d, const DiagramStyle &style,
                      const DiagramState &state)
{
    paint(painter, area, d, style, state, nullptr);
}

std::vector<DrawnText> drawnTexts(const QRectF &area, const Diagnosis &d, const DiagramStyle &style, const DiagramState &state)
{
    // A picture records the drawing without rasterising it; only the words are kept.
    QPicture picture;
    QPainter painter(&picture);
    std::vector<DrawnText> out;
    paint(painter, area, d, style, state, &out);
    painter.end();
    return out;
}

} // namespace podpath::widgets
