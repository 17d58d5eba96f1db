#include "nodes_page.h"

#include "gui_prompter.h"
#include "node_form.h"
#include "remote/session_opener.h"
#include "remote/ssh_config_hosts.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace podpath::widgets {

namespace {

const QColor kBad(0xd6, 0x3a, 0x3a);

QLineEdit *pathRow(QFormLayout *form, QWidget *parent, const QString &label, const QString &placeholder,
                   const QString &help, const QString &dialogTitle)
{
    auto *row = new QWidget(parent);
    auto *edit = new QLineEdit(row);
    edit->setPlaceholderText(placeholder);
    edit->setToolTip(help);
    edit->setAccessibleName(label);
    edit->setClearButtonEnabled(true);
    auto *browse = new QToolButton(row);
    browse->setText(QObject::tr("Browse…"));
    browse->setAccessibleName(QObject::tr("Choose the %1").arg(label));
    auto *l = new QHBoxLayout(row);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(edit, 1);
    l->addWidget(browse);
    QObject::connect(browse, &QToolButton::clicked, edit, [edit, dialogTitle] {
        const QString start = edit->text().isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh")
                                                     : QFileInfo(NodeForm::expandHome(edit->text())).path();
        const QString file = QFileDialog::getOpenFileName(edit, dialogTitle, start);
        if (!file.isEmpty())
            edit->setText(file);
    });
    auto *labelWidget = new QLabel(label + QLatin1Char(':'), parent);
    labelWidget->setBuddy(edit);
    form->addRow(labelWidget, row);
    return edit;
}

} // namespace

NodesPage::NodesPage(QSettings *settings, QWidget *parent) : QWidget(parent), m_settings(settings)
{
    setAccessibleName(tr("Nodes"));
    m_prompter = std::make_shared<GuiPrompter>(this);

    auto *title = new QLabel(tr("Which two nodes?"), this);
    QFont big = title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.4);
    title->setFont(big);
    auto *intro = new QLabel(tr("PodPath pings from the client node to the server node through the Calico overlay "
                                "and finds where the packets get lost. It logs in to both with SSH and only reads: "
                                "nothing on the nodes is changed."),
                             this);
    intro->setWordWrap(true);

    m_recent = new QComboBox(this);
    m_recent->setAccessibleName(tr("Recent node pairs"));
    m_recent->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_recent->setMinimumContentsLength(32);
    auto *recentLabel = new QLabel(tr("Recent:"), this);
    recentLabel->setBuddy(m_recent);
    auto *recentRow = new QHBoxLayout;
    recentRow->addWidget(recentLabel);
    recentRow->addWidget(m_recent);
    recentRow->addStretch(1);
    connect(m_recent, &QComboBox::activated, this, [this](int i) {
        if (i >= 0 && i < m_recentPairs.size())
            applyPair(m_recentPairs[i]);
    });

    m_client = new NodeForm(diagnose::NodeRole::Client, this);
    m_server = new NodeForm(diagnose::NodeRole::Server, this);
    auto box = [this](const QString &title, NodeForm *form) {
        auto *g = new QGroupBox(title, this);
        auto *l = new QVBoxLayout(g);
        l->addWidget(form);
        return g;
    };
    auto *clientBox = box(tr("Client node: where the ping starts"), m_client);
    auto *serverBox = box(tr("Server node: the node it should reach"), m_server);
    auto *arrow = new QLabel(tr("ping\n→"), this);
    arrow->setAlignment(Qt::AlignCenter);
    QFont arrowFont = arrow->font();
    arrowFont.setPointSizeF(arrowFont.pointSizeF() * 1.6);
    arrow->setFont(arrowFont);
    arrow->setForegroundRole(QPalette::PlaceholderText);
    arrow->setAccessibleName(tr("The client pings the server"));
    auto *nodes = new QHBoxLayout;
    nodes->addWidget(clientBox, 1);
    nodes->addWidget(arrow);
    nodes->addWidget(serverBox, 1);

    m_advancedToggle = new QToolButton(this);
    m_advancedToggle->setText(tr("Advanced: known_hosts file and ssh config"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    m_advanced = buildAdvanced();
    m_advanced->setVisible(false);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool open) {
        m_advanced->setVisible(open);
        m_advancedToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });

    auto *root = new QVBoxLayout(this);
    root->addWidget(title);
    root->addWidget(intro);
    root->addLayout(recentRow);
    root->addLayout(nodes, 1);
    root->addWidget(buildPods());
    root->addWidget(m_advancedToggle, 0, Qt::AlignLeft);
    root->addWidget(m_advanced);

    setShellFactory(ConnectionTester::sshShells(m_prompter));
    for (NodeForm *f : {m_client, m_server}) {
        connect(f, &NodeForm::validityChanged, this, &NodesPage::updateReady);
        connect(f, &NodeForm::connectionTested, this,
                [this, f](const ConnectionTestOutcome &o) { emit connectionTested(f->role(), o); });
    }
    fillRecent();
    if (!m_recentPairs.isEmpty())
        applyPair(m_recentPairs.first());
    sharedFilesChanged();
}

