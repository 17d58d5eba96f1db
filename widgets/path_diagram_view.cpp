#include "path_diagram_view.h"

#include <QAccessible>
#include <QAccessibleWidget>
#include <QFontMetricsF>
#include <QKeyEvent>
#include <QPainter>
#include <QToolTip>

#include <vector>

namespace podpath::widgets {

using namespace diagnose;

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString hopStatusWords(Status s)
{
    switch (s) {
    case Status::Pass: return QStringLiteral("pass: echoes seen");
    case Status::Fail: return QStringLiteral("FAIL: echoes lost");
    case Status::Unknown: return QStringLiteral("unknown: no evidence");
    case Status::Skipped: return QStringLiteral("skipped");
    }
    return {};
}

// A hop as an accessible child of the diagram: a button named by its title.
class HopAccessible : public QAccessibleInterface, public QAccessibleActionInterface {
public:
    HopAccessible(PathDiagramView *view, HopId hop) : m_view(view), m_hop(hop) {}
    bool isValid() const override { return m_view != nullptr; }
    QObject *object() const override { return nullptr; }
    QWindow *window() const override { return m_view->window()->windowHandle(); }
    QAccessibleInterface *parent() const override { return QAccessible::queryAccessibleInterface(m_view); }
    QAccessibleInterface *child(int) const override { return nullptr; }
    QAccessibleInterface *childAt(int, int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface *) const override { return -1; }
    QString text(QAccessible::Text t) const override
    {
        switch (t) {
        case QAccessible::Name: return q(hopInfo(m_hop).title);
        case QAccessible::Description: return m_view->hopDescription(m_hop);
        case QAccessible::Value: return q(toString(m_view->diagnosis().hop(m_hop).status));
        default: return {};
        }
    }
    void setText(QAccessible::Text, const QString &) override {}
    QRect rect() const override
    {
        const QRect local = m_view->hopRects()[std::size_t(m_hop)].toAlignedRect();
        return QRect(m_view->mapToGlobal(local.topLeft()), local.size());
    }
    QAccessible::Role role() const override { return QAccessible::Button; }
    QAccessible::State state() const override
    {
        QAccessible::State s;
        s.focusable = true;
        s.focused = m_view->hasFocus() && m_view->focusedHop() == m_hop;
        s.selectable = true;
        s.selected = m_view->highlightedHop() == m_hop;
        return s;
    }
    void *interface_cast(QAccessible::InterfaceType t) override
    {
        return t == QAccessible::ActionInterface ? static_cast<QAccessibleActionInterface *>(this) : nullptr;
    }
    QStringList actionNames() const override { return {pressAction()}; }
    void doAction(const QString &name) override
    {
        if (name == pressAction())
            m_view->activateHop(m_hop);
    }
    QStringList keyBindingsForAction(const QString &) const override { return {QStringLiteral("Return")}; }

private:
    PathDiagramView *m_view;
    HopId m_hop;
};

class DiagramAccessible : public QAccessibleWidget {
public:
    explicit DiagramAccessible(PathDiagramView *view) : QAccessibleWidget(view, QAccessible::Chart)
    {
        // Indexed by hop id: the eight between the nodes, then the pods' four (children
        // only when the diagram draws them).
        for (std::size_t i = 0; i < kAllHopCount; ++i) {
            auto *child = new HopAccessible(view, HopId(i));
            m_ids.push_back(QAccessible::registerAccessibleInterface(child));
        }
    }
    ~DiagramAccessible() override
    {
        for (QAccessible::Id id : m_ids)
            QAccessible::deleteAccessibleInterface(id);
    }
    PathDiagramView *view() const { return static_cast<PathDiagramView *>(widget()); }
    int childCount() const override { return int(view()->diagnosis().path().size()); }
    QAccessibleInterface *child(int index) const override
    {
        return index >= 0 && index < childCount() ? QAccessible::accessibleInterface(m_ids[std::size_t(index)]) : nullptr;
    }
    int indexOfChild(const QAccessibleInterface *child) const override
    {
        for (std::size_t i = 0; i < std::size_t(childCount()); ++i)
            if (QAccessible::accessibleInterface(m_ids[i]) == child)
                return int(i);
        return -1;
    }
    QAccessibleInterface *childAt(int x, int y) const override
    {
        const auto hop = view()->hopAt(view()->mapFromGlobal(QPoint(x, y)));
        return hop ? child(int(*hop)) : nullptr;
    }
    QAccessibleInterface *focusChild() const override
    {
        const auto hop = view()->focusedHop();
        return hop && view()->hasFocus() ? child(int(*hop)) : nullptr;
    }
    QString text(QAccessible::Text t) const override
    {
        if (t == QAccessible::Description)
            return view()->summary();
        if (t == QAccessible::Name && view()->accessibleName().isEmpty())
            return QStringLiteral("Packet path diagram");
        return QAccessibleWidget::text(t);
    }

private:
    std::vector<QAccessible::Id> m_ids;
};

QAccessibleInterface *diagramAccessibleFactory(const QString &className, QObject *object)
{
    if (className == QLatin1String("podpath::widgets::PathDiagramView") && object && object->isWidgetType())
        return new DiagramAccessible(static_cast<PathDiagramView *>(object));
    return nullptr;
}

} // namespace

