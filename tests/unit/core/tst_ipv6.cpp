// IPv6 addresses: what `ip -6`, tcpdump and a user write must read as one value and
// print one way (RFC 5952), and nothing a shell could read gets through.
#include "core/ipv6.h"

#include <QtTest>

#include <arpa/inet.h>

using namespace podpath;

class TestIpv6 : public QObject {
    Q_OBJECT
private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("node address") << "2001:db8:100::11" << true << "2001:db8:100::11";
        QTest::newRow("VTEP in a /122 block") << "2001:db8:1800::40" << true << "2001:db8:1800::40";
        QTest::newRow("block start ends in ::") << "2001:db8:1800::" << true << "2001:db8:1800::";
        QTest::newRow("all zero") << "::" << true << "::";
        QTest::newRow("loopback") << "::1" << true << "::1";
        QTest::newRow("link-local") << "fe80::ff:fe00:6101" << true << "fe80::ff:fe00:6101";
        QTest::newRow("upper case and leading zeros") << "2001:0DB8:0000:0000:0000:0000:0000:0001" << true << "2001:db8::1";
        QTest::newRow("one zero group is not compressed") << "2001:db8:0:1:1:1:1:1" << true << "2001:db8:0:1:1:1:1:1";
        QTest::newRow("longest run wins") << "2001:0:0:1:0:0:0:1" << true << "2001:0:0:1::1";
        QTest::newRow("first of equal runs wins") << "2001:db8:0:0:1:0:0:1" << true << "2001:db8::1:0:0:1";
        QTest::newRow("eight groups") << "1:2:3:4:5:6:7:8" << true << "1:2:3:4:5:6:7:8";
        QTest::newRow("trailing run") << "1:2:3:4:5:6::" << true << "1:2:3:4:5:6::";
        QTest::newRow("IPv4-mapped") << "::ffff:198.51.100.1" << true << "::ffff:c633:6401";
        QTest::newRow("IPv4 in the last 32 bits") << "1:2:3:4:5:6:198.51.100.1" << true << "1:2:3:4:5:6:c633:6401";
        QTest::newRow("nine groups") << "1:2:3:4:5:6:7:8:9" << false << "";
        QTest::newRow(":: standing for no group") << "1:2:3:4::5:6:7:8" << false << "";
        QTest::newRow("two ::") << "2001::1::2" << false << "";
        QTest::newRow(":::") << "2001:::1" << false << "";
        QTest::newRow("lone leading colon") << ":1::2" << false << "";
        QTest::newRow("lone trailing colon") << "1::2:" << false << "";
        QTest::newRow("five hex digits") << "2001:db8:10000::1" << false << "";
        QTest::newRow("seven groups") << "1:2:3:4:5:6:7" << false << "";
        QTest::newRow("zone") << "fe80::1%eth0" << false << "";
        QTest::newRow("prefix") << "2001:db8::/64" << false << "";
        QTest::newRow("IPv4 alone") << "198.51.100.1" << false << "";
        QTest::newRow("IPv4 not last") << "::198.51.100.1:1" << false << "";
        QTest::newRow("IPv4 with too many groups") << "1:2:3:4:5:6:7:198.51.100.1" << false << "";
        QTest::newRow("space") << " ::1" << false << "";
        QTest::newRow("substitution") << "$(id)" << false << "";
        QTest::newRow("shell") << "::1;reboot" << false << "";
        QTest::newRow("newline") << "::1\n" << false << "";
        QTest::newRow("empty") << "" << false << "";
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, canonical);
        const auto a = Ipv6::parse(text.toStdString());
        QCOMPARE(a.has_value(), valid);
        // The C library agrees on every address it accepts without a zone.
        in6_addr libc{};
        const bool libcValid = inet_pton(AF_INET6, text.toLatin1().constData(), &libc) == 1;
        QCOMPARE(libcValid, valid);
        if (!valid)
            return;
        QCOMPARE(QString::fromStdString(a->toString()), canonical);
        QVERIFY(std::equal(a->bytes().begin(), a->bytes().end(), libc.s6_addr));
        char printed[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &libc, printed, sizeof printed);
        if (!text.contains('.'))  // glibc prints the IPv4-mapped form dotted; RFC 5952 allows both
            QCOMPARE(QString::fromStdString(a->toString()), QString::fromLatin1(printed));
    }

    void prefix_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("inside");
        QTest::addColumn<bool>("contains");
        QTest::newRow("/122 block") << "2001:db8:1800::40/122" << true << "2001:db8:1800::7f" << true;
        QTest::newRow("outside /122") << "2001:db8:1800::40/122" << true << "2001:db8:1800::80" << false;
        QTest::newRow("/64 underlay") << "2001:db8:100::11/64" << true << "2001:db8:100::ffff:1" << true;
        QTest::newRow("/48 pool") << "2001:db8:1800::/48" << true << "2001:db8:1801::1" << false;
        QTest::newRow("bit in a byte's middle (/59)") << "2001:db8::/59" << true << "2001:db8:0:1f::" << true;
        QTest::newRow("past /59") << "2001:db8::/59" << true << "2001:db8:0:20::" << false;
        QTest::newRow("bare is /128") << "2001:db8::1" << true << "2001:db8::1" << true;
        QTest::newRow("bare /128 holds no other") << "2001:db8::1" << true << "2001:db8::2" << false;
        QTest::newRow("default") << "default" << true << "2001:db8::9" << true;
        QTest::newRow("/0") << "::/0" << true << "fe80::1" << true;
        QTest::newRow("/129") << "2001:db8::/129" << false << "" << false;
        QTest::newRow("/-1") << "2001:db8::/-1" << false << "" << false;
        QTest::newRow("empty length") << "2001:db8::/" << false << "" << false;
        QTest::newRow("length with junk") << "2001:db8::/6x" << false << "" << false;
        QTest::newRow("four-digit length") << "2001:db8::/0064" << false << "" << false;
    }
    void prefix()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, inside);
        QFETCH(bool, contains);
        const auto p = Ipv6Prefix::parse(text.toStdString());
        QCOMPARE(p.has_value(), valid);
        if (!valid)
            return;
        QCOMPARE(p->contains(*Ipv6::parse(inside.toStdString())), contains);
        QCOMPARE(Ipv6Prefix::parse(p->toString()), p);
    }

    void network()
    {
        QCOMPARE(Ipv6Prefix::parse("2001:db8:1800::7f/122")->network().toString(), std::string("2001:db8:1800::40"));
        QCOMPARE(Ipv6Prefix::parse("2001:db8:100::11/64")->network().toString(), std::string("2001:db8:100::"));
        QVERIFY(Ipv6::parse("fe80::1")->isLinkLocal());
        QVERIFY(Ipv6::parse("febf::1")->isLinkLocal());
        QVERIFY(!Ipv6::parse("fec0::1")->isLinkLocal());
        QVERIFY(!Ipv6::parse("2001:db8::1")->isLinkLocal());
        QVERIFY(Ipv6::parse("::")->isUnspecified());
    }
};

QTEST_GUILESS_MAIN(TestIpv6)
#include "tst_ipv6.moc"
