#include "pdf_report.h"

#include "diagram_image.h"
#include "report/document_report.h"
#include "report/output_file.h"
#include "report/printable_diagnosis.h"

#include <QAbstractTextDocumentLayout>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QScreen>
#include <QTextBlock>
#include <QTextOption>
#include <QUrl>

#include <cmath>

namespace podpath::widgets {

namespace {

// A4 with 10 mm margins (inside what office printers can print): the text width,
// 190 mm, is what lets the diagram's smallest labels print near 8 pt.
constexpr double kPageWidthMm = 210, kPageHeightMm = 297, kMarginMm = 10, kFooterMm = 7;
const QString kDiagramName = QStringLiteral("podpath-diagram.png");

// QTextDocument lays out in pixels at the application's default resolution (the
// screen's, 96 without one); the painter maps them to the PDF at the same ratio.
double layoutDpi()
{
    const QScreen *screen = QGuiApplication::primaryScreen();
    return screen ? std::round(screen->logicalDotsPerInchY()) : 96.0;
}

QSizeF textAreaPx()
{
    const double pxPerMm = layoutDpi() / 25.4;
    return QSizeF((kPageWidthMm - 2 * kMarginMm) * pxPerMm, (kPageHeightMm - 2 * kMarginMm - kFooterMm) * pxPerMm);
}

} // namespace

PdfReport::PdfReport(const diagnose::Diagnosis &d)
    : m_title(QString::fromStdString(report::reportTitle(report::printableCopy(d))))
{
    const QSizeF area = textAreaPx();
    // The picture at its report size, widened to the text width: every label grows with it.
    const QSizeF logical = reportDiagramSize();
    const double width = std::floor(area.width());
    const double height = std::floor(width * logical.height() / logical.width());
    m_doc.addResource(QTextDocument::ImageResource, QUrl(kDiagramName), renderReportDiagramImage(d, 3.0));

    report::HtmlOptions options;
    options.diagramUrl = kDiagramName.toStdString();
    options.diagramWidth = int(width);
    options.forPrint = true;
    // Lines break only where text may (spaces, hyphens, the breaks the printed HTML puts
    // in long raw tokens): Qt's default also breaks anywhere, which let narrow table
    // columns cut hop ids mid-word ("request.server.ingr" / "ess"). Set before the HTML
    // is laid out.
    QTextOption wrapping = m_doc.defaultTextOption();
    wrapping.setWrapMode(QTextOption::WordWrap);
    m_doc.setDefaultTextOption(wrapping);
    m_doc.setHtml(QString::fromStdString(report::renderHtml(d, options)));
    m_doc.setPageSize(area);
    m_doc.setDocumentMargin(0);
    m_doc.documentLayout();  // lays the pages out now: counting and printing read the same layout

    m_diagramPt = QSizeF(width, height) * pointsPerLayoutUnit();
    m_smallestLabelPt = reportDiagramSmallestFontPx() * width / logical.width() * pointsPerLayoutUnit();
}

double PdfReport::pointsPerLayoutUnit() const { return 72.0 / layoutDpi(); }

int PdfReport::pageCount() const { return m_doc.pageCount(); }

int PdfReport::bodyPages() const
{
    const QTextCursor at = m_doc.find(QString::fromUtf8(report::kAppendixHeading.data(), qsizetype(report::kAppendixHeading.size())));
    if (at.isNull())
        return pageCount();
    const QRectF r = m_doc.documentLayout()->blockBoundingRect(at.block());
    // The appendix starts a page: the pages above it are the body.
    return int(std::floor(r.top() / m_doc.pageSize().height() + 1e-6));
}

bool PdfReport::write(const QString &file, QString *error) const
{
    if (auto why = report::whyNotWritable(file)) {
        if (error)
            *error = QObject::tr("Cannot write %1: %2. Choose another folder.").arg(file, QString::fromStdString(*why));
        return false;
    }
    QPdfWriter writer(file);
    writer.setTitle(m_title);
    writer.setCreator(QStringLiteral("PodPath"));
    writer.setResolution(600);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                     QMarginsF(kMarginMm, kMarginMm, kMarginMm, kMarginMm), QPageLayout::Millimeter));
    QPainter painter;
    if (!painter.begin(&writer)) {
        if (error)
            *error = QObject::tr("Cannot write %1. Choose another folder.").arg(file);
        return false;
    }
    const double scale = writer.resolution() / layoutDpi();
    const QSizeF page = m_doc.pageSize();
    const int pages = pageCount();
    // Pixels of the layout, as the painter is scaled to them: 7.5 pt.
    QFont footFont = m_doc.defaultFont();
    footFont.setPixelSize(int(std::lround(7.5 * layoutDpi() / 72.0)));
    for (int i = 0; i < pages; ++i) {
        if (i > 0)
            writer.newPage();
        painter.save();
        painter.scale(scale, scale);
        painter.translate(0, -i * page.height());
        const QRectF clip(0, i * page.height(), page.width(), page.height());
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = clip;
        painter.setClipRect(clip);
        m_doc.documentLayout()->draw(&painter, context);
        painter.restore();

        painter.save();
        painter.scale(scale, scale);
        painter.setFont(footFont);
        painter.setPen(QColor(0x57, 0x60, 0x6a));
        const QRectF foot(0, page.height(), page.width(), kFooterMm * layoutDpi() / 25.4);
        const bool appendix = i >= bodyPages();
        painter.drawText(foot, Qt::AlignLeft | Qt::AlignBottom, m_title + (appendix ? QObject::tr(" - appendix") : QString()));
        painter.drawText(foot, Qt::AlignRight | Qt::AlignBottom, QObject::tr("page %1 of %2").arg(i + 1).arg(pages));
        painter.restore();
    }
    if (!painter.end()) {
        if (error)
            *error = QObject::tr("Cannot finish %1. Check the free space or choose another folder.").arg(file);
        return false;
    }
    return true;
}

} // namespace podpath::widgets
