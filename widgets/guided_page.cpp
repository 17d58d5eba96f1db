#include "guided_page.h"

#include "diagnosis_session.h"
#include "path_diagram_view.h"
#include "status_icon.h"

#include <algorithm>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace podpath::widgets {

using diagnose::Status;

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString ipOr(const std::optional<Ipv4> &a, const char *unknown)
{
    return a ? QString::fromStdString(a->toString()) : QString::fromLatin1(unknown);
}

QString orPlaceholder(const std::string &s, const char *unknown)
{
    return s.empty() ? QString::fromLatin1(unknown) : QString::fromStdString(s);
}

QLabel *wrapped(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

// Output shown per command: enough to read, bounded so a long log does not swamp the page.
QString bounded(const std::string &text, int maxLines)
{
    const QStringList lines = QString::fromStdString(text).split('\n');
    if (lines.size() <= maxLines)
        return lines.join('\n');
    return lines.mid(0, maxLines).join('\n') + QStringLiteral("\n… (%1 more lines; the full output is in the report)").arg(lines.size() - maxLines);
}

} // namespace

QString GuidedPage::fillPlaceholders(const QString &text, const diagnose::Diagnosis &d)
{
    return fillPods(fillNodes(text, d), d.pods ? &*d.pods : nullptr);
}

QString GuidedPage::fillNodes(QString t, const diagnose::Diagnosis &d)
{
    t.replace(QLatin1String("{serverNodeIp}"), ipOr(d.server.nodeIp, "<server node IP>"));
    t.replace(QLatin1String("{clientNodeIp}"), ipOr(d.client.nodeIp, "<client node IP>"));
    t.replace(QLatin1String("{serverTunnelIp}"), ipOr(d.server.tunnelIp, "<server tunnel IP>"));
    t.replace(QLatin1String("{clientTunnelIp}"), ipOr(d.client.tunnelIp, "<client tunnel IP>"));
    t.replace(QLatin1String("{serverTunnelDevice}"), orPlaceholder(d.server.tunnelDevice, "<tunnel device>"));
    t.replace(QLatin1String("{clientTunnelDevice}"), orPlaceholder(d.client.tunnelDevice, "<tunnel device>"));
    t.replace(QLatin1String("{hostsSet}"), orPlaceholder(d.server.hostsIpset, "<hosts set>"));
    // Unknown yet (no pods named): the pods' placeholder below fills it.
    const auto target = d.burstTarget();
    t.replace(QLatin1String("{pingTarget}"), target ? QString::fromStdString(*target) : QStringLiteral("{serverPodIp}"));
    return t;
}

QString GuidedPage::fillPods(QString t, const diagnose::PodPair *pods)
{
    const auto podField = [&](const std::string diagnose::PodEnd::*field, bool client, const char *missing) {
        return pods ? orPlaceholder((client ? pods->client : pods->server).*field, missing) : QString::fromLatin1(missing);
    };
    const QString clientIp = podField(&diagnose::PodEnd::ip, true, "<client pod IP>");
    const QString serverIp = podField(&diagnose::PodEnd::ip, false, "<server pod IP>");
    const QString netns = podField(&diagnose::PodEnd::netns, true, "<pod's netns>");
    t.replace(QLatin1String("{clientPodIp}"), clientIp);
    t.replace(QLatin1String("{serverPodIp}"), serverIp);
    t.replace(QLatin1String("{clientPodInterface}"), podField(&diagnose::PodEnd::interface, true, "<client pod's interface>"));
    t.replace(QLatin1String("{serverPodInterface}"), podField(&diagnose::PodEnd::interface, false, "<server pod's interface>"));
    t.replace(QLatin1String("{clientPodNetns}"), netns);
    const bool port = pods && pods->port > 0;
    const QString proto = pods ? QString::fromStdString(pods->protocol) : QString();
    t.replace(QLatin1String("{portWords}"),
              port ? QStringLiteral(" and connect to its %1 port %2").arg(proto.toUpper()).arg(pods->port) : QString());
    t.replace(QLatin1String("{portGuide}"),
              port ? QStringLiteral("   and   ip netns exec %1 bash -c 'exec 3<>/dev/%2/%3/%4'")
                         .arg(netns, proto, serverIp)
                         .arg(pods->port)
                   : QString());
    return t;
}

