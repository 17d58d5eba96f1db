#include "core/interface_name.h"
#include "core/ipv4.h"

#include <QtTest>

using namespace podpath;

class TestIpv4 : public QObject {
    Q_OBJECT
private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("plain") << "198.51.100.2" << true << "198.51.100.2";
        QTest::newRow("zero") << "0.0.0.0" << true << "0.0.0.0";
        QTest::newRow("max") << "255.255.255.255" << true << "255.255.255.255";
        QTest::newRow("octet 256") << "1.2.3.256" << false << "";
        QTest::newRow("leading zero is octal to inet_aton") << "010.1.1.1" << false << "";
        QTest::newRow("three octets") << "1.2.3" << false << "";
        QTest::newRow("five octets") << "1.2.3.4.5" << false << "";
        QTest::newRow("trailing dot") << "1.2.3.4." << false << "";
        QTest::newRow("space") << " 1.2.3.4" << false << "";
        QTest::newRow("shell") << "1.2.3.4;reboot" << false << "";
        QTest::newRow("subst") << "$(id)" << false << "";
        QTest::newRow("empty") << "" << false << "";
        QTest::newRow("sign") << "+1.2.3.4" << false << "";
        QTest::newRow("four digit octet") << "1234.1.1.1" << false << "";
        QTest::newRow("newline") << "1.2.3.4\n" << false << "";
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, canonical);
        auto a = Ipv4::parse(text.toStdString());
        QCOMPARE(a.has_value(), valid);
        if (valid)
            QCOMPARE(QString::fromStdString(a->toString()), canonical);
    }

    void prefix_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("inside");
        QTest::addColumn<bool>("contains");
        QTest::newRow("block /26") << "198.18.119.192/26" << true << "198.18.119.255" << true;
        QTest::newRow("outside /26") << "198.18.119.192/26" << true << "198.18.120.0" << false;
        QTest::newRow("bare is /32") << "198.18.0.1" << true << "198.18.0.1" << true;
        QTest::newRow("default") << "default" << true << "203.0.113.9" << true;
        QTest::newRow("/0") << "0.0.0.0/0" << true << "1.1.1.1" << true;
        QTest::newRow("/33") << "1.2.3.4/33" << false << "" << false;
        QTest::newRow("/-1") << "1.2.3.4/-1" << false << "" << false;
        QTest::newRow("empty len") << "1.2.3.4/" << false << "" << false;
        QTest::newRow("len with junk") << "1.2.3.4/2x" << false << "" << false;
    }
    void prefix()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, inside);
        QFETCH(bool, contains);
        auto p = Ipv4Prefix::parse(text.toStdString());
        QCOMPARE(p.has_value(), valid);
        if (valid)
            QCOMPARE(p->contains(*Ipv4::parse(inside.toStdString())), contains);
    }

    void interfaceName_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("tunl0") << "tunl0" << true;
        QTest::newRow("vxlan.calico") << "vxlan.calico" << true;
        QTest::newRow("cali veth") << "cali12ab34cd56e" << true;
        QTest::newRow("16 bytes") << "abcdefghijklmnop" << false;
        QTest::newRow("slash") << "eth/0" << false;
        QTest::newRow("space") << "eth 0" << false;
        QTest::newRow("alias colon") << "eth0:1" << false;
        QTest::newRow("dot") << "." << false;
        QTest::newRow("option lookalike") << "--help" << false;
        QTest::newRow("substitution") << "$(reboot)" << false;
        QTest::newRow("backtick") << "`id`" << false;
        QTest::newRow("quote") << "eth0'" << false;
        QTest::newRow("newline") << "eth0\nid" << false;
        QTest::newRow("empty") << "" << false;
    }
    void interfaceName()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QCOMPARE(InterfaceName::parse(text.toStdString()).has_value(), valid);
    }
};

QTEST_GUILESS_MAIN(TestIpv4)
#include "tst_ipv4.moc"
