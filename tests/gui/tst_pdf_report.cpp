// The PDF a ticket gets, on real recorded faults: the body (verdict, diagram, findings
// with next steps, hops, checks, nodes) fits in four A4 pages, the diagram spans the text
// width with labels that print at about 8 pt, and the raw command output follows in an
// appendix from a page of its own. Counts are read from the very layout PdfReport prints.

#include "pdf_report.h"
#include "replayed.h"
#include "report/document_report.h"

#include <QAbstractTextDocumentLayout>
#include <QFile>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextLayout>
#include <QtTest>

using namespace podpath;

class TestPdfReport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void bodyFitsAndDiagramIsReadable_data()
    {
        QTest::addColumn<QString>("session");
        for (const char *s : {"vxlan-ipset-missing-client", "ipip-ipset-missing-client", "vxlan-mtu-too-small",
                              "ipip-mtu-too-small", "vxlan-route-wrong-gateway", "ipip-route-wrong-gateway",
                              "ipip-healthy", "vxlan-healthy", "vxlan-iptables-drop-server-inner",
                              "ipip-tcpdump-missing", "vxlan-node-unreachable"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void bodyFitsAndDiagramIsReadable()
    {
        QFETCH(QString, session);
        auto run = testing::replayed(session);
        QVERIFY2(run, qPrintable("cannot replay " + session));
        const widgets::PdfReport pdf(run->diagnosis);
        qInfo("%s: %d body pages, %d in all; diagram %.0f x %.0f pt, smallest label %.1f pt", qPrintable(session),
              pdf.bodyPages(), pdf.pageCount(), pdf.diagramPrintedSize().width(), pdf.diagramPrintedSize().height(),
              pdf.smallestDiagramLabelPt());

        // What is written is that layout, as a PDF of as many pages (written first: a person
        // looks at it when a check below fails).
        const QString file = m_dir.filePath(session + ".pdf");
        QString error;
        QVERIFY2(pdf.write(file, &error), qPrintable(error));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QCOMPARE(bytes.count("/Type /Page\n") + bytes.count("/Type /Page "), qsizetype(pdf.pageCount()));
        QDir().mkpath(PODPATH_SCREENSHOTS);
        QFile::remove(QStringLiteral(PODPATH_SCREENSHOTS "/report-%1.pdf").arg(session));
        QFile::copy(file, QStringLiteral(PODPATH_SCREENSHOTS "/report-%1.pdf").arg(session));

        QVERIFY(pdf.bodyPages() >= 1);
        QVERIFY2(pdf.bodyPages() <= 4, qPrintable(QStringLiteral("the body takes %1 pages").arg(pdf.bodyPages())));
        // The appendix is there (every recording ran commands) and after the body.
        QVERIFY(pdf.pageCount() > pdf.bodyPages());

        // Full text width of A4 with 10 mm margins is 538 pt; the smallest labels (hop titles) near 8 pt.
        QVERIFY2(pdf.diagramPrintedSize().width() >= 530, qPrintable(QString::number(pdf.diagramPrintedSize().width())));
        QVERIFY2(pdf.smallestDiagramLabelPt() >= 7.5, qPrintable(QString::number(pdf.smallestDiagramLabelPt())));

        // The diagram sits in the body, on the first page.
        const QTextDocument &doc = pdf.document();
        bool imageOnFirstPage = false;
        for (QTextBlock b = doc.begin(); b.isValid(); b = b.next())
            for (auto it = b.begin(); !it.atEnd(); ++it)
                if (it.fragment().charFormat().isImageFormat())
                    imageOnFirstPage = doc.documentLayout()->blockBoundingRect(b).bottom() <= doc.pageSize().height();
        QVERIFY(imageOnFirstPage);
    }

    // Lines wrap only where text may break (a space, a hyphen, a slash, a break the
    // report put in raw output), never inside a word or a hop id ("request.server.ingr" |
    // "ess"), in the body's tables as in the appendix, and nothing runs off the page.
    // Read from the layout PdfReport prints.
    void wrapsOnlyBetweenWords_data()
    {
        QTest::addColumn<QString>("session");
        for (const char *s : {"vxlan-mtu-too-small", "ipip-mtu-too-small", "ipip-iptables-drop-server-request",
                              "vxlan-ipset-missing-client", "vxlan-tcpdump-missing", "ipip-healthy",
                              "vxlan-route-wrong-gateway", "vxlan-vxlan-fdb-stale"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void wrapsOnlyBetweenWords()
    {
        QFETCH(QString, session);
        auto run = testing::replayed(session);
        QVERIFY2(run, qPrintable("cannot replay " + session));
        const widgets::PdfReport pdf(run->diagnosis);
        const QTextDocument &doc = pdf.document();
        auto inWord = [](QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('_'); };
        int wrapped = 0;
        for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
            const QTextLayout *layout = b.layout();
            const QString text = b.text();
            const double left = doc.documentLayout()->blockBoundingRect(b).left();
            for (int i = 0; i < layout->lineCount(); ++i) {
                const QTextLine line = layout->lineAt(i);
                QVERIFY2(left + line.x() + line.naturalTextWidth() <= doc.pageSize().width() + 1,
                         qPrintable(QStringLiteral("runs off the page: ") + text.mid(line.textStart(), line.textLength())));
                if (i == 0)
                    continue;
                const int at = line.textStart();
                if (at <= 0 || at >= text.size() || text[at - 1] == QChar::LineSeparator)
                    continue;  // a <br>, not a wrap
                ++wrapped;
                QVERIFY2(!(inWord(text[at - 1]) && inWord(text[at])),
                         qPrintable(QStringLiteral("split inside a word: \"%1|%2\" in: %3")
                                        .arg(text.mid(std::max(0, at - 24), std::min(at, 24)), text.mid(at, 24), text.left(160))));
            }
        }
        QVERIFY(wrapped > 0);  // the check has lines to look at
    }

    // The count is honest: a body that grows past four pages is seen as such.
    void growingBodyIsCounted()
    {
        auto run = testing::replayed(QStringLiteral("vxlan-ipset-missing-client"));
        QVERIFY(run);
        diagnose::Diagnosis d = run->diagnosis;
        const int before = widgets::PdfReport(d).bodyPages();
        for (int i = 0; i < 200; ++i)
            d.findings.push_back(d.findings.front());
        const widgets::PdfReport longer(d);
        QVERIFY2(longer.bodyPages() > 4, qPrintable(QString::number(longer.bodyPages())));
        QVERIFY(longer.bodyPages() > before);
    }

    void unwritablePathSaysWhy()
    {
        auto run = testing::replayed(QStringLiteral("ipip-healthy"));
        QVERIFY(run);
        QString error;
        QVERIFY(!widgets::PdfReport(run->diagnosis).write(m_dir.filePath("missing/folder/r.pdf"), &error));
        QVERIFY2(error.contains(QStringLiteral("does not exist")) && error.contains(QStringLiteral("Choose another folder")),
                 qPrintable(error));
        QVERIFY(!error.contains('\n'));
    }
};

QTEST_MAIN(TestPdfReport)
#include "tst_pdf_report.moc"
