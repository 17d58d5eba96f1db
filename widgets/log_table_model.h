#pragma once
// The node logs of a diagnosis as one timeline (time, node, source, level, text) across
// both nodes and every source, times in one form (parse::formatTimestamp, UTC), with
// warnings and errors marked by icon, bold text and a tinted row, and a proxy that
// filters it the way the log view's filter bar asks and sorts it by any column.

#include "diagnose/diagnosis.h"

#include <QAbstractTableModel>
#include <QPalette>
#include <QSortFilterProxyModel>
#include <vector>

namespace podpath::widgets {

class LogTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, NodeColumn, SourceColumn, LevelColumn, TextColumn, ColumnCount };
    enum Role {
        LevelRankRole = Qt::UserRole + 1,  // int: parse::LogLevel, 0 when the line has none
        RecentRole,                        // bool: inside the diagnosis' log window
        NodeRole,                          // "client", "server"
        SourceRole,                        // "felix", "bird", ...
        RawTextRole,                       // the raw line
        TimeRole,                          // qint64 microseconds (UTC); invalid when the line has no stamp
    };
    // What the Time column shows for a line that printed no time stamp.
    static QString noTimeText();

    explicit LogTableModel(QObject *parent = nullptr);

    void setLines(std::vector<diagnose::LogLine> lines);
    const std::vector<diagnose::LogLine> &lines() const { return m_lines; }
    // Colours of the marked rows follow this palette (the view passes its own).
    void setPalette(const QPalette &palette);

    // The first line matching all given parts (an empty part matches anything; the
    // text is a substring of the raw line); -1 when none does.
    int findLine(const QString &node, const QString &source, const QString &textFragment) const;

    static int levelRank(const QString &level);
    int levelRankOf(int row) const { return m_ranks[std::size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<diagnose::LogLine> m_lines;
    std::vector<int> m_ranks;
    QPalette m_palette;
};

// Filters as the filter bar asks; sorts by the column's value (time as a number, level by
// rank), equal values in the order the lines were read, so a sort is the same every time.
class LogFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit LogFilterProxy(QObject *parent = nullptr);

    void setNode(const QString &node);      // empty: both nodes
    void setSource(const QString &source);  // empty: every source
    void setMinimumLevel(int rank);         // 0: any level, including lines without one
    void setText(const QString &text);      // case-insensitive substring of the raw line
    void setOnlyRecent(bool onlyRecent);

    QString node() const { return m_node; }
    QString source() const { return m_source; }
    int minimumLevel() const { return m_minimumLevel; }
    QString text() const { return m_text; }
    bool onlyRecent() const { return m_onlyRecent; }

    // Which of the filters hide a source row (to clear just those).
    bool nodeHides(int sourceRow) const;
    bool sourceHides(int sourceRow) const;
    bool levelHides(int sourceRow) const;
    bool textHides(int sourceRow) const;
    bool recencyHides(int sourceRow) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QVariant value(int sourceRow, int role) const;

    QString m_node, m_source, m_text;
    int m_minimumLevel = 0;
    bool m_onlyRecent = false;
};

} // namespace podpath::widgets
