// tcpdump's text output: the guide's samples verbatim and real captures made in
// network namespaces (tests/fixtures/tcpdump/README.md), then broken input.
#include "parse/tcpdump_text.h"
#include "parse/text.h"
#include "tcpdump_describe.h"

#include <QtTest>

#include <cmath>

using namespace tdtest;

namespace {

TcpdumpCapture parseOk(const std::string &text)
{
    auto r = parseTcpdumpText(text);
    if (!r)
        qFatal("unexpected error: %s", r.error().oneLine().c_str());
    return std::move(r).value();
}

// What must hold for any capture the parser returns, whatever the input.
void checkInvariants(const TcpdumpCapture &c)
{
    int previousLine = 0;
    for (const auto &p : c.packets) {
        QVERIFY(p.line > previousLine);
        QVERIFY(p.lastLine >= p.line);
        QVERIFY(p.lastLine <= c.lines);
        QVERIFY(!p.rawLines.empty());
        QVERIFY(p.ip.size() <= 8);
        for (std::size_t i = 0; i < p.ip.size(); ++i)
            QCOMPARE(p.ip[i].carriedBy == IpCarrier::None, i == 0);
        if (p.payload != LinkPayload::Ipv4)
            QVERIFY(p.ip.empty());
        previousLine = p.line;
    }
    int previousUnparsed = 0;
    for (const auto &u : c.unparsed) {
        QVERIFY(u.line > previousUnparsed);
        QVERIFY(u.packetIndex < int(c.packets.size()));
        previousUnparsed = u.line;
    }
    for (const auto &e : c.problems) {
        QVERIFY(e.line >= 1 && e.line <= c.lines);
        QVERIFY(!e.message.empty());
    }
}

} // namespace

