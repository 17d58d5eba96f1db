// The path's mode and the echoes' target, read from the two nodes' tables. The lines are
// `ip addr` / `ip route` as the lab's nodes print them in each mode (tests/lab: up --mode
// ipip, --mode none, --mode none --fabric tor).
//
// Issue #16: a cluster without encapsulation routed through a top-of-rack router was taken
// for IPIP (its route "wrong device", critical), and one without a tunnel address was
// pinged at its block's network address, which the server blackholes: a healthy pair lost.

#include "diagnose/topology.h"
#include "parse/ip_addr.h"
#include "parse/ip_route.h"
#include "fixture_file.h"

#include <QtTest>

using namespace podpath;

namespace {

diagnose::NodeSnapshot node(const QByteArray &addr, const QByteArray &routes)
{
    diagnose::NodeSnapshot n;
    auto a = parse::parseIpAddr(std::string_view(addr.constData(), std::size_t(addr.size())));
    auto r = parse::parseIpRoute(std::string_view(routes.constData(), std::size_t(routes.size())));
    if (a.ok())
        n.interfaces = a->interfaces;
    if (r.ok())
        n.routes = *r;
    return n;
}

QByteArray eth0(int i)
{
    return "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n"
           "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
           "    inet 127.0.0.1/8 scope host lo\n"
           "2: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000\n"
           "    link/ether 02:70:70:00:00:0" + QByteArray::number(i) + " brd ff:ff:ff:ff:ff:ff link-netnsid 0\n"
           "    inet 198.51.100.1" + QByteArray::number(i) + "/24 scope global eth0\n";
}

QByteArray tunl0(int i)
{
    const QByteArray tun = i == 1 ? "198.18.10.64" : "198.18.20.128";
    return "3: tunl0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1480 qdisc fq_codel state UNKNOWN group default qlen 500\n"
           "    link/ipip 0.0.0.0 brd 0.0.0.0\n"
           "    inet " + tun + "/32 scope global tunl0\n";
}

// vxlan.calico as `ip -d addr` shows it on the lab's VXLAN nodes.
QByteArray vxlan(int i)
{
    const QByteArray n = QByteArray::number(i);
    return "5: vxlan.calico: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000\n"
           "    link/ether 66:5b:3e:9a:00:0" + n + " brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n"
           "    vxlan id 4096 local 198.51.100.1" + n + " dev eth0 srcport 0 0 dstport 4789 nolearning ttl auto ageing 300 \n"
           "    inet " + (i == 1 ? "198.18.10.64" : "198.18.20.128") + "/32 scope global vxlan.calico\n";
}

QByteArray routes(int i, const QByteArray &peerVia, const QByteArray &extra = {})
{
    const QByteArray own = i == 1 ? "198.18.10.64/26" : "198.18.20.128/26";
    const QByteArray peer = i == 1 ? "198.18.20.128/26" : "198.18.10.64/26";
    return "default via 198.51.100.254 dev eth0 \n"
           "198.51.100.0/24 dev eth0 proto kernel scope link src 198.51.100.1" + QByteArray::number(i) + " \n"
           "blackhole " + own + " proto bird \n" + peer + " " + peerVia + " \n" + extra;
}

} // namespace

