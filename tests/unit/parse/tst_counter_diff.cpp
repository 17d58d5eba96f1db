#include "parse/counter_diff.h"
#include "parse/iptables_save.h"
#include "parse/nft.h"

#include <QFile>
#include "fixture_file.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::parse;

namespace {

std::string fixture(const QString &name) { return test::fixtureText(name); }

// "chain:position packets/bytes" plus " new" / " policy": one line per delta.
QStringList describe(const std::vector<CounterDelta> &deltas, const std::string &table)
{
    QStringList out;
    for (const auto &d : deltas) {
        if (d.table != table)
            continue;
        QString s = QStringLiteral("%1:%2 %3/%4")
                        .arg(QString::fromStdString(d.chain))
                        .arg(d.position)
                        .arg(qulonglong(d.packets))
                        .arg(qulonglong(d.bytes));
        if (d.newRule)
            s += " new";
        if (d.isPolicy)
            s += " policy";
        if (d.counterReset)
            s += " reset";
        out << s;
    }
    return out;
}

// What the lab burst moved in the iptables node's filter table (see README.md).
const QStringList kIptablesFilterRose{
    "INPUT:0 153/214452 policy",
    "INPUT:1 3/189",                  // the guide's DROP: proto 4 from outside felix-calico-hosts-4
    "INPUT:2 169/215439",
    "INPUT:3 153/214452",
    "OUTPUT:0 15/4203 policy",
    "OUTPUT:1 15/4203",
    "OUTPUT:2 15/4203",
    "cali-INPUT:1 5/315",             // Allow IPIP packets from Calico hosts
    "cali-INPUT:2 4/252 new",         // inserted between the snapshots
    "cali-INPUT:3 4/252",             // Drop IPIP packets from non-Calico hosts (moved from 2 to 3)
    "cali-INPUT:5 6/360",             // Drop IPv4 VXLAN packets from non-allowed hosts
    "cali-INPUT:7 154/214512",
    "cali-INPUT:8 150/214200",
    "cali-INPUT:9 153/214452",
    "cali-INPUT:10 3/252",
    "cali-INPUT:11 1/60",             // REJECT tcp 9999
    "cali-OUTPUT:5 14/4163",
    "cali-from-host-endpoint:1 154/214512",
};

const QStringList kIptablesDiscards{"INPUT:1 3/189", "cali-INPUT:3 4/252", "cali-INPUT:5 6/360", "cali-INPUT:11 1/60"};

const QStringList kNftRose{
    "filter-INPUT:1 22/1428",
    "filter-OUTPUT:1 9/747",
    "filter-cali-INPUT:1 12/756 new",
    "filter-cali-INPUT:2 3/189",      // guide-style drop of proto 4 from outside felix-calico-hosts-4
    "filter-cali-INPUT:3 5/315",
    "filter-cali-INPUT:4 4/252",
    "filter-cali-INPUT:6 6/360",
    "filter-cali-INPUT:8 1/60",
    "filter-cali-INPUT:10 3/252",
    "filter-cali-INPUT:11 3/252",
    "filter-cali-OUTPUT:3 8/707",
    "filter-cali-from-host-endpoint:1 3/252",
};

const QStringList kNftDiscards{"filter-cali-INPUT:2 3/189", "filter-cali-INPUT:4 4/252", "filter-cali-INPUT:6 6/360",
                               "filter-cali-INPUT:8 1/60"};

template <class Parse>
auto both(Parse parse, const QString &before, const QString &after)
{
    auto b = parse(fixture(before));
    auto a = parse(fixture(after));
    if (!b.ok() || !a.ok())
        qFatal("fixture does not parse");
    return std::pair(std::move(b).value(), std::move(a).value());
}

std::vector<CountedRule> rules(std::initializer_list<std::tuple<const char *, int, std::uint64_t>> list,
                               Verdict verdict = Verdict::Drop)
{
    std::vector<CountedRule> out;
    for (const auto &[spec, position, packets] : list) {
        CountedRule r;
        r.id = {"filter", "INPUT", spec};
        r.position = position;
        r.counters = {packets, packets * 100};
        r.verdict = verdict;
        r.target = "DROP";
        out.push_back(r);
    }
    return out;
}

} // namespace

