// Following echoes across WireGuard: each echo the client sent into wireguard.cali paired
// with the transport-data packet that carried it out of eth0 (real captures of one ping
// through wireguard-go, make-wg-fixtures.sh), then found on the peer by receiver index and
// counter. The peer's side is the client's own packets seen from the other end (the same
// receiver and counter on both wires is what WireGuard guarantees; fixtureFieldsWireguard
// in tst_pcap_dissector checks it on real captures of both nodes).

#include "diagnose/capture_sightings.h"
#include "diagnose/wireguard_path.h"
#include "../parse/pcap_test_support.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;
using namespace pcaptest;

namespace {

const IpAddress kClientNode(*Ipv4::parse("198.51.100.1"));

struct Pair {
    std::vector<EchoSighting> echoes;
    std::vector<SealedSighting> sealed;
};

// The client's captures, and what the server's would hold of the same packets.
Pair realPair()
{
    Pair p;
    const std::set<IpAddress> local{IpAddress(*Ipv4::parse("198.18.0.0")), kClientNode};
    p.echoes = echoSightings(NodeRole::Client, decode(readFixture("wg-dev-a.pcap"), {0, 0}).packets, {}, "wireguard.cali", local);
    p.sealed = sealedSightings(NodeRole::Client, decode(readFixture("wg-eth0-a.pcap"), {0, 0}).packets, {}, "eth0", local);
    std::vector<SealedSighting> atServer;
    std::vector<EchoSighting> serverReplies;
    for (const SealedSighting &s : p.sealed) {
        SealedSighting m = s;
        m.node = NodeRole::Server;
        m.outgoing = !s.outgoing;
        m.timeNs += 50'000;  // the wire's delay; the server's own clock
        atServer.push_back(m);
        // The server's reply entered its device just before it was sealed.
        if (s.type == 4 && !s.outgoing)
            for (const EchoSighting &e : p.echoes)
                if (e.isReply && !e.outgoing && e.timeNs > s.timeNs && e.timeNs - s.timeNs < 1'000'000) {
                    EchoSighting r = e;
                    r.node = NodeRole::Server;
                    r.outgoing = true;
                    r.timeNs = s.timeNs - 100'000;
                    serverReplies.push_back(r);
                }
    }
    p.sealed.insert(p.sealed.end(), atServer.begin(), atServer.end());
    p.echoes.insert(p.echoes.end(), serverReplies.begin(), serverReplies.end());
    return p;
}

int count(const std::vector<EchoSighting> &v, NodeRole node, bool outgoing, bool reply)
{
    return int(std::count_if(v.begin(), v.end(), [&](const EchoSighting &s) {
        return s.node == node && s.outgoing == outgoing && s.isReply == reply;
    }));
}

} // namespace

class TestWireguardPath : public QObject {
    Q_OBJECT
private slots:
    void sealedLengths_data()
    {
        QTest::addColumn<uint>("inner");
        QTest::addColumn<uint>("sealed");
        QTest::newRow("a default ping (84)") << 84u << 128u;   // seen on the wire: wg-eth0-a.pcap
        QTest::newRow("IPv6 ping (104)") << 104u << 144u;
        QTest::newRow("exactly 96") << 96u << 128u;
        QTest::newRow("full-size on wireguard.cali (1440)") << 1440u << 1472u;
        QTest::newRow("full-size on VXLAN's MTU (1450)") << 1450u << 1488u;
        QTest::newRow("keepalive (0)") << 0u << 32u;
    }
    void sealedLengths()
    {
        QFETCH(uint, inner);
        QFETCH(uint, sealed);
        QCOMPARE(sealedLength(inner), sealed);
    }

    void follow_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<int>("clientOut");   // requests sealed out of the client's eth0
        QTest::addColumn<int>("serverIn");    // the same packets on the server's eth0
        QTest::addColumn<int>("serverOut");   // replies sealed out of the server's eth0
        QTest::addColumn<int>("clientIn");
        QTest::addColumn<QString>("seqs");    // the requests' sequences seen at the server, in order

