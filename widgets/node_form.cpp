#include "node_form.h"
#include "sentence.h"

#include "probe_result_view.h"

#include <QCompleter>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

namespace podpath::widgets {

namespace {

const QColor kBad(0xd6, 0x3a, 0x3a);

QString sentence(const std::string &s) { return asFullSentence(QString::fromStdString(s)); }

// An Error as the line under a field: what is wrong, then what to write instead.
QString fieldError(const Error &e, const QString &example)
{
    QString t = sentence(e.message);
    if (!e.nextStep.empty())
        t += QLatin1Char(' ') + sentence(e.nextStep);
    if (!example.isEmpty())
        t.insert(t.size() - 1, example);
    return t;
}

} // namespace

QString NodeForm::expandHome(const QString &path)
{
    if (path == QLatin1String("~") || path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

NodeForm::NodeForm(diagnose::NodeRole role, QWidget *parent) : QWidget(parent), m_role(role)
{
    const bool client = role == diagnose::NodeRole::Client;
    setAccessibleName(client ? tr("Client node") : tr("Server node"));
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_host = addField(m_form, QStringLiteral("host"), tr("Host"), tr("node name, IP or ~/.ssh/config alias"),
                      tr("The node's name or IP address, or a Host alias from your ~/.ssh/config. "
                         "You may write user@host:port here too."));
    m_suggestions = new QStandardItemModel(this);
    m_completer = new QCompleter(m_suggestions, this);
    m_completer->setCompletionRole(Qt::UserRole);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains);
    m_host->setCompleter(m_completer);

    const QString me = qEnvironmentVariable("USER");
    m_user = addField(m_form, QStringLiteral("user"), tr("User"),
                      me.isEmpty() ? tr("from ssh config") : tr("from ssh config, else %1").arg(me),
                      tr("The login user. Empty: the ssh config's User, else your own login name. PodPath needs root "
                         "on the node: log in as root, or as a user who may use sudo."));
    m_port = addField(m_form, QStringLiteral("port"), tr("Port"), tr("22"),
                      tr("The SSH port. Empty: the ssh config's Port, else 22."));
    m_port->setMaximumWidth(m_port->fontMetrics().horizontalAdvance(QStringLiteral("0000000000")) +
                            m_port->fontMetrics().height());

    auto *keyRow = new QWidget(this);
    m_identity = new QLineEdit(keyRow);
    m_browse = new QToolButton(keyRow);
    m_browse->setText(tr("Browse…"));
    m_browse->setAccessibleName(tr("Choose a key file"));
    m_browse->setToolTip(tr("Choose a private key file"));
    auto *keyLayout = new QHBoxLayout(keyRow);
    keyLayout->setContentsMargins(0, 0, 0, 0);
    keyLayout->addWidget(m_identity, 1);
    keyLayout->addWidget(m_browse);
    addField(m_form, QStringLiteral("identity"), tr("SSH key"), tr("ssh config, default keys, ssh-agent"),
             tr("A private key file to try first, like ssh -i. Empty: the ssh config's IdentityFile, your default "
                "keys and ssh-agent."),
             keyRow);
    connect(m_browse, &QToolButton::clicked, this, &NodeForm::chooseIdentity);

    m_jump = addField(m_form, QStringLiteral("jump"), tr("Jump host"), tr("none (optional: [user@]host[:port])"),
                      tr("Reach the node through this host first, like ssh -J, e.g. ops@bastion. Empty: the ssh "
                         "config's ProxyJump, if any."));

    auto *root = new QLabel(tr("Root is found when connecting: a root login, or sudo (its password is asked "
                               "once if needed)."),
                            this);
    root->setWordWrap(true);
    root->setForegroundRole(QPalette::PlaceholderText);
    m_form->addRow(tr("Root:"), root);

    m_test = new QPushButton(tr("Test connection"), this);
    m_test->setEnabled(false);
    connect(m_test, &QPushButton::clicked, this, &NodeForm::testConnection);
    m_result = new ProbeResultView(this);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_test);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_form);
    layout->addLayout(buttons);
    layout->addWidget(m_result);
    layout->addStretch(1);

    for (QLineEdit *e : {m_host, m_user, m_port, m_identity, m_jump})
        connect(e, &QLineEdit::textChanged, this, [this] {
            revalidate();
            if (!m_tester || !m_tester->running())
                m_result->showIdle();  // what was found belongs to what was typed before
            emit edited();
        });
    revalidate();
}

