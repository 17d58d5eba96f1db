#pragma once
// A status drawn as the path diagram draws it: shape first (a filled circle with a check,
// a cross in a diamond, a question mark in a dashed circle, a dash), colour second, so it
// reads in greyscale and for colour-blind readers. Any widget listing hops or checks can
// draw the same marks (at any size, sharp at any device pixel ratio).

#include "path_diagram_painter.h"

#include <QPointF>

class QPainter;

namespace podpath::widgets {

// Centred at `centre` with `radius` in the painter's coordinates (a failure's diamond
// reaches 1.1 radius). The centre pixel is always the status colour: the disc, the
// cross's crossing, the question mark's stem, the dash. `subdued`: a failure that only
// follows from an earlier one (thinner, paler).
void drawStatusMark(QPainter &painter, QPointF centre, double radius, diagnose::Status status,
                    const DiagramStyle &style, bool subdued = false);

// A hop no echo reached (every one was lost before it): an empty ring, so the place
// where they were lost keeps the only cross, and "did not reach" beside it is not
// contradicted by a failure's mark. Its centre is the background.
void drawNotReachedMark(QPainter &painter, QPointF centre, double radius, const DiagramStyle &style);

} // namespace podpath::widgets
