#include "log_view.h"

#include "log_table_model.h"
#include "parse/log_time.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QSet>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <map>
#include <set>

namespace podpath::widgets {

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

// "2026-11-25 16:40:16 to 17:10:16 UTC" (the date once when both ends share it).
QString span(const std::string &sinceIso, const std::string &untilIso)
{
    const auto since = parse::parseIsoTimestamp(sinceIso), until = parse::parseIsoTimestamp(untilIso);
    if (!since || !until)
        return {};
    const QString from = q(parse::formatTimestamp(since->micros, 0));
    QString to = q(parse::formatTimestamp(until->micros, 0));
    if (to.left(10) == from.left(10))
        to = to.mid(11);
    return QObject::tr("%1 to %2 UTC").arg(from, to);
}

QLabel *buddyLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setBuddy(buddy);
    return l;
}

// "1 error, 2 warnings", "no errors, 1 warning", "no errors or warnings".
QString levelCounts(int errors, int warnings)
{
    if (errors == 0 && warnings == 0)
        return QObject::tr("no errors or warnings");
    const QString e = errors == 0 ? QObject::tr("no errors") : errors == 1 ? QObject::tr("1 error") : QObject::tr("%1 errors").arg(errors);
    const QString w = warnings == 0   ? QObject::tr("no warnings")
                      : warnings == 1 ? QObject::tr("1 warning")
                                      : QObject::tr("%1 warnings").arg(warnings);
    return e + QStringLiteral(", ") + w;
}

} // namespace

LogView::LogView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("logView"));
    setAccessibleName(tr("Node logs"));
    m_model = new LogTableModel(this);
    m_model->setPalette(palette());
    m_proxy = new LogFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    m_node = new QComboBox(this);
    m_node->setAccessibleName(tr("Node"));
    m_node->addItem(tr("both nodes"), QString());
    m_node->addItem(tr("client"), QStringLiteral("client"));
    m_node->addItem(tr("server"), QStringLiteral("server"));
    m_source = new QComboBox(this);
    m_source->setAccessibleName(tr("Log source"));
    m_source->addItem(tr("all sources"), QString());
    m_level = new QComboBox(this);
    m_level->setAccessibleName(tr("Minimum level"));
    m_level->addItem(tr("any level"), 0);
    for (const char *l : {"INFO", "WARNING", "ERROR"})
        m_level->addItem(tr("%1 and worse").arg(QLatin1String(l)), LogTableModel::levelRank(QLatin1String(l)));
    m_text = new QLineEdit(this);
    m_text->setAccessibleName(tr("Filter text"));
    m_text->setPlaceholderText(tr("text in the line"));
    m_text->setClearButtonEnabled(true);
    m_recent = new QCheckBox(tr("only the &diagnosis window"), this);
    m_recent->setToolTip(tr("Only lines stamped inside the diagnosis window (its bounds are shown under the table); "
                            "lines without a time stamp are hidden too"));
    m_count = new QLabel(this);
    m_window = new QLabel(this);
    m_window->setWordWrap(true);
    m_window->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *bar = new QHBoxLayout;
    bar->addWidget(buddyLabel(tr("&Node:"), m_node, this));
    bar->addWidget(m_node);
    bar->addWidget(buddyLabel(tr("&Source:"), m_source, this));
    bar->addWidget(m_source);
    bar->addWidget(buddyLabel(tr("&Level:"), m_level, this));
    bar->addWidget(m_level);
    bar->addWidget(buddyLabel(tr("&Text:"), m_text, this));
    bar->addWidget(m_text, 1);
    bar->addWidget(m_recent);

    m_table = new QTableView(this);
    m_table->setAccessibleName(tr("Log lines"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setShowGrid(false);
    // One timeline across both nodes and every source: oldest first, any column sorts.
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(LogTableModel::TimeColumn, Qt::AscendingOrder);
    m_table->verticalHeader()->hide();
    auto *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(LogTableModel::TextColumn, QHeaderView::Stretch);
    m_table->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);

    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setFocusPolicy(Qt::StrongFocus);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_empty);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_window);
    layout->addWidget(m_count);

    setTabOrder(m_node, m_source);
    setTabOrder(m_source, m_level);
    setTabOrder(m_level, m_text);
    setTabOrder(m_text, m_recent);
    setTabOrder(m_recent, m_table);

    connect(m_node, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setNode(m_node->currentData().toString());
        updateCount();
    });
    connect(m_source, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setSource(m_source->currentData().toString());
        updateCount();
    });
    connect(m_level, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setMinimumLevel(m_level->currentData().toInt());
        updateCount();
    });
    connect(m_text, &QLineEdit::textChanged, this, [this](const QString &t) {
        m_proxy->setText(t);
        updateCount();
    });
    connect(m_recent, &QCheckBox::toggled, this, [this](bool on) {
        m_proxy->setOnlyRecent(on);
        updateCount();
    });
    updateCount();
}