QString GuidedPage::fill(const QString &text, const diagnose::Diagnosis &d) const
{
    // Before a run names the pods' interfaces, the addresses asked about stand in.
    if (d.pods || !m_podsAsked)
        return fillPlaceholders(text, d);
    diagnose::PodPair asked;
    asked.client.ip = m_podsAsked->client.toString();
    asked.server.ip = m_podsAsked->server.toString();
    if (m_podsAsked->port && m_podsAsked->protocol != diagnose::Transport::Icmp) {
        asked.port = int(m_podsAsked->port->value());
        asked.protocol = std::string(diagnose::toString(m_podsAsked->protocol));
    }
    return fillPods(fillNodes(text, d), &asked);
}

bool GuidedPage::podsAsked() const
{
    return m_podsAsked.has_value() || m_session->options().pods.has_value() || m_session->last().diagnosis.pods.has_value();
}

void GuidedPage::setPodsAsked(std::optional<diagnose::DiagnoseOptions::Pods> pods)
{
    m_podsAsked = pods;
    refreshList();
    showStep();
}

GuidedPage::GuidedPage(DiagnosisSession *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    QFile f(QStringLiteral(":/guide_steps.json"));
    if (f.open(QIODevice::ReadOnly))
        m_texts = QJsonDocument::fromJson(f.readAll()).object();

    auto *outer = new QHBoxLayout(this);
    m_steps = new QListWidget(this);
    m_steps->setAccessibleName(tr("Steps of the guide"));
    m_steps->setIconSize(QSize(fontMetrics().height(), fontMetrics().height()));
    const int listWidth = fontMetrics().horizontalAdvance(QStringLiteral("9. Check the firewall counters and the ho")) + 2 * fontMetrics().height();
    m_steps->setFixedWidth(listWidth);
    outer->addWidget(m_steps);

    m_pages = new QStackedWidget(this);
    auto *right = new QVBoxLayout;
    right->addWidget(m_pages, 1);
    outer->addLayout(right, 1);

    // The step page.
    auto *scroll = new QScrollArea(m_pages);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_stepBody = new QWidget(scroll);
    scroll->setWidget(m_stepBody);
    auto *v = new QVBoxLayout(m_stepBody);
    m_title = new QLabel(m_stepBody);
    QFont tf = m_title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.35);
    tf.setBold(true);
    m_title->setFont(tf);
    v->addWidget(m_title);
    m_what = wrapped(m_stepBody);
    m_why = wrapped(m_stepBody);
    v->addWidget(m_what);
    v->addWidget(m_why);

    auto *cmdRow = new QHBoxLayout;
    auto *cmdLabel = new QLabel(tr("The guide's command:"), m_stepBody);
    m_guideCommand = new QLineEdit(m_stepBody);
    m_guideCommand->setReadOnly(true);
    m_guideCommand->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_guideCommand->setAccessibleName(tr("The guide's command for this step"));
    m_copy = new QPushButton(tr("Copy"), m_stepBody);
    m_copy->setToolTip(tr("Copy the command to run it by hand"));
    cmdRow->addWidget(cmdLabel);
    cmdRow->addWidget(m_guideCommand, 1);
    cmdRow->addWidget(m_copy);
    v->addLayout(cmdRow);

    auto *runRow = new QHBoxLayout;
    m_run = new QPushButton(tr("Run this step on both nodes"), m_stepBody);
    m_run->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), m_stepBody);
    m_cancel->setEnabled(false);
    m_progress = new QLabel(m_stepBody);
    m_progress->setWordWrap(true);  // "it ran on the client (NODE)" must not widen a narrow window
    runRow->addWidget(m_run);
    runRow->addWidget(m_cancel);
    runRow->addWidget(m_progress, 1);
    v->addLayout(runRow);

    m_resultBox = new QGroupBox(tr("Result"), m_stepBody);
    auto *rv = new QVBoxLayout(m_resultBox);
    auto *statusRow = new QHBoxLayout;
    m_statusIcon = new QLabel(m_resultBox);
    m_status = new QLabel(m_resultBox);
    QFont sf = m_status->font();
    sf.setBold(true);
    m_status->setFont(sf);
    statusRow->addWidget(m_statusIcon);
    statusRow->addWidget(m_status, 1);
    rv->addLayout(statusRow);
    // Meaning, findings and the parsed result in one browser: it sizes and scrolls
    // reliably where stacked word-wrapped labels would be cut.
    m_details = new QTextBrowser(m_resultBox);
    m_details->setAccessibleName(tr("What the result means and what PodPath read"));
    m_details->setMinimumHeight(fontMetrics().height() * 9);
    rv->addWidget(m_details, 3);
    rv->addWidget(new QLabel(tr("<b>Exact commands and their raw output</b>"), m_resultBox));
    m_raw = new QPlainTextEdit(m_resultBox);
    m_raw->setReadOnly(true);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setMinimumHeight(fontMetrics().height() * 8);
    m_raw->setAccessibleName(tr("Commands and raw output"));
    rv->addWidget(m_raw, 2);
    v->addWidget(m_resultBox, 1);
    m_pages->addWidget(scroll);

    // The summary page: the whole picture.
    auto *summary = new QWidget(m_pages);
    auto *sv = new QVBoxLayout(summary);
    auto *st = new QLabel(tr("Summary: the whole path"), summary);
    st->setFont(tf);
    sv->addWidget(st);
    // The summary can be long (a partial run lists the steps not run): on a short
    // screen (1366x768, 1280x800) it scrolls instead of being cut off below the diagram.
    auto *textScroll = new QScrollArea(summary);
    textScroll->setWidgetResizable(true);
    textScroll->setFrameShape(QFrame::NoFrame);
    textScroll->setObjectName(QStringLiteral("summaryTextScroll"));
    m_summaryText = wrapped(textScroll);
    m_summaryText->setObjectName(QStringLiteral("summaryText"));
    m_summaryText->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    textScroll->setWidget(m_summaryText);
    sv->addWidget(textScroll);
    // As in the results: a small window scrolls the picture rather than shrinking its words.
    auto *summaryScroll = new QScrollArea(summary);
    summaryScroll->setWidgetResizable(true);
    summaryScroll->setFrameShape(QFrame::NoFrame);
    m_summaryDiagram = new PathDiagramView(summaryScroll);
    summaryScroll->setWidget(m_summaryDiagram);
    sv->addWidget(summaryScroll, 1);
    m_whole = new QPushButton(tr("Open findings, plots and logs"), summary);
    sv->addWidget(m_whole, 0, Qt::AlignLeft);
    m_pages->addWidget(summary);

    auto *nav = new QHBoxLayout;
    m_back = new QPushButton(tr("< Back"), this);
    m_next = new QPushButton(tr("Next >"), this);
    nav->addStretch(1);
    nav->addWidget(m_back);
    nav->addWidget(m_next);
    right->addLayout(nav);

    // The steps' items get their text in refreshList: a title depends on the path's mode.
    m_steps->addItem(tr("How this works"));
    for (std::size_t i = 0; i < diagnose::guideSteps().size(); ++i)
        m_steps->addItem(QString());
    m_steps->addItem(tr("Summary"));

    connect(m_steps, &QListWidget::currentRowChanged, this, &GuidedPage::showStep);
    connect(m_back, &QPushButton::clicked, this, [this] { setCurrentStep(currentStep() - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setCurrentStep(currentStep() + 1); });
    connect(m_run, &QPushButton::clicked, this, &GuidedPage::runStep);
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_session->cancel(); });
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_guideCommand->text()); });
    connect(m_whole, &QPushButton::clicked, this, &GuidedPage::wholePictureWanted);
    connect(m_session, &DiagnosisSession::finished, this, &GuidedPage::onFinished);
    connect(m_session, &DiagnosisSession::progress, this, [this](const QString &path, const QString &state, const QString &) {
        if (m_runningHere)
            m_progress->setText(tr("%1: %2").arg(path.section('/', 1), state));
    });
    setTabOrder(m_steps, m_run);
    setTabOrder(m_run, m_cancel);
    setTabOrder(m_cancel, m_copy);
    setTabOrder(m_copy, m_raw);
    setTabOrder(m_raw, m_back);
    setTabOrder(m_back, m_next);
    m_steps->setCurrentRow(0);
    refreshList();
}

