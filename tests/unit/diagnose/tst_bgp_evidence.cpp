// Why a route BIRD programs is missing, from the node's BIRD log: the session that brings
// the peer's block is down (BGP_SESSION_DOWN), or up and the block never came (filtered,
// not advertised). The logs are the lab's real BIRD's and a Calico user's.
#include "diagnose/bgp_evidence.h"

#include "../fixture_file.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

namespace {

NodeFacts node(const char *name, const char *ip)
{
    NodeFacts f;
    f.host = f.hostname = name;
    f.nodeIp = Ipv4::parse(ip);
    return f;
}

std::vector<parse::BgpSession> sessionsOf(const std::string &text)
{
    auto log = parse::parseCalicoLog(text);
    return log.ok() ? parse::bgpSessions(*log) : std::vector<parse::BgpSession>{};
}

} // namespace

class TestBgpEvidence : public QObject {
    Q_OBJECT
private slots:
    void missingRoute_data()
    {
        QTest::addColumn<QString>("log");       // a fixture under logs/, or the text itself
        QTest::addColumn<QString>("self");      // node IP of the node whose route is missing
        QTest::addColumn<QString>("peer");      // node IP of the peer whose block it is
        QTest::addColumn<int>("account");       // 0 none, 1 session down, 2 session up
        QTest::addColumn<QStringList>("words");
        QTest::newRow("mesh, the peer shut it") << "lab_bird2_mesh_peer_shut_client.log" << "198.51.100.11" << "198.51.100.12" << 1
            << QStringList{"with server (Mesh_198_51_100_12) is not established", "went down at 2026-12-06 21:59:46",
                           "trying to reach the peer", "Received: Administrative shutdown", "withdrawn"};
        QTest::newRow("mesh, disabled here") << "lab_bird2_mesh_disabled_server.log" << "198.51.100.12" << "198.51.100.11" << 1
            << QStringList{"with server (Mesh_198_51_100_11)", "shut down on this side"};
        // Through a router: the node's only session is with it; up, so the block never came.
        QTest::newRow("router session up") << "lab_bird2_mesh_to_tor.log" << "198.51.100.11" << "198.51.100.12" << 2
            << QStringList{"with the BGP peer 198.51.100.254 (Global_198_51_100_254) is up since",
                           "the peer does not pass it on (is server's own session with it down?)"};
        QTest::newRow("mesh session up: not advertised") << "lab_bird2_restarted.log" << "198.51.100.11" << "198.51.100.12" << 2
            << QStringList{"with server (Mesh_198_51_100_12) is up", "server does not advertise it or a filter drops it"};
        // A Calico user's log (projectcalico/calico#8619): the peer 10.116.0.4 went to start.
        QTest::newRow("calico-node: the lost peer") << "calico_node_mixed_8619.log" << "10.116.0.2" << "10.116.0.4" << 1
            << QStringList{"(Mesh_10_116_0_4) is not established", "trying to reach the peer"};
        // Its other peer is up: the one that lost its block's route is the one to name.
        QTest::newRow("calico-node: the other peer") << "calico_node_mixed_8619.log" << "10.116.0.2" << "10.116.0.3" << 2
            << QStringList{"(Mesh_10_116_0_3) is up"};
        // Sessions with other nodes only (a mesh where the peer is not named): every one is
        // a carrier; one up is enough to say the block did not come, not that BGP is down.
        QTest::newRow("no session with the peer, one of two up") << "calico_node_mixed_8619.log" << "10.116.0.2"
                                                                << "10.116.0.9" << 2 << QStringList{"(Mesh_10_116_0_3) is up"};
        QTest::newRow("nothing in the log") << "bird: Started\n" << "198.51.100.11" << "198.51.100.12" << 0 << QStringList{};
        QTest::newRow("only the node itself") << "bird: Mesh_198_51_100_11: State changed to start\n" << "198.51.100.11"
                                              << "198.51.100.12" << 0 << QStringList{};
    }
    void missingRoute()
    {
        QFETCH(QString, log);
        QFETCH(QString, self);
        QFETCH(QString, peer);
        QFETCH(int, account);
        QFETCH(QStringList, words);
        const std::string text = log.endsWith(".log") ? test::fixtureText("logs/" + log) : log.toStdString();
        const auto sessions = sessionsOf(text);
        const NodeFacts me = node("client", qPrintable(self)), them = node("server", qPrintable(peer));
        const auto a = accountForMissingRoute(sessions, me, them);
        QCOMPARE(a.has_value(), account != 0);
        if (!a)
            return;
        QCOMPARE(a->sessionDown, account == 1);
        const QString said = QString::fromStdString(a->sentence);
        for (const QString &w : words)
            QVERIFY2(said.contains(w), qPrintable(w + " not in: " + said));
        QVERIFY(!a->evidence.empty());
        QVERIFY2(QString::fromStdString(a->evidence.front()).startsWith("bird: "), a->evidence.front().c_str());
    }

    // Both ends of a session report it down: the end whose BIRD shut it down (its log's
    // state "down") goes before the end that only saw its peer close it; nothing else moves.
    void sessionCause_data()
    {
        QTest::addColumn<QStringList>("findings");  // "blames code last-state", in order
        QTest::addColumn<QStringList>("order");     // the blames after
        QTest::newRow("the peer saw it closed, the server shut it") << QStringList{"route.client BGP_SESSION_DOWN start", "route.server BGP_SESSION_DOWN down"}
                                                                   << QStringList{"route.server", "route.client"};
        QTest::newRow("the client shut it: already first") << QStringList{"route.client BGP_SESSION_DOWN down", "route.server BGP_SESSION_DOWN start"}
                                                           << QStringList{"route.client", "route.server"};
        QTest::newRow("other findings keep their places")
            << QStringList{"policy.server POLICY_DROP -", "route.client BGP_SESSION_DOWN start", "logs.client CALICO_LOG_ERRORS -",
                           "route.server BGP_SESSION_DOWN down"}
            << QStringList{"policy.server", "route.server", "route.client", "logs.client"};
        QTest::newRow("one end only") << QStringList{"route.client BGP_SESSION_DOWN start"} << QStringList{"route.client"};
        QTest::newRow("a missing route is no session") << QStringList{"route.client BGP_SESSION_DOWN start", "route.server ROUTE_MISSING down"}
                                                       << QStringList{"route.client", "route.server"};
    }
    void sessionCause()
    {
        QFETCH(QStringList, findings);
        QFETCH(QStringList, order);
        std::vector<Finding> all;
        for (const QString &f : findings) {
            const QStringList w = f.split(' ');
            Finding one;
            one.blames = w[0].toStdString();
            one.code = w[1].toStdString();
            if (w[2] != QLatin1String("-"))
                one.evidence = {"bird: Mesh_198_51_100_12: State changed to " + w[2].toStdString() + " (21:44:35)"};
            all.push_back(one);
        }
        sessionCauseFirst(all);
        QStringList got;
        for (const auto &f : all)
            got << QString::fromStdString(f.blames);
        QCOMPARE(got, order);
    }
};

QTEST_GUILESS_MAIN(TestBgpEvidence)
#include "tst_bgp_evidence.moc"