class TestTopology : public QObject {
    Q_OBJECT
private slots:
    void modeAndTarget_data()
    {
        QTest::addColumn<QByteArray>("clientAddr");
        QTest::addColumn<QByteArray>("clientRoutes");
        QTest::addColumn<QByteArray>("serverAddr");
        QTest::addColumn<QByteArray>("serverRoutes");
        QTest::addColumn<QString>("serverPod");  // asked about; "" for none
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("target");     // "" for none
        QTest::newRow("ipip") << eth0(1) + tunl0(1) << routes(1, "via 198.51.100.12 dev tunl0 proto bird onlink")
                              << eth0(2) + tunl0(2) << routes(2, "via 198.51.100.11 dev tunl0 proto bird onlink") << ""
                              << "ipip" << "198.18.20.128";
        // The server's tunnel lost its address: an address in the block routed through the
        // tunnel still shows how far the packets get.
        QTest::newRow("ipip, server tunnel without address")
            << eth0(1) + tunl0(1) << routes(1, "via 198.51.100.12 dev tunl0 proto bird onlink")
            << eth0(2) + "3: tunl0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1480 qdisc fq_codel state UNKNOWN group default qlen 500\n"
                         "    link/ipip 0.0.0.0 brd 0.0.0.0\n"
            << routes(2, "via 198.51.100.11 dev tunl0 proto bird onlink") << "" << "ipip" << "198.18.20.128";
        QTest::newRow("bgp full mesh, pods asked") << eth0(1) << routes(1, "via 198.51.100.12 dev eth0 proto bird") << eth0(2)
                                                   << routes(2, "via 198.51.100.11 dev eth0 proto bird") << "198.18.20.130"
                                                   << "none" << "198.18.20.130";
        // Never the block's network address: the server blackholes it.
        QTest::newRow("bgp full mesh, nodes alone") << eth0(1) << routes(1, "via 198.51.100.12 dev eth0 proto bird") << eth0(2)
                                                    << routes(2, "via 198.51.100.11 dev eth0 proto bird") << "" << "none" << "";
        QTest::newRow("bgp via the top-of-rack router")
            << eth0(1) << routes(1, "via 198.51.100.254 dev eth0 proto bird") << eth0(2)
            << routes(2, "via 198.51.100.254 dev eth0 proto bird") << "198.18.20.130" << "none" << "198.18.20.130";
        // An administrator's blackhole is no pod block.
        QTest::newRow("bgp, an admin's blackhole first")
            << eth0(1) << "blackhole 203.0.113.0/24 \n" + routes(1, "via 198.51.100.254 dev eth0 proto bird") << eth0(2)
            << "blackhole 203.0.113.0/24 \n" + routes(2, "via 198.51.100.254 dev eth0 proto bird") << "198.18.20.130"
            << "none" << "198.18.20.130";
        // BGP lost the blocks (a session down): neither node routes the other's, and neither
        // has a tunnel device. Still unencapsulated, so the route is what fails, never a
        // tunnel the cluster does not run.
        const QByteArray noPeer1 = "default via 198.51.100.254 dev eth0 \n"
                                   "198.51.100.0/24 dev eth0 proto kernel scope link src 198.51.100.11 \n"
                                   "blackhole 198.18.10.64/26 proto bird \n";
        const QByteArray noPeer2 = QByteArray(noPeer1).replace("198.51.100.11", "198.51.100.12").replace("10.64/26", "20.128/26");
        QTest::newRow("bgp, the blocks withdrawn") << eth0(1) << noPeer1 << eth0(2) << noPeer2 << "198.18.20.130" << "none"
                                                   << "198.18.20.130";
        QTest::newRow("bgp, only the client's withdrawn")
            << eth0(1) << noPeer1 << eth0(2) << routes(2, "via 198.51.100.254 dev eth0 proto bird") << "198.18.20.130"
            << "none" << "198.18.20.130";
        // IPIP with the client's tunl0 gone (and its routes with it): the server's says IPIP.
        QTest::newRow("ipip, the client's tunnel gone")
            << eth0(1) << noPeer1 << eth0(2) + tunl0(2) << routes(2, "via 198.51.100.11 dev tunl0 proto bird onlink") << ""
            << "ipip" << "198.18.20.128";
        // VXLAN in CrossSubnet mode between nodes of one subnet: Felix routes the blocks
        // straight over the underlay (proto 80); the VTEP addresses answer unencapsulated.
        QTest::newRow("vxlan CrossSubnet, one subnet")
            << eth0(1) + vxlan(1) << routes(1, "via 198.51.100.12 dev eth0 proto 80") << eth0(2) + vxlan(2)
            << routes(2, "via 198.51.100.11 dev eth0 proto 80") << "" << "vxlan-crosssubnet-direct" << "198.18.20.128";
        // The client's route gone (only the default route left): the server's route back
        // says how the pair is carried, so its right route is not judged as the tunnel's.
        QTest::newRow("vxlan CrossSubnet, the client's route gone")
            << eth0(1) + vxlan(1) << noPeer1 << eth0(2) + vxlan(2) << routes(2, "via 198.51.100.11 dev eth0 proto 80") << ""
            << "vxlan-crosssubnet-direct" << "198.18.20.128";
        QTest::newRow("vxlan Always, the client's route gone")
            << eth0(1) + vxlan(1) << noPeer1 << eth0(2) + vxlan(2)
            << routes(2, "via 198.18.10.64 dev vxlan.calico onlink") << "" << "vxlan" << "198.18.20.128";
        // IPIP in CrossSubnet mode between nodes of one subnet: BIRD routes the blocks over
        // the underlay, tunl0 (with its address) kept for other subnets.
        QTest::newRow("ipip CrossSubnet, one subnet")
            << eth0(1) + tunl0(1) << routes(1, "via 198.51.100.12 dev eth0 proto bird") << eth0(2) + tunl0(2)
            << routes(2, "via 198.51.100.11 dev eth0 proto bird") << "" << "ipip-crosssubnet-direct" << "198.18.20.128";
        // BGP where the ipip module is loaded: a tunl0 without address is no IPIP.
        const QByteArray bareTunl0 = "3: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN group default qlen 1000\n"
                                     "    link/ipip 0.0.0.0 brd 0.0.0.0\n";
        QTest::newRow("bgp, tunl0 without address on both")
            << eth0(1) + bareTunl0 << routes(1, "via 198.51.100.12 dev eth0 proto bird") << eth0(2) + bareTunl0
            << routes(2, "via 198.51.100.11 dev eth0 proto bird") << "198.18.20.130" << "none" << "198.18.20.130";
        // One side through its tunnel, the other straight out: a wrong device, not a mode.
        QTest::newRow("ipip, client route out of eth0")
            << eth0(1) + tunl0(1) << routes(1, "via 198.51.100.12 dev eth0 proto bird onlink") << eth0(2) + tunl0(2)
            << routes(2, "via 198.51.100.11 dev tunl0 proto bird onlink") << "" << "ipip" << "198.18.20.128";
    }
    void modeAndTarget()
    {
        QFETCH(QByteArray, clientAddr);
        QFETCH(QByteArray, clientRoutes);
        QFETCH(QByteArray, serverAddr);
        QFETCH(QByteArray, serverRoutes);
        QFETCH(QString, serverPod);
        QFETCH(QString, mode);
        QFETCH(QString, target);
        const diagnose::NodeSnapshot c = node(clientAddr, clientRoutes), s = node(serverAddr, serverRoutes);
        QVERIFY(!c.interfaces.empty() && !c.routes.routes.empty() && !s.interfaces.empty());
        diagnose::NodeFacts cf = diagnose::nodeFacts(c), sf = diagnose::nodeFacts(s);
        diagnose::settleNodeIps(cf, c, sf, s);
        QCOMPARE(sf.nodeIp, Ipv4::parse("198.51.100.12"));
        QCOMPARE(QString::fromLatin1(diagnose::toString(diagnose::pathMode(c, cf, s, sf)).data()), mode);
        const auto pod = serverPod.isEmpty() ? std::nullopt : Ipv4::parse(serverPod.toStdString());
        const auto t = diagnose::echoTarget(c, cf, sf, pod);
        QCOMPARE(t ? QString::fromStdString(t->toString()) : QString(), target);
        // The server's block is known with or without a tunnel address.
        QCOMPARE(diagnose::ownBlock(s, sf), Ipv4Prefix::parse("198.18.20.128/26"));
    }