int GuidedPage::currentStep() const { return m_steps->currentRow(); }
int GuidedPage::stepCount() const { return m_steps->count(); }

void GuidedPage::setCurrentStep(int index)
{
    if (index >= 0 && index < m_steps->count())
        m_steps->setCurrentRow(index);
}

void GuidedPage::setNodesReady(bool ready)
{
    m_nodesReady = ready;
    showStep();
}

const diagnose::GuideStep *GuidedPage::guideStep() const
{
    const int i = currentStep() - 1;
    const auto &steps = diagnose::guideSteps();
    return i >= 0 && i < int(steps.size()) ? &steps[std::size_t(i)] : nullptr;
}

void GuidedPage::refreshList()
{
    const diagnose::Diagnosis &d = m_session->last().diagnosis;
    const auto &steps = diagnose::guideSteps();
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Status s = diagnose::stepStatus(steps[i], d);
        QListWidgetItem *item = m_steps->item(int(i) + 1);
        item->setIcon(statusIcon(s, palette()));
        // Skipped: not run yet, or run and not on this path (the gathered stages tell).
        bool ran = !steps[i].stages.empty();
        for (auto st : steps[i].stages)
            ran = ran && m_session->gathered(st);
        const QString word = podStepIdle(steps[i])            ? tr("only with two pods")
                             : s == Status::Skipped && !ran ? tr("not run yet")
                                                            : statusWord(s);
        item->setText(QStringLiteral("%1. %2").arg(i + 1).arg(qs(diagnose::stepTitle(steps[i], d.mode))));
        item->setToolTip(word);
        item->setData(Qt::AccessibleDescriptionRole, word);
    }
}

