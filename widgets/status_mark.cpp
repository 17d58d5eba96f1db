#include "status_mark.h"

#include <QPainter>
#include <QPainterPath>

namespace podpath::widgets {

using diagnose::Status;

namespace {

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QPen pen(const QColor &c, double w, Qt::PenStyle style = Qt::SolidLine)
{
    return QPen(c, w, style, Qt::RoundCap, Qt::RoundJoin);
}

} // namespace

void drawStatusMark(QPainter &p, QPointF c, double r, Status s, const DiagramStyle &st, bool subdued)
{
    p.save();
    p.translate(c);
    switch (s) {
    case Status::Pass: {
        p.setPen(Qt::NoPen);
        p.setBrush(st.pass);
        p.drawEllipse(QPointF(0, 0), r, r);
        QPainterPath check;
        check.moveTo(-0.46 * r, 0.12 * r);
        check.lineTo(-0.12 * r, 0.48 * r);
        check.lineTo(0.5 * r, -0.24 * r);
        p.setPen(pen(st.glyph, 0.2 * r));
        p.setBrush(Qt::NoBrush);
        p.drawPath(check);
        break;
    }
    case Status::Fail: {
        const double e = 1.1 * r;
        const QPolygonF diamond({QPointF(0, -e), QPointF(e, 0), QPointF(0, e), QPointF(-e, 0)});
        p.setBrush(subdued ? mix(st.failTint, st.columnFill, 0.5) : st.failTint);
        p.setPen(QPen(st.fail, (subdued ? 0.09 : 0.16) * r, Qt::SolidLine, Qt::RoundCap, Qt::MiterJoin));
        p.drawPolygon(diamond);
        const double a = 0.36 * r;
        p.setPen(pen(st.fail, (subdued ? 0.14 : 0.21) * r));
        p.drawLine(QPointF(-a, -a), QPointF(a, a));
        p.drawLine(QPointF(-a, a), QPointF(a, -a));
        break;
    }
    case Status::Unknown: {
        QPen dashed = pen(st.unknown, 0.12 * r, Qt::CustomDashLine);
        dashed.setCapStyle(Qt::FlatCap);
        dashed.setDashPattern({2.2, 1.6});
        p.setPen(dashed);
        p.setBrush(st.unknownTint);
        p.drawEllipse(QPointF(0, 0), 0.95 * r, 0.95 * r);
        QPainterPath mark;  // a question mark whose stem runs through the centre
        mark.moveTo(-0.26 * r, -0.3 * r);
        mark.arcTo(QRectF(-0.26 * r, -0.56 * r, 0.52 * r, 0.52 * r), 180, -270);
        mark.lineTo(0, 0.16 * r);
        p.setPen(pen(st.unknown, 0.17 * r));
        p.setBrush(Qt::NoBrush);
        p.drawPath(mark);
        p.setPen(Qt::NoPen);
        p.setBrush(st.unknown);
        p.drawEllipse(QPointF(0, 0.42 * r), 0.1 * r, 0.1 * r);
        break;
    }
    case Status::Skipped:
        p.setPen(pen(st.skipped, 0.08 * r));
        p.setBrush(st.background);
        p.drawEllipse(QPointF(0, 0), 0.9 * r, 0.9 * r);
        p.setPen(QPen(st.skipped, 0.24 * r, Qt::SolidLine, Qt::FlatCap));
        p.drawLine(QPointF(-0.45 * r, 0), QPointF(0.45 * r, 0));
        break;
    }
    p.restore();
}

void drawNotReachedMark(QPainter &p, QPointF c, double r, const DiagramStyle &st)
{
    p.save();
    p.setPen(pen(st.mutedText, 0.12 * r));
    p.setBrush(st.background);
    p.drawEllipse(c, 0.85 * r, 0.85 * r);
    p.restore();
}

} // namespace podpath::widgets
