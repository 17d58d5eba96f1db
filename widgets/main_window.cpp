#include "main_window.h"

#include "matrix_page.h"
#include "sentence.h"

#include "path_diagram_painter.h"

#include "connection_tester.h"
#include "diagnosis_session.h"
#include "diagram_image.h"
#include "gui_prompter.h"
#include "guided_page.h"
#include "nodes_page.h"
#include "path_diagram_view.h"
#include "pdf_report.h"
#include "report/document_report.h"
#include "report/json_report.h"
#include "report/output_file.h"
#include "results_view.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPrinter>
#include <QSaveFile>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextDocument>
#include <QToolBar>

namespace podpath::widgets {

namespace {

QString sentence(const std::string &clause) { return asSentence(QString::fromStdString(clause)); }

bool writeFile(const QString &file, const QByteArray &bytes, QString *error)
{
    QSaveFile f(file);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        if (error)
            *error = QObject::tr("Cannot write %1: %2. Choose another folder.").arg(file, f.errorString());
        return false;
    }
    return true;
}

// What an export is called in the status bar and in questions.
QString exportName(MainWindow::Export kind)
{
    switch (kind) {
    case MainWindow::Export::Png: return QObject::tr("the diagram (PNG)");
    case MainWindow::Export::Html: return QObject::tr("the HTML report");
    case MainWindow::Export::Markdown: return QObject::tr("the Markdown report");
    case MainWindow::Export::Pdf: return QObject::tr("the PDF report");
    case MainWindow::Export::Json: return QObject::tr("the diagnosis (JSON)");
    }
    return {};
}

// Phase words for the diagram's header while a diagnosis runs.
QString phaseOf(const QString &path)
{
    if (path.contains(QLatin1String("discover")) || path.contains(QLatin1String("topology")))
        return QObject::tr("reading both nodes (addresses, routes, tunnel)");
    if (path.contains(QLatin1String("capture")))
        return QObject::tr("starting captures on both nodes");
    if (path.contains(QLatin1String("ping burst")) || path.contains(QLatin1String("tunnel ping")))
        return QObject::tr("capturing: ping burst running");
    if (path.contains(QLatin1String("firewall")) || path.contains(QLatin1String("ipset")))
        return QObject::tr("reading firewall counters and hosts sets");
    if (path.contains(QLatin1String("logs")))
        return QObject::tr("reading Calico logs");
    return QObject::tr("working");
}

} // namespace

