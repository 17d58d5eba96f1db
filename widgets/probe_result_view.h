#pragma once
// The compact panel under a node form that says what "Test connection" found: a status
// line (mark and words, not colour alone), the node's facts (hostname, node IP,
// overlay mode, tunnel device and address, root, tcpdump, firewall), what would stop a
// diagnosis with its next step, or the one-line error and its next step.

#include "connection_tester.h"

#include <QFrame>
#include <QMap>

class QFormLayout;
class QLabel;
class QVBoxLayout;

namespace podpath::widgets {

class ProbeResultView : public QFrame {
    Q_OBJECT
public:
    explicit ProbeResultView(QWidget *parent = nullptr);

    void showIdle();
    void showRunning(const QString &label);
    void showOutcome(const ConnectionTestOutcome &outcome);

    enum class State { Idle, Running, Ready, Problems, Failed };
    State state() const { return m_state; }

    // What is shown, for tests and screen readers: keys "hostname", "nodeIp", "mode",
    // "tunnel", "root", "tcpdump", "firewall".
    QString fact(const QString &key) const;
    QString statusText() const;
    QStringList problemTexts() const;  // "message - next step" per problem or error

    // How facts read, for the report to say the same words (mode "IPIP", root "yes, via sudo").
    static QString modeText(diagnose::Encapsulation e);
    static QString rootText(const std::string &privilege);

private:
    void setStatus(const QString &mark, const QColor &markColour, const QString &text);
    void clearDetails();
    void addProblem(const Error &e, bool fatal);
    QLabel *addFact(const QString &key, const QString &label, const QString &value, bool bad = false);

    State m_state = State::Idle;
    QLabel *m_mark = nullptr;
    QLabel *m_status = nullptr;
    QWidget *m_facts = nullptr;
    QFormLayout *m_factsForm = nullptr;
    QVBoxLayout *m_problems = nullptr;
    QMap<QString, QLabel *> m_values;
    QStringList m_problemTexts;
};

} // namespace podpath::widgets
