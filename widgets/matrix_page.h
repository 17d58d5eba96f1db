#pragma once
// The cluster at a glance: the nodes to test (one per line), the matrix of every ordered
// pair from one burst, what the failing pairs have in common, and below, the pair a click
// picked, with its path diagram, findings and evidence, without running anything again.

#include "diagnose/matrix_engine.h"
#include "remote/ssh_target.h"

#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace podpath::remote {
class SshPrompter;
}

namespace podpath::widgets {

class MatrixPlot;
class MatrixSession;
class ResultsView;

class MatrixPage : public QWidget {
    Q_OBJECT
public:
    // `prompter` answers host keys and passwords; it must outlive the page.
    explicit MatrixPage(remote::SshPrompter *prompter, QWidget *parent = nullptr);
    ~MatrixPage() override;

    // How every node is logged into (key, known_hosts, ssh config, jump host), unless its
    // line says otherwise: the Nodes page's choices.
    void setLoginSource(std::function<remote::SshTarget()> source) { m_login = std::move(source); }

    void setNodesText(const QString &text);
    void run();
    void openRecording(const QString &dir);
    // Shows a matrix (a finished run, or one a test built).
    void setMatrix(const diagnose::ClusterMatrix &m);
    // The pair shown below the matrix (the drill-down), as a click picks it.
    void showPair(std::size_t client, std::size_t server);

    const diagnose::ClusterMatrix &matrix() const { return m_matrix; }
    MatrixPlot *plot() const { return m_plot; }
    // The "Order:" choice above the buttons' stretch; it re-orders the plot's rows and columns.
    QComboBox *orderBox() const { return m_order; }
    ResultsView *pairView() const { return m_pair; }
    QString headline() const;
    QString patternsText() const;
    QString pairTitle() const;

signals:
    void finished();

private:
    void setBusy(bool busy, const QString &status = {});
    remote::SshPrompter *m_prompter;
    std::unique_ptr<MatrixSession> m_session;
    std::function<remote::SshTarget()> m_login;
    diagnose::ClusterMatrix m_matrix;
    QPlainTextEdit *m_nodes;
    QPushButton *m_run, *m_cancel, *m_open;
    QComboBox *m_order;
    QLabel *m_status, *m_headline, *m_pairTitle;
    QTextBrowser *m_patterns;
    MatrixPlot *m_plot;
    ResultsView *m_pair;
};

} // namespace podpath::widgets