PathDiagramView::PathDiagramView(QWidget *parent) : QWidget(parent)
{
    static const bool factoryInstalled = [] {
        QAccessible::installFactory(diagramAccessibleFactory);
        return true;
    }();
    Q_UNUSED(factoryInstalled);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(QStringLiteral("Packet path diagram"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_state.shown = DiagramState::Shown::InWindow;
    stateChanged();
}

void PathDiagramView::setDiagnosis(const Diagnosis &d, std::string phase)
{
    m_diagnosis = d;
    m_state.running = !phase.empty();
    m_state.phase = std::move(phase);
    updateGeometry();  // a longer callout needs more room before the words shrink
    stateChanged();
}

void PathDiagramView::setHighlightedHop(std::optional<HopId> hop)
{
    if (m_state.highlighted == hop)
        return;
    m_state.highlighted = hop;
    stateChanged();
}

void PathDiagramView::setFocusedHop(std::optional<HopId> hop)
{
    if (m_focused == hop)
        return;
    m_focused = hop;
    stateChanged();
    if (hop && hasFocus() && QAccessible::isActive()) {
        QAccessibleEvent ev(this, QAccessible::Focus);
        ev.setChild(int(*hop));
        QAccessible::updateAccessibility(&ev);
    }
}

void PathDiagramView::setStyleOverride(std::optional<DiagramStyle> style)
{
    m_styleOverride = std::move(style);
    update();
}

DiagramStyle PathDiagramView::diagramStyle() const
{
    return m_styleOverride ? *m_styleOverride : DiagramStyle::forPalette(palette(), font());
}

void PathDiagramView::stateChanged()
{
    setAccessibleDescription(summary());
    if (QAccessible::isActive()) {
        QAccessibleEvent ev(this, QAccessible::DescriptionChanged);
        QAccessible::updateAccessibility(&ev);
    }
    update();
}

QRectF PathDiagramView::diagramArea() const { return QRectF(rect()); }

std::array<QRectF, kAllHopCount> PathDiagramView::hopRects() const
{
    const DiagramStyle style = diagramStyle();
    return hopMarkerRects(diagramArea(), style, calloutLineCount(diagramArea(), m_diagnosis, style, m_state),
                          diagramStreamLines(m_diagnosis), m_diagnosis.pods.has_value());
}

std::vector<DrawnText> PathDiagramView::drawnTexts() const
{
    return widgets::drawnTexts(diagramArea(), m_diagnosis, diagramStyle(), m_state);
}

QStringList PathDiagramView::calloutText() const { return calloutLines(diagramArea(), m_diagnosis, diagramStyle(), m_state); }

std::optional<HopId> PathDiagramView::hopAt(const QPointF &pos) const
{
    const auto rects = hopRects();
    for (std::size_t i = 0; i < rects.size(); ++i) {
        if (rects[i].isNull())
            continue;  // not drawn (a pod's hop without pods)
        // A little slack around the marker: small targets are hard to hit.
        const double slack = rects[i].width() * 0.25;
        if (rects[i].adjusted(-slack, -slack, slack, slack).contains(pos))
            return HopId(i);
    }
    return std::nullopt;
}

QString PathDiagramView::hopDescription(HopId hop) const
{
    const HopVerdict &h = m_diagnosis.hop(hop);
    QString s = q(hopInfo(hop).title) + QStringLiteral(": ") + hopStatusWords(h.status) + QStringLiteral(", ") +
                hopCountText(h, m_state.running);
    if (m_diagnosis.firstFailingHop == hop && !m_state.running)
        s += QStringLiteral(", first failure");
    if (!h.explanation.empty())
        s += QStringLiteral(". ") + q(h.explanation);
    return s;
}

QString PathDiagramView::summary() const
{
    const DiagramHeader h = diagramHeader(m_diagnosis, m_state);
    QString s = h.verdict + QStringLiteral(". ") + h.nodes + QStringLiteral(", ") + h.details + QStringLiteral(".");
    const DiagramCallout c = diagramCallout(m_diagnosis, m_state);
    if (!c.title.isEmpty())
        s += QStringLiteral(" ") + c.title + QStringLiteral(".");
    if (!c.why.isEmpty() && c.tone != Status::Pass)
        s += QStringLiteral(" ") + c.why;
    QStringList hops;
    for (const HopId id : m_diagnosis.path())
        hops << q(hopInfo(id).title) + QStringLiteral(" ") + q(toString(m_diagnosis.hop(id).status));
    s += QStringLiteral(" Hops: ") + hops.join(QStringLiteral(", ")) + QStringLiteral(".");
    return s;
}

QString PathDiagramView::hopToolTip(HopId hop) const
{
    const HopVerdict &h = m_diagnosis.hop(hop);
    const HopInfo &info = hopInfo(hop);
    QString html = QStringLiteral("<b>%1</b> <tt>%2</tt><br>%3 &mdash; %4")
                       .arg(q(info.title).toHtmlEscaped(), q(info.key).toHtmlEscaped(), hopStatusWords(h.status).toHtmlEscaped(),
                            hopCountText(h, m_state.running).toHtmlEscaped());
    if (!h.explanation.empty())
        html += QStringLiteral("<br>") + q(h.explanation).toHtmlEscaped();
    else
        html += QStringLiteral("<br><i>expected:</i> ") + q(info.expected).toHtmlEscaped();
    if (!h.evidence.empty()) {
        html += QStringLiteral("<pre style=\"margin-top:4px\">");
        const std::size_t shown = std::min<std::size_t>(h.evidence.size(), 3);
        for (std::size_t i = 0; i < shown; ++i)
            html += q(h.evidence[i]).toHtmlEscaped() + QLatin1Char('\n');
        if (h.evidence.size() > shown)
            html += QStringLiteral("(+%1 more)").arg(h.evidence.size() - shown);
        html += QStringLiteral("</pre>");
    }
    html += QStringLiteral("<i>Click or press Enter for the full evidence.</i>");
    return html;
}

QSize PathDiagramView::sizeHint() const { return QSize(1200, 560); }

QSize PathDiagramView::minimumSizeHint() const
{
    // Below its natural size the picture is drawn smaller, down to where its smallest
    // text is still 9 screen pixels; smaller than that the results view scrolls it instead.
    // The callout's line count depends on the width it wraps to: size for three lines,
    // then again for as many as the text needs at that width.
    // Readable is 9 pixels on the screen: at 125 % scaling that is 7.2 logical ones.
    const double smallest = 9.0 / std::max(1.0, devicePixelRatioF());
    const DiagramStyle style = diagramStyle();
    const int streams = diagramStreamLines(m_diagnosis);
    const QSizeF first = readableDiagramSize(style, 3, smallest, streams);
    const int lines = calloutLineCount(QRectF(QPointF(0, 0), first), m_diagnosis, style, m_state);
    return readableDiagramSize(style, lines, smallest, streams).toSize();
}

void PathDiagramView::activateHop(HopId hop)
{
    setFocusedHop(hop);
    emit hopActivated(hop);
}

bool PathDiagramView::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip) {
        auto *he = static_cast<QHelpEvent *>(e);
        if (const auto hop = hopAt(he->pos())) {
            const QRect r = hopRects()[std::size_t(*hop)].toAlignedRect();
            QToolTip::showText(he->globalPos(), hopToolTip(*hop), this, r);
        } else {
            QToolTip::hideText();
            e->ignore();
        }
        return true;
    }
    return QWidget::event(e);
}

