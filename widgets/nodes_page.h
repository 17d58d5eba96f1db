#pragma once
// The NODES screen: which two nodes to diagnose. The client node (where the ping
// starts) and the server node (the node it should reach) side by side, each with its
// own login fields and "Test connection"; the recent pairs (QSettings, no secrets); and,
// folded away, the known_hosts file and ssh config both nodes share.

#include "connection_tester.h"
#include "diagnose/engine.h"
#include "recent_profiles.h"
#include "remote/ssh_target.h"
#include "remote/ssh_worker.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QSettings;
class QToolButton;

namespace podpath::widgets {

class GuiPrompter;
class NodeForm;

class NodesPage : public QWidget {
    Q_OBJECT
public:
    // `settings`: where recent pairs live (the application's QSettings when null; the
    // page does not own it). The most recent pair fills the forms.
    explicit NodesPage(QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~NodesPage() override;

    // The prompter "Test connection" asks (dialogs over this page's window). Give the
    // same one to the diagnosis' SshNodeShells: it must outlive them.
    std::shared_ptr<GuiPrompter> prompter() const { return m_prompter; }
    // How "Test connection" reaches nodes; real SSH through prompter() unless replaced
    // (tests replay recorded sessions).
    void setShellFactory(ConnectionTester::ShellFactory factory);

    bool isReady() const { return m_ready; }
    remote::SshTarget clientTarget() const;
    remote::SshTarget serverTarget() const;
    remote::ConnectOptions clientOptions() const;
    remote::ConnectOptions serverOptions() const;

    PairProfile currentPair() const;
    void applyPair(const PairProfile &pair);
    // Puts the current pair first in the Recent list (call it when a diagnosis starts).
    void rememberCurrentPair();
    // Re-reads the ssh config's Host aliases (and recent hosts) for both host fields.
    void reloadHostSuggestions();

    NodeForm *clientForm() const { return m_client; }
    NodeForm *serverForm() const { return m_server; }
    QComboBox *recentCombo() const { return m_recent; }
    QToolButton *advancedToggle() const { return m_advancedToggle; }
    QWidget *advancedPanel() const { return m_advanced; }
    QLineEdit *knownHostsEdit() const { return m_knownHosts; }
    QLineEdit *sshConfigEdit() const { return m_sshConfig; }
    QString sshConfigError() const;

    // Pod to pod (optional): both pods' IPs, and a port to probe beside the ping. nullopt
    // when the pod fields are empty; podsError() says why they do not read.
    std::optional<diagnose::DiagnoseOptions::Pods> pods() const;
    QString podsError() const;
    QLineEdit *clientPodEdit() const { return m_clientPod; }
    QLineEdit *serverPodEdit() const { return m_serverPod; }
    QLineEdit *portEdit() const { return m_port; }
    QComboBox *protocolCombo() const { return m_protocol; }

signals:
    // The pods asked about changed (none when the pod fields are empty or do not read).
    void podsChanged();
    // Both nodes are filled in and every field reads.
    void readyChanged(bool ready);
    void connectionTested(podpath::diagnose::NodeRole role, const podpath::widgets::ConnectionTestOutcome &outcome);

private:
    QWidget *buildAdvanced();
    QWidget *buildPods();
    void fillRecent();
    void sharedFilesChanged();
    void updateReady();

    QSettings *m_settings = nullptr;
    std::shared_ptr<GuiPrompter> m_prompter;
    NodeForm *m_client = nullptr;
    NodeForm *m_server = nullptr;
    QComboBox *m_recent = nullptr;
    QList<PairProfile> m_recentPairs;
    QToolButton *m_advancedToggle = nullptr;
    QWidget *m_advanced = nullptr;
    QLineEdit *m_knownHosts = nullptr;
    QLineEdit *m_sshConfig = nullptr;
    QLineEdit *m_clientPod = nullptr;
    QLineEdit *m_serverPod = nullptr;
    QLineEdit *m_port = nullptr;
    QComboBox *m_protocol = nullptr;
    QLabel *m_podsProblem = nullptr;
    QLabel *m_sshConfigError = nullptr;
    bool m_ready = false;
};

} // namespace podpath::widgets
