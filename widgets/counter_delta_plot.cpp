#include "counter_delta_plot.h"

#include "evidence_style.h"

#include <QHelpEvent>
#include <QToolTip>
#include <algorithm>
#include <qcustomplot.h>

namespace podpath::widgets {

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

} // namespace

QString ruleLabel(const diagnose::RuleCounterChange &c)
{
    QString chain = q(c.chain);
    if (!c.table.empty() && c.table != "filter")
        chain = q(c.table) + QLatin1Char('/') + chain;
    if (c.position == 0)
        return CounterDeltaPlot::tr("%1 policy: %2").arg(chain, q(c.target));
    QStringList words;
    for (const QString &part : q(c.comment).split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QString t = part.trimmed();
        if (!t.startsWith(QLatin1String("cali:")))
            words << t;
    }
    const QString what = words.isEmpty() ? QStringLiteral("→ ") + q(c.target) : words.join(QStringLiteral("; "));
    return QStringLiteral("%1 #%2: %3").arg(chain).arg(c.position).arg(what);
}

CounterDeltaPlot::CounterDeltaPlot(QWidget *parent) : PlotPanel(parent)
{
    setObjectName(QStringLiteral("counterDeltaPlot"));
    setAccessibleName(tr("Firewall rules that counted packets during the burst"));
    plot()->setMouseTracking(true);
    plot()->installEventFilter(this);
    redraw();
}

void CounterDeltaPlot::setDiagnosis(const diagnose::Diagnosis &d)
{
    m_changes = d.counterChanges;
    m_clientName = q(diagnose::nodeName(d.client));
    m_serverName = q(diagnose::nodeName(d.server));
    m_emptyText = d.error.empty() ? tr("No firewall rule counted packets during the burst.")
                                  : tr("No firewall counters were read: %1").arg(q(d.error));
    redraw();
}

void CounterDeltaPlot::choose()
{
    // Every dropping rule, then the busiest others up to kMaxBars.
    std::vector<const diagnose::RuleCounterChange *> all;
    for (const auto &c : m_changes)
        all.push_back(&c);
    std::stable_sort(all.begin(), all.end(), [](auto *a, auto *b) {
        if (a->drops != b->drops)
            return a->drops;
        return a->packets > b->packets;
    });
    std::vector<const diagnose::RuleCounterChange *> shown;
    for (auto *c : all)
        if (c->drops || int(shown.size()) < kMaxBars)
            shown.push_back(c);
    m_hidden = int(all.size() - shown.size());

    m_bars.clear();
    m_headings.clear();
    double row = 0;
    for (const char *node : {"client", "server"}) {
        std::vector<const diagnose::RuleCounterChange *> mine;
        for (auto *c : shown)
            if (c->node == node)
                mine.push_back(c);
        if (mine.empty())
            continue;
        std::stable_sort(mine.begin(), mine.end(), [](auto *a, auto *b) {
            if (a->drops != b->drops)
                return a->drops;
            return a->packets > b->packets;
        });
        const QString name = QString::fromLatin1(node) == QLatin1String("client") ? m_clientName : m_serverName;
        m_headings.append({row, tr("on the %1 (%2)").arg(QString::fromLatin1(node), name)});
        row += 1;
        for (auto *c : mine) {
            Bar b;
            b.row = row++;
            b.node = QString::fromLatin1(node);
            b.label = ruleLabel(*c);
            b.drops = c->drops;
            b.packets = c->packets;
            b.toolTip = tr("%1 node, table %2, chain %3, %4\n%5\n+%6 packets, +%7 bytes during the burst%8")
                            .arg(b.node, q(c->table), q(c->chain),
                                 c->position == 0 ? tr("policy") : tr("rule #%1").arg(c->position),
                                 c->position == 0 ? tr("policy %1").arg(q(c->target)) : q(c->rule))
                            .arg(c->packets)
                            .arg(c->bytes)
                            .arg(c->drops ? tr("\nThis rule DROPS (or rejects) what it matches.") : QString());
            m_bars.append(b);
        }
        row += 0.5;
    }
}

