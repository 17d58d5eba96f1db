// The node list of `podpath matrix --nodes-file`, a recording's nodes.txt and the window's
// box: one node per line, comments and blanks skipped, anything else refused with its line;
// and a recorded matrix folder loads every node (one missing file: a node not reached).

#include "remote/cluster_sessions.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

class TestClusterSessions : public QObject {
    Q_OBJECT
private slots:
    void nodeList_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("nodes");  // empty with errorLine > 0: refused
        QTest::addColumn<int>("errorLine");
        QTest::newRow("plain") << QByteArray("root@node1\nnode-2\n") << QStringList{"root@node1", "node-2"} << 0;
        QTest::newRow("comments, blanks, spaces, CRLF")
            << QByteArray("# rack A\n\n  root@10.0.0.1:2222  \r\n\t worker-3\r\n#\n")
            << QStringList{"root@10.0.0.1:2222", "worker-3"} << 0;
        QTest::newRow("no final newline") << QByteArray("a\nb") << QStringList{"a", "b"} << 0;
        QTest::newRow("empty") << QByteArray("") << QStringList{} << 0;
        QTest::newRow("two on a line") << QByteArray("a\nnode1 node2\n") << QStringList{} << 2;
        QTest::newRow("tab inside") << QByteArray("node1\tnode2") << QStringList{} << 1;
        // Found by fuzz_node_list: a carriage return inside a line is no name.
        QTest::newRow("CR inside") << QByteArray("ok\nworker-3\r1\n") << QStringList{} << 2;
        QTest::newRow("NUL inside") << QByteArray("a\0b\n", 4) << QStringList{} << 1;
        QTest::newRow("too long") << QByteArray(2000, 'a') << QStringList{} << 1;
    }
    void nodeList()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, nodes);
        QFETCH(int, errorLine);
        const auto r = parseNodeList(std::string_view(text.constData(), std::size_t(text.size())), "nodes.txt");
        if (errorLine > 0) {
            QVERIFY(!r.ok());
            QCOMPARE(r.error().line, errorLine);
            QVERIFY(r.error().oneLine().find("nodes.txt") != std::string::npos);
            return;
        }
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
        QStringList got;
        for (const auto &n : *r)
            got << QString::fromStdString(n);
        QCOMPARE(got, nodes);
    }

    // A recorded six-node matrix loads as six replaying nodes; without node-3.json that node
    // is one not reached; without nodes.txt the folder is refused in one line.
    void recording_data()
    {
        QTest::addColumn<QString>("drop");  // a file taken out of the copy
        QTest::addColumn<int>("reached");
        QTest::newRow("whole") << QString() << 6;
        QTest::newRow("node-3.json missing") << "node-3.json" << 5;
        QTest::newRow("nodes.txt missing") << "nodes.txt" << -1;
    }
    void recording()
    {
        QFETCH(QString, drop);
        QFETCH(int, reached);
        QTemporaryDir tmp;
        const QDir from(QStringLiteral(PODPATH_FIXTURES "/matrix-sessions/vxlan-healthy"));
        for (const QString &f : from.entryList(QDir::Files))
            if (f != drop)
                QVERIFY(QFile::copy(from.filePath(f), tmp.filePath(f)));
        const auto r = loadClusterRecording(tmp.path().toStdString());
        if (reached < 0) {
            QVERIFY(!r.ok());
            QVERIFY(r.error().oneLine().find("podpath matrix --record") != std::string::npos);
            return;
        }
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
        QCOMPARE(r->size(), std::size_t(6));
        int got = 0;
        for (const auto &n : *r) {
            QVERIFY(n.host.starts_with("root@198.51.100."));
            if (n.shell) {
                ++got;
                QVERIFY(n.shell->info().replayed);
            } else {
                QCOMPARE(QString::fromStdString(n.error), QStringLiteral("not reached when the matrix was recorded"));
            }
        }
        QCOMPARE(got, reached);
    }
};

QTEST_GUILESS_MAIN(TestClusterSessions)
#include "tst_cluster_sessions.moc"
