// `ip route` (text, -d, -j, show table all) and RouteTable::routeFor, against real
// outputs recorded in network namespaces (tests/fixtures/ip/README.md) and the
// troubleshooting guide's sample.
#include "ip_describe.h"

#include "parse/text.h"

#include <QtTest>

using namespace iptest;

namespace {

QString field(const Route &r, const QString &name)
{
    if (name == "type") return q(toString(r.type));
    if (name == "via") return q(r.gateway);
    if (name == "dev") return q(r.device);
    if (name == "proto") return r.protocol ? q(*r.protocol) : QStringLiteral("(none)");
    if (name == "protoNumber") return num(r.protocolNumber());
    if (name == "scope") return q(r.scope);
    if (name == "src") return q(r.source);
    if (name == "metric") return num(r.metric);
    if (name == "table") return q(r.table);
    if (name == "mtu") return num(r.mtu);
    if (name == "flags") return list(r.flags);
    if (name == "nexthops") {
        QStringList out;
        for (const auto &n : r.nexthops)
            out << describe(n);
        return out.join("; ");
    }
    qFatal("unknown field %s", qPrintable(name));
}

// The route with this destination (and metric, when several share it).
const Route *find(const RouteTable &t, const QString &destination)
{
    auto parts = destination.split(' ');
    auto prefix = Ipv4Prefix::parse(parts[0].toStdString());
    for (const auto &r : t.routes)
        if (prefix && r.destination == *prefix &&
            (parts.size() < 2 || r.metric.value_or(0) == parts[1].toUInt()))
            return &r;
    return nullptr;
}

Result<RouteTable> parseBytes(const QByteArray &input)
{
    return parseIpRoute(std::string_view(input.constData(), std::size_t(input.size())));
}

} // namespace

