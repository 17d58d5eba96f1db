#pragma once
// The guided mode for juniors: the troubleshooting guide one step per page. Each page
// says what is checked and why, shows the guide's command with this cluster's values,
// runs the step on both nodes at a button, and shows the exact commands, their raw
// output, the parsed result, pass/fail, and what it means / what to do next.

#include "diagnose/guide_steps.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QLineEdit;
class QStackedWidget;
class QScrollArea;
class QTextBrowser;

namespace podpath::widgets {

class DiagnosisSession;
class PathDiagramView;

class GuidedPage : public QWidget {
    Q_OBJECT
public:
    explicit GuidedPage(DiagnosisSession *session, QWidget *parent = nullptr);

    // Index in the step list: 0 is the introduction, 1..N the guide's steps, N+1 the summary.
    int currentStep() const;
    void setCurrentStep(int index);
    int stepCount() const;
    // Pages read this to know whether nodes are chosen ("Run" asks for them otherwise).
    void setNodesReady(bool ready);
    // The pods the Nodes page asks about (none: the nodes alone): the pod-to-pod steps run
    // only with two pods, and their commands show these addresses until a run names more.
    void setPodsAsked(std::optional<diagnose::DiagnoseOptions::Pods> pods);
    // The page's words as shown, for tests and accessibility.
    QString pageText() const;
    QPushButton *runButton() const { return m_run; }

    // The step texts of resources/guide_steps.json with {placeholders} filled from what
    // discovery found ("<server node IP>" while unknown).
    static QString fillPlaceholders(const QString &text, const diagnose::Diagnosis &d);

signals:
    void nodesWanted();
    void wholePictureWanted();

private:
    void showStep();
    void runStep();
    void onFinished();
    void refreshList();
    const diagnose::GuideStep *guideStep() const;
    bool podsAsked() const;
    // A pod-to-pod step while no pods are asked about: nothing to run.
    bool podStepIdle(const diagnose::GuideStep &step) const { return step.podsOnly && !podsAsked(); }
    QString fill(const QString &text, const diagnose::Diagnosis &d) const;
    static QString fillNodes(QString text, const diagnose::Diagnosis &d);
    // The pods' placeholders; `pods` null: none known ("<client pod IP>").
    static QString fillPods(QString text, const diagnose::PodPair *pods);

    DiagnosisSession *m_session;
    QJsonObject m_texts;
    bool m_nodesReady = false;
    std::optional<diagnose::DiagnoseOptions::Pods> m_podsAsked;
    bool m_runningHere = false;

    QListWidget *m_steps;
    QLabel *m_title, *m_what, *m_why, *m_statusIcon, *m_status, *m_progress, *m_summaryText;
    QTextBrowser *m_details;
    QString m_pageText;
    QLineEdit *m_guideCommand;
    QPushButton *m_copy, *m_run, *m_cancel, *m_back, *m_next, *m_whole;
    QPlainTextEdit *m_raw;
    QWidget *m_stepBody, *m_resultBox;
    PathDiagramView *m_summaryDiagram;
    QStackedWidget *m_pages;
};

} // namespace podpath::widgets
