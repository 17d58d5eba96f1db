// The window's cluster matrix page on recorded six-node matrices: the headline counts what
// the matrix shows, the pattern is said once, a click on a cell shows that pair (its path
// and findings) without running anything, and the picture is saved for a person to look at
// (screenshots/matrix-NAME.png).

#include "matrix_page.h"
#include "matrix_plot.h"
#include "path_diagram_view.h"
#include "replayed_matrix.h"
#include "results_view.h"

#include <QDir>
#include <QtTest>
#include <qcustomplot.h>

using namespace podpath;
using namespace podpath::widgets;

class TestMatrixPage : public QObject {
    Q_OBJECT
private slots:
    void page_data()
    {
        QTest::addColumn<QString>("recording");
        QTest::addColumn<QString>("headline");
        QTest::addColumn<QString>("pattern");  // in the patterns' text; empty: "No pair failed."
        QTest::addColumn<int>("client");       // the pair shown first (from 0)
        QTest::addColumn<int>("server");
        QTest::newRow("healthy") << "vxlan-healthy" << "6 nodes, 30 ordered pairs: 30 pass, 0 fail"
                                 << "No pair failed." << 0 << 1;
        QTest::newRow("one pair") << "vxlan-iptables-drop-server-request" << "6 nodes, 30 ordered pairs: 28 pass, 2 fail"
                                  << "pplab-node1 and pplab-node2 fail with each other" << 0 << 1;
        QTest::newRow("one node") << "ipip-tunnel-down" << "6 nodes, 30 ordered pairs: 20 pass, 10 fail"
                                  << "pplab-node2 fails with every peer (10 pairs, both ways)" << 0 << 1;
    }
    void page()
    {
        QFETCH(QString, recording);
        QFETCH(QString, headline);
        QFETCH(QString, pattern);
        QFETCH(int, client);
        QFETCH(int, server);
        const auto r = testing::replayedMatrix(recording);
        QVERIFY(r.has_value());
        MatrixPage page(nullptr);
        page.resize(1400, 1100);
        page.show();
        page.setMatrix(r->matrix);
        QCOMPARE(page.headline(), headline);
        QVERIFY2(page.patternsText().contains(pattern), qPrintable(page.patternsText()));
        QVERIFY2(page.pairTitle().contains(QStringLiteral("pplab-node%1 → pplab-node%2").arg(client + 1).arg(server + 1)),
                 qPrintable(page.pairTitle()));
        // The pair below is that cell's own diagnosis.
        const auto *cell = r->matrix.cell(std::size_t(client), std::size_t(server));
        QVERIFY(cell);
        QVERIFY(page.pairView()->diagnosis().verdict == cell->diagnosis.verdict);
        QCOMPARE(page.pairView()->diagnosis().client.hostname, cell->diagnosis.client.hostname);
        QVERIFY(!page.pairView()->diagnosis().commands.empty());  // the nodes' commands are its evidence
        QTest::qWait(50);
        QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
        QVERIFY(page.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/matrix-%1.png").arg(recording)));
    }

    // A click lands on the cell drawn under it, whatever the order of the rows.
    void clickPicksTheCell_data()
    {
        QTest::addColumn<bool>("failingFirst");
        QTest::newRow("as given") << false;
        QTest::newRow("failing nodes first") << true;
    }
    void clickPicksTheCell()
    {
        QFETCH(bool, failingFirst);
        const auto r = testing::replayedMatrix(QStringLiteral("ipip-tunnel-down"));
        QVERIFY(r.has_value());
        MatrixPage page(nullptr);
        page.resize(1400, 1100);
        page.show();
        page.setMatrix(r->matrix);
        page.plot()->setFailingFirst(failingFirst);
        QTest::qWait(20);
        const auto &order = page.plot()->order();
        QCOMPARE(order.size(), std::size_t(6));
        if (failingFirst)
            QCOMPARE(order.front(), std::size_t(1));  // pplab-node2 fails with everyone
        QCustomPlot *p = page.plot()->plot();
        for (int row = 0; row < 6; ++row)
            for (int col = 0; col < 6; ++col) {
                const QPoint at(int(p->xAxis->coordToPixel(col)), int(p->yAxis->coordToPixel(row)));
                std::size_t c = 99, s = 99;
                QVERIFY(page.plot()->cellAt(at, c, s));
                QCOMPARE(c, order[std::size_t(row)]);
                QCOMPARE(s, order[std::size_t(col)]);
            }
        // A real click on the first row's second column shows that pair.
        QSignalSpy clicked(page.plot(), &MatrixPlot::cellClicked);
        QTest::mouseClick(p, Qt::LeftButton, {}, QPoint(int(p->xAxis->coordToPixel(1)), int(p->yAxis->coordToPixel(0))));
        QCOMPARE(clicked.count(), 1);
        const std::size_t c = order[0], s = order[1];
        QCOMPARE(page.pairView()->diagnosis().client.hostname, r->matrix.cell(c, s)->diagnosis.client.hostname);
        QCOMPARE(page.pairView()->diagnosis().server.hostname, r->matrix.cell(c, s)->diagnosis.server.hostname);
    }
};

QTEST_MAIN(TestMatrixPage)
#include "tst_matrix_page.moc"
