// The capture filter on a busy node: compiled by libpcap (what tcpdump compiles) and run
// over real captures (tests/fixtures/pcap). Aimed at the pair in the capture it keeps what
// the broad filter kept; aimed at another pair it keeps none of it, so another pair's
// overlay traffic cannot fill the capture's bounds.

#include "diagnose/capture_stream.h"

#include <pcap/pcap.h>

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

namespace {

std::string joined(const std::vector<remote::Word> &words)
{
    std::string s;
    for (const auto &w : words)
        s += (s.empty() ? "" : " ") + w.str();
    return s;
}

// How many packets of `file` the filter keeps; -1 when libpcap cannot compile it.
int kept(const QString &file, const std::string &filter)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(qPrintable(QStringLiteral(PODPATH_FIXTURES "/pcap/") + file), err);
    if (!p)
        return -2;
    bpf_program prog{};
    if (pcap_compile(p, &prog, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        qWarning("%s: %s", filter.c_str(), pcap_geterr(p));
        pcap_close(p);
        return -1;
    }
    int n = 0;
    pcap_pkthdr *h = nullptr;
    const u_char *bytes = nullptr;
    while (pcap_next_ex(p, &h, &bytes) == 1)
        n += pcap_offline_filter(&prog, h, bytes) != 0;
    pcap_freecode(&prog);
    pcap_close(p);
    return n;
}

Ipv4 ip(const char *s) { return *Ipv4::parse(s); }

} // namespace

