// The cluster matrix from recorded six-node lab runs (tests/fixtures/matrix-sessions,
// record.sh): every ordered pair judged from the one burst, the faults in exactly their
// cells, every command answered by the recording, and the terminal and JSON say the same.

#include "replayed_matrix.h"
#include "report/json_report.h"
#include "diagnose/matrix_order.h"
#include "report/matrix_report.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

namespace {

// "client>server hop CODE" (nodes from 1) for every cell that did not pass.
QStringList failingCells(const ClusterMatrix &m)
{
    QStringList out;
    for (const auto &c : m.cells) {
        if (c.diagnosis.verdict == Verdict::Pass)
            continue;
        const std::string hop = c.diagnosis.firstFailingHop ? std::string(hopInfo(*c.diagnosis.firstFailingHop).key) : "-";
        const std::string code = c.diagnosis.findings.empty() ? "-" : c.diagnosis.findings.front().code;
        out << QString::fromStdString(std::to_string(c.client + 1) + ">" + std::to_string(c.server + 1) + " " + hop + " " + code);
    }
    out.sort();
    return out;
}

} // namespace

class TestMatrixReplay : public QObject {
    Q_OBJECT
private slots:
    void cells_data()
    {
        QTest::addColumn<QString>("recording");
        QTest::addColumn<QStringList>("failing");
        QTest::addColumn<QString>("grid");  // the terminal's rows of marks, one line per node
        QTest::newRow("vxlan healthy") << "vxlan-healthy" << QStringList{}
                                       << "-- ok ok ok ok ok|ok -- ok ok ok ok|ok ok -- ok ok ok|ok ok ok -- ok ok|"
                                          "ok ok ok ok -- ok|ok ok ok ok ok --";
        QTest::newRow("vxlan iptables-drop-server-request")
            << "vxlan-iptables-drop-server-request"
            << QStringList{"1>2 request.server.tunnel IPTABLES_DROP", "2>1 reply.client.tunnel IPTABLES_DROP"}
            << "-- F4 ok ok ok ok|F8 -- ok ok ok ok|ok ok -- ok ok ok|ok ok ok -- ok ok|ok ok ok ok -- ok|ok ok ok ok ok --";
        QTest::newRow("ipip tunnel-down")
            << "ipip-tunnel-down"
            << QStringList{"1>2 request.server.tunnel TUNNEL_DOWN", "2>1 request.client.tunnel TUNNEL_DOWN",
                           "2>3 request.client.tunnel TUNNEL_DOWN", "2>4 request.client.tunnel TUNNEL_DOWN",
                           "2>5 request.client.tunnel TUNNEL_DOWN", "2>6 request.client.tunnel TUNNEL_DOWN",
                           "3>2 request.server.tunnel TUNNEL_DOWN", "4>2 request.server.tunnel TUNNEL_DOWN",
                           "5>2 request.server.tunnel TUNNEL_DOWN", "6>2 request.server.tunnel TUNNEL_DOWN"}
            << "-- F4 ok ok ok ok|F1 -- F1 F1 F1 F1|ok F4 -- ok ok ok|ok F4 ok -- ok ok|ok F4 ok ok -- ok|ok F4 ok ok ok --";
    }
    void cells()
    {
        QFETCH(QString, recording);
        QFETCH(QStringList, failing);
        QFETCH(QString, grid);
        const auto r = testing::replayedMatrix(recording);
        QVERIFY2(r.has_value(), qPrintable("cannot load " + testing::matrixSessionDir(recording)));
        const ClusterMatrix &m = r->matrix;
        QVERIFY2(r->unmatched.empty(), r->unmatched.empty() ? "" : r->unmatched.front().c_str());
        QVERIFY(m.recorded);
        // Dated when it was recorded (no later than any pair's own clock), not when replayed.
        QVERIFY(!m.startedAt.empty());
        for (const auto &c : m.cells)
            QVERIFY2(m.startedAt <= c.diagnosis.startedAt, (m.startedAt + " after " + c.diagnosis.startedAt).c_str());
        QCOMPARE(m.nodes.size(), std::size_t(6));
        QCOMPARE(m.cells.size(), std::size_t(30));
        for (const auto &n : m.nodes)
            QVERIFY2(n.problem.empty() && !n.commands.empty(), n.problem.c_str());
        QCOMPARE(failingCells(m), failing);
        // The same cells as the terminal draws them.
        QStringList rows;
        for (std::size_t i = 0; i < m.nodes.size(); ++i) {
            QStringList row;
            for (std::size_t j = 0; j < m.nodes.size(); ++j)
                row << QString::fromStdString(report::matrixMark(m, i, j));
            rows << row.join(' ');
        }
        QCOMPARE(rows.join('|'), grid);
        QCOMPARE(report::matrixExitStatus(m), failing.isEmpty() ? 0 : 1);
        // Every pair was judged from its own echoes: each hop of a passing pair saw the
        // burst and the full-size probe (5 + 5) and nothing more.
        for (const auto &c : m.cells)
            if (c.diagnosis.verdict == Verdict::Pass)
                for (const auto &h : c.diagnosis.hops)
                    QCOMPARE(h.seen, 10);
    }

