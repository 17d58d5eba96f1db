#include "findings_list.h"

#include "evidence_style.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace podpath::widgets {

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

// Item data: which finding an item belongs to, and for cited log lines, which line.
constexpr int kFindingRole = Qt::UserRole + 1;
constexpr int kLogNodeRole = Qt::UserRole + 2;
constexpr int kLogSourceRole = Qt::UserRole + 3;
constexpr int kLogTextRole = Qt::UserRole + 4;

// QTreeView asks its delegate for a row's height without telling it the column's
// width, so wrapped text would be measured as one line: measure against the column.
class WrappingDelegate : public QStyledItemDelegate {
public:
    explicit WrappingDelegate(QTreeWidget *tree) : QStyledItemDelegate(tree), m_tree(tree) {}

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize base = QStyledItemDelegate::sizeHint(option, index);
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const bool spanned = index.parent().isValid();
        int depth = 0;
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
            ++depth;
        int width = spanned ? m_tree->viewport()->width() - m_tree->indentation() * (depth + 1)
                            : m_tree->header()->sectionSize(index.column());
        if (index.column() == 0 && !spanned)
            return base;  // the severity column: one word, never wrapped
        const int margin = m_tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_tree) + 1;
        width -= 2 * margin + (opt.icon.isNull() ? 0 : opt.decorationSize.width() + margin);
        if (width <= 0)
            return base;
        const QRect r = QFontMetrics(opt.font).boundingRect(QRect(0, 0, width, 100000), Qt::TextWordWrap, opt.text);
        return {base.width(), std::max(base.height(), r.height() + 2 * margin + 2)};
    }

private:
    QTreeWidget *m_tree;
};

} // namespace

// The tree and its header outlive this class's part of the object while QWidget deletes
// its children: their signals must not reach members that are already gone.
FindingsList::~FindingsList()
{
    m_tree->blockSignals(true);
    m_tree->header()->blockSignals(true);
}

FindingsList::FindingsList(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("findingsList"));
    setAccessibleName(tr("Findings"));
    m_tree = new QTreeWidget(this);
    m_tree->setAccessibleName(tr("Findings, most important first"));
    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Severity"), tr("Finding"), tr("Points at")});
    m_tree->setUniformRowHeights(false);
    m_tree->setWordWrap(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(SeverityColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(MessageColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(BlamesColumn, QHeaderView::ResizeToContents);
    m_tree->setItemDelegate(new WrappingDelegate(m_tree));
    m_tree->setTextElideMode(Qt::ElideNone);
    // Heights depend on widths: measure again after the columns settle.
    connect(m_tree->header(), &QHeaderView::sectionResized, m_tree, [tree = m_tree] {
        QMetaObject::invokeMethod(tree, [tree] { tree->doItemsLayout(); }, Qt::QueuedConnection);
    });

    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    QFont emptyFont = m_empty->font();
    emptyFont.setBold(true);
    m_empty->setFont(emptyFont);
    m_empty->setFocusPolicy(Qt::StrongFocus);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_tree);
    m_stack->addWidget(m_empty);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) { onCurrentChanged(item); });
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) { onCurrentChanged(item); });
    rebuild();
}

void FindingsList::setDiagnosis(const diagnose::Diagnosis &d)
{
    m_diagnosis = d;
    m_hasDiagnosis = true;
    rebuild();
}

