#include "plot_panel.h"

#include "evidence_style.h"

#include <QEvent>
#include <QLabel>
#include <QScreen>
#include <QWindow>
#include <QStackedLayout>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace podpath::widgets {

PlotPanel::PlotPanel(QWidget *parent) : QWidget(parent)
{
    m_plot = new QCustomPlot(this);
    // Tab reaches the plot, so a screen reader can read its description.
    m_plot->setFocusPolicy(Qt::StrongFocus);
    // The empty page names the plot too: in a grid of plots the reader must know which is empty.
    auto *emptyPage = new QWidget(this);
    m_emptyTitle = new QLabel(emptyPage);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    QFont bold = m_emptyTitle->font();
    bold.setBold(true);
    m_emptyTitle->setFont(bold);
    m_empty = new QLabel(emptyPage);
    auto *emptyLayout = new QVBoxLayout(emptyPage);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(m_emptyTitle);
    emptyLayout->addWidget(m_empty);
    emptyLayout->addStretch(2);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(fontMetrics().height());
    m_empty->setFocusPolicy(Qt::StrongFocus);
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_stack = new QStackedLayout(this);
    m_stack->setContentsMargins(0, 0, 0, 0);
    m_stack->addWidget(m_plot);
    m_stack->addWidget(emptyPage);
}

bool PlotPanel::isShowingEmptyState() const { return m_stack->currentWidget() != m_plot; }

QString PlotPanel::emptyStateText() const { return isShowingEmptyState() ? m_empty->text() : QString(); }

QSize PlotPanel::sizeHint() const
{
    const int h = fontMetrics().height();
    return {h * 44, h * 22};
}

QSize PlotPanel::minimumSizeHint() const
{
    const int h = fontMetrics().height();
    return {h * 22, h * 12};
}

void PlotPanel::showEmptyState(const QString &text)
{
    m_emptyTitle->setText(accessibleName());
    m_empty->setText(text);
    m_empty->setAccessibleName(accessibleName());
    m_empty->setAccessibleDescription(text);
    m_stack->setCurrentIndex(1);
    setSummary(text);
}

void PlotPanel::showPlot()
{
    m_plot->setBufferDevicePixelRatio(devicePixelRatioF());
    m_stack->setCurrentWidget(m_plot);
}

void PlotPanel::setSummary(const QString &text)
{
    m_summary = text;
    m_plot->setAccessibleName(accessibleName());
    m_plot->setAccessibleDescription(text);
    setAccessibleDescription(text);
}

double PlotPanel::em(double factor) const { return fontMetrics().height() * factor; }

void PlotPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::FontChange:
    case QEvent::StyleChange:
        if (!m_redrawing) {
            m_redrawing = true;
            m_empty->setMargin(fontMetrics().height());
            redraw();
            m_redrawing = false;
        }
        break;
    default: break;
    }
}

} // namespace podpath::widgets

namespace podpath::widgets {

void PlotPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Moving the window to a screen with another scale factor needs a sharper buffer.
    if (!m_watchingScreen && window()->windowHandle()) {
        m_watchingScreen = true;
        connect(window()->windowHandle(), &QWindow::screenChanged, this, [this] { redraw(); });
    }
}

} // namespace podpath::widgets
