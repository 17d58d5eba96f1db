#include "matrix_page.h"

#include "matrix_plot.h"
#include "matrix_session.h"
#include "results_view.h"

#include "core/printable.h"
#include "remote/cluster_sessions.h"
#include "report/status_palette.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace podpath::widgets {

using namespace podpath::diagnose;

MatrixPage::MatrixPage(remote::SshPrompter *prompter, QWidget *parent)
    : QWidget(parent), m_prompter(prompter), m_session(std::make_unique<MatrixSession>(prompter))
{
    auto *nodesLabel = new QLabel(tr("Nodes to t&est, one per line: [user@]host[:port] or an ssh config alias. Every node pings "
                                     "every other while each one captures; logins as on the Nodes page."),
                                  this);
    nodesLabel->setWordWrap(true);
    m_nodes = new QPlainTextEdit(this);
    m_nodes->setPlaceholderText(QStringLiteral("root@worker-1\nroot@worker-2\nroot@worker-3"));
    m_nodes->setMaximumHeight(fontMetrics().height() * 6);
    nodesLabel->setBuddy(m_nodes);
    m_run = new QPushButton(tr("R&un matrix"), this);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_open = new QPushButton(tr("Open recording…"), this);
    m_open->setToolTip(tr("A folder written by podpath matrix --record: replayed without SSH"));
    // Clustered by default: where failing first draws a block (a node cut off, a node
    // failing with some peers) clustered draws the same, and a split, where every node
    // fails as much as any other, comes out as blocks instead of a checkerboard.
    m_order = new QComboBox(this);
    for (const auto &o : kMatrixOrders)
        m_order->addItem(QString::fromUtf8(o.words.data(), qsizetype(o.words.size())), int(o.order));
    m_order->setCurrentIndex(m_order->findData(int(kDefaultMatrixOrder)));
    m_order->setToolTip(tr("Rows and columns alike, each node keeping its number. Clustered: nodes whose pairs fail "
                           "alike side by side, the worst group first, so a split or a node cut off shows as a block; "
                           "failing first: the nodes with the most pairs that did not pass first"));
    auto *orderLabel = new QLabel(tr("&Order:"), this);
    orderLabel->setBuddy(m_order);
    auto *orderRow = new QHBoxLayout;
    orderRow->addWidget(orderLabel);
    orderRow->addWidget(m_order, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    auto *buttons = new QVBoxLayout;
    for (QWidget *w : {static_cast<QWidget *>(m_run), static_cast<QWidget *>(m_cancel), static_cast<QWidget *>(m_open)})
        buttons->addWidget(w);
    buttons->addLayout(orderRow);
    buttons->addStretch(1);
    auto *top = new QHBoxLayout;
    auto *nodesBox = new QVBoxLayout;
    nodesBox->addWidget(nodesLabel);
    nodesBox->addWidget(m_nodes);
    nodesBox->addWidget(m_status);
    top->addLayout(nodesBox, 1);
    top->addLayout(buttons);

    m_headline = new QLabel(this);
    m_headline->setWordWrap(true);
    QFont big = m_headline->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    m_headline->setFont(big);
    m_plot = new MatrixPlot(this);
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const report::StatusPalette &pal = dark ? report::kDarkPalette : report::kLightPalette;
    auto swatch = [](std::uint32_t rgb) {
        return QStringLiteral("<span style='color:%1'>■</span>").arg(QString::fromStdString(report::cssColor(rgb)));
    };
    auto *legend = new QLabel(
        tr("Rows send, columns answer; each cell is that pair's echoes both ways. %1 ok: every hop seen · %2 F1…F8: "
           "failed, the echoes stopped at that hop of the path (1 client tunnel out … 4 server tunnel in … 8 client "
           "tunnel in) · %3 ??: not proven · %4 !!: could not be judged · %5 the node itself, xx: not reached")
            .arg(swatch(pal.pass), swatch(pal.fail), swatch(pal.unknown), swatch(pal.warning), swatch(pal.skipped)),
        this);
    legend->setWordWrap(true);
    m_patterns = new QTextBrowser(this);
    m_patterns->setAccessibleName(tr("What the failing pairs have in common"));
    m_pairTitle = new QLabel(tr("Click a cell of the matrix to see that pair's path, findings and evidence here."), this);
    m_pairTitle->setWordWrap(true);
    m_pair = new ResultsView(this);

    auto *upper = new QSplitter(Qt::Horizontal, this);
    upper->addWidget(m_plot);
    upper->addWidget(m_patterns);
    upper->setStretchFactor(0, 3);
    upper->setStretchFactor(1, 2);
    auto *lowerBox = new QWidget(this);
    auto *lower = new QVBoxLayout(lowerBox);
    lower->setContentsMargins(0, 0, 0, 0);
    lower->addWidget(m_pairTitle);
    lower->addWidget(m_pair, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(upper);
    split->addWidget(lowerBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    // In a scroll area: on a small screen the page scrolls, the window keeps its size.
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->addLayout(top);
    layout->addWidget(m_headline);
    layout->addWidget(legend);
    layout->addWidget(split, 1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_run, &QPushButton::clicked, this, &MatrixPage::run);
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_session->cancel(); });
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a matrix recording"));
        if (!dir.isEmpty())
            openRecording(dir);
    });
    connect(m_order, &QComboBox::currentIndexChanged, this,
            [this] { m_plot->setOrder(MatrixOrder(m_order->currentData().toInt())); });
    connect(m_plot, &MatrixPlot::cellClicked, this, &MatrixPage::showPair);
    connect(m_session.get(), &MatrixSession::progress, this, [this](const QString &what) { m_status->setText(what); });
    connect(m_session.get(), &MatrixSession::failed, this, [this](const QString &why) {
        setBusy(false, tr("Could not run: %1").arg(why));
        emit finished();
    });
    connect(m_session.get(), &MatrixSession::finished, this, [this](const ClusterMatrix &m) {
        setMatrix(m);
        setBusy(false, m.recorded ? tr("Replayed from a recording.") : tr("Done."));
        emit finished();
    });
    setBusy(false);
    setMatrix({});
}

