// The order the cluster matrix's nodes are drawn in (matrix_order.h), on matrices built
// here cell by cell: clustered puts a node cut off first as one band, the two sides of a
// split as two blocks, nodes not reached last, and keeps a healthy cluster as given; by
// name reads numbers as numbers; every order is a permutation, the same every time.

#include "diagnose/matrix_engine.h"
#include "diagnose/matrix_order.h"

#include <QtTest>

#include <algorithm>
#include <numeric>
#include <set>

using namespace podpath;
using namespace podpath::diagnose;

Q_DECLARE_METATYPE(podpath::diagnose::MatrixOrder)

namespace {

// Nodes "node1".."nodeN" (or `names`), every ordered pair of nodes reached judged: "3>5"
// (from 1) fails, "3>5?" is not proven, "3>5!" could not be judged, the rest pass.
// `unreached` (from 1) could not be connected: no cells.
ClusterMatrix matrix(int nodes, const QStringList &cells, const QList<int> &unreached = {}, const QStringList &names = {})
{
    ClusterMatrix m;
    for (int i = 0; i < nodes; ++i) {
        MatrixNode n;
        n.host = "root@" + (names.isEmpty() ? "node" + std::to_string(i + 1) : names[i].toStdString());
        n.facts.host = n.host;
        if (unreached.contains(i + 1))
            n.problem = "could not connect: no route to host";
        else
            n.facts.hostname = names.isEmpty() ? "node" + std::to_string(i + 1) : names[i].toStdString();
        m.nodes.push_back(n);
    }
    std::map<std::pair<std::size_t, std::size_t>, Verdict> verdicts;
    for (QString c : cells) {
        Verdict v = Verdict::Fail;
        if (c.endsWith('?'))
            v = Verdict::Incomplete, c.chop(1);
        else if (c.endsWith('!'))
            v = Verdict::Error, c.chop(1);
        const QStringList ends = c.split('>');
        verdicts[{std::size_t(ends[0].toInt() - 1), std::size_t(ends[1].toInt() - 1)}] = v;
    }
    for (std::size_t c = 0; c < m.nodes.size(); ++c)
        for (std::size_t s = 0; s < m.nodes.size(); ++s)
            if (c != s && m.nodes[c].problem.empty() && m.nodes[s].problem.empty()) {
                MatrixCell cell;
                cell.client = c;
                cell.server = s;
                const auto v = verdicts.find({c, s});
                cell.diagnosis.verdict = v == verdicts.end() ? Verdict::Pass : v->second;
                m.cells.push_back(cell);
            }
    return m;
}

// Every pair between `a` and `b`, both ways, failing.
QStringList across(const QList<int> &a, const QList<int> &b)
{
    QStringList out;
    for (int x : a)
        for (int y : b)
            out << QStringLiteral("%1>%2").arg(x).arg(y) << QStringLiteral("%1>%2").arg(y).arg(x);
    return out;
}

// Node `n` failing with every other of `nodes`, both ways.
QStringList cutOff(int n, int nodes)
{
    QList<int> rest;
    for (int i = 1; i <= nodes; ++i)
        if (i != n)
            rest << i;
    return across({n}, rest);
}

QString shown(const std::vector<std::size_t> &order)
{
    QStringList out;
    for (std::size_t i : order)
        out << QString::number(i + 1);
    return out.join(' ');
}

bool isPermutation(std::vector<std::size_t> order, std::size_t n)
{
    std::sort(order.begin(), order.end());
    for (std::size_t i = 0; i < order.size(); ++i)
        if (order[i] != i)
            return false;
    return order.size() == n;
}

} // namespace

