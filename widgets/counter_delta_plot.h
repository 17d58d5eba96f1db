#pragma once
// The firewall rules whose packet counters rose during the burst, one bar per rule,
// grouped by node. Rules that drop (DROP / REJECT, or a dropping chain's policy) are
// red, hatched and labelled "DROP", so a rule that ate the echoes stands out.

#include "plot_panel.h"

#include "diagnose/diagnosis.h"

#include <QVector>
#include <vector>

namespace podpath::widgets {

class CounterDeltaPlot : public PlotPanel {
    Q_OBJECT
public:
    // At most this many bars; every dropping rule is shown even beyond it.
    static constexpr int kMaxBars = 12;

    struct Bar {
        double row = 0;      // key on the plot's rule axis (0 = topmost)
        QString node;        // "client", "server"
        QString label;       // chain, position and comment, shortened
        QString toolTip;     // the full rule with its counters
        bool drops = false;
        quint64 packets = 0;
    };

    explicit CounterDeltaPlot(QWidget *parent = nullptr);

    void setDiagnosis(const diagnose::Diagnosis &diagnosis);

    // Tall enough for every row and label: in a scroll area the plot is never squashed.
    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

    // The bars shown, top to bottom.
    const QVector<Bar> &bars() const { return m_bars; }
    int hiddenRuleCount() const { return m_hidden; }
    // The tooltip for a point in plot() coordinates; empty off the bars.
    QString toolTipAt(const QPoint &plotPos) const;

protected:
    void redraw() override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void choose();

    std::vector<diagnose::RuleCounterChange> m_changes;
    QString m_clientName, m_serverName, m_emptyText;
    QVector<Bar> m_bars;
    QVector<QPair<double, QString>> m_headings;  // row, text
    int m_hidden = 0;
};

// "cali-INPUT #2: Drop IPIP packets from non-Calico hosts", "INPUT policy: ACCEPT":
// Calico's "cali:<hash>" comments name nothing a reader knows, so they are left out.
QString ruleLabel(const diagnose::RuleCounterChange &change);

} // namespace podpath::widgets