MatrixPage::~MatrixPage() = default;

void MatrixPage::setNodesText(const QString &text) { m_nodes->setPlainText(text); }

void MatrixPage::setBusy(bool busy, const QString &status)
{
    m_run->setEnabled(!busy);
    m_open->setEnabled(!busy);
    m_cancel->setEnabled(busy);
    if (!status.isEmpty() || !busy)
        m_status->setText(status);
}

void MatrixPage::run()
{
    auto hosts = remote::parseNodeList(m_nodes->toPlainText().toStdString(), "the node list");
    if (!hosts.ok()) {
        m_status->setText(QString::fromStdString(printable(hosts.error().oneLine())));
        return;
    }
    if (hosts->size() < 2) {
        m_status->setText(tr("Name two nodes or more, one per line."));
        return;
    }
    const remote::SshTarget login = m_login ? m_login() : remote::SshTarget{};
    std::vector<std::pair<std::string, remote::SshTarget>> targets;
    for (const auto &h : *hosts) {
        auto t = remote::SshTarget::parse(h);
        if (!t.ok()) {
            m_status->setText(QString::fromStdString(printable(h + ": " + t.error().oneLine())));
            return;
        }
        if (!t->identityFile)
            t->identityFile = login.identityFile;
        if (!t->knownHostsFile)
            t->knownHostsFile = login.knownHostsFile;
        if (!t->configFile)
            t->configFile = login.configFile;
        if (!t->jump)
            t->jump = login.jump;
        if (!t->user && login.user)
            t->user = login.user;
        targets.emplace_back(h, *t);
    }
    setBusy(true, tr("Starting…"));
    m_session->runNodes(std::move(targets));
}

void MatrixPage::openRecording(const QString &dir)
{
    setBusy(true, tr("Replaying %1…").arg(dir));
    m_session->runRecording(dir);
}

QString MatrixPage::headline() const { return m_headline->text(); }
QString MatrixPage::patternsText() const { return m_patterns->toPlainText(); }
QString MatrixPage::pairTitle() const { return m_pairTitle->text(); }

void MatrixPage::setMatrix(const ClusterMatrix &m)
{
    m_matrix = m;
    m_plot->setMatrix(m);
    const std::size_t n = m.nodes.size();
    if (n == 0) {
        m_headline->setText(tr("No matrix yet."));
        m_patterns->setPlainText(tr("What the failing pairs have in common appears here."));
        return;
    }
    const int pairs = int(n * (n - 1)), pass = m.count(Verdict::Pass), fail = m.count(Verdict::Fail);
    const int other = int(m.cells.size()) - pass - fail, unreached = pairs - int(m.cells.size());
    QString h = tr("%1 nodes, %2 ordered pairs: %3 pass, %4 fail").arg(n).arg(pairs).arg(pass).arg(fail);
    if (other)
        h += tr(", %1 not proven or not judged").arg(other);
    if (unreached)
        h += tr(", %1 with a node not reached").arg(unreached);
    m_headline->setText(h);
    QString html;
    if (m.patterns.empty())
        html = fail ? QString() : tr("<p>No pair failed.</p>");
    for (const auto &pt : m.patterns)
        html += QStringLiteral("<p><b>%1</b><br>%2</p>")
                    .arg(QString::fromStdString(printable(pt.message)).toHtmlEscaped(),
                         tr("Next: %1").arg(QString::fromStdString(printable(pt.nextStep)).toHtmlEscaped()));
    for (std::size_t i = 0; i < n; ++i)
        if (!m.nodes[i].problem.empty())
            html += QStringLiteral("<p>%1</p>").arg(
                tr("%1 was not judged: %2")
                    .arg(QString::fromStdString(printable(nodeName(m.nodes[i].facts))).toHtmlEscaped(),
                         QString::fromStdString(printable(m.nodes[i].problem)).toHtmlEscaped()));
    m_patterns->setHtml(html);
    // The first failing pair is shown at once; else the first pair.
    for (const auto &c : m.cells)
        if (c.diagnosis.verdict != Verdict::Pass) {
            showPair(c.client, c.server);
            return;
        }
    if (!m.cells.empty())
        showPair(m.cells.front().client, m.cells.front().server);
}

void MatrixPage::showPair(std::size_t client, std::size_t server)
{
    const MatrixCell *c = m_matrix.cell(client, server);
    const QString from = QString::fromStdString(printable(nodeName(m_matrix.nodes[client].facts)));
    const QString to = QString::fromStdString(printable(nodeName(m_matrix.nodes[server].facts)));
    if (!c) {
        m_pairTitle->setText(tr("%1 → %2 was not judged: a node was not reached.").arg(from, to));
        return;
    }
    Diagnosis d = c->diagnosis;
    // The nodes' commands, kept once per node, are this pair's evidence too.
    for (std::size_t k : {client, server})
        d.commands.insert(d.commands.end(), m_matrix.nodes[k].commands.begin(), m_matrix.nodes[k].commands.end());
    m_pairTitle->setText(tr("<b>%1 → %2</b> (client → server), from the matrix's one burst: nothing was run again.").arg(from, to));
    m_pair->setDiagnosis(d);
}

} // namespace podpath::widgets