class TestCounterDiff : public QObject {
    Q_OBJECT
private slots:
    void iptables()
    {
        auto [b, a] = both(parseIptablesSave, "firewall/iptables-save-c.before.txt", "firewall/iptables-save-c.after.txt");
        auto deltas = diffCounters(b, a);
        QCOMPARE(describe(deltas, "filter"), kIptablesFilterRose);
        QCOMPARE(describe(discardingOnly(deltas), "filter"), kIptablesDiscards);

        // The deltas carry what the diagnosis shows: rule text, target, comment.
        const auto drops = discardingOnly(deltas);
        QCOMPARE(QString::fromStdString(drops[1].comment),
                 QString("cali:_wjq-Yrma8Ly1Svo; Drop IPIP packets from non-Calico hosts"));
        QCOMPARE(QString::fromStdString(drops[1].target), QString("DROP"));
        QCOMPARE(drops[3].verdict, Verdict::Reject);
        QVERIFY(QString::fromStdString(drops[0].spec).contains("felix-calico-hosts-4"));
        for (const auto &d : deltas)
            QVERIFY(d.line > 0);
    }

    void iptablesOtherTables()
    {
        auto [b, a] = both(parseIptablesSave, "firewall/iptables-save-c.before.txt", "firewall/iptables-save-c.after.txt");
        auto deltas = diffCounters(b, a);
        QCOMPARE(describe(deltas, "raw"), (QStringList{"PREROUTING:0 172/215628 policy", "PREROUTING:1 172/215628",
                                                       "OUTPUT:0 15/4203 policy", "cali-PREROUTING:1 172/215628",
                                                       "cali-PREROUTING:2 172/215628"}));
        QCOMPARE(describe(deltas, "nat"), (QStringList{"PREROUTING:0 16/2373 policy", "INPUT:0 2/1512 policy",
                                                       "POSTROUTING:0 1/40 policy", "POSTROUTING:1 1/40",
                                                       "cali-POSTROUTING:1 1/40"}));
    }

    void nft()
    {
        auto [b, a] = both(parseNftRuleset, "firewall/nft-list-ruleset.before.txt", "firewall/nft-list-ruleset.after.txt");
        auto deltas = diffCounters(b, a);
        QCOMPARE(describe(deltas, "ip calico"), kNftRose);
        QCOMPARE(describe(discardingOnly(deltas), "ip calico"), kNftDiscards);
        const auto drops = discardingOnly(deltas);
        QCOMPARE(QString::fromStdString(drops[1].comment),
                 QString("cali:_wjq-Yrma8Ly1Svo; Drop IPIP packets from non-Calico hosts"));
        QCOMPARE(QString::fromStdString(drops[1].target), QString("drop"));
        QCOMPARE(drops[3].verdict, Verdict::Reject);
        QCOMPARE(QString::fromStdString(deltas[0].target), QString("filter-cali-INPUT"));
        QCOMPARE(deltas[0].verdict, Verdict::Jump);
    }

    // The two backends read the same way: the same Calico rule, dropped the same count.
    void backendsAgree()
    {
        auto [ib, ia] = both(parseIptablesSave, "firewall/iptables-save-c.before.txt", "firewall/iptables-save-c.after.txt");
        auto [nb, na] = both(parseNftRuleset, "firewall/nft-list-ruleset.before.txt", "firewall/nft-list-ruleset.after.txt");
        auto pick = [](const std::vector<CounterDelta> &ds, const char *comment) -> const CounterDelta * {
            for (const auto &d : ds)
                if (d.comment.find(comment) != std::string::npos)
                    return &d;
            return nullptr;
        };
        const auto iptablesDeltas = diffCounters(ib, ia);
        const auto nftDeltas = diffCounters(nb, na);
        for (const char *c : {"Drop IPIP packets from non-Calico hosts", "Drop IPv4 VXLAN packets from non-allowed hosts",
                              "Allow IPIP packets from Calico hosts"}) {
            const auto *i = pick(iptablesDeltas, c);
            const auto *n = pick(nftDeltas, c);
            QVERIFY2(i && n, c);
            QCOMPARE(i->verdict, n->verdict);
            QCOMPARE(i->packets, n->packets);
            QCOMPARE(i->bytes, n->bytes);
        }
    }