QLineEdit *NodeForm::addField(QFormLayout *form, const QString &key, const QString &label, const QString &placeholder,
                              const QString &whatsThis, QWidget *fieldWidget)
{
    QLineEdit *edit = fieldWidget ? fieldWidget->findChild<QLineEdit *>() : new QLineEdit(this);
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(label);
    edit->setToolTip(whatsThis);
    edit->setWhatsThis(whatsThis);
    edit->setClearButtonEnabled(true);
    auto *error = new QLabel(this);
    error->setWordWrap(true);
    error->setTextFormat(Qt::PlainText);
    QPalette p = error->palette();
    p.setColor(QPalette::WindowText, kBad);
    error->setPalette(p);
    auto *labelWidget = new QLabel(label + QLatin1Char(':'), this);
    labelWidget->setBuddy(edit);
    form->addRow(labelWidget, fieldWidget ? fieldWidget : edit);
    form->addRow(QString(), error);
    form->setRowVisible(error, false);
    m_checks[key] = {edit, error};
    return edit;
}

void NodeForm::setError(const QString &key, const QString &text)
{
    const Check &c = m_checks.at(key);
    c.error->setText(text.isEmpty() ? QString() : QStringLiteral("✖ ") + text);
    c.edit->setAccessibleDescription(text);
    m_form->setRowVisible(c.error, !text.isEmpty());
}

QString NodeForm::errorText(const QString &field) const
{
    auto it = m_checks.find(field);
    return it == m_checks.end() ? QString() : it->second.edit->accessibleDescription();
}

