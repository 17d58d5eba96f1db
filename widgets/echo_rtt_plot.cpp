#include "echo_rtt_plot.h"

#include "evidence_style.h"

#include <QtMath>
#include <algorithm>
#include <qcustomplot.h>

namespace podpath::widgets {

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

QString answeredText(int answered, int sent)
{
    if (answered == sent)
        return EchoRttPlot::tr("%1 of %1 answered").arg(sent);
    if (answered == 0)
        return EchoRttPlot::tr("none of %1 answered").arg(sent);
    return EchoRttPlot::tr("%1 of %2 answered").arg(answered).arg(sent);
}

QString endpoint(const diagnose::NodeFacts &n)
{
    const QString name = q(diagnose::nodeName(n));
    return n.tunnelIp ? QStringLiteral("%1 (%2)").arg(name, q(n.tunnelIp->toString())) : name;
}

} // namespace

EchoRttPlot::EchoRttPlot(QWidget *parent) : PlotPanel(parent)
{
    setObjectName(QStringLiteral("echoRttPlot"));
    setAccessibleName(tr("Ping round trip per echo"));
    redraw();
}

void EchoRttPlot::setDiagnosis(const diagnose::Diagnosis &d)
{
    m_echoes = d.echoes;
    QStringList names;
    for (const auto &e : m_echoes)
        names << q(e.stream);
    m_streams = streamsInLegendOrder(names);
    m_noEchoReason.clear();
    if (!d.error.empty())
        m_noEchoReason = q(d.error);
    else if (const auto *c = d.check("tunnel.ping"); c && !c->detail.empty())
        m_noEchoReason = q(c->detail);
    else
        m_noEchoReason = tr("the diagnosis did not reach the ping burst");
    m_route = tr("ping from %1 to %2").arg(endpoint(d.client), endpoint(d.server));
    redraw();
}

QSize EchoRttPlot::minimumSizeHint() const
{
    // Title and two subtitle lines, the round-trip graph, a lost lane per stream, the axis.
    const double lanes = std::max<qsizetype>(1, m_streams.size());
    return {int(em(30)), int(em(4.5 + 8 + 1.6 * lanes + 3))};
}

QSize EchoRttPlot::sizeHint() const { return {int(em(44)), minimumSizeHint().height() + int(em(6))}; }

