#pragma once
// The path diagram in a window: draws a Diagnosis (also while it is still being filled
// in), explains a hop on hover, and lets the reader pick a hop with the mouse or the
// keyboard (Tab in, Left/Right along the path, Enter) to see its evidence elsewhere.

#include "path_diagram_painter.h"

#include <QWidget>

#include <optional>

namespace podpath::widgets {

class PathDiagramView : public QWidget {
    Q_OBJECT
public:
    explicit PathDiagramView(QWidget *parent = nullptr);

    // Call as often as the diagnosis grows: a non-empty phase ("capturing: ping burst
    // running") means it is still running and is shown in the header.
    void setDiagnosis(const diagnose::Diagnosis &d, std::string phase = {});
    const diagnose::Diagnosis &diagnosis() const { return m_diagnosis; }
    bool isRunning() const { return m_state.running; }

    // The selection ring (a finding blaming this hop is selected); nullopt removes it.
    void setHighlightedHop(std::optional<diagnose::HopId> hop);
    std::optional<diagnose::HopId> highlightedHop() const { return m_state.highlighted; }
    // The hop keyboard focus is on (Left/Right move it, Enter activates it).
    std::optional<diagnose::HopId> focusedHop() const { return m_focused; }
    void setFocusedHop(std::optional<diagnose::HopId> hop);

    // A fixed palette (e.g. a "dark picture" toggle); nullopt follows the widget's palette.
    void setStyleOverride(std::optional<DiagramStyle> style);
    DiagramStyle diagramStyle() const;

    // Hop marker rectangles in widget coordinates, by HopId: what the mouse hits.
    std::array<QRectF, diagnose::kAllHopCount> hopRects() const;
    std::optional<diagnose::HopId> hopAt(const QPointF &pos) const;
    // Tooltip text of a hop (rich text): title, status, seen/expected, explanation, evidence.
    QString hopToolTip(diagnose::HopId hop) const;
    // One sentence per hop for assistive technology: verdict first.
    QString summary() const;
    // The callout's lines as drawn at the view's size (never cut: the picture shrinks).
    QStringList calloutText() const;
    // Every line of text as drawn at the view's size (tests: nothing cut, nothing placeholder).
    std::vector<DrawnText> drawnTexts() const;
    QString hopDescription(diagnose::HopId hop) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    void activateHop(diagnose::HopId hop);

signals:
    void hopActivated(diagnose::HopId hop);

protected:
    bool event(QEvent *e) override;
    void paintEvent(QPaintEvent *e) override;
    void mousePressEvent(QMouseEvent *e) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void keyPressEvent(QKeyEvent *e) override;
    void focusInEvent(QFocusEvent *e) override;
    void focusOutEvent(QFocusEvent *e) override;
    void changeEvent(QEvent *e) override;

private:
    void stateChanged();
    QRectF diagramArea() const;

    diagnose::Diagnosis m_diagnosis;
    DiagramState m_state;
    std::optional<diagnose::HopId> m_focused;
    std::optional<DiagramStyle> m_styleOverride;
};

} // namespace podpath::widgets