MainWindow::MainWindow(QSettings *settings, QWidget *parent) : QMainWindow(parent), m_settings(settings)
{
    if (!m_settings) {
        m_ownSettings = std::make_unique<QSettings>();
        m_settings = m_ownSettings.get();
    }
    setWindowTitle(tr("PodPath"));

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_nodes = new NodesPage(m_settings, m_tabs);
    m_session = std::make_unique<DiagnosisSession>(m_nodes->prompter().get());
    m_guided = new GuidedPage(m_session.get(), m_tabs);
    m_results = new ResultsView(m_tabs);
    m_tabs->addTab(m_nodes, tr("1 · &Nodes"));
    m_tabs->addTab(m_guided, tr("2 · &Guided (step by step)"));
    m_tabs->addTab(m_results, tr("3 · &Diagnosis (one click)"));
    m_matrix = new MatrixPage(m_nodes->prompter().get(), m_tabs);
    m_matrix->setLoginSource([this] { return m_nodes->clientTarget(); });
    m_tabs->addTab(m_matrix, tr("4 · Cluster matri&x"));
    m_tabs->setTabToolTip(0, tr("Choose the client and the server node and how to log in"));
    m_tabs->setTabToolTip(1, tr("Walk the Calico troubleshooting guide one step at a time"));
    m_tabs->setTabToolTip(2, tr("Run every step at once and see the whole path"));
    m_tabs->setTabToolTip(3, tr("Every pair of many nodes from one burst, and one click into any pair"));
    setCentralWidget(m_tabs);

    m_phase = new QLabel(tr("Choose two nodes, then press Diagnose (F5) or walk the guided mode. No cluster at hand? "
                            "Help ▸ Open demo diagnosis."), this);
    statusBar()->addWidget(m_phase, 1);

    buildMenus();

    connect(m_nodes, &NodesPage::readyChanged, this, [this](bool ready) {
        m_guided->setNodesReady(ready || m_replay);
        updateActions();
    });
    m_guided->setNodesReady(m_nodes->isReady());  // the last profile may have filled the page already
    connect(m_nodes, &NodesPage::podsChanged, this, [this] { m_guided->setPodsAsked(m_nodes->pods()); });
    m_guided->setPodsAsked(m_nodes->pods());
    m_session->setNodeSource([this]() -> std::optional<std::pair<NodeSpec, NodeSpec>> {
        if (!m_nodes->isReady())
            return std::nullopt;
        // The pods asked about, if any, go with the nodes into the next run.
        diagnose::DiagnoseOptions options;
        options.pods = m_nodes->pods();
        m_session->setOptions(options);
        return std::pair{NodeSpec{m_nodes->clientTarget(), m_nodes->clientOptions()},
                         NodeSpec{m_nodes->serverTarget(), m_nodes->serverOptions()}};
    });
    connect(m_guided, &GuidedPage::nodesWanted, this, [this] { m_tabs->setCurrentWidget(m_nodes); });
    connect(m_guided, &GuidedPage::wholePictureWanted, this, [this] {
        m_results->setDiagnosis(m_session->last().diagnosis);
        m_tabs->setCurrentWidget(m_results);
    });
    connect(m_session.get(), &DiagnosisSession::progress, this, &MainWindow::onProgress);
    connect(m_session.get(), &DiagnosisSession::factsKnown, this, [this] {
        if (!m_oneClickRunning)
            return;
        // The node boxes fill in (names, addresses, tunnel devices) while the burst runs.
        m_live = m_session->partial();
        m_livePhase = phaseOf(QStringLiteral("capture"));
        m_results->setDiagnosis(m_live, phaseOf(QStringLiteral("capture")).toStdString());
    });
    connect(m_session.get(), &DiagnosisSession::finished, this, &MainWindow::onFinished);
    connect(m_session.get(), &DiagnosisSession::connectionLost, this, [this](const QString &message) {
        m_phase->setText(tr("%1. The hops that node had to show are unknown. Press Diagnose (F5) to retry: "
                            "PodPath reconnects.").arg(message));
        m_diagnose->setText(tr("&Retry"));
    });

    m_settings->beginGroup(QStringLiteral("window"));
    if (!restoreGeometry(m_settings->value(QStringLiteral("geometry")).toByteArray()))
        resize(fontMetrics().height() * 80, fontMetrics().height() * 48);
    fitToScreen();
    m_tabs->setCurrentIndex(m_settings->value(QStringLiteral("tab"), 0).toInt());
    m_settings->endGroup();
    updateActions();
}

void MainWindow::fitToScreen()
{
    // A laptop at 125 % (1366x768: 1093x614 logical pixels) is smaller than the size
    // the font asks for, and a geometry saved on a larger monitor may not fit either.
    const QScreen *on = screen();
    if (!on)
        return;
    const QRect room = on->availableGeometry();
    // The frame is not known before the window is shown; a title bar and borders of
    // about two lines are what desktops draw.
    const int frame = isVisible() ? frameGeometry().height() - height() : fontMetrics().height() * 2;
    const int frameW = isVisible() ? frameGeometry().width() - width() : fontMetrics().height() / 2;
    const QSize fits = size().boundedTo(QSize(room.width() - frameW, room.height() - frame));
    if (fits != size())
        resize(fits);
    QRect g = frameGeometry();
    if (!room.contains(g)) {
        g.moveLeft(std::clamp(g.left(), room.left(), std::max(room.left(), room.right() - g.width() + 1)));
        g.moveTop(std::clamp(g.top(), room.top(), std::max(room.top(), room.bottom() - g.height() + 1)));
        move(g.topLeft());
    }
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    fitToScreen();
}

