#include "parse/iptables_save.h"
#include "parse/text.h"

#include <QFile>
#include "fixture_file.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::parse;

namespace {

std::string fixture(const QString &name) { return test::fixtureText(name); }

const IptablesRule *ruleAt(const IptablesSnapshot &s, const std::string &table, const std::string &chain, int position)
{
    const auto *c = s.chain(table, chain);
    if (!c || position < 1 || position > int(c->rules.size()))
        return nullptr;
    return &c->rules[std::size_t(position - 1)];
}

QString tableNames(const IptablesSnapshot &s)
{
    QStringList names;
    for (const auto &t : s.tables)
        names << QString::fromStdString(t.name);
    return names.join(',');
}

using test::worthCutting;

} // namespace

class TestIptablesSave : public QObject {
    Q_OBJECT
private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("tables");
        QTest::addColumn<int>("filterChains");
        QTest::addColumn<int>("filterRules");
        QTest::addColumn<bool>("legacy");
        QTest::newRow("before") << "firewall/iptables-save-c.before.txt" << "raw,filter,nat" << 9 << 27 << false;
        QTest::newRow("after") << "firewall/iptables-save-c.after.txt" << "raw,filter,nat" << 9 << 28 << false;
        QTest::newRow("iptables-nft-save -t filter") << "firewall/iptables-nft-save-c-t-filter.txt" << "filter" << 9 << 28 << false;
        QTest::newRow("legacy present") << "firewall/iptables-nft-save-c-legacy-present.txt" << "filter" << 3 << 1 << true;
        QTest::newRow("iptables-legacy-save") << "firewall/iptables-legacy-save-c.txt" << "filter" << 4 << 2 << false;
        QTest::newRow("nothing loaded") << "firewall/iptables-save-c-empty.txt" << "" << -1 << 0 << false;
        // The ruleset loaded into the lab: restore input, no counters, "[0:0]" policies.
        QTest::newRow("restore input") << "firewall/lab-ruleset.iptables" << "raw,nat,filter" << 9 << 27 << false;
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(QString, tables);
        QFETCH(int, filterChains);
        QFETCH(int, filterRules);
        QFETCH(bool, legacy);
        auto s = parseIptablesSave(fixture(file));
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        QCOMPARE(tableNames(*s), tables);
        QCOMPARE(s->legacyTablesPresent, legacy);
        const auto *filter = s->table("filter");
        QCOMPARE(filter ? int(filter->chains.size()) : -1, filterChains);
        int rules = 0;
        if (filter)
            for (const auto &c : filter->chains)
                rules += int(c.rules.size());
        QCOMPARE(rules, filterRules);
    }

    void rules_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("chain");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("protocol");  // "!" prefix for negation
        QTest::addColumn<int>("protocolNumber");
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("destination");
        QTest::addColumn<QStringList>("comments");
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("matches");
        QTest::addColumn<QString>("targetOptions");
        QTest::addColumn<qulonglong>("packets");
        QTest::addColumn<qulonglong>("bytes");

        QTest::newRow("guide rule") << "filter" << "INPUT" << 1 << "DROP" << int(Verdict::Drop) << "ipencap" << 4 << "" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList() << "!felix-calico-hosts-4 src"
            << "-m set ! --match-set felix-calico-hosts-4 src" << "" << 4ull << 252ull;
        QTest::newRow("jump") << "filter" << "INPUT" << 2 << "cali-INPUT" << int(Verdict::Jump) << "all" << 0 << "" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList{"cali:Cz_u1IQiXIMmKD4c"} << ""
            << "-m comment --comment \"cali:Cz_u1IQiXIMmKD4c\"" << "" << 174ull << 215793ull;
        QTest::newRow("negated in") << "filter" << "FORWARD" << 3 << "ACCEPT" << int(Verdict::Accept) << "all" << 0 << "!fwb0" << "fwb0"
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList() << "" << "" << "" << 0ull << 0ull;
        QTest::newRow("negated source, ctstate") << "filter" << "KUBE-FIREWALL" << 1 << "DROP" << int(Verdict::Drop) << "all" << 0 << "" << ""
            << "!127.0.0.0/8" << "127.0.0.0/8" << QStringList{"block incoming localnet connections"} << ""
            << "-m comment --comment \"block incoming localnet connections\" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT"
            << "" << 0ull << 0ull;
        QTest::newRow("calico IPIP accept") << "filter" << "cali-INPUT" << 1 << "ACCEPT" << int(Verdict::Accept) << "ipencap" << 4 << "" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList{"cali:PajejrV4aFdkZojI", "Allow IPIP packets from Calico hosts"}
            << "cali40all-hosts-net src"
            << "-m comment --comment \"cali:PajejrV4aFdkZojI\" -m comment --comment \"Allow IPIP packets from Calico hosts\" "
               "-m set --match-set cali40all-hosts-net src -m addrtype --dst-type LOCAL"
            << "" << 7ull << 441ull;
        QTest::newRow("no target") << "filter" << "cali-INPUT" << 2 << "" << int(Verdict::None) << "ipencap" << 4 << "" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList{"inserted between snapshots"} << ""
            << "-m comment --comment \"inserted between snapshots\"" << "" << 4ull << 252ull;
        QTest::newRow("VXLAN drop") << "filter" << "cali-INPUT" << 5 << "DROP" << int(Verdict::Drop) << "udp" << 17 << "" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList{"cali:4cgmbdWsLmozYhJh", "Drop IPv4 VXLAN packets from non-allowed hosts"} << ""
            << "-m comment --comment \"cali:4cgmbdWsLmozYhJh\" -m comment --comment \"Drop IPv4 VXLAN packets from non-allowed hosts\" "
               "-m udp --dport 4789 -m addrtype --dst-type LOCAL"
            << "" << 6ull << 360ull;
        QTest::newRow("goto") << "filter" << "cali-INPUT" << 6 << "cali-wl-to-host" << int(Verdict::Goto) << "all" << 0 << "cali+" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList{"cali:FewJpBykm9iJ-YNH"} << ""
            << "-m comment --comment \"cali:FewJpBykm9iJ-YNH\"" << "" << 0ull << 0ull;
        QTest::newRow("source, negated destination") << "filter" << "cali-INPUT" << 8 << "" << int(Verdict::None) << "udp" << 17 << "" << ""
            << "198.51.100.0/24" << "!198.51.100.99/32" << QStringList{"count only"} << ""
            << "-m comment --comment \"count only\"" << "" << 150ull << 214200ull;
        QTest::newRow("negated protocol") << "filter" << "cali-INPUT" << 9 << "" << int(Verdict::None) << "!tcp" << 6 << "fwb0" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList{"negated protocol, no target"} << ""
            << "-m comment --comment \"negated protocol, no target\"" << "" << 155ull << 214620ull;
        QTest::newRow("escaped comment") << "filter" << "cali-INPUT" << 10 << "RETURN" << int(Verdict::Return) << "icmp" << 1 << "" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList{"say \"hi\" with a \\ backslash"} << ""
            << "-m comment --comment \"say \\\"hi\\\" with a \\\\ backslash\"" << "" << 5ull << 420ull;
        QTest::newRow("reject with options") << "filter" << "cali-INPUT" << 11 << "REJECT" << int(Verdict::Reject) << "tcp" << 6 << "" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList() << "" << "-m tcp --dport 9999" << "--reject-with tcp-reset" << 1ull << 60ull;
        QTest::newRow("out wildcard negated, MARK") << "filter" << "cali-OUTPUT" << 4 << "MARK" << int(Verdict::Other) << "icmp" << 1 << "" << "!fwb+"
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList() << "" << "" << "--set-xmark 0x20/0x20" << 0ull << 0ull;
        QTest::newRow("destination /32, -p after -d") << "filter" << "cali-OUTPUT" << 3 << "ACCEPT" << int(Verdict::Accept) << "ipencap" << 4 << "" << ""
            << "0.0.0.0/0" << "198.51.100.11/32"
            << QStringList{"cali:AnEsmO6bDZbQntWW", "Allow IPIP packets to other Calico hosts"} << ""
            << "-m comment --comment \"cali:AnEsmO6bDZbQntWW\" -m comment --comment \"Allow IPIP packets to other Calico hosts\" "
               "-m addrtype --src-type LOCAL"
            << "" << 0ull << 0ull;
        QTest::newRow("two sets, one negated, nat") << "nat" << "cali-nat-outgoing" << 1 << "MASQUERADE" << int(Verdict::Other) << "all" << 0 << "" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList{"cali:flqWnvo8yq4ULQLa"}
            << "cali40masq-ipam-pools src!cali40all-ipam-pools dst"
            << "-m comment --comment \"cali:flqWnvo8yq4ULQLa\" -m set --match-set cali40masq-ipam-pools src "
               "-m set ! --match-set cali40all-ipam-pools dst"
            << "--random-fully" << 0ull << 0ull;
        QTest::newRow("raw MARK") << "raw" << "cali-PREROUTING" << 2 << "MARK" << int(Verdict::Other) << "all" << 0 << "fwb+" << ""
            << "0.0.0.0/0" << "0.0.0.0/0" << QStringList{"cali:EWMPb0zVROM-woQp"} << ""
            << "-m comment --comment \"cali:EWMPb0zVROM-woQp\"" << "--set-xmark 0x40000/0x40000" << 178ull << 216045ull;
    }
    void rules()
    {
        QFETCH(QString, table);
        QFETCH(QString, chain);
        QFETCH(int, position);
        QFETCH(QString, target);
        QFETCH(int, verdict);
        QFETCH(QString, protocol);
        QFETCH(int, protocolNumber);
        QFETCH(QString, in);
        QFETCH(QString, out);
        QFETCH(QString, source);
        QFETCH(QString, destination);
        QFETCH(QStringList, comments);
        QFETCH(QString, set);
        QFETCH(QString, matches);
        QFETCH(QString, targetOptions);
        QFETCH(qulonglong, packets);
        QFETCH(qulonglong, bytes);
        auto s = parseIptablesSave(fixture("firewall/iptables-save-c.after.txt"));
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        const auto *r = ruleAt(*s, table.toStdString(), chain.toStdString(), position);
        QVERIFY(r);
        QCOMPARE(r->position, position);
        QCOMPARE(QString::fromStdString(r->target), target);
        QCOMPARE(int(r->verdict), verdict);
        QCOMPARE(QString::fromStdString((r->protocolNegated ? "!" : "") + r->protocol), protocol);
        QCOMPARE(r->protocolNumber.value_or(-1), protocolNumber);
        QCOMPARE(QString::fromStdString((r->in.negated ? "!" : "") + r->in.name), in);
        QCOMPARE(QString::fromStdString((r->out.negated ? "!" : "") + r->out.name), out);
        QCOMPARE(QString::fromStdString((r->source.negated ? "!" : "") + r->source.text), source);
        QCOMPARE(QString::fromStdString((r->destination.negated ? "!" : "") + r->destination.text), destination);
        QStringList got;
        for (const auto &c : r->comments)
            got << QString::fromStdString(c);
        QCOMPARE(got, comments);
        QString sets;
        for (const auto &m : r->setMatches)
            sets += QString::fromStdString((m.negated ? "!" : "") + m.name + " " + m.flags);
        QCOMPARE(sets, set);
        QCOMPARE(QString::fromStdString(r->matches), matches);
        QCOMPARE(QString::fromStdString(r->targetOptions), targetOptions);
        QVERIFY(r->counters);
        QCOMPARE(qulonglong(r->counters->packets), packets);
        QCOMPARE(qulonglong(r->counters->bytes), bytes);
        QVERIFY(r->line > 0);
    }

    void chainsAndPolicies()
    {
        auto s = parseIptablesSave(fixture("firewall/iptables-save-c.after.txt"));
        QVERIFY(s.ok());
        const auto *input = s->chain("filter", "INPUT");
        QVERIFY(input && input->policy && input->policyCounters);
        QCOMPARE(*input->policy, std::string("ACCEPT"));
        QCOMPARE(input->policyCounters->packets, 155u);
        QCOMPARE(input->policyCounters->bytes, 214620u);
        QCOMPARE(*s->chain("filter", "FORWARD")->policy, std::string("DROP"));
        const auto *user = s->chain("filter", "cali-INPUT");
        QVERIFY(user && !user->policy && !user->policyCounters && !user->isBuiltin());
        QVERIFY(s->chain("filter", "pp-unused")->rules.empty());
        QCOMPARE(ruleAt(*s, "filter", "cali-INPUT", 1)->spec,
                 std::string("-p ipencap -m comment --comment \"cali:PajejrV4aFdkZojI\" -m comment --comment \"Allow IPIP "
                             "packets from Calico hosts\" -m set --match-set cali40all-hosts-net src -m addrtype --dst-type LOCAL -j ACCEPT"));
        QVERIFY(ruleAt(*s, "filter", "cali-INPUT", 8)->source.prefix.has_value());
        QCOMPARE(ruleAt(*s, "filter", "cali-INPUT", 8)->source.prefix->length(), 24);
    }

    void legacyHeader()
    {
        auto s = parseIptablesSave(fixture("firewall/iptables-nft-save-c-legacy-present.txt"));
        QVERIFY(s.ok());
        QVERIFY(s->legacyTablesPresent);
        QCOMPARE(s->warnings.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(s->warnings.front()),
                 QString("# Warning: iptables-legacy tables present, use iptables-legacy-save to see them"));
    }

    void otherForms_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("matches");
        QTest::addColumn<bool>("counted");
        QTest::newRow("Calico restore input, long options")
            << "-A cali-INPUT -m comment --comment \"cali:PajejrV4aFdkZojI\" -p 4 -m set --match-set cali40all-hosts-net src --jump ACCEPT"
            << "ACCEPT" << "4" << "0.0.0.0/0" << "cali40all-hosts-net src"
            << "-m comment --comment \"cali:PajejrV4aFdkZojI\" -m set --match-set cali40all-hosts-net src" << false;
        QTest::newRow("old negation after option") << "[1:2] -A INPUT -p ! tcp -s ! 198.51.100.0/24 -j DROP"
            << "DROP" << "!tcp" << "!198.51.100.0/24" << "" << "" << true;
        QTest::newRow("old match-set negation") << "[1:2] -A INPUT -m set --match-set ! felix-calico-hosts-4 src -j DROP"
            << "DROP" << "all" << "0.0.0.0/0" << "!felix-calico-hosts-4 src" << "-m set ! --match-set felix-calico-hosts-4 src" << true;
        QTest::newRow("unknown options kept in order") << "[0:0] -A INPUT -f -m hashlimit --hashlimit-above 5/sec --hashlimit-name x -j LOG --log-prefix \"drop: \""
            << "LOG" << "all" << "0.0.0.0/0" << "" << "-f -m hashlimit --hashlimit-above 5/sec --hashlimit-name x" << true;
        QTest::newRow("single quotes") << "-A INPUT -m comment --comment 'a b' -j ACCEPT"
            << "ACCEPT" << "all" << "0.0.0.0/0" << "" << "-m comment --comment \"a b\"" << false;
        QTest::newRow("rule with no options") << "[3:4] -A INPUT" << "" << "all" << "0.0.0.0/0" << "" << "" << true;
    }
    void otherForms()
    {
        QFETCH(QString, line);
        QFETCH(QString, target);
        QFETCH(QString, protocol);
        QFETCH(QString, source);
        QFETCH(QString, set);
        QFETCH(QString, matches);
        QFETCH(bool, counted);
        auto text = "*filter\n:INPUT ACCEPT [0:0]\n:cali-INPUT - [0:0]\n" + line.toStdString() + "\nCOMMIT\n";
        auto s = parseIptablesSave(text);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        const IptablesRule *r = nullptr;
        for (const auto &c : s->tables.front().chains)
            if (!c.rules.empty())
                r = &c.rules.front();
        QVERIFY(r);
        QCOMPARE(QString::fromStdString(r->target), target);
        QCOMPARE(QString::fromStdString((r->protocolNegated ? "!" : "") + r->protocol), protocol);
        QCOMPARE(QString::fromStdString((r->source.negated ? "!" : "") + r->source.text), source);
        QString sets;
        for (const auto &m : r->setMatches)
            sets += QString::fromStdString((m.negated ? "!" : "") + m.name + " " + m.flags);
        QCOMPARE(sets, set);
        QCOMPARE(QString::fromStdString(r->matches), matches);
        QCOMPARE(r->counters.has_value(), counted);
        QCOMPARE(r->line, 4);
    }

    void undeclaredChain()
    {
        auto s = parseIptablesSave("*filter\n[1:2] -A cali-X -j DROP\nCOMMIT\n");
        QVERIFY(s.ok());
        QVERIFY(s->chain("filter", "cali-X"));
        QCOMPARE(s->chain("filter", "cali-X")->rules.size(), std::size_t(1));
    }

    void arguments_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<bool>("ok");
        QTest::newRow("plain") << "-j DROP" << QStringList{"-j", "DROP"} << true;
        QTest::newRow("quoted") << "--comment \"a b\"" << QStringList{"--comment", "a b"} << true;
        QTest::newRow("escaped quote") << "--comment \"say \\\"hi\\\"\"" << QStringList{"--comment", "say \"hi\""} << true;
        QTest::newRow("escaped backslash") << "\"a\\\\b\"" << QStringList{"a\\b"} << true;
        QTest::newRow("quote inside word") << "x\"y z\"w" << QStringList{"xy zw"} << true;
        QTest::newRow("empty quotes") << "\"\"" << QStringList{""} << true;
        QTest::newRow("unterminated") << "--comment \"cut" << QStringList() << false;
        QTest::newRow("trailing backslash") << "\"a\\" << QStringList() << false;
        QTest::newRow("tabs") << "-j\tDROP" << QStringList{"-j", "DROP"} << true;
    }
    void arguments()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, words);
        QFETCH(bool, ok);
        auto w = splitIptablesArguments(text.toStdString());
        QCOMPARE(w.has_value(), ok);
        if (ok) {
            QStringList got;
            for (const auto &x : *w)
                got << QString::fromStdString(x);
            QCOMPARE(got, words);
        }
    }

    // The whole output is unreadable: nothing in it is iptables-save, or it was cut off.
    void errors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("nextStepHas");
        QTest::newRow("not root") << QByteArray::fromStdString(fixture("firewall/iptables-save-c-not-root.txt")) << 1 << "root";
        QTest::newRow("no COMMIT: cut off") << QByteArray("*filter\n:INPUT ACCEPT [0:0]\n[1:2] -A INPUT -j DROP\n") << 1 << "cut off";
        QTest::newRow("cut inside the counters") << QByteArray("*filter\n:INPUT ACCEPT [0:0]\n[1:2") << 1 << "cut off";
        QTest::newRow("cut inside a quote") << QByteArray("*filter\n:INPUT ACCEPT [0:0]\n[1:2] -A INPUT -m comment --comment \"Allow IP") << 1 << "cut off";
        QTest::newRow("cut policy counters") << QByteArray("*filter\n:INPUT ACCEPT [12:34\n") << 1 << "cut off";
        QTest::newRow("COMMIT outside") << QByteArray("COMMIT\n") << 1 << "";
        QTest::newRow("rule outside table") << QByteArray("[1:2] -A INPUT -j DROP\n") << 1 << "";
        QTest::newRow("-L output given to -save parser") << QByteArray("Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n") << 1 << "";
        QTest::newRow("empty table name") << QByteArray("*\nCOMMIT\n") << 1 << "";
        QTest::newRow("command not found") << QByteArray("bash: line 1: iptables-save: command not found\n") << 1 << "install";
    }
    void errors()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, line);
        QFETCH(QString, nextStepHas);
        auto s = parseIptablesSave(input.toStdString());
        QVERIFY(!s.ok());
        QCOMPARE(s.error().line, line);
        QVERIFY2(QString::fromStdString(s.error().nextStep).contains(nextStepHas), s.error().oneLine().c_str());
    }

    // One line that cannot be read is reported and skipped; the DROP after it is still
    // read, with its counters (issue #13: one odd line hid a DROP).
    void oddLineIsSkipped_data()
    {
        QTest::addColumn<QByteArray>("odd");
        QTest::addColumn<QString>("messageHas");
        QTest::newRow("cut after an option") << QByteArray("[1:2] -A INPUT -p") << "without a value";
        QTest::newRow("cut after !") << QByteArray("[1:2] -A INPUT !") << "ends with '!'";
        QTest::newRow("unknown line") << QByteArray("-P INPUT DROP") << "neither a rule";
        QTest::newRow("chain declared twice") << QByteArray(":INPUT ACCEPT [0:0]") << "twice";
        QTest::newRow("chain line garbage") << QByteArray(":") << "chain line";
        QTest::newRow("-A without chain") << QByteArray("[0:0] -A ") << "";
        QTest::newRow("counter overflow") << QByteArray("[99999999999999999999:1] -A INPUT") << "packets:bytes";
        QTest::newRow("quote never closed") << QByteArray("[1:2] -A INPUT -m comment --comment \"open -j ACCEPT") << "quote";
        QTest::newRow("control bytes") << QByteArray("\x1b]0;owned\x07") << "";
    }
    void oddLineIsSkipped()
    {
        QFETCH(QByteArray, odd);
        QFETCH(QString, messageHas);
        const QByteArray input = "*filter\n:INPUT ACCEPT [0:0]\n" + odd +
                                 "\n[7:588] -A INPUT -p udp -m udp --dport 4789 -j DROP\nCOMMIT\n*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n";
        auto s = parseIptablesSave(input.toStdString());
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        QCOMPARE(int(s->unreadable.size()), 1);
        QCOMPARE(s->unreadable.front().line, 3);
        QVERIFY2(QString::fromStdString(s->unreadable.front().message).contains(messageHas),
                 s->unreadable.front().oneLine().c_str());
        const auto *input_ = s->chain("filter", "INPUT");
        QVERIFY(input_);
        QCOMPARE(int(input_->rules.size()), 1);
        QCOMPARE(input_->rules.front().verdict, Verdict::Drop);
        QCOMPARE(input_->rules.front().counters->packets, std::uint64_t(7));
        QCOMPARE(input_->rules.front().line, 4);
        QVERIFY(s->chain("nat", "POSTROUTING"));
    }

    // A comment may hold newlines (iptables -m comment --comment $'a\nb'): iptables-save
    // prints them as they are, so the rule goes on inside its quotes on the next lines.
    void commentWithNewlines_data()
    {
        QTest::addColumn<QByteArray>("rule");
        QTest::addColumn<QString>("comment");
        QTest::addColumn<int>("lines");
        QTest::newRow("one newline")
            << QByteArray("[0:0] -A cali-INPUT -p tcp -m tcp --dport 9 -m comment --comment \"first line\nsecond line\" -j ACCEPT")
            << "first line\nsecond line" << 2;
        QTest::newRow("three newlines, a quote inside")
            << QByteArray("[0:0] -A cali-INPUT -m comment --comment \"a\n\\\"b\\\"\n\nc\" -j ACCEPT") << "a\n\"b\"\n\nc" << 4;
        QTest::newRow("newline first") << QByteArray("[0:0] -A cali-INPUT -m comment --comment \"\nx\" -j ACCEPT") << "\nx" << 2;
    }
    void commentWithNewlines()
    {
        QFETCH(QByteArray, rule);
        QFETCH(QString, comment);
        QFETCH(int, lines);
        const QByteArray input = "*filter\n:INPUT ACCEPT [0:0]\n:cali-INPUT - [0:0]\n" + rule +
                                 "\n[5:420] -A cali-INPUT -p ipencap -j DROP\nCOMMIT\n";
        auto s = parseIptablesSave(input.toStdString());
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        QVERIFY2(s->unreadable.empty(), s->unreadable.empty() ? "" : s->unreadable.front().oneLine().c_str());
        const auto *chain = s->chain("filter", "cali-INPUT");
        QVERIFY(chain);
        QCOMPARE(int(chain->rules.size()), 2);
        QCOMPARE(QString::fromStdString(chain->rules[0].comment()), comment);
        QCOMPARE(chain->rules[0].target, std::string("ACCEPT"));
        QCOMPARE(chain->rules[1].verdict, Verdict::Drop);
        QCOMPARE(chain->rules[1].line, 4 + lines);
    }

    // A quote that never closes is one odd line: it must not take the next rule (here one
    // whose comment goes on over two lines) with it.
    void unclosedQuoteStopsAtTheNextRule()
    {
        auto s = parseIptablesSave("*filter\n:cali-INPUT - [0:0]\n"
                                   "[0:0] -A cali-INPUT -m comment --comment \"never closed -j ACCEPT\n"
                                   "[0:0] -A cali-INPUT -m comment --comment \"first\nsecond\" -j ACCEPT\n"
                                   "[6:504] -A cali-INPUT -p ipencap -j DROP\nCOMMIT\n");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        QCOMPARE(int(s->unreadable.size()), 1);
        QCOMPARE(s->unreadable.front().line, 3);
        const auto *chain = s->chain("filter", "cali-INPUT");
        QVERIFY(chain);
        QCOMPARE(int(chain->rules.size()), 2);
        QCOMPARE(chain->rules[0].comment(), std::string("first\nsecond"));
        QCOMPARE(chain->rules[1].verdict, Verdict::Drop);
    }

    void truncatedEverywhere()
    {
        const auto text = fixture("firewall/iptables-save-c.after.txt");
        int errors = 0, tried = 0;
        for (std::size_t n = 0; n < text.size(); ++n) {
            if (!worthCutting(text, n))
                continue;
            ++tried;
            auto s = parseIptablesSave(std::string_view(text).substr(0, n));
            if (!s.ok())
                ++errors;
            else  // only a cut between tables can read as complete
                QVERIFY(s->tables.size() <= 3);
        }
        QVERIFY(errors > tried / 2);
    }

    void emptyAndOversized()
    {
        auto e = parseIptablesSave("");
        QVERIFY(e.ok());
        QVERIFY(e->tables.empty());
        std::string big(text::kMaxInputBytes + 1, '\n');
        QVERIFY(!parseIptablesSave(big).ok());
    }
};

QTEST_GUILESS_MAIN(TestIptablesSave)
#include "tst_iptables_save.moc"
