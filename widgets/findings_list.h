#pragma once
// The findings of a diagnosis, most important first: severity (icon and word),
// message, and the hop or check it points at. Expanding a finding shows its evidence
// lines and the next step; selecting one tells the window which hop to highlight, and
// selecting a cited log line asks the log view to show it.

#include "diagnose/diagnosis.h"
#include "finding_target.h"

#include <QWidget>

class QLabel;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace podpath::widgets {

class FindingsList : public QWidget {
    Q_OBJECT
public:
    enum Column { SeverityColumn, MessageColumn, BlamesColumn };

    explicit FindingsList(QWidget *parent = nullptr);
    ~FindingsList() override;

    void setDiagnosis(const diagnose::Diagnosis &diagnosis);

    void selectFinding(int index);
    int currentFinding() const;  // -1 when none is selected
    // What finding `index` points at (hop to highlight, check, cited log lines).
    FindingTarget target(int index) const { return findingTarget(m_diagnosis, index); }

    QTreeWidget *tree() const { return m_tree; }
    bool isShowingEmptyState() const;
    QString emptyStateText() const;

signals:
    // The finding at `index` (of Diagnosis::findings) became current; `blames` as in
    // the Finding. Map it with target(index) or hopOfBlames(blames).
    void findingSelected(int index, const QString &blames);
    // A log line the current finding cites was selected: LogView::showLine takes these.
    void logLineRequested(const QString &node, const QString &source, const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void onCurrentChanged(QTreeWidgetItem *item);

    diagnose::Diagnosis m_diagnosis;
    bool m_hasDiagnosis = false;
    QTreeWidget *m_tree;
    QLabel *m_empty;
    QStackedWidget *m_stack;
};

} // namespace podpath::widgets
