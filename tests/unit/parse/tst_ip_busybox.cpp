// BusyBox's `ip` (minimal nodes): no -j and no -d, so PodPath reads its plain text. Each
// fixture is beside iproute2's -j of the same moment (tests/fixtures/ip/generate.sh), and
// what BusyBox shows must read as the same values; what it leaves out (route protocols,
// multipath next hops, the interface's state) is left out of the comparison, not guessed.
#include "ip_describe.h"

#include <QtTest>

using namespace iptest;

namespace {

QString shown(const Interface &i)
{
    QStringList addrs;
    for (const auto &a : i.ipv4)
        addrs << describe(a);
    return q(i.name) + " <" + list(i.flags) + "> mtu " + num(i.mtu) + " link/" + q(i.linkType) + " " +
           q(i.linkAddress) + " inet [" + addrs.join("; ") + "] inet6 [" + list(i.ipv6) + "]";
}

QString shown(const Route &r)
{
    return q(toString(r.type)) + " " + q(r.destination.toString()) + " via " + q(r.gateway) + " dev " + q(r.device) +
           " scope " + q(r.scope) + " src " + q(r.source) + " metric " + num(r.metric) + " flags " + list(r.flags);
}

QString shown(const Neighbour &n)
{
    return q(n.address) + " dev " + q(n.device) + " lladdr " + q(n.lladdr) + " states " + list(n.states) +
           (n.router ? " router" : "");
}

template <class T>
QStringList shownAll(const std::vector<T> &items)
{
    QStringList out;
    for (const auto &i : items)
        out << shown(i);
    return out;
}

} // namespace

class TestIpBusybox : public QObject {
    Q_OBJECT
private slots:
    void sameValuesAsIproute2_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<int>("count");
        QTest::newRow("ip addr show") << "addr" << 5;
        QTest::newRow("ip route show") << "route" << 18;
        QTest::newRow("ip neigh show") << "neigh" << 4;
    }
    void sameValuesAsIproute2()
    {
        QFETCH(QString, table);
        QFETCH(int, count);
        const std::string busybox = readFixture("bb_" + table + ".txt");
        const std::string iproute2 = readFixture("bb_" + table + "_iproute2.json");
        QStringList fromBusybox, fromIproute2;
        if (table == QLatin1String("addr")) {
            auto b = parseIpAddr(busybox);
            auto j = parseIpAddr(iproute2);
            QVERIFY2(b.ok() && j.ok(), "unreadable");
            QVERIFY2(b->unreadable.empty(), qPrintable(describe(b->unreadable)));
            fromBusybox = shownAll(b->interfaces);
            fromIproute2 = shownAll(j->interfaces);
        } else if (table == QLatin1String("route")) {
            auto b = parseIpRoute(busybox);
            auto j = parseIpRoute(iproute2);
            QVERIFY2(b.ok() && j.ok(), "unreadable");
            QVERIFY2(b->unreadable.empty(), qPrintable(describe(b->unreadable)));
            fromBusybox = shownAll(b->routes);
            fromIproute2 = shownAll(j->routes);
        } else {
            auto b = parseIpNeigh(busybox);
            auto j = parseIpNeigh(iproute2);
            QVERIFY2(b.ok() && j.ok(), "unreadable");
            QVERIFY2(b->unreadable.empty(), qPrintable(describe(b->unreadable)));
            fromBusybox = shownAll(b->neighbours);
            fromIproute2 = shownAll(j->neighbours);
        }
        QCOMPARE(fromBusybox.size(), count);
        for (qsizetype k = 0; k < fromBusybox.size() && k < fromIproute2.size(); ++k)
            QCOMPARE(fromBusybox[k], fromIproute2[k]);
        QCOMPARE(fromBusybox.size(), fromIproute2.size());
    }

    // What a diagnosis needs from a BusyBox node: the tunnel devices, each with its link
    // type (Ethernet for VXLAN, none for the TUN that stands in for tunl0), and the onlink
    // routes to the peers' blocks.
    void whatTheDiagnosisReads()
    {
        auto addr = parseIpAddr(readFixture("bb_addr.txt"));
        QVERIFY(addr.ok());
        const Interface *vxlan = findInterface(addr->interfaces, "vxlan.calico");
        const Interface *tunl0 = findInterface(addr->interfaces, "tunl0");
        QVERIFY(vxlan && tunl0);
        QCOMPARE(q(vxlan->linkType), QStringLiteral("ether"));
        QVERIFY(vxlan->kind.empty() && !vxlan->vxlan);
        QVERIFY(vxlan->isUp());
        QCOMPARE(q(tunl0->linkType), QStringLiteral("none"));
        auto routes = parseIpRoute(readFixture("bb_route.txt"));
        QVERIFY(routes.ok());
        const Route *peer = routes->routeFor(*Ipv4::parse("198.18.40.7"));
        QVERIFY(peer);
        QCOMPARE(q(peer->device), QStringLiteral("vxlan.calico"));
        QVERIFY(peer->hasFlag("onlink"));
    }
};

QTEST_GUILESS_MAIN(TestIpBusybox)
#include "tst_ip_busybox.moc"
