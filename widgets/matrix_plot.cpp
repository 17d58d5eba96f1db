#include "matrix_plot.h"

#include "report/matrix_report.h"
#include "report/status_palette.h"

#include <QMouseEvent>
#include <algorithm>
#include <qcustomplot.h>

namespace podpath::widgets {

using namespace podpath::diagnose;

namespace {

// Colour-map levels: one per kind of cell.
enum Level { Pass = 0, Fail = 1, Unproven = 2, NotJudged = 3, Self = 4 };

int levelOf(const ClusterMatrix &m, std::size_t c, std::size_t s)
{
    if (c == s)
        return Self;
    const MatrixCell *cell = m.cell(c, s);
    if (!cell)
        return NotJudged;
    switch (cell->diagnosis.verdict) {
    case Verdict::Pass: return Pass;
    case Verdict::Fail: return Fail;
    case Verdict::Incomplete: return Unproven;
    case Verdict::Error: return NotJudged;
    }
    return Unproven;
}

QColor rgb(std::uint32_t v) { return QColor::fromRgb(QRgb(v)); }

} // namespace

MatrixPlot::MatrixPlot(QWidget *parent) : PlotPanel(parent)
{
    setAccessibleName(tr("Cluster matrix"));
    connect(plot(), &QCustomPlot::mousePress, this, [this](QMouseEvent *e) {
        std::size_t c = 0, s = 0;
        if (cellAt(e->pos(), c, s) && c != s)
            emit cellClicked(c, s);
    });
    showEmptyState(tr("Run the matrix (or open a recording) to see every pair of nodes here."));
}

QSize MatrixPlot::sizeHint() const
{
    const int h = fontMetrics().height();
    return {h * 40, h * 30};
}

void MatrixPlot::setMatrix(const ClusterMatrix &m)
{
    m_matrix = m;
    m_order = orderNodes(m_matrix, m_orderKind);
    redraw();
}

void MatrixPlot::setOrder(MatrixOrder order)
{
    m_orderKind = order;
    setMatrix(m_matrix);
}

bool MatrixPlot::cellAt(const QPoint &pos, std::size_t &client, std::size_t &server) const
{
    if (!m_map || m_order.empty())
        return false;
    double key = 0, value = 0;
    m_map->pixelsToCoords(QPointF(pos), key, value);
    const long col = std::lround(key), row = std::lround(value);
    const long n = long(m_order.size());
    if (col < 0 || row < 0 || col >= n || row >= n)
        return false;
    client = m_order[std::size_t(row)];
    server = m_order[std::size_t(col)];
    return true;
}

void MatrixPlot::redraw()
{
    QCustomPlot *p = plot();
    p->clearPlottables();
    p->clearItems();
    m_map = nullptr;
    const std::size_t n = m_order.size();
    if (n < 2) {
        showEmptyState(tr("Run the matrix (or open a recording) to see every pair of nodes here."));
        return;
    }
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const report::StatusPalette &pal = dark ? report::kDarkPalette : report::kLightPalette;
    m_map = new QCPColorMap(p->xAxis, p->yAxis);
    m_map->data()->setSize(int(n), int(n));
    m_map->data()->setRange(QCPRange(0, double(n - 1)), QCPRange(0, double(n - 1)));
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < n; ++c)
            m_map->data()->setCell(int(c), int(r), levelOf(m_matrix, m_order[r], m_order[c]));
    // One colour per level: the palette's status colours, grey for the node itself.
    QCPColorGradient g;
    g.setLevelCount(5);
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setColorStopAt(0.0, rgb(pal.pass));
    g.setColorStopAt(0.25 - 1e-6, rgb(pal.pass));
    g.setColorStopAt(0.25, rgb(pal.fail));
    g.setColorStopAt(0.5 - 1e-6, rgb(pal.fail));
    g.setColorStopAt(0.5, rgb(pal.unknown));
    g.setColorStopAt(0.75 - 1e-6, rgb(pal.unknown));
    g.setColorStopAt(0.75, rgb(pal.warning));
    g.setColorStopAt(1.0 - 1e-6, rgb(pal.warning));
    g.setColorStopAt(1.0, rgb(pal.skipped));
    m_map->setGradient(g);
    m_map->setInterpolate(false);
    m_map->setDataRange(QCPRange(0, 4));

    // Names on both axes; the first row at the top, as the terminal prints it.
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    for (std::size_t k = 0; k < n; ++k)
        ticks->addTick(double(k), QString::number(m_order[k] + 1) + " " + QString::fromStdString(nodeName(m_matrix.nodes[m_order[k]].facts)));
    p->yAxis->setTicker(ticks);
    p->yAxis->setRangeReversed(true);
    p->yAxis->setRange(-0.5, double(n) - 0.5);
    p->yAxis->setLabel(tr("client (sends)"));
    QSharedPointer<QCPAxisTickerText> cols(new QCPAxisTickerText);
    for (std::size_t k = 0; k < n; ++k)
        cols->addTick(double(k), QString::number(m_order[k] + 1));
    p->xAxis->setTicker(cols);
    p->xAxis->setRange(-0.5, double(n) - 0.5);
    p->xAxis->setLabel(tr("server (answers), numbered as the rows"));
    p->xAxis2->setVisible(false);
    for (QCPAxis *a : {p->xAxis, p->yAxis}) {
        a->grid()->setVisible(false);
        a->setSubTicks(false);
        a->setTickLength(0);
        a->setBasePen(Qt::NoPen);
        a->setTickLabelColor(palette().color(QPalette::WindowText));
        a->setLabelColor(palette().color(QPalette::WindowText));
    }
    p->setBackground(palette().color(QPalette::Base));
    // The mark on every cell: colour is never the only sign.
    // Up to 40 nodes the marks fit a window's cells; beyond, the colours and the pair list tell.
    if (n <= 40) {
        QFont f = font();
        f.setBold(true);
        for (std::size_t r = 0; r < n; ++r)
            for (std::size_t c = 0; c < n; ++c) {
                auto *t = new QCPItemText(p);
                t->position->setCoords(double(c), double(r));
                t->setText(QString::fromStdString(report::matrixMark(m_matrix, m_order[r], m_order[c])));
                t->setFont(f);
                t->setColor(levelOf(m_matrix, m_order[r], m_order[c]) == Self ? palette().color(QPalette::WindowText) : Qt::white);
            }
    }
    const int pass = m_matrix.count(Verdict::Pass), fail = m_matrix.count(Verdict::Fail);
    setSummary(tr("Cluster matrix of %1 nodes: %2 pairs pass, %3 fail, %4 not proven or not judged.")
                   .arg(n)
                   .arg(pass)
                   .arg(fail)
                   .arg(int(n * (n - 1)) - pass - fail));
    showPlot();
    p->replot();
}

} // namespace podpath::widgets
