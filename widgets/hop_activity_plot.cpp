#include "hop_activity_plot.h"

#include "evidence_style.h"

#include <algorithm>
#include <qcustomplot.h>

namespace podpath::widgets {

using diagnose::HopId;
using diagnose::Status;

namespace {

QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

std::size_t indexOf(HopId h) { return std::size_t(h); }

// The legend of this plot: in its own row, centred, as wide as its entries.
QCPLegend *addLegendRow(QCustomPlot *p, int row)
{
    auto *grid = new QCPLayoutGrid;
    p->plotLayout()->addElement(row, 0, grid);
    auto *legend = new QCPLegend;
    grid->addElement(0, 0, new QCPLayoutElement(p));
    grid->addElement(0, 1, legend);
    grid->addElement(0, 2, new QCPLayoutElement(p));
    grid->setColumnStretchFactors({1, 0.01, 1});
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    return legend;
}

} // namespace

HopActivityPlot::HopActivityPlot(QWidget *parent) : PlotPanel(parent)
{
    setObjectName(QStringLiteral("hopActivityPlot"));
    setAccessibleName(tr("Echoes seen at each hop"));
    redraw();
}

void HopActivityPlot::setDiagnosis(const diagnose::Diagnosis &d)
{
    // The eight hops between the nodes are its rows; the pods' ends are in the diagram.
    m_sightings.clear();
    for (const auto &sighting : d.sightings)
        if (!diagnose::isPodHop(sighting.hop))
            m_sightings.push_back(sighting);
    for (const auto &h : d.hops)
        m_rows[indexOf(h.id)] = {h.status, h.seen, h.expected};
    m_firstFailing = d.firstFailingHop;
    m_emptyReason.clear();
    if (!d.error.empty())
        m_emptyReason = q(d.error);
    for (const char *id : {"capture.client", "capture.server"})
        if (const auto *c = d.check(id); m_emptyReason.isEmpty() && c && c->status != Status::Pass && !c->detail.empty())
            m_emptyReason = q(c->detail);
    if (m_emptyReason.isEmpty())
        m_emptyReason = tr("the diagnosis did not reach the ping burst");
    redraw();
}

double HopActivityPlot::rowOf(HopId hop) { return double(indexOf(hop) % 4); }

QCPAxisRect *HopActivityPlot::laneOf(HopId hop) const
{
    return m_lanes[diagnose::hopInfo(hop).direction == diagnose::Direction::Request ? 0 : 1];
}

QString HopActivityPlot::rowNote(HopId hop) const
{
    const Row &r = m_rows[indexOf(hop)];
    const bool first = m_firstFailing == hop;
    if (r.expected == 0 && r.seen == 0)
        return r.status == Status::Skipped ? tr("skipped") : tr("not checked");
    if (r.seen == 0)
        return first ? tr("nothing seen: the echoes stop here") : tr("nothing seen");
    if (r.seen < r.expected)
        return first ? tr("%1 of %2 seen: echoes are lost here").arg(r.seen).arg(r.expected)
                     : tr("%1 of %2 seen").arg(r.seen).arg(r.expected);
    return tr("%1 of %2 seen").arg(r.seen).arg(r.expected);
}

QSize HopActivityPlot::minimumSizeHint() const
{
    // Title, subtitle, verdict and legend; per lane a heading and four rows; the time axis.
    return {int(em(36)), int(em(4 * 1.5 + 2 * (1.6 + 4 * kMinRowEm) + 3))};
}

QSize HopActivityPlot::sizeHint() const { return {int(em(48)), minimumSizeHint().height() + int(em(4))}; }

void HopActivityPlot::redraw()
{
    QCustomPlot *p = plot();
    p->setAutoAddPlottableToLegend(false);
    p->clearItems();
    p->clearPlottables();
    p->plotLayout()->clear();
    delete m_marginGroup;
    m_marginGroup = nullptr;
    m_lanes = {};

    const bool anyExpected = std::any_of(m_rows.begin(), m_rows.end(), [](const Row &r) { return r.expected > 0; });
    if (m_sightings.empty() && !anyExpected) {
        showEmptyState(tr("No packets were captured at any hop: %1").arg(m_emptyReason));
        p->replot();
        return;
    }

    const EvidenceColors c = EvidenceColors::from(palette());
    const QFont f = font();
    QFont bold = f;
    bold.setBold(true);
    double lastMs = 0;
    QStringList names;
    for (const auto &s : m_sightings) {
        lastMs = std::max(lastMs, s.atMs);
        names << QString::fromStdString(s.stream);
    }
    // The same order as the round-trip plot's legend, whichever stream was seen first.
    const QStringList streams = streamsInLegendOrder(names);

    auto *layout = p->plotLayout();
    layout->addElement(0, 0, new QCPTextElement(p, tr("Echoes seen at each hop, in path order"), titleFont(f)));
    auto *sub = new QCPTextElement(p, tr("one mark per echo captured at the hop: the marks end where the echoes stop"), f);
    layout->addElement(1, 0, sub);
    QString verdict = tr("Every hop saw its echoes");
    if (m_firstFailing && diagnose::isPodHop(*m_firstFailing))
        verdict = tr("The pod's echoes stop at %1").arg(q(diagnose::hopInfo(*m_firstFailing).title));
    else if (m_firstFailing)
        verdict = tr("The echoes stop at hop %1: %2")
                      .arg(indexOf(*m_firstFailing) + 1)
                      .arg(q(diagnose::hopInfo(*m_firstFailing).title));
    else if (std::any_of(m_rows.begin(), m_rows.end(), [](const Row &r) { return r.seen < r.expected; }))
        verdict = tr("Some hops missed echoes");
    auto *verdictLine = new QCPTextElement(p, verdict, bold);
    verdictLine->setObjectName(QStringLiteral("verdict"));
    layout->addElement(2, 0, verdictLine);
    QCPLegend *legend = addLegendRow(p, 3);
    layout->setRowStretchFactor(3, 0.001);

    m_marginGroup = new QCPMarginGroup(p);
    const double rowHeight = em(kMinRowEm);
    QSharedPointer<QCPAxisTickerText> leftTicks[2], rightTicks[2];
    for (int lane = 0; lane < 2; ++lane) {
        const bool request = lane == 0;
        auto *heading = new QCPTextElement(p, request ? tr("request lane: client → server (echo request)")
                                                      : tr("reply lane: server → client (echo reply)"),
                                           bold);
        heading->setTextFlags(Qt::AlignLeft | Qt::AlignVCenter);
        layout->addElement(4 + 2 * lane, 0, heading);
        layout->setRowStretchFactor(4 + 2 * lane, 0.001);
        auto *rect = new QCPAxisRect(p);
        layout->addElement(5 + 2 * lane, 0, rect);
        m_lanes[std::size_t(lane)] = rect;
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, m_marginGroup);
        rect->setMinimumSize(0, int(rowHeight * 4));
        QCPAxis *y = rect->axis(QCPAxis::atLeft), *y2 = rect->axis(QCPAxis::atRight), *x = rect->axis(QCPAxis::atBottom);
        y->setRange(-0.5, 3.5);
        y->setRangeReversed(true);
        y2->setVisible(true);
        y2->setRange(-0.5, 3.5);
        y2->setRangeReversed(true);
        leftTicks[lane].reset(new QCPAxisTickerText);
        rightTicks[lane].reset(new QCPAxisTickerText);
        y->setTicker(leftTicks[lane]);
        y2->setTicker(rightTicks[lane]);
        y->setSubTicks(false);
        y2->setSubTicks(false);
        x->setRange(-0.04 * std::max(lastMs, 1.0), std::max(lastMs, 1.0) * 1.04);
        x->setTickLabels(!request);
        if (!request)
            x->setLabel(tr("time since the first echo was captured (ms)"));
    }
    m_lanes[0]->axis(QCPAxis::atBottom)->grid()->setVisible(true);
    stylePlot(p, palette(), f);
    sub->setTextColor(c.text);
    verdictLine->setTextColor(m_firstFailing ? c.loss : c.pass);
    legend->setTextColor(c.text);
    legend->setBrush(c.base);
    legend->setBorderPen(Qt::NoPen);
    legend->setFont(f);

