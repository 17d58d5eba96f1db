// BIRD's BGP sessions read from calico-node's log: the lab's real BIRD (bird2) and lines
// Calico users published (BIRD 1.x), each shape the log comes in.
#include "parse/bgp_sessions.h"

#include "../fixture_file.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::parse;

namespace {

// "Mesh_198_51_100_12 mesh 198.51.100.12 start, down since 21:59:46, Received: Administrative shutdown"
QString describe(const BgpSession &s)
{
    QString out = QString::fromStdString(s.name) + " " + QString::fromLatin1(toString(s.kind).data()) + " " +
                  QString::fromStdString(s.peer) + " " + QString::fromStdString(s.state);
    if (s.downSince)
        out += ", down since " + QString::fromStdString(formatTimestamp(s.downSince->micros, 0)).mid(11);
    if (!s.problem.empty())
        out += ", " + QString::fromStdString(s.problem);
    return out;
}

QStringList sessionsIn(const std::string &text)
{
    auto log = parseCalicoLog(text);
    QStringList out;
    if (!log.ok())
        return {"unreadable: " + QString::fromStdString(log.error().message)};
    for (const auto &s : bgpSessions(*log))
        out << describe(s);
    return out;
}

} // namespace

class TestBgpSessions : public QObject {
    Q_OBJECT
private slots:
    void fromLogFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("sessions");
        QTest::newRow("lab: the peer shut the session") << "lab_bird2_mesh_peer_shut_client.log"
            << QStringList{"Mesh_198_51_100_12 mesh 198.51.100.12 start, down since 21:59:46, Received: Administrative shutdown"};
        QTest::newRow("lab: disabled on this side") << "lab_bird2_mesh_disabled_server.log"
            << QStringList{"Mesh_198_51_100_11 mesh 198.51.100.11 down, down since 21:59:46"};
        // The mesh session's closing states come after "Removing protocol": it is gone.
        QTest::newRow("lab: reconfigured from mesh to a router") << "lab_bird2_mesh_to_tor.log"
            << QStringList{"Global_198_51_100_254 global 198.51.100.254 up"};
        QTest::newRow("lab: BIRD shut down and started again") << "lab_bird2_restarted.log"
            << QStringList{"Mesh_198_51_100_12 mesh 198.51.100.12 up"};
        // kubectl logs calico-node (projectcalico/calico#8619): one peer up, one gone to start.
        QTest::newRow("calico-node: one peer lost") << "calico_node_mixed_8619.log"
            << QStringList{"Mesh_10_116_0_3 mesh 10.116.0.3 up", "Mesh_10_116_0_4 mesh 10.116.0.4 start"};
        // Socket errors and connection attempts without a state line: nothing is known.
        QTest::newRow("calico-node: socket errors, no states") << "bird_socket_error_node519.log" << QStringList{};
        QTest::newRow("calico-node: connects, no states") << "bird_bgp_unexpected_connect_1071.log" << QStringList{};
    }
    void fromLogFiles()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, sessions);
        QCOMPARE(sessionsIn(test::fixtureText("logs/" + file)), sessions);
    }

    // One line at a time, in the wrappers and forms calico-node's log takes.
    void lines_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("sessions");
        QTest::newRow("svlogd") << "2026-12-06_21:59:46.48140 bird: Mesh_198_51_100_12: State changed to up\n"
                                << QStringList{"Mesh_198_51_100_12 mesh 198.51.100.12 up"};
        QTest::newRow("CRI") << "2026-12-06T21:59:46.481400000Z stdout F bird: Global_198_51_100_254: State changed to start\n"
                             << QStringList{"Global_198_51_100_254 global 198.51.100.254 start"};
        QTest::newRow("bare") << "bird: Node_198_51_100_9_port_1790: State changed to up\n"
                              << QStringList{"Node_198_51_100_9_port_1790 node 198.51.100.9 up"};
        QTest::newRow("IPv6 (bird6)") << "bird6: Mesh_2001_db8__12: State changed to up\n"
                                      << QStringList{"Mesh_2001_db8__12 mesh 2001:db8::12 up"};
        QTest::newRow("up, then lost") << "bird: Mesh_198_51_100_12: State changed to up\n"
                                          "bird: Mesh_198_51_100_12: Error: Hold timer expired\n"
                                          "bird: Mesh_198_51_100_12: State changed to stop\n"
                                          "bird: Mesh_198_51_100_12: State changed to start\n"
                                       << QStringList{"Mesh_198_51_100_12 mesh 198.51.100.12 start, Error: Hold timer expired"};
        QTest::newRow("back up clears the problem") << "bird: Mesh_198_51_100_12: State changed to start\n"
                                                       "bird: Mesh_198_51_100_12: Socket error: Connection refused\n"
                                                       "bird: Mesh_198_51_100_12: State changed to up\n"
                                                    << QStringList{"Mesh_198_51_100_12 mesh 198.51.100.12 up"};
        QTest::newRow("removed, then added again") << "bird: Mesh_198_51_100_12: State changed to up\n"
                                                      "bird: Removing protocol Mesh_198_51_100_12\n"
                                                      "bird: Mesh_198_51_100_12: State changed to down\n"
                                                      "bird: Adding protocol Mesh_198_51_100_12\n"
                                                      "bird: Mesh_198_51_100_12: Initializing\n"
                                                      "bird: Mesh_198_51_100_12: State changed to start\n"
                                                   << QStringList{"Mesh_198_51_100_12 mesh 198.51.100.12 start"};
        // BIRD's own protocols and names Calico does not write are no BGP sessions.
        QTest::newRow("not Calico's sessions") << "bird: kernel1: State changed to up\n"
                                                  "bird: device1: State changed to up\n"
                                                  "bird: Mesh_: State changed to up\n"
                                                  "bird: Mesh_999_1_1_1: State changed to up\n"
                                                  "bird: Global_198_51_100: State changed to up\n"
                                                  "bird: Mesh_198_51_100_12: State changed to half up\n"
                                                  "felix: Mesh_198_51_100_12: State changed to up\n"
                                               << QStringList{};
    }
    void lines()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, sessions);
        QCOMPARE(sessionsIn(text.toStdString()), sessions);
    }
};

QTEST_GUILESS_MAIN(TestBgpSessions)
#include "tst_bgp_sessions.moc"
