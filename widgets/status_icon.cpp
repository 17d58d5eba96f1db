#include "status_icon.h"

#include "path_diagram_painter.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace podpath::widgets {

namespace {

QPixmap drawStatus(diagnose::Status status, const DiagramStyle &style, int size, qreal dpr)
{
    QPixmap pm(int(size * dpr), int(size * dpr));
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r(1.5, 1.5, size - 3.0, size - 3.0);
    const QColor c = style.statusColor(status);
    const qreal w = std::max(1.5, size / 9.0);
    switch (status) {
    case diagnose::Status::Pass: {
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawEllipse(r);
        QPainterPath tick;
        tick.moveTo(r.left() + r.width() * 0.25, r.center().y());
        tick.lineTo(r.left() + r.width() * 0.43, r.top() + r.height() * 0.70);
        tick.lineTo(r.left() + r.width() * 0.76, r.top() + r.height() * 0.30);
        p.setPen(QPen(style.glyph, w, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawPath(tick);
        break;
    }
    case diagnose::Status::Fail: {
        QPolygonF diamond({QPointF(r.center().x(), r.top()), QPointF(r.right(), r.center().y()),
                           QPointF(r.center().x(), r.bottom()), QPointF(r.left(), r.center().y())});
        p.setPen(QPen(c, w));
        p.setBrush(style.failTint);
        p.drawPolygon(diamond);
        const qreal k = r.width() * 0.2;
        p.setPen(QPen(c, w * 1.2, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(r.center() + QPointF(-k, -k), r.center() + QPointF(k, k));
        p.drawLine(r.center() + QPointF(-k, k), r.center() + QPointF(k, -k));
        break;
    }
    case diagnose::Status::Unknown: {
        p.setPen(QPen(c, w, Qt::DashLine));
        p.setBrush(style.unknownTint);
        p.drawEllipse(r);
        QFont f = style.font;
        f.setBold(true);
        f.setPixelSize(std::max(6, int(size * 0.6)));
        p.setFont(f);
        p.setPen(c);
        p.drawText(r, Qt::AlignCenter, QStringLiteral("?"));
        break;
    }
    case diagnose::Status::Skipped:
        p.setPen(QPen(c, w * 1.4, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(r.left() + r.width() * 0.2, r.center().y()), QPointF(r.right() - r.width() * 0.2, r.center().y()));
        break;
    }
    return pm;
}

} // namespace

QIcon statusIcon(diagnose::Status status, const QPalette &palette)
{
    const DiagramStyle style = DiagramStyle::forPalette(palette, QFont());
    QIcon icon;
    for (int size : {16, 24, 32})
        for (qreal dpr : {1.0, 2.0})
            icon.addPixmap(drawStatus(status, style, size, dpr));
    return icon;
}

QString statusWord(diagnose::Status status)
{
    switch (status) {
    case diagnose::Status::Pass: return QStringLiteral("passed");
    case diagnose::Status::Fail: return QStringLiteral("FAILED");
    case diagnose::Status::Unknown: return QStringLiteral("unknown");
    case diagnose::Status::Skipped: return QStringLiteral("not run yet");
    }
    return {};
}

} // namespace podpath::widgets