    // The terminal speaks in hop names, counts what it shows, and never prints an id.
    void terminalWords_data()
    {
        QTest::addColumn<QString>("recording");
        QTest::addColumn<QStringList>("says");
        QTest::newRow("healthy") << "vxlan-healthy" << QStringList{"6 nodes, 30 ordered pairs: 30 pass, 0 fail (replayed"};
        QTest::newRow("one pair") << "vxlan-iptables-drop-server-request"
                                  << QStringList{"28 pass, 2 fail", "Pairs that did not pass (2):",
                                                 "pplab-node1 -> pplab-node2: stops at server tunnel in: pplab-node2: a rule in filter INPUT dropped",
                                                 "pplab-node2 -> pplab-node1: stops at client tunnel in"};
    }
    void terminalWords()
    {
        QFETCH(QString, recording);
        QFETCH(QStringList, says);
        const auto r = testing::replayedMatrix(recording);
        QVERIFY(r.has_value());
        const QString text = QString::fromStdString(report::renderMatrixTerminal(r->matrix));
        for (const QString &s : says)
            QVERIFY2(text.contains(s), qPrintable("missing: " + s + "\n" + text));
        QVERIFY2(!text.contains(QStringLiteral("request.")) && !text.contains(QStringLiteral("reply.")), qPrintable(text));
        QVERIFY(!text.contains(QLatin1Char('\x1b')));  // no colour unless asked
    }

    // The terminal draws rows and columns in the order asked (matrix_order.h), each node
    // with the number it was given: clustered, the node cut off is the first row and column.
    void terminalOrder_data()
    {
        QTest::addColumn<QString>("recording");
        QTest::addColumn<int>("order");     // MatrixOrder
        QTest::addColumn<QString>("header");  // the columns' numbers
        QTest::addColumn<QString>("grid");    // "N: marks" per row, first row first
        QTest::newRow("one node, as given") << "ipip-tunnel-down" << int(MatrixOrder::AsGiven) << "1   2   3   4   5   6"
                                            << "1: -- F4 ok ok ok ok|2: F1 -- F1 F1 F1 F1|3: ok F4 -- ok ok ok|"
                                               "4: ok F4 ok -- ok ok|5: ok F4 ok ok -- ok|6: ok F4 ok ok ok --";
        QTest::newRow("one node, clustered") << "ipip-tunnel-down" << int(MatrixOrder::Clustered) << "2   1   3   4   5   6"
                                             << "2: -- F1 F1 F1 F1 F1|1: F4 -- ok ok ok ok|3: F4 ok -- ok ok ok|"
                                                "4: F4 ok ok -- ok ok|5: F4 ok ok ok -- ok|6: F4 ok ok ok ok --";
        QTest::newRow("one pair, clustered") << "vxlan-iptables-drop-server-request" << int(MatrixOrder::Clustered)
                                             << "1   2   3   4   5   6"
                                             << "1: -- F4 ok ok ok ok|2: F8 -- ok ok ok ok|3: ok ok -- ok ok ok|"
                                                "4: ok ok ok -- ok ok|5: ok ok ok ok -- ok|6: ok ok ok ok ok --";
        QTest::newRow("healthy, clustered") << "vxlan-healthy" << int(MatrixOrder::Clustered) << "1   2   3   4   5   6"
                                            << "1: -- ok ok ok ok ok|2: ok -- ok ok ok ok|3: ok ok -- ok ok ok|"
                                               "4: ok ok ok -- ok ok|5: ok ok ok ok -- ok|6: ok ok ok ok ok --";
    }
    void terminalOrder()
    {
        QFETCH(QString, recording);
        QFETCH(int, order);
        QFETCH(QString, header);
        QFETCH(QString, grid);
        const auto r = testing::replayedMatrix(recording);
        QVERIFY(r.has_value());
        const QString text = QString::fromStdString(report::renderMatrixTerminal(r->matrix, {}, MatrixOrder(order)));
        const QStringList lines = text.split('\n');
        static const QRegularExpression row(QStringLiteral("^(\\d+) +pplab-node(\\d+) +(.*)$"));
        QStringList rows;
        QString columns;
        for (const QString &l : lines) {
            if (l == QLatin1String("Nodes:"))
                break;
            if (const auto m = row.match(l); m.hasMatch()) {
                QCOMPARE(m.captured(1), m.captured(2));  // the node's own number
                rows << m.captured(1) + ": " + m.captured(3).simplified();
            } else if (rows.isEmpty() && l.startsWith(' ') && !l.trimmed().isEmpty()) {
                columns = l.trimmed();
            }
        }
        QCOMPARE(columns, header);
        QCOMPARE(rows.join('|'), grid);
        // The rows moved: the terminal says how and that the numbers stayed.
        QCOMPARE(text.contains(QStringLiteral("numbered as given")), !header.startsWith(QStringLiteral("1   2")));
    }

    // The JSON holds every pair's whole diagnosis, each one a document `podpath render` reads.
    void json()
    {
        const auto r = testing::replayedMatrix(QStringLiteral("vxlan-iptables-drop-server-request"));
        QVERIFY(r.has_value());
        const QJsonObject o = QJsonDocument::fromJson(report::toJsonBytes(r->matrix)).object();
        QCOMPARE(o["schema"].toString(), QStringLiteral("podpath-matrix"));
        QCOMPARE(o["nodes"].toArray().size(), 6);
        QCOMPARE(o["summary"].toObject()["fail"].toInt(), 2);
        QCOMPARE(o["summary"].toObject()["pass"].toInt(), 28);
        const QJsonArray pairs = o["pairs"].toArray();
        QCOMPARE(pairs.size(), 30);
        for (const auto &p : pairs) {
            const auto back = report::fromJson(QJsonDocument(p.toObject()["diagnosis"].toObject()).toJson());
            QVERIFY2(back.ok(), back.ok() ? "" : back.error().oneLine().c_str());
            QCOMPARE(QString::fromUtf8(toString(back->verdict).data()), p.toObject()["verdict"].toString());
        }
    }
};

QTEST_GUILESS_MAIN(TestMatrixReplay)
#include "tst_matrix_replay.moc"