NodesPage::~NodesPage() = default;

QWidget *NodesPage::buildAdvanced()
{
    auto *panel = new QWidget(this);
    auto *form = new QFormLayout(panel);
    m_knownHosts = pathRow(form, panel, tr("known_hosts file"), tr("~/.ssh/known_hosts"),
                           tr("Where the host keys of nodes you trust are kept (like ssh's UserKnownHostsFile). "
                              "\"Accept and save\" adds a node's key to it."),
                           tr("Choose a known_hosts file"));
    m_sshConfig = pathRow(form, panel, tr("ssh config"), tr("~/.ssh/config"),
                          tr("Where host aliases, users, ports, keys and jump hosts come from, like ssh -F."),
                          tr("Choose an ssh config file"));
    m_sshConfigError = new QLabel(panel);
    m_sshConfigError->setWordWrap(true);
    QPalette p = m_sshConfigError->palette();
    p.setColor(QPalette::WindowText, kBad);
    m_sshConfigError->setPalette(p);
    form->addRow(QString(), m_sshConfigError);
    form->setRowVisible(m_sshConfigError, false);
    for (QLineEdit *e : {m_knownHosts, m_sshConfig})
        connect(e, &QLineEdit::textChanged, this, &NodesPage::sharedFilesChanged);
    return panel;
}

void NodesPage::setShellFactory(ConnectionTester::ShellFactory factory)
{
    m_client->setShellFactory(factory);
    m_server->setShellFactory(std::move(factory));
}

void NodesPage::sharedFilesChanged()
{
    const QString config = m_sshConfig->text().trimmed();
    QString error;
    if (!config.isEmpty()) {
        const QFileInfo info(NodeForm::expandHome(config));
        // Not only regular files: /dev/null is how ssh users say "no config at all".
        if (!info.exists() || info.isDir())
            error = tr("✖ No such file: %1. Leave it empty for ~/.ssh/config.").arg(info.filePath());
        else if (!info.isReadable())
            error = tr("✖ Cannot read %1: check its permissions.").arg(info.filePath());
    }
    m_sshConfigError->setText(error);
    m_sshConfig->setAccessibleDescription(error);
    if (auto *form = qobject_cast<QFormLayout *>(m_advanced->layout()))
        form->setRowVisible(m_sshConfigError, !error.isEmpty());
    for (NodeForm *f : {m_client, m_server})
        f->setSharedFiles(m_knownHosts->text(), config);
    reloadHostSuggestions();
    updateReady();
}

QString NodesPage::sshConfigError() const { return m_sshConfigError->text(); }

