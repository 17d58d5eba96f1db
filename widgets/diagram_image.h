#pragma once
// The path diagram as a picture file, for tickets, reports and `podpath render`: same
// drawing as the window, at a fixed logical size so every exported picture looks alike.
// Needs a QGuiApplication (fonts); the offscreen platform is enough.

#include "diagnose/diagnosis.h"

#include <QByteArray>
#include <QImage>
#include <QSize>

namespace podpath::widgets {

// Logical size of an exported diagram; the image is this times the scale.
inline constexpr QSize kDiagramImageSize{1200, 560};

QImage renderDiagramImage(const diagnose::Diagnosis &d, double scale = 2.0, bool dark = false);
// PNG bytes of renderDiagramImage (empty only if encoding failed).
QByteArray renderDiagramPng(const diagnose::Diagnosis &d, double scale = 2.0, bool dark = false);

} // namespace podpath::widgets
