#pragma once
// The Calico (and kubelet) logs read from both nodes during the diagnosis as one
// timeline, sortable by any column, with a filter bar (node, source, minimum level,
// text, only the diagnosis window), the window's bounds in words, warnings and errors
// marked, and showLine() for findings that cite a log line.

#include "diagnose/diagnosis.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QTableView;

namespace podpath::widgets {

class LogTableModel;
class LogFilterProxy;

class LogView : public QWidget {
    Q_OBJECT
public:
    explicit LogView(QWidget *parent = nullptr);

    void setDiagnosis(const diagnose::Diagnosis &diagnosis);

    // Selects and scrolls to the first line of `node` ("client"/"server"; empty: any)
    // and `source` (empty: any) whose text contains `textFragment`, clearing only the
    // filters that hide it. A fragment as findings cite it ("felix: <line>") is
    // understood too. False (and nothing changes) when no line matches.
    bool showLine(const QString &node, const QString &source, const QString &textFragment);

    // Filter bar, for the keyboard and for tests.
    void setNodeFilter(const QString &node);      // "", "client", "server"
    void setSourceFilter(const QString &source);  // "" or a source name
    void setMinimumLevel(const QString &level);   // "", "INFO", "WARNING", "ERROR", ...
    void setTextFilter(const QString &text);
    void setOnlyRecent(bool onlyRecent);
    void clearFilters();

    QTableView *table() const { return m_table; }
    LogTableModel *model() const { return m_model; }
    LogFilterProxy *proxy() const { return m_proxy; }
    int visibleLineCount() const;
    // The model row of the selected line, -1 when none.
    int selectedLine() const;
    bool isShowingEmptyState() const;
    QString emptyStateText() const;
    // What "the diagnosis window" means for this diagnosis: its bounds on each node's
    // clock, and the sources whose lines carry no time stamp.
    QString windowText() const;
    // The line under the table: how many lines are shown, their errors and warnings.
    QString countText() const;
    // The words for `d` that windowText() shows once `d` is set.
    static QString windowTextFor(const diagnose::Diagnosis &d);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateCount();
    void fitColumns();

    LogTableModel *m_model;
    LogFilterProxy *m_proxy;
    QComboBox *m_node;
    QComboBox *m_source;
    QComboBox *m_level;
    QLineEdit *m_text;
    QCheckBox *m_recent;
    QLabel *m_count;
    QLabel *m_window;
    QTableView *m_table;
    QLabel *m_empty;
    QStackedWidget *m_stack;
};

} // namespace podpath::widgets
