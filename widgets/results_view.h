#pragma once
// The one-click mode's screen: the path diagram on top; below it the findings, the
// plots, the logs and every command with its raw output. Selecting a finding marks its
// hop on the diagram and, for log findings, scrolls the log view to the cited line;
// clicking a hop shows its evidence.

#include "diagnose/diagnosis.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTextBrowser;

namespace podpath::widgets {

class PathDiagramView;
class FindingsList;
class EchoRttPlot;
class HopActivityPlot;
class CounterDeltaPlot;
class LogView;

class ResultsView : public QWidget {
    Q_OBJECT
public:
    explicit ResultsView(QWidget *parent = nullptr);

    // A finished (or partial, while `phase` is set) diagnosis.
    void setDiagnosis(const diagnose::Diagnosis &d, const std::string &phase = {});
    const diagnose::Diagnosis &diagnosis() const { return m_diagnosis; }

    PathDiagramView *diagram() const { return m_diagram; }
    FindingsList *findings() const { return m_findings; }
    LogView *logs() const { return m_logs; }
    QTabWidget *tabs() const { return m_tabs; }
    // The evidence panel's text (hop or finding details), for tests.
    QString detailText() const;

    void showHop(diagnose::HopId hop);

private:
    void showFinding(int index);

    diagnose::Diagnosis m_diagnosis;
    PathDiagramView *m_diagram;
    FindingsList *m_findings;
    QTextBrowser *m_detail;
    EchoRttPlot *m_rtt;
    HopActivityPlot *m_activity;
    CounterDeltaPlot *m_counters;
    LogView *m_logs;
    QPlainTextEdit *m_commands;
    QTabWidget *m_tabs;
};

} // namespace podpath::widgets
