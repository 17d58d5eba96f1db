// Where a pod is on its node, from what the node prints (tests/fixtures/ip/netns_*,
// recorded by generate_netns.sh): the pod's /32 route names its interface, the
// interface's peer the namespace's id, `ip netns list` the namespace's name.

#include "diagnose/pod_endpoint.h"
#include "fixture_file.h"
#include "parse/ip_addr.h"
#include "parse/ip_netns.h"
#include "parse/ip_route.h"

#include <QtTest>

using namespace podpath;
using diagnose::PodPlace;

Q_DECLARE_METATYPE(PodPlace)

namespace {

parse::RouteTable routes()
{
    auto r = parse::parseIpRoute(test::fixtureText("ip/netns_route.json"));
    if (!r.ok())
        qFatal("netns_route.json: %s", r.error().message.c_str());
    return *r;
}

std::vector<parse::Interface> interfaces(const char *fixture)
{
    auto r = parse::parseIpAddr(test::fixtureText(fixture));
    if (!r.ok())
        qFatal("%s: %s", fixture, r.error().message.c_str());
    return r->interfaces;
}

} // namespace

class TestPodEndpoint : public QObject {
    Q_OBJECT
private slots:
    void netnsList_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("named");   // "name" or "name=id"
        QTest::addColumn<int>("unreadable");
        QTest::newRow("recorded") << QString::fromStdString(test::fixtureText("ip/netns_list.txt"))
                                  << QStringList{"pp-ip-pod=1", "pp-ip-br=0"} << 0;
        QTest::newRow("none") << "" << QStringList{} << 0;
        QTest::newRow("containerd's names") << "cni-8a4f0c2e-1b7d-6e0f-42aa-90d1c3b5e6f7 (id: 12)\n"
                                            << QStringList{"cni-8a4f0c2e-1b7d-6e0f-42aa-90d1c3b5e6f7=12"} << 0;
        QTest::newRow("an error among names") << "Error: Peer netns reference is invalid.\npod-a (id: 2)\n"
                                              << QStringList{"pod-a=2"} << 1;
        QTest::newRow("a broken id") << "pod-a (id: x)\npod-b (id: -1)\npod-c (id: 3\n" << QStringList{} << 3;
    }
    void netnsList()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, named);
        QFETCH(int, unreadable);
        const auto list = parse::parseIpNetnsList(text.toStdString());
        QStringList got;
        for (const auto &n : list.namespaces)
            if (n.id)
                got << QString::fromStdString(n.name) + '=' + QString::number(*n.id);
        QCOMPARE(got, named);
        QCOMPARE(int(list.unreadable.size()), unreadable);
        for (const auto &e : list.unreadable)
            QVERIFY(e.line > 0 && !e.message.empty());
    }

    void findsThePod_data()
    {
        QTest::addColumn<QString>("pod");
        QTest::addColumn<QString>("addrFixture");
        QTest::addColumn<bool>("netnsRead");
        QTest::addColumn<PodPlace>("place");
        QTest::addColumn<QString>("interface");
        QTest::addColumn<QString>("netns");
        QTest::addColumn<QString>("problem");  // a part of it; empty: none
        QTest::newRow("here, -j and the netns list") << "198.18.10.5" << "ip/netns_addr.json" << true << PodPlace::Here
                                                     << "cali12ab34cd56e" << "pp-ip-pod" << "";
        QTest::newRow("here, text names the netns itself") << "198.18.10.5" << "ip/netns_cali_addr.txt" << false
                                                          << PodPlace::Here << "cali12ab34cd56e" << "pp-ip-pod" << "";
        QTest::newRow("here, the namespace not named") << "198.18.10.5" << "ip/netns_addr.json" << false << PodPlace::Here
                                                       << "cali12ab34cd56e" << ""
                                                       << "has no name under /var/run/netns";
        QTest::newRow("in the block, no route") << "198.18.10.9" << "ip/netns_addr.json" << true
                                                << PodPlace::RouteMissing << "" << ""
                                                << "is in 198.18.10.0/26, a block node-a holds";
        QTest::newRow("another node's block") << "198.18.40.7" << "ip/netns_addr.json" << true << PodPlace::Elsewhere
                                              << "" << "" << "node-a routes 198.18.40.7 via 198.51.100.2 dev eth0";
        QTest::newRow("no route at all") << "203.0.113.9" << "ip/netns_addr.json" << true << PodPlace::Elsewhere << ""
                                         << "" << "node-a has no route to 203.0.113.9";
        QTest::newRow("the node itself") << "198.51.100.7" << "ip/netns_addr.json" << true << PodPlace::Elsewhere << ""
                                         << "" << "the pod is not on this node";
    }
    void findsThePod()
    {
        QFETCH(QString, pod);
        QFETCH(QString, addrFixture);
        QFETCH(bool, netnsRead);
        QFETCH(PodPlace, place);
        QFETCH(QString, interface);
        QFETCH(QString, netns);
        QFETCH(QString, problem);
        const auto table = routes();
        const auto list = parse::parseIpNetnsList(test::fixtureText("ip/netns_list.txt"));
        const auto ip = Ipv4::parse(pod.toStdString());
        QVERIFY(ip);
        const auto e = diagnose::findPodEndpoint(*ip, table, interfaces(qPrintable(addrFixture)),
                                                 netnsRead ? &list : nullptr, "node-a");
        QCOMPARE(e.place, place);
        QCOMPARE(QString::fromStdString(e.interface), interface);
        QCOMPARE(QString::fromStdString(e.netns), netns);
        if (problem.isEmpty()) {
            QVERIFY2(e.problem.empty(), e.problem.c_str());
            QVERIFY(e.up && e.carrier);
        } else {
            QVERIFY2(QString::fromStdString(e.problem).contains(problem), e.problem.c_str());
        }
    }

    // The pod's interface down, or its far end (the pod's eth0) down: said, not probed.
    void interfaceState_data()
    {
        QTest::addColumn<bool>("up");
        QTest::addColumn<bool>("carrier");
        QTest::addColumn<QString>("problem");
        QTest::newRow("down") << false << false << "cali12ab34cd56e, the pod's interface on node-a, is down.";
        QTest::newRow("no carrier") << true << false << "has no carrier: the pod's end of it (eth0 in the pod) is down.";
    }
    void interfaceState()
    {
        QFETCH(bool, up);
        QFETCH(bool, carrier);
        QFETCH(QString, problem);
        auto ifaces = interfaces("ip/netns_addr.json");
        for (auto &i : ifaces)
            if (i.name == "cali12ab34cd56e")
                std::erase_if(i.flags, [&](const std::string &f) { return (f == "UP" && !up) || (f == "LOWER_UP" && !carrier); });
        const auto list = parse::parseIpNetnsList(test::fixtureText("ip/netns_list.txt"));
        const auto e = diagnose::findPodEndpoint(*Ipv4::parse("198.18.10.5"), routes(), ifaces, &list, "node-a");
        QCOMPARE(e.place, PodPlace::Here);
        QVERIFY2(QString::fromStdString(e.problem).contains(problem), e.problem.c_str());
    }

    // Inside the pod (tests/fixtures/pod-routes, recorded from the lab's web pods by its
    // record.sh): does its route to the other pod leave by its end of the veth to the node?
    void podRoute_data()
    {
        QTest::addColumn<QString>("node");  // node1 or node2: its addr and route recordings
        QTest::addColumn<QString>("pod");   // the pod recording's prefix
        QTest::addColumn<QString>("self");
        QTest::addColumn<QString>("peer");
        QTest::addColumn<int>("fit");
        QTest::addColumn<QString>("route");
        const int fits = int(diagnose::PodRouteFit::Fits), wrong = int(diagnose::PodRouteFit::Wrong),
                  none = int(diagnose::PodRouteFit::NoRoute);
        QTest::newRow("client pod, healthy") << "node1" << "client-pod-healthy" << "198.18.10.66" << "198.18.20.130" << fits
                                             << "default via 169.254.1.1 dev eth0";
        QTest::newRow("server pod, healthy") << "node2" << "server-pod-healthy" << "198.18.20.130" << "198.18.10.66" << fits
                                             << "default via 169.254.1.1 dev eth0";
        QTest::newRow("server pod, default route by a second interface")
            << "node2" << "server-pod-second-interface" << "198.18.20.130" << "198.18.10.66" << wrong
            << "default via 198.19.250.254 dev net1";
        // The pod's own network is its business: a peer inside it is reached as it says.
        QTest::newRow("server pod, peer on its second network")
            << "node2" << "server-pod-second-interface" << "198.18.20.130" << "198.19.250.7" << wrong
            << "198.19.250.0/24 dev net1";
        QTest::newRow("client pod, no default route") << "node1" << "client-pod-no-default" << "198.18.10.66" << "198.18.20.130"
                                                      << none << "";
    }
    void podRoute()
    {
        QFETCH(QString, node);
        QFETCH(QString, pod);
        QFETCH(QString, self);
        QFETCH(QString, peer);
        QFETCH(int, fit);
        QFETCH(QString, route);
        const auto at = [](const QString &name) { return test::fixtureText("pod-routes/" + name); };
        auto nodeRoutes = parse::parseIpRoute(at(node + "-route.json"));
        auto nodeAddrs = parse::parseIpAddr(at(node + "-addr.json"));
        QVERIFY(nodeRoutes.ok() && nodeAddrs.ok());
        const auto e = diagnose::findPodEndpoint(*Ipv4::parse(self.toStdString()), *nodeRoutes, nodeAddrs->interfaces,
                                                 nullptr, node.toStdString());
        QCOMPARE(e.place, PodPlace::Here);
        QVERIFY(e.interfaceIndex > 0);
        diagnose::PodRouting own;
        auto podRoutes = parse::parseIpRoute(at(pod + "-route.txt"));
        auto podAddrs = parse::parseIpAddr(at(pod + "-addr.txt"));
        QVERIFY(podRoutes.ok() && podAddrs.ok());
        own.routes = *podRoutes;
        own.interfaces = podAddrs->interfaces;
        own.read = true;
        const auto j = diagnose::judgePodRoute(e, *Ipv4::parse(peer.toStdString()), own);
        QCOMPARE(int(j.fit), fit);
        QCOMPARE(QString::fromStdString(j.routeText), route);
        if (j.fit == diagnose::PodRouteFit::Fits || j.fit == diagnose::PodRouteFit::Wrong)
            QCOMPARE(QString::fromStdString(j.link), QStringLiteral("eth0"));
        // A node whose veth has another index than the pod's end names: no interface of the
        // pod is known to be its link, so a route is neither right nor wrong.
        if (j.fit != diagnose::PodRouteFit::NoRoute) {
            auto elsewhere = e;
            elsewhere.interfaceIndex += 1000;
            const auto lost = diagnose::judgePodRoute(elsewhere, *Ipv4::parse(peer.toStdString()), own);
            QCOMPARE(lost.fit, diagnose::PodRouteFit::Unknown);
            QVERIFY(QString::fromStdString(lost.why).contains(QString::fromStdString(e.interface)));
        }
        // Not read: nothing is said, and why.
        own.read = false;
        own.problem = "sudo refused ip";
        const auto unread = diagnose::judgePodRoute(e, *Ipv4::parse(peer.toStdString()), own);
        QCOMPARE(unread.fit, diagnose::PodRouteFit::Unknown);
        QCOMPARE(unread.why, std::string("sudo refused ip"));
    }
};

QTEST_APPLESS_MAIN(TestPodEndpoint)
#include "tst_pod_endpoint.moc"
