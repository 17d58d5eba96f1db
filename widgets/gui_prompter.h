#pragma once
// The desktop's answer to remote::SshPrompter. Questions come on a node's SSH worker
// thread; each is handed to the GUI thread, shown as a modal dialog (HostKeyDialog,
// SecretDialog), and the worker waits for the answer. One question at a time: two
// nodes connect at once, and their dialogs must not stack.
//
// Share it as std::shared_ptr with everything that connects (SshNodeShell needs its
// prompter to outlive it). Create it on the GUI thread.

#include "remote/ssh_prompter.h"

#include <QPointer>
#include <QWidget>

#include <atomic>
#include <functional>
#include <mutex>

class QDialog;

namespace podpath::widgets {

class SecretDialog;

class GuiPrompter : public remote::SshPrompter {
public:
    explicit GuiPrompter(QWidget *dialogParent = nullptr);
    ~GuiPrompter() override;
    GuiPrompter(const GuiPrompter &) = delete;
    GuiPrompter &operator=(const GuiPrompter &) = delete;

    // GUI thread. Dialogs are modal over this window.
    void setDialogParent(QWidget *parent);
    // GUI thread. From now on every question is refused or declined at once, and an open
    // dialog is cancelled (the window is closing; nobody is there to answer).
    void shutdown();

    // Worker threads (see remote::SshPrompter). Called on the GUI thread, where waiting
    // would deadlock, they refuse or decline at once and warn.
    remote::HostKeyDecision unknownHostKey(const remote::HostKeyQuestion &question) override;
    std::optional<remote::Secret> keyPassphrase(const std::string &keyFile) override;
    std::optional<remote::Secret> password(const std::string &userAtHost, int attempt) override;
    std::optional<std::vector<remote::Secret>> keyboardInteractive(const std::string &userAtHost,
                                                                   const std::string &name,
                                                                   const std::string &instruction,
                                                                   const std::vector<remote::KeyboardPrompt> &prompts) override;
    std::optional<remote::Secret> sudoPassword(const std::string &userAtHost) override;

private:
    // Runs `show` on the GUI thread with the dialog parent and waits for it.
    bool onGuiThread(const char *what, const std::function<void(QWidget *parent)> &show);
    std::optional<remote::Secret> oneSecret(const char *what, const std::function<SecretDialog *(QWidget *)> &make);

    QObject *m_gui = nullptr;  // lives in the GUI thread: the target of the blocking calls
    QPointer<QWidget> m_parent;
    QPointer<QDialog> m_open;  // GUI thread only
    std::mutex m_oneAtATime;
    std::atomic<bool> m_shutdown{false};
};

} // namespace podpath::widgets
