#include "results_view.h"

#include "counter_delta_plot.h"
#include "evidence_style.h"
#include "echo_rtt_plot.h"
#include "findings_list.h"
#include "hop_activity_plot.h"
#include "log_view.h"
#include "path_diagram_view.h"
#include "status_icon.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace podpath::widgets {

namespace {

QString html(const std::string &s) { return QString::fromStdString(s).toHtmlEscaped(); }
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString evidenceList(const std::vector<std::string> &lines)
{
    if (lines.empty())
        return {};
    QString out = QStringLiteral("<pre>");
    for (const auto &l : lines)
        out += html(l) + '\n';
    return out + QStringLiteral("</pre>");
}

} // namespace

ResultsView::ResultsView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *split = new QSplitter(Qt::Vertical, this);
    layout->addWidget(split);

    // On a small window the picture scrolls rather than shrinking its words below 9 px
    // (its minimumSizeHint); the splitter may still give the findings their room.
    auto *diagramScroll = new QScrollArea(split);
    diagramScroll->setWidgetResizable(true);
    diagramScroll->setFrameShape(QFrame::NoFrame);
    m_diagram = new PathDiagramView(diagramScroll);
    diagramScroll->setWidget(m_diagram);
    split->addWidget(diagramScroll);

    m_tabs = new QTabWidget(split);
    split->addWidget(m_tabs);
    // The picture takes what is spare, but the findings and logs keep room to read a
    // few lines; neither can be collapsed out of sight by the handle.
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    m_tabs->setMinimumHeight(fontMetrics().height() * 13);

    auto *findingsPage = new QSplitter(Qt::Horizontal, m_tabs);
    m_findings = new FindingsList(findingsPage);
    m_detail = new QTextBrowser(findingsPage);
    m_detail->setAccessibleName(tr("Evidence of the selected hop or finding"));
    m_detail->setPlaceholderText(tr("Select a finding or click a hop on the diagram to see its evidence."));
    findingsPage->addWidget(m_findings);
    findingsPage->addWidget(m_detail);
    findingsPage->setStretchFactor(0, 3);
    findingsPage->setStretchFactor(1, 2);
    m_tabs->addTab(findingsPage, tr("F&indings"));   // Alt+F is the File menu

    // Three plots need more height than a laptop leaves under the diagram: they scroll.
    auto *plotScroll = new QScrollArea(m_tabs);
    plotScroll->setWidgetResizable(true);
    plotScroll->setFrameShape(QFrame::NoFrame);
    auto *plots = new QWidget(plotScroll);
    plotScroll->setWidget(plots);
    auto *grid = new QGridLayout(plots);
    m_rtt = new EchoRttPlot(plots);
    m_activity = new HopActivityPlot(plots);
    m_counters = new CounterDeltaPlot(plots);
    grid->addWidget(m_activity, 0, 0, 1, 2);
    grid->addWidget(m_rtt, 1, 0);
    grid->addWidget(m_counters, 1, 1);
    m_tabs->addTab(plotScroll, tr("&Plots"));

    m_logs = new LogView(m_tabs);
    m_tabs->addTab(m_logs, tr("&Logs"));

    m_commands = new QPlainTextEdit(m_tabs);
    m_commands->setReadOnly(true);
    m_commands->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_commands->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_commands->setAccessibleName(tr("Every command that ran, with its raw output"));
    m_tabs->addTab(m_commands, tr("&Commands"));

    connect(m_diagram, &PathDiagramView::hopActivated, this, &ResultsView::showHop);
    connect(m_findings, &FindingsList::findingSelected, this, [this](int index, const QString &) { showFinding(index); });
    connect(m_findings, &FindingsList::logLineRequested, this,
            [this](const QString &node, const QString &source, const QString &text) {
                if (m_logs->showLine(node, source, text))
                    m_tabs->setCurrentWidget(m_logs);
            });
}