    // The router between the nodes, read from the route to the peer's node IP: on one
    // subnet none (never the default gateway when the peer is on-link), between subnets
    // the route's gateway, a host route's own router before the default.
    void routerBetweenNodes_data()
    {
        QTest::addColumn<QByteArray>("routes");
        QTest::addColumn<QString>("peer");
        QTest::addColumn<QString>("router");  // "" for none
        const QByteArray onLink24 = "default via 198.51.100.254 dev eth0 \n"
                                    "198.51.100.0/24 dev eth0 proto kernel scope link src 198.51.100.11 \n";
        const QByteArray halves = "default via 198.51.100.126 dev eth0 \n"
                                  "198.51.100.0/25 dev eth0 proto kernel scope link src 198.51.100.11 \n";
        QTest::newRow("one subnet") << onLink24 << "198.51.100.12" << "";
        QTest::newRow("two subnets, peer on the other") << halves << "198.51.100.140" << "198.51.100.126";
        QTest::newRow("two subnets, peer on the same") << halves << "198.51.100.13" << "";
        QTest::newRow("a host route through its own router")
            << onLink24 + "198.51.100.140 via 198.51.100.1 dev eth0 \n" << "198.51.100.140" << "198.51.100.1";
        QTest::newRow("unreachable peer") << QByteArray("198.51.100.0/24 dev eth0 proto kernel scope link src 198.51.100.11 \n"
                                                        "unreachable 198.51.100.128/25 \n")
                                          << "198.51.100.140" << "";
        QTest::newRow("no route at all") << QByteArray("198.51.100.0/25 dev eth0 proto kernel scope link src 198.51.100.11 \n")
                                         << "203.0.113.9" << "";
    }
    void routerBetweenNodes()
    {
        QFETCH(QByteArray, routes);
        QFETCH(QString, peer);
        QFETCH(QString, router);
        const diagnose::NodeSnapshot n = node(eth0(1), routes);
        QVERIFY(!n.routes.routes.empty());
        const auto got = diagnose::routerTowards(n, Ipv4::parse(peer.toStdString()));
        QCOMPARE(got ? QString::fromStdString(got->toString()) : QString(), router);
        QVERIFY(!diagnose::routerTowards(n, std::nullopt));
    }

