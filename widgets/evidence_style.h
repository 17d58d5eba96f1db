#pragma once
// Colours, marker shapes and icons shared by the evidence views (plots, log view,
// findings), taken from the widget's palette so they read in light and dark themes.
// Meaning never rests on colour alone: every colour here comes with a shape or a word.

#include "diagnose/diagnosis.h"

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>
#include <QStringList>
#include <optional>

class QCustomPlot;

namespace podpath::widgets {

struct EvidenceColors {
    QColor text;      // axis labels, ticks
    QColor faint;     // grid, separators
    QColor base;      // plot background
    QColor loss;      // lost echoes, DROP rules, failing hop, errors
    QColor warning;   // warnings
    QColor pass;      // healthy
    QColor neutral;   // bars of rules that do not drop
    QColor lossTint;  // row / cell background behind a loss or an error
    QColor warningTint;

    static EvidenceColors from(const QPalette &palette);
};

bool isDark(const QPalette &palette);

// Echo streams as the engine names them ("burst", "full-size probe"): the same colour
// and marker shape in every plot, so the reader learns them once.
QColor streamColor(const QString &stream, const QPalette &palette);
int streamShape(const QString &stream);  // a QCPScatterStyle::ScatterShape
// The streams named in `names` (repeats allowed), each once, in legend order: "burst"
// first, then by name, so every plot lists them alike.
QStringList streamsInLegendOrder(const QStringList &names);

// Severity of a finding, or a log level (ERROR, WARNING, ...): a drawn icon whose shape
// differs per level (octagon, circle, triangle, "i"), sharp at 1x and 2x.
QIcon severityIcon(diagnose::Severity severity, const QPalette &palette);
// Log level words the parser prints; nullopt for levels below WARNING.
std::optional<diagnose::Severity> severityOfLogLevel(const QString &level);
QString severityWord(diagnose::Severity severity);  // "Critical", "Error", "Warning", "Info"

// Plot frame in the palette's colours, fonts from the widget: call again on palette change.
void stylePlot(QCustomPlot *plot, const QPalette &palette, const QFont &font);
// A plot title's font: bold, a step above the widget's font.
QFont titleFont(const QFont &font);

} // namespace podpath::widgets
