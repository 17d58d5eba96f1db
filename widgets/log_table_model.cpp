#include "log_table_model.h"

#include "evidence_style.h"
#include "parse/calico_log.h"
#include "parse/log_time.h"

#include <QFont>

#include <limits>

namespace podpath::widgets {

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

} // namespace

LogTableModel::LogTableModel(QObject *parent) : QAbstractTableModel(parent) {}

QString LogTableModel::noTimeText() { return tr("no time stamp"); }

int LogTableModel::levelRank(const QString &level)
{
    const auto l = parse::logLevelFromString(level.toStdString());
    return l ? int(*l) : 0;
}

void LogTableModel::setLines(std::vector<diagnose::LogLine> lines)
{
    beginResetModel();
    m_lines = std::move(lines);
    m_ranks.clear();
    m_ranks.reserve(m_lines.size());
    for (const auto &l : m_lines)
        m_ranks.push_back(levelRank(q(l.level)));
    endResetModel();
}

void LogTableModel::setPalette(const QPalette &palette)
{
    m_palette = palette;
    if (!m_lines.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int LogTableModel::findLine(const QString &node, const QString &source, const QString &textFragment) const
{
    const std::string n = node.toStdString(), s = source.toStdString(), t = textFragment.toStdString();
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        const auto &l = m_lines[i];
        if ((n.empty() || l.node == n) && (s.empty() || l.source == s) &&
            (t.empty() || l.text.find(t) != std::string::npos))
            return int(i);
    }
    return -1;
}

int LogTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_lines.size()); }

int LogTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LogTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_lines.size()))
        return {};
    const auto &l = m_lines[std::size_t(index.row())];
    const int rank = m_ranks[std::size_t(index.row())];
    // Only the roles that style a row need the level's severity: sorting and filtering
    // ask the others for every row, many times over.
    auto severityOf = [&] { return severityOfLogLevel(q(l.level)); };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NodeColumn: return q(l.node);
        case SourceColumn: return q(l.source);
        case TimeColumn: return l.timeMicros ? q(parse::formatTimestamp(*l.timeMicros)) : noTimeText();
        case LevelColumn: return l.level.empty() ? QStringLiteral("–") : q(l.level);
        case TextColumn: {
            // The time has its own column: do not print it twice (the tooltip keeps the raw line).
            QString text = q(l.text);
            if (!l.time.empty() && text.startsWith(q(l.time)))
                text = text.mid(int(l.time.size())).trimmed();
            return text;
        }
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() != LevelColumn)
            return {};
        if (const auto severity = severityOf())
            return severityIcon(*severity, m_palette);
        return {};
    case Qt::FontRole:
        if (severityOf()) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::BackgroundRole:
        if (const auto severity = severityOf()) {
            const EvidenceColors c = EvidenceColors::from(m_palette);
            return *severity == diagnose::Severity::Warning ? c.warningTint : c.lossTint;
        }
        return {};
    case Qt::ForegroundRole:
        // On a tinted row the palette's own text colour keeps its contrast in both themes.
        if (severityOf())
            return m_palette.color(QPalette::Text);
        if (index.column() == TimeColumn && !l.timeMicros)
            return m_palette.color(QPalette::PlaceholderText);
        return {};
    case Qt::ToolTipRole: {
        const QString where = !l.timeMicros ? tr("no time stamp, so it cannot be placed in the diagnosis window")
                              : l.recent    ? tr("inside the diagnosis window")
                                            : tr("before the diagnosis window");
        QString tip = tr("%1 line %2 on the %3 (%4)").arg(q(l.location)).arg(l.line).arg(q(l.node), where);
        if (!l.time.empty())
            tip += QLatin1Char('\n') + tr("Time as printed: %1").arg(q(l.time));
        return tip + QLatin1Char('\n') + q(l.text);
    }
    case Qt::AccessibleTextRole:
        return data(index, Qt::DisplayRole);
    case LevelRankRole: return rank;
    case RecentRole: return l.recent;
    case NodeRole: return q(l.node);
    case SourceRole: return q(l.source);
    case RawTextRole: return q(l.text);
    case TimeRole: return l.timeMicros ? QVariant(qint64(*l.timeMicros)) : QVariant();
    }
    return {};
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == TimeColumn)
        return tr("When the line was written, in UTC. A stamp that names no time zone is shown as the node printed "
                  "it (calico-node logs in UTC). Click a column's title to sort by it.");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NodeColumn: return tr("Node");
    case SourceColumn: return tr("Source");
    case TimeColumn: return tr("Time (UTC)");
    case LevelColumn: return tr("Level");
    case TextColumn: return tr("Line");
    }
    return {};
}