    // Rows: label on the left (the hop), what was seen on the right, a band behind a loss.
    for (const auto &info : diagnose::kHops) {
        const std::size_t i = indexOf(info.id);
        const int lane = info.direction == diagnose::Direction::Request ? 0 : 1;
        const double row = rowOf(info.id);
        QCPAxisRect *rect = m_lanes[std::size_t(lane)];
        const Row &r = m_rows[i];
        const bool first = m_firstFailing == info.id;
        const bool lossHere = r.expected > 0 && r.seen < r.expected;
        leftTicks[lane]->addTick(row, QStringLiteral("%1%2. %3").arg(first ? QStringLiteral("▶ ") : QString()).arg(i + 1).arg(q(info.title)));
        rightTicks[lane]->addTick(row, r.expected > 0 ? tr("%1/%2 seen").arg(r.seen).arg(r.expected) : tr("–"));

        if (lossHere) {
            auto *band = new QCPItemRect(p);
            band->setObjectName(QStringLiteral("band:") + q(info.key));
            band->setClipAxisRect(rect);
            band->topLeft->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            band->bottomRight->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            band->topLeft->setTypeX(QCPItemPosition::ptAxisRectRatio);
            band->bottomRight->setTypeX(QCPItemPosition::ptAxisRectRatio);
            band->topLeft->setAxisRect(rect);
            band->bottomRight->setAxisRect(rect);
            band->topLeft->setCoords(0, row - 0.48);
            band->bottomRight->setCoords(1, row + 0.48);
            band->setBrush(first ? c.lossTint : QColor(c.lossTint.red(), c.lossTint.green(), c.lossTint.blue(), 110));
            band->setPen(first ? QPen(c.loss, em(0.12)) : Qt::NoPen);
        }
        if (r.expected > 0 && r.seen == 0) {
            auto *t = new QCPItemText(p);
            t->setObjectName(QStringLiteral("nothingSeen:") + q(info.key));
            t->setClipAxisRect(rect);
            t->position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            t->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
            t->position->setAxisRect(rect);
            t->position->setCoords(0.02, row);
            t->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
            t->setText(QStringLiteral("✕  ") + rowNote(info.id));
            t->setFont(first ? bold : f);
            t->setColor(c.loss);
        }
    }