void PathDiagramView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    DiagramState state = m_state;
    state.focused = hasFocus() ? m_focused : std::nullopt;
    paintPathDiagram(p, diagramArea(), m_diagnosis, diagramStyle(), state);
}

void PathDiagramView::mousePressEvent(QMouseEvent *e)
{
    if (e->button() == Qt::LeftButton)
        if (const auto hop = hopAt(e->position())) {
            activateHop(*hop);
            return;
        }
    QWidget::mousePressEvent(e);
}

void PathDiagramView::mouseMoveEvent(QMouseEvent *e)
{
    setCursor(hopAt(e->position()) ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QWidget::mouseMoveEvent(e);
}

void PathDiagramView::keyPressEvent(QKeyEvent *e)
{
    const std::vector<HopId> path = m_diagnosis.path();
    const auto at = m_focused ? std::find(path.begin(), path.end(), *m_focused) : path.end();
    const int current = at == path.end() ? -1 : int(at - path.begin());
    switch (e->key()) {
    case Qt::Key_Right:
    case Qt::Key_Left: {
        // Along the path, in the order the echo travels.
        const int step = e->key() == Qt::Key_Right ? 1 : -1;
        const int next = current < 0 ? 0 : std::clamp(current + step, 0, int(path.size()) - 1);
        setFocusedHop(path[std::size_t(next)]);
        return;
    }
    case Qt::Key_Home: setFocusedHop(path.front()); return;
    case Qt::Key_End: setFocusedHop(path.back()); return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (m_focused) {
            activateHop(*m_focused);
            return;
        }
        break;
    default: break;
    }
    QWidget::keyPressEvent(e);
}

void PathDiagramView::focusInEvent(QFocusEvent *e)
{
    // Tabbing in lands on the hop that matters most: the first failure, else the first hop.
    if (!m_focused)
        m_focused = m_diagnosis.firstFailingHop ? *m_diagnosis.firstFailingHop : m_diagnosis.path().front();
    QWidget::focusInEvent(e);
    update();
}

void PathDiagramView::focusOutEvent(QFocusEvent *e)
{
    QWidget::focusOutEvent(e);
    update();
}

void PathDiagramView::changeEvent(QEvent *e)
{
    if (e->type() == QEvent::PaletteChange || e->type() == QEvent::FontChange)
        update();
    QWidget::changeEvent(e);
}

} // namespace podpath::widgets
