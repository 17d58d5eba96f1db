#pragma once
// The report on A4 paper for a ticket: the HTML report laid out as pages, the diagram at
// the full text width (its smallest labels near 8 pt printed), the body (verdict,
// diagram, findings, hops, checks, nodes) first and the raw command output in an
// appendix that starts on a page of its own. Each page's foot names the report and the
// page. The layout is built once, so what a test counts is what gets printed.

#include "diagnose/diagnosis.h"

#include <QSizeF>
#include <QString>
#include <QTextDocument>

namespace podpath::widgets {

class PdfReport {
public:
    explicit PdfReport(const diagnose::Diagnosis &d);

    int pageCount() const;
    // Pages before the appendix's first page.
    int bodyPages() const;
    // The diagram as printed, in points (1/72 inch), and its smallest label's size in points.
    QSizeF diagramPrintedSize() const { return m_diagramPt; }
    double smallestDiagramLabelPt() const { return m_smallestLabelPt; }
    const QTextDocument &document() const { return m_doc; }

    // Writes the PDF; false with a one-line reason and the next step in `error`.
    bool write(const QString &file, QString *error = nullptr) const;

private:
    double pointsPerLayoutUnit() const;

    QString m_title;
    QTextDocument m_doc;
    QSizeF m_diagramPt;
    double m_smallestLabelPt = 0;
};

} // namespace podpath::widgets
