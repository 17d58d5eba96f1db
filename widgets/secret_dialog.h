#pragma once
// Asks for what an SSH login or sudo needs from a person: a key passphrase, a password,
// the answers to keyboard-interactive prompts, a sudo password. On OK the typed text
// moves into remote::Secret and the fields are cleared; on Cancel the fields are
// cleared and nothing is kept. Nothing typed is logged or saved.

#include "remote/secret.h"
#include "remote/ssh_prompter.h"

#include <QDialog>
#include <QString>

#include <optional>
#include <string>
#include <vector>

class QLabel;
class QLineEdit;

namespace podpath::widgets {

class SecretDialog : public QDialog {
    Q_OBJECT
public:
    struct Field {
        QString label;
        bool echo = false;  // keyboard-interactive prompts may show what is typed
    };
    SecretDialog(const QString &title, const QString &explanation, const std::vector<Field> &fields,
                 QWidget *parent = nullptr);

    static SecretDialog *forPassphrase(const std::string &keyFile, QWidget *parent = nullptr);
    static SecretDialog *forPassword(const std::string &userAtHost, int attempt, QWidget *parent = nullptr);
    static SecretDialog *forKeyboardInteractive(const std::string &userAtHost, const std::string &name,
                                                const std::string &instruction,
                                                const std::vector<remote::KeyboardPrompt> &prompts,
                                                QWidget *parent = nullptr);
    static SecretDialog *forSudoPassword(const std::string &userAtHost, QWidget *parent = nullptr);

    // After OK: one Secret per field, once (a second call returns nullopt). After Cancel: nullopt.
    std::optional<std::vector<remote::Secret>> takeAnswers();

    int fieldCount() const { return int(m_edits.size()); }
    QLineEdit *field(int i) const { return m_edits.at(std::size_t(i)); }
    QLabel *explanationLabel() const { return m_explanation; }

public slots:
    void accept() override;
    void reject() override;

private:
    void clearFields();

    std::vector<QLineEdit *> m_edits;
    QLabel *m_explanation = nullptr;
    std::optional<std::vector<remote::Secret>> m_answers;
};

} // namespace podpath::widgets
