#pragma once
// Where the echoes of the burst were seen: one row per hop in path order (request lane,
// then reply lane), one mark per echo captured there, over time. A hop that expected
// echoes but saw none is an empty row marked "nothing seen", and the first failing hop
// says "packets stop here": the place the echoes stop is where the marks end.

#include "plot_panel.h"

#include "diagnose/diagnosis.h"

#include <array>
#include <optional>
#include <vector>

class QCPAxisRect;
class QCPMarginGroup;

namespace podpath::widgets {

class HopActivityPlot : public PlotPanel {
    Q_OBJECT
public:
    explicit HopActivityPlot(QWidget *parent = nullptr);

    void setDiagnosis(const diagnose::Diagnosis &diagnosis);

    // Tall enough for every row and label: in a scroll area the plot is never squashed.
    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

    // The lane that holds a hop's row, and the row's key there (0 = topmost).
    QCPAxisRect *laneOf(diagnose::HopId hop) const;
    static double rowOf(diagnose::HopId hop);
    // The text the plot shows for a hop's row ("10 of 10 seen", "nothing seen ...").
    QString rowNote(diagnose::HopId hop) const;

protected:
    void redraw() override;

private:
    static constexpr double kMinRowEm = 1.7;  // a row's least height, in lines of text

    struct Row {
        diagnose::Status status = diagnose::Status::Unknown;
        int seen = 0;
        int expected = 0;
    };
    std::vector<diagnose::HopSighting> m_sightings;
    std::array<Row, 8> m_rows{};
    std::optional<diagnose::HopId> m_firstFailing;
    QString m_emptyReason;
    std::array<QCPAxisRect *, 2> m_lanes{};
    QCPMarginGroup *m_marginGroup = nullptr;
};

} // namespace podpath::widgets
