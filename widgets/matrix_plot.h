#pragma once
// The cluster matrix as a colour map: one row per client node, one column per server
// node, each cell the colour of its pair's verdict with its mark on it ("ok", "F4": the
// echoes stopped at the path's fourth hop). Colour is never the only sign: every cell
// carries its mark. Clicking a cell asks for that pair's diagnosis. Rows and columns are
// labelled with the number each node was given, which it keeps in every order.

#include "plot_panel.h"

#include "diagnose/matrix_engine.h"
#include "diagnose/matrix_order.h"

#include <vector>

class QCPColorMap;

namespace podpath::widgets {

class MatrixPlot : public PlotPanel {
    Q_OBJECT
public:
    explicit MatrixPlot(QWidget *parent = nullptr);

    void setMatrix(const diagnose::ClusterMatrix &m);
    // Rows and columns alike in `order` (diagnose/matrix_order.h); clustered unless asked.
    void setOrder(diagnose::MatrixOrder order);
    diagnose::MatrixOrder orderKind() const { return m_orderKind; }
    // Row (and column) order as shown: indexes into the matrix's nodes.
    const std::vector<std::size_t> &order() const { return m_order; }
    // The cell under a point of the plot widget, as (client, server); false when none.
    bool cellAt(const QPoint &pos, std::size_t &client, std::size_t &server) const;

    QSize sizeHint() const override;

signals:
    void cellClicked(std::size_t client, std::size_t server);

protected:
    void redraw() override;

private:
    diagnose::ClusterMatrix m_matrix;
    std::vector<std::size_t> m_order;
    diagnose::MatrixOrder m_orderKind = diagnose::kDefaultMatrixOrder;
    QCPColorMap *m_map = nullptr;
};

} // namespace podpath::widgets
