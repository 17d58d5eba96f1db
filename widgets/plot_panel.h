#pragma once
// A QCustomPlot with an empty state: the base of the evidence plots. It restyles on
// palette, font and screen changes by redrawing, because plot pens carry fixed colours.

#include <QWidget>

class QCustomPlot;
class QLabel;
class QStackedLayout;

namespace podpath::widgets {

class PlotPanel : public QWidget {
    Q_OBJECT
public:
    explicit PlotPanel(QWidget *parent = nullptr);

    QCustomPlot *plot() const { return m_plot; }
    bool isShowingEmptyState() const;
    QString emptyStateText() const;
    // What the plot shows in one paragraph: the accessible description, and what a
    // screen reader or a test reads instead of the pixels.
    QString summary() const { return m_summary; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    // Draw the stored series from scratch (colours from palette(), sizes from font()).
    virtual void redraw() = 0;

    void showEmptyState(const QString &text);
    void showPlot();  // also matches the plot's buffer to the screen's pixel ratio
    void setSummary(const QString &text);
    // A length in device-independent pixels that scales with the font: marker sizes, pens.
    double em(double factor = 1.0) const;

    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    QCustomPlot *m_plot = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_emptyTitle = nullptr;
    QStackedLayout *m_stack = nullptr;
    QString m_summary;
    bool m_redrawing = false;
    bool m_watchingScreen = false;
};

} // namespace podpath::widgets
