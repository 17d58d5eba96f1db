#include "status_icon.h"

#include "report/hop_words.h"

#include "status_mark.h"

#include <QPainter>
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
    // The diagram's own marks; a failure's diamond reaches 1.1 radius.
    drawStatusMark(p, QPointF(size / 2.0, size / 2.0), size / 2.0 / 1.15, status, style);
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
    // Not on this path, not applicable, or (in the guide) not run yet: the detail says which.
    case diagnose::Status::Skipped: return QStringLiteral("skipped");
    }
    return {};
}

QString hopStatusWord(const diagnose::HopVerdict &h)
{
    return report::hopFate(h) == diagnose::StreamFate::NotReached ? QStringLiteral("not reached") : statusWord(h.status);
}

} // namespace podpath::widgets
