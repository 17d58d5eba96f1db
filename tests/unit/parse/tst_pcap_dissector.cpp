// The in-house dissector: fields of real captured packets (checked against tcpdump -vvv
// on the same files), hand-built edge cases, and every truncation of every fixture packet
// (under ASan in the sanitizer build: a read past the captured bytes fails the test).
#include "parse/packet_dissector.h"
#include "pcap_test_support.h"

#include <set>
#include <QtTest>

#include <cstring>
#include <initializer_list>

using namespace podpath::parse;
using namespace pcaptest;

namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes &v, unsigned x)
{
    v.push_back(std::uint8_t(x >> 8));
    v.push_back(std::uint8_t(x));
}
void put32(Bytes &v, std::uint32_t x)
{
    put16(v, x >> 16);
    put16(v, x & 0xFFFF);
}
void append(Bytes &v, const Bytes &more) { v.insert(v.end(), more.begin(), more.end()); }

// An IPv4 header; `ihlWords` > 5 adds NOP options. Addresses 198.18.0.x.
Bytes ipv4(std::uint8_t proto, unsigned payloadLength, unsigned ihlWords = 5, unsigned flagsOffset = 0x4000,
           int totalLength = -1, std::uint8_t src = 1, std::uint8_t dst = 2)
{
    Bytes v;
    v.push_back(std::uint8_t(0x40 | ihlWords));
    v.push_back(0);
    put16(v, totalLength >= 0 ? unsigned(totalLength) : ihlWords * 4 + payloadLength);
    put16(v, 0x1234);
    put16(v, flagsOffset);
    v.push_back(64);
    v.push_back(proto);
    put16(v, 0);
    put32(v, 0xC6120000u | src);
    put32(v, 0xC6120000u | dst);
    for (unsigned i = 5; i < ihlWords; ++i)
        put32(v, 0x01010101);
    return v;
}

Bytes echo(std::uint8_t type, unsigned id, unsigned seq, unsigned payload = 56)
{
    Bytes v{type, 0, 0, 0};
    put16(v, id);
    put16(v, seq);
    v.resize(v.size() + payload, 0xAB);
    return v;
}

// An IPv6 fixed header (hop limit 64); addresses 2001:db8::src and 2001:db8::dst.
Bytes ipv6(std::uint8_t next, unsigned payloadLength, std::uint8_t src = 1, std::uint8_t dst = 2)
{
    Bytes v{0x60, 0, 0, 0};
    put16(v, payloadLength);
    v.push_back(next);
    v.push_back(64);
    for (std::uint8_t a : {src, dst}) {
        put32(v, 0x20010DB8u);
        put32(v, 0);
        put32(v, 0);
        put32(v, a);
    }
    return v;
}

// An options-style extension header of (units + 1) * 8 bytes, padded with PadN.
Bytes extension(std::uint8_t next, std::uint8_t units)
{
    Bytes v{next, units, 1, std::uint8_t(units * 8 + 4)};
    v.resize((units + 1u) * 8u, 0);
    return v;
}

// A fragment header, identification 99.
Bytes fragment(std::uint8_t next, unsigned offsetBytes, bool more)
{
    Bytes v{next, 0};
    put16(v, (offsetBytes & 0xFFF8) | (more ? 1 : 0));
    put32(v, 99);
    return v;
}

Bytes ipv4Echo(std::uint8_t type = 8, unsigned ihlWords = 5)
{
    Bytes v = ipv4(1, 64, ihlWords);
    append(v, echo(type, 7, 9));
    return v;
}

Bytes ethernet(unsigned etherType, std::initializer_list<std::pair<unsigned, unsigned>> tags = {})
{
    Bytes v{0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
    for (auto [tpid, tci] : tags) {
        put16(v, tpid);
        put16(v, tci);
    }
    put16(v, etherType);
    return v;
}

Bytes sll2(unsigned protocol, std::uint32_t ifindex, std::uint8_t packetType)
{
    Bytes v;
    put16(v, protocol);
    put16(v, 0);
    put32(v, ifindex);
    put16(v, 1);
    v.push_back(packetType);
    v.push_back(6);
    v.resize(v.size() + 8, 0x02);
    return v;
}

Bytes udp(unsigned sport, unsigned dport, unsigned payloadLength)
{
    Bytes v;
    put16(v, sport);
    put16(v, dport);
    put16(v, 8 + payloadLength);
    put16(v, 0);
    return v;
}

Bytes vxlanPacket(unsigned port, std::uint8_t flags = 0x08, std::uint32_t vni = 4096)
{
    Bytes inner = ethernet(0x0800);
    append(inner, ipv4Echo(0));
    Bytes v = ipv4(17, 8 + 8 + unsigned(inner.size()), 5, 0, -1, 10, 20);
    append(v, udp(40000, port, 8 + unsigned(inner.size())));
    v.push_back(flags);
    v.resize(v.size() + 3, 0);
    put32(v, vni << 8);
    append(v, inner);
    return v;
}

} // namespace

