#pragma once
// The path diagram as a picture file, for tickets, reports and `podpath render`: same
// drawing as the window, at a fixed logical size so every exported picture looks alike.
// Needs a QGuiApplication (fonts); the offscreen platform is enough.

#include "diagnose/diagnosis.h"
#include "report/document_report.h"

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QSizeF>

namespace podpath::widgets {

// Logical size of an exported diagram; the image is this times the scale.
inline constexpr QSize kDiagramImageSize{1200, 560};

QImage renderDiagramImage(const diagnose::Diagnosis &d, double scale = 2.0, bool dark = false);

// The diagram for a report page: a little wider than the narrowest area in which the
// painter draws every label at its full size (narrower would scale the whole picture
// down). Spread over a page's text width it prints its labels nearly as large as the
// page allows.
QSizeF reportDiagramSize();
// Pixel size, in reportDiagramSize()'s coordinates, of the smallest label it draws.
double reportDiagramSmallestFontPx();
// At reportDiagramSize(), `scale` device pixels per logical pixel (3: about 300 dpi
// printed across an A4 page).
QImage renderReportDiagramImage(const diagnose::Diagnosis &d, double scale = 3.0);
QByteArray renderReportDiagramPng(const diagnose::Diagnosis &d, double scale = 2.0);
// The HTML report's picture: that diagram at 2x, shown at its logical width (sharp on
// high-density screens, never wider than the page).
report::HtmlOptions reportHtmlOptions(const diagnose::Diagnosis &d);
// PNG bytes of renderDiagramImage (empty only if encoding failed).
QByteArray renderDiagramPng(const diagnose::Diagnosis &d, double scale = 2.0, bool dark = false);

} // namespace podpath::widgets