void NodeForm::revalidate()
{
    bool valid = true;
    const QString host = m_host->text().trimmed();
    std::optional<remote::SshTarget> parsed;
    QString hostError;
    if (host.isEmpty()) {
        valid = false;
    } else if (auto t = remote::SshTarget::parse(host.toStdString()); t.ok()) {
        parsed = *t;
    } else {
        hostError = fieldError(t.error(), tr(", e.g. node1 or root@198.51.100.11"));
    }
    setError(QStringLiteral("host"), hostError);

    const QString user = m_user->text().trimmed();
    QString userError;
    if (!user.isEmpty() && !remote::isValidUserName(user.toStdString()))
        userError = tr("Not a user name: use letters, digits, '.', '_' and '-', e.g. root.");
    else if (!user.isEmpty() && parsed && parsed->user && QString::fromStdString(*parsed->user) != user)
        userError = tr("The host field already says user %1: keep one of the two.").arg(QString::fromStdString(*parsed->user));
    setError(QStringLiteral("user"), userError);

    const QString port = m_port->text().trimmed();
    QString portError;
    if (!port.isEmpty() && !remote::Port::parse(port.toStdString()))
        portError = tr("Not a port: a number from 1 to 65535, usually 22.");
    else if (!port.isEmpty() && parsed && parsed->port && QString::number(parsed->port->value()) != port)
        portError = tr("The host field already says port %1: keep one of the two.").arg(parsed->port->value());
    setError(QStringLiteral("port"), portError);

    const QString key = m_identity->text().trimmed();
    QString keyError;
    if (!key.isEmpty()) {
        const QFileInfo info(expandHome(key));
        if (!info.exists())
            keyError = tr("No such file: %1.").arg(info.filePath());
        else if (!info.isFile())
            keyError = tr("%1 is a folder: choose the private key file in it, e.g. id_ed25519.").arg(info.filePath());
        else if (!info.isReadable())
            keyError = tr("Cannot read %1: check its permissions.").arg(info.filePath());
    }
    setError(QStringLiteral("identity"), keyError);

    const QString jump = m_jump->text().trimmed();
    QString jumpError;
    if (!jump.isEmpty())
        if (auto j = remote::parseJumpHost(jump.toStdString()); !j.ok())
            jumpError = fieldError(j.error(), tr(", e.g. ops@bastion"));
    setError(QStringLiteral("jump"), jumpError);

    valid = valid && hostError.isEmpty() && userError.isEmpty() && portError.isEmpty() && keyError.isEmpty() &&
            jumpError.isEmpty();
    const bool testing = m_tester && m_tester->running();
    m_test->setEnabled(valid || testing);
    m_test->setToolTip(valid || testing ? tr("Log in and read this node now, without changing anything")
                       : host.isEmpty() ? tr("Type the node's host first")
                                        : tr("Fix the fields marked ✖ first"));
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

remote::SshTarget NodeForm::target() const
{
    remote::SshTarget t;
    if (auto parsed = remote::SshTarget::parse(m_host->text().trimmed().toStdString()); parsed.ok())
        t = *parsed;
    if (const QString u = m_user->text().trimmed(); !u.isEmpty())
        t.user = u.toStdString();
    if (const QString p = m_port->text().trimmed(); !p.isEmpty())
        t.port = remote::Port::parse(p.toStdString());
    if (const QString k = m_identity->text().trimmed(); !k.isEmpty())
        t.identityFile = expandHome(k).toStdString();
    if (const QString j = m_jump->text().trimmed(); !j.isEmpty())
        if (auto jump = remote::parseJumpHost(j.toStdString()); jump.ok())
            t.jump = *jump;
    if (!m_knownHosts.isEmpty())
        t.knownHostsFile = expandHome(m_knownHosts).toStdString();
    if (!m_sshConfig.isEmpty())
        t.configFile = expandHome(m_sshConfig).toStdString();
    return t;
}

remote::ConnectOptions NodeForm::connectOptions() const { return remote::ConnectOptions{}; }

NodeFields NodeForm::fields() const
{
    return {m_host->text().trimmed(), m_user->text().trimmed(), m_port->text().trimmed(),
            m_identity->text().trimmed(), m_jump->text().trimmed()};
}

void NodeForm::setFields(const NodeFields &f)
{
    m_host->setText(f.host);
    m_user->setText(f.user);
    m_port->setText(f.port);
    m_identity->setText(f.identityFile);
    m_jump->setText(f.jumpHost);
}

void NodeForm::setShellFactory(ConnectionTester::ShellFactory factory)
{
    delete m_tester;
    m_tester = new ConnectionTester(std::move(factory), this);
    connect(m_tester, &ConnectionTester::finished, this, &NodeForm::onTestFinished);
}

void NodeForm::setHostSuggestions(const std::vector<remote::SshConfigHost> &aliases, const QStringList &recentHosts)
{
    m_suggestions->clear();
    QStringList offered;
    for (const auto &a : aliases) {
        const QString alias = QString::fromStdString(a.alias);
        QString where = QString::fromStdString(a.hostName);
        if (!a.user.empty())
            where = QString::fromStdString(a.user) + QLatin1Char('@') + (where.isEmpty() ? alias : where);
        if (a.port)
            where += QLatin1Char(':') + QString::number(a.port->value());
        auto *item = new QStandardItem(where.isEmpty() ? tr("%1  (ssh config)").arg(alias)
                                                       : tr("%1  → %2").arg(alias, where));
        item->setData(alias, Qt::UserRole);
        item->setToolTip(tr("Host alias from your ssh config"));
        m_suggestions->appendRow(item);
        offered << alias;
    }
    for (const QString &h : recentHosts) {
        if (h.isEmpty() || offered.contains(h))
            continue;
        auto *item = new QStandardItem(tr("%1  (recent)").arg(h));
        item->setData(h, Qt::UserRole);
        m_suggestions->appendRow(item);
        offered << h;
    }
}

void NodeForm::setSharedFiles(const QString &knownHostsFile, const QString &sshConfigFile)
{
    m_knownHosts = knownHostsFile.trimmed();
    m_sshConfig = sshConfigFile.trimmed();
}

void NodeForm::chooseIdentity()
{
    const QString start = m_identity->text().isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh")
                                                       : QFileInfo(expandHome(m_identity->text())).path();
    const QString file = QFileDialog::getOpenFileName(this, tr("Choose a private key file"), start);
    if (!file.isEmpty())
        m_identity->setText(file);
}

void NodeForm::testConnection()
{
    if (m_tester && m_tester->running()) {
        m_tester->cancel();
        return;
    }
    if (!m_valid)
        return;
    if (!m_tester) {
        ConnectionTestOutcome none;
        none.error = Error("no way to reach nodes is set up", {}, "this is a bug in PodPath: please report it");
        m_result->showOutcome(none);
        return;
    }
    // The test shows "no root" as a finding next to the facts, so it does not refuse the login.
    remote::ConnectOptions options = connectOptions();
    options.requireRoot = false;
    const remote::SshTarget t = target();
    m_tester->start(t, options, m_role);
    m_result->showRunning(QString::fromStdString(t.label()));
    m_test->setText(tr("Cancel test"));
    m_test->setEnabled(true);
}

void NodeForm::onTestFinished(const ConnectionTestOutcome &outcome)
{
    m_result->showOutcome(outcome);
    m_test->setText(tr("Test connection"));
    m_test->setEnabled(m_valid);
    emit connectionTested(outcome);
}

} // namespace podpath::widgets