class TestPcapDissector : public QObject {
    Q_OBJECT
private slots:
    void fixturePackets_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("summary");
        const auto row = [](const char *file, int index, const char *summary) {
            QTest::newRow(qPrintable(QStringLiteral("%1 #%2").arg(file).arg(index))) << file << index << summary;
        };
        row("pc-ipip-any.pcap", 0,
            "1795601951.023735000 LINUX_SLL2 if4 Out 104/104 0x0800 | 198.18.2.0 > 198.18.3.0 proto 1 ttl 64 id 14848 offset 0 DF length 84 | icmp 8/0 echo request id 13166 seq 1 payload 56");
        row("pc-ipip-any.pcap", 1,
            "1795601951.024127000 LINUX_SLL2 if2 Out 48/48 0x0806 (not IP)");
        row("pc-ipip-any.pcap", 3,
            "1795601951.024148000 LINUX_SLL2 if2 Out 124/124 0x0800 | 198.51.100.1 > 198.51.100.65 proto 4 ttl 64 id 35214 offset 0 DF length 104 | ipip | 198.18.2.0 > 198.18.3.0 proto 1 ttl 64 id 14848 offset 0 DF length 84 | icmp 8/0 echo request id 13166 seq 1 payload 56");
        row("pc-ipip-any.pcap", 4,
            "1795601951.025150000 LINUX_SLL2 if2 In 124/124 0x0800 | 198.51.100.65 > 198.51.100.1 proto 4 ttl 63 id 27588 offset 0 DF length 104 | ipip | 198.18.3.0 > 198.18.2.0 proto 1 ttl 64 id 250 offset 0 length 84 | icmp 0/0 echo reply id 13166 seq 1 payload 56");
        row("pc-ipip-sll.pcap", 3,
            "1795601951.024148000 LINUX_SLL Out 120/120 0x0800 | 198.51.100.1 > 198.51.100.65 proto 4 ttl 64 id 35214 offset 0 DF length 104 | ipip | 198.18.2.0 > 198.18.3.0 proto 1 ttl 64 id 14848 offset 0 DF length 84 | icmp 8/0 echo request id 13166 seq 1 payload 56");
        row("pc-ipip-tunl0-raw.pcap", 1,
            "1795601951.025333000 RAW 84/84 0x0800 | 198.18.3.0 > 198.18.2.0 proto 1 ttl 64 id 250 offset 0 length 84 | icmp 0/0 echo reply id 13166 seq 1 payload 56");
        row("pc-ipip-any-nano.pcap", 0,
            "1795601951.023735509 LINUX_SLL2 if4 Out 104/104 0x0800 | 198.18.2.0 > 198.18.3.0 proto 1 ttl 64 id 14848 offset 0 DF length 84 | icmp 8/0 echo request id 13166 seq 1 payload 56");
        row("pc-vxlan-eth0-a.pcap", 0,
            "1795601958.614786000 EN10MB 148/148 0x0800 | 198.51.100.1.49959 > 198.51.100.65.4789 proto 17 ttl 64 id 30057 offset 0 length 134 | vxlan vni 4096 | 198.18.0.0 > 198.18.1.0 proto 1 ttl 64 id 2457 offset 0 DF length 84 | icmp 8/0 echo request id 13318 seq 1 payload 56");
        row("pc-vxlan-any-b.pcap", 0,
            "1795601958.614806000 LINUX_SLL2 if2 In 154/154 0x0800 | 198.51.100.1.49959 > 198.51.100.65.4789 proto 17 ttl 63 id 30057 offset 0 length 134 | vxlan vni 4096 | 198.18.0.0 > 198.18.1.0 proto 1 ttl 64 id 2457 offset 0 DF length 84 | icmp 8/0 echo request id 13318 seq 1 payload 56");
        row("pc-vxlan-any-b.pcap", 2,
            "1795601958.614833000 LINUX_SLL2 if3 Out 104/104 0x0800 | 198.18.1.0 > 198.18.0.0 proto 1 ttl 64 id 53325 offset 0 length 84 | icmp 0/0 echo reply id 13318 seq 1 payload 56");
        row("pc-vlan-eth0-r.pcap", 0,
            "1795602006.751519000 EN10MB vlan 100 102/102 0x0800 | 198.18.4.1 > 198.18.4.2 proto 1 ttl 64 id 4097 offset 0 DF length 84 | icmp 8/0 echo request id 16962 seq 1 payload 56");
        row("pc-fragneeded-any.pcap", 2,
            "1795601973.277652000 LINUX_SLL2 if2 In 596/596 0x0800 | 198.51.100.62 > 198.51.100.1 proto 1 ttl 64 id 8132 offset 0 length 576 | icmp 3/4 need to frag mtu 1400 quoting [198.51.100.1 > 198.51.100.65 proto 4 ttl 64 id 38241 offset 0 DF length 1448 truncated]");
        row("pc-fragneeded-any.pcap", 4,
            "1795601973.777617000 LINUX_SLL2 if2 Out 1416/1416 0x0800 | 198.51.100.1 > 198.51.100.65 proto 4 ttl 64 id 38314 offset 0 MF length 1396 | ipip | 198.18.2.0 > 198.18.3.0 proto 1 ttl 64 id 0 offset 0 DF length 1428 truncated | icmp 8/0 echo request id 13530 seq 2 payload 1400");
        row("pc-fragneeded-any.pcap", 5,
            "1795601973.777691000 LINUX_SLL2 if2 Out 92/92 0x0800 | 198.51.100.1 > 198.51.100.65 proto 4 ttl 64 id 38314 offset 1376 length 72 (later fragment)");
        row("pc-unreachable-any.pcap", 1,
            "1795601992.701902000 LINUX_SLL2 if2 In 82/82 0x0800 | 198.51.100.65 > 198.51.100.1 proto 1 ttl 63 id 31211 offset 0 length 62 | icmp 3/3 quoting [198.51.100.1.40000 > 198.51.100.65.33434 proto 17 ttl 63 id 30960 offset 0 DF length 34]");
        row("pc-unreachable-any.pcap", 3,
            "1795601992.723779000 LINUX_SLL2 if2 In 132/132 0x0800 | 198.51.100.62 > 198.51.100.1 proto 1 ttl 64 id 8276 offset 0 length 112 | icmp 11/0 quoting [198.51.100.1 > 198.51.100.65 proto 1 ttl 1 id 29692 offset 0 DF length 84 echo id 13660 seq 1]");
        row("pc-unreachable-any.pcap", 5,
            "1795601995.804903000 LINUX_SLL2 if2 In 132/132 0x0800 | 198.51.100.62 > 198.51.100.1 proto 1 ttl 64 id 8439 offset 0 length 112 | icmp 3/1 quoting [198.51.100.1 > 198.51.100.100 proto 1 ttl 63 id 22777 offset 0 DF length 84 echo id 13661 seq 1]");
        row("pc-vxlan-fragments-b.pcap", 0,
            "1795601966.211790000 LINUX_SLL2 if2 In 1416/1416 0x0800 | 198.51.100.1.49959 > 198.51.100.65.4789 proto 17 ttl 63 id 30337 offset 0 MF length 1396 | vxlan vni 4096 | 198.18.0.0 > 198.18.1.0 proto 1 ttl 64 id 0 offset 0 DF length 1428 truncated | icmp 8/0 echo request id 13425 seq 1 payload 1400");
        row("pc-vxlan-fragments-b.pcap", 1,
            "1795601966.211791000 LINUX_SLL2 if2 In 122/122 0x0800 | 198.51.100.1 > 198.51.100.65 proto 17 ttl 63 id 30337 offset 1376 length 102 (later fragment)");
        row("pc-vxlan-fragments-b.pcap", 6,
            "1795601966.211844000 LINUX_SLL2 if2 Out 170/170 0x0800 | 198.51.100.65.49959 > 198.51.100.1.4789 proto 17 ttl 64 id 41118 offset 0 length 150 | vxlan vni 4096 | 198.18.1.0 > 198.18.0.0 proto 1 ttl 64 id 54967 offset 1328 length 100 (later fragment)");
        // IPv6 (make-pc6-fixtures.sh), each checked against tcpdump -nn -vvv on the same file.
        row("pc6-vxlan-any-a.pcap", 0,
            "1796627943.876212000 LINUX_SLL2 if2 M 176/176 0x86dd | fe80::ff:fe00:6301 > ff02::16 next 58 hlim 1 extensions 8 payload 116 | icmp6 143/0");
        row("pc6-vxlan-any-a.pcap", 2,
            "1796627945.144253000 LINUX_SLL2 if3 Out 124/124 0x86dd | 2001:db8:1800:: > 2001:db8:1800::40 next 58 hlim 64 flow 1043943 payload 64 | icmp6 128/0 echo request id 6410 seq 1 payload 56");
        row("pc6-vxlan-any-a.pcap", 3,
            "1796627945.144301000 LINUX_SLL2 if2 Out 194/194 0x86dd | 2001:db8:100::1.58378 > 2001:db8:101::1.4789 next 17 hlim 64 payload 134 | vxlan vni 4096 | 2001:db8:1800:: > 2001:db8:1800::40 next 58 hlim 64 flow 1043943 payload 64 | icmp6 128/0 echo request id 6410 seq 1 payload 56");
        row("pc6-vxlan-any-a.pcap", 4,
            "1796627945.144392000 LINUX_SLL2 if2 In 194/194 0x86dd | 2001:db8:101::1.44997 > 2001:db8:100::1.4789 next 17 hlim 63 payload 134 | vxlan vni 4096 | 2001:db8:1800::40 > 2001:db8:1800:: next 58 hlim 64 flow 403656 payload 64 | icmp6 129/0 echo reply id 6410 seq 1 payload 56");
        row("pc6-vxlan-eth0-b.pcap", 0,
            "1796627945.144316000 EN10MB 188/188 0x86dd | 2001:db8:100::1.58378 > 2001:db8:101::1.4789 next 17 hlim 63 payload 134 | vxlan vni 4096 | 2001:db8:1800:: > 2001:db8:1800::40 next 58 hlim 64 flow 1043943 payload 64 | icmp6 128/0 echo request id 6410 seq 1 payload 56");
        row("pc6-vxlan-dev-a.pcap", 1,
            "1796627945.144392000 EN10MB 118/118 0x86dd | 2001:db8:1800::40 > 2001:db8:1800:: next 58 hlim 64 flow 403656 payload 64 | icmp6 129/0 echo reply id 6410 seq 1 payload 56");
        row("pc6-toobig-any-a.pcap", 1,
            "1796627952.691468000 LINUX_SLL2 if2 In 1300/1300 0x86dd | 2001:db8:100::fe > 2001:db8:100::1 next 58 hlim 64 flow 240483 payload 1240 | icmp6 2/0 packet too big mtu 1400 quoting [2001:db8:100::1 > 2001:db8:101::1 next 58 hlim 64 flow 499035 payload 1408 truncated echo id 6465 seq 1]");
        row("pc6-toobig-any-a.pcap", 3,
            "1796627952.697700000 LINUX_SLL2 if1 In 1300/1300 0x86dd | 2001:db8:100::1 > 2001:db8:100::1 next 58 hlim 64 flow 386497 payload 1240 | icmp6 2/0 packet too big mtu 1400 quoting [2001:db8:100::1.58378 > 2001:db8:101::1.4789 next 17 hlim 64 payload 1428 truncated]");
        row("pc6-fragments-any-b.pcap", 0,
            "1796627970.216276000 LINUX_SLL2 if2 In 1420/1420 0x86dd | 2001:db8:100::1 > 2001:db8:101::1 next 58 hlim 63 flow 499035 extensions 8 frag id 182470389 offset 0 MF payload 1360 | icmp6 128/0 echo request id 6594 seq 1 payload 1344");
        row("pc6-fragments-any-b.pcap", 1,
            "1796627970.216291000 LINUX_SLL2 if2 In 1420/1420 0x86dd | 2001:db8:100::1 > 2001:db8:101::1 next 58 hlim 63 flow 499035 extensions 8 frag id 182470389 offset 1352 MF payload 1360 (later fragment)");
        row("pc6-fragments-any-b.pcap", 3,
            "1796627970.216309000 LINUX_SLL2 if2 Out 1420/1420 0x86dd | 2001:db8:101::1 > 2001:db8:100::1 next 58 hlim 64 flow 318973 extensions 8 frag id 1932431632 offset 0 MF payload 1360 | icmp6 129/0 echo reply id 6594 seq 1 payload 1344");
        row("pc6-unreachable-any-a.pcap", 3,
            "1796627977.041300000 LINUX_SLL2 if2 In 122/122 0x86dd | 2001:db8:101::1 > 2001:db8:100::1 next 58 hlim 63 flow 703614 payload 62 | icmp6 1/4 quoting [2001:db8:100::1.40000 > 2001:db8:101::1.33434 next 17 hlim 63 flow 273777 payload 14]");
        row("pc6-unreachable-any-a.pcap", 5,
            "1796627977.074445000 LINUX_SLL2 if2 In 172/172 0x86dd | 2001:db8:100::fe > 2001:db8:100::1 next 58 hlim 64 flow 590186 payload 112 | icmp6 3/0 quoting [2001:db8:100::1 > 2001:db8:101::1 next 58 hlim 1 flow 499035 payload 64 echo id 6668 seq 1]");
        row("pc6-unreachable-any-a.pcap", 7,
            "1796627980.136204000 LINUX_SLL2 if2 In 172/172 0x86dd | 2001:db8:100::fe > 2001:db8:100::1 next 58 hlim 64 flow 219647 payload 112 | icmp6 1/3 quoting [2001:db8:100::1 > 2001:db8:101::99 next 58 hlim 63 flow 250983 payload 64 echo id 6669 seq 1]");
        // WireGuard (make-wg-fixtures.sh): the header in the clear, the echo it carries not.
        row("wg-eth0-a.pcap", 0,
            "1796641226.179258000 EN10MB 190/190 0x0800 | 198.51.100.1.51820 > 198.51.100.65.51820 proto 17 ttl 64 id 8468 offset 0 DF length 176 | wireguard handshake initiation len 148");
        row("wg-eth0-a.pcap", 1,
            "1796641226.179916000 EN10MB 134/134 0x0800 | 198.51.100.65.51820 > 198.51.100.1.51820 proto 17 ttl 64 id 18389 offset 0 DF length 120 | wireguard handshake response receiver 0x54cfddd3 len 92");
        row("wg-eth0-a.pcap", 2,
            "1796641226.180273000 EN10MB 170/170 0x0800 | 198.51.100.1.51820 > 198.51.100.65.51820 proto 17 ttl 64 id 8469 offset 0 DF length 156 | wireguard data receiver 0x7f286ff7 counter 0 len 128");
        row("wg-eth0-b.pcap", 2,
            "1796641228.808319000 EN10MB 170/170 0x0800 | 198.51.100.1.51820 > 198.51.100.65.51820 proto 17 ttl 64 id 8706 offset 0 DF length 156 | wireguard data receiver 0x7f286ff7 counter 4 len 128");
        row("wg-dev-a.pcap", 0,
            "1796641226.179018000 RAW 84/84 0x0800 | 198.18.0.0 > 198.18.1.0 proto 1 ttl 64 id 54848 offset 0 DF length 84 | icmp 8/0 echo request id 4898 seq 1 payload 56");
        row("pc6-unreachable-any-a.pcap", 0,
            "1796627975.428232000 LINUX_SLL2 if2 In 92/92 0x86dd | fe80::ff:fe00:6301 > 2001:db8:100::1 next 58 hlim 255 payload 32 | icmp6 135/0");
    }
    void fixturePackets()
    {
        QFETCH(QString, file);
        QFETCH(int, index);
        QFETCH(QString, summary);
        const Decoded d = decode(readFixture(file), {0, 0});
        QVERIFY(index < int(d.lines.size()));
        QCOMPARE(QString::fromStdString(d.lines[std::size_t(index)]), summary);
    }

    void fixtureFields()
    {
        // The same IPIP echo request as tcpdump -i any shows it, field by field.
        const Decoded d = decode(readFixture("pc-ipip-any.pcap"), {0, 0});
        const CapturedPacket &p = d.packets.at(3);
        QCOMPARE(p.linkType, LinkType::LinuxSll2);
        QCOMPARE(p.direction, PacketDirection::Outgoing);
        QCOMPARE(p.ifindex, 2u);
        QCOMPARE(p.wireLength, 124u);
        QCOMPARE(p.capturedLength, 124u);
        QCOMPARE(p.encapsulation, Encapsulation::Ipip);
        QVERIFY(p.outer && p.inner && p.icmp);
        QCOMPARE(QString::fromStdString(p.outer->source.toString()), "198.51.100.1");
        QCOMPARE(QString::fromStdString(p.outer->destination.toString()), "198.51.100.65");
        QCOMPARE(p.outer->protocol, std::uint8_t(4));
        QCOMPARE(QString::fromStdString(p.inner->source.toString()), "198.18.2.0");
        QCOMPARE(QString::fromStdString(p.inner->destination.toString()), "198.18.3.0");
        QVERIFY(p.icmp->isEchoRequest());
        QCOMPARE(p.icmp->echoSequence, std::uint16_t(1));
        QCOMPARE(p.icmp->payloadLength, std::uint16_t(56));
        QCOMPARE(p.innermost(), &*p.inner);
        // Swapped and nanosecond variants carry the very same packets.
        const Decoded nano = decode(readFixture("pc-ipip-any-nano-swapped.pcap"), {0, 0});
        QCOMPARE(nano.packets.size(), d.packets.size());
        for (std::size_t i = 0; i < d.packets.size(); ++i) {
            QCOMPARE(nano.packets[i].timestampNs / 1000, d.packets[i].timestampNs / 1000);
            QCOMPARE(nano.lines[i].substr(20), d.lines[i].substr(20));
        }
    }

    void fixtureFieldsIpv6()
    {
        // VXLAN over IPv6 out of a dual-stack node's NIC: both datagrams IPv6, the echo ICMPv6.
        const Decoded d = decode(readFixture("pc6-vxlan-any-a.pcap"), {0, 0});
        const CapturedPacket &p = d.packets.at(3);
        QCOMPARE(p.encapsulation, Encapsulation::Vxlan);
        QVERIFY(p.outer6 && p.inner6 && p.icmp && !p.outer && !p.inner);
        QCOMPARE(p.outer6->source, *podpath::Ipv6::parse("2001:db8:100::1"));
        QCOMPARE(p.outer6->destination, *podpath::Ipv6::parse("2001:db8:101::1"));
        QCOMPARE(p.outer6->destinationPort, std::uint16_t(4789));
        QCOMPARE(p.inner6->destination, *podpath::Ipv6::parse("2001:db8:1800::40"));
        QVERIFY(p.icmp->v6 && p.icmp->isEchoRequest() && !p.icmp->isError());
        QCOMPARE(p.icmp->echoId, std::uint16_t(6410));
        // The IPv4 accessor never hands an IPv6 datagram to IPv4 code.
        QCOMPARE(p.innermost(), nullptr);
        QCOMPARE(p.innermost6(), &*p.inner6);
        QCOMPARE(p.inner6->totalLength(), 104u);
        // An IPv6 packet too big names the MTU and quotes the echo it refused.
        const Decoded big = decode(readFixture("pc6-toobig-any-a.pcap"), {0, 0});
        const CapturedPacket &t = big.packets.at(1);
        QVERIFY(t.icmp && t.icmp->isFragmentationNeeded() && t.icmp->isError() && t.icmp->quoted6 && !t.icmp->quoted);
        QCOMPARE(t.icmp->nextHopMtu, std::uint16_t(1400));
        QCOMPARE(t.icmp->quoted6->destination, *podpath::Ipv6::parse("2001:db8:101::1"));
    }

    void fixtureFieldsWireguard()
    {
        // The handshake response's receiver is the initiator's index; its sender (bytes
        // 4..7) is what the initiator's data packets then carry as their receiver.
        const Decoded a = decode(readFixture("wg-eth0-a.pcap"), {0, 0});
        const Decoded b = decode(readFixture("wg-eth0-b.pcap"), {0, 0});
        QVERIFY(a.packets.at(0).wireguard && a.packets.at(0).wireguard->type == 1);
        QCOMPARE(a.packets.at(1).wireguard->receiver, 0x54cfddd3u);
        // A's data packets to B, in A's capture (the first ping) and B's (the second): one
        // session, so one receiver index, and a counter that only grows. The receiver index
        // and counter are what names one encrypted echo on both nodes' wires.
        std::vector<std::pair<std::uint32_t, std::uint64_t>> keys;
        for (const Decoded *d : {&a, &b})
            for (const auto &p : d->packets)
                if (p.wireguard && p.wireguard->isData() && p.outer->source.toString() == "198.51.100.1") {
                    QCOMPARE(p.wireguard->length, 128u);  // an 84-byte echo padded to 96, plus 32
                    QCOMPARE(p.wireguard->paddedInnerLength(), 96u);
                    keys.emplace_back(p.wireguard->receiver, p.wireguard->counter);
                }
        QCOMPARE(keys.size(), std::size_t(6));
        for (std::size_t i = 1; i < keys.size(); ++i) {
            QCOMPARE(keys[i].first, 0x7f286ff7u);
            QVERIFY(keys[i].second > keys[i - 1].second);
        }
        // Plain echoes and VXLAN are never taken for WireGuard.
        for (const char *file : {"wg-dev-a.pcap", "pc-vxlan-any-b.pcap", "pc-ipip-any.pcap", "pc-unreachable-any.pcap"})
            for (const auto &p : decode(readFixture(file), {0, 0}).packets)
                QVERIFY2(!p.wireguard, file);
    }

    void synthetic_data()
    {
        QTest::addColumn<int>("linkType");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("wireLength");  // 0: as many bytes as captured
        QTest::addColumn<int>("vxlanPort");
        QTest::addColumn<QString>("summary");
        const auto row = [](const char *name, LinkType type, const Bytes &b, const char *summary, int port = 4789,
                            int wire = 0) {
            QTest::newRow(name) << int(type) << QByteArray(reinterpret_cast<const char *>(b.data()), int(b.size()))
                                << wire << port << summary;
        };
        Bytes withOptions = ipv4Echo(8, 7);
        row("IPv4 options", LinkType::Raw, withOptions,
            "1.000000123 RAW 92/92 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 92 options 8 | icmp 8/0 echo request id 7 seq 9 payload 56");
        Bytes ihl4 = ipv4Echo();
        ihl4[0] = 0x44;
        row("IHL 4", LinkType::Raw, ihl4, "1.000000123 RAW 84/84 0x0800 (IP header invalid)");
        Bytes v6inEther = ethernet(0x0800);
        append(v6inEther, ipv4Echo());
        v6inEther[14] = 0x65;
        row("version 6 under ethertype IPv4", LinkType::Ethernet, v6inEther,
            "1.000000123 EN10MB 98/98 0x0800 (IP header invalid)");
        row("total length below IHL", LinkType::Raw, [] { Bytes b = ipv4(1, 0, 5, 0, 12); append(b, echo(8, 1, 1)); return b; }(),
            "1.000000123 RAW 84/84 0x0800 (IP header invalid)");
        row("TSO total length 0 reads what was captured", LinkType::Raw,
            [] { Bytes b = ipv4(6, 0, 5, 0x4000, 0); append(b, udp(443, 50000, 100)); b.resize(b.size() + 100); return b; }(),
            "1.000000123 RAW 128/128 0x0800 | 198.18.0.1.443 > 198.18.0.2.50000 proto 6 ttl 64 id 4660 offset 0 DF length 0");
        Bytes padded = ethernet(0x0800);
        append(padded, ipv4(1, 8));
        append(padded, echo(0, 3, 4, 0));
        padded.resize(60, 0);
        row("Ethernet padding is not payload", LinkType::Ethernet, padded,
            "1.000000123 EN10MB 60/60 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 28 | icmp 0/0 echo reply id 3 seq 4 payload 0");
        row("VXLAN on 4789", LinkType::Raw, vxlanPacket(4789),
            "1.000000123 RAW 134/134 0x0800 | 198.18.0.10.40000 > 198.18.0.20.4789 proto 17 ttl 64 id 4660 offset 0 length 134 | vxlan vni 4096 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 84 | icmp 0/0 echo reply id 7 seq 9 payload 56");
        row("VXLAN on 8472 is plain UDP by default", LinkType::Raw, vxlanPacket(8472),
            "1.000000123 RAW 134/134 0x0800 | 198.18.0.10.40000 > 198.18.0.20.8472 proto 17 ttl 64 id 4660 offset 0 length 134");
        row("VXLAN on 8472 when configured", LinkType::Raw, vxlanPacket(8472, 0x08, 1),
            "1.000000123 RAW 134/134 0x0800 | 198.18.0.10.40000 > 198.18.0.20.8472 proto 17 ttl 64 id 4660 offset 0 length 134 | vxlan vni 1 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 84 | icmp 0/0 echo reply id 7 seq 9 payload 56",
            8472);
        row("VXLAN without the I flag", LinkType::Raw, vxlanPacket(4789, 0x00),
            "1.000000123 RAW 134/134 0x0800 | 198.18.0.10.40000 > 198.18.0.20.4789 proto 17 ttl 64 id 4660 offset 0 length 134");
        row("VXLAN cut inside the inner Ethernet header", LinkType::Raw, [] { Bytes b = vxlanPacket(4789); b.resize(20 + 8 + 8 + 10); return b; }(),
            "1.000000123 RAW 46/46 0x0800 | 198.18.0.10.40000 > 198.18.0.20.4789 proto 17 ttl 64 id 4660 offset 0 length 134 truncated | vxlan vni 4096 (transport header truncated)");
        Bytes qinq = ethernet(0x0800, {{0x88A8, 0x0064}, {0x8100, 0x00C8}});
        append(qinq, ipv4Echo());
        row("802.1ad + 802.1Q", LinkType::Ethernet, qinq,
            "1.000000123 EN10MB vlan 100 106/106 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 84 | icmp 8/0 echo request id 7 seq 9 payload 56");
        Bytes vlanArp = ethernet(0x0806, {{0x8100, 0x2005}});
        vlanArp.resize(vlanArp.size() + 28);
        row("VLAN-tagged ARP", LinkType::Ethernet, vlanArp, "1.000000123 EN10MB vlan 5 46/46 0x0806 (not IP)");
        row("VLAN tag cut", LinkType::Ethernet, ethernet(0x8100), "1.000000123 EN10MB 14/14 0x8100 (link header truncated)");
        for (auto [type, name] : {std::pair{1, "B"}, std::pair{2, "M"}, std::pair{3, "P"}, std::pair{7, "unknown"}}) {
            Bytes b = sll2(0x0800, 9, std::uint8_t(type));
            append(b, ipv4Echo());
            const std::string expect = std::string("1.000000123 LINUX_SLL2 if9") + (type == 7 ? "" : std::string(" ") + name) +
                                       " 104/104 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 84 | icmp 8/0 echo request id 7 seq 9 payload 56";
            QTest::newRow(qPrintable(QStringLiteral("SLL2 packet type %1").arg(type)))
                << int(LinkType::LinuxSll2) << QByteArray(reinterpret_cast<const char *>(b.data()), int(b.size())) << 0
                << 4789 << QString::fromStdString(expect);
        }
        row("SLL2 cut", LinkType::LinuxSll2, Bytes(19, 0),
            "1.000000123 LINUX_SLL2 19/19 0x0000 (link header truncated)");
        row("raw IPv6 cut inside its fixed header", LinkType::Raw, Bytes{0x60, 0, 0, 0, 0, 0, 58, 64},
            "1.000000123 RAW 8/8 0x86dd (IP header truncated)");
        // IPv6: the extension headers walked to the upper layer, each cut reported, never read past.
        row("IPv6 hop-by-hop and destination options before ICMPv6", LinkType::Raw,
            [] { Bytes b = ipv6(0, 80); append(b, extension(60, 0)); append(b, extension(58, 0)); append(b, echo(128, 7, 9)); return b; }(),
            "1.000000123 RAW 120/120 0x86dd | 2001:db8::1 > 2001:db8::2 next 58 hlim 64 extensions 16 payload 80 | icmp6 128/0 echo request id 7 seq 9 payload 56");
        row("IPv6 extension header cut", LinkType::Raw, [] { Bytes b = ipv6(0, 72); append(b, extension(58, 1)); b.resize(52); return b; }(),
            "1.000000123 RAW 52/52 0x86dd (IP header truncated)");
        row("IPv6 first fragment reads the echo", LinkType::Raw,
            [] { Bytes b = ipv6(44, 8 + 64); append(b, fragment(58, 0, true)); append(b, echo(129, 3, 4)); return b; }(),
            "1.000000123 RAW 112/112 0x86dd | 2001:db8::1 > 2001:db8::2 next 58 hlim 64 extensions 8 frag id 99 offset 0 MF payload 72 | icmp6 129/0 echo reply id 3 seq 4 payload 56");
        row("IPv6 later fragment", LinkType::Raw,
            [] { Bytes b = ipv6(44, 8 + 40); append(b, fragment(58, 1352, false)); b.resize(b.size() + 40, 0xAB); return b; }(),
            "1.000000123 RAW 88/88 0x86dd | 2001:db8::1 > 2001:db8::2 next 58 hlim 64 extensions 8 frag id 99 offset 1352 payload 48 (later fragment)");
        row("IPv6 AH then UDP", LinkType::Raw,
            [] { Bytes b = ipv6(51, 24 + 8); Bytes ah{17, 4}; ah.resize(24, 0); append(b, ah); append(b, udp(5000, 53, 0)); return b; }(),
            "1.000000123 RAW 72/72 0x86dd | 2001:db8::1.5000 > 2001:db8::2.53 next 17 hlim 64 extensions 24 payload 32");
        row("IPv6 ESP is left unread", LinkType::Raw, [] { Bytes b = ipv6(50, 16); b.resize(b.size() + 16, 0xEE); return b; }(),
            "1.000000123 RAW 56/56 0x86dd | 2001:db8::1 > 2001:db8::2 next 50 hlim 64 payload 16");
        row("IPv6 payload length 0 reads what was captured", LinkType::Raw,
            [] { Bytes b = ipv6(17, 0); append(b, udp(443, 50000, 20)); b.resize(b.size() + 20); return b; }(),
            "1.000000123 RAW 68/68 0x86dd | 2001:db8::1.443 > 2001:db8::2.50000 next 17 hlim 64 payload 0");
        row("IPv6 payload beyond the capture", LinkType::Raw, [] { Bytes b = ipv6(58, 64); append(b, echo(128, 1, 2)); b.resize(60); return b; }(),
            "1.000000123 RAW 60/104 0x86dd | 2001:db8::1 > 2001:db8::2 next 58 hlim 64 payload 64 truncated | icmp6 128/0 echo request id 1 seq 2 payload 56",
            4789, 104);
        row("version 4 under ethertype IPv6", LinkType::Ethernet, [] { Bytes b = ethernet(0x86DD); append(b, ipv4Echo()); return b; }(),
            "1.000000123 EN10MB 98/98 0x86dd (IP header invalid)");
        row("VXLAN over IPv4 carrying IPv6", LinkType::Raw,
            [] {
                Bytes inner = ethernet(0x86DD);
                append(inner, ipv6(58, 64));
                append(inner, echo(128, 5, 6));
                Bytes b = ipv4(17, 16 + unsigned(inner.size()), 5, 0, -1, 10, 20);
                append(b, udp(40000, 4789, 8 + unsigned(inner.size())));
                b.push_back(0x08);
                b.resize(b.size() + 3, 0);
                put32(b, 4096u << 8);
                append(b, inner);
                return b;
            }(),
            "1.000000123 RAW 154/154 0x0800 | 198.18.0.10.40000 > 198.18.0.20.4789 proto 17 ttl 64 id 4660 offset 0 length 154 | vxlan vni 4096 | 2001:db8::1 > 2001:db8::2 next 58 hlim 64 payload 64 | icmp6 128/0 echo request id 5 seq 6 payload 56");
        row("ICMPv6 type 8 is no echo", LinkType::Raw, [] { Bytes b = ipv6(58, 64); append(b, echo(8, 1, 2)); return b; }(),
            "1.000000123 RAW 104/104 0x86dd | 2001:db8::1 > 2001:db8::2 next 58 hlim 64 payload 64 | icmp6 8/0");
        row("ICMPv4 type 128 is no echo", LinkType::Raw, [] { Bytes b = ipv4(1, 64); append(b, echo(128, 1, 2)); return b; }(),
            "1.000000123 RAW 84/84 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 84 | icmp 128/0");
        row("raw, empty", LinkType::Raw, Bytes{}, "1.000000123 RAW 0/0 0x0000 (link header truncated)");
        row("unsupported link type", LinkType(147), ipv4Echo(), "1.000000123 unsupported 84/84 0x0000 (unsupported link type)");
        row("IPV4 link type", LinkType::Ipv4, ipv4Echo(0),
            "1.000000123 IPV4 84/84 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 84 | icmp 0/0 echo reply id 7 seq 9 payload 56");
        row("later fragment", LinkType::Raw, [] { Bytes b = ipv4(1, 40, 5, 0x00B9); b.resize(60); return b; }(),
            "1.000000123 RAW 60/60 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 1480 length 60 (later fragment)");
        row("IPIP with the inner header cut", LinkType::Raw, [] { Bytes b = ipv4(4, 84); append(b, ipv4Echo()); b.resize(30); return b; }(),
            "1.000000123 RAW 30/30 0x0800 | 198.18.0.1 > 198.18.0.2 proto 4 ttl 64 id 4660 offset 0 DF length 104 truncated | ipip (transport header truncated)");
        row("IPIP carrying TCP", LinkType::Raw, [] { Bytes b = ipv4(4, 40); append(b, ipv4(6, 20)); append(b, udp(5473, 179, 12)); b.resize(60); return b; }(),
            "1.000000123 RAW 60/60 0x0800 | 198.18.0.1 > 198.18.0.2 proto 4 ttl 64 id 4660 offset 0 DF length 60 | ipip | 198.18.0.1.5473 > 198.18.0.2.179 proto 6 ttl 64 id 4660 offset 0 DF length 40");
        row("echo cut after 6 bytes", LinkType::Raw, [] { Bytes b = ipv4Echo(); b.resize(26); return b; }(),
            "1.000000123 RAW 26/84 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 84 truncated (transport header truncated)",
            4789, 84);
        row("ICMP cut after 2 bytes", LinkType::Raw, [] { Bytes b = ipv4Echo(); b.resize(22); return b; }(),
            "1.000000123 RAW 22/84 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 84 truncated (transport header truncated)",
            4789, 84);
        row("UDP cut after 3 bytes", LinkType::Raw, [] { Bytes b = ipv4(17, 8); b.resize(23); return b; }(),
            "1.000000123 RAW 23/28 0x0800 | 198.18.0.1 > 198.18.0.2 proto 17 ttl 64 id 4660 offset 0 DF length 28 truncated (transport header truncated)",
            4789, 28);
        row("frag needed quoting a UDP datagram", LinkType::Raw, [] {
                Bytes quoted = ipv4(17, 1472, 5, 0x4000, -1, 5, 6);
                append(quoted, udp(1111, 2222, 1464));
                Bytes icmp{3, 4, 0, 0, 0, 0, 0x05, 0x78};  // next-hop MTU 1400
                append(icmp, quoted);
                Bytes b = ipv4(1, unsigned(icmp.size()), 5, 0, -1, 9, 5);
                append(b, icmp);
                return b;
            }(),
            "1.000000123 RAW 56/56 0x0800 | 198.18.0.9 > 198.18.0.5 proto 1 ttl 64 id 4660 offset 0 length 56 | icmp 3/4 need to frag mtu 1400 quoting [198.18.0.5.1111 > 198.18.0.6.2222 proto 17 ttl 64 id 4660 offset 0 DF length 1492 truncated]");
        row("ICMP error with a garbled quote", LinkType::Raw, [] {
                Bytes icmp{11, 0, 0, 0, 0, 0, 0, 0, 0x99, 0x99};
                Bytes b = ipv4(1, unsigned(icmp.size()));
                append(b, icmp);
                return b;
            }(),
            "1.000000123 RAW 30/30 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 30 | icmp 11/0");
        row("ICMP timestamp request kept as type/code", LinkType::Raw, [] {
                Bytes icmp{13, 0, 0, 0, 0, 1, 0, 1};
                icmp.resize(20);
                Bytes b = ipv4(1, unsigned(icmp.size()));
                append(b, icmp);
                return b;
            }(),
            "1.000000123 RAW 40/40 0x0800 | 198.18.0.1 > 198.18.0.2 proto 1 ttl 64 id 4660 offset 0 DF length 40 | icmp 13/0");
    }
    void synthetic()
    {
        QFETCH(int, linkType);
        QFETCH(QByteArray, bytes);
        QFETCH(int, wireLength);
        QFETCH(int, vxlanPort);
        QFETCH(QString, summary);
        const Bytes b(bytes.begin(), bytes.end());
        const std::uint32_t wire = wireLength ? std::uint32_t(wireLength) : std::uint32_t(b.size());
        const CapturedPacket p = dissectPacket(LinkType(std::uint32_t(linkType)), PcapRecord{1'000'000'123, wire, b},
                                               DissectOptions{std::uint16_t(vxlanPort)});
        QCOMPARE(QString::fromStdString(summarize(p)), summary);
    }

    void linkTypesFromLibpcap()
    {
        QCOMPARE(linkTypeFromDlt(12), LinkType::Raw);
        QCOMPARE(linkTypeFromDlt(14), LinkType::Raw);
        QCOMPARE(linkTypeFromDlt(101), LinkType::Raw);
        QCOMPARE(linkTypeFromDlt(1), LinkType::Ethernet);
        QCOMPARE(linkTypeFromDlt(113), LinkType::LinuxSll);
        QCOMPARE(linkTypeFromDlt(276), LinkType::LinuxSll2);
        QCOMPARE(linkTypeName(LinkType(9999)), std::string_view("unsupported"));
    }

    // Every prefix of every fixture packet, each in a heap block of exactly its size.
    void everyTruncationIsSafe_data()
    {
        QTest::addColumn<QString>("file");
        for (const QString &f : pcapFixtures(QStringLiteral("pc-*.pcap")) + pcapFixtures(QStringLiteral("pc6-*.pcap")))
            QTest::newRow(qPrintable(f)) << f;
    }
    void everyTruncationIsSafe()
    {
        QFETCH(QString, file);
        std::optional<PcapFileHeader> header;
        const auto records = streamRecords(readFixture(file), {0, 0}, nullptr, &header);
        QVERIFY(header);
        for (const RefRecord &r : records) {
            const CapturedPacket full = dissectPacket(
                header->linkType,
                PcapRecord{r.timestampNs, r.wireLength,
                           std::span(reinterpret_cast<const std::uint8_t *>(r.data.data()), r.data.size())});
            for (std::size_t n = 0; n <= r.data.size(); ++n) {
                auto *block = new std::uint8_t[n ? n : 1];
                std::memcpy(block, r.data.data(), n);
                const CapturedPacket cut =
                    dissectPacket(header->linkType, PcapRecord{r.timestampNs, r.wireLength, std::span(block, n)});
                delete[] block;
                QCOMPARE(cut.capturedLength, std::uint32_t(n));
                if (cut.outer && full.outer)
                    QCOMPARE(cut.outer->source, full.outer->source);
                if (cut.outer6 && full.outer6)
                    QCOMPARE(cut.outer6->source, full.outer6->source);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestPcapDissector)
#include "tst_pcap_dissector.moc"
