// The IPv6 path of a dual-stack pair (backend/diagnose/ipv6_path.cpp): when it is judged
// at all, each node's IPv6 route and VXLAN entries for the peer's IPv6 VTEP, and what a
// loss of the IPv6 echoes alone is blamed on. Tables in the forms the dual-stack lab's
// nodes print them (tests/fixtures/ip/lab_dual_stack_*; neighbour and FDB lines as
// `ip neigh` and `bridge fdb` print vxlan-v6.calico's entries there).

#include "diagnose/finding_codes.h"
#include "diagnose/ipv6_path.h"
#include "fixture_file.h"
#include "parse/ip_addr.h"
#include "parse/ip_neigh.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

namespace {

constexpr const char *kNeighbour = "2001:db8:1800::80 dev vxlan-v6.calico lladdr 66:5b:3e:9b:00:02 PERMANENT\n";
constexpr const char *kFdb = "66:5b:3e:9b:00:02 dev vxlan-v6.calico dst 2001:db8:100::12 self permanent\n";

NodeFacts dualStack(const char *name, const char *vtep6)
{
    NodeFacts f;
    f.hostname = name;
    f.tunnelDevice = "vxlan.calico";
    f.ipv6TunnelDevice = "vxlan-v6.calico";
    f.ipv6TunnelAddress = vtep6;
    return f;
}

// node1 as the lab's dual-stack fixtures have it; node2 holds 2001:db8:100::12 (node1's
// `ip -d addr` with its addresses renumbered).
NodeSnapshot client(const std::string &routes6, const std::string &neighbours, const std::string &fdb)
{
    NodeSnapshot n;
    n.routes = *parse::parseIpRoute(routes6);
    n.neighbours = parse::parseIpNeigh(neighbours)->neighbours;
    n.fdb = parse::parseBridgeFdb(fdb)->entries;
    return n;
}

NodeSnapshot server()
{
    std::string addr = test::fixtureText(QStringLiteral("ip/lab_dual_stack_addr_d.txt"));
    for (const auto &[from, to] : {std::pair{"2001:db8:100::11", "2001:db8:100::12"}, {"2001:db8:1800::40", "2001:db8:1800::80"}})
        for (auto at = addr.find(from); at != std::string::npos; at = addr.find(from))
            addr.replace(at, std::string(from).size(), to);
    NodeSnapshot n;
    n.interfaces = parse::parseIpAddr(addr)->interfaces;
    return n;
}

std::string without(std::string text, const std::string &line)
{
    const auto at = text.find(line);
    return at == std::string::npos ? text : text.erase(at, line.size());
}

} // namespace

