#pragma once
// A hop's or a step's status as a small icon in the diagram's own language: shape
// first (check in a filled circle, cross in a diamond, question mark in a dashed
// circle, dash), colour second, so lists read like the picture and in greyscale.

#include "diagnose/diagnosis.h"

#include <QIcon>
#include <QString>

class QPalette;

namespace podpath::widgets {

QIcon statusIcon(diagnose::Status status, const QPalette &palette);
// "passed", "FAILED", "unknown", "not run yet": the word beside the icon.
QString statusWord(diagnose::Status status);
// A hop's word: as statusWord, except that a hop no echo reached is "not reached" (the
// diagram's empty ring), not "FAILED": nothing was lost there.
QString hopStatusWord(const diagnose::HopVerdict &h);

} // namespace podpath::widgets