    void identicalRulesPairInOrder()
    {
        // The guide's listing has two identical "From unknown endpoint" rules.
        auto before = rules({{"x", 1, 5}, {"x", 2, 7}});
        auto after = rules({{"x", 1, 5}, {"x", 2, 9}});
        auto d = diffCounters(before, after);
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].position, 2);
        QCOMPARE(d[0].packets, 2u);
        QVERIFY(!d[0].newRule);
    }

    void insertedAboveShiftsPositions()
    {
        auto before = rules({{"a", 1, 1}, {"b", 2, 10}});
        auto after = rules({{"new", 1, 0}, {"a", 2, 1}, {"b", 3, 13}});
        auto d = diffCounters(before, after);
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].spec, std::string("b"));
        QCOMPARE(d[0].position, 3);
        QCOMPARE(d[0].packets, 3u);
    }

    void newRuleWithTrafficCounts()
    {
        auto d = diffCounters(rules({{"a", 1, 1}}), rules({{"a", 1, 1}, {"n", 2, 4}}));
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(d[0].newRule);
        QCOMPARE(d[0].packets, 4u);
    }

    void deletedRuleIgnored()
    {
        auto d = diffCounters(rules({{"a", 1, 1}, {"gone", 2, 4}}), rules({{"a", 1, 1}}));
        QVERIFY(d.empty());
    }

    void counterReset()
    {
        // iptables -Z or a rule replaced by the same text: counts since the reset.
        auto d = diffCounters(rules({{"a", 1, 100}}), rules({{"a", 1, 3}}));
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(d[0].counterReset);
        QCOMPARE(d[0].packets, 3u);
        QVERIFY(diffCounters(rules({{"a", 1, 100}}), rules({{"a", 1, 0}})).empty());
    }

    void sameChainOtherTable()
    {
        auto before = rules({{"a", 1, 1}});
        auto after = rules({{"a", 1, 1}});
        after[0].id.table = "raw";
        auto d = diffCounters(before, after);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(d[0].newRule);
    }

    void policyDrop()
    {
        auto before = parseIptablesSave("*filter\n:FORWARD DROP [2:100]\nCOMMIT\n");
        auto after = parseIptablesSave("*filter\n:FORWARD DROP [5:400]\nCOMMIT\n");
        QVERIFY(before.ok() && after.ok());
        auto d = discardingOnly(diffCounters(*before, *after));
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(d[0].isPolicy);
        QCOMPARE(d[0].position, 0);
        QCOMPARE(d[0].packets, 3u);
        QCOMPARE(d[0].target, std::string("DROP"));
    }

    void sameSnapshotNoDelta()
    {
        auto s = parseIptablesSave(fixture("firewall/iptables-save-c.after.txt"));
        QVERIFY(s.ok());
        QVERIFY(diffCounters(*s, *s).empty());
        auto n = parseNftRuleset(fixture("firewall/nft-list-ruleset.after.txt"));
        QVERIFY(n.ok());
        QVERIFY(diffCounters(*n, *n).empty());
    }

    void fromNothing()
    {
        auto s = parseIptablesSave(fixture("firewall/iptables-save-c.after.txt"));
        QVERIFY(s.ok());
        auto d = diffCounters(IptablesSnapshot{}, *s);
        QVERIFY(!d.empty());
        for (const auto &x : d)
            QVERIFY(x.newRule && x.packets > 0);
    }
};

QTEST_GUILESS_MAIN(TestCounterDiff)
#include "tst_counter_diff.moc"