class TestTcpdumpText : public QObject {
    Q_OBJECT
private slots:
    // Every fixture: how many packets, how many carry an inner packet, and tcpdump's
    // own banner and statistics.
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("packets");
        QTest::addColumn<int>("encapsulated");
        QTest::addColumn<int>("unparsed");
        QTest::addColumn<QString>("summary");
        const QString none = "if= lt=/ snap=- stats=-/-/- quiet=0 msgs=0";
        const QString any = "if=any lt=LINUX_SLL2/Linux cooked v2 snap=262144 stats=%1/%1/0 quiet=%2 msgs=0";
        const QString eth = "if=eth0 lt=EN10MB/Ethernet snap=262144 stats=%1/%1/0 quiet=0 msgs=0";
        // The guide's samples: copied from a terminal, no banner.
        QTest::newRow("guide client egress") << "guide-client-egress-ipip.txt" << 1 << 1 << 0 << none;
        QTest::newRow("guide server ingress") << "guide-server-ingress-ipip.txt" << 1 << 1 << 0 << none;
        QTest::newRow("guide server tunl0") << "guide-server-tunl0-request.txt" << 1 << 0 << 0 << none;
        QTest::newRow("guide server tunl0 both") << "guide-server-tunl0-request-reply.txt" << 2 << 0 << 0 << none;
        QTest::newRow("guide server egress") << "guide-server-egress-reply-ipip.txt" << 1 << 1 << 0 << none;
        QTest::newRow("guide client ingress") << "guide-client-ingress-reply-ipip.txt" << 1 << 1 << 0 << none;
        QTest::newRow("guide client tunl0") << "guide-client-tunl0-request-reply.txt" << 2 << 0 << 0 << none;
        // Real captures.
        QTest::newRow("icmp any") << "td-icmp-any.txt" << 6 << 0 << 0 << any.arg(6).arg(0);
        QTest::newRow("icmp dev") << "td-icmp-dev.txt" << 6 << 0 << 0 << eth.arg(6);
        QTest::newRow("plain icmp any") << "td-plain-icmp-any.txt" << 6 << 0 << 0 << any.arg(6).arg(0);
        QTest::newRow("plain quiet") << "td-plain-quiet-any.txt" << 6 << 0 << 0 << any.arg(6).arg(1);
        QTest::newRow("plain -tttt") << "td-plain-tttt-dev.txt" << 6 << 0 << 0 << eth.arg(6);
        QTest::newRow("plain -tt") << "td-plain-tt-any.txt" << 6 << 0 << 0 << any.arg(6).arg(0);
        QTest::newRow("tcp") << "td-tcp-any.txt" << 10 << 0 << 0 << any.arg(10).arg(0);
        QTest::newRow("http payload lines") << "td-http-any.txt" << 14 << 0 << 3 << any.arg(14).arg(0);
        QTest::newRow("udp + port unreachable") << "td-udp-any.txt" << 4 << 0 << 0 << any.arg(4).arg(0);
        QTest::newRow("vxlan any") << "td-vxlan-any-a.txt" << 20 << 6 << 0 << any.arg(20).arg(0);
        QTest::newRow("vxlan dev") << "td-vxlan-dev-b.txt" << 6 << 6 << 0 << eth.arg(6);
        QTest::newRow("vxlan -e any") << "td-vxlan-e-any-a.txt" << 6 << 6 << 0 << any.arg(6).arg(0);
        QTest::newRow("vxlan -e dev") << "td-vxlan-e-dev-b.txt" << 6 << 6 << 0 << eth.arg(6);
        QTest::newRow("vxlan quiet") << "td-plain-quiet-vxlan-any-a.txt" << 6 << 6 << 0 << any.arg(6).arg(1);
        QTest::newRow("frag needed") << "td-fragneeded-any.txt" << 2 << 0 << 0 << any.arg(2).arg(0);
        QTest::newRow("host unreachable") << "td-hostunreach-any.txt" << 18 << 0 << 0 << any.arg(18).arg(0);
        QTest::newRow("arp broadcast") << "td-arp-any-b.txt" << 6 << 0 << 0 << any.arg(6).arg(0);
        QTest::newRow("ipip any") << "td-ipip-any-a.txt" << 6 << 6 << 0 << any.arg(6).arg(0);
        QTest::newRow("ipip dev") << "td-ipip-dev-b.txt" << 6 << 6 << 0 << eth.arg(6);
        QTest::newRow("ipip quiet") << "td-plain-quiet-ipip-any-a.txt" << 6 << 6 << 0 << any.arg(6).arg(1);
        QTest::newRow("M B P") << "td-pkttype-any-b.txt" << 12 << 0 << 0 << any.arg(12).arg(0);
        QTest::newRow("-r elsewhere")
            << "td-read-icmp-any.txt" << 6 << 0 << 0
            << "if= lt=LINUX_SLL2/Linux cooked v2 snap=262144 stats=-/-/- quiet=0 msgs=1 read=td-icmp-any.pcap";
        QTest::newRow("no such device") << "td-error-nodev.txt" << 0 << 0 << 0 << "if= lt=/ snap=- stats=-/-/- quiet=0 msgs=2";
        QTest::newRow("bad filter")
            << "td-error-filter.txt" << 0 << 0 << 0 << "if= lt=LINUX_SLL2/ snap=- stats=-/-/- quiet=0 msgs=1";
        QTest::newRow("no permission")
            << "td-error-permission.txt" << 0 << 0 << 0 << "if= lt=/ snap=- stats=-/-/- quiet=0 msgs=2";
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(int, packets);
        QFETCH(int, encapsulated);
        QFETCH(int, unparsed);
        QFETCH(QString, summary);
        auto c = parseOk(readFixture(file));
        checkInvariants(c);
        QCOMPARE(int(c.packets.size()), packets);
        int enc = 0;
        for (const auto &p : c.packets)
            enc += p.encapsulated();
        QCOMPARE(enc, encapsulated);
        QCOMPARE(int(c.unparsed.size()), unparsed);
        QVERIFY2(c.problems.empty(), c.problems.empty() ? "" : c.problems.front().oneLine().c_str());
        QCOMPARE(describe(c.summary), summary);
        if (c.summary.packetsCaptured)
            QCOMPARE(int(*c.summary.packetsCaptured), packets);  // tcpdump's own count agrees
        for (const auto &p : c.packets)
            QVERIFY(p.complete);
    }

    // Selected packets, every field that matters to a hop verdict.
    void packets_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("lastLine");
        QTest::addColumn<QString>("expected");
        // The guide, every packet.
        QTest::newRow("guide client egress")
            << "guide-client-egress-ipip.txt" << 0 << 1 << 3
            << "20:46:37.409391 || outer 10.99.224.131 > 10.99.224.133 (tos 0x0 ttl 64 id 51848 off 0 [DF] IPIP(4) "
               "len 104) | ipip || ipip 172.16.37.192 > 172.16.119.192 (tos 0x0 ttl 64 id 28044 off 0 [DF] ICMP(1) "
               "len 84) | icmp echo-request id=15784 seq=1 len=64";
        QTest::newRow("guide server ingress")
            << "guide-server-ingress-ipip.txt" << 0 << 1 << 3
            << "20:50:47.574516 || outer 10.99.224.131 > 10.99.224.133 (tos 0x0 ttl 61 id 19264 off 0 [DF] IPIP(4) "
               "len 104) | ipip || ipip 172.16.37.192 > 172.16.119.192 (tos 0x0 ttl 64 id 10462 off 0 [DF] ICMP(1) "
               "len 84) | icmp echo-request id=19169 seq=2 len=64";
        QTest::newRow("guide server tunl0")
            << "guide-server-tunl0-request.txt" << 0 << 1 << 2
            << "20:52:22.575847 || outer 172.16.37.192 > 172.16.119.192 (tos 0x0 ttl 64 id 22805 off 0 [DF] ICMP(1) "
               "len 84) | icmp echo-request id=19169 seq=97 len=64";
        QTest::newRow("guide server tunl0 request")
            << "guide-server-tunl0-request-reply.txt" << 0 << 1 << 2
            << "20:52:22.575847 || outer 172.16.37.192 > 172.16.119.192 (tos 0x0 ttl 64 id 22805 off 0 [DF] ICMP(1) "
               "len 84) | icmp echo-request id=19169 seq=97 len=64";
        QTest::newRow("guide server tunl0 reply")
            << "guide-server-tunl0-request-reply.txt" << 1 << 3 << 4
            << "20:52:22.575868 || outer 172.16.119.192 > 172.16.37.192 (tos 0x0 ttl 64 id 16800 off 0 [] ICMP(1) "
               "len 84) | icmp echo-reply id=19169 seq=97 len=64";
        QTest::newRow("guide server egress")
            << "guide-server-egress-reply-ipip.txt" << 0 << 1 << 3
            << "20:59:47.594279 || outer 10.99.224.133 > 10.99.224.131 (tos 0x0 ttl 64 id 14713 off 0 [] IPIP(4) "
               "len 104) | ipip || ipip 172.16.119.192 > 172.16.37.192 (tos 0x0 ttl 64 id 9089 off 0 [] ICMP(1) "
               "len 84) | icmp echo-reply id=19169 seq=542 len=64";
        QTest::newRow("guide client ingress")
            << "guide-client-ingress-reply-ipip.txt" << 0 << 1 << 3
            << "21:02:16.218584 || outer 10.99.224.133 > 10.99.224.131 (tos 0x0 ttl 61 id 39574 off 0 [] IPIP(4) "
               "len 104) | ipip || ipip 172.16.119.192 > 172.16.37.192 (tos 0x0 ttl 64 id 30288 off 0 [] ICMP(1) "
               "len 84) | icmp echo-reply id=28537 seq=2 len=64";
        QTest::newRow("guide client tunl0 request")
            << "guide-client-tunl0-request-reply.txt" << 0 << 1 << 2
            << "21:04:12.893953 || outer 172.16.37.192 > 172.16.119.192 (tos 0x0 ttl 64 id 49633 off 0 [DF] ICMP(1) "
               "len 84) | icmp echo-request id=30130 seq=1 len=64";
        QTest::newRow("guide client tunl0 reply")
            << "guide-client-tunl0-request-reply.txt" << 1 << 3 << 4
            << "21:04:12.894155 || outer 172.16.119.192 > 172.16.37.192 (tos 0x0 ttl 64 id 35609 off 0 [] ICMP(1) "
               "len 84) | icmp echo-reply id=30130 seq=1 len=64";

        // Real: plain ICMP, -i any and -i eth0.
        QTest::newRow("icmp any out")
            << "td-icmp-any.txt" << 0 << 3 << 4
            << "10:34:50.929282 eth0 Out || outer 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 64 id 4478 off 0 [DF] "
               "ICMP(1) len 84) | icmp echo-request id=28489 seq=1 len=64";
        QTest::newRow("icmp any in")
            << "td-icmp-any.txt" << 1 << 5 << 6
            << "10:34:50.929333 eth0 In || outer 198.51.100.12 > 198.51.100.11 (tos 0x0 ttl 64 id 18917 off 0 [] "
               "ICMP(1) len 84) | icmp echo-reply id=28489 seq=1 len=64";
        QTest::newRow("icmp dev")
            << "td-icmp-dev.txt" << 2 << 6 << 7
            << "10:34:51.454770 || outer 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 64 id 4480 off 0 [DF] ICMP(1) "
               "len 84) | icmp echo-request id=28489 seq=2 len=64";
        QTest::newRow("quiet: no header")
            << "td-plain-quiet-any.txt" << 1 << 5 << 5
            << "10:34:50.929333 eth0 In || outer 198.51.100.12 > 198.51.100.11 | icmp echo-reply id=28489 seq=1 len=64";
        QTest::newRow("-tttt")
            << "td-plain-tttt-dev.txt" << 0 << 2 << 3
            << "2026-11-25 10:34:50.929287 || outer 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 64 id 4478 off 0 [DF] "
               "ICMP(1) len 84) | icmp echo-request id=28489 seq=1 len=64";
        QTest::newRow("-tt")
            << "td-plain-tt-any.txt" << 0 << 3 << 4
            << "1795602890.929282 eth0 Out || outer 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 64 id 4478 off 0 [DF] "
               "ICMP(1) len 84) | icmp echo-request id=28489 seq=1 len=64";
        QTest::newRow("-r: unnamed interface")
            << "td-read-icmp-any.txt" << 1 << 5 << 6
            << "10:34:50.929333 ? In || outer 198.51.100.12 > 198.51.100.11 (tos 0x0 ttl 64 id 18917 off 0 [] "
               "ICMP(1) len 84) | icmp echo-reply id=28489 seq=1 len=64";
        QTest::newRow("multicast M")
            << "td-pkttype-any-b.txt" << 0 << 3 << 4
            << "10:36:02.545226 eth0 M || outer 198.51.100.11 > 224.0.0.1 (tos 0x0 ttl 1 id 0 off 0 [DF] ICMP(1) "
               "len 84) | icmp echo-request id=29229 seq=1 len=64";
        QTest::newRow("broadcast B")
            << "td-pkttype-any-b.txt" << 4 << 11 << 12
            << "10:36:04.637200 eth0 B || outer 198.51.100.11 > 198.51.100.255 (tos 0x0 ttl 64 id 0 off 0 [DF] "
               "ICMP(1) len 84) | icmp echo-request id=29237 seq=1 len=64";
        QTest::newRow("other host P")
            << "td-pkttype-any-b.txt" << 8 << 19 << 20
            << "10:36:06.794989 eth0 P || outer 198.51.100.11 > 198.51.100.77 (tos 0x0 ttl 64 id 36339 off 0 [DF] "
               "ICMP(1) len 84) | icmp echo-request id=29249 seq=1 len=64";
        QTest::newRow("arp broadcast")
            << "td-arp-any-b.txt" << 0 << 3 << 3
            << "10:35:41.184950 eth0 B :: ARP, Ethernet (len 6), IPv4 (len 4), Request who-has 198.51.100.99 tell "
               "198.51.100.11, length 28";

        // TCP, UDP, ICMP errors.
        QTest::newRow("tcp syn")
            << "td-tcp-any.txt" << 0 << 3 << 4
            << "10:35:01.714603 eth0 Out || outer 198.51.100.11.38664 > 198.51.100.12.7000 (tos 0x0 ttl 64 id 13659 "
               "off 0 [DF] TCP(6) len 60) | tcp [S] seq=1805961146 win=64240 len=0";
        QTest::newRow("tcp syn-ack")
            << "td-tcp-any.txt" << 1 << 5 << 6
            << "10:35:01.714635 eth0 In || outer 198.51.100.12.7000 > 198.51.100.11.38664 (tos 0x0 ttl 64 id 0 off 0 "
               "[DF] TCP(6) len 60) | tcp [S.] seq=3133204877 ack=1805961147 win=65160 len=0";
        QTest::newRow("tcp data")
            << "td-tcp-any.txt" << 3 << 9 << 10
            << "10:35:01.721143 eth0 Out || outer 198.51.100.11.38664 > 198.51.100.12.7000 (tos 0x0 ttl 64 id 13661 "
               "off 0 [DF] TCP(6) len 58) | tcp [P.] seq=1:7 ack=1 win=63 len=6";
        QTest::newRow("http request with payload line")
            << "td-http-any.txt" << 3 << 9 << 11
            << "10:35:12.094462 eth0 Out || outer 198.51.100.11.51436 > 198.51.100.12.80 (tos 0x0 ttl 64 id 42597 "
               "off 0 [DF] TCP(6) len 68) | tcp [P.] seq=1:17 ack=1 win=63 len=16";
        QTest::newRow("udp")
            << "td-udp-any.txt" << 0 << 3 << 4
            << "10:35:25.168487 eth0 Out || outer 198.51.100.11.40000 > 198.51.100.12.5000 (tos 0x0 ttl 64 id 3808 "
               "off 0 [DF] UDP(17) len 33) | udp len=5";
        QTest::newRow("port unreachable quotes the datagram")
            << "td-udp-any.txt" << 3 << 9 << 12
            << "10:35:25.189166 eth0 In || outer 198.51.100.12 > 198.51.100.11 (tos 0xc0 ttl 64 id 21256 off 0 [] "
               "ICMP(1) len 61) | icmp unreachable len=41 about=198.51.100.12 || quote 198.51.100.11.40000 > "
               "198.51.100.12.5001 (tos 0x0 ttl 64 id 3811 off 0 [DF] UDP(17) len 33) | udp len=5";
        QTest::newRow("frag needed")
            << "td-fragneeded-any.txt" << 1 << 5 << 8
            << "10:35:35.597730 calitd0 Out || outer 198.51.100.11 > 198.18.10.5 (tos 0xc0 ttl 64 id 13130 off 0 [] "
               "ICMP(1) len 576) | icmp unreachable len=556 about=198.18.20.0 mtu=1450 || quote 198.18.10.5 > "
               "198.18.20.0 (tos 0x0 ttl 64 id 0 off 0 [DF] ICMP(1) len 1500) | icmp echo-request id=29040 seq=1 "
               "len=1480";
        QTest::newRow("host unreachable")
            << "td-hostunreach-any.txt" << 9 << 16 << 19
            << "10:35:44.252898 calitd0 Out || outer 198.51.100.11 > 198.18.10.5 (tos 0xc0 ttl 64 id 14428 off 0 [] "
               "ICMP(1) len 112) | icmp unreachable len=92 about=198.51.100.99 || quote 198.18.10.5 > 198.51.100.99 "
               "(tos 0x0 ttl 63 id 54066 off 0 [DF] ICMP(1) len 84) | icmp echo-request id=29046 seq=1 len=64";

        // VXLAN: pod -> cali veth -> vxlan.calico -> eth0 (outer + inner) and back.
        QTest::newRow("vxlan: pod veth")
            << "td-vxlan-any-a.txt" << 2 << 5 << 6
            << "10:35:29.249067 calitd0 In || outer 198.18.10.5 > 198.18.20.0 (tos 0x0 ttl 64 id 42901 off 0 [DF] "
               "ICMP(1) len 84) | icmp echo-request id=28961 seq=1 len=64";
        QTest::newRow("vxlan: tunnel device")
            << "td-vxlan-any-a.txt" << 3 << 7 << 8
            << "10:35:29.249083 vxlan.calico Out || outer 198.18.10.5 > 198.18.20.0 (tos 0x0 ttl 63 id 42901 off 0 "
               "[DF] ICMP(1) len 84) | icmp echo-request id=28961 seq=1 len=64";
        QTest::newRow("vxlan: underlay out")
            << "td-vxlan-any-a.txt" << 4 << 9 << 12
            << "10:35:29.249100 eth0 Out || outer 198.51.100.11.56987 > 198.51.100.12.4789 (tos 0x0 ttl 64 id 4458 "
               "off 0 [] UDP(17) len 134) | udp vxlan vni=4096 || vxlan 198.18.10.5 > 198.18.20.0 (tos 0x0 ttl 63 "
               "id 42901 off 0 [DF] ICMP(1) len 84) | icmp echo-request id=28961 seq=1 len=64";
        QTest::newRow("vxlan: underlay in")
            << "td-vxlan-any-a.txt" << 5 << 13 << 16
            << "10:35:29.249136 eth0 In || outer 198.51.100.12.56987 > 198.51.100.11.4789 (tos 0x0 ttl 64 id 51158 "
               "off 0 [] UDP(17) len 134) | udp vxlan vni=4096 || vxlan 198.18.20.0 > 198.18.10.5 (tos 0x0 ttl 64 "
               "id 41042 off 0 [] ICMP(1) len 84) | icmp echo-reply id=28961 seq=1 len=64";
        QTest::newRow("vxlan: dev")
            << "td-vxlan-dev-b.txt" << 1 << 6 << 9
            << "10:35:29.249135 || outer 198.51.100.12.56987 > 198.51.100.11.4789 (tos 0x0 ttl 64 id 51158 off 0 [] "
               "UDP(17) len 134) | udp vxlan vni=4096 || vxlan 198.18.20.0 > 198.18.10.5 (tos 0x0 ttl 64 id 41042 "
               "off 0 [] ICMP(1) len 84) | icmp echo-reply id=28961 seq=1 len=64";
        QTest::newRow("vxlan -e any: cooked link header")
            << "td-vxlan-e-any-a.txt" << 0 << 3 << 6
            << "10:35:29.249100 eth0 Out mac 02:00:00:00:0a:01> || outer 198.51.100.11.56987 > 198.51.100.12.4789 "
               "(tos 0x0 ttl 64 id 4458 off 0 [] UDP(17) len 134) | udp vxlan vni=4096 || vxlan 198.18.10.5 > "
               "198.18.20.0 mac 66:00:00:00:0a:00>66:00:00:00:0b:00 (tos 0x0 ttl 63 id 42901 off 0 [DF] ICMP(1) "
               "len 84) | icmp echo-request id=28961 seq=1 len=64";
        QTest::newRow("vxlan -e dev: ethernet header")
            << "td-vxlan-e-dev-b.txt" << 1 << 6 << 9
            << "10:35:29.249135 mac 02:00:00:00:0b:01>02:00:00:00:0a:01 || outer 198.51.100.12.56987 > "
               "198.51.100.11.4789 (tos 0x0 ttl 64 id 51158 off 0 [] UDP(17) len 134) | udp vxlan vni=4096 || vxlan "
               "198.18.20.0 > 198.18.10.5 mac 66:00:00:00:0b:00>66:00:00:00:0a:00 (tos 0x0 ttl 64 id 41042 off 0 [] "
               "ICMP(1) len 84) | icmp echo-reply id=28961 seq=1 len=64";
        QTest::newRow("vxlan quiet")
            << "td-plain-quiet-vxlan-any-a.txt" << 1 << 6 << 7
            << "10:35:29.249136 eth0 In || outer 198.51.100.12.56987 > 198.51.100.11.4789 | udp vxlan vni=4096 || "
               "vxlan 198.18.20.0 > 198.18.10.5 | icmp echo-reply id=28961 seq=1 len=64";

        // IPIP, sent with a raw protocol-4 socket (no ipip module here).
        QTest::newRow("ipip any out")
            << "td-ipip-any-a.txt" << 0 << 3 << 5
            << "10:35:55.352241 eth0 Out || outer 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 64 id 24224 off 0 [DF] "
               "IPIP(4) len 104) | ipip || ipip 198.18.10.0 > 198.18.20.0 (tos 0x0 ttl 64 id 25764 off 0 [DF] "
               "ICMP(1) len 84) | icmp echo-request id=29119 seq=1 len=64";
        QTest::newRow("ipip any in")
            << "td-ipip-any-a.txt" << 1 << 6 << 8
            << "10:35:55.357710 eth0 In || outer 198.51.100.12 > 198.51.100.11 (tos 0x0 ttl 64 id 8097 off 0 [DF] "
               "IPIP(4) len 104) | ipip || ipip 198.18.20.0 > 198.18.10.0 (tos 0x0 ttl 64 id 44537 off 0 [] ICMP(1) "
               "len 84) | icmp echo-reply id=29119 seq=1 len=64";
        QTest::newRow("ipip dev")
            << "td-ipip-dev-b.txt" << 0 << 2 << 4
            << "10:35:55.352252 || outer 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 64 id 24224 off 0 [DF] IPIP(4) "
               "len 104) | ipip || ipip 198.18.10.0 > 198.18.20.0 (tos 0x0 ttl 64 id 25764 off 0 [DF] ICMP(1) len 84) "
               "| icmp echo-request id=29119 seq=1 len=64";
        QTest::newRow("ipip quiet: one line")
            << "td-plain-quiet-ipip-any-a.txt" << 0 << 4 << 4
            << "10:35:55.352238 eth0 Out || outer 198.51.100.11 > 198.51.100.12 | ipip || ipip 198.18.10.0 > "
               "198.18.20.0 | icmp echo-request id=29119 seq=1 len=64";
    }
    void packets()
    {
        QFETCH(QString, file);
        QFETCH(int, index);
        QFETCH(int, line);
        QFETCH(int, lastLine);
        QFETCH(QString, expected);
        auto c = parseOk(readFixture(file));
        QVERIFY(index < int(c.packets.size()));
        const auto &p = c.packets[std::size_t(index)];
        QCOMPARE(describe(p), expected);
        QCOMPARE(p.line, line);
        QCOMPARE(p.lastLine, lastLine);
        QCOMPARE(int(p.rawLines.size()), lastLine - line + 1);
    }

    void secondsOfDay_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<double>("seconds");
        QTest::newRow("guide") << "guide-client-egress-ipip.txt" << 20 * 3600 + 46 * 60 + 37.409391;
        QTest::newRow("default") << "td-icmp-any.txt" << 10 * 3600 + 34 * 60 + 50.929282;
        QTest::newRow("-tttt") << "td-plain-tttt-dev.txt" << 10 * 3600 + 34 * 60 + 50.929287;
        QTest::newRow("-tt: epoch modulo a day (UTC)") << "td-plain-tt-any.txt" << 10 * 3600 + 34 * 60 + 50.929282;
    }
    void secondsOfDay()
    {
        QFETCH(QString, file);
        QFETCH(double, seconds);
        auto c = parseOk(readFixture(file));
        QVERIFY(!c.packets.empty());
        QVERIFY2(std::abs(c.packets.front().time.secondsOfDay - seconds) < 1e-6,
                 qPrintable(QString::number(c.packets.front().time.secondsOfDay, 'f', 9)));
    }

    // Fields the one-line rendering leaves out.
    void details()
    {
        auto tcp = parseOk(readFixture("td-tcp-any.txt"));
        QCOMPARE(q(tcp.packets[0].ip[0].tcp->options), QStringLiteral("mss 1460,sackOK,TS val 893033280 ecr 0,nop,wscale 10"));
        QCOMPARE(tcp.packets[0].ip[0].srcPort, std::optional<std::uint16_t>(38664));
        QCOMPARE(tcp.packets[0].direction, CaptureDirection::Out);
        QCOMPARE(tcp.packets[1].direction, CaptureDirection::In);

        auto udp = parseOk(readFixture("td-udp-any.txt"));
        QCOMPARE(q(udp.packets[0].ip[0].udp->checksum), QStringLiteral("[bad udp cksum 0x549d -> 0x12bc!]"));
        const auto &unreachable = udp.packets[3];
        QCOMPARE(q(unreachable.ip[0].icmp->text), QStringLiteral("198.51.100.12 udp port 5001 unreachable, length 41"));
        QVERIFY(unreachable.ip[0].icmp->isError());
        QVERIFY(!unreachable.encapsulated());
        QCOMPARE(unreachable.quoted(), &unreachable.ip[1]);
        QCOMPARE(unreachable.innermost(), &unreachable.ip[0]);  // a quote is not on the wire path
        QCOMPARE(unreachable.ip[1].dstPort, std::optional<std::uint16_t>(5001));

        auto frag = parseOk(readFixture("td-fragneeded-any.txt"));
        const auto &icmp = *frag.packets[1].ip[0].icmp;
        QVERIFY(icmp.fragmentationNeeded);
        QCOMPARE(icmp.mtu, std::optional<std::uint32_t>(1450));
        QCOMPARE(q(icmp.text), QStringLiteral("198.18.20.0 unreachable - need to frag (mtu 1450), length 556"));
        QCOMPARE(frag.packets[1].rawLines[2], std::string("\tIP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], "
                                                           "proto ICMP (1), length 1500)"));

        auto vxlan = parseOk(readFixture("td-vxlan-any-a.txt"));
        const auto &out = vxlan.packets[4];
        QVERIFY(out.encapsulated());
        QCOMPARE(out.innermost(), &out.ip[1]);
        QCOMPARE(q(out.ip[0].udp->vxlan->flags), QStringLiteral("[I] (0x08)"));
        QCOMPARE(q(out.ip[0].udp->checksum), QStringLiteral("[bad udp cksum 0x5502 -> 0xc829!]"));
        QVERIFY(!out.ip[0].udp->length);
        QCOMPARE(out.ip[1].carriedBy, IpCarrier::Vxlan);
        QCOMPARE(out.ip[1].line, 11);
        QCOMPARE(out.payload, LinkPayload::Ipv4);
        QCOMPARE(vxlan.packets[0].payload, LinkPayload::Arp);
        QCOMPARE(vxlan.packets[0].direction, CaptureDirection::Broadcast);
        QCOMPARE(q(vxlan.packets[3].interfaceName), QStringLiteral("vxlan.calico"));

        auto e = parseOk(readFixture("td-vxlan-e-any-a.txt"));
        QCOMPARE(e.packets[0].ifIndex, std::optional<std::uint32_t>(2));
        QCOMPARE(q(e.packets[0].etherType), QStringLiteral("IPv4 (0x0800)"));

        auto ipip = parseOk(readFixture("td-ipip-any-a.txt"));
        QCOMPARE(ipip.packets[0].ip[1].carriedBy, IpCarrier::Ipip);
        QCOMPARE(ipip.packets[0].ip[0].transport, IpTransport::Ipip);
        QVERIFY(ipip.packets[0].ip[0].header->dontFragment());
        QVERIFY(!ipip.packets[0].ip[0].header->moreFragments());

        auto pk = parseOk(readFixture("td-pkttype-any-b.txt"));
        QCOMPARE(pk.packets[0].direction, CaptureDirection::Multicast);
        QCOMPARE(pk.packets[4].direction, CaptureDirection::Broadcast);
        QCOMPARE(pk.packets[8].direction, CaptureDirection::OtherHost);

        auto read = parseOk(readFixture("td-read-icmp-any.txt"));
        QCOMPARE(q(read.summary.messages.at(0).text), QStringLiteral("Warning: interface names might be incorrect"));
        QCOMPARE(read.packets[0].direction, CaptureDirection::Out);

        auto nodev = parseOk(readFixture("td-error-nodev.txt"));
        QCOMPARE(q(nodev.summary.messages.at(0).text), QStringLiteral("tcpdump: eth9: No such device exists"));
        QCOMPARE(nodev.summary.messages.at(1).line, 2);
        auto perm = parseOk(readFixture("td-error-permission.txt"));
        QCOMPARE(q(perm.summary.messages.at(1).text), QStringLiteral("(socket: Operation not permitted)"));
    }

    // HTTP decoded by tcpdump -v: kept, with its line, inside its packet.
    void payloadLinesKept()
    {
        auto c = parseOk(readFixture("td-http-any.txt"));
        QCOMPARE(int(c.unparsed.size()), 3);
        QCOMPARE(c.unparsed[0].line, 11);
        QCOMPARE(c.unparsed[0].packetIndex, 3);
        QCOMPARE(c.unparsed[0].text, std::string("\tGET / HTTP/1.0"));
        QCOMPARE(c.unparsed[1].packetIndex, 9);
        QCOMPARE(c.unparsed[2].text, std::string("\tContent-Length: 0"));
        QCOMPARE(c.packets[9].rawLines.size(), std::size_t(5));  // the payload's blank "\t" line too
        QCOMPARE(c.packets[9].lastLine, 26);
    }

    // tcpdump's output streamed line by line gives the same packets as all at once.
    void streaming_data()
    {
        QTest::addColumn<QString>("file");
        for (auto f : {"td-vxlan-any-a.txt", "td-hostunreach-any.txt", "td-http-any.txt", "guide-client-egress-ipip.txt",
                       "td-plain-quiet-ipip-any-a.txt"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void streaming()
    {
        QFETCH(QString, file);
        auto text = readFixture(file);
        auto whole = parseOk(text);
        TcpdumpTextReader reader;
        text::LineReader lines(text);
        std::string_view line;
        std::size_t seen = 0;
        while (lines.next(line)) {
            reader.addLine(line);
            QVERIFY(reader.capture().packets.size() >= seen);
            seen = reader.capture().packets.size();
        }
        auto streamed = reader.finish();
        QCOMPARE(streamed.packets.size(), whole.packets.size());
        QVERIFY(streamed.packets == whole.packets);
        QVERIFY(streamed.unparsed == whole.unparsed);
        QVERIFY(reader.capture().packets.empty());  // finish() handed everything over
    }

    void crlf()
    {
        auto text = readFixture("td-vxlan-any-a.txt");
        std::string crlf;
        for (char c : text) {
            if (c == '\n')
                crlf += '\r';
            crlf += c;
        }
        auto a = parseOk(text), b = parseOk(crlf);
        QVERIFY(a.packets.size() == b.packets.size());
        for (std::size_t i = 0; i < a.packets.size(); ++i)
            QCOMPARE(describe(b.packets[i]), describe(a.packets[i]));
    }

    // Forms met elsewhere (older tcpdump, other options, other traffic), written out
    // by hand after tcpdump's printers; each row: packets, problems, unparsed, and the
    // first packet or the summary.
    void variants_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("packets");
        QTest::addColumn<int>("problems");
        QTest::addColumn<int>("unparsed");
        QTest::addColumn<QString>("expected");  // describe(first packet), or "summary: ..."

        const QString icmp = "    198.51.100.11 > 198.51.100.12: ICMP echo request, id 1, seq 1, length 64\n";
        const QString hdr = "(tos 0x0, ttl 64, id 7, offset 0, flags [DF], proto ICMP (1), length 84)\n";
        const QString out = " || outer 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 64 id 7 off 0 [DF] ICMP(1) len 84) "
                            "| icmp echo-request id=1 seq=1 len=64";
        QTest::newRow("tcpdump 4.9 -i any -e: P")
            << "20:46:37.409391   P 02:00:00:00:0a:01 ethertype IPv4 (0x0800), length 100: " + hdr + icmp << 1 << 0 << 0
            << "20:46:37.409391 P mac 02:00:00:00:0a:01>" + out;
        QTest::newRow("tcpdump 4.9 -i any -e: Out")
            << "20:46:37.409391 Out 02:00:00:00:0a:01 ethertype IPv4 (0x0800), length 100: " + hdr + icmp << 1 << 0 << 0
            << "20:46:37.409391 Out mac 02:00:00:00:0a:01>" + out;
        QTest::newRow("nanoseconds") << "20:46:37.409391123 IP " + hdr + icmp << 1 << 0 << 0
                                     << "20:46:37.409391123" + out;
        QTest::newRow("tcpdump 4.0 'proto:' and 'length:'")
            << "20:46:37.409391 IP (tos 0x0, ttl 64, id 7, offset 0, flags [DF], proto: ICMP (1), length: 84)\n" + icmp
            << 1 << 0 << 0 << "20:46:37.409391" + out;
        QTest::newRow("ECN tos")
            << "20:46:37.409391 IP (tos 0x2,ECT(0), ttl 64, id 7, offset 0, flags [DF], proto ICMP (1), length 84)\n" + icmp
            << 1 << 0 << 0
            << "20:46:37.409391 || outer 198.51.100.11 > 198.51.100.12 (tos 0x2,ECT(0) ttl 64 id 7 off 0 [DF] ICMP(1) "
               "len 84) | icmp echo-request id=1 seq=1 len=64";
        QTest::newRow("first fragment")
            << "20:46:37.409391 IP (tos 0x0, ttl 64, id 7, offset 0, flags [+], proto ICMP (1), length 1500)\n"
               "    198.51.100.11 > 198.51.100.12: ICMP echo request, id 1, seq 1, length 1480\n"
            << 1 << 0 << 0
            << "20:46:37.409391 || outer 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 64 id 7 off 0 [+] ICMP(1) len "
               "1500) | icmp echo-request id=1 seq=1 len=1480";
        QTest::newRow("later fragment")
            << "20:46:37.409391 IP (tos 0x0, ttl 64, id 7, offset 1480, flags [none], proto ICMP (1), length 548)\n"
               "    198.51.100.11 > 198.51.100.12: ip-proto-1\n"
            << 1 << 0 << 0
            << "20:46:37.409391 || outer 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 64 id 7 off 1480 [] ICMP(1) len "
               "548)";
        QTest::newRow("options and bad checksum")
            << "20:46:37.409391 IP (tos 0xc0, ttl 1, id 0, offset 0, flags [DF], proto IGMP (2), length 32, bad cksum "
               "1234 (->5678)!, options (RA))\n    198.51.100.11 > 224.0.0.22: igmp v3 report, 1 group record(s)\n"
            << 1 << 0 << 0
            << "20:46:37.409391 || outer 198.51.100.11 > 224.0.0.22 (tos 0xc0 ttl 1 id 0 off 0 [DF] IGMP(2) len 32 +2)";
        QTest::newRow("unnamed interface")
            << "20:46:37.409391 ?     In  IP " + hdr + icmp << 1 << 0 << 0 << "20:46:37.409391 ? In" + out;
        QTest::newRow("IPv6 kept as text")
            << "20:46:37.409391 eth0  M   IP6 fe80::1 > ff02::2: ICMP6, router solicitation, length 16\n" << 1 << 0 << 0
            << "20:46:37.409391 eth0 M :: IP6 fe80::1 > ff02::2: ICMP6, router solicitation, length 16";
        QTest::newRow("time exceeded")
            << "20:46:37.409391 IP (tos 0xc0, ttl 64, id 9, offset 0, flags [none], proto ICMP (1), length 112)\n"
               "    198.51.100.1 > 198.51.100.11: ICMP time exceeded in-transit, length 92\n"
               "\tIP (tos 0x0, ttl 1, id 7, offset 0, flags [DF], proto ICMP (1), length 84)\n" + icmp
            << 1 << 0 << 0
            << "20:46:37.409391 || outer 198.51.100.1 > 198.51.100.11 (tos 0xc0 ttl 64 id 9 off 0 [] ICMP(1) len 112) | "
               "icmp time-exceeded len=92 || quote 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 1 id 7 off 0 [DF] "
               "ICMP(1) len 84) | icmp echo-request id=1 seq=1 len=64";
        QTest::newRow("frag needed, ping's wording")
            << "20:46:37.409391 IP 198.51.100.1 > 198.51.100.11: ICMP 198.51.100.12 unreachable - frag needed and DF "
               "set (mtu = 1480), length 556\n"
            << 1 << 0 << 0
            << "20:46:37.409391 || outer 198.51.100.1 > 198.51.100.11 | icmp unreachable len=556 about=198.51.100.12 "
               "mtu=1480";
        QTest::newRow("vxlan carrying ARP")
            << "20:46:37.409391 eth0  Out IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 78)\n"
               "    198.51.100.11.5000 > 198.51.100.12.4789: [no cksum] VXLAN, flags [I] (0x08), vni 4096\n"
               "ARP, Ethernet (len 6), IPv4 (len 4), Request who-has 198.18.20.0 tell 198.18.10.0, length 28\n"
            << 1 << 0 << 0
            << "20:46:37.409391 eth0 Out || outer 198.51.100.11.5000 > 198.51.100.12.4789 (tos 0x0 ttl 64 id 1 off 0 "
               "[] UDP(17) len 78) | udp vxlan vni=4096";
        QTest::newRow("hex dump lines (-x) kept") << "20:46:37.409391 IP " + hdr + icmp +
                                                         "\t0x0000:  4500 0054 0007 4000 4001 0000 c633 640b\n"
                                                  << 1 << 0 << 1 << "20:46:37.409391" + out;
        QTest::newRow("stderr line between packets")
            << "20:46:37.409391 IP " + hdr + "tcpdump: pcap_loop: The interface disappeared\n" + icmp << 1 << 0 << 0
            << "20:46:37.409391" + out;
        QTest::newRow("unknown line closes the packet")
            << "20:46:37.409391 IP " + hdr + "garbage\n" + icmp << 1 << 2 << 1
            << "20:46:37.409391 || outer - > - (tos 0x0 ttl 64 id 7 off 0 [DF] ICMP(1) len 84) [incomplete]";
        QTest::newRow("banner and ^C footer, singular")
            << "tcpdump: verbose output suppressed, use -v or -vv for full protocol decode\n"
               "listening on eth0, link-type EN10MB (Ethernet), capture size 262144 bytes\n"
               "dropped privs to tcpdump\n^C\n1 packet captured\n1 packet received by filter\n"
               "0 packets dropped by kernel\n3 packets dropped by interface\n"
            << 0 << 0 << 0
            << "summary: if=eth0 lt=EN10MB/Ethernet snap=262144 stats=1/1/0 quiet=1 msgs=0 ifdrop=3 privs=tcpdump";
        QTest::newRow("^C glued to the count") << "^C6 packets captured\n" << 0 << 0 << 0
                                               << "summary: if= lt=/ snap=- stats=6/-/- quiet=0 msgs=0";
        QTest::newRow("empty") << "" << 0 << 0 << 0 << "summary: if= lt=/ snap=- stats=-/-/- quiet=0 msgs=0";
        QTest::newRow("blank lines") << "\n  \n\t\n" << 0 << 0 << 0
                                     << "summary: if= lt=/ snap=- stats=-/-/- quiet=0 msgs=0";
    }
    void variants()
    {
        QFETCH(QString, input);
        QFETCH(int, packets);
        QFETCH(int, problems);
        QFETCH(int, unparsed);
        QFETCH(QString, expected);
        auto c = parseOk(input.toStdString());
        checkInvariants(c);
        QCOMPARE(int(c.packets.size()), packets);
        QCOMPARE(int(c.problems.size()), problems);
        QCOMPARE(int(c.unparsed.size()), unparsed);
        if (expected.startsWith("summary: "))
            QCOMPARE(describe(c.summary), expected.mid(9));
        else
            QCOMPARE(describe(c.packets.front()), expected);
    }

    void vxlanArpInner()
    {
        auto c = parseOk("20:46:37.409391 IP 198.51.100.11.5000 > 198.51.100.12.4789: VXLAN, flags [I] (0x08), vni 4096\n"
                         "ARP, Request who-has 198.18.20.0 tell 198.18.10.0, length 28\n");
        QCOMPARE(c.packets.size(), std::size_t(1));
        QCOMPARE(c.packets[0].ip.size(), std::size_t(1));
        QCOMPARE(q(c.packets[0].ip[0].udp->vxlan->innerOther),
                 QStringLiteral("ARP, Request who-has 198.18.20.0 tell 198.18.10.0, length 28"));
        QVERIFY(c.packets[0].complete);
    }

    // Structural trouble: reported with its line, what can be read is still read.
    void problems_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("packets");
        QTest::addColumn<QString>("message");  // substring of the first problem
        QTest::addColumn<int>("line");
        const QString pkt = "20:46:37.409391 IP (tos 0x0, ttl 64, id 7, offset 0, flags [DF], proto ICMP (1), length 84)\n"
                            "    198.51.100.11 > 198.51.100.12: ICMP echo request, id 1, seq 1, length 64\n";
        QTest::newRow("orphan continuation, then a packet")
            << "    198.51.100.11 > 198.51.100.12: ICMP echo reply, id 1, seq 0, length 64\n" + pkt << 1
            << "continuation line with no packet before it" << 1;
        QTest::newRow("cut before the addresses line")
            << pkt + "20:46:38.409391 IP (tos 0x0, ttl 64, id 8, offset 0, flags [DF], proto ICMP (1), length 84)\n" << 2
            << "packet at line 3 ends before its \"SRC > DST\" line" << 3;
        QTest::newRow("cut inside the header")
            << pkt + "20:46:38.409391 IP (tos 0x0, ttl 64, id 8, off" << 2 << "IPv4 header is not closed" << 3;
        QTest::newRow("cut before the VXLAN inner frame")
            << "20:46:37.409391 IP 198.51.100.11.5000 > 198.51.100.12.4789: VXLAN, flags [I] (0x08), vni 4096\n" << 1
            << "ends before its inner VXLAN frame" << 1;
        QTest::newRow("ttl out of range")
            << "20:46:37.409391 IP (tos 0x0, ttl 640, id 7, offset 0, flags [DF], proto ICMP (1), length 84)\n"
               "    198.51.100.11 > 198.51.100.12: ICMP echo request, id 1, seq 1, length 64\n"
            << 1 << "ttl is not a number from 0 to 255" << 1;
        QTest::newRow("header field missing")
            << "20:46:37.409391 IP (tos 0x0, ttl 64, offset 0, flags [DF], proto ICMP (1), length 84)\n"
               "    198.51.100.11 > 198.51.100.12: ICMP echo request, id 1, seq 1, length 64\n"
            << 1 << "IPv4 header without id" << 1;
        QTest::newRow("names instead of addresses (no -n)")
            << "20:46:37.409391 IP (tos 0x0, ttl 64, id 7, offset 0, flags [DF], proto ICMP (1), length 84)\n"
               "    node-a > node-b: ICMP echo request, id 1, seq 1, length 64\n"
            << 1 << "without -n" << 2;
        QTest::newRow("addresses line malformed")
            << "20:46:37.409391 IP (tos 0x0, ttl 64, id 7, offset 0, flags [DF], proto ICMP (1), length 84)\n"
               "    198.51.100.11 198.51.100.12 ICMP echo request\n"
            << 1 << "expected \"SRC > DST: ...\"" << 2;
        QString deep = "20:46:37.409391 IP 198.51.100.1 > 198.51.100.2:";
        for (int i = 0; i < 20; ++i)
            deep += " IP 198.51.100.1 > 198.51.100.2:";
        deep += " ICMP echo request, id 1, seq 1, length 64\n";
        QTest::newRow("IPIP nested beyond reason") << deep << 1 << "more than 8 nested IPv4 headers" << 1;
    }
    void problems()
    {
        QFETCH(QString, input);
        QFETCH(int, packets);
        QFETCH(QString, message);
        QFETCH(int, line);
        auto c = parseOk(input.toStdString());
        checkInvariants(c);
        QCOMPARE(int(c.packets.size()), packets);
        QVERIFY(!c.problems.empty());
        QVERIFY2(q(c.problems.front().message).contains(message), c.problems.front().oneLine().c_str());
        QCOMPARE(c.problems.front().line, line);
        QVERIFY(!c.clean());
    }

    // Nothing to read at all: an Error naming the line, not an empty capture.
    void errors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("line");
        QTest::newRow("other command's output") << QByteArray("default via 198.51.100.1 dev eth0\n") << "no tcpdump output found" << 1;
        QTest::newRow("-t: no timestamps")
            << QByteArray("IP (tos 0x0, ttl 64, id 7, offset 0, flags [DF], proto ICMP (1), length 84)\n") << "no tcpdump output found" << 1;
        QTest::newRow("only a continuation")
            << QByteArray("    198.51.100.11 > 198.51.100.12: ICMP echo request, id 1, seq 1, length 64\n")
            << "continuation line with no packet before it" << 1;
        QTest::newRow("pcap") << QByteArray::fromHex("d4c3b2a1020004000000000000000000ffff000001000000") << "pcap file" << 1;
        QTest::newRow("pcap big endian") << QByteArray::fromHex("a1b2c3d400020004") << "pcap file" << 1;
        QTest::newRow("pcapng") << QByteArray::fromHex("0a0d0d0a1c000000") << "pcap file" << 1;
        QTest::newRow("binary junk") << QByteArray("\x01\x02\x03\xff\xfe\n\x7f", 7) << "no tcpdump output found" << 1;
    }
    void errors()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, message);
        QFETCH(int, line);
        auto r = parseTcpdumpText(std::string_view(input.constData(), std::size_t(input.size())));
        QVERIFY(!r.ok());
        QVERIFY2(q(r.error().message).contains(message), r.error().oneLine().c_str());
        QCOMPARE(r.error().line, line);
    }

    void oversized()
    {
        std::string big(text::kMaxInputBytes + 1, 'x');
        auto r = parseTcpdumpText(big);
        QVERIFY(!r.ok());
        QVERIFY(q(r.error().message).contains("larger than"));

        // The streaming reader stops at the same bound and says so.
        TcpdumpTextReader reader;
        auto guide = readFixture("guide-server-tunl0-request.txt");
        reader.addLine(guide.substr(0, guide.find('\n')));
        reader.addLine(big);
        reader.addLine("    198.51.100.11 > 198.51.100.12: ICMP echo request, id 1, seq 1, length 64");
        auto c = reader.finish();
        QCOMPARE(c.lines, 3);
        QCOMPARE(c.packets.size(), std::size_t(1));
        QVERIFY(!c.packets[0].complete);
        QVERIFY(std::any_of(c.problems.begin(), c.problems.end(),
                            [](const Error &e) { return e.message.find("larger than") != std::string::npos; }));
    }

    // A capture cut anywhere (SSH dropped, tcpdump killed): never a crash, never more
    // packets than the whole, every packet before the cut intact.
    void truncated_data()
    {
        QTest::addColumn<QString>("file");
        for (auto f : {"td-vxlan-any-a.txt", "td-fragneeded-any.txt", "td-ipip-any-a.txt", "td-http-any.txt",
                       "td-vxlan-e-any-a.txt", "td-plain-quiet-vxlan-any-a.txt", "guide-client-egress-ipip.txt"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void truncated()
    {
        QFETCH(QString, file);
        auto text = readFixture(file);
        auto whole = parseOk(text);
        // Around every line break, and every 11th byte in between (all of them costs
        // minutes under ASan for no more coverage).
        std::vector<std::size_t> cuts;
        for (std::size_t i = 0; i <= text.size(); ++i)
            if (i % 11 == 0 || i == text.size() || text[i] == '\n' || (i > 0 && text[i - 1] == '\n'))
                cuts.push_back(i);
        for (std::size_t cut : cuts) {
            auto r = parseTcpdumpText(std::string_view(text).substr(0, cut));
            if (!r)
                continue;  // a prefix with nothing recognisable yet
            checkInvariants(*r);
            QVERIFY(r->packets.size() <= whole.packets.size());
            // All packets but the last are complete and equal to the whole parse's.
            for (std::size_t i = 0; i + 1 < r->packets.size(); ++i)
                QVERIFY2(r->packets[i] == whole.packets[i], qPrintable(QString("cut %1 packet %2").arg(cut).arg(i)));
        }
    }
};

QTEST_GUILESS_MAIN(TestTcpdumpText)
#include "tst_tcpdump_text.moc"
