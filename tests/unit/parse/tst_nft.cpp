#include "parse/nft.h"
#include "parse/nft_rule_text.h"
#include "parse/text.h"

#include <QFile>
#include "fixture_file.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::parse;

namespace {

std::string fixture(const QString &name) { return test::fixtureText(name); }

Result<NftRuleset> parseFile(const QString &file) { return parseNftRuleset(fixture(file)); }

int ruleCount(const NftRuleset &rs)
{
    int n = 0;
    for (const auto &t : rs.tables)
        for (const auto &c : t.chains)
            n += int(c.rules.size());
    return n;
}

const NftRule *ruleAt(const NftRuleset &rs, const std::string &chain, int position)
{
    for (const auto &t : rs.tables)
        if (const auto *c = t.chain(chain); c && position >= 1 && position <= int(c->rules.size()))
            return &c->rules[std::size_t(position - 1)];
    return nullptr;
}

using test::worthCutting;

} // namespace

class TestNft : public QObject {
    Q_OBJECT
private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("tables");
        QTest::addColumn<int>("chains");
        QTest::addColumn<int>("rules");
        QTest::addColumn<int>("warnings");
        QTest::newRow("before") << "firewall/nft-list-ruleset.before.txt" << "ip calico" << 9 << 21 << 0;
        QTest::newRow("after") << "firewall/nft-list-ruleset.after.txt" << "ip calico" << 9 << 22 << 0;
        QTest::newRow("-a, handles") << "firewall/nft-a-list-ruleset.txt" << "ip calico" << 9 << 22 << 0;
        QTest::newRow("list table") << "firewall/nft-list-table-ip-calico.txt" << "ip calico" << 9 << 22 << 0;
        QTest::newRow("list chain") << "firewall/nft-list-chain-filter-cali-INPUT.txt" << "ip calico" << 1 << 11 << 0;
        QTest::newRow("iptables-nft tables") << "firewall/nft-list-ruleset-iptables-nft.txt" << "ip raw,ip nat,ip filter" << 18 << 34 << 3;
        QTest::newRow("nothing loaded") << "firewall/nft-list-ruleset-empty.txt" << "" << 0 << 0 << 0;
        QTest::newRow("the lab's input file") << "firewall/lab-ruleset.nft" << "ip calico" << 9 << 21 << 0;
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(QString, tables);
        QFETCH(int, chains);
        QFETCH(int, rules);
        QFETCH(int, warnings);
        auto rs = parseFile(file);
        QVERIFY2(rs.ok(), rs.ok() ? "" : rs.error().oneLine().c_str());
        QStringList names;
        int c = 0;
        for (const auto &t : rs->tables) {
            names << QString::fromStdString(t.family + " " + t.name);
            c += int(t.chains.size());
        }
        QCOMPARE(names.join(','), tables);
        QCOMPARE(c, chains);
        QCOMPARE(ruleCount(*rs), rules);
        QCOMPARE(int(rs->warnings.size()), warnings);
    }

    void rules_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("chain");
        QTest::addColumn<int>("position");
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("verdictText");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("comment");
        QTest::addColumn<QString>("sets");  // "selector !=@name" list
        QTest::addColumn<qlonglong>("packets");  // -1: no counter
        QTest::addColumn<qlonglong>("bytes");

        const QString text = "firewall/nft-list-ruleset.after.txt";
        QTest::newRow("jump with comment") << text << "filter-INPUT" << 1 << int(Verdict::Jump)
            << "jump filter-cali-INPUT" << "filter-cali-INPUT" << "cali:Cz_u1IQiXIMmKD4c" << "" << 26ll << 1722ll;
        QTest::newRow("goto") << text << "filter-FORWARD" << 2 << int(Verdict::Goto)
            << "goto filter-cali-FORWARD" << "filter-cali-FORWARD" << "" << "" << 0ll << 0ll;
        QTest::newRow("counter only") << text << "filter-cali-INPUT" << 1 << int(Verdict::None)
            << "" << "" << "inserted between snapshots" << "" << 12ll << 756ll;
        QTest::newRow("negated set") << text << "filter-cali-INPUT" << 2 << int(Verdict::Drop)
            << "drop" << "" << "guide: drop IPIP from hosts outside felix-calico-hosts-4"
            << "ip saddr !=@felix-calico-hosts-4" << 3ll << 189ll;
        QTest::newRow("set, accept") << text << "filter-cali-INPUT" << 3 << int(Verdict::Accept)
            << "accept" << "" << "cali:PajejrV4aFdkZojI; Allow IPIP packets from Calico hosts"
            << "ip saddr @cali40all-hosts-net" << 7ll << 441ll;
        QTest::newRow("VXLAN drop") << text << "filter-cali-INPUT" << 6 << int(Verdict::Drop)
            << "drop" << "" << "cali:4cgmbdWsLmozYhJh; Drop IPv4 VXLAN packets from non-allowed hosts" << "" << 6ll << 360ll;
        QTest::newRow("reject with") << text << "filter-cali-INPUT" << 8 << int(Verdict::Reject)
            << "reject with tcp reset" << "" << "" << "" << 1ll << 60ll;
        QTest::newRow("return") << text << "filter-cali-OUTPUT" << 2 << int(Verdict::Return)
            << "return" << "" << "" << "" << 0ll << 0ll;
        QTest::newRow("statement, no verdict") << text << "filter-cali-OUTPUT" << 3 << int(Verdict::None)
            << "" << "" << "" << "" << 12ll << 1057ll;
        QTest::newRow("masquerade") << text << "nat-POSTROUTING" << 1 << int(Verdict::Other) << "masquerade fully-random" << ""
            << "cali:flqWnvo8yq4ULQLa" << "" << 0ll << 0ll;
        const QString ipt = "firewall/nft-list-ruleset-iptables-nft.txt";
        QTest::newRow("iptables-nft xt match") << ipt << "INPUT" << 1 << int(Verdict::Drop) << "drop" << "" << "" << "" << 4ll << 252ll;
        QTest::newRow("iptables-nft leading blank") << ipt << "INPUT" << 2 << int(Verdict::Jump) << "jump cali-INPUT" << "cali-INPUT"
            << "" << "" << 174ll << 215793ll;
        QTest::newRow("ct status dnat is a match") << ipt << "KUBE-FIREWALL" << 1 << int(Verdict::Drop) << "drop" << "" << "" << ""
            << 0ll << 0ll;
        QTest::newRow("iptables-nft MARK") << ipt << "cali-OUTPUT" << 5 << int(Verdict::None) << "" << "" << "" << "" << 19ll << 4601ll;
        QTest::newRow("lab input: no counters") << "firewall/lab-ruleset.nft" << "filter-cali-INPUT" << 1 << int(Verdict::Drop)
            << "drop" << "" << "guide: drop IPIP from hosts outside felix-calico-hosts-4" << "ip saddr !=@felix-calico-hosts-4"
            << -1ll << -1ll;
    }
    void rules()
    {
        QFETCH(QString, file);
        QFETCH(QString, chain);
        QFETCH(int, position);
        QFETCH(int, verdict);
        QFETCH(QString, verdictText);
        QFETCH(QString, target);
        QFETCH(QString, comment);
        QFETCH(QString, sets);
        QFETCH(qlonglong, packets);
        QFETCH(qlonglong, bytes);
        auto rs = parseFile(file);
        QVERIFY2(rs.ok(), rs.ok() ? "" : rs.error().oneLine().c_str());
        const auto *r = ruleAt(*rs, chain.toStdString(), position);
        QVERIFY(r);
        QCOMPARE(r->position, position);
        QCOMPARE(int(r->verdict), verdict);
        QCOMPARE(QString::fromStdString(r->verdictText), verdictText);
        QCOMPARE(QString::fromStdString(r->target), target);
        QCOMPARE(QString::fromStdString(r->comment), comment);
        QStringList refs;
        for (const auto &s : r->setReferences)
            refs << QString::fromStdString(s.selector + (s.negated ? " !=@" : " @") + s.set);
        QCOMPARE(refs.join(','), sets);
        QCOMPARE(r->counters ? qlonglong(r->counters->packets) : -1ll, packets);
        QCOMPARE(r->counters ? qlonglong(r->counters->bytes) : -1ll, bytes);
        QVERIFY(!r->spec.empty());
        // The identity leaves the counter values out.
        QVERIFY(!QString::fromStdString(r->spec).contains("counter packets"));
    }

    void specAndText()
    {
        auto rs = parseFile("firewall/nft-list-ruleset.after.txt");
        QVERIFY(rs.ok());
        const auto *r = ruleAt(*rs, "filter-cali-INPUT", 4);
        QCOMPARE(QString::fromStdString(r->text),
                 QString("meta l4proto ipencap counter packets 4 bytes 252 drop comment \"cali:_wjq-Yrma8Ly1Svo; Drop IPIP "
                         "packets from non-Calico hosts\""));
        QCOMPARE(QString::fromStdString(r->spec),
                 QString("meta l4proto ipencap counter drop comment \"cali:_wjq-Yrma8Ly1Svo; Drop IPIP packets from non-Calico hosts\""));
        // With -a the handle is read and left out of the text, so specs still match.
        auto withHandles = parseFile("firewall/nft-a-list-ruleset.txt");
        QVERIFY(withHandles.ok());
        const auto *h = ruleAt(*withHandles, "filter-cali-INPUT", 4);
        QCOMPARE(h->handle.value_or(0), 20u);
        QCOMPARE(h->spec, r->spec);
        QCOMPARE(withHandles->tables.front().chain("filter-cali-INPUT")->handle.value_or(0), 4u);
        // iptables-nft's double blanks do not leak into the identity.
        auto ipt = parseFile("firewall/nft-list-ruleset-iptables-nft.txt");
        QVERIFY(ipt.ok());
        QCOMPARE(QString::fromStdString(ruleAt(*ipt, "cali-INPUT", 2)->spec), QString("meta l4proto ipencap counter"));
    }

    void chains_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("chain");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("hook");
        QTest::addColumn<QString>("priority");
        QTest::addColumn<QString>("policy");
        const QString file = "firewall/nft-list-ruleset.after.txt";
        QTest::newRow("input") << file << "filter-INPUT" << "filter" << "input" << "filter" << "accept";
        QTest::newRow("forward drop") << file << "filter-FORWARD" << "filter" << "forward" << "filter" << "drop";
        QTest::newRow("nat") << file << "nat-POSTROUTING" << "nat" << "postrouting" << "srcnat" << "accept";
        QTest::newRow("regular chain") << file << "filter-cali-INPUT" << "" << "" << "" << "";
        QTest::newRow("iptables-nft chain") << "firewall/nft-list-ruleset-iptables-nft.txt" << "FORWARD" << "filter" << "forward"
            << "filter" << "drop";
    }
    void chains()
    {
        QFETCH(QString, file);
        QFETCH(QString, chain);
        QFETCH(QString, type);
        QFETCH(QString, hook);
        QFETCH(QString, priority);
        QFETCH(QString, policy);
        auto rs = parseFile(file);
        QVERIFY(rs.ok());
        const NftChain *c = nullptr;
        for (const auto &t : rs->tables)
            if (!c)
                c = t.chain(chain.toStdString());
        QVERIFY(c);
        QCOMPARE(QString::fromStdString(c->type), type);
        QCOMPARE(QString::fromStdString(c->hook), hook);
        QCOMPARE(QString::fromStdString(c->priority), priority);
        QCOMPARE(QString::fromStdString(c->policy), policy);
        QCOMPARE(c->isBaseChain(), !hook.isEmpty());
    }

    void nftNatPriorities()
    {
        auto rs = parseFile("firewall/nft-list-ruleset-iptables-nft.txt");
        QVERIFY(rs.ok());
        const auto *nat = rs->table("ip", "nat");
        QVERIFY(nat);
        QCOMPARE(QString::fromStdString(nat->chain("OUTPUT")->priority), QString("-100"));
        QCOMPARE(QString::fromStdString(nat->chain("INPUT")->priority), QString("100"));
        QCOMPARE(QString::fromStdString(rs->warnings.front()),
                 QString("# Warning: table ip raw is managed by iptables-nft, do not touch!"));
    }

    void analyse_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("verdictText");
        QTest::addColumn<QString>("comment");
        QTest::addColumn<QString>("spec");
        QTest::newRow("verdict map is not a drop") << "ip saddr vmap { 198.51.100.1 : drop, 198.51.100.2 : accept }"
            << int(Verdict::Other) << "vmap { 198.51.100.1 : drop, 198.51.100.2 : accept }" << ""
            << "ip saddr vmap { 198.51.100.1 : drop, 198.51.100.2 : accept }";
        QTest::newRow("drop inside a comment") << "counter packets 1 bytes 2 accept comment \"drop { later\""
            << int(Verdict::Accept) << "accept" << "drop { later" << "counter accept comment \"drop { later\"";
        QTest::newRow("log prefix quoted") << "log prefix \"drop: \" counter packets 0 bytes 0 drop"
            << int(Verdict::Drop) << "drop" << "" << "log prefix \"drop: \" counter drop";
        QTest::newRow("snat statement") << "snat to 198.51.100.1" << int(Verdict::Other) << "snat to 198.51.100.1" << "" << "snat to 198.51.100.1";
        QTest::newRow("named counter") << "counter name \"c1\" drop" << int(Verdict::Drop) << "drop" << "" << "counter name \"c1\" drop";
        QTest::newRow("queue") << "queue num 1" << int(Verdict::Other) << "queue num 1" << "" << "queue num 1";
        QTest::newRow("continue is no verdict") << "continue" << int(Verdict::None) << "" << "" << "continue";
    }
    void analyse()
    {
        QFETCH(QString, rule);
        QFETCH(int, verdict);
        QFETCH(QString, verdictText);
        QFETCH(QString, comment);
        QFETCH(QString, spec);
        auto r = nft_text::analyseRule(rule.toStdString(), 7);
        QVERIFY(r.ok());
        QCOMPARE(int(r->verdict), verdict);
        QCOMPARE(QString::fromStdString(r->verdictText), verdictText);
        QCOMPARE(QString::fromStdString(r->comment), comment);
        QCOMPARE(QString::fromStdString(r->spec), spec);
        QCOMPARE(r->line, 7);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("nextStepHas");
        QTest::newRow("not root") << QByteArray::fromStdString(fixture("firewall/nft-list-ruleset-not-root.txt")) << 1 << "root";
        QTest::newRow("cut inside a chain") << QByteArray("table ip calico {\n\tchain x {\n\t\tcounter packets 1 bytes 2 drop\n") << 3 << "cut off";
        QTest::newRow("cut inside a counter") << QByteArray("table ip calico {\n\tchain x {\n\t\tcounter packets 1 by") << 3 << "cut off";
        QTest::newRow("cut inside elements") << QByteArray("table ip calico {\n\tset s {\n\t\telements = { 198.51.100.21,\n") << 3 << "cut off";
        QTest::newRow("stray brace") << QByteArray("}\n") << 1 << "";
        QTest::newRow("rule at top level") << QByteArray("counter packets 1 bytes 2 drop\n") << 1 << "nft";
        QTest::newRow("closes more than opens") << QByteArray("table ip t {\n\tchain c {\n\t\tdrop } }\n") << 3 << "";
        QTest::newRow("block in chain") << QByteArray("table ip t {\n\tchain c {\n\t\tset s {\n") << 3 << "";
        QTest::newRow("iptables output") << QByteArray("Chain INPUT (policy ACCEPT)\n") << 1 << "";
    }
    void errors()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, line);
        QFETCH(QString, nextStepHas);
        auto rs = parseNftRuleset(input.toStdString());
        QVERIFY(!rs.ok());
        QCOMPARE(rs.error().line, line);
        QVERIFY2(QString::fromStdString(rs.error().nextStep).contains(nextStepHas), rs.error().oneLine().c_str());
    }

    // One line that cannot be read is kept and skipped; the DROP after it still counts.
    void oddLineIsSkipped_data()
    {
        QTest::addColumn<QByteArray>("odd");
        QTest::addColumn<QString>("messageHas");
        QTest::newRow("counter without bytes") << QByteArray("\t\tcounter packets 1 drop") << "counter";
        QTest::newRow("stray closing brace") << QByteArray("\t\tdrop } }") << "closes more";
        QTest::newRow("block inside the chain") << QByteArray("\t\tset s {\n\t\t\ttype ipv4_addr\n\t\t}") << "block inside";
    }
    void oddLineIsSkipped()
    {
        QFETCH(QByteArray, odd);
        QFETCH(QString, messageHas);
        const QByteArray input = "table ip calico {\n\tchain filter-cali-INPUT {\n" + odd +
                                 "\n\t\tip saddr 198.51.100.11 meta l4proto 4 counter packets 6 bytes 504 drop\n\t}\n}\n";
        auto rs = parseNftRuleset(input.toStdString());
        QVERIFY2(rs.ok(), rs.ok() ? "" : rs.error().oneLine().c_str());
        QCOMPARE(int(rs->unreadable.size()), 1);
        QCOMPARE(rs->unreadable.front().line, 3);
        QVERIFY2(QString::fromStdString(rs->unreadable.front().oneLine()).contains(messageHas),
                 rs->unreadable.front().oneLine().c_str());
        const auto *chain = rs->table("ip", "calico")->chain("filter-cali-INPUT");
        QVERIFY(chain);
        QCOMPARE(int(chain->rules.size()), 1);
        QCOMPARE(chain->rules.front().verdict, Verdict::Drop);
        QCOMPARE(chain->rules.front().counters->packets, std::uint64_t(6));
    }

    // Recorded from nft 1.0.6 (Debian 12): a comment's newline is printed as it is.
    void commentWithNewline()
    {
        const char *text = "table ip calico {\n\tchain filter-cali-INPUT {\n"
                           "\t\ttcp dport 9 counter packets 0 bytes 0 accept comment \"first line\nsecond line\"\n"
                           "\t\tip saddr 198.51.100.11 meta l4proto 4 counter packets 6 bytes 504 drop\n\t}\n}\n";
        auto rs = parseNftRuleset(text);
        QVERIFY2(rs.ok(), rs.ok() ? "" : rs.error().oneLine().c_str());
        QVERIFY(rs->unreadable.empty());
        const auto *chain = rs->table("ip", "calico")->chain("filter-cali-INPUT");
        QVERIFY(chain);
        QCOMPARE(int(chain->rules.size()), 2);
        QCOMPARE(rs->table("ip", "calico")->chain("filter-cali-INPUT")->rules[0].comment, std::string("first line\nsecond line"));
        QCOMPARE(chain->rules[1].verdict, Verdict::Drop);
        QCOMPARE(chain->rules[1].line, 5);
    }

    // Sets and maps as nft prints them (real output): the hosts set an nftables-mode node
    // guards the encapsulation with, and the verdict maps its workloads are dispatched by.
    void sets_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("set");
        QTest::addColumn<bool>("map");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("flags");
        QTest::addColumn<QString>("keys");      // each element's key, in order
        QTest::addColumn<QString>("values");    // maps: each element's value
        QTest::addColumn<QString>("inside");    // addresses contains() accepts
        QTest::addColumn<QString>("outside");   // and refuses
        const QString sm = "firewall/nft-list-ruleset-sets-maps.txt";
        QTest::newRow("interval: address, prefix, range over two lines")
            << sm << "cali40all-hosts-net" << false << "ipv4_addr" << "interval"
            << "198.51.100.21,198.51.100.40/30,198.51.100.50-198.51.100.52" << ""
            << "198.51.100.21,198.51.100.40,198.51.100.43,198.51.100.50,198.51.100.51,198.51.100.52"
            << "198.51.100.20,198.51.100.22,198.51.100.44,198.51.100.49,198.51.100.53";
        QTest::newRow("timeout element") << sm << "cali40this-host" << false << "ipv4_addr" << "timeout"
                                         << "198.51.100.22" << "" << "198.51.100.22" << "198.51.100.21";
        QTest::newRow("concatenation: no addresses answered") << sm << "cali40svc-ports" << false
                                                              << "ipv4_addr . inet_service" << "" << "198.51.100.22"
                                                              << "" << "" << "198.51.100.22";
        QTest::newRow("verdict map") << sm << "filter-cali-to-wl-dispatch" << true << "ifname : verdict" << ""
                                     << "cali9fe6d4dc1f4,cali2ce55fcc74b"
                                     << "goto filter-cali-tw-cali9fe6d4dc1f4,goto filter-cali-tw-cali2ce55fcc74b" << ""
                                     << "198.51.100.22";
        QTest::newRow("Felix's vxlan hosts set") << "firewall/nft-list-table-ip-calico.txt" << "cali40all-vxlan-net"
                                                 << false << "ipv4_addr" << "interval" << "198.51.100.21" << ""
                                                 << "198.51.100.21" << "198.51.100.22";
        QTest::newRow("three lines, a /30") << "firewall/nft-list-table-ip-calico.txt" << "cali40all-hosts-net" << false
                                            << "ipv4_addr" << "interval" << "198.51.100.21,198.51.100.22,198.51.100.40/30"
                                            << "" << "198.51.100.22,198.51.100.42" << "198.51.100.24";
        QTest::newRow("timeout set, listing after the burst") << "firewall/nft-list-ruleset.after.txt" << "cali40this-host" << false << "ipv4_addr"
                                   << "timeout" << "198.51.100.22" << "" << "198.51.100.22" << "198.51.100.11";
    }
    void sets()
    {
        QFETCH(QString, file);
        QFETCH(QString, set);
        QFETCH(bool, map);
        QFETCH(QString, type);
        QFETCH(QString, flags);
        QFETCH(QString, keys);
        QFETCH(QString, values);
        QFETCH(QString, inside);
        QFETCH(QString, outside);
        auto rs = parseFile(file);
        QVERIFY2(rs.ok(), rs.ok() ? "" : rs.error().oneLine().c_str());
        QVERIFY2(rs->unreadable.empty(), rs->unreadable.empty() ? "" : rs->unreadable.front().oneLine().c_str());
        const auto *s = rs->table("ip", "calico")->set(set.toStdString());
        QVERIFY(s);
        QCOMPARE(s->map, map);
        QCOMPARE(QString::fromStdString(s->type), type);
        QStringList f, k, v;
        for (const auto &x : s->flags)
            f << QString::fromStdString(x);
        for (const auto &e : s->elements) {
            k << QString::fromStdString(e.key);
            if (map)
                v << QString::fromStdString(e.value);
        }
        QCOMPARE(f.join(','), flags);
        QCOMPARE(k.join(','), keys);
        QCOMPARE(v.join(','), values);
        for (const auto &a : inside.split(',', Qt::SkipEmptyParts))
            QVERIFY2(s->contains(*Ipv4::parse(a.toStdString())), qPrintable(a));
        for (const auto &a : outside.split(',', Qt::SkipEmptyParts))
            QVERIFY2(!s->contains(*Ipv4::parse(a.toStdString())), qPrintable(a));
    }

    void oddSetElementIsReported()
    {
        auto rs = parseNftRuleset("table ip calico {\n\tset h {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
                                  "\t\telements = { 198.51.100.1, 198.51.100.300,\n\t\t\t     198.51.100.9-198.51.100.2 }\n\t}\n}\n");
        QVERIFY(rs.ok());
        const auto *s = rs->table("ip", "calico")->set("h");
        QVERIFY(s);
        QCOMPARE(s->elements.size(), std::size_t(3));
        QCOMPARE(rs->unreadable.size(), std::size_t(2));  // an octet past 255, a range backwards
        QVERIFY(s->contains(*Ipv4::parse("198.51.100.1")));
        QVERIFY(!s->contains(*Ipv4::parse("198.51.100.5")));
    }

    void skipsWhatItDoesNotRead()
    {
        const char *text = "table inet other {\n"
                           "\tflags dormant\n"
                           "\tcomment \"not ours\"\n"
                           "\tflowtable ft {\n\t\thook ingress priority filter\n\t\tdevices = { lo }\n\t}\n"
                           "\tcounter named {\n\t\tpackets 0 bytes 0\n\t}\n"
                           "\tmap m {\n\t\ttype ipv4_addr : verdict\n\t\telements = { 198.51.100.1 : drop,\n\t\t\t     198.51.100.2 : accept }\n\t}\n"
                           "\tchain c {\n\t\tcomment \"chain note\"\n\t\ttype filter hook input priority filter - 5; policy drop;\n"
                           "\t\tct state { established, related } counter packets 3 bytes 4 accept\n\t}\n"
                           "}\n";
        auto rs = parseNftRuleset(text);
        QVERIFY2(rs.ok(), rs.ok() ? "" : rs.error().oneLine().c_str());
        const auto *t = rs->table("inet", "other");
        QVERIFY(t);
        QCOMPARE(t->chains.size(), std::size_t(1));
        const auto &c = t->chains.front();
        QCOMPARE(c.comment, std::string("chain note"));
        QCOMPARE(c.priority, std::string("filter - 5"));
        QCOMPARE(c.policy, std::string("drop"));
        QCOMPARE(c.rules.size(), std::size_t(1));
        QCOMPARE(c.rules.front().verdict, Verdict::Accept);
    }

    void truncatedEverywhere()
    {
        const auto text = fixture("firewall/nft-list-ruleset.after.txt");
        int errors = 0, tried = 0;
        for (std::size_t n = 1; n < text.size(); ++n) {
            if (!worthCutting(text, n))
                continue;
            ++tried;
            errors += !parseNftRuleset(std::string_view(text).substr(0, n)).ok();
        }
        // Only whole blocks read as complete; the closing "}" comes last.
        QCOMPARE(errors, tried - 1);
    }

    void emptyAndOversized()
    {
        QVERIFY(parseNftRuleset("").ok());
        QVERIFY(parseNftRuleset("\n\n").value().tables.empty());
        std::string big(text::kMaxInputBytes + 1, '\n');
        QVERIFY(!parseNftRuleset(big).ok());
    }
};

QTEST_GUILESS_MAIN(TestNft)
#include "tst_nft.moc"