void NodesPage::reloadHostSuggestions()
{
    const std::string home = remote::userHomeDir();
    const QString config = m_sshConfig->text().trimmed();
    std::vector<remote::SshConfigHost> aliases;
    if (config.isEmpty()) {
        // What ssh reads without -F: the user's file, then the system's.
        aliases = remote::loadSshConfigHosts(remote::defaultUserSshConfig(), home, home + "/.ssh");
        for (auto &h : remote::loadSshConfigHosts("/etc/ssh/ssh_config", home, "/etc/ssh"))
            if (std::none_of(aliases.begin(), aliases.end(), [&](const auto &a) { return a.alias == h.alias; }))
                aliases.push_back(std::move(h));
    } else {
        aliases = remote::loadSshConfigHosts(NodeForm::expandHome(config).toStdString(), home, home + "/.ssh");
    }
    const QStringList recent = RecentProfiles(m_settings).hosts();
    for (NodeForm *f : {m_client, m_server})
        f->setHostSuggestions(aliases, recent);
}

void NodesPage::fillRecent()
{
    m_recentPairs = RecentProfiles(m_settings).pairs();
    m_recent->clear();
    for (const auto &p : m_recentPairs)
        m_recent->addItem(p.label());
    m_recent->setEnabled(!m_recentPairs.isEmpty());
    m_recent->setPlaceholderText(m_recentPairs.isEmpty() ? tr("no pairs used yet") : tr("pick a pair used before"));
    m_recent->setCurrentIndex(-1);
}

PairProfile NodesPage::currentPair() const
{
    PodFields pods{m_clientPod->text().trimmed(), m_serverPod->text().trimmed(), m_port->text().trimmed(), {}};
    if (!pods.port.isEmpty())
        pods.protocol = m_protocol->currentData().toString();
    return {m_client->fields(), m_server->fields(), m_knownHosts->text().trimmed(), m_sshConfig->text().trimmed(), pods};
}

void NodesPage::applyPair(const PairProfile &pair)
{
    m_client->setFields(pair.client);
    m_server->setFields(pair.server);
    m_knownHosts->setText(pair.knownHostsFile);
    m_sshConfig->setText(pair.sshConfigFile);
    m_clientPod->setText(pair.pods.clientPod);
    m_serverPod->setText(pair.pods.serverPod);
    m_port->setText(pair.pods.port);
    if (const int i = m_protocol->findData(pair.pods.protocol); i >= 0)
        m_protocol->setCurrentIndex(i);
    // Files that differ from the defaults are shown, not hidden behind "Advanced".
    if (!pair.knownHostsFile.isEmpty() || !pair.sshConfigFile.isEmpty())
        m_advancedToggle->setChecked(true);
}

void NodesPage::rememberCurrentPair()
{
    const PairProfile pair = currentPair();
    if (pair.client.host.isEmpty() || pair.server.host.isEmpty())
        return;
    RecentProfiles(m_settings).remember(pair);
    fillRecent();
    reloadHostSuggestions();
}

remote::SshTarget NodesPage::clientTarget() const { return m_client->target(); }
remote::SshTarget NodesPage::serverTarget() const { return m_server->target(); }
remote::ConnectOptions NodesPage::clientOptions() const { return m_client->connectOptions(); }
remote::ConnectOptions NodesPage::serverOptions() const { return m_server->connectOptions(); }