    // Marks: one graph per stream and lane, the same shape and colour as in the round-trip plot.
    for (const QString &s : streams) {
        const QColor col = streamColor(s, palette());
        const double offset = streams.size() > 1 ? (streams.indexOf(s) - (streams.size() - 1) / 2.0) * 0.24 : 0.0;
        for (int lane = 0; lane < 2; ++lane) {
            QVector<double> keys, values;
            for (const auto &h : m_sightings)
                if (QString::fromStdString(h.stream) == s &&
                    (diagnose::hopInfo(h.hop).direction == diagnose::Direction::Request) == (lane == 0)) {
                    keys << h.atMs;
                    // Streams sent at the same moment sit side by side in the row, not on top of each other.
                    values << rowOf(h.hop) + offset;
                }
            QCPAxisRect *rect = m_lanes[std::size_t(lane)];
            QCPGraph *g = p->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            g->setObjectName(QStringLiteral("seen:%1:%2").arg(s, lane == 0 ? QStringLiteral("request") : QStringLiteral("reply")));
            g->setName(tr("%1 echo").arg(s));
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ScatterShape(streamShape(s)), QPen(col, em(0.08)), col, em(0.55)));
            g->setData(keys, values);
            if (lane == 0)
                g->addToLegend(legend);
        }
    }

    QStringList parts;
    for (const auto &info : diagnose::kHops)
        parts << QStringLiteral("%1: %2").arg(q(info.title), rowNote(info.id));
    setSummary(tr("Echoes seen at each hop. %1.").arg(parts.join(QStringLiteral("; "))));
    showPlot();
    p->replot();
}

} // namespace podpath::widgets
