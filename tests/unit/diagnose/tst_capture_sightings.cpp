// What the hop rules read from captured packets: the echo sightings and the evidence
// line each carries, from real captures (tests/fixtures/pcap). IPv6 echoes are read as
// IPv6 (never as IPv4 ones), and written as tcpdump would print them.
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

    // Echo sightings of both families: every echo a capture holds (never a fragment, never
    // an ICMPv6 error quoting one), its addresses and its outer ones of one family, the
    // encapsulated ones with their outer addresses.
    void sightingsOfBothFamilies_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("echoes");
        QTest::addColumn<int>("ipv6");
        QTest::addColumn<int>("wrapped");
        QTest::newRow("VXLAN over IPv4, -i any") << "pc-vxlan-any-a.pcap" << 12 << 0 << 6;
        QTest::newRow("VXLAN over IPv6, -i any") << "pc6-vxlan-any-a.pcap" << 12 << 12 << 6;
        QTest::newRow("VXLAN over IPv6, the underlay device") << "pc6-vxlan-eth0-b.pcap" << 6 << 6 << 6;
        QTest::newRow("IPv6, the VXLAN device") << "pc6-vxlan-dev-a.pcap" << 6 << 6 << 0;
        QTest::newRow("IPv6 fragments: the first one's echo is not counted") << "pc6-fragments-any-b.pcap" << 0 << 0 << 0;
        QTest::newRow("ICMPv6 errors quoting echoes: only the echoes") << "pc6-unreachable-any-a.pcap" << 2 << 2 << 0;
        // WireGuard: the echoes are readable on wireguard.cali only; on the underlay they
        // travel encrypted in UDP 51820 and are never taken for echoes (or anything else).
        QTest::newRow("WireGuard, wireguard.cali") << "wg-dev-a.pcap" << 6 << 0 << 0;
        QTest::newRow("WireGuard, the underlay: handshake and data") << "wg-eth0-a.pcap" << 0 << 0 << 0;
        QTest::newRow("WireGuard, the underlay: data") << "wg-eth0-b.pcap" << 0 << 0 << 0;
    }
    void sightingsOfBothFamilies()
    {
        QFETCH(QString, file);
        QFETCH(int, echoes);
        QFETCH(int, ipv6);
        QFETCH(int, wrapped);
        const Decoded d = decode(readFixture(file), {0, 0});
        const auto seen = echoSightings(NodeRole::Client, d.packets, {}, "eth0", {});
        QCOMPARE(int(seen.size()), echoes);
        int v6 = 0, outer = 0;
        for (const EchoSighting &s : seen) {
            v6 += s.src.isV6();
            QVERIFY2(s.src.isV6() == s.dst.isV6(), s.summary.c_str());
            QVERIFY2(s.src != IpAddress() && s.dst != IpAddress(), s.summary.c_str());
            QVERIFY2((s.wrapping != Wrapping::Plain) == bool(s.outerSrc), s.summary.c_str());
            if (s.outerSrc) {
                ++outer;
                QVERIFY2(s.outerSrc->isV6() == s.src.isV6() && s.outerDst && s.outerDst->isV6() == s.src.isV6(),
                         s.summary.c_str());
            }
            // IPv6's datagram length is its header and payload, as IPv4's total length.
            QVERIFY2(!s.src.isV6() || s.ipLength == 104, s.summary.c_str());
        }
        QCOMPARE(v6, ipv6);
        QCOMPARE(outer, wrapped);
    }
};

QTEST_GUILESS_MAIN(TestCaptureSightings)
#include "tst_capture_sightings.moc"
