// Route checks on tables PodPath could or could not read: a VXLAN neighbour or FDB
// table that was never read is unknown, never "missing" (found on the lab as a sudo
// user, whose PATH has no /sbin/bridge).

#include "diagnose/route_checks.h"
#include "parse/ip_neigh.h"

#include <QtTest>

using namespace podpath;
using diagnose::Status;

class TestRouteChecks : public QObject {
    Q_OBJECT
private slots:
    void vxlanTables_data()
    {
        QTest::addColumn<QString>("neighProblem");
        QTest::addColumn<QString>("fdbProblem");
        QTest::addColumn<bool>("haveFdb");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("both read, entries present") << "" << "" << true << "pass" << "";
        QTest::newRow("fdb read, entry absent") << "" << "" << false << "fail" << "VXLAN_FDB_MISSING";
        QTest::newRow("fdb not readable") << "" << "`bridge fdb` failed (exit 127: bridge: not found)" << false
                                          << "unknown" << "";
        QTest::newRow("neighbours not readable") << "`ip neigh` failed (exit 1: )" << "" << true << "unknown" << "";
    }
    void vxlanTables()
    {
        QFETCH(QString, neighProblem);
        QFETCH(QString, fdbProblem);
        QFETCH(bool, haveFdb);
        QFETCH(QString, status);
        QFETCH(QString, code);
        // Real lines from the VXLAN lab (tests/fixtures/lab).
        auto routes = parse::parseIpRoute("198.18.20.128/26 via 198.18.20.128 dev vxlan.calico onlink \n");
        QVERIFY(routes.ok());
        auto neigh = parse::parseIpNeigh("198.18.20.128 dev vxlan.calico lladdr 66:5b:3e:9a:00:02 PERMANENT\n");
        QVERIFY(neigh.ok());
        auto fdb = parse::parseBridgeFdb("66:5b:3e:9a:00:02 dev vxlan.calico dst 198.51.100.12 self permanent\n");
        QVERIFY(fdb.ok());
        diagnose::NodeSnapshot node;
        node.routes = *routes;
        node.neighbours = *neigh;
        if (haveFdb)
            node.fdb = *fdb;
        node.neighboursProblem = neighProblem.toStdString();
        node.fdbProblem = fdbProblem.toStdString();
        diagnose::NodeFacts self, peer;
        self.hostname = "pplab-node1";
        self.tunnelDevice = "vxlan.calico";
        self.tunnelIp = Ipv4::parse("198.18.10.64");
        peer.nodeIp = Ipv4::parse("198.51.100.12");
        peer.tunnelIp = Ipv4::parse("198.18.20.128");
        std::vector<diagnose::Finding> findings;
        const auto c = diagnose::checkRoute(diagnose::Encapsulation::Vxlan,
                                            {diagnose::NodeRole::Client, node, self, peer, peer.tunnelIp}, findings);
        QCOMPARE(QString::fromLatin1(diagnose::toString(c.status).data()), status);
        QCOMPARE(findings.empty() ? QString() : QString::fromStdString(findings.front().code), code);
        if (status == QLatin1String("unknown"))
            QVERIFY2(c.detail.find("failed") != std::string::npos, c.detail.c_str());
    }
};

QTEST_GUILESS_MAIN(TestRouteChecks)
#include "tst_route_checks.moc"