void FindingsList::rebuild()
{
    // Quietly: the window decides what to show first for a new diagnosis.
    QSignalBlocker block(m_tree);
    m_tree->clear();
    const auto &d = m_diagnosis;
    if (d.findings.empty()) {
        QString text;
        if (!m_hasDiagnosis)
            text = tr("No diagnosis yet.");
        else if (d.verdict == diagnose::Verdict::Pass)
            text = tr("No findings: every hop passed.");
        else if (d.verdict == diagnose::Verdict::Incomplete)
            text = tr("No findings: nothing failed, but not every hop has evidence yet.\n%1").arg(q(d.error));
        else if (!d.error.empty())
            text = tr("No findings: the diagnosis could not run.\n%1").arg(q(d.error));
        else
            text = tr("No findings. See the hops on the diagram for what failed.");
        m_empty->setText(text);
        m_empty->setAccessibleName(text);
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    m_stack->setCurrentWidget(m_tree);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    QFont bold = font();
    bold.setBold(true);
    for (int i = 0; i < int(d.findings.size()); ++i) {
        const diagnose::Finding &f = d.findings[std::size_t(i)];
        const FindingTarget target = findingTarget(d, i);
        auto *item = new QTreeWidgetItem(m_tree);
        item->setData(0, kFindingRole, i);
        item->setIcon(SeverityColumn, severityIcon(f.severity, palette()));
        item->setText(SeverityColumn, severityWord(f.severity));
        item->setText(MessageColumn, q(f.message));
        item->setToolTip(MessageColumn, QStringLiteral("%1\n%2").arg(q(f.code), q(f.message)));
        QString at;
        const auto blamedHop = diagnose::hopFromString(f.blames);
        if (blamedHop)
            at = tr("hop: %1").arg(q(diagnose::hopInfo(*blamedHop).title));
        else if (target.explainsFirstFailingHop)
            // Two short lines, not one long one: the column takes its longest line's
            // width from the findings' own text in a narrow window.
            at = tr("%1\n→ hop: %2").arg(q(diagnose::blamedName(f.blames, diagnose::tunnelled(d.mode))), q(diagnose::hopInfo(*target.hop).title));
        else
            at = tr("check: %1").arg(q(diagnose::blamedName(f.blames, diagnose::tunnelled(d.mode))));
        item->setText(BlamesColumn, at);
        // The id stays at hand, as secondary detail, for JSON and the lab's catalogue.
        item->setToolTip(BlamesColumn, (target.explainsFirstFailingHop
                                            ? tr("This finding explains why the echoes stop at the first failing hop.")
                                            : tr("Blames the %1.").arg(q(diagnose::blamedName(f.blames, diagnose::tunnelled(d.mode))))) +
                                           QStringLiteral(" [%1]").arg(q(f.blames)));
        if (f.severity >= diagnose::Severity::Error)
            item->setFont(SeverityColumn, bold);
        item->setData(SeverityColumn, Qt::AccessibleTextRole, severityWord(f.severity));

        for (const auto &line : f.evidence) {
            auto *child = new QTreeWidgetItem(item);
            child->setData(0, kFindingRole, i);
            child->setText(0, tr("evidence: %1").arg(q(line)));
            child->setFont(0, mono);
            child->setToolTip(0, q(line));
            if (auto ref = logLineOf(f, line)) {
                child->setText(0, tr("log line: %1").arg(q(line)));
                child->setData(0, kLogNodeRole, ref->node);
                child->setData(0, kLogSourceRole, ref->source);
                child->setData(0, kLogTextRole, ref->text);
                child->setToolTip(0, tr("%1\nSelect to show this line in the log view.").arg(q(line)));
            }
        }
        if (!f.nextStep.empty()) {
            auto *next = new QTreeWidgetItem(item);
            next->setData(0, kFindingRole, i);
            next->setText(0, tr("next step: %1").arg(q(f.nextStep)));
            next->setToolTip(0, q(f.nextStep));
        }
        auto *code = new QTreeWidgetItem(item);
        code->setData(0, kFindingRole, i);
        code->setText(0, tr("code: %1").arg(q(f.code)));
        for (int c = 0; c < item->childCount(); ++c)
            item->child(c)->setFirstColumnSpanned(true);
    }
    m_tree->topLevelItem(0)->setExpanded(true);
    m_tree->setCurrentItem(m_tree->topLevelItem(0));
}

void FindingsList::selectFinding(int index)
{
    if (index < 0 || index >= m_tree->topLevelItemCount())
        return;
    m_tree->setCurrentItem(m_tree->topLevelItem(index));
}

int FindingsList::currentFinding() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    return item ? item->data(0, kFindingRole).toInt() : -1;
}

bool FindingsList::isShowingEmptyState() const { return m_stack->currentWidget() == m_empty; }

QString FindingsList::emptyStateText() const { return isShowingEmptyState() ? m_empty->text() : QString(); }

void FindingsList::onCurrentChanged(QTreeWidgetItem *item)
{
    if (!item)
        return;
    const int index = item->data(0, kFindingRole).toInt();
    if (index < 0 || index >= int(m_diagnosis.findings.size()))
        return;
    emit findingSelected(index, q(m_diagnosis.findings[std::size_t(index)].blames));
    if (item->data(0, kLogTextRole).isValid())
        emit logLineRequested(item->data(0, kLogNodeRole).toString(), item->data(0, kLogSourceRole).toString(),
                              item->data(0, kLogTextRole).toString());
}

void FindingsList::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        // Severity icons are drawn in the palette's colours.
        for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
            const int index = m_tree->topLevelItem(i)->data(0, kFindingRole).toInt();
            if (index < int(m_diagnosis.findings.size()))
                m_tree->topLevelItem(i)->setIcon(SeverityColumn,
                                                 severityIcon(m_diagnosis.findings[std::size_t(index)].severity, palette()));
        }
    }
}

} // namespace podpath::widgets