void ResultsView::setDiagnosis(const diagnose::Diagnosis &d, const std::string &phase)
{
    m_diagnosis = d;
    m_diagram->setDiagnosis(d, phase);
    if (!phase.empty())
        return;  // the evidence views fill in when the diagnosis is complete
    m_findings->setDiagnosis(d);
    m_rtt->setDiagnosis(d);
    m_activity->setDiagnosis(d);
    m_counters->setDiagnosis(d);
    m_logs->setDiagnosis(d);
    QString text;
    for (const auto &c : d.commands) {
        text += QStringLiteral("[%1] %2  $ %3\n").arg(qs(c.node), qs(c.step), qs(c.command));
        if (!c.output.empty())
            text += QString::fromStdString(c.output) + (c.output.back() == '\n' ? "" : "\n");
        if (!c.errors.empty())
            text += QStringLiteral("(stderr) ") + QString::fromStdString(c.errors) + (c.errors.back() == '\n' ? "" : "\n");
        text += QStringLiteral("(exit %1, %2)\n\n").arg(c.exitStatus).arg(QString::fromStdString(diagnose::commandTiming(c)));
    }
    m_commands->setPlainText(text);
    m_detail->clear();
    if (d.firstFailingHop)
        showHop(*d.firstFailingHop);
    else if (!d.findings.empty())
        showFinding(0);
}

void ResultsView::showHop(diagnose::HopId hop)
{
    const diagnose::HopVerdict &v = m_diagnosis.hop(hop);
    const diagnose::HopInfo &info = diagnose::hopInfo(hop);
    QString t = QStringLiteral("<h3>%1: %2</h3>").arg(qs(info.title), hopStatusWord(v));
    t += QStringLiteral("<p><b>Expected here:</b> %1</p>").arg(qs(info.expected).toHtmlEscaped());
    // Counted per stream: a full-size probe lost before this hop is not a loss here.
    const bool counted = v.status == diagnose::Status::Pass || v.status == diagnose::Status::Fail;
    t += QStringLiteral("<p>%1%2</p>")
             .arg(counted ? QStringLiteral("<b>Echoes:</b> ") + hopCountText(v).toHtmlEscaped() + QStringLiteral(". ") : QString(),
                  html(v.explanation));
    if (!v.evidence.empty())
        t += QStringLiteral("<p><b>Packets captured here</b> (as tcpdump prints them):</p>") + evidenceList(v.evidence);
    for (const auto &f : m_diagnosis.findings)
        if (f.blames == info.key)
            t += QStringLiteral("<p><b>%1:</b> %2 <span style=\"color:#666\">[%3]</span><br><b>What to do:</b> %4</p>")
                     .arg(severityWord(f.severity), html(f.message), html(f.code), html(f.nextStep));
    m_detail->setHtml(t);
    m_diagram->setHighlightedHop(hop);
    m_tabs->setCurrentIndex(0);
}

void ResultsView::showFinding(int index)
{
    if (index < 0 || index >= int(m_diagnosis.findings.size()))
        return;
    const diagnose::Finding &f = m_diagnosis.findings[std::size_t(index)];
    // The heading in the reader's words; the code (for JSON and search) as a grey detail.
    QString t = QStringLiteral("<h3>%1 at %2</h3><p>%3 <span style=\"color:#666\">[%4]</span></p>")
                    .arg(severityWord(f.severity), html(diagnose::blamedName(f.blames, diagnose::tunnelled(m_diagnosis.mode))), html(f.message), html(f.code));
    if (!f.evidence.empty())
        t += QStringLiteral("<p><b>Evidence</b></p>") + evidenceList(f.evidence);
    t += QStringLiteral("<p><b>What to do:</b> %1</p>").arg(html(f.nextStep));
    m_detail->setHtml(t);
    // The finding that explains the first failing hop marks that hop, even when it
    // blames a check (the ipset, a route).
    m_diagram->setHighlightedHop(m_findings->target(index).hop);
    // A log finding cites raw log lines: take the reader to the first one.
    if (f.blames.rfind("logs.", 0) == 0 && !f.evidence.empty())
        m_logs->showLine(QString::fromStdString(f.blames.substr(5)), QString(), QString::fromStdString(f.evidence.front()).left(120));
}

QString ResultsView::detailText() const { return m_detail->toPlainText(); }

} // namespace podpath::widgets
