#pragma once
// The question OpenSSH asks as "The authenticity of host ... can't be established",
// as a dialog a junior can answer: which node, the key's fingerprint, how to check it
// on the node, and what each answer does. Refusing is the default (Enter, Esc, close).

#include "remote/ssh_prompter.h"

#include <QDialog>
#include <QString>

class QPushButton;
class QLabel;

namespace podpath::widgets {

class HostKeyDialog : public QDialog {
    Q_OBJECT
public:
    explicit HostKeyDialog(const remote::HostKeyQuestion &question, QWidget *parent = nullptr);

    // Refuse until a button says otherwise; also after Esc or closing the window.
    remote::HostKeyDecision decision() const { return m_decision; }

    // The node's own public key file for a key type, for `ssh-keygen -lf FILE`.
    static QString hostKeyFile(const std::string &keyType);

    QPushButton *refuseButton() const { return m_refuse; }
    QPushButton *acceptOnceButton() const { return m_acceptOnce; }
    QPushButton *acceptAndSaveButton() const { return m_acceptAndSave; }
    QLabel *fingerprintLabel() const { return m_fingerprint; }

private:
    void decide(remote::HostKeyDecision d);

    remote::HostKeyDecision m_decision = remote::HostKeyDecision::Refuse;
    QPushButton *m_refuse = nullptr;
    QPushButton *m_acceptOnce = nullptr;
    QPushButton *m_acceptAndSave = nullptr;
    QLabel *m_fingerprint = nullptr;
};

} // namespace podpath::widgets
