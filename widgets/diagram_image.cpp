#include "diagram_image.h"

#include "path_diagram_painter.h"

#include <QBuffer>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace podpath::widgets {

QImage renderDiagramImage(const diagnose::Diagnosis &d, double scale, bool dark)
{
    // Bounded so a typo on the command line cannot ask for gigabytes.
    scale = std::clamp(scale, 0.5, 8.0);
    const QSize pixels(int(std::lround(kDiagramImageSize.width() * scale)),
                       int(std::lround(kDiagramImageSize.height() * scale)));
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    const DiagramStyle style = dark ? DiagramStyle::dark() : DiagramStyle::light();
    image.fill(style.background);
    QPainter painter(&image);
    paintPathDiagram(painter, QRectF(QPointF(0, 0), QSizeF(kDiagramImageSize)), d, style);
    painter.end();
    return image;
}

QByteArray renderDiagramPng(const diagnose::Diagnosis &d, double scale, bool dark)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!renderDiagramImage(d, scale, dark).save(&buffer, "PNG"))
        return {};
    return bytes;
}

} // namespace podpath::widgets
