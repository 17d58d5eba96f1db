#pragma once
// The cluster matrix as a colour map: one row per client node, one column per server
// node, each cell the colour of its pair's verdict with its mark on it ("ok", "F4": the
// echoes stopped at the path's fourth hop). Colour is never the only sign: every cell
// carries its mark. Clicking a cell asks for that pair's diagnosis.

#include "plot_panel.h"

#include "diagnose/matrix_engine.h"

#include <vector>

class QCPColorMap;

namespace podpath::widgets {

class MatrixPlot : public PlotPanel {
    Q_OBJECT
public:
    explicit MatrixPlot(QWidget *parent = nullptr);

    void setMatrix(const diagnose::ClusterMatrix &m);
    // Failing nodes first (rows and columns alike), so a node cut off or a group that fails
    // together stands out as a block; false: the order the nodes were given.
    void setFailingFirst(bool on);
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
    bool m_failingFirst = false;
    QCPColorMap *m_map = nullptr;
};

// The nodes ordered by how many of their pairs did not pass, most first (ties: as given).
std::vector<std::size_t> failingFirstOrder(const diagnose::ClusterMatrix &m);

} // namespace podpath::widgets
