// What the hop rules read from captured packets: the echo sightings and the evidence
// line each carries, from real captures (tests/fixtures/pcap). IPv6 echoes must never
// be taken for IPv4 ones, and read as tcpdump would print them.
#include "diagnose/capture_sightings.h"
#include "../parse/pcap_test_support.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;
using namespace pcaptest;

class TestCaptureSightings : public QObject {
    Q_OBJECT
private slots:
    void evidenceLines_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("line");
        QTest::newRow("VXLAN over IPv4") << "pc-vxlan-eth0-a.pcap" << 0
            << "10:19:18.614786 eth0 IP 198.51.100.1 > 198.51.100.65: VXLAN vni 4096: IP 198.18.0.0 > 198.18.1.0: ICMP echo request, id 13318, seq 1, length 64 (ttl 64, len 84, DF)";
        QTest::newRow("VXLAN over IPv6") << "pc6-vxlan-any-a.pcap" << 3
            << "07:19:05.144301 eth0 Out IP6 2001:db8:100::1 > 2001:db8:101::1: VXLAN vni 4096: IP6 2001:db8:1800:: > 2001:db8:1800::40: ICMP6 echo request, id 6410, seq 1, length 64 (hlim 64, len 104)";
        QTest::newRow("ICMPv6 echo reply on the tunnel device") << "pc6-vxlan-dev-a.pcap" << 1
            << "07:19:05.144392 eth0 IP6 2001:db8:1800::40 > 2001:db8:1800::: ICMP6 echo reply, id 6410, seq 1, length 64 (hlim 64, len 104)";
        QTest::newRow("ICMPv6 error: no echo") << "pc6-unreachable-any-a.pcap" << 5
            << "07:19:37.074445 eth0 In  IP6 2001:db8:100::fe > 2001:db8:100::1:  (hlim 64, len 152)";
        QTest::newRow("ARP") << "pc-ipip-any.pcap" << 1 << "10:19:11.024127 eth0 Out (not IP)";
    }
    void evidenceLines()
    {
        QFETCH(QString, file);
        QFETCH(int, index);
        QFETCH(QString, line);
        const Decoded d = decode(readFixture(file), {0, 0});
        QVERIFY(index < int(d.packets.size()));
        QCOMPARE(QString::fromStdString(evidenceLine(d.packets[std::size_t(index)], "eth0")), line);
    }

    // Echo sightings are IPv4's (the path judged today): an IPv6 capture yields none, an
    // IPv4 one every echo it holds.
    void sightingsAreIpv4Echoes_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("echoes");
        QTest::newRow("VXLAN over IPv4, -i any") << "pc-vxlan-any-a.pcap" << 12;
        QTest::newRow("VXLAN over IPv6, -i any") << "pc6-vxlan-any-a.pcap" << 0;
        QTest::newRow("IPv6 fragments") << "pc6-fragments-any-b.pcap" << 0;
        QTest::newRow("ICMPv6 errors quoting echoes") << "pc6-unreachable-any-a.pcap" << 0;
    }
    void sightingsAreIpv4Echoes()
    {
        QFETCH(QString, file);
        QFETCH(int, echoes);
        const Decoded d = decode(readFixture(file), {0, 0});
        const auto seen = echoSightings(NodeRole::Client, d.packets, {}, "eth0", {});
        QCOMPARE(int(seen.size()), echoes);
        for (const EchoSighting &s : seen)
            QVERIFY2(!s.src.isUnspecified() && !s.dst.isUnspecified(), s.summary.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCaptureSightings)
#include "tst_capture_sightings.moc"
