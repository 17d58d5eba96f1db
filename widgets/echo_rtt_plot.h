#pragma once
// Ping round trip per echo sequence, one graph per stream ("burst", "full-size probe"),
// with every lost echo marked in a "lost" lane under the graph: the reader sees at once
// which echoes came back, how fast, and which never did.

#include "plot_panel.h"

#include "diagnose/diagnosis.h"

#include <vector>

class QCPAxisRect;
class QCPMarginGroup;

namespace podpath::widgets {

class EchoRttPlot : public PlotPanel {
    Q_OBJECT
public:
    explicit EchoRttPlot(QWidget *parent = nullptr);

    void setDiagnosis(const diagnose::Diagnosis &diagnosis);

    // Tall enough for every row and label: in a scroll area the plot is never squashed.
    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

    // Streams in the order the plot shows them (order of first appearance).
    QStringList streams() const { return m_streams; }
    // The lane of lost echoes (below the round-trip graph); nullptr in the empty state.
    QCPAxisRect *lostLane() const { return m_lostRect; }

protected:
    void redraw() override;

private:
    std::vector<diagnose::EchoSample> m_echoes;
    QStringList m_streams;
    QString m_noEchoReason;
    QString m_route;
    QCPMarginGroup *m_marginGroup = nullptr;
    QCPAxisRect *m_lostRect = nullptr;
};

} // namespace podpath::widgets