void LogView::setDiagnosis(const diagnose::Diagnosis &d)
{
    m_model->setLines(d.logs);
    std::set<std::string> sources;
    for (const auto &l : d.logs)
        sources.insert(l.source);
    const QString keep = m_source->currentData().toString();
    {
        QSignalBlocker block(m_source);
        while (m_source->count() > 1)
            m_source->removeItem(1);
        for (const auto &s : sources)
            m_source->addItem(q(s), q(s));
    }
    const int i = m_source->findData(keep);
    m_source->setCurrentIndex(i < 0 ? 0 : i);
    m_proxy->setSource(m_source->currentData().toString());

    fitColumns();
    m_window->setText(windowTextFor(d));
    m_window->setVisible(!m_window->text().isEmpty());
    if (d.logs.empty()) {
        QStringList why;
        for (const char *id : {"logs.client", "logs.server"})
            if (const auto *c = d.check(id); c && !c->detail.empty())
                why << QStringLiteral("%1: %2").arg(QLatin1String(id + 5), q(c->detail));
        if (why.isEmpty() && !d.error.empty())
            why << q(d.error);
        m_empty->setText(why.isEmpty() ? tr("No log lines were read from the nodes.")
                                       : tr("No log lines were read from the nodes.\n%1").arg(why.join('\n')));
        m_stack->setCurrentWidget(m_empty);
    } else {
        m_stack->setCurrentWidget(m_table);
    }
    updateCount();
}

bool LogView::showLine(const QString &node, const QString &source, const QString &textFragment)
{
    QString src = source, text = textFragment.trimmed();
    int row = m_model->findLine(node, src, text);
    if (row < 0) {
        // Findings cite log lines as "<source>: <raw line>".
        const int colon = text.indexOf(QLatin1String(": "));
        if (colon > 0 && (src.isEmpty() || src == text.left(colon))) {
            src = text.left(colon);
            row = m_model->findLine(node, src, text.mid(colon + 2));
        }
    }
    if (row < 0)
        return false;
    if (m_proxy->nodeHides(row))
        setNodeFilter(QString());
    if (m_proxy->sourceHides(row))
        setSourceFilter(QString());
    if (m_proxy->levelHides(row))
        setMinimumLevel(QString());
    if (m_proxy->textHides(row))
        setTextFilter(QString());
    if (m_proxy->recencyHides(row))
        setOnlyRecent(false);
    const QModelIndex at = m_proxy->mapFromSource(m_model->index(row, LogTableModel::TextColumn));
    if (!at.isValid())
        return false;
    m_stack->setCurrentWidget(m_table);
    m_table->setCurrentIndex(at);
    m_table->selectRow(at.row());
    m_table->scrollTo(at, QAbstractItemView::PositionAtCenter);
    return true;
}

void LogView::setNodeFilter(const QString &node) { m_node->setCurrentIndex(std::max(0, m_node->findData(node))); }

void LogView::setSourceFilter(const QString &source) { m_source->setCurrentIndex(std::max(0, m_source->findData(source))); }

void LogView::setMinimumLevel(const QString &level)
{
    m_level->setCurrentIndex(std::max(0, m_level->findData(level.isEmpty() ? 0 : LogTableModel::levelRank(level))));
}

void LogView::setTextFilter(const QString &text) { m_text->setText(text); }

void LogView::setOnlyRecent(bool onlyRecent) { m_recent->setChecked(onlyRecent); }

void LogView::clearFilters()
{
    setNodeFilter(QString());
    setSourceFilter(QString());
    setMinimumLevel(QString());
    setTextFilter(QString());
    setOnlyRecent(false);
}

