// Which policy decided a pod's packets, from iptables-save -c on lab nodes around a probe
// from the client's web pod to the server's (tests/fixtures/firewall/pod, one recording
// per policy set of `tests/lab/lab policy`), and from shapes of Felix's chains the lab
// does not render (policy groups, rules without names). nftables mode's chains (issue #16)
// are not covered here yet.

#include "diagnose/endpoint_policy.h"
#include "diagnose/pod_checks.h"
#include "fixture_file.h"
#include "parse/iptables_save.h"

#include <QtTest>

using namespace podpath;
using diagnose::PodSide;
using diagnose::PolicyOutcome;

namespace {

// The lab's web pods' host-side interfaces (README beside the fixtures).
constexpr const char *kClientPodInterface = "cali9fe6d4dc1f4";
constexpr const char *kServerPodInterface = "cali2ce55fcc74b";

const char *outcomeName(PolicyOutcome o)
{
    switch (o) {
    case PolicyOutcome::AllowedByPolicy: return "allowed-by-policy";
    case PolicyOutcome::AllowedByProfile: return "allowed-by-profile";
    case PolicyOutcome::AllowedByConnection: return "allowed-by-connection";
    case PolicyOutcome::DeniedByRule: return "denied-by-rule";
    case PolicyOutcome::DroppedAtEndOfTier: return "dropped-at-end-of-tier";
    case PolicyOutcome::DroppedNoProfile: return "dropped-no-profile";
    case PolicyOutcome::DroppedInvalid: return "dropped-invalid";
    case PolicyOutcome::DroppedOther: return "dropped-other";
    }
    return "?";
}

// "denied-by-rule GlobalNetworkPolicy deny-web-egress; allowed-by-connection": each
// decision's outcome and who decided, in the chain's order (counts are checked apart).
QString summary(const diagnose::EndpointPolicyReading &r)
{
    QStringList parts;
    for (const auto &d : r.decisions) {
        QString p = outcomeName(d.outcome);
        if (d.by)
            p += ' ' + QString::fromStdString(d.by->kind + " " + d.by->name);
        for (const auto &e : d.evaluated)
            p += QStringLiteral(" after ") + QString::fromStdString(e.kind + " " + e.name);
        parts << p;
    }
    return parts.join(QStringLiteral("; "));
}

std::vector<parse::CountedRule> rulesOf(const std::string &text)
{
    auto parsed = parse::parseIptablesSave(text);
    if (!parsed.ok())
        qFatal("fixture does not parse: %s", parsed.error().message.c_str());
    return parse::countedRules(*parsed);
}

diagnose::EndpointPolicyReading recorded(const QString &set, const QString &probe, const QString &node, PodSide side)
{
    const QString base = QStringLiteral("firewall/pod/%1.%2.%3.").arg(set, probe, node);
    const char *iface = node == QLatin1String("client") ? kClientPodInterface : kServerPodInterface;
    return diagnose::readEndpointPolicy(rulesOf(test::fixtureText(base + "before.txt")),
                                        rulesOf(test::fixtureText(base + "after.txt")), iface, side);
}

} // namespace

