#include "diagram_image.h"

#include "path_diagram_painter.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace podpath::widgets {

namespace {

QImage render(const diagnose::Diagnosis &d, QSizeF logical, double scale, bool dark, DiagramState::Shown shown)
{
    // Bounded so a typo on the command line cannot ask for gigabytes.
    scale = std::clamp(scale, 0.5, 8.0);
    const QSize pixels(int(std::lround(logical.width() * scale)), int(std::lround(logical.height() * scale)));
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    const DiagramStyle style = dark ? DiagramStyle::dark() : DiagramStyle::light();
    image.fill(style.background);
    QPainter painter(&image);
    DiagramState state;
    state.shown = shown;
    paintPathDiagram(painter, QRectF(QPointF(0, 0), logical), d, style, state);
    painter.end();
    return image;
}

QByteArray png(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return {};
    return bytes;
}

} // namespace

QImage renderDiagramImage(const diagnose::Diagnosis &d, double scale, bool dark)
{
    return render(d, QSizeF(kDiagramImageSize), scale, dark, DiagramState::Shown::Alone);
}

QSizeF reportDiagramSize()
{
    // The layout scales an area down by the tighter of width / minimum width and
    // height / natural height: a sliver in one direction measures the other.
    const DiagramStyle style = DiagramStyle::light();
    const double probe = 100;
    const double minWidth = probe / diagramGeometry(QRectF(0, 0, probe, 1e6), style).scale;
    const double natural = probe / diagramGeometry(QRectF(0, 0, 1e6, probe), style).scale;
    // A twentieth wider than the least keeps the devices' addresses whole (only the node
    // header's and the callout's longer lines are cut, and the report prints those in
    // full); two more lines of height give the callout its fourth and fifth line.
    const double line = QFontMetricsF(diagramGeometry(QRectF(0, 0, 1e6, 1e6), style).base).height();
    return QSizeF(std::ceil(1.05 * minWidth), std::ceil(natural + 2 * line));
}

double reportDiagramSmallestFontPx()
{
    const DiagramGeometry g = diagramGeometry(QRectF(QPointF(0, 0), reportDiagramSize()), DiagramStyle::light());
    return g.scale * std::min({g.base.pixelSize(), g.small.pixelSize(), g.bold.pixelSize(), g.big.pixelSize()});
}

QImage renderReportDiagramImage(const diagnose::Diagnosis &d, double scale)
{
    return render(d, reportDiagramSize(), scale, false, DiagramState::Shown::InReport);
}

QByteArray renderReportDiagramPng(const diagnose::Diagnosis &d, double scale)
{
    return png(renderReportDiagramImage(d, scale));
}

QByteArray renderDiagramPng(const diagnose::Diagnosis &d, double scale, bool dark)
{
    return png(renderDiagramImage(d, scale, dark));
}

report::HtmlOptions reportHtmlOptions(const diagnose::Diagnosis &d)
{
    report::HtmlOptions o;
    o.diagramPng = renderReportDiagramPng(d, 2.0);
    o.diagramWidth = int(reportDiagramSize().width());
    return o;
}

} // namespace podpath::widgets