LogFilterProxy::LogFilterProxy(QObject *parent) : QSortFilterProxyModel(parent) {}

void LogFilterProxy::setNode(const QString &node)
{
    m_node = node;
    invalidateRowsFilter();
}

void LogFilterProxy::setSource(const QString &source)
{
    m_source = source;
    invalidateRowsFilter();
}

void LogFilterProxy::setMinimumLevel(int rank)
{
    m_minimumLevel = rank;
    invalidateRowsFilter();
}

void LogFilterProxy::setText(const QString &text)
{
    m_text = text;
    invalidateRowsFilter();
}

void LogFilterProxy::setOnlyRecent(bool onlyRecent)
{
    m_onlyRecent = onlyRecent;
    invalidateRowsFilter();
}

QVariant LogFilterProxy::value(int sourceRow, int role) const
{
    return sourceModel()->data(sourceModel()->index(sourceRow, 0), role);
}

bool LogFilterProxy::nodeHides(int row) const
{
    return !m_node.isEmpty() && value(row, LogTableModel::NodeRole).toString() != m_node;
}

bool LogFilterProxy::sourceHides(int row) const
{
    return !m_source.isEmpty() && value(row, LogTableModel::SourceRole).toString() != m_source;
}

bool LogFilterProxy::levelHides(int row) const
{
    return m_minimumLevel > 0 && value(row, LogTableModel::LevelRankRole).toInt() < m_minimumLevel;
}

bool LogFilterProxy::textHides(int row) const
{
    return !m_text.isEmpty() && !value(row, LogTableModel::RawTextRole).toString().contains(m_text, Qt::CaseInsensitive);
}

bool LogFilterProxy::recencyHides(int row) const { return m_onlyRecent && !value(row, LogTableModel::RecentRole).toBool(); }

bool LogFilterProxy::filterAcceptsRow(int row, const QModelIndex &) const
{
    return !nodeHides(row) && !sourceHides(row) && !levelHides(row) && !textHides(row) && !recencyHides(row);
}

bool LogFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // The model's own lines when it is ours: a sort compares n log n pairs, and going
    // through data() and QVariant for each made 100,000 lines take seconds.
    const auto *lines = qobject_cast<const LogTableModel *>(sourceModel());
    auto order = [&]() -> int {
        switch (left.column()) {
        case LogTableModel::TimeColumn: {
            constexpr qint64 none = std::numeric_limits<qint64>::min();
            if (lines) {
                const auto &a = lines->lines()[std::size_t(left.row())].timeMicros;
                const auto &b = lines->lines()[std::size_t(right.row())].timeMicros;
                const qint64 x = a ? qint64(*a) : none, y = b ? qint64(*b) : none;
                return x < y ? -1 : x > y ? 1 : 0;
            }
            // Lines without a stamp come first: they cannot be placed, so they do not
            // interleave with the timeline.
            const QVariant a = left.data(LogTableModel::TimeRole), b = right.data(LogTableModel::TimeRole);
            const qint64 x = a.isValid() ? a.toLongLong() : std::numeric_limits<qint64>::min();
            const qint64 y = b.isValid() ? b.toLongLong() : std::numeric_limits<qint64>::min();
            return x < y ? -1 : x > y ? 1 : 0;
        }
        case LogTableModel::LevelColumn:
            if (lines)
                return lines->levelRankOf(left.row()) - lines->levelRankOf(right.row());
            return left.data(LogTableModel::LevelRankRole).toInt() - right.data(LogTableModel::LevelRankRole).toInt();
        default:
            return QString::compare(left.data().toString(), right.data().toString(), Qt::CaseInsensitive);
        }
    }();
    return order != 0 ? order < 0 : left.row() < right.row();
}

} // namespace podpath::widgets