void EchoRttPlot::redraw()
{
    QCustomPlot *p = plot();
    p->setAutoAddPlottableToLegend(false);
    p->clearItems();
    p->clearPlottables();
    p->plotLayout()->clear();
    delete m_marginGroup;
    m_marginGroup = nullptr;
    m_lostRect = nullptr;

    if (m_echoes.empty()) {
        showEmptyState(tr("No echoes were sent: %1").arg(m_noEchoReason));
        p->replot();
        return;
    }

    const EvidenceColors c = EvidenceColors::from(palette());
    const QFont f = font();
    int firstSeq = m_echoes.front().seq, lastSeq = firstSeq;
    double maxRtt = 0;
    for (const auto &e : m_echoes) {
        firstSeq = std::min(firstSeq, e.seq);
        lastSeq = std::max(lastSeq, e.seq);
        if (e.rttMs)
            maxRtt = std::max(maxRtt, *e.rttMs);
    }

    // Per stream: answered / sent, for the subtitle and the summary.
    QStringList perStream;
    int lostTotal = 0, answeredTotal = 0;
    for (const QString &s : m_streams) {
        int sent = 0, answered = 0;
        for (const auto &e : m_echoes)
            if (q(e.stream) == s) {
                ++sent;
                answered += e.rttMs ? 1 : 0;
            }
        lostTotal += sent - answered;
        answeredTotal += answered;
        perStream << QStringLiteral("%1: %2").arg(s, answeredText(answered, sent));
    }

    auto *layout = p->plotLayout();
    const QFont bold = titleFont(f);
    auto *title = new QCPTextElement(p, tr("Ping round trip per echo"), bold);
    layout->addElement(0, 0, title);
    auto *subtitle = new QCPTextElement(p, m_route + QStringLiteral("\n") + perStream.join(QStringLiteral("  ·  ")), f);
    layout->addElement(1, 0, subtitle);

    auto *main = new QCPAxisRect(p);
    layout->addElement(2, 0, main);
    m_lostRect = new QCPAxisRect(p);
    layout->addElement(3, 0, m_lostRect);
    // One row of legend in the top right corner, above the data (the y range leaves room).
    auto *legend = new QCPLegend;
    main->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_marginGroup = new QCPMarginGroup(p);
    main->setMarginGroup(QCP::msLeft | QCP::msRight, m_marginGroup);
    m_lostRect->setMarginGroup(QCP::msLeft | QCP::msRight, m_marginGroup);
    const int lanes = int(m_streams.size());
    const int laneHeight = int(em(1.6));
    m_lostRect->setMinimumSize(0, lanes * laneHeight);
    m_lostRect->setMaximumSize(QWIDGETSIZE_MAX, lanes * laneHeight);

    QSharedPointer<QCPAxisTickerFixed> seqTicker(new QCPAxisTickerFixed);
    seqTicker->setTickStep(1);
    seqTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    const QCPRange seqRange(firstSeq - 0.5, lastSeq + 0.5);

    QCPAxis *x = main->axis(QCPAxis::atBottom), *y = main->axis(QCPAxis::atLeft);
    x->setTicker(seqTicker);
    x->setRange(seqRange);
    x->setTickLabels(false);
    y->setLabel(tr("round trip (ms)"));
    y->setRange(0, maxRtt > 0 ? maxRtt * 1.3 : 1.0);
    y->setNumberFormat(QStringLiteral("gb"));
    y->setTickLabels(maxRtt > 0);

    QCPAxis *lx = m_lostRect->axis(QCPAxis::atBottom), *ly = m_lostRect->axis(QCPAxis::atLeft);
    lx->setTicker(seqTicker);
    lx->setRange(seqRange);
    lx->setLabel(tr("echo sequence number (icmp_seq)"));
    QSharedPointer<QCPAxisTickerText> laneTicker(new QCPAxisTickerText);
    for (int i = 0; i < lanes; ++i)
        laneTicker->addTick(i + 1, tr("%1 lost").arg(m_streams[i]));
    ly->setTicker(laneTicker);
    ly->setRange(0.4, lanes + 0.6);
    ly->setRangeReversed(true);
    ly->grid()->setVisible(false);
    ly->setSubTicks(false);

    stylePlot(p, palette(), f);
    title->setTextColor(c.text);
    subtitle->setTextColor(c.text);
    legend->setTextColor(c.text);
    legend->setBrush(c.base);
    legend->setBorderPen(QPen(c.faint));
    legend->setFont(f);
    legend->setIconSize(int(em(1.6)), int(em(0.9)));
    ly->setTickLabelColor(lostTotal > 0 ? c.loss : c.text);

    // The lost lane first: its legend entry leads, since a loss is what the reader looks for.
    QCPScatterStyle cross(QCPScatterStyle::ssCross, QPen(c.loss, em(0.16)), Qt::NoBrush, em(0.85));
    bool firstLost = true;
    for (int i = 0; i < lanes; ++i) {
        QVector<double> keys, values;
        for (const auto &e : m_echoes)
            if (q(e.stream) == m_streams[i] && !e.rttMs) {
                keys << e.seq;
                values << i + 1;
            }
        if (keys.isEmpty())
            continue;
        QCPGraph *g = p->addGraph(lx, ly);
        g->setName(tr("lost: no reply"));
        g->setObjectName(QStringLiteral("lost:") + m_streams[i]);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(cross);
        g->setData(keys, values, true);
        if (firstLost)
            g->addToLegend(legend);
        firstLost = false;
    }
    if (lostTotal == 0) {
        auto *none = new QCPItemText(p);
        none->setObjectName(QStringLiteral("noneLost"));
        none->setClipAxisRect(m_lostRect);
        none->position->setAxisRect(m_lostRect);
        none->position->setType(QCPItemPosition::ptAxisRectRatio);
        none->position->setCoords(0.5, 0.5);
        none->setText(tr("no echo lost"));
        none->setFont(f);
        none->setColor(c.pass);
    }

    for (int i = 0; i < lanes; ++i) {
        const QString &s = m_streams[i];
        const QColor col = streamColor(s, palette());
        QVector<double> keys, values;
        int answered = 0;
        for (const auto &e : m_echoes)
            if (q(e.stream) == s) {
                keys << e.seq;
                // NaN breaks the line: a lost echo is a gap, not a point at zero.
                values << (e.rttMs ? *e.rttMs : qQNaN());
                answered += e.rttMs ? 1 : 0;
            }
        QCPGraph *g = p->addGraph(x, y);
        g->setObjectName(QStringLiteral("rtt:") + s);
        g->setPen(QPen(col, em(0.12)));
        g->setLineStyle(QCPGraph::lsLine);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ScatterShape(streamShape(s)), QPen(col, em(0.1)), col, em(0.6)));
        g->setData(keys, values, true);
        // A stream that never came back has no line to point at: its legend says so.
        g->setName(answered == 0 ? tr("%1 (no reply)").arg(s) : s);
        g->addToLegend(legend);
    }
    if (answeredTotal == 0) {
        auto *t = new QCPItemText(p);
        t->setObjectName(QStringLiteral("noReplyAtAll"));
        t->setClipAxisRect(main);
        t->position->setAxisRect(main);
        t->position->setType(QCPItemPosition::ptAxisRectRatio);
        t->position->setCoords(0.5, 0.5);
        t->setFont(bold);
        t->setColor(c.loss);
        t->setText(tr("No echo came back: all %1 were lost").arg(lostTotal));
    }

    updateGeometry();
    setSummary(tr("Ping round trip per echo, %1. %2. %3 lost.").arg(m_route, perStream.join(QStringLiteral("; ")))
                   .arg(lostTotal));
    showPlot();
    p->replot();
}

} // namespace podpath::widgets