QString LogView::windowTextFor(const diagnose::Diagnosis &d)
{
    if (d.logs.empty())
        return {};
    // The window is cut on each node's own clock; say both ends, once when they agree.
    const QString client = span(d.client.logsSince, d.client.logsUntil);
    const QString server = span(d.server.logsSince, d.server.logsUntil);
    QString text;
    if (!client.isEmpty() && client == server)
        text = tr("Diagnosis window: lines stamped %1 on both nodes' clocks.").arg(client);
    else if (!client.isEmpty() || !server.isEmpty()) {
        QStringList parts;
        if (!client.isEmpty())
            parts << tr("%1 on the client's clock").arg(client);
        if (!server.isEmpty())
            parts << tr("%1 on the server's clock").arg(server);
        text = tr("Diagnosis window: lines stamped %1.").arg(parts.join(tr(" and ")));
    }
    if (const auto since = parse::parseIsoTimestamp(d.client.logsSince.empty() ? d.server.logsSince : d.client.logsSince)) {
        const auto until = parse::parseIsoTimestamp(d.client.logsSince.empty() ? d.server.logsUntil : d.client.logsUntil);
        if (until) {
            const qint64 minutes = (until->micros - since->micros) / 60000000;
            const QString when = d.recorded ? tr(" when this recording was made") : QString();
            text += QLatin1Char(' ') + (minutes == 1 ? tr("That is the minute before the logs were read%1.").arg(when)
                                                     : tr("That is the %1 minutes before the logs were read%2.")
                                                           .arg(QString::number(minutes), when));
        }
    }
    // A source that stamps nothing cannot be placed in time: say so, by name.
    std::map<std::pair<std::string, std::string>, std::pair<int, int>> stamped;  // (node, source) -> (with, without)
    for (const auto &l : d.logs)
        (l.timeMicros ? stamped[{l.node, l.source}].first : stamped[{l.node, l.source}].second)++;
    QStringList untimed, partly;
    for (const auto &[key, counts] : stamped) {
        const QString name = tr("%1 on the %2").arg(q(key.second), q(key.first));
        if (counts.first == 0)
            untimed << name;
        else if (counts.second > 0)
            partly << tr("%1 (%2 of its %3 lines)").arg(name).arg(counts.second).arg(counts.first + counts.second);
    }
    if (!untimed.isEmpty())
        text += QLatin1Char(' ') + tr("No time stamps from %1: those lines cannot be placed in the window and are "
                                      "listed first.").arg(untimed.join(QStringLiteral(", ")));
    if (!partly.isEmpty())
        text += QLatin1Char(' ') + tr("Some lines carry no time stamp: %1.").arg(partly.join(QStringLiteral(", ")));
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text.trimmed();
}

QString LogView::windowText() const { return m_window->text(); }

QString LogView::countText() const { return m_count->text(); }

int LogView::visibleLineCount() const { return m_proxy->rowCount(); }

int LogView::selectedLine() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : m_proxy->mapToSource(rows.front()).row();
}

bool LogView::isShowingEmptyState() const { return m_stack->currentWidget() == m_empty; }

QString LogView::emptyStateText() const { return isShowingEmptyState() ? m_empty->text() : QString(); }

void LogView::updateCount()
{
    int errors = 0, warnings = 0;
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const int rank = m_proxy->data(m_proxy->index(r, 0), LogTableModel::LevelRankRole).toInt();
        errors += rank >= LogTableModel::levelRank(QStringLiteral("ERROR")) ? 1 : 0;
        warnings += rank == LogTableModel::levelRank(QStringLiteral("WARNING")) ? 1 : 0;
    }
    int recent = 0;
    for (const auto &l : m_model->lines())
        recent += l.recent ? 1 : 0;
    const QString showing = m_model->rowCount() == 1 ? tr("Showing %1 of 1 line").arg(m_proxy->rowCount())
                                                     : tr("Showing %1 of %2 lines").arg(m_proxy->rowCount()).arg(m_model->rowCount());
    const QString inside = m_model->rowCount() == 1 ? (recent == 1 ? tr("it is inside the diagnosis window")
                                                                   : tr("it is outside the diagnosis window"))
                                                    : tr("%1 of all %2 are inside the diagnosis window").arg(recent).arg(m_model->rowCount());
    m_count->setText(tr("%1  ·  %2 shown  ·  %3").arg(showing, levelCounts(errors, warnings), inside));
}

void LogView::fitColumns()
{
    // ResizeToContents measures only the rows on screen: a longer time further down
    // would be cut. Measure every line once instead.
    const QFontMetrics fm(m_table->font());
    const int pad = fm.height();
    const int iconSize = m_table->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_table);
    const int icon = iconSize + pad / 2;
    // Every row is one line (no wrap): one fixed height. ResizeToContents asked each of
    // up to 100000 rows for its size and froze the window for seconds.
    m_table->verticalHeader()->setDefaultSectionSize(std::max(fm.height(), iconSize) + fm.height() / 3);
    for (int c : {LogTableModel::NodeColumn, LogTableModel::SourceColumn, LogTableModel::TimeColumn, LogTableModel::LevelColumn}) {
        int width = QFontMetrics(m_table->horizontalHeader()->font()).horizontalAdvance(
                        m_model->headerData(c, Qt::Horizontal).toString()) + pad;
        QFont bold = m_table->font();
        bold.setBold(true);
        const QFontMetrics fmBold(bold);
        // Up to 100000 lines, few distinct values: each is measured once per font.
        QSet<QString> measured[2];  // plain, bold
        for (int r = 0; r < m_model->rowCount(); ++r) {
            const QModelIndex i = m_model->index(r, c);
            const bool marked = i.data(Qt::FontRole).isValid();
            const QString value = i.data().toString();
            if (measured[marked].contains(value))
                continue;
            measured[marked].insert(value);
            const int text = (marked ? fmBold : fm).horizontalAdvance(value);
            width = std::max(width, text + pad + (c == LogTableModel::LevelColumn ? icon : 0));
        }
        m_table->setColumnWidth(c, width);
    }
}

void LogView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        m_model->setPalette(palette());
    if (event->type() == QEvent::FontChange)
        fitColumns();
}

} // namespace podpath::widgets
