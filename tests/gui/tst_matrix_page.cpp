// The window's cluster matrix page on recorded six-node matrices: the headline counts what
// the matrix shows, the pattern is said once, a click on a cell shows that pair (its path
// and findings) without running anything, and the picture is saved for a person to look at
// (screenshots/matrix-NAME.png).

#include "matrix_page.h"
#include "matrix_plot.h"
#include "diagnose/matrix_patterns.h"
#include "path_diagram_view.h"
#include "replayed_matrix.h"
#include "results_view.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QRegularExpression>
#include <QTabWidget>
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

    // A click lands on the cell drawn under it, whatever the order of the rows, chosen in
    // the page's "Order:" box.
    void clickPicksTheCell_data()
    {
        QTest::addColumn<int>("order");     // diagnose::MatrixOrder
        QTest::addColumn<QString>("shown");  // the rows, nodes from 1
        QTest::newRow("as given") << int(diagnose::MatrixOrder::AsGiven) << "1 2 3 4 5 6";
        QTest::newRow("by name") << int(diagnose::MatrixOrder::ByName) << "1 2 3 4 5 6";
        // pplab-node2 fails with everyone: its row and column first.
        QTest::newRow("failing nodes first") << int(diagnose::MatrixOrder::FailingFirst) << "2 1 3 4 5 6";
        QTest::newRow("clustered") << int(diagnose::MatrixOrder::Clustered) << "2 1 3 4 5 6";
    }
    void clickPicksTheCell()
    {
        QFETCH(int, order);
        QFETCH(QString, shown);
        const auto r = testing::replayedMatrix(QStringLiteral("ipip-tunnel-down"));
        QVERIFY(r.has_value());
        MatrixPage page(nullptr);
        page.resize(1400, 1100);
        page.show();
        page.setMatrix(r->matrix);
        QComboBox *box = page.orderBox();
        QCOMPARE(box->count(), 4);
        QCOMPARE(box->currentData().toInt(), int(diagnose::kDefaultMatrixOrder));
        box->setCurrentIndex(box->findData(order));
        QCOMPARE(page.plot()->orderKind(), diagnose::MatrixOrder(order));
        QTest::qWait(20);
        const auto &rows = page.plot()->order();
        QStringList got;
        for (std::size_t k : rows)
            got << QString::number(k + 1);
        QCOMPARE(got.join(' '), shown);
        QCustomPlot *p = page.plot()->plot();
        for (int row = 0; row < 6; ++row)
            for (int col = 0; col < 6; ++col) {
                const QPoint at(int(p->xAxis->coordToPixel(col)), int(p->yAxis->coordToPixel(row)));
                std::size_t c = 99, s = 99;
                QVERIFY(page.plot()->cellAt(at, c, s));
                QCOMPARE(c, rows[std::size_t(row)]);
                QCOMPARE(s, rows[std::size_t(col)]);
            }
        // A real click on the first row's second column shows that pair.
        QSignalSpy clicked(page.plot(), &MatrixPlot::cellClicked);
        QTest::mouseClick(p, Qt::LeftButton, {}, QPoint(int(p->xAxis->coordToPixel(1)), int(p->yAxis->coordToPixel(0))));
        QCOMPARE(clicked.count(), 1);
        const std::size_t c = rows[0], s = rows[1];
        QCOMPARE(page.pairView()->diagnosis().client.hostname, r->matrix.cell(c, s)->diagnosis.client.hostname);
        QCOMPARE(page.pairView()->diagnosis().server.hostname, r->matrix.cell(c, s)->diagnosis.server.hostname);
        // Each node keeps its number in every order: the row's label starts with it.
        auto *ticks = dynamic_cast<QCPAxisTickerText *>(p->yAxis->ticker().data());
        QVERIFY(ticks);
        QVERIFY2(ticks->ticks().value(0).startsWith(QString::number(c + 1) + " pplab-node" + QString::number(c + 1)),
                 qPrintable(ticks->ticks().value(0)));
    }

    // The underlay split in two, odd nodes from even (the healthy recording with every pair
    // across failing at the server's underlay in): clustered, two blocks of green on the
    // diagonal and red off it, the odd nodes first; saved as matrix-split-clustered.png.
    void splitClusteredIsTwoBlocks()
    {
        auto r = testing::replayedMatrix(QStringLiteral("vxlan-healthy"));
        QVERIFY(r.has_value());
        diagnose::ClusterMatrix m = r->matrix;
        for (auto &c : m.cells)
            if (c.client % 2 != c.server % 2) {
                diagnose::Diagnosis &d = c.diagnosis;
                d.verdict = diagnose::Verdict::Fail;
                d.firstFailingHop = diagnose::HopId::RequestServerIngress;
                bool lost = false;
                for (auto &h : d.hops) {
                    lost = lost || h.id == diagnose::HopId::RequestServerIngress;
                    if (lost && h.id != diagnose::HopId::RequestClientTunnel && h.id != diagnose::HopId::RequestClientEgress) {
                        h.status = h.id == diagnose::HopId::RequestServerIngress ? diagnose::Status::Fail : diagnose::Status::Skipped;
                        h.seen = 0;
                    }
                }
            }
        m.patterns = diagnose::findPatterns(m);
        QVERIFY(!m.patterns.empty());
        QCOMPARE(QString::fromStdString(m.patterns.front().code), QStringLiteral("CLUSTER_SPLIT"));
        MatrixPage page(nullptr);
        page.resize(1400, 1100);
        page.show();
        page.setMatrix(m);
        QCOMPARE(page.plot()->orderKind(), diagnose::MatrixOrder::Clustered);
        const auto &rows = page.plot()->order();
        QStringList got;
        for (std::size_t k : rows)
            got << QString::number(k + 1);
        QCOMPARE(got.join(' '), QStringLiteral("1 3 5 2 4 6"));
        QVERIFY2(page.patternsText().contains(QStringLiteral("2 groups")), qPrintable(page.patternsText()));
        QTest::qWait(50);
        QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
        QVERIFY(page.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/matrix-split-clustered.png")));
        // As given the same split is a checkerboard, for comparison.
        page.orderBox()->setCurrentIndex(page.orderBox()->findData(int(diagnose::MatrixOrder::AsGiven)));
        QTest::qWait(50);
        QVERIFY(page.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/matrix-split-as-given.png")));
    }
};

QTEST_MAIN(TestMatrixPage)
#include "tst_matrix_page.moc"