        QTest::newRow("every echo carried both ways") << "" << 3 << 3 << 3 << 3 << "1,2,3";
        // seq 2's packet never left: seq 3 keeps its own packet, nothing shifts onto seq 2.
        QTest::newRow("the client's second sealed request missing") << "drop client request 1" << 2 << 2 << 3 << 3 << "1,3";
        QTest::newRow("the underlay lost every request") << "server receives nothing" << 3 << 0 << 3 << 3 << "";
        // Another flow's packet of the same size, sealed just before each echo entered the
        // device, is never taken for the echo.
        QTest::newRow("another flow's packet just before each echo") << "earlier lookalikes" << 3 << 3 << 3 << 3 << "1,2,3";
        // A packet of another size (a full-size probe, a TCP segment) is not the echo's.
        QTest::newRow("only packets of other sizes") << "other sizes" << 0 << 0 << 0 << 0 << "";
    }
    void follow()
    {
        QFETCH(QString, change);
        QFETCH(int, clientOut);
        QFETCH(int, serverIn);
        QFETCH(int, serverOut);
        QFETCH(int, clientIn);
        QFETCH(QString, seqs);
        Pair p = realPair();
        QCOMPARE(count(p.echoes, NodeRole::Client, true, false), 3);  // the fixture: three requests
        std::vector<std::uint64_t> dropped;
        if (change == "drop client request 1") {
            int n = 0;
            std::erase_if(p.sealed, [&](const SealedSighting &s) {
                if (s.node == NodeRole::Client && s.outgoing && s.type == 4 && n++ == 1) {
                    dropped.push_back(s.counter);
                    return true;
                }
                return false;
            });
            std::erase_if(p.sealed, [&](const SealedSighting &s) {
                return s.node == NodeRole::Server && !s.outgoing && s.counter == dropped.front() && s.type == 4;
            });
        } else if (change == "server receives nothing") {
            std::erase_if(p.sealed, [](const SealedSighting &s) { return s.node == NodeRole::Server && !s.outgoing; });
        } else if (change == "earlier lookalikes") {
            for (const EchoSighting &e : std::vector<EchoSighting>(p.echoes)) {
                if (e.node != NodeRole::Client || !e.outgoing)
                    continue;
                SealedSighting other;
                other.node = NodeRole::Client;
                other.outgoing = true;
                other.type = 4;
                other.receiver = 0x11111111;
                other.counter = std::uint64_t(e.seq);
                other.length = 128;
                other.timeNs = e.timeNs - 300'000;
                p.sealed.push_back(other);
            }
        } else if (change == "other sizes") {
            for (auto &s : p.sealed)
                if (s.type == 4)
                    s.length = 1472;
        }
        const auto carried = sealedEchoSightings({"wireguard.cali", "wireguard.cali"}, p.echoes, p.sealed);
        QCOMPARE(count(carried, NodeRole::Client, true, false), clientOut);
        QCOMPARE(count(carried, NodeRole::Server, false, false), serverIn);
        QCOMPARE(count(carried, NodeRole::Server, true, true), serverOut);
        QCOMPARE(count(carried, NodeRole::Client, false, true), clientIn);
        QStringList atServer;
        for (const EchoSighting &s : carried) {
            QCOMPARE(s.wrapping, Wrapping::Wireguard);
            QVERIFY2(s.interface == "eth0" && s.outerSrc && s.outerDst, s.summary.c_str());
            QVERIFY2(QString::fromStdString(s.summary).contains("WireGuard data"), s.summary.c_str());
            if (s.node == NodeRole::Server && !s.outgoing)
                atServer << QString::number(s.seq);
            // The client's requests leave for the server's node address.
            if (s.node == NodeRole::Client && s.outgoing)
                QCOMPARE(s.outerDst->toString(), std::string("198.51.100.65"));
        }
        QCOMPARE(atServer.join(','), seqs);
    }
};

QTEST_GUILESS_MAIN(TestWireguardPath)
#include "tst_wireguard_path.moc"