class TestEndpointPolicy : public QObject {
    Q_OBJECT
private slots:
    // Every recorded set, on the chain the probe's requests crossed: the server pod's
    // ingress and the client pod's egress. ICMP: three echoes from one ping, so the first
    // is new and the next two belong to its connection, unless the first was dropped.
    // TCP: three connects, each a new SYN (retransmits of a dropped one count too).
    void recordedSets_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("probe");
        QTest::addColumn<QString>("node");
        QTest::addColumn<bool>("ingress");
        QTest::addColumn<QString>("decisions");
        QTest::addColumn<int>("dropped");   // exact; -1: at least 3
        QTest::addColumn<int>("decidedNew");  // packets allowed by a policy or profile (not conntrack)
        const QString profile = QStringLiteral("allowed-by-profile Profile kns.default");
        QTest::newRow("none: profile allows ICMP in") << "none" << "icmp" << "server" << true
            << "allowed-by-connection; " + profile << 0 << 1;
        QTest::newRow("none: profile allows ICMP out") << "none" << "icmp" << "client" << false
            << "allowed-by-connection; " + profile << 0 << 1;
        QTest::newRow("none: profile allows TCP in") << "none" << "tcp8080" << "server" << true
            << "allowed-by-connection; " + profile << 0 << 3;
        QTest::newRow("allow-web: policy allows ICMP") << "allow-web" << "icmp" << "server" << true
            << "allowed-by-connection; allowed-by-policy NetworkPolicy default/allow-web" << 0 << 1;
        QTest::newRow("allow-web: policy allows TCP 8080") << "allow-web" << "tcp8080" << "server" << true
            << "allowed-by-connection; allowed-by-policy NetworkPolicy default/allow-web" << 0 << 3;
        QTest::newRow("allow-web: egress has no policy") << "allow-web" << "tcp8080" << "client" << false
            << "allowed-by-connection; " + profile << 0 << 3;
        QTest::newRow("ingress-deny: ICMP dropped at the tier's end") << "ingress-deny" << "icmp" << "server" << true
            << "dropped-at-end-of-tier after NetworkPolicy default/default-deny-ingress" << 3 << 0;
        QTest::newRow("ingress-deny: TCP dropped at the tier's end") << "ingress-deny" << "tcp8080" << "server" << true
            << "dropped-at-end-of-tier after NetworkPolicy default/default-deny-ingress" << -1 << 0;
        QTest::newRow("ingress-deny: the client's egress allowed it") << "ingress-deny" << "icmp" << "client" << false
            << profile << 0 << 3;
        QTest::newRow("egress-deny: the client's Deny rule") << "egress-deny" << "icmp" << "client" << false
            << "denied-by-rule GlobalNetworkPolicy deny-web-egress" << 3 << 0;
        QTest::newRow("egress-deny: nothing reached the server pod") << "egress-deny" << "icmp" << "server" << true
            << "" << 0 << 0;
        QTest::newRow("port-deny: ICMP allowed") << "port-deny" << "icmp" << "server" << true
            << "allowed-by-connection; allowed-by-policy NetworkPolicy default/allow-icmp-only" << 0 << 1;
        QTest::newRow("port-deny: TCP 8080 not") << "port-deny" << "tcp8080" << "server" << true
            << "dropped-at-end-of-tier after NetworkPolicy default/allow-icmp-only" << -1 << 0;
        QTest::newRow("port-deny-explicit: TCP 8080 denied by rule") << "port-deny-explicit" << "tcp8080" << "server" << true
            << "denied-by-rule NetworkPolicy default/deny-8080" << -1 << 0;
        QTest::newRow("port-deny-explicit: ICMP allowed by the same policy") << "port-deny-explicit" << "icmp" << "server" << true
            << "allowed-by-connection; allowed-by-policy NetworkPolicy default/deny-8080" << 0 << 1;
    }
    void recordedSets()
    {
        QFETCH(QString, set);
        QFETCH(QString, probe);
        QFETCH(QString, node);
        QFETCH(bool, ingress);
        QFETCH(QString, decisions);
        QFETCH(int, dropped);
        QFETCH(int, decidedNew);
        const auto r = recorded(set, probe, node, ingress ? PodSide::Ingress : PodSide::Egress);
        QVERIFY(r.found());
        QCOMPARE(QString::fromStdString(r.chain),
                 QStringLiteral("cali-%1-%2").arg(ingress ? "tw" : "fw", node == "client" ? kClientPodInterface : kServerPodInterface));
        QCOMPARE(summary(r), decisions);
        if (dropped < 0)
            QVERIFY2(r.dropped() >= 3, qPrintable(QString::number(r.dropped())));
        else
            QCOMPARE(int(r.dropped()), dropped);
        std::uint64_t byPolicyOrProfile = 0;
        for (const auto &d : r.decisions)
            if (d.outcome == PolicyOutcome::AllowedByPolicy || d.outcome == PolicyOutcome::AllowedByProfile)
                byPolicyOrProfile += d.packets;
        QCOMPARE(int(byPolicyOrProfile), decidedNew);
        // Every packet the dispatch sent in was decided, and nothing else was.
        QVERIFY(r.enteredCounted);
        QCOMPARE(r.dropped() + r.allowed(), r.entered);
        // Every sentence names who decided or why, in words, and the ids stay out of the rule.
        for (const auto &d : r.decisions) {
            const QString s = QString::fromStdString(diagnose::policySentence(d, r.side, !r.tiers.empty()));
            QVERIFY2(!s.isEmpty() && s.front().isUpper() && s.endsWith('.'), qPrintable(s));
            QVERIFY2(!s.contains("cali:"), qPrintable(s));
            if (d.by)
                QVERIFY2(s.contains(QString::fromStdString(d.by->name)), qPrintable(s));
        }
    }

    // The sentences a reader gets for the two drops the issue names first.
    void sentences_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("probe");
        QTest::addColumn<QString>("node");
        QTest::addColumn<bool>("ingress");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("explicit deny") << "port-deny-explicit" << "tcp8080" << "server" << true
            << "NetworkPolicy default/deny-8080 (tier default) dropped 3 packets into the pod: rule 1 of "
               "cali-pi-_ZjBkNDk1NjZhMjQ2MjZ (-p tcp -m multiport --dports 8080 -j DROP) matched them.";
        QTest::newRow("end of tier") << "port-deny" << "tcp8080" << "server" << true
            << "No policy in tier default allowed 3 packets into the pod, so the tier's end dropped them; the policies "
               "that selected the pod and saw them: NetworkPolicy default/allow-icmp-only.";
        QTest::newRow("no policy selects") << "ingress-deny" << "icmp" << "client" << false
            << "No policy selects the pod for egress; its profile kns.default allowed 3 packets out of the pod.";
    }
    void sentences()
    {
        QFETCH(QString, set);
        QFETCH(QString, probe);
        QFETCH(QString, node);
        QFETCH(bool, ingress);
        QFETCH(QString, sentence);
        const auto r = recorded(set, probe, node, ingress ? PodSide::Ingress : PodSide::Egress);
        QStringList all;
        for (const auto &d : r.decisions)
            all << QString::fromStdString(diagnose::policySentence(d, r.side, !r.tiers.empty()));
        QVERIFY2(all.contains(sentence), qPrintable(all.join('\n')));
    }

    // The NOTRACK rule named beside an invalid drop is the pod's: its interface, a wildcard
    // covering it, or a pod's address; a node-local DNS cache's NOTRACK counting meanwhile
    // is not blamed, nor a rule that did not count.
    void untrackingRulesAreThePods_data()
    {
        QTest::addColumn<QString>("rule");  // the raw PREROUTING rule, without counters
        QTest::addColumn<bool>("named");
        QTest::newRow("the pod's interface") << "-i cali9fe6d4dc1f4 -j NOTRACK" << true;
        QTest::newRow("a wildcard over it") << "-i cali+ -j NOTRACK" << true;
        QTest::newRow("CT --notrack, the pod's address") << "-s 198.18.10.66/32 -j CT --notrack" << true;
        QTest::newRow("another pod's interface") << "-i cali0123456789a -j NOTRACK" << false;
        QTest::newRow("a longer address") << "-s 198.18.10.6/32 -j NOTRACK" << false;
        QTest::newRow("node-local DNS cache") << "-d 169.254.20.10/32 -p udp -m udp --dport 53 -j NOTRACK" << false;
        QTest::newRow("not an exemption") << "-i cali9fe6d4dc1f4 -j ACCEPT" << false;
    }
    void untrackingRulesAreThePods()
    {
        QFETCH(QString, rule);
        QFETCH(bool, named);
        const auto table = [&](int packets) {
            return QStringLiteral("*raw\n:PREROUTING ACCEPT [0:0]\n[%1:%2] -A PREROUTING %3\nCOMMIT\n")
                .arg(packets)
                .arg(packets * 84)
                .arg(rule)
                .toStdString();
        };
        const auto found = diagnose::untrackingRules(rulesOf(table(0)), rulesOf(table(11)), kClientPodInterface,
                                                     {"198.18.10.66", "198.18.20.130"});
        QCOMPARE(found.size(), std::size_t(named ? 1 : 0));
        if (named)
            QCOMPARE(found.front().packets, std::uint64_t(11));
        // A rule that counted nothing during the probes is never named.
        QVERIFY(diagnose::untrackingRules(rulesOf(table(11)), rulesOf(table(11)), kClientPodInterface,
                                          {"198.18.10.66", "198.18.20.130"})
                    .empty());
    }

    // Shapes the lab does not render: Felix's policy groups (a chain per group of
    // policies), policy chains without names (Felix before it wrote them), conntrack's
    // invalid drop, no profile matched.
    void shapes_data()
    {
        QTest::addColumn<QString>("rulesAfter");  // filter table rules, counters are the after snapshot
        QTest::addColumn<QString>("decisions");
        QTest::addColumn<QString>("sentencePart");
        const QString head = QStringLiteral(
            "[7:420] -A cali-to-wl-dispatch -o caliabc -g cali-tw-caliabc\n"
            "[0:0] -A cali-tw-caliabc -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
            "[7:420] -A cali-tw-caliabc -m comment --comment \"Start of tier platform\" -j MARK --set-xmark 0x0/0x20000\n");
        QTest::newRow("group: second policy allows")
            << head + "[7:420] -A cali-tw-caliabc -m mark --mark 0x0/0x20000 -j cali-gi-_grp\n"
                      "[0:0] -A cali-tw-caliabc -m comment --comment \"Return if policy accepted\" -m mark --mark 0x10000/0x10000 -j RETURN\n"
                      "[0:0] -A cali-tw-caliabc -m comment --comment \"End of tier platform. Drop if no policies passed packet\" -m mark --mark 0x0/0x20000 -j DROP\n"
                      "[7:420] -A cali-gi-_grp -m mark --mark 0x0/0x20000 -j cali-pi-_one\n"
                      "[0:0] -A cali-gi-_grp -m comment --comment \"Return if policy accepted\" -m mark --mark 0x10000/0x10000 -j RETURN\n"
                      "[7:420] -A cali-gi-_grp -m mark --mark 0x0/0x20000 -j cali-pi-_two\n"
                      "[7:420] -A cali-gi-_grp -m comment --comment \"Return if policy accepted\" -m mark --mark 0x10000/0x10000 -j RETURN\n"
                      "[0:0] -A cali-pi-_one -p udp -m comment --comment \"NetworkPolicy shop/dns ingress\" -j MARK --set-xmark 0x10000/0x10000\n"
                      "[7:420] -A cali-pi-_two -p tcp -m comment --comment \"GlobalNetworkPolicy platform.web ingress\" -j MARK --set-xmark 0x10000/0x10000\n"
            << "allowed-by-policy GlobalNetworkPolicy platform.web" << "(tier platform) allowed 7 packets";
        QTest::newRow("unnamed policy, end of tier")
            << head + "[7:420] -A cali-tw-caliabc -m mark --mark 0x0/0x20000 -j cali-pi-_NoName\n"
                      "[0:0] -A cali-tw-caliabc -m comment --comment \"Return if policy accepted\" -m mark --mark 0x10000/0x10000 -j RETURN\n"
                      "[7:420] -A cali-tw-caliabc -m comment --comment \"End of tier platform. Drop if no policies passed packet\" -m mark --mark 0x0/0x20000 -j DROP\n"
                      "[0:0] -A cali-pi-_NoName -p udp -j MARK --set-xmark 0x10000/0x10000\n"
            << "dropped-at-end-of-tier after  " << "the policy in chain cali-pi-_NoName (this Felix writes no policy names";
        QTest::newRow("conntrack invalid")
            << QStringLiteral("[2:120] -A cali-to-wl-dispatch -o caliabc -g cali-tw-caliabc\n"
                              "[2:120] -A cali-tw-caliabc -m conntrack --ctstate INVALID -j DROP\n")
            << "dropped-invalid" << "Conntrack judged 2 packets into the pod invalid";
        QTest::newRow("no profile matched")
            << QStringLiteral("[1:60] -A cali-to-wl-dispatch -o caliabc -g cali-tw-caliabc\n"
                              "[1:60] -A cali-tw-caliabc -j cali-pri-_hashed\n"
                              "[1:60] -A cali-tw-caliabc -m comment --comment \"Drop if no profiles matched\" -j DROP\n"
                              "[0:0] -A cali-pri-_hashed -p tcp -j MARK --set-xmark 0x10000/0x10000\n")
            << "dropped-no-profile" << "No profile allowed 1 packet into the pod";
    }
    void shapes()
    {
        QFETCH(QString, rulesAfter);
        QFETCH(QString, decisions);
        QFETCH(QString, sentencePart);
        // Declare every chain the rules name; the before snapshot is the same with zero counters.
        QStringList chains;
        for (const QString &line : rulesAfter.split('\n', Qt::SkipEmptyParts))
            if (const QString c = line.section(' ', 2, 2); !chains.contains(c))
                chains << c;
        QString decl = "*filter\n";
        for (const QString &c : chains)
            decl += ":" + c + " - [0:0]\n";
        QString zeroed = rulesAfter;
        zeroed.replace(QRegularExpression("^\\[\\d+:\\d+\\]", QRegularExpression::MultilineOption), "[0:0]");
        const auto before = rulesOf((decl + zeroed + "COMMIT\n").toStdString());
        const auto after = rulesOf((decl + rulesAfter + "COMMIT\n").toStdString());
        const auto r = diagnose::readEndpointPolicy(before, after, "caliabc", PodSide::Ingress);
        QVERIFY(r.found());
        QCOMPARE(summary(r), decisions);
        QStringList all;
        for (const auto &d : r.decisions)
            all << QString::fromStdString(diagnose::policySentence(d, r.side, !r.tiers.empty()));
        QVERIFY2(all.join('\n').contains(sentencePart), qPrintable(all.join('\n')));
    }

    // Only the interface's own chain counts: another pod's, a longer name ending the same
    // way, or a pod the node has no chain for.
    void findsTheInterfacesChain_data()
    {
        QTest::addColumn<QString>("interface");
        QTest::addColumn<QString>("chain");
        QTest::newRow("the server pod") << kServerPodInterface << QStringLiteral("cali-tw-") + kServerPodInterface;
        QTest::newRow("a pod not on this node") << "cali0123456789a" << "";
        QTest::newRow("a suffix of the name") << "2ce55fcc74b" << "";
    }
    void findsTheInterfacesChain()
    {
        QFETCH(QString, interface);
        QFETCH(QString, chain);
        const auto rules = rulesOf(test::fixtureText("firewall/pod/port-deny.icmp.server.after.txt"));
        const auto r = diagnose::readEndpointPolicy(rules, rules, interface.toStdString(), PodSide::Ingress);
        QCOMPARE(QString::fromStdString(r.chain), chain);
        QVERIFY(r.decisions.empty());  // the same snapshot twice: nothing counted
    }
};

QTEST_APPLESS_MAIN(TestEndpointPolicy)
#include "tst_endpoint_policy.moc"
