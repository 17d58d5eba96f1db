// The firewall check on rules read around the burst: a DROP that counted is named where
// the echoes were lost; a line of iptables-save that could not be read is shown and,
// where the echoes were lost on this node, keeps the check from saying "no DROP"
// (issue #13: one odd comment once hid a real DROP and the tunnel was blamed).

#include "diagnose/finding_codes.h"
#include "diagnose/firewall_checks.h"
#include "parse/ipset.h"
#include "parse/iptables_save.h"

#include <QtTest>

using namespace podpath;
using diagnose::Status;

namespace {

// Shaped like the lab's server INPUT (tests/fixtures/firewall), counters before and after.
std::string dump(int dropPackets, const std::string &oddLine)
{
    return "*filter\n:INPUT ACCEPT [100:8000]\n:cali-INPUT - [0:0]\n" + oddLine +
           "[" + std::to_string(dropPackets) + ":" + std::to_string(dropPackets * 84) +
           "] -A INPUT -s 198.51.100.11/32 -p udp -m udp --dport 4789 -j DROP\n"
           "[40:3360] -A INPUT -j cali-INPUT\nCOMMIT\n";
}

} // namespace

class TestFirewallChecks : public QObject {
    Q_OBJECT
private slots:
    // The hosts set is the one the rule guarding the encapsulation names: IPIP by its
    // protocol, VXLAN by the node's own VXLAN port (Calico's 4789 or what the device
    // says), in every way iptables and nft write ports.
    void hostsSetFollowsTheVxlanPort_data()
    {
        QTest::addColumn<QString>("match");  // the rule's port match
        QTest::addColumn<int>("port");       // the node's VXLAN port
        QTest::addColumn<QString>("set");    // expected; empty: none guards it
        QTest::newRow("dport, default") << "-m udp --dport 4789" << 4789 << "cali40all-vxlan-net";
        QTest::newRow("multiport, default") << "-m multiport --dports 4789" << 4789 << "cali40all-vxlan-net";
        QTest::newRow("multiport list") << "-m multiport --dports 8472,4789" << 4789 << "cali40all-vxlan-net";
        QTest::newRow("range") << "-m multiport --dports 4780:4790" << 4789 << "cali40all-vxlan-net";
        QTest::newRow("other port on the node") << "-m udp --dport 8472" << 8472 << "cali40all-vxlan-net";
        QTest::newRow("rule for another port") << "-m udp --dport 8472" << 4789 << "";
        QTest::newRow("a longer number") << "-m udp --dport 14789" << 4789 << "";
    }
    void hostsSetFollowsTheVxlanPort()
    {
        QFETCH(QString, match);
        QFETCH(int, port);
        QFETCH(QString, set);
        const std::string text = "*filter\n:cali-INPUT - [0:0]\n[0:0] -A cali-INPUT -p udp " + match.toStdString() +
                                 " -m set --match-set cali40all-vxlan-net src -j ACCEPT\nCOMMIT\n";
        auto parsed = parse::parseIptablesSave(text);
        QVERIFY(parsed.ok());
        diagnose::FirewallReadings r;
        r.backend = "iptables-nft";
        r.iptablesBefore = *parsed;
        r.vxlanPort = std::uint16_t(port);
        // No ipsets read: only a rule can name the set.
        QCOMPARE(QString::fromStdString(diagnose::hostsSetName(r, diagnose::Encapsulation::Vxlan)), set);
    }