class TestIpRoute : public QObject {
    Q_OBJECT
private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("routes");
        QTest::addColumn<int>("ipv6");
        for (auto form : {".txt", ".json"}) {
            auto row = [&](const char *base, int routes, int ipv6) {
                QString f = QString(base) + form;
                QTest::newRow(qPrintable(f)) << f << routes << ipv6;
            };
            row("a_route", 18, 0);
            row("lab_dual_stack_route6", 0, 13);
            row("a_route_all", 28, 13);
            row("a_route_d", 18, 0);
            row("a_route_linkdown", 18, 0);
            row("b_route", 3, 0);
        }
        QTest::newRow("a_route_pretty.json") << "a_route_pretty.json" << 18 << 0;
        QTest::newRow("guide_route.txt") << "guide_route.txt" << 1 << 0;
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(int, routes);
        QFETCH(int, ipv6);
        auto input = readFixture(file);
        auto r = parseIpRoute(input);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
        QCOMPARE(int(r->routes.size()), routes);
        QCOMPARE(int(r->routes6.size()), ipv6);
        QVERIFY2(r->unreadable.empty(), qPrintable(describe(r->unreadable)));
        auto explicitForm = file.endsWith(".json") ? parseIpRouteJson(input) : parseIpRouteText(input);
        QVERIFY(explicitForm.ok() && *explicitForm == *r);
    }

    void textEqualsJson_data()
    {
        QTest::addColumn<QString>("textFile");
        QTest::addColumn<QString>("jsonFile");
        for (auto base : {"a_route", "a_route_all", "a_route_d", "a_route_linkdown", "b_route"})
            QTest::newRow(base) << QString(base) + ".txt" << QString(base) + ".json";
        QTest::newRow("pretty json") << "a_route.txt" << "a_route_pretty.json";
    }
    void textEqualsJson()
    {
        QFETCH(QString, textFile);
        QFETCH(QString, jsonFile);
        auto text = parseIpRouteText(readFixture(textFile));
        auto json = parseIpRouteJson(readFixture(jsonFile));
        QVERIFY(text.ok() && json.ok());
        QCOMPARE(describe(*text), describe(*json));
        QVERIFY(*text == *json);
    }

    void details_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("destination");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        auto both = [](const char *base) { return QStringList{QString(base) + ".txt", QString(base) + ".json"}; };
        auto row = [](const QStringList &files, const char *dst, const char *field, const QString &expected) {
            QTest::newRow(qPrintable(files.first() + " " + dst + " " + field)) << files << dst << field << expected;
        };
        // The guide's sample, double space and all.
        row({"guide_route.txt"}, "172.16.252.64/26", "via", "10.99.224.143");
        row({"guide_route.txt"}, "172.16.252.64/26", "dev", "tunl0");
        row({"guide_route.txt"}, "172.16.252.64/26", "proto", "bird");
        row({"guide_route.txt"}, "172.16.252.64/26", "protoNumber", "12");
        row({"guide_route.txt"}, "172.16.252.64/26", "flags", "onlink");
        // Calico's shapes.
        row(both("a_route"), "0.0.0.0/0", "via", "198.51.100.254");
        row(both("a_route"), "0.0.0.0/0", "proto", "(none)");
        row(both("a_route"), "0.0.0.0/0", "protoNumber", "3");
        row(both("a_route"), "198.18.50.0/26", "via", "198.51.100.2");
        row(both("a_route"), "198.18.50.0/26", "dev", "tunl0");
        row(both("a_route"), "198.18.50.0/26", "proto", "bird");
        row(both("a_route"), "198.18.50.0/26", "flags", "onlink");
        row(both("a_route"), "198.18.51.0/26", "proto", "80");
        row(both("a_route"), "198.18.51.0/26", "protoNumber", "80");
        row(both("a_route"), "198.18.40.0/26", "via", "198.18.40.0");
        row(both("a_route"), "198.18.40.0/26", "dev", "vxlan.calico");
        row(both("a_route"), "198.18.40.0/26", "proto", "(none)");
        row(both("a_route"), "198.18.40.0/26", "flags", "onlink");
        row(both("a_route"), "198.18.52.0/26", "dev", "eth0");
        row(both("a_route"), "198.18.52.0/26", "proto", "80");
        row(both("a_route"), "198.18.10.0/26", "type", "blackhole");
        row(both("a_route"), "198.18.10.0/26", "proto", "bird");
        row(both("a_route"), "198.18.10.0/26", "dev", "");
        row(both("a_route"), "198.18.20.0/26", "type", "blackhole");
        row(both("a_route"), "198.18.10.5/32", "dev", "cali12ab34cd56e");
        row(both("a_route"), "198.18.10.5/32", "scope", "link");
        row(both("a_route"), "198.18.60.0/24", "type", "unreachable");
        row(both("a_route"), "198.18.61.0/24", "type", "prohibit");
        row(both("a_route"), "198.18.62.0/24", "type", "throw");
        row(both("a_route"), "198.18.70.0/24", "proto", "static");
        row(both("a_route"), "198.18.70.0/24", "dev", "");
        row(both("a_route"), "198.18.70.0/24", "nexthops",
            "via 198.51.100.2 dev eth0 weight 1 flags ; via 198.51.100.3 dev eth0 weight 2 flags ");
        row(both("a_route"), "198.18.80.0/24 50", "via", "198.51.100.4");
        row(both("a_route"), "198.18.80.0/24 100", "via", "198.51.100.3");
        row(both("a_route"), "198.18.90.0/24", "src", "198.51.100.1");
        row(both("a_route"), "198.18.90.0/24", "via", "-");
        row(both("a_route"), "198.18.91.0/24", "mtu", "1400");
        row(both("a_route"), "198.51.100.0/24", "proto", "kernel");
        row(both("a_route"), "198.51.100.0/24", "protoNumber", "2");
        row(both("a_route"), "198.51.100.0/24", "metric", "-");
        row(both("a_route_linkdown"), "198.18.50.0/26", "flags", "onlink,linkdown");
        row(both("a_route_linkdown"), "198.18.99.2/32", "flags", "linkdown");
        row(both("a_route_d"), "0.0.0.0/0", "type", "unicast");
        row(both("a_route_d"), "0.0.0.0/0", "proto", "boot");
        row(both("a_route_d"), "0.0.0.0/0", "scope", "global");
        row(both("a_route_all"), "198.18.92.0/24", "table", "100");
        row(both("a_route_all"), "127.0.0.0/8", "type", "local");
        row(both("a_route_all"), "127.0.0.0/8", "table", "local");
        row(both("a_route_all"), "127.0.0.0/8", "scope", "host");
        row(both("a_route_all"), "198.51.100.255/32", "type", "broadcast");
        row(both("b_route"), "198.18.10.0/26", "via", "198.18.10.0");
        row(both("b_route"), "198.18.40.0/26", "proto", "80");
    }
    void details()
    {
        QFETCH(QStringList, files);
        QFETCH(QString, destination);
        QFETCH(QString, field);
        QFETCH(QString, expected);
        for (const auto &file : files) {
            auto t = parseIpRoute(readFixture(file));
            QVERIFY(t.ok());
            auto r = find(*t, destination);
            QVERIFY2(r, qPrintable(file + ": no route " + destination));
            QCOMPARE(::field(*r, field), expected);
        }
    }

    // "Which route carries packets to the peer's block or tunnel address?"
    void routeFor_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("expected");  // destination, or "none"
        QTest::addColumn<QString>("via");
        QTest::newRow("IPIP block") << "a_route.txt" << "198.18.50.9" << "main" << "198.18.50.0/26" << "198.51.100.2";
        QTest::newRow("VXLAN peer tunnel IP") << "a_route.json" << "198.18.40.0" << "main" << "198.18.40.0/26" << "198.18.40.0";
        QTest::newRow("own block is blackholed") << "a_route.txt" << "198.18.10.9" << "main" << "198.18.10.0/26" << "-";
        QTest::newRow("/32 beats the block") << "a_route.txt" << "198.18.10.5" << "main" << "198.18.10.5/32" << "-";
        QTest::newRow("lowest metric wins") << "a_route.txt" << "198.18.80.1" << "main" << "198.18.80.0/24" << "198.51.100.4";
        QTest::newRow("underlay is connected") << "a_route.txt" << "198.51.100.2" << "" << "198.51.100.0/24" << "-";
        QTest::newRow("default catches the rest") << "a_route.txt" << "203.0.113.1" << "main" << "0.0.0.0/0" << "198.51.100.254";
        QTest::newRow("table all: main ignores table 100") << "a_route_all.txt" << "198.18.92.1" << "main" << "0.0.0.0/0" << "198.51.100.254";
        QTest::newRow("table all: table 100") << "a_route_all.txt" << "198.18.92.1" << "100" << "198.18.92.0/24" << "198.51.100.2";
        QTest::newRow("table all: local table") << "a_route_all.json" << "198.51.100.1" << "local" << "198.51.100.1/32" << "-";
        QTest::newRow("no default: none") << "b_route.txt" << "203.0.113.1" << "main" << "none" << "-";
        QTest::newRow("VXLAN-only node to peer block") << "b_route.json" << "198.18.10.3" << "main" << "198.18.10.0/26" << "198.18.10.0";
        QTest::newRow("guide sample") << "guide_route.txt" << "172.16.252.64" << "main" << "172.16.252.64/26" << "10.99.224.143";
        QTest::newRow("empty table") << "" << "198.18.0.1" << "main" << "none" << "-";
    }
    void routeFor()
    {
        QFETCH(QString, file);
        QFETCH(QString, address);
        QFETCH(QString, table);
        QFETCH(QString, expected);
        QFETCH(QString, via);
        auto t = file.isEmpty() ? parseIpRoute("") : parseIpRoute(readFixture(file));
        QVERIFY(t.ok());
        auto r = t->routeFor(*Ipv4::parse(address.toStdString()), table.toStdString());
        QCOMPARE(r ? q(r->destination.toString()) : QStringLiteral("none"), expected);
        if (r)
            QCOMPARE(q(r->gateway), via);
    }

    void protocolNumber_data()
    {
        QTest::addColumn<QString>("proto");
        QTest::addColumn<QString>("number");
        QTest::newRow("bird") << "bird" << "12";
        QTest::newRow("80") << "80" << "80";
        QTest::newRow("kernel") << "kernel" << "2";
        QTest::newRow("static") << "static" << "4";
        QTest::newRow("unknown name") << "felix" << "-";
        QTest::newRow("out of range") << "300" << "-";
    }
    void protocolNumber()
    {
        QFETCH(QString, proto);
        QFETCH(QString, number);
        Route r;
        r.protocol = proto.toStdString();
        QCOMPARE(num(r.protocolNumber()), number);
    }

    // Shapes not recordable here, in iproute2's print format (iproute.c).
    void shapes_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("destination");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("route get with cache line")
            << QByteArray("198.18.40.5 via 198.18.40.0 dev vxlan.calico src 198.18.10.0 uid 0 \n    cache \n")
            << "198.18.40.5/32" << "src" << "198.18.10.0";
        QTest::newRow("mtu lock") << QByteArray("198.18.0.0/24 via 198.51.100.2 dev eth0 mtu lock 1400 advmss 1360\n")
                                  << "198.18.0.0/24" << "mtu" << "1400";
        QTest::newRow("nhid") << QByteArray("198.18.0.0/24 nhid 12 via 198.51.100.2 dev eth0 proto bgp metric 20\n")
                              << "198.18.0.0/24" << "proto" << "bgp";
        QTest::newRow("IPv6 nexthop of IPv4 route")
            << QByteArray("198.18.0.0/24 via inet6 fe80::1 dev eth0 proto bird\n") << "198.18.0.0/24" << "via" << "-";
        QTest::newRow("via inet") << QByteArray("198.18.0.0/24 via inet 198.51.100.2 dev eth0\n")
                                  << "198.18.0.0/24" << "via" << "198.51.100.2";
        QTest::newRow("encap skipped")
            << QByteArray("198.18.0.0/24  encap mpls  200 via 198.51.100.2 dev eth0 \n") << "198.18.0.0/24" << "dev" << "eth0";
        QTest::newRow("dead nexthop")
            << QByteArray("198.18.0.0/24 proto bird metric 32\n\tnexthop via 198.51.100.2 dev tunl0 weight 1 onlink dead linkdown \n"
                          "\tnexthop via 198.51.100.3 dev tunl0 weight 1 onlink \n")
            << "198.18.0.0/24" << "nexthops"
            << "via 198.51.100.2 dev tunl0 weight 1 flags onlink,dead,linkdown; via 198.51.100.3 dev tunl0 weight 1 flags onlink";
        QTest::newRow("expires and tos skipped")
            << QByteArray("198.18.0.0/24 tos 0x10 via 198.51.100.2 dev eth0 expires 300sec\n") << "198.18.0.0/24" << "via" << "198.51.100.2";
        QTest::newRow("json via object")
            << QByteArray(R"([{"dst":"198.18.0.0/24","via":{"family":"inet","host":"198.51.100.9"},"dev":"eth0","flags":[]}])")
            << "198.18.0.0/24" << "via" << "198.51.100.9";
        QTest::newRow("json mtu metric")
            << QByteArray(R"([{"dst":"198.18.0.0/24","metrics":[{"mtu":1400,"advmss":1360}],"flags":[]}])")
            << "198.18.0.0/24" << "mtu" << "1400";
    }
    void shapes()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, destination);
        QFETCH(QString, field);
        QFETCH(QString, expected);
        auto t = parseBytes(input);
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().oneLine().c_str());
        auto r = find(*t, destination);
        QVERIFY(r);
        QCOMPARE(::field(*r, field), expected);
    }

    // A dual-stack node's IPv6 routes, read as the IPv4 ones are: the route the kernel
    // picks for an address of a peer's block, its gateway, device, protocol and flags.
    void ipv6RouteFor_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("destination");
        QTest::addColumn<QString>("route");  // "" when none
        for (const char *file : {"lab_dual_stack_route6.txt", "lab_dual_stack_route6.json", "lab_dual_stack_route_all.txt"}) {
            auto row = [&](const char *what, const char *destination, const char *route) {
                QTest::addRow("%s: %s", file, what) << file << destination << route;
            };
            row("a peer's block through vxlan-v6.calico", "2001:db8:1800::85",
                "unicast 2001:db8:1800::80/122 via 2001:db8:1800::80 dev vxlan-v6.calico proto 80 metric 1024 flags onlink hops 0");
            row("the own block, blackholed", "2001:db8:1800::41", "blackhole 2001:db8:1800::40/122 via - dev lo proto 80 metric 1024 flags  hops 0");
            row("the own VTEP's /128 wins over its block", "2001:db8:1800::40",
                "unicast 2001:db8:1800::40/128 via - dev vxlan-v6.calico proto kernel metric 256 flags  hops 0");
            row("a pod's /128", "2001:db8:1800::42", "unicast 2001:db8:1800::42/128 via - dev cali1234567890a proto - metric 1024 flags  hops 0");
            row("a multipath block", "2001:db8:1800::c5", "unicast 2001:db8:1800::c0/122 via - dev  proto 80 metric 1024 flags  hops 2");
            row("the underlay", "2001:db8:100::13", "unicast 2001:db8:100::/64 via - dev eth0 proto kernel metric 256 flags  hops 0");
            row("anything else by the default route", "2001:db8:999::1",
                "unicast ::/0 via 2001:db8:100::fe dev eth0 proto - metric 1024 flags  hops 0");
        }
    }
    void ipv6RouteFor()
    {
        QFETCH(QString, file);
        QFETCH(QString, destination);
        QFETCH(QString, route);
        const auto t = parseIpRoute(readFixture(file));
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().oneLine().c_str());
        const Route6 *r = t->routeFor(*podpath::Ipv6::parse(destination.toStdString()));
        QVERIFY(r);
        QCOMPARE(q(toString(r->type)) + " " + q(r->destination.toString()) + " via " + q(r->gateway) + " dev " + q(r->device) +
                     " proto " + (r->protocol ? q(*r->protocol) : "-") + " metric " + num(r->metric) + " flags " +
                     list(r->flags) + " hops " + QString::number(r->nexthops.size()),
                 route);
        if (r->nexthops.size() == 2) {
            QCOMPARE(q(r->nexthops[0].gateway), QStringLiteral("2001:db8:1800::c0"));
            QCOMPARE(q(r->nexthops[0].device), QStringLiteral("vxlan-v6.calico"));
            QCOMPARE(q(r->nexthops[1].gateway), QStringLiteral("2001:db8:100::13"));
        }
        // Text and JSON read the same table.
        if (file.endsWith(QLatin1String("route6.txt")))
            QCOMPARE(describe(t->routes6), describe(parseIpRoute(readFixture("lab_dual_stack_route6.json"))->routes6));
    }

    void ipv6Counted_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("routes");
        QTest::addColumn<int>("ipv6");
        QTest::newRow("IPv6 default with pref")
            << QByteArray("default via fe80::1 dev eth0 proto ra metric 1024 expires 1797sec hoplimit 64 pref medium\n"
                          "default via 198.51.100.254 dev eth0\n") << 1 << 1;
        QTest::newRow("IPv6 unreachable default")
            << QByteArray("unreachable default dev lo proto kernel metric 4294967295 error -101 pref medium\n") << 0 << 1;
        QTest::newRow("IPv6 multipath nexthops skipped too")
            << QByteArray("2001:db8::/64 proto static metric 1024 pref medium\n\tnexthop via fe80::1 dev eth0 weight 1 \n"
                          "198.18.0.0/24 dev eth0\n") << 1 << 1;
        QTest::newRow("json IPv6") << QByteArray(R"([{"dst":"fe80::/64","dev":"eth0","pref":"medium"},{"dst":"default","gateway":"fe80::1","pref":"medium"}])")
                                   << 0 << 2;
    }
    void ipv6Counted()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, routes);
        QFETCH(int, ipv6);
        auto t = parseBytes(input);
        QVERIFY(t.ok());
        QCOMPARE(int(t->routes.size()), routes);
        QCOMPARE(int(t->routes6.size()), ipv6);
    }

    // One line that cannot be read is skipped and named; the routes before and after it
    // are kept, so one odd line does not cost the route checks.
    void skipped_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("kept");      // destinations, in order
        QTest::addColumn<QString>("skipped");   // line numbers
        QTest::addColumn<QString>("excerpt");   // of the first skipped line
        QTest::addColumn<QString>("nexthops");  // of every kept route
        const QByteArray fixture = QByteArray::fromStdString(readFixture("a_route.txt"));
        const QList<QByteArray> lines = fixture.split('\n');
        // RTN_UNSPEC, which iproute2 prints as a type name PodPath does not know.
        QTest::newRow("unknown route type in the middle")
            << QByteArray("default via 198.51.100.254 dev eth0 \nblackhole 198.18.10.0/26 proto bird \n"
                          "unspec 198.18.30.0/26 dev eth0 proto bird \n"
                          "198.18.50.0/26 via 198.51.100.2 dev tunl0 proto bird onlink \n")
            << "0.0.0.0/0,198.18.10.0/26,198.18.50.0/26" << "3" << "unspec 198.18.30.0/26 dev eth0 proto bird" << "";
        QTest::newRow("warning before the table")
            << "sudo: unable to resolve host pplab-node1: Name or service not known\n" + lines[0] + "\n" + lines[5] + "\n"
            << "0.0.0.0/0,198.18.50.0/26" << "1"
            << "sudo: unable to resolve host pplab-node1: Name or service not known" << "";
        QTest::newRow("last line cut in an address")
            << lines[0] + "\n" + lines[5] + "\n198.51.100.0/24 dev eth0 proto kernel scope link src 198.51"
            << "0.0.0.0/0,198.18.50.0/26" << "3" << "198.51.100.0/24 dev eth0 proto kernel scope link src 198.51" << "";
        QTest::newRow("last line cut after metric")
            << lines[5] + "\n198.18.80.0/24 via 198.51.100.4 dev eth0 metric"
            << "198.18.50.0/26" << "2" << "198.18.80.0/24 via 198.51.100.4 dev eth0 metric" << "";
        QTest::newRow("prefix /33 between routes")
            << QByteArray("default via 198.51.100.254 dev eth0 \n198.18.0.0/33 dev eth0\n198.18.99.2 dev tunl0 proto kernel "
                          "scope link src 198.18.99.1 \n")
            << "0.0.0.0/0,198.18.99.2/32" << "2" << "198.18.0.0/33 dev eth0" << "";
        QTest::newRow("long garbage is cut in the excerpt")
            << lines[5] + "\n" + QByteArray(300, 'x') + "\n" << "198.18.50.0/26" << "2" << QString(160, 'x') << "";
        // The route keeps the hop it could read: without the other it still answers for
        // its prefix.
        QTest::newRow("bad nexthop weight keeps its route")
            << QByteArray("198.18.70.0/24 proto static \n\tnexthop via 198.51.100.2 dev eth0 weight 1 \n"
                          "\tnexthop via 198.51.100.3 dev eth0 weight 0x\n"
                          "198.18.90.0/24 dev eth0 scope link src 198.51.100.1 \n")
            << "198.18.70.0/24,198.18.90.0/24" << "3" << "nexthop via 198.51.100.3 dev eth0 weight 0x"
            << "via 198.51.100.2 dev eth0 weight 1 flags ";
        QTest::newRow("bad nexthop gateway after a blank line")
            << QByteArray("198.18.0.0/24\n\n\tnexthop via x dev eth0\n") << "198.18.0.0/24" << "3"
            << "nexthop via x dev eth0" << "";
        // The hops under a skipped route are its own, not the route's above.
        QTest::newRow("nexthops of a skipped route stay unread")
            << lines[5] + "\nunspec 198.18.70.0/24 proto static \n\tnexthop via 198.51.100.2 dev eth0 weight 1 \n"
            << "198.18.50.0/26" << "2" << "unspec 198.18.70.0/24 proto static" << "";
        QTest::newRow("json: unknown route type in the middle")
            << QByteArray(R"([{"dst":"default","gateway":"198.51.100.254","dev":"eth0","flags":[]},)"
                          R"({"type":"unspec","dst":"198.18.30.0/26","dev":"eth0","protocol":"bird","flags":[]},)"
                          R"({"dst":"198.18.50.0/26","gateway":"198.51.100.2","dev":"tunl0","protocol":"bird","flags":["onlink"]}])")
            << "0.0.0.0/0,198.18.50.0/26" << "1"
            << R"({"dev":"eth0","dst":"198.18.30.0/26","flags":[],"protocol":"bird","type":"unspec"})" << "";
        // Third element of the pretty fixture, which starts on line 11.
        QTest::newRow("json: bad element in pretty output")
            << QByteArray::fromStdString(readFixture("a_route_pretty.json")).replace("\"dst\": \"198.18.10.5\"", "\"dst\": 5")
            << "0.0.0.0/0,198.18.10.0/26,198.18.20.0/26,198.18.40.0/26,198.18.50.0/26,198.18.51.0/26,198.18.52.0/26,"
               "198.18.60.0/24,198.18.61.0/24,198.18.62.0/24,198.18.70.0/24,198.18.80.0/24,198.18.80.0/24,"
               "198.18.90.0/24,198.18.91.0/24,198.18.99.2/32,198.51.100.0/24"
            << "11" << R"({"dev":"cali12ab34cd56e","dst":5,"flags":[],"scope":"link"})"
            << "via 198.51.100.2 dev eth0 weight 1 flags ; via 198.51.100.3 dev eth0 weight 2 flags ";
        QTest::newRow("json: bad nexthop weight keeps its route")
            << QByteArray(R"([{"dst":"198.18.70.0/24","protocol":"static","flags":[],"nexthops":[)"
                          R"({"gateway":"198.51.100.2","dev":"eth0","weight":1,"flags":[]},)"
                          R"({"gateway":"198.51.100.3","dev":"eth0","weight":1000,"flags":[]}]}])")
            << "198.18.70.0/24" << "1" << R"({"dev":"eth0","flags":[],"gateway":"198.51.100.3","weight":1000})"
            << "via 198.51.100.2 dev eth0 weight 1 flags ";
    }
    void skipped()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, kept);
        QFETCH(QString, skipped);
        QFETCH(QString, excerpt);
        QFETCH(QString, nexthops);
        auto t = parseBytes(input);
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().oneLine().c_str());
        QStringList destinations, hops;
        for (const auto &r : t->routes) {
            destinations << q(r.destination.toString());
            for (const auto &n : r.nexthops)
                hops << describe(n);
        }
        QCOMPARE(destinations.join(','), kept);
        QCOMPARE(skippedLines(t->unreadable), skipped);
        QCOMPARE(q(t->unreadable.front().context), excerpt);
        QVERIFY(!t->unreadable.front().message.empty());
        QCOMPARE(hops.join("; "), nexthops);
    }

    // Output with nothing readable in it is no routing table: an Error on its first line.
    void malformed_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("line");
        QTest::newRow("prose") << QByteArray("Error: ipv4: FIB table does not exist.\n") << 1;
        QTest::newRow("old iproute2") << QByteArray("Object \"route\" is unknown, try \"ip help\".\n") << 1;
        QTest::newRow("not installed") << QByteArray("bash: line 1: ip: command not found\n") << 1;
        QTest::newRow("only garbage, several lines")
            << QByteArray("\nsudo: unable to resolve host pplab-node1: Name or service not known\n"
                          "sudo: a password is required\n") << 2;
        QTest::newRow("json: every element bad")
            << QByteArray("[\n{\"dst\": 5},\n{\"dst\": \"198.18.0.0/40\"}\n]") << 2;
        QTest::newRow("type without destination") << QByteArray("blackhole\n") << 1;
        QTest::newRow("type then garbage") << QByteArray("blackhole nowhere\n") << 1;
        QTest::newRow("leading zero octet") << QByteArray("198.018.0.0/24 dev eth0\n") << 1;
        QTest::newRow("bad gateway") << QByteArray("default via 999.1.1.1 dev eth0\n") << 1;
        QTest::newRow("via at end") << QByteArray("default via") << 1;
        QTest::newRow("bad src") << QByteArray("198.18.0.0/24 dev eth0 src bogus\n") << 1;
        QTest::newRow("bad metric") << QByteArray("198.18.0.0/24 dev eth0 metric x\n") << 1;
        QTest::newRow("metric at end") << QByteArray("198.18.0.0/24 dev eth0 metric") << 1;
        QTest::newRow("metric overflow") << QByteArray("198.18.0.0/24 dev eth0 metric 4294967296\n") << 1;
        QTest::newRow("mtu at end") << QByteArray("198.18.0.0/24 dev eth0 mtu lock") << 1;
        QTest::newRow("nexthop first") << QByteArray("\tnexthop via 198.51.100.2 dev eth0 weight 1\n") << 1;
        QTest::newRow("binary") << QByteArray("\x7f\x45\x4c\x46\x02\x01", 6) << 1;
        QTest::newRow("json: no dst") << QByteArray(R"([{"gateway":"198.51.100.2"}])") << 1;
        QTest::newRow("json: dst a number") << QByteArray(R"([{"dst":5}])") << 1;
        QTest::newRow("json: bad dst") << QByteArray(R"([{"dst":"198.18.0.0/40"}])") << 1;
        QTest::newRow("json: unknown type") << QByteArray(R"([{"type":"bogus","dst":"default"}])") << 1;
        QTest::newRow("json: bad gateway") << QByteArray(R"([{"dst":"default","gateway":"nowhere"}])") << 1;
        QTest::newRow("json: metric negative") << QByteArray(R"([{"dst":"default","metric":-1}])") << 1;
        QTest::newRow("json: flags holds a number") << QByteArray(R"([{"dst":"default","flags":[1]}])") << 1;
        QTest::newRow("json: nexthops not a list") << QByteArray(R"([{"dst":"default","nexthops":{}}])") << 1;
        QTest::newRow("json: element a string") << QByteArray(R"(["default"])") << 1;
        QTest::newRow("json: not a list") << QByteArray("{}") << 1;
        QTest::newRow("json: cut") << QByteArray("[{\"dst\":\"default\",\n\"dev\":") << 2;
    }
    void malformed()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, line);
        auto t = parseBytes(input);
        QVERIFY2(!t.ok(), qPrintable(t.ok() ? describe(*t) : QString()));
        QCOMPARE(t.error().line, line);
        QVERIFY(!t.error().message.empty());
    }

    void truncated_data()
    {
        QTest::addColumn<QString>("file");
        for (auto f : {"a_route.txt", "a_route.json", "a_route_all.txt", "a_route_pretty.json", "a_route_d.txt"})
            QTest::newRow(f) << f;
    }
    void truncated()
    {
        QFETCH(QString, file);
        auto full = readFixture(file);
        auto whole = parseIpRoute(full);
        QVERIFY(whole.ok());
        int lines = int(std::count(full.begin(), full.end(), '\n')) + 1;
        bool json = file.endsWith(".json");
        for (std::size_t cut = 1; cut + 1 < full.size(); ++cut) {
            auto t = parseIpRoute(std::string_view(full).substr(0, cut));
            if (json)
                QVERIFY2(!t.ok(), qPrintable(QString("cut at %1").arg(cut)));
            else if (t.ok())
                QVERIFY(t->routes.size() <= whole->routes.size());
            else
                QVERIFY(t.error().line >= 1 && t.error().line <= lines);
        }
    }

    void empty_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("nothing") << QByteArray();
        QTest::newRow("blank lines") << QByteArray("\n \n\t\n");
        QTest::newRow("json empty list") << QByteArray("[]");
        QTest::newRow("json spaces") << QByteArray(" \n[ ]");
    }
    void empty()
    {
        QFETCH(QByteArray, input);
        auto t = parseBytes(input);
        QVERIFY(t.ok());
        QVERIFY(t->routes.empty());
        QVERIFY(t->routeFor(Ipv4(0)) == nullptr);
    }

    void oversized()
    {
        std::string big(podpath::text::kMaxInputBytes + 1, '\n');
        QVERIFY(!parseIpRouteText(big).ok());
        QVERIFY(!parseIpRouteJson(big).ok());
        QVERIFY(!parseIpRoute(big).ok());
    }
};

QTEST_GUILESS_MAIN(TestIpRoute)
#include "tst_ip_route.moc"
