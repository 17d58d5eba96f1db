#include "parse/iptables.h"
#include "parse/text.h"

#include <QFile>
#include "fixture_file.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::parse;

namespace {

std::string fixture(const QString &name) { return test::fixtureText(name); }

const IptablesRule *ruleAt(const IptablesSnapshot &s, const std::string &chain, int position)
{
    const auto *c = s.tables.empty() ? nullptr : s.tables.front().chain(chain);
    if (!c)
        return nullptr;
    for (const auto &r : c->rules)
        if (r.position == position)
            return &r;
    return nullptr;
}

std::size_t ruleCount(const IptablesSnapshot &s)
{
    std::size_t n = 0;
    for (const auto &t : s.tables)
        for (const auto &c : t.chains)
            n += c.rules.size();
    return n;
}

using test::worthCutting;

} // namespace

class TestIptablesList : public QObject {
    Q_OBJECT
private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("table");
        QTest::addColumn<int>("chains");
        QTest::addColumn<int>("rules");
        QTest::addColumn<bool>("counters");
        QTest::addColumn<bool>("legacy");
        QTest::newRow("-vnxL before") << "firewall/iptables-vnxL.before.txt" << "filter" << 9 << 27 << true << false;
        QTest::newRow("-vnxL after") << "firewall/iptables-vnxL.after.txt" << "filter" << 9 << 28 << true << false;
        QTest::newRow("--line-numbers before") << "firewall/iptables-vnxL-line-numbers.before.txt" << "filter" << 9 << 27 << true << false;
        QTest::newRow("--line-numbers after") << "firewall/iptables-vnxL-line-numbers.after.txt" << "filter" << 9 << 28 << true << false;
        QTest::newRow("-t nat") << "firewall/iptables-t-nat-vnxL.txt" << "nat" << 6 << 3 << true << false;
        QTest::newRow("-t raw --line-numbers") << "firewall/iptables-t-raw-vnxL-line-numbers.txt" << "raw" << 3 << 3 << true << false;
        QTest::newRow("-vL names, rounded") << "firewall/iptables-vL.txt" << "filter" << 9 << 28 << true << false;
        QTest::newRow("-vL | grep DROP (lab)") << "firewall/iptables-vL-grep-DROP.txt" << "filter" << 2 << 7 << true << false;
        QTest::newRow("-vL | grep DROP (guide)") << "firewall/guide-iptables-vL-grep-DROP.txt" << "filter" << 1 << 6 << true << false;
        QTest::newRow("-nL, no counters") << "firewall/iptables-nL.txt" << "filter" << 9 << 28 << false << false;
        QTest::newRow("legacy -vnxL") << "firewall/iptables-legacy-vnxL.txt" << "filter" << 4 << 2 << true << false;
        QTest::newRow("nft with legacy present") << "firewall/iptables-nft-vnxL-legacy-present.txt" << "filter" << 3 << 1 << true << true;
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(QString, table);
        QFETCH(int, chains);
        QFETCH(int, rules);
        QFETCH(bool, counters);
        QFETCH(bool, legacy);
        auto s = parseIptablesList(fixture(file), table.toStdString());
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        QCOMPARE(s->tables.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(s->tables.front().name), table);
        QCOMPARE(int(s->tables.front().chains.size()), chains);
        QCOMPARE(int(ruleCount(*s)), rules);
        QCOMPARE(s->legacyTablesPresent, legacy);
        for (const auto &c : s->tables.front().chains)
            for (const auto &r : c.rules) {
                QCOMPARE(r.counters.has_value(), counters);
                QVERIFY(!r.spec.empty());
                QVERIFY(r.line > 0);
            }
    }

    void rules_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("chain");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<int>("protocolNumber");  // -1: unknown
        QTest::addColumn<bool>("protocolNegated");
        QTest::addColumn<QString>("in");   // "!" prefix for negation
        QTest::addColumn<QString>("out");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("destination");
        QTest::addColumn<QString>("comment");
        QTest::addColumn<QString>("set");  // "!name flags" or "name flags"
        QTest::addColumn<qulonglong>("packets");
        QTest::addColumn<qulonglong>("bytes");
        QTest::addColumn<bool>("isGoto");

        const QString after = "firewall/iptables-vnxL.after.txt";
        QTest::newRow("guide rule, proto 4 printed as 4") << after << "INPUT" << 1 << "DROP" << int(Verdict::Drop) << "4" << 4 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "" << "!felix-calico-hosts-4 src" << 4ull << 252ull << false;
        QTest::newRow("jump to user chain") << after << "INPUT" << 2 << "cali-INPUT" << int(Verdict::Jump) << "0" << 0 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "cali:Cz_u1IQiXIMmKD4c" << "" << 174ull << 215793ull << false;
        QTest::newRow("KUBE- jump") << after << "INPUT" << 3 << "KUBE-FIREWALL" << int(Verdict::Jump) << "0" << 0 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "" << "" << 155ull << 214620ull << false;
        QTest::newRow("negated in interface") << after << "FORWARD" << 3 << "ACCEPT" << int(Verdict::Accept) << "0" << 0 << false
            << "!fwb0" << "fwb0" << "0.0.0.0/0" << "0.0.0.0/0" << "" << "" << 0ull << 0ull << false;
        QTest::newRow("wildcard in") << after << "FORWARD" << 1 << "DROP" << int(Verdict::Drop) << "0" << 0 << false
            << "cali+" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "" << "" << 0ull << 0ull << false;
        QTest::newRow("negated source") << after << "KUBE-FIREWALL" << 1 << "DROP" << int(Verdict::Drop) << "0" << 0 << false
            << "" << "" << "!127.0.0.0/8" << "127.0.0.0/8" << "block incoming localnet connections" << "" << 0ull << 0ull << false;
        QTest::newRow("calico IPIP accept") << after << "cali-INPUT" << 1 << "ACCEPT" << int(Verdict::Accept) << "4" << 4 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "cali:PajejrV4aFdkZojI; Allow IPIP packets from Calico hosts"
            << "cali40all-hosts-net src" << 7ull << 441ull << false;
        QTest::newRow("empty target") << after << "cali-INPUT" << 2 << "" << int(Verdict::None) << "4" << 4 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "inserted between snapshots" << "" << 4ull << 252ull << false;
        QTest::newRow("calico IPIP drop") << after << "cali-INPUT" << 3 << "DROP" << int(Verdict::Drop) << "4" << 4 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "cali:_wjq-Yrma8Ly1Svo; Drop IPIP packets from non-Calico hosts"
            << "" << 4ull << 252ull << false;
        QTest::newRow("calico VXLAN accept") << after << "cali-INPUT" << 4 << "ACCEPT" << int(Verdict::Accept) << "17" << 17 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0"
            << "cali:J76FwxInZIsk7uKY; Allow IPv4 VXLAN packets from allowed hosts" << "cali40all-vxlan-net src" << 1ull << 60ull << false;
        QTest::newRow("goto") << after << "cali-INPUT" << 6 << "cali-wl-to-host" << int(Verdict::Goto) << "0" << 0 << false
            << "cali+" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "cali:FewJpBykm9iJ-YNH" << "" << 0ull << 0ull << true;
        QTest::newRow("count only, negated destination") << after << "cali-INPUT" << 8 << "" << int(Verdict::None) << "17" << 17 << false
            << "" << "" << "198.51.100.0/24" << "!198.51.100.99" << "count only" << "" << 150ull << 214200ull << false;
        QTest::newRow("negated protocol, blank target") << after << "cali-INPUT" << 9 << "" << int(Verdict::None) << "6" << 6 << true
            << "fwb0" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "negated protocol, no target" << "" << 155ull << 214620ull << false;
        QTest::newRow("comment with quotes and backslash") << after << "cali-INPUT" << 10 << "RETURN" << int(Verdict::Return) << "1" << 1 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "say \"hi\" with a \\ backslash" << "" << 5ull << 420ull << false;
        QTest::newRow("reject") << after << "cali-INPUT" << 11 << "REJECT" << int(Verdict::Reject) << "6" << 6 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "" << "" << 1ull << 60ull << false;
        QTest::newRow("target extension") << after << "cali-OUTPUT" << 4 << "MARK" << int(Verdict::Other) << "1" << 1 << false
            << "" << "!fwb+" << "0.0.0.0/0" << "0.0.0.0/0" << "" << "" << 0ull << 0ull << false;
        QTest::newRow("numbered rule") << "firewall/iptables-vnxL-line-numbers.after.txt" << "cali-INPUT" << 5 << "DROP" << int(Verdict::Drop)
            << "17" << 17 << false << "" << "" << "0.0.0.0/0" << "0.0.0.0/0"
            << "cali:4cgmbdWsLmozYhJh; Drop IPv4 VXLAN packets from non-allowed hosts" << "" << 6ull << 360ull << false;

        const QString names = "firewall/iptables-vL.txt";
        QTest::newRow("-vL ipencap, any, anywhere") << names << "INPUT" << 1 << "DROP" << int(Verdict::Drop) << "ipencap" << 4 << false
            << "" << "" << "anywhere" << "anywhere" << "" << "!felix-calico-hosts-4 src" << 4ull << 252ull << false;
        QTest::newRow("-vL K bytes") << names << "INPUT" << 2 << "cali-INPUT" << int(Verdict::Jump) << "all" << 0 << false
            << "" << "" << "anywhere" << "anywhere" << "cali:Cz_u1IQiXIMmKD4c" << "" << 174ull << 216000ull << false;
        QTest::newRow("-vL network name") << names << "KUBE-FIREWALL" << 1 << "DROP" << int(Verdict::Drop) << "all" << 0 << false
            << "" << "" << "!loopback/8" << "loopback/8" << "block incoming localnet connections" << "" << 0ull << 0ull << false;
        QTest::newRow("-vL !tcp") << names << "cali-INPUT" << 9 << "" << int(Verdict::None) << "tcp" << 6 << true
            << "fwb0" << "" << "anywhere" << "anywhere" << "negated protocol, no target" << "" << 155ull << 215000ull << false;

        const QString guide = "firewall/guide-iptables-vL-grep-DROP.txt";
        QTest::newRow("guide: mark match") << guide << "" << 1 << "DROP" << int(Verdict::Drop) << "all" << 0 << false
            << "" << "" << "anywhere" << "anywhere" << "kubernetes firewall for dropping marked packets" << "" << 0ull << 0ull << false;
        QTest::newRow("guide: cali+ ctstate") << guide << "" << 2 << "DROP" << int(Verdict::Drop) << "all" << 0 << false
            << "cali+" << "" << "anywhere" << "anywhere" << "" << "" << 0ull << 0ull << false;
        QTest::newRow("guide: ipv4, 39 drops") << guide << "" << 6 << "DROP" << int(Verdict::Drop) << "ipv4" << 4 << false
            << "" << "" << "anywhere" << "anywhere" << "" << "!felix-calico-hosts-4 src" << 39ull << 4056ull << false;

        QTest::newRow("-nL: no counters") << "firewall/iptables-nL.txt" << "cali-INPUT" << 2 << "" << int(Verdict::None) << "4" << 4 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "inserted between snapshots" << "" << 0ull << 0ull << false;
        QTest::newRow("-nL goto") << "firewall/iptables-nL.txt" << "cali-INPUT" << 6 << "cali-wl-to-host" << int(Verdict::Goto) << "0" << 0 << false
            << "" << "" << "0.0.0.0/0" << "0.0.0.0/0" << "cali:FewJpBykm9iJ-YNH" << "" << 0ull << 0ull << true;
    }
    void rules()
    {
        QFETCH(QString, file);
        QFETCH(QString, chain);
        QFETCH(int, position);
        QFETCH(QString, target);
        QFETCH(int, verdict);
        QFETCH(QString, protocol);
        QFETCH(int, protocolNumber);
        QFETCH(bool, protocolNegated);
        QFETCH(QString, in);
        QFETCH(QString, out);
        QFETCH(QString, source);
        QFETCH(QString, destination);
        QFETCH(QString, comment);
        QFETCH(QString, set);
        QFETCH(qulonglong, packets);
        QFETCH(qulonglong, bytes);
        QFETCH(bool, isGoto);

        auto s = parseIptablesList(fixture(file));
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        const auto *r = ruleAt(*s, chain.toStdString(), position);
        QVERIFY(r);
        QCOMPARE(QString::fromStdString(r->target), target);
        QCOMPARE(int(r->verdict), verdict);
        QCOMPARE(QString::fromStdString(r->protocol), protocol);
        QCOMPARE(r->protocolNumber.value_or(-1), protocolNumber);
        QCOMPARE(r->protocolNegated, protocolNegated);
        auto itf = [](const IptablesInterface &i) { return QString::fromStdString((i.negated ? "!" : "") + i.name); };
        QCOMPARE(itf(r->in), in);
        QCOMPARE(itf(r->out), out);
        auto addr = [](const IptablesAddress &a) { return QString::fromStdString((a.negated ? "!" : "") + a.text); };
        QCOMPARE(addr(r->source), source);
        QCOMPARE(addr(r->destination), destination);
        QCOMPARE(QString::fromStdString(r->comment()), comment);
        QString sets;
        for (const auto &m : r->setMatches)
            sets += QString::fromStdString((m.negated ? "!" : "") + m.name + " " + m.flags);
        QCOMPARE(sets, set);
        if (r->counters) {
            QCOMPARE(qulonglong(r->counters->packets), packets);
            QCOMPARE(qulonglong(r->counters->bytes), bytes);
        }
        QCOMPARE(r->isGoto, isGoto);
    }

    void addresses()
    {
        auto s = parseIptablesList(fixture("firewall/iptables-vnxL.after.txt"));
        QVERIFY(s.ok());
        const auto *r = ruleAt(*s, "cali-INPUT", 8);
        QVERIFY(r && r->source.prefix && r->destination.prefix);
        QCOMPARE(r->source.prefix->length(), 24);
        QVERIFY(r->destination.negated);
        QCOMPARE(QString::fromStdString(r->destination.prefix->toString()), QString("198.51.100.99/32"));
        auto names = parseIptablesList(fixture("firewall/iptables-vL.txt"));
        QVERIFY(names.ok());
        const auto *k = ruleAt(*names, "KUBE-FIREWALL", 1);
        QVERIFY(k && !k->source.prefix);  // "loopback/8" is a name, not an address
        QVERIFY(ruleAt(*names, "INPUT", 1)->source.isAny());
    }

    void matchesText()
    {
        auto s = parseIptablesList(fixture("firewall/iptables-vnxL.after.txt"));
        QVERIFY(s.ok());
        const auto *r = ruleAt(*s, "cali-INPUT", 4);
        QCOMPARE(QString::fromStdString(r->matches),
                 QString("/* cali:J76FwxInZIsk7uKY */ /* Allow IPv4 VXLAN packets from allowed hosts */ udp dpt:4789 "
                         "match-set cali40all-vxlan-net src ADDRTYPE match dst-type LOCAL"));
        QCOMPARE(QString::fromStdString(ruleAt(*s, "FORWARD", 3)->matches), QString());
        QCOMPARE(QString::fromStdString(ruleAt(*s, "KUBE-FIREWALL", 2)->spec),
                 QString("DROP 0 -- * * 0.0.0.0/0 0.0.0.0/0 /* kubernetes firewall for dropping marked packets */ mark match 0x8000/0x8000"));
    }

    void chains_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("chain");
        QTest::addColumn<QString>("policy");  // "" for user chains
        QTest::addColumn<qlonglong>("packets");  // -1: no policy counters
        QTest::addColumn<qlonglong>("bytes");
        QTest::addColumn<int>("references");  // -1: none printed
        QTest::addColumn<bool>("approximate");
        QTest::newRow("INPUT") << "firewall/iptables-vnxL.after.txt" << "INPUT" << "ACCEPT" << 155ll << 214620ll << -1 << false;
        QTest::newRow("FORWARD DROP") << "firewall/iptables-vnxL.after.txt" << "FORWARD" << "DROP" << 0ll << 0ll << -1 << false;
        QTest::newRow("user chain") << "firewall/iptables-vnxL.after.txt" << "KUBE-FIREWALL" << "" << -1ll << -1ll << 2 << false;
        QTest::newRow("unreferenced") << "firewall/iptables-vnxL.after.txt" << "pp-unused" << "" << -1ll << -1ll << 0 << false;
        QTest::newRow("-vL rounded") << "firewall/iptables-vL.txt" << "INPUT" << "ACCEPT" << 155ll << 215000ll << -1 << true;
        QTest::newRow("-nL no counters") << "firewall/iptables-nL.txt" << "FORWARD" << "DROP" << -1ll << -1ll << -1 << false;
        QTest::newRow("grep'd Chain line") << "firewall/iptables-vL-grep-DROP.txt" << "FORWARD" << "DROP" << 0ll << 0ll << -1 << false;
    }
    void chains()
    {
        QFETCH(QString, file);
        QFETCH(QString, chain);
        QFETCH(QString, policy);
        QFETCH(qlonglong, packets);
        QFETCH(qlonglong, bytes);
        QFETCH(int, references);
        QFETCH(bool, approximate);
        auto s = parseIptablesList(fixture(file));
        QVERIFY(s.ok());
        const auto *c = s->tables.front().chain(chain.toStdString());
        QVERIFY(c);
        QCOMPARE(QString::fromStdString(c->policy.value_or("")), policy);
        QCOMPARE(c->isBuiltin(), !policy.isEmpty());
        QCOMPARE(c->policyCounters ? qlonglong(c->policyCounters->packets) : -1ll, packets);
        QCOMPARE(c->policyCounters ? qlonglong(c->policyCounters->bytes) : -1ll, bytes);
        QCOMPARE(c->policyCounters ? c->policyCounters->approximate : false, approximate);
        QCOMPARE(c->references.value_or(-1), references);
    }

    void legacyWarning()
    {
        auto s = parseIptablesList(fixture("firewall/iptables-nft-vnxL-legacy-present.txt"));
        QVERIFY(s.ok());
        QVERIFY(s->legacyTablesPresent);
        QCOMPARE(s->warnings.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(s->warnings.front()),
                 QString("# Warning: iptables-legacy tables present, use iptables-legacy to see them"));
        // stderr may land after stdout when both go to one pipe.
        auto text = fixture("firewall/iptables-nft-vnxL-legacy-present.txt");
        auto nl = text.find('\n');
        auto moved = text.substr(nl + 1) + text.substr(0, nl + 1);
        auto t = parseIptablesList(moved);
        QVERIFY(t.ok());
        QVERIFY(t->legacyTablesPresent);
        QCOMPARE(t->tables.front().chains.size(), std::size_t(3));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("nextStepHas");
        QTest::newRow("empty") << QByteArray() << 0 << "";
        QTest::newRow("blank lines only") << QByteArray("\n\n  \n") << 0 << "";
        QTest::newRow("warning only") << QByteArray("# Warning: iptables-legacy tables present, use iptables-legacy to see them\n") << 0 << "";
        QTest::newRow("not root") << QByteArray::fromStdString(fixture("firewall/iptables-vnxL-not-root.txt")) << 1 << "root";
        QTest::newRow("no such table") << QByteArray::fromStdString(fixture("firewall/iptables-t-nosuchtable-vnxL.txt")) << 1 << "table";
        QTest::newRow("command not found") << QByteArray("bash: line 1: iptables: command not found\n") << 1 << "install";
        QTest::newRow("shell prompt") << QByteArray("[root@kismatic-worker ~]# iptables -vL | grep DROP\n") << 1 << "";
        QTest::newRow("cut in the counters") << QByteArray("Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n    pkts      bytes target\n       4") << 2 << "";
        QTest::newRow("cut in a rule") << QByteArray("Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n    pkts      bytes target     prot opt in     out     source               destination\n       4      252 DROP       4    --  *") << 3 << "cut off";
        QTest::newRow("cut before destination") << QByteArray("   39  4056 DROP       ipv4 --  any    any     anywhere\n") << 1 << "cut off";
        QTest::newRow("chain without parens") << QByteArray("Chain INPUT\n") << 1 << "";
        QTest::newRow("chain bad counters") << QByteArray("Chain INPUT (policy ACCEPT x packets, 0 bytes)\n") << 1 << "";
        QTest::newRow("chain bad references") << QByteArray("Chain X (many references)\n") << 1 << "";
        QTest::newRow("counter overflow") << QByteArray("   99999999999999999999  1 DROP all -- any any anywhere anywhere\n") << 1 << "";
        QTest::newRow("K overflow") << QByteArray("   99999999999999999K  1 DROP all -- any any anywhere anywhere\n") << 1 << "";
        QTest::newRow("no opt column") << QByteArray("   1  1 DROP all any any anywhere anywhere\n") << 1 << "cut off";
        QTest::newRow("rule number zero") << QByteArray("Chain INPUT (policy ACCEPT)\nnum  pkts bytes target prot opt in out source destination\n0 1 1 DROP all -- * * 0.0.0.0/0 0.0.0.0/0\n") << 3 << "";
        QTest::newRow("binary") << QByteArray("\x01\x02\x03\xff\n", 5) << 1 << "";
    }
    void errors()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, line);
        QFETCH(QString, nextStepHas);
        auto s = parseIptablesList(input.toStdString());
        QVERIFY(!s.ok());
        QCOMPARE(s.error().line, line);
        QVERIFY(!s.error().message.empty());
        QVERIFY2(QString::fromStdString(s.error().nextStep).contains(nextStepHas), s.error().oneLine().c_str());
    }

    void truncatedFixtures()
    {
        // Cut the real listing at every byte: never a crash, and a cut inside a rule
        // line is an error naming that line, never a rule with made-up columns.
        const auto text = fixture("firewall/iptables-vnxL.after.txt");
        for (std::size_t n = 0; n < text.size(); ++n) {
            if (!worthCutting(text, n))
                continue;
            auto s = parseIptablesList(std::string_view(text).substr(0, n));
            if (!s.ok())
                QVERIFY(s.error().line >= 0);
        }
    }

    void oversized()
    {
        std::string big(text::kMaxInputBytes + 1, ' ');
        auto s = parseIptablesList(big);
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.error().message).contains("larger"));
    }

    void crlf()
    {
        auto text = fixture("firewall/iptables-vnxL.after.txt");
        std::string crlf;
        for (char c : text) {
            if (c == '\n')
                crlf += '\r';
            crlf += c;
        }
        auto a = parseIptablesList(text);
        auto b = parseIptablesList(crlf);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(ruleCount(*a), ruleCount(*b));
        QCOMPARE(ruleAt(*b, "cali-INPUT", 1)->matches, ruleAt(*a, "cali-INPUT", 1)->matches);
    }

    void counts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qlonglong>("value");  // -1: refused
        QTest::addColumn<bool>("approximate");
        QTest::newRow("exact") << "214620" << 214620ll << false;
        QTest::newRow("zero") << "0" << 0ll << false;
        QTest::newRow("K") << "215K" << 215000ll << true;
        QTest::newRow("M") << "12M" << 12000000ll << true;
        QTest::newRow("G") << "3G" << 3000000000ll << true;
        QTest::newRow("T") << "1T" << 1000000000000ll << true;
        QTest::newRow("lower k") << "215k" << -1ll << false;
        QTest::newRow("suffix only") << "K" << -1ll << false;
        QTest::newRow("negative") << "-1" << -1ll << false;
        QTest::newRow("word") << "DROP" << -1ll << false;
        QTest::newRow("empty") << "" << -1ll << false;
    }
    void counts()
    {
        QFETCH(QString, text);
        QFETCH(qlonglong, value);
        QFETCH(bool, approximate);
        bool approx = false;
        auto v = parseIptablesCount(text.toStdString(), &approx);
        QCOMPARE(v ? qlonglong(*v) : -1ll, value);
        QCOMPARE(approx, approximate);
    }
};

QTEST_GUILESS_MAIN(TestIptablesList)
#include "tst_iptables.moc"
