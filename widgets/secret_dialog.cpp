#include "secret_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace podpath::widgets {

namespace {

QString q(const std::string &s) { return QString::fromStdString(s).toHtmlEscaped(); }

} // namespace

SecretDialog::SecretDialog(const QString &title, const QString &explanation, const std::vector<Field> &fields,
                           QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    setAccessibleName(title);
    m_explanation = new QLabel(explanation, this);
    m_explanation->setWordWrap(true);
    m_explanation->setTextFormat(Qt::RichText);
    auto *form = new QFormLayout;
    for (const Field &f : fields) {
        auto *edit = new QLineEdit(this);
        edit->setEchoMode(f.echo ? QLineEdit::Normal : QLineEdit::Password);
        // No suggestions, no learning, no capitalisation by input methods.
        edit->setInputMethodHints(Qt::ImhSensitiveData | Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase |
                                  (f.echo ? Qt::ImhNone : Qt::ImhHiddenText));
        edit->setAccessibleName(f.label);
        form->addRow(f.label, edit);
        m_edits.push_back(edit);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Log in"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SecretDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SecretDialog::reject);
    auto *root = new QVBoxLayout(this);
    root->addWidget(m_explanation);
    root->addLayout(form);
    root->addWidget(buttons);
    if (!m_edits.empty())
        m_edits.front()->setFocus();
    setMinimumWidth(fontMetrics().averageCharWidth() * 72);
}

SecretDialog *SecretDialog::forPassphrase(const std::string &keyFile, QWidget *parent)
{
    auto *d = new SecretDialog(tr("Unlock SSH key"),
                               tr("The key file <b>%1</b> is protected by a passphrase. Type it to unlock the key "
                                  "for this login. PodPath keeps it only until the login is done.")
                                   .arg(q(keyFile)),
                               {{tr("Passphrase:"), false}}, parent);
    d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->setText(tr("Unlock"));
    d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel)->setText(tr("Skip this key"));
    return d;
}

SecretDialog *SecretDialog::forPassword(const std::string &userAtHost, int attempt, QWidget *parent)
{
    QString text = tr("The node asks for the SSH password of <b>%1</b>.").arg(q(userAtHost));
    if (attempt > 1)
        text = tr("<b>That password was not accepted</b> (try %1). ").arg(attempt) + text;
    text += tr(" It is used for this login only and never saved.");
    return new SecretDialog(tr("SSH password"), text, {{tr("Password:"), false}}, parent);
}

SecretDialog *SecretDialog::forKeyboardInteractive(const std::string &userAtHost, const std::string &name,
                                                   const std::string &instruction,
                                                   const std::vector<remote::KeyboardPrompt> &prompts, QWidget *parent)
{
    QString text = tr("The node asks <b>%1</b> to answer:").arg(q(userAtHost));
    if (!instruction.empty())
        text += QStringLiteral("<br>") + q(instruction);
    std::vector<Field> fields;
    for (const auto &p : prompts)
        fields.push_back({QString::fromStdString(p.text).trimmed(), p.echo});
    return new SecretDialog(name.empty() ? tr("SSH login") : QString::fromStdString(name), text, fields, parent);
}

SecretDialog *SecretDialog::forSudoPassword(const std::string &userAtHost, QWidget *parent)
{
    auto *d = new SecretDialog(
        tr("sudo password"),
        tr("<b>%1</b> is not root. PodPath needs root on the node for tcpdump, iptables and ipset, and gets it "
           "with sudo. Type the sudo password of %1: it goes to sudo on the node once and is never saved.")
            .arg(q(userAtHost)),
        {{tr("sudo password:"), false}}, parent);
    d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->setText(tr("Use sudo"));
    return d;
}

std::optional<std::vector<remote::Secret>> SecretDialog::takeAnswers()
{
    auto out = std::move(m_answers);
    m_answers.reset();
    return out;
}

void SecretDialog::accept()
{
    std::vector<remote::Secret> answers;
    for (QLineEdit *e : m_edits)
        answers.emplace_back(e->text().toStdString());
    m_answers = std::move(answers);
    clearFields();
    QDialog::accept();
}

void SecretDialog::reject()
{
    m_answers.reset();
    clearFields();
    QDialog::reject();
}

void SecretDialog::clearFields()
{
    // setText, not clear(): clear() is undoable, setText empties the undo history too.
    for (QLineEdit *e : m_edits)
        e->setText(QString());
}

} // namespace podpath::widgets