    // A dual-stack node (the lab's, `up --mode vxlan --ipv6`): Felix's IPv6 VXLAN device is
    // recognised, never taken for the tunnel, and the IPv4 path's facts stay as they were.
    void dualStackRecognised_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("device");   // "" for none
        QTest::addColumn<QString>("address");
        QTest::newRow("text") << "ip/lab_dual_stack_addr_d.txt" << "vxlan-v6.calico" << "2001:db8:1800::40";
        QTest::newRow("json") << "ip/lab_dual_stack_addr_d.json" << "vxlan-v6.calico" << "2001:db8:1800::40";
        // IPv4 only, the VXLAN device with its link-local IPv6 address: not dual-stack.
        QTest::newRow("IPv4 VXLAN node") << "ip/a_addr_d_vxlan.txt" << "" << "";
    }
    void dualStackRecognised()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, device);
        QFETCH(QString, address);
        const std::string text = test::fixtureText(fixture);
        auto a = fixture.endsWith(QLatin1String(".json")) ? parse::parseIpAddrJson(text) : parse::parseIpAddr(text);
        QVERIFY(a.ok());
        diagnose::NodeSnapshot n;
        n.interfaces = a->interfaces;
        const diagnose::NodeFacts f = diagnose::nodeFacts(n);
        QCOMPARE(QString::fromStdString(f.ipv6TunnelDevice), device);
        QCOMPARE(QString::fromStdString(f.ipv6TunnelAddress), address);
        if (!device.isEmpty()) {
            QCOMPARE(f.tunnelDevice, std::string("vxlan.calico"));
            QCOMPARE(f.tunnelIp, Ipv4::parse("198.18.10.64"));
            QCOMPARE(f.nodeIp, Ipv4::parse("198.51.100.11"));
        }
    }

    // WireGuard's device as Felix leaves it (the shape of `ip addr` on a healthy node in
    // projectcalico/calico#8039, addresses in the lab's ranges): recognised, up, and never
    // taken for the tunnel (it holds a /32 from the block but routes nothing onlink).
    void wireGuardRecognised_data()
    {
        QTest::addColumn<QByteArray>("device");
        QTest::addColumn<QString>("encryption");  // "" for none
        const QByteArray wg = "40: wireguard.cali: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1440 qdisc noqueue state UNKNOWN group default qlen 1000\n"
                              "    link/none \n"
                              "    inet 198.18.10.65/32 scope global wireguard.cali\n"
                              "       valid_lft forever preferred_lft forever\n";
        QTest::newRow("wireguard.cali up") << wg << "wireguard.cali";
        QTest::newRow("wg-v6.cali up, no address yet")
            << QByteArray("44: wg-v6.cali: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN group default qlen 1000\n"
                          "    link/none \n")
            << "wg-v6.cali";
        QTest::newRow("wireguard.cali down") << QByteArray(wg).replace("UP,LOWER_UP", "").replace("state UNKNOWN", "state DOWN")
                                             << "";
        QTest::newRow("none") << QByteArray() << "";
    }
    void wireGuardRecognised()
    {
        QFETCH(QByteArray, device);
        QFETCH(QString, encryption);
        const diagnose::NodeSnapshot n =
            node(eth0(1) + tunl0(1) + device, routes(1, "via 198.51.100.12 dev tunl0 proto bird onlink"));
        const diagnose::NodeFacts f = diagnose::nodeFacts(n);
        QCOMPARE(QString::fromStdString(f.encryptionDevice), encryption);
        QCOMPARE(QString::fromStdString(f.tunnelDevice), QStringLiteral("tunl0"));
        QCOMPARE(f.tunnelIp, Ipv4::parse("198.18.10.64"));
    }
};

QTEST_GUILESS_MAIN(TestTopology)
#include "tst_topology.moc"