void GuidedPage::showStep()
{
    const int index = currentStep();
    m_back->setEnabled(index > 0);
    m_next->setEnabled(index + 1 < m_steps->count());
    const diagnose::Diagnosis &d = m_session->last().diagnosis;
    const bool busy = m_session->busy();

    if (index == m_steps->count() - 1) {
        m_pages->setCurrentIndex(1);
        m_summaryDiagram->setDiagnosis(d);
        // The steps whose evidence has not been gathered, by number and name: a partial
        // walk must not read as a verdict.
        QStringList notRun;
        int n = 1;
        for (const auto &s : diagnose::guideSteps()) {
            const bool gathered = std::all_of(s.stages.begin(), s.stages.end(),
                                              [this](diagnose::Stage st) { return m_session->gathered(st); });
            if (!gathered && !podStepIdle(s))
                notRun << QStringLiteral("%1. %2").arg(n).arg(qs(diagnose::stepTitle(s, d.mode)));
            ++n;
        }
        m_summaryText->setText(notRun.isEmpty()
                                   ? tr("Every step has run. The picture shows where the packets went and where they "
                                        "stopped; attach it to the ticket (File ▸ Save diagram).")
                                   : (notRun.size() == 1 ? tr("Not a verdict yet: one step has not run (%1).")
                                                         : tr("Not a verdict yet: %2 steps have not run (%1)."))
                                             .arg(notRun.join(QStringLiteral("; ")))
                                             .arg(notRun.size()) +
                                         tr(" Their hops say \"no evidence\". Go back and run them, or press Diagnose "
                                            "in the toolbar to run everything at once."));
        return;
    }
    m_pages->setCurrentIndex(0);

    const diagnose::GuideStep *step = guideStep();
    const QString key = step ? qs(step->id) : QStringLiteral("intro");
    // A path without tunnel has its own words for the tunnel's steps ("direct").
    QJsonObject t = m_texts.value(key).toObject();
    if (const QJsonObject direct = t.value(QStringLiteral("direct")).toObject(); !direct.isEmpty() && !diagnose::tunnelled(d.mode))
        for (auto it = direct.begin(); it != direct.end(); ++it)
            t.insert(it.key(), it.value());
    m_title->setText(step ? tr("Step %1 of %2: %3").arg(index).arg(m_steps->count() - 2).arg(qs(diagnose::stepTitle(*step, d.mode)))
                          : t.value(QStringLiteral("title")).toString());
    m_what->setText(fill(t.value(QStringLiteral("what")).toString(), d));
    m_why->setText(QStringLiteral("<i>%1</i>").arg(fill(t.value(QStringLiteral("why")).toString(), d).toHtmlEscaped()));
    // The guide's commands are iptables'; Calico's nftables mode is read with nft.
    const bool nft = d.server.firewallBackend == "nftables" || d.client.firewallBackend == "nftables";
    const QString nftGuide = t.value(QStringLiteral("guideNftables")).toString();
    const QString guide = fill(nft && !nftGuide.isEmpty() ? nftGuide : t.value(QStringLiteral("guide")).toString(), d);
    m_guideCommand->setText(guide);
    m_guideCommand->setCursorPosition(0);  // a long command reads from its start
    m_guideCommand->setVisible(step != nullptr);
    m_copy->setVisible(step != nullptr);
    m_run->setVisible(step != nullptr);
    m_cancel->setVisible(step != nullptr);
    m_resultBox->setVisible(step != nullptr);
    if (!step) {
        m_progress->setText(m_nodesReady ? tr("Nodes chosen. Press Next to start with the first step.")
                                         : tr("First choose the two nodes on the Nodes page."));
        return;
    }

    if (podStepIdle(*step)) {
        // The pod-to-pod question was not asked: say how to ask it, run nothing.
        m_run->setEnabled(!busy);
        m_cancel->setEnabled(false);
        m_run->setText(tr("Give two pods on the Nodes page…"));
        m_progress->setText(tr("Only with two pods."));
        m_statusIcon->setPixmap(statusIcon(Status::Skipped, palette()).pixmap(fontMetrics().height() * 3 / 2));
        m_status->setText(tr("Only with two pods"));
        const QString how = tr("This step answers “can this pod reach that one, and which policy stops it?”. Give a pod "
                               "on each node (their IPs, from kubectl get pod -o wide) on the Nodes page, and optionally "
                               "a port; then run it. Without pods the steps before it diagnose the nodes alone.");
        m_details->setHtml(QStringLiteral("<p>%1</p>").arg(how.toHtmlEscaped()));
        m_pageText = m_details->toPlainText();
        m_raw->setPlainText(tr("Nothing runs in this step without two pods."));
        return;
    }
    bool ran = !step->stages.empty();
    for (auto st : step->stages)
        ran = ran && m_session->gathered(st);
    m_run->setEnabled(!busy);
    m_cancel->setEnabled(busy && m_runningHere);
    m_run->setText(!m_nodesReady ? tr("Choose the nodes first…") : ran ? tr("Run this step again") : tr("Run this step on both nodes"));
    if (!busy) {
        // Where it ran, as the commands say: a ping runs on the client alone. A replay
        // ran nothing now: the recording did.
        const QString where = qs(diagnose::stepRanOn(*step, d));
        m_progress->setText(!ran                     ? tr("Not run yet.")
                            : where.isEmpty()        ? (m_session->replaying() ? tr("Read from the recording.") : tr("Ran."))
                            : m_session->replaying() ? tr("From the recording: it ran on %1.").arg(where)
                                                     : tr("Ran on %1.").arg(where));
    }

    const Status s = diagnose::stepStatus(*step, d);
    m_statusIcon->setPixmap(statusIcon(s, palette()).pixmap(fontMetrics().height() * 3 / 2));
    m_status->setText(s != Status::Skipped ? tr("This step %1").arg(statusWord(s))
                      : ran                 ? tr("This step was skipped: it does not apply to this path")
                                            : tr("Not run yet"));
    const QString meaning = s == Status::Pass   ? fill(t.value(QStringLiteral("pass")).toString(), d)
                            : s == Status::Fail ? fill(t.value(QStringLiteral("fail")).toString(), d)
                            : s == Status::Unknown
                                ? tr("PodPath could not tell from what the nodes returned. The details below say why.")
                                : tr("Press “Run this step” to run it on the nodes.");
    QString html = QStringLiteral("<p>%1</p>").arg(meaning.toHtmlEscaped());

    auto findingHtml = [](const diagnose::Finding &f, const QString &lead) {
        return QStringLiteral("<p>%1%2 <span style=\"color:#666\">[%3]</span><br><b>What to do:</b> %4</p>")
            .arg(lead, QString::fromStdString(f.message).toHtmlEscaped(), QString::fromStdString(f.code).toHtmlEscaped(),
                 QString::fromStdString(f.nextStep).toHtmlEscaped());
    };
    const auto own = diagnose::stepFindings(*step, d);
    for (const diagnose::Finding *f : own)
        html += findingHtml(*f, QString());
    // The echoes die in this step (or it failed with no finding of its own), but the reason
    // was found by another step's check (the firewall, a route, a pod's own route): say so
    // here, where the junior is looking.
    const bool firstHopHere = d.firstFailingHop &&
                              std::find(step->hops.begin(), step->hops.end(), *d.firstFailingHop) != step->hops.end();
    if ((firstHopHere || (s == Status::Fail && own.empty())) && !d.findings.empty() &&
        std::find(own.begin(), own.end(), &d.findings.front()) == own.end()) {
        QString where;
        int n = 1;
        for (const auto &other : diagnose::guideSteps()) {
            for (const diagnose::Finding *f : diagnose::stepFindings(other, d))
                if (f == &d.findings.front())
                    where = tr("found in step %1, “%2”").arg(n).arg(qs(diagnose::stepTitle(other, d.mode)));
            ++n;
        }
        html += findingHtml(d.findings.front(), tr("<b>Why</b> (%1): ").arg(where.isEmpty() ? tr("the leading finding") : where));
    }

    QString parsed;
    for (auto id : step->checks) {
        const diagnose::CheckResult *c = d.check(id);
        if (!c)
            continue;
        parsed += QStringLiteral("<li><b>%1</b> (%2): %3</li>")
                      .arg(QString::fromStdString(diagnose::checkTitle(id, diagnose::tunnelled(d.mode))).toHtmlEscaped(), statusWord(c->status),
                           QString::fromStdString(c->detail).toHtmlEscaped());
    }
    for (auto h : step->hops) {
        const diagnose::HopVerdict &v = d.hop(h);
        const Status hs = v.status == Status::Unknown && v.explanation == diagnose::kNotCapturedYet ? Status::Skipped : v.status;
        const bool counted = v.status == Status::Pass || v.status == Status::Fail;
        parsed += QStringLiteral("<li><b>%1</b> (%2): %3%4</li>")
                      .arg(qs(diagnose::hopInfo(h).title), hs == v.status ? hopStatusWord(v) : statusWord(hs),
                           counted ? (hopCountText(v) + QStringLiteral(". ")).toHtmlEscaped() : QString(),
                           QString::fromStdString(v.explanation).toHtmlEscaped());
    }
    html += tr("<p><b>What PodPath read from the output</b></p>") +
            (parsed.isEmpty() ? tr("<p>Nothing yet.</p>") : QStringLiteral("<ul>%1</ul>").arg(parsed));
    m_details->setHtml(html);
    m_pageText = m_details->toPlainText();

    QString raw;
    for (const diagnose::CommandRecord *c : diagnose::stepCommands(*step, d)) {
        raw += QStringLiteral("[%1] $ %2\n").arg(QString::fromStdString(c->node), QString::fromStdString(c->command));
        if (!c->output.empty())
            raw += bounded(c->output, 40) + '\n';
        if (!c->errors.empty())
            raw += QStringLiteral("(stderr) ") + bounded(c->errors, 10) + '\n';
        if (c->step == "capture")
            raw += tr("(runs during the burst; its packets stream back as pcap and are judged per hop)\n\n");
        else
            raw += QStringLiteral("(exit %1, %2)\n\n").arg(c->exitStatus).arg(QString::fromStdString(diagnose::commandTiming(*c)));
    }
    m_raw->setPlainText(raw.isEmpty() ? tr("The commands appear here, with what they printed, once the step has run.") : raw);
}

void GuidedPage::runStep()
{
    const diagnose::GuideStep *step = guideStep();
    if (!step)
        return;
    if (!m_nodesReady || podStepIdle(*step)) {
        emit nodesWanted();
        return;
    }
    m_runningHere = true;
    m_progress->setText(tr("Connecting to both nodes…"));
    m_session->runStages(step->stages);
    showStep();
}

void GuidedPage::onFinished()
{
    m_runningHere = false;
    const diagnose::Diagnosis &d = m_session->last().diagnosis;
    refreshList();
    showStep();
    if (d.verdict == diagnose::Verdict::Error && !d.error.empty() && guideStep())
        m_progress->setText(tr("Could not run: %1").arg(QString::fromStdString(d.error)));
}

QString GuidedPage::pageText() const
{
    QStringList parts{m_title->text(), m_what->text(), m_status->text(), m_pageText, m_progress->text()};
    return parts.join('\n');
}

} // namespace podpath::widgets