QWidget *NodesPage::buildPods()
{
    auto *g = new QGroupBox(tr("Pods (optional): can this pod reach that one, and which policy stops it?"), this);
    auto *help = new QLabel(tr("Give a pod on each node (its IP: kubectl get pod -o wide). PodPath pings the server pod "
                               "from inside the client pod and reads both pods' NetworkPolicies around it; with a port, "
                               "it also connects to that port. Needs root or sudo with ip on the nodes."),
                            g);
    help->setWordWrap(true);
    auto ipEdit = [g](const QString &name, const QString &placeholder) {
        auto *e = new QLineEdit(g);
        e->setAccessibleName(name);
        e->setPlaceholderText(placeholder);
        e->setClearButtonEnabled(true);
        return e;
    };
    m_clientPod = ipEdit(tr("Client pod IP"), tr("e.g. 10.244.1.7 (on the client node)"));
    m_serverPod = ipEdit(tr("Server pod IP"), tr("e.g. 10.244.2.9 (on the server node)"));
    m_port = ipEdit(tr("Port"), tr("none: ping only"));
    m_port->setMaxLength(5);
    m_protocol = new QComboBox(g);
    m_protocol->setAccessibleName(tr("Protocol of the port"));
    m_protocol->addItem(QStringLiteral("TCP"), QStringLiteral("tcp"));
    m_protocol->addItem(QStringLiteral("UDP"), QStringLiteral("udp"));
    m_podsProblem = new QLabel(g);
    QPalette bad = m_podsProblem->palette();
    bad.setColor(QPalette::WindowText, kBad);
    m_podsProblem->setPalette(bad);
    m_podsProblem->setVisible(false);
    auto *row = new QHBoxLayout;
    auto label = [g](const QString &text, QWidget *buddy) {
        auto *l = new QLabel(text, g);
        l->setBuddy(buddy);
        return l;
    };
    row->addWidget(label(tr("Client &pod IP:"), m_clientPod));
    row->addWidget(m_clientPod, 2);
    row->addWidget(label(tr("→ Server pod &IP:"), m_serverPod));
    row->addWidget(m_serverPod, 2);
    row->addWidget(label(tr("P&ort:"), m_port));
    row->addWidget(m_port, 1);
    row->addWidget(m_protocol);
    auto *l = new QVBoxLayout(g);
    l->addWidget(help);
    l->addLayout(row);
    l->addWidget(m_podsProblem);
    for (QLineEdit *e : {m_clientPod, m_serverPod, m_port}) {
        connect(e, &QLineEdit::textChanged, this, &NodesPage::updateReady);
        connect(e, &QLineEdit::textChanged, this, &NodesPage::podsChanged);
    }
    connect(m_protocol, &QComboBox::currentIndexChanged, this, &NodesPage::podsChanged);
    // The protocol is the port's: without one the ping (ICMP) is all that is sent.
    m_protocol->setEnabled(false);
    connect(m_port, &QLineEdit::textChanged, m_protocol, [this](const QString &t) { m_protocol->setEnabled(!t.trimmed().isEmpty()); });
    return g;
}

QString NodesPage::podsError() const
{
    const QString c = m_clientPod->text().trimmed(), sv = m_serverPod->text().trimmed(), port = m_port->text().trimmed();
    if (c.isEmpty() && sv.isEmpty())
        return port.isEmpty() ? QString() : tr("A port is probed from pod to pod: give both pods' IPs too.");
    if (c.isEmpty() || sv.isEmpty())
        return tr("Give both pods' IPs (or neither: the nodes alone are diagnosed).");
    for (const QString &ip : {c, sv})
        if (!Ipv4::parse(ip.toStdString()))
            return tr("'%1' is not an IPv4 address (kubectl get pod -o wide shows the pod's).").arg(ip);
    if (!port.isEmpty()) {
        const auto n = remote::Port::parse(port.toStdString());
        if (!n || n->value() == 0)
            return tr("The port must be a number from 1 to 65535.");
    }
    return {};
}

std::optional<diagnose::DiagnoseOptions::Pods> NodesPage::pods() const
{
    if (!podsError().isEmpty() || m_clientPod->text().trimmed().isEmpty())
        return std::nullopt;
    diagnose::DiagnoseOptions::Pods p{*Ipv4::parse(m_clientPod->text().trimmed().toStdString()),
                                      *Ipv4::parse(m_serverPod->text().trimmed().toStdString()), diagnose::Transport::Icmp,
                                      std::nullopt};
    if (const QString port = m_port->text().trimmed(); !port.isEmpty()) {
        p.port = remote::Port::parse(port.toStdString());
        p.protocol = m_protocol->currentData().toString() == QLatin1String("udp") ? diagnose::Transport::Udp
                                                                                  : diagnose::Transport::Tcp;
    }
    return p;
}

void NodesPage::updateReady()
{
    const QString podsProblem = podsError();
    m_podsProblem->setText(podsProblem);
    m_podsProblem->setVisible(!podsProblem.isEmpty());
    const bool ready = m_client->isValid() && m_server->isValid() && sshConfigError().isEmpty() && podsProblem.isEmpty();
    if (ready != m_ready) {
        m_ready = ready;
        emit readyChanged(ready);
    }
}

} // namespace podpath::widgets
