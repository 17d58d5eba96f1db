#pragma once
// One node on the NODES screen: where it is (host or ~/.ssh/config alias, completed from
// the ssh config and recent pairs), how to log in (user, port, key file, jump host), each
// field checked as it is typed with the reason under it, and "Test connection", which
// reads the node on a worker thread and shows what it found.

#include "connection_tester.h"
#include "recent_profiles.h"
#include "remote/ssh_config_hosts.h"
#include "remote/ssh_target.h"
#include "remote/ssh_worker.h"

#include <QWidget>

#include <map>
#include <vector>

class QCompleter;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;
class QToolButton;

namespace podpath::widgets {

class ProbeResultView;

class NodeForm : public QWidget {
    Q_OBJECT
public:
    explicit NodeForm(diagnose::NodeRole role, QWidget *parent = nullptr);

    diagnose::NodeRole role() const { return m_role; }

    // How "Test connection" reaches the node (ConnectionTester::sshShells for real nodes).
    void setShellFactory(ConnectionTester::ShellFactory factory);
    // Completion for the host field: ssh config aliases first, then recent hosts.
    void setHostSuggestions(const std::vector<remote::SshConfigHost> &aliases, const QStringList &recentHosts);
    // The screen's shared files; empty: ~/.ssh/known_hosts and ~/.ssh/config.
    void setSharedFiles(const QString &knownHostsFile, const QString &sshConfigFile);

    NodeFields fields() const;
    void setFields(const NodeFields &fields);

    // Every field readable and a host given.
    bool isValid() const { return m_valid; }
    // What to connect to; meaningful when isValid().
    remote::SshTarget target() const;
    // For the diagnosis: root (or sudo) is required. Test connection relaxes that to show
    // "no root" as a finding next to the facts instead of a failed login.
    remote::ConnectOptions connectOptions() const;

    // "~/x" as the shell reads it, for paths typed into the forms.
    static QString expandHome(const QString &path);

    // The reason under a field ("host", "user", "port", "identity", "jump"); empty when fine.
    QString errorText(const QString &field) const;

    QLineEdit *hostEdit() const { return m_host; }
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *portEdit() const { return m_port; }
    QLineEdit *identityEdit() const { return m_identity; }
    QLineEdit *jumpEdit() const { return m_jump; }
    QToolButton *browseButton() const { return m_browse; }
    QPushButton *testButton() const { return m_test; }
    QCompleter *hostCompleter() const { return m_completer; }
    ProbeResultView *resultView() const { return m_result; }

public slots:
    // Starts the test, or cancels the one running.
    void testConnection();

signals:
    void validityChanged(bool valid);
    void edited();
    void connectionTested(const podpath::widgets::ConnectionTestOutcome &outcome);

private:
    struct Check {
        QLineEdit *edit = nullptr;
        QLabel *error = nullptr;
    };
    QLineEdit *addField(QFormLayout *form, const QString &key, const QString &label, const QString &placeholder,
                        const QString &whatsThis, QWidget *fieldWidget = nullptr);
    void revalidate();
    void setError(const QString &key, const QString &text);
    void chooseIdentity();
    void onTestFinished(const ConnectionTestOutcome &outcome);

    diagnose::NodeRole m_role;
    QLineEdit *m_host = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_port = nullptr;
    QLineEdit *m_identity = nullptr;
    QLineEdit *m_jump = nullptr;
    QToolButton *m_browse = nullptr;
    QPushButton *m_test = nullptr;
    QCompleter *m_completer = nullptr;
    QStandardItemModel *m_suggestions = nullptr;
    ProbeResultView *m_result = nullptr;
    QFormLayout *m_form = nullptr;
    std::map<QString, Check> m_checks;
    ConnectionTester *m_tester = nullptr;
    QString m_knownHosts, m_sshConfig;
    bool m_valid = false;
};

} // namespace podpath::widgets