    void iptables_data()
    {
        QTest::addColumn<int>("dropsDuringBurst");
        QTest::addColumn<QString>("oddLine");
        QTest::addColumn<bool>("lostHere");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("detailHas");
        QTest::addColumn<QString>("code");
        const QString odd = "[0:0] -A INPUT -m comment --comment \"never closed -j ACCEPT\n";
        QTest::newRow("DROP counted, lost here") << 10 << "" << true << "fail" << "1 DROP/REJECT" << "IPTABLES_DROP";
        QTest::newRow("DROP counted, lost elsewhere") << 10 << "" << false << "pass" << "probably other traffic" << "";
        QTest::newRow("nothing counted") << 0 << "" << true << "pass" << "No DROP or REJECT rule counted" << "";
        // The odd line's quote never closes; a later quoted comment must not close it and
        // swallow the DROP between them.
        const QString oddThenQuote = odd + "[0:0] -A cali-INPUT -m comment --comment \"cali:abc\" -j ACCEPT\n";
        QTest::newRow("DROP counted after an odd line and a quoted comment")
            << 10 << oddThenQuote << true << "fail" << "1 DROP/REJECT" << "IPTABLES_DROP";
        QTest::newRow("DROP counted beside an odd line") << 10 << odd << true << "fail" << "1 DROP/REJECT" << "IPTABLES_DROP";
        QTest::newRow("odd line, nothing counted, lost here")
            << 0 << odd << true << "unknown" << "1 line of the rules could not be read" << "";
        QTest::newRow("odd line, nothing counted, lost elsewhere")
            << 0 << odd << false << "pass" << "could not be read and was skipped" << "";
    }
    void iptables()
    {
        QFETCH(int, dropsDuringBurst);
        QFETCH(QString, oddLine);
        QFETCH(bool, lostHere);
        QFETCH(QString, status);
        QFETCH(QString, detailHas);
        QFETCH(QString, code);
        diagnose::FirewallReadings r;
        r.backend = "iptables-nft";
        auto before = parse::parseIptablesSave(dump(0, oddLine.toStdString()));
        auto after = parse::parseIptablesSave(dump(dropsDuringBurst, oddLine.toStdString()));
        QVERIFY(before.ok() && after.ok());
        r.iptablesBefore = *before;
        r.iptablesAfter = *after;
        diagnose::NodeFacts self;
        self.hostname = "node-b";
        std::vector<diagnose::Finding> findings;
        auto c = diagnose::checkIptables(diagnose::NodeRole::Server, self, r, lostHere, findings);
        QCOMPARE(QString::fromStdString(std::string(diagnose::toString(c.status))), status);
        QVERIFY2(QString::fromStdString(c.detail).contains(detailHas), c.detail.c_str());
        QCOMPARE(findings.empty() ? QString() : QString::fromStdString(findings.front().code), code);
        if (!oddLine.isEmpty()) {
            const bool shown = std::any_of(c.evidence.begin(), c.evidence.end(), [](const std::string &e) {
                return e.starts_with("skipped line 4 of iptables-save: ");
            });
            QVERIFY2(shown, "the skipped line is not in the evidence");
        }
    }

    // The hosts set check on a listing with a line ipset's parser could not read: the
    // line is in the evidence and counted in the detail; an address not among the
    // members read is unknown (it may be on that line), never a finding.
    void hostsSetWithSkippedLines_data()
    {
        QTest::addColumn<QString>("members");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("detailHas");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("skippedLine");  // 0: none
        QTest::newRow("peer in, nothing skipped") << "198.51.100.11\n198.51.100.12\n" << "pass" << "is in" << "" << 0;
        QTest::newRow("peer missing, nothing skipped")
            << "198.51.100.12\n" << "fail" << "is not in" << "SOURCE_NOT_IN_HOSTS_IPSET" << 0;
        QTest::newRow("peer in, a line skipped")
            << "198.51.100.11\n198.51.1oo.12\n" << "pass" << "1 line of the listing could not be read" << "" << 6;
        QTest::newRow("peer missing, a line skipped")
            << "198.51.100.12\n198.51.1oo.11\n" << "unknown" << "it may be on one of them" << "" << 6;
        QTest::newRow("peer missing, two lines skipped")
            << "\x01\x02\n198.51.100.12\n198.51.1oo.11\n" << "unknown" << "2 lines of the listing" << "" << 5;
    }
    void hostsSetWithSkippedLines()
    {
        QFETCH(QString, members);
        QFETCH(QString, status);
        QFETCH(QString, detailHas);
        QFETCH(QString, code);
        QFETCH(int, skippedLine);
        diagnose::FirewallReadings r;
        r.backend = "iptables-nft";
        auto sets = parse::parseIpsetList("Name: felix-calico-hosts-4\nType: hash:ip\nHeader: family inet\nMembers:\n" +
                                          members.toStdString());
        QVERIFY2(sets.ok(), sets.ok() ? "" : sets.error().oneLine().c_str());
        r.ipsets = *sets;
        diagnose::NodeFacts self, peer;
        self.hostname = "node-b";
        peer.hostname = "node-a";
        peer.nodeIp = Ipv4::parse("198.51.100.11");
        std::vector<diagnose::Finding> findings;
        auto c = diagnose::checkHostsIpset(diagnose::NodeRole::Server, diagnose::Encapsulation::IpIp, self, peer, {}, r,
                                           true, findings);
        QCOMPARE(QString::fromStdString(std::string(diagnose::toString(c.status))), status);
        QVERIFY2(QString::fromStdString(c.detail).contains(detailHas), c.detail.c_str());
        QVERIFY2(!c.detail.ends_with(": ") && !c.detail.empty(), c.detail.c_str());
        QCOMPARE(findings.empty() ? QString() : QString::fromStdString(findings.front().code), code);
        const std::string prefix = "skipped line " + std::to_string(skippedLine) + " of ipset list: ";
        const bool shown = std::any_of(c.evidence.begin(), c.evidence.end(),
                                       [&](const std::string &e) { return e.starts_with(prefix); });
        QCOMPARE(shown, skippedLine != 0);
    }
};

QTEST_GUILESS_MAIN(TestFirewallChecks)
#include "tst_firewall_checks.moc"
