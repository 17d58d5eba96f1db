#include "evidence_style.h"

#include <algorithm>

#include "parse/calico_log.h"
#include "report/status_palette.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QtMath>
#include <qcustomplot.h>

namespace podpath::widgets {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

namespace {

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

EvidenceColors EvidenceColors::from(const QPalette &p)
{
    // The diagram's and the reports' palette (report/status_palette.h): a loss here is
    // the colour of the failing hop there.
    const bool dark = isDark(p);
    const report::StatusPalette &status = dark ? report::kDarkPalette : report::kLightPalette;
    EvidenceColors c;
    c.text = p.color(QPalette::Text);
    c.base = p.color(QPalette::Base);
    c.faint = mix(c.base, c.text, 0.18);
    c.loss = QColor::fromRgb(status.fail);
    c.warning = QColor::fromRgb(status.warning);
    c.pass = QColor::fromRgb(status.pass);
    c.neutral = mix(c.base, c.text, 0.45);
    c.lossTint = mix(c.base, c.loss, dark ? 0.28 : 0.16);
    c.warningTint = mix(c.base, c.warning, dark ? 0.22 : 0.16);
    return c;
}

QColor streamColor(const QString &stream, const QPalette &palette)
{
    const bool dark = isDark(palette);
    if (stream == QLatin1String("full-size probe"))
        return dark ? QColor(0xe0, 0x9a, 0xd0) : QColor(0x9c, 0x3f, 0x85);  // reddish purple
    if (stream == QLatin1String(diagnose::kIpv6Stream.data(), qsizetype(diagnose::kIpv6Stream.size())))
        return dark ? QColor(0x4c, 0xd6, 0xb0) : QColor(0x00, 0x7a, 0x5a);  // bluish green
    return dark ? QColor(0x6c, 0xc0, 0xf0) : QColor(0x00, 0x66, 0xa8);      // blue
}

int streamShape(const QString &stream)
{
    if (stream == QLatin1String(diagnose::kIpv6Stream.data(), qsizetype(diagnose::kIpv6Stream.size())))
        return QCPScatterStyle::ssTriangle;
    return stream == QLatin1String("full-size probe") ? QCPScatterStyle::ssSquare : QCPScatterStyle::ssDisc;
}

QString severityWord(diagnose::Severity s)
{
    switch (s) {
    case diagnose::Severity::Critical: return QObject::tr("Critical");
    case diagnose::Severity::Error: return QObject::tr("Error");
    case diagnose::Severity::Warning: return QObject::tr("Warning");
    case diagnose::Severity::Info: return QObject::tr("Info");
    }
    return {};
}

std::optional<diagnose::Severity> severityOfLogLevel(const QString &level)
{
    const auto l = parse::logLevelFromString(level.toStdString());
    if (!l)
        return std::nullopt;
    switch (*l) {
    case parse::LogLevel::Fatal:
    case parse::LogLevel::Panic: return diagnose::Severity::Critical;
    case parse::LogLevel::Error: return diagnose::Severity::Error;
    case parse::LogLevel::Warning: return diagnose::Severity::Warning;
    default: return std::nullopt;
    }
}

namespace {

// The exclamation mark drawn, not typed: no font fallback can turn it into a box.
void drawMark(QPainter &p, const QRectF &r, const QColor &ink, bool info)
{
    p.setPen(Qt::NoPen);
    p.setBrush(ink);
    const double w = r.width() * 0.14;
    const double cx = r.center().x();
    if (info) {
        p.drawEllipse(QPointF(cx, r.top() + r.height() * 0.28), w * 0.75, w * 0.75);
        p.drawRect(QRectF(cx - w / 2, r.top() + r.height() * 0.42, w, r.height() * 0.36));
    } else {
        p.drawRect(QRectF(cx - w / 2, r.top() + r.height() * 0.22, w, r.height() * 0.38));
        p.drawEllipse(QPointF(cx, r.top() + r.height() * 0.74), w * 0.7, w * 0.7);
    }
}

QPixmap severityPixmap(diagnose::Severity s, const QPalette &palette, int size)
{
    const EvidenceColors c = EvidenceColors::from(palette);
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(pm.rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const QColor white(Qt::white);
    switch (s) {
    case diagnose::Severity::Critical: {
        // A stop sign: octagon with a cross.
        QPolygonF oct;
        for (int i = 0; i < 8; ++i) {
            const double a = qDegreesToRadians(22.5 + 45.0 * i);
            oct << r.center() + QPointF(std::cos(a), std::sin(a)) * r.width() / 2;
        }
        p.setPen(Qt::NoPen);
        p.setBrush(c.loss);
        p.drawPolygon(oct);
        QPen pen(white, size * 0.14, Qt::SolidLine, Qt::RoundCap);
        p.setPen(pen);
        const double k = size * 0.27;
        p.drawLine(r.center() + QPointF(-k, -k), r.center() + QPointF(k, k));
        p.drawLine(r.center() + QPointF(-k, k), r.center() + QPointF(k, -k));
        break;
    }
    case diagnose::Severity::Error:
        p.setPen(Qt::NoPen);
        p.setBrush(c.loss);
        p.drawEllipse(r);
        drawMark(p, r, white, false);
        break;
    case diagnose::Severity::Warning: {
        QPolygonF tri;
        tri << QPointF(r.center().x(), r.top()) << r.bottomRight() << r.bottomLeft();
        p.setPen(Qt::NoPen);
        p.setBrush(isDark(palette) ? c.warning : QColor(0xe6, 0x9f, 0x00));
        p.drawPolygon(tri);
        drawMark(p, r.adjusted(0, size * 0.12, 0, 0), QColor(0x20, 0x20, 0x20), false);
        break;
    }
    case diagnose::Severity::Info:
        p.setPen(Qt::NoPen);
        p.setBrush(palette.color(QPalette::Highlight));
        p.drawEllipse(r);
        drawMark(p, r, palette.color(QPalette::HighlightedText), true);
        break;
    }
    return pm;
}

} // namespace

QIcon severityIcon(diagnose::Severity s, const QPalette &palette)
{
    QIcon icon;
    for (int size : {16, 20, 24, 32, 48, 64}) {
        const QPixmap pm = severityPixmap(s, palette, size);
        // The same picture when selected: a tinted icon would lose its colour and shape contrast.
        icon.addPixmap(pm, QIcon::Normal);
        icon.addPixmap(pm, QIcon::Selected);
        icon.addPixmap(pm, QIcon::Active);
    }
    return icon;
}

void stylePlot(QCustomPlot *plot, const QPalette &palette, const QFont &font)
{
    const EvidenceColors c = EvidenceColors::from(palette);
    plot->setBackground(c.base);
    const auto rects = plot->axisRects();
    for (QCPAxisRect *rect : rects) {
        rect->setBackground(c.base);
        for (QCPAxis *axis : rect->axes()) {
            axis->setBasePen(QPen(c.text, 1));
            axis->setTickPen(QPen(c.text, 1));
            axis->setSubTickPen(QPen(c.faint, 1));
            axis->setTickLabelColor(c.text);
            axis->setLabelColor(c.text);
            axis->setTickLabelFont(font);
            axis->setLabelFont(font);
            axis->grid()->setPen(QPen(c.faint, 1, Qt::DotLine));
            axis->grid()->setZeroLinePen(Qt::NoPen);
        }
        if (rect->insetLayout())
            for (int i = 0; i < rect->insetLayout()->elementCount(); ++i)
                if (auto *legend = qobject_cast<QCPLegend *>(rect->insetLayout()->elementAt(i))) {
                    legend->setBrush(c.base);
                    legend->setBorderPen(QPen(c.faint));
                    legend->setTextColor(c.text);
                    legend->setFont(font);
                }
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto *title = qobject_cast<QCPTextElement *>(plot->plotLayout()->elementAt(i)))
            title->setTextColor(c.text);
}

QFont titleFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    if (font.pointSizeF() > 0)
        bold.setPointSizeF(font.pointSizeF() * 1.15);
    return bold;
}

QStringList streamsInLegendOrder(const QStringList &names)
{
    QStringList streams;
    for (const QString &n : names)
        if (!streams.contains(n))
            streams << n;
    std::sort(streams.begin(), streams.end(), [](const QString &a, const QString &b) {
        const bool burstA = a == QLatin1String("burst"), burstB = b == QLatin1String("burst");
        return burstA != burstB ? burstA : a < b;
    });
    return streams;
}

} // namespace podpath::widgets
