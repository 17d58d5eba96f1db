#include "host_key_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace podpath::widgets {

namespace {

QString keyKind(const std::string &keyType)
{
    const QString t = QString::fromStdString(keyType);
    if (t.contains(QLatin1String("ed25519")))
        return QStringLiteral("ED25519");
    if (t.contains(QLatin1String("ecdsa")))
        return QStringLiteral("ECDSA");
    if (t.contains(QLatin1String("rsa")))
        return QStringLiteral("RSA");
    return t;
}

QLabel *wrapped(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setWordWrap(true);
    l->setTextFormat(Qt::RichText);
    return l;
}

// Text a person copies to compare or to type on the node: monospace, selectable.
QLabel *code(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setTextFormat(Qt::PlainText);
    l->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    l->setFrameShape(QFrame::StyledPanel);
    l->setBackgroundRole(QPalette::Base);
    l->setAutoFillBackground(true);
    const int pad = l->fontMetrics().height() / 3;
    l->setContentsMargins(pad, pad, pad, pad);
    return l;
}

} // namespace

QString HostKeyDialog::hostKeyFile(const std::string &keyType)
{
    const QString kind = keyKind(keyType).toLower();
    if (kind == QLatin1String("ed25519") || kind == QLatin1String("ecdsa") || kind == QLatin1String("rsa"))
        return QStringLiteral("/etc/ssh/ssh_host_%1_key.pub").arg(kind);
    return QStringLiteral("/etc/ssh/ssh_host_*_key.pub");
}

HostKeyDialog::HostKeyDialog(const remote::HostKeyQuestion &q, QWidget *parent) : QDialog(parent)
{
    const QString node = QString::fromStdString(q.node).toHtmlEscaped();
    const QString where = QString::fromStdString(q.host).toHtmlEscaped();
    setWindowTitle(tr("Is this really %1?").arg(QString::fromStdString(q.node)));
    setAccessibleName(tr("Unknown host key"));

    auto *icon = new QLabel(this);
    const int iconSize = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxQuestion).pixmap(iconSize, iconSize));
    icon->setAlignment(Qt::AlignTop);

    auto *title = wrapped(tr("<b>Is this really %1?</b>").arg(node), this);
    auto *intro = wrapped(tr("PodPath has not connected to <b>%1</b> (%2, port %3) before, so it cannot yet tell "
                             "whether the machine that answered is really that node. The machine showed this key:")
                              .arg(node, where)
                              .arg(q.port),
                          this);
    m_fingerprint = code(keyKind(q.keyType) + QStringLiteral("  ") + QString::fromStdString(q.fingerprint), this);
    m_fingerprint->setAccessibleName(tr("Host key fingerprint"));
    auto *howTo = wrapped(tr("To check it, run this on the node (or ask its admin) and compare the "
                             "<code>SHA256:</code> text:"),
                          this);
    auto *command = code(QStringLiteral("ssh-keygen -lf ") + hostKeyFile(q.keyType), this);
    command->setAccessibleName(tr("Command to run on the node"));
    auto *meaning = wrapped(tr("Same text: accept. Different text: refuse, because another machine may be "
                               "answering in the node's place."),
                            this);

    auto *text = new QVBoxLayout;
    text->addWidget(title);
    text->addWidget(intro);
    text->addWidget(m_fingerprint);
    text->addWidget(howTo);
    text->addWidget(command);
    text->addWidget(meaning);

    auto *buttons = new QDialogButtonBox(this);
    m_refuse = buttons->addButton(tr("Refuse"), QDialogButtonBox::RejectRole);
    m_acceptOnce = buttons->addButton(tr("Accept once"), QDialogButtonBox::AcceptRole);
    m_acceptAndSave = buttons->addButton(tr("Accept and save"), QDialogButtonBox::AcceptRole);
    m_refuse->setToolTip(tr("Do not connect to this node."));
    m_acceptOnce->setToolTip(tr("Trust the key for this connection only; you will be asked again next time."));
    const QString file = QString::fromStdString(q.knownHostsFile.empty() ? "~/.ssh/known_hosts" : q.knownHostsFile);
    m_acceptAndSave->setToolTip(tr("Trust the key and add it to %1, so PodPath and ssh know this node next time.")
                                    .arg(file));
    // Only a deliberate click accepts: Enter refuses, like OpenSSH's default "no".
    for (QPushButton *b : {m_acceptOnce, m_acceptAndSave})
        b->setAutoDefault(false);
    m_refuse->setDefault(true);
    m_refuse->setFocus();
    connect(m_refuse, &QPushButton::clicked, this, [this] { decide(remote::HostKeyDecision::Refuse); });
    connect(m_acceptOnce, &QPushButton::clicked, this, [this] { decide(remote::HostKeyDecision::AcceptOnce); });
    connect(m_acceptAndSave, &QPushButton::clicked, this, [this] { decide(remote::HostKeyDecision::AcceptAndSave); });
    auto *saveNote = wrapped(tr("<small>\"Accept and save\" adds the key to %1.</small>").arg(file.toHtmlEscaped()), this);

    auto *body = new QHBoxLayout;
    body->addWidget(icon);
    body->addLayout(text, 1);
    auto *root = new QVBoxLayout(this);
    root->addLayout(body);
    root->addWidget(buttons);
    root->addWidget(saveNote);
    // Wide enough that the fingerprint stays on one line.
    setMinimumWidth(m_fingerprint->fontMetrics().horizontalAdvance(m_fingerprint->text()) + iconSize * 3);
}

void HostKeyDialog::decide(remote::HostKeyDecision d)
{
    m_decision = d;
    if (d == remote::HostKeyDecision::Refuse)
        reject();
    else
        accept();
}

} // namespace podpath::widgets