QSize CounterDeltaPlot::minimumSizeHint() const
{
    // Title and subtitle, a row per bar and per node heading (1.4 lines each), the axis.
    const double rows = m_bars.isEmpty() ? 4 : m_bars.back().row + 1;
    return {int(em(34)), int(em(3.5 + 1.4 * rows + 3))};
}

QSize CounterDeltaPlot::sizeHint() const { return {int(em(44)), minimumSizeHint().height() + int(em(3))}; }

void CounterDeltaPlot::redraw()
{
    QCustomPlot *p = plot();
    p->setAutoAddPlottableToLegend(false);
    p->clearItems();
    p->clearPlottables();
    p->plotLayout()->clear();

    if (m_changes.empty()) {
        m_bars.clear();
        m_headings.clear();
        m_hidden = 0;
        showEmptyState(m_emptyText.isEmpty() ? tr("No firewall rule counted packets during the burst.") : m_emptyText);
        p->replot();
        return;
    }
    choose();

    const EvidenceColors c = EvidenceColors::from(palette());
    const QFont f = font();
    QFont bold = f;
    bold.setBold(true);
    auto *layout = p->plotLayout();
    layout->addElement(0, 0, new QCPTextElement(p, tr("Firewall rules that counted packets during the burst"), titleFont(f)));
    const int drops = int(std::count_if(m_bars.begin(), m_bars.end(), [](const Bar &b) { return b.drops; }));
    QString sub = drops == 1 ? tr("1 rule DROPPED packets (red, hatched)")
                  : drops    ? tr("%1 rules DROPPED packets (red, hatched)").arg(drops)
                             : tr("No DROP or REJECT rule counted packets");
    if (m_hidden > 0)
        sub += QStringLiteral("  ·  ") + (m_hidden == 1 ? tr("1 quieter rule not shown")
                                                       : tr("%1 quieter rules not shown").arg(m_hidden));
    auto *subtitle = new QCPTextElement(p, sub, drops ? bold : f);
    subtitle->setObjectName(QStringLiteral("subtitle"));
    layout->addElement(1, 0, subtitle);
    auto *rect = new QCPAxisRect(p);
    layout->addElement(2, 0, rect);

    QCPAxis *keyAxis = rect->axis(QCPAxis::atLeft), *valueAxis = rect->axis(QCPAxis::atBottom);
    const double lastRow = m_bars.isEmpty() ? 0 : m_bars.back().row;
    keyAxis->setRange(-0.6, lastRow + 0.6);
    keyAxis->setRangeReversed(true);
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    const int labelWidth = std::max(int(em(18)), int(width() * 0.42));
    for (const Bar &b : m_bars)
        ticks->addTick(b.row, QFontMetrics(f).elidedText(b.label, Qt::ElideRight, labelWidth));
    keyAxis->setTicker(ticks);
    keyAxis->setSubTicks(false);
    keyAxis->grid()->setVisible(false);
    quint64 maxPackets = 1;
    for (const Bar &b : m_bars)
        maxPackets = std::max(maxPackets, b.packets);
    // Room on the right for the count at each bar's end.
    valueAxis->setRange(0, double(maxPackets) * 1.25);
    valueAxis->setLabel(tr("packets counted during the burst"));
    valueAxis->setNumberFormat(QStringLiteral("f"));
    valueAxis->setNumberPrecision(0);
    stylePlot(p, palette(), f);
    static_cast<QCPTextElement *>(layout->element(0, 0))->setTextColor(c.text);
    subtitle->setTextColor(drops ? c.loss : c.text);

    // Bands first: items and bars on one layer are drawn in the order they were made.
    for (const Bar &b : m_bars) {
        if (!b.drops)
            continue;
        // A band across the whole row: the DROP stands out even when its bar is short.
        auto *band = new QCPItemRect(p);
        band->setObjectName(QStringLiteral("dropBand:%1").arg(b.row));
        band->setClipAxisRect(rect);
        for (QCPItemPosition *pos : {band->topLeft, band->bottomRight}) {
            pos->setAxes(valueAxis, keyAxis);
            pos->setTypeX(QCPItemPosition::ptAxisRectRatio);
            pos->setAxisRect(rect);
        }
        band->topLeft->setCoords(0, b.row - 0.5);
        band->bottomRight->setCoords(1, b.row + 0.5);
        QColor tint = c.lossTint;
        tint.setAlpha(120);
        band->setBrush(tint);
        band->setPen(Qt::NoPen);
    }
    const double width = 0.7;
    auto makeBars = [&](const QString &name, const QBrush &brush, const QPen &pen) {
        auto *bars = new QCPBars(keyAxis, valueAxis);
        bars->setObjectName(name);
        bars->setWidth(width);
        bars->setBrush(brush);
        bars->setPen(pen);
        return bars;
    };
    QCPBars *plain = makeBars(QStringLiteral("counted"), c.neutral, QPen(c.neutral.darker(120), 1));
    QCPBars *dropFill = makeBars(QStringLiteral("drops"), c.lossTint, QPen(c.loss, em(0.12)));
    // The hatch is a second layer over the fill: greyscale prints still tell DROP apart.
    QCPBars *dropHatch = makeBars(QStringLiteral("dropsHatch"), QBrush(c.loss, Qt::BDiagPattern), Qt::NoPen);
    for (const Bar &b : m_bars) {
        if (b.drops) {
            dropFill->addData(b.row, double(b.packets));
            dropHatch->addData(b.row, double(b.packets));
        } else {
            plain->addData(b.row, double(b.packets));
        }
        auto *t = new QCPItemText(p);
        t->setObjectName(QStringLiteral("count:%1").arg(b.row));
        t->setClipToAxisRect(false);
        t->position->setAxes(valueAxis, keyAxis);
        t->position->setCoords(double(b.packets), b.row);
        t->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        t->setPadding(QMargins(int(em(0.3)), 0, 0, 0));
        t->setText(b.drops ? tr("DROP  %1").arg(b.packets) : QString::number(b.packets));
        t->setFont(b.drops ? bold : f);
        t->setColor(b.drops ? c.loss : c.text);
    }
    for (const auto &[row, text] : m_headings) {
        auto *t = new QCPItemText(p);
        t->setObjectName(QStringLiteral("heading"));
        t->position->setAxes(valueAxis, keyAxis);
        t->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        t->position->setAxisRect(rect);
        t->position->setCoords(0.01, row);
        t->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        t->setText(text);
        t->setFont(bold);
        t->setColor(c.text);
    }

    QStringList parts;
    for (const Bar &b : m_bars)
        parts << QStringLiteral("%1 %2: %3 packets%4").arg(b.node, b.label).arg(b.packets).arg(b.drops ? tr(", DROP") : QString());
    updateGeometry();
    setSummary(tr("Firewall rules that counted packets during the burst: %1.").arg(parts.join(QStringLiteral("; "))));
    showPlot();
    p->replot();
}

QString CounterDeltaPlot::toolTipAt(const QPoint &pos) const
{
    if (isShowingEmptyState() || plot()->axisRectCount() == 0)
        return {};
    QCPAxisRect *rect = plot()->axisRect(0);
    QCPAxis *keyAxis = rect->axis(QCPAxis::atLeft);
    // The label on the left belongs to its bar as much as the bar does.
    if (pos.y() < rect->top() || pos.y() > rect->bottom() || pos.x() > rect->right())
        return {};
    const double key = keyAxis->pixelToCoord(pos.y());
    for (const Bar &b : m_bars)
        if (std::abs(key - b.row) <= 0.4)
            return b.toolTip;
    return {};
}

bool CounterDeltaPlot::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == plot() && event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString tip = toolTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, plot());
        return true;
    }
    return PlotPanel::eventFilter(watched, event);
}

} // namespace podpath::widgets
