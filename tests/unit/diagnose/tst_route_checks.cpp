// Route checks on tables PodPath could or could not read: a VXLAN neighbour or FDB
// table that was never read is unknown, never "missing" (found on the lab as a sudo
// user, whose PATH has no /sbin/bridge); a table read with lines skipped says so.

#include "diagnose/route_checks.h"
#include "parse/bgp_sessions.h"
#include "parse/calico_log.h"
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
        QTest::addColumn<bool>("haveNeighbour");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("both read, entries present") << "" << "" << true << true << "pass" << "";
        QTest::newRow("fdb read, entry absent") << "" << "" << false << true << "fail" << "VXLAN_FDB_MISSING";
        QTest::newRow("fdb not readable") << "" << "`bridge fdb` failed (exit 127: bridge: not found)" << false << true
                                          << "unknown" << "";
        // No `bridge` (a BusyBox node): the neighbour table still judges what it can.
        QTest::newRow("fdb not readable, neighbour absent")
            << "" << "`bridge fdb` is not installed" << false << false << "fail" << "VXLAN_NEIGHBOUR_MISSING";
        QTest::newRow("neighbours not readable") << "`ip neigh` failed (exit 1: )" << "" << true << true << "unknown" << "";
    }
    void vxlanTables()
    {
        QFETCH(QString, neighProblem);
        QFETCH(QString, fdbProblem);
        QFETCH(bool, haveFdb);
        QFETCH(bool, haveNeighbour);
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
        if (haveNeighbour)
            node.neighbours = neigh->neighbours;
        if (haveFdb)
            node.fdb = fdb->entries;
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
            QVERIFY2(c.detail.find(fdbProblem.isEmpty() ? neighProblem.toStdString() : fdbProblem.toStdString()) !=
                         std::string::npos,
                     c.detail.c_str());
    }

    // The route a check expected, as the reader compares it with `ip route`: an `ip route`
    // line when every part is known, words where a part was not read, never a blank
    // ("dev  proto") nor a phrase where a device name belongs ("dev the tunnel device").
    void expectedRoute_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("block");    // the peer's pod block; empty: not read
        QTest::addColumn<QString>("device");   // this node's tunnel (or underlay) device; empty: not read
        QTest::addColumn<QString>("gateway");  // the peer's node IP (IPIP) or VXLAN address
        QTest::addColumn<QString>("expected");
        QTest::newRow("ipip, all known") << "ipip" << "198.18.20.128/26" << "tunl0" << "198.51.100.12"
                                         << "198.18.20.128/26 via 198.51.100.12 dev tunl0 onlink";
        QTest::newRow("vxlan, all known") << "vxlan" << "198.18.20.128/26" << "vxlan.calico" << "198.18.20.128"
                                          << "198.18.20.128/26 via 198.18.20.128 dev vxlan.calico onlink";
        QTest::newRow("no encapsulation, all known") << "none" << "198.18.20.128/26" << "ens3" << "198.51.100.12"
                                                     << "198.18.20.128/26 via 198.51.100.12 dev ens3";
        QTest::newRow("ipip, block not read")
            << "ipip" << "" << "tunl0" << "198.51.100.12"
            << "a route to the peer's pod block (the one holding 198.18.20.129) via 198.51.100.12 dev tunl0, onlink";
        QTest::newRow("ipip, device not read")
            << "ipip" << "198.18.20.128/26" << "" << "198.51.100.12"
            << "a route to 198.18.20.128/26 via 198.51.100.12 through the tunnel device, onlink";
        QTest::newRow("vxlan, nothing read")
            << "vxlan" << "" << "" << ""
            << "a route to the peer's pod block (the one holding 198.18.20.129) via the peer's VXLAN address through "
               "the tunnel device, onlink";
        QTest::newRow("no encapsulation, device not read")
            << "none" << "198.18.20.128/26" << "" << ""
            << "a route to 198.18.20.128/26 via the peer's node address out of the underlay device";
    }
    void expectedRoute()
    {
        QFETCH(QString, mode);
        QFETCH(QString, block);
        QFETCH(QString, device);
        QFETCH(QString, gateway);
        QFETCH(QString, expected);
        const auto m = *diagnose::encapsulationFromString(mode.toStdString());
        diagnose::NodeSnapshot node;
        diagnose::NodeFacts self, peer;
        (m == diagnose::Encapsulation::None ? self.underlayDevice : self.tunnelDevice) = device.toStdString();
        peer.podBlock = Ipv4Prefix::parse(block.toStdString());
        (m == diagnose::Encapsulation::Vxlan ? peer.tunnelIp : peer.nodeIp) = Ipv4::parse(gateway.toStdString());
        const diagnose::NodePair pair{diagnose::NodeRole::Client, node, self, peer, Ipv4::parse("198.18.20.129")};
        QCOMPARE(QString::fromStdString(diagnose::expectedRoute(m, pair)), expected);
        // The same words reach the finding when the route is missing.
        std::vector<diagnose::Finding> findings;
        const auto c = diagnose::checkRoute(m, pair, findings);
        QCOMPARE(QString::fromLatin1(diagnose::toString(c.status).data()), QStringLiteral("fail"));
        QVERIFY2(QString::fromStdString(c.detail).endsWith(QStringLiteral("; expected ") + expected), c.detail.c_str());
    }

    // A check built on a table with skipped lines names them, in its detail, evidence
    // and finding, whatever its verdict (issue #13): the route or entry it looked for
    // may be on such a line.
    void skippedLines_data()
    {
        QTest::addColumn<QByteArray>("routes");
        QTest::addColumn<QByteArray>("fdb");
        QTest::addColumn<QByteArray>("addr");
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("note");      // in the detail; "" for none
        QTest::addColumn<QString>("evidence");  // the first skipped-line evidence; "" for none
        const QByteArray route = "198.18.20.128/26 via 198.18.20.128 dev vxlan.calico onlink \n";
        const QByteArray entry = "66:5b:3e:9a:00:02 dev vxlan.calico dst 198.51.100.12 self permanent\n";
        const QByteArray device = "9: vxlan.calico: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN\n"
                                  "    link/ether 66:1f:7a:5c:00:01 brd ff:ff:ff:ff:ff:ff\n"
                                  "    inet 198.18.10.64/32 scope global vxlan.calico\n";
        QTest::newRow("nothing skipped") << route << entry << device << "route" << "pass" << "" << "";
        QTest::newRow("route passes, a line skipped")
            << "unspec 198.18.30.0/26 dev eth0 proto bird \n" + route << entry << device << "route" << "pass"
            << " (1 line of ip route output could not be read and was skipped: see the evidence)"
            << "skipped line 1 of ip route: not a route: unreadable destination \"unspec\": "
               "unspec 198.18.30.0/26 dev eth0 proto bird";
        QTest::newRow("route missing, a line skipped")
            << QByteArray("default via 198.51.100.254 dev eth0 \n198.18.20.128/33 via 198.18.20.128 dev vxlan.calico onlink\n")
            << entry << device << "route" << "unknown"
            << " (1 line of ip route output could not be read and was skipped: see the evidence)"
            << "skipped line 2 of ip route: not a route: unreadable destination \"198.18.20.128/33\": "
               "198.18.20.128/33 via 198.18.20.128 dev vxlan.calico onlink";
        QTest::newRow("fdb missing, two lines of two tables skipped")
            << "unspec 198.18.30.0/26 dev eth0 proto bird \n" + route
            << QByteArray("00:00:00:00:00:00 dev vxlan.calico dst 198.51.100.12 self permanent\n66:5b:3e:9a:00:0")
            << device << "route" << "unknown"
            << " (1 line of ip route and 1 line of bridge fdb output could not be read and were skipped: see the evidence)"
            << "skipped line 1 of ip route: not a route: unreadable destination \"unspec\": "
               "unspec 198.18.30.0/26 dev eth0 proto bird";
        // Found wrong is still wrong: the route read says so, whatever was skipped.
        QTest::newRow("route wrong gateway, a line skipped")
            << QByteArray("unspec 198.18.30.0/26 dev eth0 proto bird \n198.18.20.128/26 via 198.18.20.1 dev vxlan.calico onlink \n")
            << entry << device << "route" << "fail"
            << " (1 line of ip route output could not be read and was skipped: see the evidence)"
            << "skipped line 1 of ip route: not a route: unreadable destination \"unspec\": "
               "unspec 198.18.30.0/26 dev eth0 proto bird";
        QTest::newRow("tunnel missing, its line skipped")
            << route << entry
            << QByteArray("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN\n"
                          "    inet 127.0.0.1/8 scope host lo\n"
                          "9: vxlan.calico <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN\n"
                          "    inet 198.18.10.64/32 scope global vxlan.calico\n")
            << "tunnel-missing" << "unknown"
            << " (1 line of ip addr output could not be read and was skipped: see the evidence)"
            << "skipped line 3 of ip addr: interface line without \"<FLAGS>\"; the lines under it are skipped with it: "
               "9: vxlan.calico <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN";
        QTest::newRow("tunnel passes, a line skipped")
            << route << entry << device + "    inet 198.18.10.65/33 scope global vxlan.calico\n" << "tunnel" << "pass"
            << " (1 line of ip addr output could not be read and was skipped: see the evidence)"
            << "skipped line 4 of ip addr: inet line with an unreadable prefix length: "
               "inet 198.18.10.65/33 scope global vxlan.calico";
    }
    void skippedLines()
    {
        QFETCH(QByteArray, routes);
        QFETCH(QByteArray, fdb);
        QFETCH(QByteArray, addr);
        QFETCH(QString, check);
        QFETCH(QString, status);
        QFETCH(QString, note);
        QFETCH(QString, evidence);
        auto view = [](const QByteArray &b) { return std::string_view(b.constData(), std::size_t(b.size())); };
        auto r = parse::parseIpRoute(view(routes));
        auto n = parse::parseIpNeigh("198.18.20.128 dev vxlan.calico lladdr 66:5b:3e:9a:00:02 PERMANENT\n");
        auto f = parse::parseBridgeFdb(view(fdb));
        auto a = parse::parseIpAddr(view(addr));
        QVERIFY(r.ok() && n.ok() && f.ok() && a.ok());
        diagnose::NodeSnapshot node;
        node.routes = *r;
        node.neighbours = n->neighbours;
        node.fdb = f->entries;
        node.fdbUnreadable = f->unreadable;
        node.interfaces = a->interfaces;
        node.interfacesUnreadable = a->unreadable;
        diagnose::NodeFacts self, peer;
        self.hostname = "pplab-node1";
        self.tunnelDevice = "vxlan.calico";
        self.tunnelIp = Ipv4::parse("198.18.10.64");
        self.tunnelUp = true;
        self.tunnelMtu = 1450;
        self.underlayMtu = 1500;
        peer.nodeIp = Ipv4::parse("198.51.100.12");
        peer.tunnelIp = Ipv4::parse("198.18.20.128");
        std::vector<diagnose::Finding> findings;
        const diagnose::NodePair pair{diagnose::NodeRole::Client, node, self, peer, peer.tunnelIp};
        if (check == QLatin1String("tunnel-missing"))
            self.tunnelDevice.clear();  // as the node reader leaves it when no device was read
        const auto c = check == QLatin1String("route") ? diagnose::checkRoute(diagnose::Encapsulation::Vxlan, pair, findings)
                                                       : diagnose::checkTunnel(diagnose::Encapsulation::Vxlan, pair, findings);
        QCOMPARE(QString::fromLatin1(diagnose::toString(c.status).data()), status);
        const QString detail = QString::fromStdString(c.detail);
        if (note.isEmpty())
            QVERIFY2(!detail.contains("could not be read"), qPrintable(detail));
        else
            QVERIFY2(detail.endsWith(note), qPrintable(detail));
        QString skipped;
        for (const auto &e : c.evidence)
            if (e.starts_with("skipped line") && skipped.isEmpty())
                skipped = QString::fromStdString(e);
        QCOMPARE(skipped, evidence);
        // Missing, when the entry may be on a skipped line, is not known: no finding.
        QCOMPARE(findings.empty(), status != QLatin1String("fail"));
        // The finding says what the detail says, with the same evidence.
        if (!findings.empty()) {
            QCOMPARE(QString::fromStdString(findings.front().message), detail);
            QVERIFY(findings.front().evidence == c.evidence);
        }
    }
    // Without encapsulation the block may be routed via a router rather than the peer (a
    // fabric that learns the blocks by BGP, a reflector with next-hop-self). Such a route
    // is right when the node reaches the peer through the same router, or when the router
    // answers on the link; a gateway that does not answer is a stale route; one never
    // seen is not known (issue #16: these were ROUTE_WRONG_DEVICE, critical, on healthy
    // routed clusters).
    void throughARouter_data()
    {
        QTest::addColumn<QByteArray>("routes");
        QTest::addColumn<QByteArray>("neighbours");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("words");  // in the detail
        const QByteArray peerOnLink = "default via 198.51.100.254 dev eth0 \n"
                                      "198.51.100.0/24 dev eth0 proto kernel scope link src 198.51.100.11 \n"
                                      "blackhole 198.18.10.64/26 proto bird \n";
        const QByteArray viaTor = "198.18.20.128/26 via 198.51.100.254 dev eth0 proto bird \n";
        QTest::newRow("via the peer (full mesh)")
            << peerOnLink + "198.18.20.128/26 via 198.51.100.12 dev eth0 proto bird \n" << QByteArray() << "pass" << ""
            << "198.18.20.128/26 via 198.51.100.12 dev eth0 proto bird";
        QTest::newRow("via the router the peer is reached through")
            << QByteArray("default via 198.51.100.129 dev ens3 \n"
                          "198.51.100.128/25 dev ens3 proto kernel scope link src 198.51.100.140 \n"
                          "198.18.20.128/26 via 198.51.100.129 dev ens3 proto bird \n")
            << QByteArray() << "pass" << "" << "the peer node 198.51.100.12 is reached through the router 198.51.100.129 too";
        QTest::newRow("via a router on the peer's segment that answers")
            << peerOnLink + viaTor << QByteArray("198.51.100.254 dev eth0 lladdr 02:70:70:ff:ff:fe REACHABLE\n") << "pass"
            << "" << "198.51.100.254 is not the peer node but a router that answers on eth0 (lladdr 02:70:70:ff:ff:fe)";
        QTest::newRow("via a router that answered a while ago")
            << peerOnLink + viaTor << QByteArray("198.51.100.254 dev eth0 lladdr 02:70:70:ff:ff:fe STALE\n") << "pass"
            << "" << "answers on eth0";
        QTest::newRow("via an address that does not answer")
            << peerOnLink + "198.18.20.128/26 via 198.51.100.99 dev eth0 proto bird \n"
            << QByteArray("198.51.100.99 dev eth0 FAILED\n") << "fail" << "ROUTE_WRONG_GATEWAY"
            << "198.51.100.99 does not answer on eth0 (neighbour FAILED)";
        QTest::newRow("via an address never resolved")
            << peerOnLink + "198.18.20.128/26 via 198.51.100.99 dev eth0 proto bird \n"
            << QByteArray("198.51.100.99 dev eth0 INCOMPLETE\n") << "fail" << "ROUTE_WRONG_GATEWAY"
            << "does not answer on eth0 (neighbour INCOMPLETE)";
        QTest::newRow("via a router not in the neighbour table")
            << peerOnLink + viaTor << QByteArray("198.51.100.12 dev eth0 lladdr 02:70:70:00:00:02 REACHABLE\n") << "unknown"
            << "" << "it is not in pplab-node1's neighbour table, so whether a router answers there is not known";
        QTest::newRow("through the wrong device still fails")
            << peerOnLink + "198.18.20.128/26 via 198.51.100.254 dev eth1 proto bird \n" << QByteArray() << "fail"
            << "ROUTE_WRONG_DEVICE" << "out of eth1 instead of eth0";
    }
    void throughARouter()
    {
        QFETCH(QByteArray, routes);
        QFETCH(QByteArray, neighbours);
        QFETCH(QString, status);
        QFETCH(QString, code);
        QFETCH(QString, words);
        auto view = [](const QByteArray &b) { return std::string_view(b.constData(), std::size_t(b.size())); };
        auto r = parse::parseIpRoute(view(routes));
        auto n = parse::parseIpNeigh(view(neighbours));
        QVERIFY(r.ok() && n.ok());
        diagnose::NodeSnapshot node;
        node.routes = *r;
        node.neighbours = n->neighbours;
        diagnose::NodeFacts self, peer;
        self.hostname = "pplab-node1";
        self.nodeIp = Ipv4::parse("198.51.100.11");
        self.underlayDevice = routes.contains("ens3") ? "ens3" : "eth0";
        peer.nodeIp = Ipv4::parse("198.51.100.12");
        peer.podBlock = Ipv4Prefix::parse("198.18.20.128/26");
        std::vector<diagnose::Finding> findings;
        const diagnose::NodePair pair{diagnose::NodeRole::Client, node, self, peer, Ipv4::parse("198.18.20.130")};
        const auto c = diagnose::checkRoute(diagnose::Encapsulation::None, pair, findings);
        QCOMPARE(QString::fromLatin1(diagnose::toString(c.status).data()), status);
        QCOMPARE(findings.empty() ? QString() : QString::fromStdString(findings.front().code), code);
        QVERIFY2(QString::fromStdString(c.detail).contains(words), c.detail.c_str());
    }

    // A missing route is explained from BIRD's log only where BIRD programs it: without
    // encapsulation, and IPIP whose blocks are BIRD's (proto bird). From Calico 3.33 Felix
    // programs IPIP routes (proto 80), as it does VXLAN's: BGP says nothing about them.
    void missingRouteAndBird_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QByteArray>("blackhole");
        QTest::addColumn<QString>("birdLog");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("words");  // in the detail; "" when BIRD must not be named
        QTest::addColumn<QByteArray>("oddLine");  // an unreadable line of ip route, or ""
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("next");  // in the finding's next step, "" when not checked
        const QString down = "bird: Mesh_198_51_100_12: State changed to up\n"
                             "bird: Mesh_198_51_100_12: Received: Administrative shutdown\n"
                             "bird: Mesh_198_51_100_12: State changed to start\n";
        const QString up = "bird: Mesh_198_51_100_12: State changed to up\n";
        QTest::newRow("no encapsulation, session down") << "none" << QByteArray("proto bird") << down << "BGP_SESSION_DOWN"
                                                        << "(Mesh_198_51_100_12) is not established" << QByteArray() << "fail" << "";
        QTest::newRow("no encapsulation, session up") << "none" << QByteArray("proto bird") << up << "ROUTE_MISSING"
                                                      << "is up, yet the block did not come over it" << QByteArray() << "fail" << "";
        QTest::newRow("no encapsulation, no BIRD lines") << "none" << QByteArray("proto bird") << "bird: Started\n"
                                                         << "ROUTE_MISSING" << "" << QByteArray() << "fail" << "Calico's BIRD learns this route over BGP";
        QTest::newRow("IPIP, BIRD's blocks") << "ipip" << QByteArray("proto bird") << down << "BGP_SESSION_DOWN"
                                             << "is not established" << QByteArray() << "fail" << "";
        QTest::newRow("IPIP, Felix's blocks (3.33)") << "ipip" << QByteArray("proto 80") << down << "ROUTE_MISSING" << "" << QByteArray() << "fail" << "calico-node's Felix programs this route";
        QTest::newRow("VXLAN") << "vxlan" << QByteArray("proto 80") << down << "ROUTE_MISSING" << "" << QByteArray() << "fail" << "calico-node's Felix programs this route";
        // The session is down by BIRD's word, but the route may be on the line that could
        // not be read: not known, and no critical finding.
        QTest::newRow("session down, a line unreadable")
            << "none" << QByteArray("proto bird") << down << "" << "is not established"
            << QByteArray("unspec via 198.51.100.12 dev eth0 proto bird \n") << "unknown" << "";
    }
    void missingRouteAndBird()
    {
        QFETCH(QString, mode);
        QFETCH(QByteArray, blackhole);
        QFETCH(QString, birdLog);
        QFETCH(QString, code);
        QFETCH(QString, words);
        QFETCH(QByteArray, oddLine);
        QFETCH(QString, status);
        QFETCH(QString, next);
        const QByteArray routes = "default via 198.51.100.254 dev eth0 \n"
                                  "198.51.100.0/24 dev eth0 proto kernel scope link src 198.51.100.11 \n"
                                  "blackhole 198.18.10.64/26 " + blackhole + " \n" + oddLine;
        auto r = parse::parseIpRoute(std::string_view(routes.constData(), std::size_t(routes.size())));
        auto log = parse::parseCalicoLog(birdLog.toStdString());
        QVERIFY(r.ok() && log.ok());
        const std::vector<parse::BgpSession> sessions = parse::bgpSessions(*log);
        diagnose::NodeSnapshot node;
        node.routes = *r;
        diagnose::NodeFacts self, peer;
        self.hostname = "pplab-node1";
        self.nodeIp = Ipv4::parse("198.51.100.11");
        self.underlayDevice = "eth0";
        peer.hostname = "pplab-node2";
        peer.nodeIp = Ipv4::parse("198.51.100.12");
        std::vector<diagnose::Finding> findings;
        const diagnose::NodePair pair{diagnose::NodeRole::Client, node, self, peer, Ipv4::parse("198.18.20.130"), &sessions};
        const auto m = mode == QLatin1String("none")   ? diagnose::Encapsulation::None
                       : mode == QLatin1String("ipip") ? diagnose::Encapsulation::IpIp
                                                       : diagnose::Encapsulation::Vxlan;
        const auto c = diagnose::checkRoute(m, pair, findings);
        QCOMPARE(QString::fromLatin1(diagnose::toString(c.status).data()), status);
        QCOMPARE(findings.empty() ? QString() : QString::fromStdString(findings.front().code), code);
        const QString detail = QString::fromStdString(c.detail);
        if (words.isEmpty())
            QVERIFY2(!detail.contains(QLatin1String("BIRD")), c.detail.c_str());
        else
            QVERIFY2(detail.contains(words), c.detail.c_str());
        if (!next.isEmpty())
            QVERIFY2(!findings.empty() && QString::fromStdString(findings.front().nextStep).contains(next),
                     findings.empty() ? "no finding" : findings.front().nextStep.c_str());
    }
};

QTEST_GUILESS_MAIN(TestRouteChecks)
#include "tst_route_checks.moc"
