#include "gui_prompter.h"

#include "host_key_dialog.h"
#include "secret_dialog.h"

#include <QCoreApplication>
#include <QThread>


namespace podpath::widgets {

GuiPrompter::GuiPrompter(QWidget *dialogParent) : m_parent(dialogParent)
{
    m_gui = new QObject;
    if (auto *app = QCoreApplication::instance(); app && m_gui->thread() != app->thread())
        m_gui->moveToThread(app->thread());
}

GuiPrompter::~GuiPrompter()
{
    m_shutdown = true;
    // A question still waiting on m_gui is dropped with it, which releases its worker.
    if (QThread::currentThread() == m_gui->thread())
        delete m_gui;
    else
        m_gui->deleteLater();
}

void GuiPrompter::setDialogParent(QWidget *parent) { m_parent = parent; }

void GuiPrompter::shutdown()
{
    m_shutdown = true;
    if (m_open)
        m_open->reject();
}

bool GuiPrompter::onGuiThread(const char *what, const std::function<void(QWidget *)> &show)
{
    if (m_shutdown)
        return false;
    if (QThread::currentThread() == m_gui->thread()) {
        qWarning("PodPath: SSH asked for %s on the GUI thread; declined, since waiting there would freeze the window",
                 what);
        return false;
    }
    std::lock_guard one(m_oneAtATime);
    if (m_shutdown)
        return false;
    bool asked = false;
    QMetaObject::invokeMethod(
        m_gui,
        [&] {
            if (m_shutdown)
                return;
            asked = true;
            show(m_parent.data());
        },
        Qt::BlockingQueuedConnection);
    return asked;
}

remote::HostKeyDecision GuiPrompter::unknownHostKey(const remote::HostKeyQuestion &question)
{
    remote::HostKeyDecision decision = remote::HostKeyDecision::Refuse;
    onGuiThread("a host key decision", [&](QWidget *parent) {
        // On the heap: a parent closed while the dialog is open deletes it.
        QPointer<HostKeyDialog> dialog = new HostKeyDialog(question, parent);
        m_open = dialog.data();
        dialog->exec();
        if (dialog) {
            decision = dialog->decision();
            delete dialog;
        }
    });
    return decision;
}

std::optional<remote::Secret> GuiPrompter::oneSecret(const char *what, const std::function<SecretDialog *(QWidget *)> &make)
{
    std::optional<remote::Secret> answer;
    onGuiThread(what, [&](QWidget *parent) {
        QPointer<SecretDialog> dialog = make(parent);
        m_open = dialog.data();
        dialog->exec();
        if (!dialog)
            return;
        if (auto answers = dialog->takeAnswers(); answers && !answers->empty())
            answer = std::move(answers->front());
        delete dialog;
    });
    return answer;
}

std::optional<remote::Secret> GuiPrompter::keyPassphrase(const std::string &keyFile)
{
    return oneSecret("a key passphrase", [&](QWidget *p) { return SecretDialog::forPassphrase(keyFile, p); });
}

std::optional<remote::Secret> GuiPrompter::password(const std::string &userAtHost, int attempt)
{
    return oneSecret("a password", [&](QWidget *p) { return SecretDialog::forPassword(userAtHost, attempt, p); });
}

std::optional<std::vector<remote::Secret>> GuiPrompter::keyboardInteractive(const std::string &userAtHost,
                                                                            const std::string &name,
                                                                            const std::string &instruction,
                                                                            const std::vector<remote::KeyboardPrompt> &prompts)
{
    std::optional<std::vector<remote::Secret>> answers;
    onGuiThread("keyboard-interactive answers", [&](QWidget *parent) {
        QPointer<SecretDialog> dialog =
            SecretDialog::forKeyboardInteractive(userAtHost, name, instruction, prompts, parent);
        m_open = dialog.data();
        dialog->exec();
        if (!dialog)
            return;
        answers = dialog->takeAnswers();
        delete dialog;
    });
    return answers;
}

std::optional<remote::Secret> GuiPrompter::sudoPassword(const std::string &userAtHost)
{
    return oneSecret("a sudo password", [&](QWidget *p) { return SecretDialog::forSudoPassword(userAtHost, p); });
}

} // namespace podpath::widgets