class TestCaptureFilter : public QObject {
    Q_OBJECT
private slots:
    // Real captures of one pair each (who pinged whom is in tests/fixtures/pcap/README.md).
    void keepsThePairOnly_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("target");   // the tunnel address the echoes went to
        QTest::addColumn<QString>("node1");
        QTest::addColumn<QString>("node2");
        QTest::addColumn<int>("vxlanPort");
        QTest::newRow("vxlan, client side, -i any") << "pc-vxlan-any-a.pcap" << "198.18.1.0" << "198.51.100.1" << "198.51.100.65" << 4789;
        QTest::newRow("vxlan, server side, -i any") << "pc-vxlan-any-b.pcap" << "198.18.1.0" << "198.51.100.1" << "198.51.100.65" << 4789;
        QTest::newRow("vxlan, underlay device only") << "pc-vxlan-eth0-a.pcap" << "198.18.1.0" << "198.51.100.1" << "198.51.100.65" << 4789;
        QTest::newRow("vxlan, outer fragments") << "pc-vxlan-fragments-b.pcap" << "198.18.1.0" << "198.51.100.1" << "198.51.100.65" << 4789;
        QTest::newRow("ipip, -i any") << "pc-ipip-any.pcap" << "198.18.3.0" << "198.51.100.1" << "198.51.100.65" << 4789;
        QTest::newRow("ipip, cooked v1") << "pc-ipip-sll.pcap" << "198.18.3.0" << "198.51.100.1" << "198.51.100.65" << 4789;
        QTest::newRow("ipip, tunnel device raw") << "pc-ipip-tunl0-raw.pcap" << "198.18.3.0" << "198.51.100.1" << "198.51.100.65" << 4789;
        QTest::newRow("ipip, need to frag from a router") << "pc-fragneeded-any.pcap" << "198.18.3.0" << "198.51.100.1" << "198.51.100.65" << 4789;
        QTest::newRow("vxlan beside other traffic") << "td-vxlan-any-a.pcap" << "198.18.10.5" << "198.51.100.11" << "198.51.100.12" << 4789;
        QTest::newRow("vxlan, captured with -e") << "td-vxlan-e-any-a.pcap" << "198.18.10.5" << "198.51.100.11" << "198.51.100.12" << 4789;
    }
    void keepsThePairOnly()
    {
        QFETCH(QString, file);
        QFETCH(QString, target);
        QFETCH(QString, node1);
        QFETCH(QString, node2);
        QFETCH(int, vxlanPort);
        CaptureSpec broad;
        broad.vxlanPort = std::uint16_t(vxlanPort);
        const int before = kept(file, joined(captureFilter(broad)));
        QVERIFY2(before > 0, qPrintable(file + QStringLiteral(": the broad filter keeps nothing")));

        CaptureSpec pair = broad;
        pair.echoTarget = ip(qPrintable(target));
        pair.nodeAddresses = {ip(qPrintable(node1)), ip(qPrintable(node2))};
        const std::string narrow = joined(captureFilter(pair));
        QCOMPARE(kept(file, narrow), before);

        // Another pair on the same node (other addresses, same port): none of this.
        CaptureSpec other = broad;
        other.echoTarget = ip("198.18.99.9");
        other.nodeAddresses = {ip("198.51.100.99"), ip("198.51.100.98")};
        const int foreign = kept(file, joined(captureFilter(other)));
        qInfo("%s: broad %d, this pair %d, another pair %d", qPrintable(file), before, before, foreign);
        // Only an outer fragment after the first (no inner header to read) is kept blind.
        QVERIFY2(foreign >= 0 && foreign <= (file == QLatin1String("pc-fragneeded-any.pcap") ? 1 : 0),
                 qPrintable(QString::number(foreign)));
    }

    // A dual-stack pair (real captures of VXLAN over IPv6, tests/fixtures/pcap/tools/
    // make-pc6-fixtures.sh): the IPv6 part keeps the echoes to and from the server's IPv6
    // VTEP, plain and inside VXLAN over IPv6 (read at ip6[] offsets), and nothing of a pair
    // with another IPv6 VTEP; the IPv4 part, aimed at an address absent here, keeps nothing.
    void ipv6Pair_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("target6");
        QTest::addColumn<int>("echoes");  // echo packets of that pair in the file (tcpdump -nn -r)
        QTest::newRow("-i any: on the VXLAN device and encapsulated") << "pc6-vxlan-any-a.pcap" << "2001:db8:1800::40" << 12;
        QTest::newRow("the underlay device: encapsulated only") << "pc6-vxlan-eth0-b.pcap" << "2001:db8:1800::40" << 6;
        QTest::newRow("the VXLAN device: plain only") << "pc6-vxlan-dev-a.pcap" << "2001:db8:1800::40" << 6;
        QTest::newRow("the replies' side: the client's VTEP as target") << "pc6-vxlan-any-a.pcap" << "2001:db8:1800::" << 12;
    }
    void ipv6Pair()
    {
        QFETCH(QString, file);
        QFETCH(QString, target6);
        QFETCH(int, echoes);
        CaptureSpec pair;
        pair.echoTarget = ip("198.18.99.9");
        pair.nodeAddresses = {ip("198.51.100.99"), ip("198.51.100.98")};
        pair.echoTarget6 = *Ipv6::parse(target6.toStdString());
        QCOMPARE(kept(file, joined(captureFilter(pair))), echoes);
        CaptureSpec other = pair;
        other.echoTarget6 = *Ipv6::parse("2001:db8:1800::999");
        QCOMPARE(kept(file, joined(captureFilter(other))), 0);
    }

    // Through WireGuard: its messages between the two nodes, of the handshake's lengths and
    // the lengths that carry the pair's echoes; nothing between other nodes, no other size.
    void wireguardPair_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("nodes");        // the pair's node addresses
        QTest::addColumn<QList<uint>>("lengths");  // data lengths kept (empty: all)
        QTest::addColumn<int>("want");
        // wg-eth0-a.pcap: handshake (148, 92) and six data packets of 128 (tcpdump -nn -r).
        QTest::newRow("the pair, its echoes' length") << "wg-eth0-a.pcap" << "198.51.100.1 198.51.100.65" << QList<uint>{128, 1472} << 8;
        QTest::newRow("the pair, any length") << "wg-eth0-a.pcap" << "198.51.100.1 198.51.100.65" << QList<uint>{} << 8;
        QTest::newRow("the pair, only full-size echoes") << "wg-eth0-a.pcap" << "198.51.100.1 198.51.100.65" << QList<uint>{1472} << 2;
        QTest::newRow("another pair") << "wg-eth0-a.pcap" << "198.51.100.1 198.51.100.66" << QList<uint>{128} << 0;
        QTest::newRow("the clear side: not WireGuard") << "wg-dev-a.pcap" << "198.51.100.1 198.51.100.65" << QList<uint>{128} << 0;
    }
    void wireguardPair()
    {
        QFETCH(QString, file);
        QFETCH(QString, nodes);
        QFETCH(QList<uint>, lengths);
        QFETCH(int, want);
        CaptureSpec pair;
        pair.echoTarget = ip("198.18.99.9");  // no echo of the files goes there
        pair.nodeAddresses = {*Ipv4::parse(nodes.section(' ', 0, 0).toStdString()), *Ipv4::parse(nodes.section(' ', 1, 1).toStdString())};
        pair.wireguard = true;
        for (uint l : lengths)
            pair.wireguardLengths.push_back(l);
        QCOMPARE(kept(file, joined(captureFilter(pair))), want);
    }

    // Without an echo target (discovery found none) the filter stays broad, as tcpdump's
    // line in every recording made before.
    void broadWithoutTarget()
    {
        CaptureSpec s;
        QCOMPARE(joined(captureFilter(s)), std::string("icmp or ip proto 4 or udp port 4789"));
        s.nodeAddresses = {ip("198.51.100.1")};
        QCOMPARE(joined(captureFilter(s)), std::string("icmp or ip proto 4 or udp port 4789"));
    }
};

QTEST_GUILESS_MAIN(TestCaptureFilter)
#include "tst_capture_filter.moc"