class TestIpv6Path : public QObject {
    Q_OBJECT
private slots:
    // Judged only when both nodes carry the device with an address and the IPv4 path is
    // encapsulated (the hops are drawn for it); otherwise the reason, or nothing at all on
    // IPv4-only pairs.
    void echoTarget_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("clientVtep");  // "-": no IPv6 device; "": a device without address
        QTest::addColumn<QString>("serverVtep");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("whyNot");
        const int vxlan = int(Encapsulation::Vxlan);
        QTest::newRow("both dual-stack, VXLAN") << vxlan << "2001:db8:1800::40" << "2001:db8:1800::80" << "2001:db8:1800::80" << "";
        QTest::newRow("both dual-stack, IPIP for IPv4") << int(Encapsulation::IpIp) << "2001:db8:1800::40" << "2001:db8:1800::80"
                                                        << "2001:db8:1800::80" << "";
        QTest::newRow("IPv4 only") << vxlan << "-" << "-" << "" << "";
        QTest::newRow("only the server") << vxlan << "-" << "2001:db8:1800::80" << "" << "only server has an IPv6 VXLAN device";
        QTest::newRow("the client's device has no address") << vxlan << "" << "2001:db8:1800::80" << ""
                                                            << "client's IPv6 VXLAN device has no IPv6 address";
        QTest::newRow("IPv4 not encapsulated (CrossSubnet, same subnet)")
            << int(Encapsulation::VxlanCrossSubnetDirect) << "2001:db8:1800::40" << "2001:db8:1800::80" << ""
            << "the IPv4 path between them is not encapsulated";
    }
    void echoTarget()
    {
        QFETCH(int, mode);
        QFETCH(QString, clientVtep);
        QFETCH(QString, serverVtep);
        QFETCH(QString, target);
        QFETCH(QString, whyNot);
        auto facts = [](const char *name, const QString &vtep) {
            NodeFacts f;
            f.hostname = name;
            if (vtep != QLatin1String("-")) {
                f.ipv6TunnelDevice = "vxlan-v6.calico";
                f.ipv6TunnelAddress = vtep.toStdString();
            }
            return f;
        };
        std::string why;
        const auto got = ipv6EchoTarget(Encapsulation(mode), facts("client", clientVtep), facts("server", serverVtep), why);
        QCOMPARE(got ? QString::fromStdString(got->toString()) : QString(), target);
        QVERIFY2(whyNot.isEmpty() ? why.empty() : why.find(whyNot.toStdString()) != std::string::npos, why.c_str());
    }

    void route6_data()
    {
        QTest::addColumn<QString>("missingLine");  // taken out of the client's tables
        QTest::addColumn<QString>("fdb");          // the client's FDB
        QTest::addColumn<QString>("problem");      // why `ip -6 route` / `ip neigh` could not be read
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("as Felix programs it") << "" << kFdb << "" << "pass" << "" << "via 2001:db8:1800::80 dev vxlan-v6.calico";
        QTest::newRow("no route to the peer's block")
            << "2001:db8:1800::80/122 via 2001:db8:1800::80 dev vxlan-v6.calico proto 80 metric 1024 onlink pref medium\n"
            << kFdb << "" << "fail" << "IPV6_ROUTE_MISSING"
            << "routes the peer's IPv6 VTEP 2001:db8:1800::80 by 'default via 2001:db8:100::fe dev eth0', not through vxlan-v6.calico";
        QTest::newRow("no neighbour for the VTEP") << kNeighbour << kFdb << "" << "fail" << "IPV6_VXLAN_ENTRY_MISSING"
                                                   << "no neighbour entry for the peer's IPv6 VTEP";
        QTest::newRow("no FDB entry") << "" << "" << "" << "fail" << "IPV6_VXLAN_ENTRY_MISSING" << "no forwarding entry";
        QTest::newRow("FDB entry to an old address")
            << "" << "66:5b:3e:9b:00:02 dev vxlan-v6.calico dst 2001:db8:100::99 self permanent\n" << "" << "fail"
            << "IPV6_VXLAN_ENTRY_MISSING" << "to 2001:db8:100::99, which server does not hold";
        QTest::newRow("ip -6 route unread") << "" << kFdb << "`ip -6 route` could not be read (timed out)" << "unknown" << ""
                                            << "timed out";
    }
    void route6()
    {
        QFETCH(QString, missingLine);
        QFETCH(QString, fdb);
        QFETCH(QString, problem);
        QFETCH(QString, status);
        QFETCH(QString, code);
        QFETCH(QString, says);
        const std::string routes = test::fixtureText(QStringLiteral("ip/lab_dual_stack_route6.txt"));
        NodeSnapshot c = client(without(routes, missingLine.toStdString()), without(kNeighbour, missingLine.toStdString()),
                                fdb.toStdString());
        c.routes6Problem = problem.toStdString();
        std::vector<Finding> findings;
        const CheckResult r = checkRoute6(NodeRole::Client, c, dualStack("client", "2001:db8:1800::40"), server(),
                                          dualStack("server", "2001:db8:1800::80"), findings);
        QCOMPARE(r.id, std::string("route6.client"));
        QCOMPARE(QString::fromLatin1(toString(r.status).data()), status);
        QCOMPARE(findings.empty() ? QString() : QString::fromStdString(findings.front().code), code);
        QVERIFY2(r.detail.find(says.toStdString()) != std::string::npos, r.detail.c_str());
        if (!findings.empty()) {
            QCOMPARE(findings.front().blames, std::string("route6.client"));
            QVERIFY(!findings.front().evidence.empty());
        }
    }

    // A hop where only the IPv6 echoes died: a failed IPv6 table leads (the hop's node's
    // first), else a finding of its own at the hop, quoting the IPv6 packets.
    void ipv6Loss_data()
    {
        QTest::addColumn<QString>("failedCheck");
        QTest::addColumn<QString>("lead");
        QTest::newRow("the server's IPv6 entries") << "route6.server" << "IPV6_VXLAN_ENTRY_MISSING";
        QTest::newRow("nothing in the tables") << "" << "IPV6_ECHOES_LOST";
    }
    void ipv6Loss()
    {
        QFETCH(QString, failedCheck);
        QFETCH(QString, lead);
        Diagnosis d;
        d.client = dualStack("node1", "2001:db8:1800::40");
        d.server = dualStack("node2", "2001:db8:1800::80");
        d.findings.push_back(makeFinding(kCalicoLogErrors, "logs.client", "an error", {}, "read it"));
        for (const char *id : {"route6.client", "route6.server"}) {
            CheckResult c;
            c.id = id;
            c.status = failedCheck == QLatin1String(id) ? Status::Fail : Status::Pass;
            d.checks.push_back(c);
            if (c.status == Status::Fail)
                d.findings.push_back(makeFinding(kIpv6VxlanEntryMissing, id, "no FDB entry", {}, "bridge fdb"));
        }
        explainIpv6Loss(d, HopId::RequestServerIngress,
                        {"10:18:25.059564 eth0 Out IP 198.51.100.11 > 198.51.100.12: VXLAN vni 4096: IP 198.18.10.64 > 198.18.20.128: ICMP echo request",
                         "10:18:25.061000 eth0 Out IP6 2001:db8:100::11 > 2001:db8:100::12: VXLAN vni 4096: IP6 2001:db8:1800::40 > 2001:db8:1800::80: ICMP6 echo request"});
        QCOMPARE(QString::fromStdString(d.findings.front().code), lead);
        if (lead == QLatin1String("IPV6_ECHOES_LOST")) {
            QCOMPARE(d.findings.front().blames, std::string("request.server.ingress"));
            QCOMPARE(d.findings.front().evidence.size(), std::size_t(1));
            QVERIFY(d.findings.front().evidence.front().find(" IP6 ") != std::string::npos);
            QVERIFY(d.findings.front().message.find("server underlay in") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestIpv6Path)
#include "tst_ipv6_path.moc"