MainWindow::~MainWindow()
{
    // The session's worker may be waiting on a prompt from the prompter's dialogs.
    if (auto p = m_nodes->prompter())
        p->shutdown();
    ConnectionTester::waitForTestsInFlight(2000);
    m_session.reset();
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open diagnosis (JSON)…"), this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open a saved diagnosis"), QString(), tr("PodPath diagnosis (*.json)"));
        QString error;
        if (!f.isEmpty() && !openDiagnosis(f, &error))
            QMessageBox::warning(this, tr("Cannot open"), error);
    });
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &recording…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Open a recording: the folder with client.json and server.json (podpath diagnose --record)"));
        QString error;
        if (!dir.isEmpty() && !openRecording(dir, &error))
            QMessageBox::warning(this, tr("Cannot open the recording"), error);
    });
    m_closeRecording = file->addAction(tr("C&lose recording"), this, &MainWindow::closeRecording);
    m_closeRecording->setToolTip(tr("Diagnose the nodes on the Nodes page again instead of the recording"));
    file->addSeparator();
    auto addExport = [&](const QString &text, Export kind, QKeySequence key = {}) {
        QAction *a = file->addAction(text, this, [this, kind] { exportWithDialog(kind); });
        a->setShortcut(key);
        m_exports << a;
        m_exportActions.insert(int(kind), a);
        return a;
    };
    addExport(tr("Save diagram as &PNG…"), Export::Png, QKeySequence::Save);
    QAction *copy = file->addAction(tr("&Copy diagram"), this, [this] {
        QApplication::clipboard()->setImage(renderDiagramImage(m_results->diagnosis(), 2.0));
        m_phase->setText(tr("Diagram copied: paste it into the ticket."));
    });
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_exports << copy;
    addExport(tr("Save report as &HTML…"), Export::Html);
    addExport(tr("Save report as &Markdown…"), Export::Markdown);
    addExport(tr("Save report as P&DF…"), Export::Pdf);
    addExport(tr("Save diagnosis as &JSON…"), Export::Json);
    m_savePcap = file->addAction(tr("Save &captures (pcap)…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for client.pcap and server.pcap"));
        if (dir.isEmpty())
            return;
        // Never overwrite a capture silently: it may be the evidence of another run.
        QStringList existing;
        for (const auto &f : diagnose::pcapFiles(m_session->last()))
            if (QFileInfo::exists(dir + QLatin1Char('/') + QString::fromStdString(f.name)))
                existing << QString::fromStdString(f.name);
        if (!existing.isEmpty() &&
            QMessageBox::question(this, tr("Replace captures?"),
                                  tr("%1 already in %2. Replace?").arg(existing.join(tr(" and ")), dir),
                                  QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes)
            return;
        QString error;
        QStringList notes;
        if (!saveCaptures(dir, &error, &notes))
            QMessageBox::warning(this, tr("Cannot save captures"), error);
        else
            m_phase->setText(notes.isEmpty() ? tr("Saved the captures in %1").arg(dir) : notes.join(QStringLiteral("; ")));
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    m_diagnose = run->addAction(tr("&Diagnose"), this, &MainWindow::diagnose);
    m_diagnose->setShortcut(Qt::Key_F5);
    m_diagnose->setToolTip(tr("Run every step on both nodes at once (F5)"));
    m_cancel = run->addAction(tr("&Cancel"), this, &MainWindow::cancel);
    m_cancel->setShortcut(Qt::Key_Escape);

    QToolBar *bar = addToolBar(tr("Diagnosis"));
    bar->setObjectName(QStringLiteral("diagnosisToolbar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addAction(m_diagnose);
    bar->addAction(m_cancel);
    bar->addSeparator();
    bar->addAction(m_exports.front());
    bar->addAction(copy);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("Open &demo diagnosis"), this, [this] {
        QString error;
        if (!openDemo(&error))
            QMessageBox::warning(this, tr("Cannot open the demo"), error);
    });
    help->addAction(tr("&About PodPath"), this, [this] {
        QMessageBox::about(this, tr("About PodPath"), aboutText());
    });
}

QString MainWindow::aboutText()
{
    return tr("<h3>PodPath %1</h3>"
              "<p>Finds where packets between two Kubernetes nodes running Calico get lost: it runs the Calico "
              "overlay troubleshooting procedure on both nodes over SSH, only reading, and shows the verdict and the "
              "evidence for every hop.</p>"
              "<p>Free software under the GNU General Public License, version 3 or later. It uses Qt %2, libssh, "
              "libpcap, spdlog and QCustomPlot (GPL-3.0).</p>")
        .arg(QCoreApplication::applicationVersion().isEmpty() ? tr("(development build)")
                                                              : QCoreApplication::applicationVersion(),
             QString::fromLatin1(qVersion()));
}

void MainWindow::updateActions()
{
    const bool busy = m_session->busy();
    m_diagnose->setEnabled(!busy);
    m_cancel->setEnabled(busy);
    if (m_closeRecording)
        m_closeRecording->setEnabled(m_replay && !busy);
    const bool have = !m_results->diagnosis().startedAt.empty() || m_results->diagnosis().verdict != diagnose::Verdict::Error ||
                      !m_results->diagnosis().error.empty();
    for (QAction *a : m_exports)
        a->setEnabled(have && !busy);
    // Captures exist only for the run this session made, not for a diagnosis opened from JSON.
    const diagnose::DiagnosisRun &last = m_session->last();
    m_savePcap->setEnabled(!busy && !diagnose::pcapFiles(last).empty() &&
                           last.diagnosis.startedAt == m_results->diagnosis().startedAt);
}

bool MainWindow::useReplay(const QString &dir, QString *error)
{
    auto r = m_session->setReplay(dir);
    if (!r.ok()) {
        if (error)
            *error = sentence(r.error().oneLine());
        return false;
    }
    m_replay = true;
    m_guided->setNodesReady(true);
    updateActions();
    m_phase->setText(tr("Replaying the recorded sessions in %1 (no SSH).").arg(dir));
    m_replayName = QDir(dir).dirName();
    setWindowTitle(titleFor({}, m_replayName));
    return true;
}

bool MainWindow::openRecording(const QString &dir, QString *error)
{
    if (m_session->busy()) {
        if (error)
            *error = tr("A diagnosis is running: cancel it (Esc) first.");
        return false;
    }
    if (!useReplay(dir, error))
        return false;
    diagnose();
    return true;
}

QString MainWindow::demoRecording() { return QStringLiteral(":/demo/ipip-ipset-missing-client"); }

bool MainWindow::openDemo(QString *error)
{
    if (!openRecording(demoRecording(), error))
        return false;
    m_replayName = tr("the demo");
    setWindowTitle(tr("PodPath — demo: a recorded lab fault (IPIP, client missing from the server's hosts set)"));
    m_phase->setText(tr("Demo: replaying a recording of PodPath's lab (no SSH, no cluster). File ▸ Close recording "
                        "goes back to your own nodes."));
    return true;
}

void MainWindow::closeRecording()
{
    if (!m_replay || m_session->busy())
        return;
    m_session->clearReplay();
    m_replay = false;
    m_guided->setNodesReady(m_nodes->isReady());
    setWindowTitle(tr("PodPath"));
    m_phase->setText(tr("The next diagnosis connects to the nodes on the Nodes page."));
    updateActions();
}

bool MainWindow::openDiagnosis(const QString &file, QString *error)
{
    auto d = report::loadDiagnosis(file.toStdString());
    if (!d.ok()) {
        if (error)
            *error = sentence(d.error().oneLine());
        return false;
    }
    m_results->setDiagnosis(*d);
    setWindowTitle(titleFor(*d));
    m_tabs->setCurrentWidget(m_results);
    m_phase->setText(tr("Showing the saved diagnosis %1.").arg(file));
    updateActions();
    return true;
}

void MainWindow::diagnose()
{
    if (m_session->busy())
        return;
    if (!m_replay && !m_nodes->isReady()) {
        m_tabs->setCurrentWidget(m_nodes);
        m_phase->setText(tr("First fill in both nodes: the fields marked in red need a value."));
        return;
    }
    if (!m_replay)
        m_nodes->rememberCurrentPair();
    m_oneClickRunning = true;
    m_diagnose->setText(tr("&Diagnose"));
    m_live = {};
    m_livePhase.clear();
    m_live.client.host = m_replay ? "client" : m_nodes->clientTarget().label();
    m_live.server.host = m_replay ? "server" : m_nodes->serverTarget().label();
    m_results->setDiagnosis(m_live, tr("connecting to both nodes").toStdString());
    m_tabs->setCurrentWidget(m_results);
    m_session->runAll();
    updateActions();
}

void MainWindow::cancel()
{
    if (!m_session->busy())
        return;
    m_session->cancel();
    m_phase->setText(tr("Cancelling: the commands on the nodes are being stopped…"));
}

void MainWindow::onProgress(const QString &path, const QString &state, const QString &error)
{
    const QString phase = phaseOf(path);
    m_phase->setText(error.isEmpty() ? tr("%1 (%2)").arg(phase, path.section('/', 1)) : tr("%1: %2").arg(path, error));
    // Redraw the diagram only when its phase line changes: dozens of steps start per run.
    if (m_oneClickRunning && state == QLatin1String("started") && phase != m_livePhase) {
        m_livePhase = phase;
        m_results->setDiagnosis(m_live, phase.toStdString());
    }
    updateActions();
}

void MainWindow::onFinished()
{
    const diagnose::Diagnosis &d = m_session->last().diagnosis;
    const bool oneClick = std::exchange(m_oneClickRunning, false);
    // A guided step shows here too: its diagnosis says "not proven" for the hops no step
    // has watched yet, which is what the guide's summary says; an empty page would claim
    // nothing was run.
    m_results->setDiagnosis(d);
    if (d.recorded)
        setWindowTitle(titleFor(d, m_replayName));
    if (!oneClick && d.verdict != diagnose::Verdict::Error) {
        m_phase->setText(tr("Step done: its result is on the page. Next > goes on with the guide."));
        updateActions();
        emit diagnosisFinished();
        return;
    }
    m_phase->setText(d.verdict == diagnose::Verdict::Error ? tr("Could not diagnose: %1").arg(QString::fromStdString(d.error))
                     : d.verdict == diagnose::Verdict::Incomplete
                         ? tr("Not proven: some hops have no evidence. The diagram says which, and why.")
                     : d.verdict == diagnose::Verdict::Pass     ? tr("Healthy: every hop passed.")
                                                             : tr("A hop failed: see the diagram and the findings."));
    updateActions();
    emit diagnosisFinished();
}

bool MainWindow::exportTo(Export kind, const QString &file, QString *error) const
{
    if (auto why = report::whyNotWritable(file)) {
        if (error)
            *error = tr("Cannot write %1: %2. Choose another folder.").arg(file, QString::fromStdString(*why));
        return false;
    }
    const diagnose::Diagnosis &d = m_results->diagnosis();
    switch (kind) {
    case Export::Png:
        return writeFile(file, renderDiagramPng(d, 2.0), error);
    case Export::Json:
        return writeFile(file, report::toJsonBytes(d), error);
    case Export::Markdown:
        return writeFile(file, QByteArray::fromStdString(report::renderMarkdown(d)), error);
    case Export::Html:
        return writeFile(file, QByteArray::fromStdString(report::renderHtml(d, reportHtmlOptions(d))), error);
    case Export::Pdf:
        return PdfReport(d).write(file, error);
    }
    return false;
}

bool MainWindow::saveCaptures(const QString &dir, QString *error, QStringList *notes) const
{
    const auto files = diagnose::pcapFiles(m_session->last());
    if (files.empty()) {
        if (error)
            *error = tr("No captures in this diagnosis (a saved JSON has none): run Diagnose first.");
        return false;
    }
    for (const auto &f : files) {
        if (!writeFile(dir + QLatin1Char('/') + QString::fromStdString(f.name), QByteArray::fromStdString(*f.bytes), error))
            return false;
        if (notes && !f.note.empty())
            *notes << QString::fromStdString(f.note);
    }
    return true;
}

void MainWindow::exportWithDialog(Export kind)
{
    static const char *filters[] = {"PNG image (*.png)", "HTML report (*.html)", "Markdown report (*.md)",
                                    "PDF report (*.pdf)", "PodPath diagnosis (*.json)"};
    static const char *suffix[] = {"png", "html", "md", "pdf", "json"};
    const int k = int(kind);
    const diagnose::Diagnosis &d = m_results->diagnosis();
    const QString base = QStringLiteral("podpath-%1-%2.%3")
                             .arg(QString::fromStdString(nodeName(d.client)), QString::fromStdString(nodeName(d.server)),
                                  QLatin1String(suffix[k]));
    // The replace question is PodPath's own (saveExport), the same on every platform.
    const QString file = QFileDialog::getSaveFileName(this, tr("Save %1").arg(exportName(kind)), base, tr(filters[k]),
                                                      nullptr, QFileDialog::DontConfirmOverwrite);
    if (!file.isEmpty())
        saveExport(kind, file);
}

bool MainWindow::saveExport(Export kind, const QString &file)
{
    const QString where = QDir::toNativeSeparators(QFileInfo(file).absoluteFilePath());
    if (QFileInfo::exists(file) &&
        QMessageBox::question(this, tr("Replace the file?"),
                              tr("%1 already exists. Replace it with %2?").arg(where, exportName(kind)),
                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes) {
        m_phase->setText(tr("Not saved: %1 was kept as it was.").arg(where));
        return false;
    }
    QString error;
    if (!exportTo(kind, file, &error)) {
        m_phase->setText(error);
        QMessageBox::warning(this, tr("Cannot save"), error);
        return false;
    }
    QString text = tr("Saved %1 to %2").arg(exportName(kind), where);
    text[0] = text[0].toUpper();
    m_phase->setText(text);
    return true;
}

QString MainWindow::statusText() const
{
    return m_phase->text();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_session->busy())
        m_session->cancel();
    m_settings->beginGroup(QStringLiteral("window"));
    m_settings->setValue(QStringLiteral("geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("tab"), m_tabs->currentIndex());
    m_settings->endGroup();
    QMainWindow::closeEvent(event);
}

} // namespace podpath::widgets