class TestMatrixOrder : public QObject {
    Q_OBJECT
private slots:
    void order_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<QStringList>("cells");       // not passing, from 1
        QTest::addColumn<QList<int>>("unreached");   // from 1
        QTest::addColumn<MatrixOrder>("order");
        QTest::addColumn<QString>("expected");        // nodes from 1, first row first
        const QList<int> none;
        const QList<int> odd{1, 3, 5}, even{2, 4, 6};
        // A healthy cluster: nothing to group, every order but by name keeps it as given.
        QTest::newRow("healthy, clustered") << 6 << QStringList{} << none << MatrixOrder::Clustered << "1 2 3 4 5 6";
        QTest::newRow("healthy, failing first") << 6 << QStringList{} << none << MatrixOrder::FailingFirst << "1 2 3 4 5 6";
        QTest::newRow("healthy, as given") << 6 << QStringList{} << none << MatrixOrder::AsGiven << "1 2 3 4 5 6";
        QTest::newRow("every pair fails, clustered") << 4 << across({1, 2}, {3, 4}) + across({1}, {2}) + across({3}, {4})
                                                     << none << MatrixOrder::Clustered << "1 2 3 4";
        // One node cut off: its row and column, first, one band; the others as given.
        QTest::newRow("cut off, clustered") << 6 << cutOff(3, 6) << none << MatrixOrder::Clustered << "3 1 2 4 5 6";
        QTest::newRow("cut off, failing first") << 6 << cutOff(3, 6) << none << MatrixOrder::FailingFirst << "3 1 2 4 5 6";
        QTest::newRow("cut off, as given") << 6 << cutOff(3, 6) << none << MatrixOrder::AsGiven << "1 2 3 4 5 6";
        // Odd and even nodes on two sides of the underlay: two blocks. Failing first cannot
        // tell them apart (every node fails as much) and leaves a checkerboard.
        QTest::newRow("odd/even split, clustered") << 6 << across(odd, even) << none << MatrixOrder::Clustered << "1 3 5 2 4 6";
        QTest::newRow("odd/even split, failing first") << 6 << across(odd, even) << none << MatrixOrder::FailingFirst
                                                       << "1 2 3 4 5 6";
        QTest::newRow("odd/even split of 8, clustered") << 8 << across({1, 3, 5, 7}, {2, 4, 6, 8}) << none
                                                        << MatrixOrder::Clustered << "1 3 5 7 2 4 6 8";
        // A rack of three apart from five: the smaller side fails more pairs a node, first.
        QTest::newRow("3/5 split, clustered") << 8 << across({2, 5, 7}, {1, 3, 4, 6, 8}) << none << MatrixOrder::Clustered
                                              << "2 5 7 1 3 4 6 8";
        // A node failing with some peers: it, then those peers, then the rest.
        QTest::newRow("some peers, clustered") << 6 << across({2}, {4, 5}) << none << MatrixOrder::Clustered << "2 4 5 1 3 6";
        // One pair: side by side at the top, as given (seen from the other nodes, the two
        // fare alike).
        QTest::newRow("one pair, clustered") << 6 << across({1}, {5}) << none << MatrixOrder::Clustered << "1 5 2 3 4 6";
        // Not proven and not judged cells count as not passing too.
        QTest::newRow("not proven, clustered") << 4 << QStringList{"2>3?", "3>2!"} << none << MatrixOrder::Clustered
                                               << "2 3 1 4";
        // A node not reached has nothing to compare: last when clustered; failing first
        // counts it failing with everyone, as it always has.
        QTest::newRow("not reached, clustered") << 5 << QStringList{} << QList<int>{2} << MatrixOrder::Clustered << "1 3 4 5 2";
        QTest::newRow("not reached, failing first") << 5 << QStringList{} << QList<int>{2} << MatrixOrder::FailingFirst
                                                    << "2 1 3 4 5";
        QTest::newRow("not reached and cut off, clustered") << 6 << QStringList{"2>1", "1>2", "2>3", "3>2", "2>5", "5>2", "2>6", "6>2"}
                                                            << QList<int>{4} << MatrixOrder::Clustered << "2 1 3 5 6 4";
        QTest::newRow("two not reached, clustered") << 5 << across({3}, {1, 2}) << QList<int>{4, 1} << MatrixOrder::Clustered
                                                    << "2 3 5 1 4";
        QTest::newRow("one node") << 1 << QStringList{} << none << MatrixOrder::Clustered << "1";
        QTest::newRow("no node") << 0 << QStringList{} << none << MatrixOrder::Clustered << "";
    }
    void order()
    {
        QFETCH(int, nodes);
        QFETCH(QStringList, cells);
        QFETCH(QList<int>, unreached);
        QFETCH(MatrixOrder, order);
        QFETCH(QString, expected);
        const ClusterMatrix m = matrix(nodes, cells, unreached);
        const auto got = orderNodes(m, order);
        QCOMPARE(shown(got), expected);
        QVERIFY(isPermutation(got, m.nodes.size()));
    }

    // A split stays two blocks when a pair inside a side fails too, or one across passes.
    void splitWithNoiseIsTwoBlocks_data()
    {
        QTest::addColumn<QList<int>>("side");  // the other side: the rest of 8 nodes
        QTest::addColumn<QStringList>("fail");  // failing besides those across
        QTest::addColumn<QStringList>("pass");  // passing although across
        QTest::newRow("odd/even, one pair inside fails") << QList<int>{1, 3, 5, 7} << QStringList{"3>5"} << QStringList{};
        QTest::newRow("odd/even, one pair across passes") << QList<int>{1, 3, 5, 7} << QStringList{} << QStringList{"2>7"};
        QTest::newRow("odd/even, both") << QList<int>{1, 3, 5, 7} << QStringList{"4>6", "6>4"} << QStringList{"1>2"};
        QTest::newRow("3/5, one pair inside fails") << QList<int>{2, 5, 7} << QStringList{"1>8"} << QStringList{};
    }
    void splitWithNoiseIsTwoBlocks()
    {
        QFETCH(QList<int>, side);
        QFETCH(QStringList, fail);
        QFETCH(QStringList, pass);
        QList<int> rest;
        for (int i = 1; i <= 8; ++i)
            if (!side.contains(i))
                rest << i;
        QStringList cells = across(side, rest);
        for (const QString &p : pass)
            cells.removeAll(p);
        cells += fail;
        const auto got = orderNodes(matrix(8, cells), MatrixOrder::Clustered);
        QVERIFY(isPermutation(got, 8));
        // The side's nodes are one run, at the top or the bottom.
        std::vector<std::size_t> at;
        for (std::size_t k = 0; k < got.size(); ++k)
            if (side.contains(int(got[k]) + 1))
                at.push_back(k);
        QVERIFY2(at.back() - at.front() + 1 == at.size() && (at.front() == 0 || at.back() == 7), qPrintable(shown(got)));
    }

    void byName_data()
    {
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<QString>("expected");
        QTest::newRow("numbers as numbers") << QStringList{"node10", "node2", "node1", "node9"} << "3 2 4 1";
        QTest::newRow("prefixes and case") << QStringList{"worker-b", "Worker-a", "master", "worker"} << "3 4 2 1";
        QTest::newRow("numbers inside") << QStringList{"rack10-node1", "rack2-node10", "rack2-node2"} << "3 2 1";
        QTest::newRow("leading zeros: equal keeps the given order") << QStringList{"node02", "node2", "node1"} << "3 1 2";
        QTest::newRow("as given when sorted") << QStringList{"a1", "a2", "a3"} << "1 2 3";
    }
    void byName()
    {
        QFETCH(QStringList, names);
        QFETCH(QString, expected);
        const ClusterMatrix m = matrix(int(names.size()), {}, {}, names);
        QCOMPARE(shown(orderNodes(m, MatrixOrder::ByName)), expected);
    }

    // A node not reached has no hostname: it is named by the host the user gave.
    void byNameOfNodeNotReached()
    {
        const ClusterMatrix m = matrix(3, {}, {2}, {"node3", "node1", "node2"});
        QCOMPARE(shown(orderNodes(m, MatrixOrder::ByName)), QStringLiteral("2 3 1"));
    }

    // Every order of any matrix is a permutation of its nodes, and the same on every call.
    void everyOrderIsAPermutation()
    {
        std::uint32_t seed = 12345;  // a fixed sequence: the same matrices every run
        const auto next = [&seed] {
            seed = seed * 1664525u + 1013904223u;
            return seed >> 8;
        };
        for (int round = 0; round < 60; ++round) {
            const int n = int(next() % 14);
            QStringList cells;
            QList<int> unreached;
            for (int i = 1; i <= n; ++i) {
                if (next() % 7 == 0)
                    unreached << i;
                for (int j = 1; j <= n; ++j)
                    if (i != j)
                        switch (next() % 6) {
                        case 0: cells << QStringLiteral("%1>%2").arg(i).arg(j); break;
                        case 1: cells << QStringLiteral("%1>%2?").arg(i).arg(j); break;
                        case 2: cells << QStringLiteral("%1>%2!").arg(i).arg(j); break;
                        default: break;
                        }
            }
            const ClusterMatrix m = matrix(n, cells, unreached);
            for (const auto &o : kMatrixOrders) {
                const auto got = orderNodes(m, o.order);
                QVERIFY2(isPermutation(got, std::size_t(n)), qPrintable(shown(got)));
                QCOMPARE(orderNodes(m, o.order), got);
                if (o.order == MatrixOrder::Clustered)  // not reached: last, as given
                    for (int k = 0; k < unreached.size(); ++k)
                        QCOMPARE(int(got[got.size() - std::size_t(unreached.size()) + std::size_t(k)]) + 1,
                                 *std::next(std::set<int>(unreached.begin(), unreached.end()).begin(), k));
            }
        }
    }

    void words()
    {
        std::set<std::string_view> seen;
        for (const auto &o : kMatrixOrders) {
            QVERIFY(seen.insert(o.word).second);
            QCOMPARE(matrixOrderFromWord(o.word), std::optional<MatrixOrder>(o.order));
            QCOMPARE(matrixOrderWord(o.order), o.word);
        }
        QCOMPARE(seen.size(), std::size_t(4));
        QVERIFY(!matrixOrderFromWord("random"));
        QVERIFY(!matrixOrderFromWord(""));
        QCOMPARE(matrixOrderWord(kDefaultMatrixOrder), std::string_view("clustered"));
    }

    void nameComparison_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("before");
        QTest::newRow("2 < 10") << "node2" << "node10" << true;
        QTest::newRow("10 > 2") << "node10" << "node2" << false;
        QTest::newRow("equal") << "node2" << "node2" << false;
        QTest::newRow("02 = 2") << "node02" << "node2" << false;
        QTest::newRow("2 = 02") << "node2" << "node02" << false;
        QTest::newRow("prefix first") << "node" << "node1" << true;
        QTest::newRow("case aside") << "Node1" << "node2" << true;
        QTest::newRow("digit before letter") << "node1" << "nodea" << true;
        QTest::newRow("long numbers") << "n99999999999999999999" << "n100000000000000000000" << true;
        QTest::newRow("empty first") << "" << "a" << true;
    }
    void nameComparison()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, before);
        QCOMPARE(nameBefore(a.toStdString(), b.toStdString()), before);
    }

    // A hundred nodes, every pair judged: fast enough to re-order on every click of the box.
    void hundredNodesAreQuick()
    {
        QList<int> odd, even;
        for (int i = 1; i <= 100; ++i)
            (i % 2 ? odd : even) << i;
        const ClusterMatrix m = matrix(100, across(odd, even));
        QElapsedTimer t;
        t.start();
        const auto got = orderNodes(m, MatrixOrder::Clustered);
        QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(int(got[0]) + 1, 1);
        QCOMPARE(int(got[50]) + 1, 2);
    }
};

QTEST_GUILESS_MAIN(TestMatrixOrder)
#include "tst_matrix_order.moc"
