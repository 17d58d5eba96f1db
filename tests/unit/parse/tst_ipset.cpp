#include "parse/ipset.h"
#include "parse/text.h"

#include <QFile>
#include "fixture_file.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::parse;

namespace {

std::string fixture(const QString &name) { return test::fixtureText(name); }

enum class Form { List };

Result<IpsetList> parseAs(Form form, std::string_view text)
{
    switch (form) {
    case Form::List: return parseIpsetList(text);
    }
    return parseIpsetList(text);
}

const QString kAll[] = {"ipset/ipset-list.txt"};
const Form kForms[] = {Form::List};
const char *kFormNames[] = {"list"};

using test::worthCutting;

} // namespace

class TestIpset : public QObject {
    Q_OBJECT
private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("form");
        QTest::addColumn<int>("sets");
        QTest::addColumn<int>("members");
        QTest::addColumn<bool>("membersListed");
        QTest::newRow("ipset list") << "ipset/ipset-list.txt" << int(Form::List) << 12 << 18 << true;
        QTest::newRow("ipset list NAME (hash:net)") << "ipset/ipset-list-cali40all-hosts-net.txt" << int(Form::List) << 1 << 3 << true;
        QTest::newRow("ipset list NAME (hash:ip)") << "ipset/ipset-list-felix-calico-hosts-4.txt" << int(Form::List) << 1 << 3 << true;
        QTest::newRow("ipset list -t") << "ipset/ipset-list-t.txt" << int(Form::List) << 12 << 0 << false;
        QTest::newRow("no sets") << "ipset/ipset-list-empty.txt" << int(Form::List) << 0 << 0 << true;
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(int, form);
        QFETCH(int, sets);
        QFETCH(int, members);
        QFETCH(bool, membersListed);
        auto l = parseAs(Form(form), fixture(file));
        QVERIFY2(l.ok(), l.ok() ? "" : l.error().oneLine().c_str());
        QCOMPARE(int(l->sets.size()), sets);
        int n = 0;
        for (const auto &s : l->sets) {
            n += int(s.members.size());
            QCOMPARE(s.membersListed, membersListed);
            QVERIFY(!s.name.empty() && !s.type.empty());
            QVERIFY(s.line > 0);
        }
        QCOMPARE(n, members);
    }

    void header_data()
    {
        QTest::addColumn<int>("form");
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("revision");  // -1: not printed
        QTest::addColumn<QString>("family");
        QTest::addColumn<qlonglong>("maxelem");
        QTest::addColumn<qlonglong>("timeout");
        QTest::addColumn<qlonglong>("memory");
        QTest::addColumn<qlonglong>("references");
        QTest::addColumn<qlonglong>("entries");
        for (std::size_t i = 0; i < std::size(kForms); ++i) {
            const int rev7 = 7, rev6 = 6;
            auto row = [&](const char *what) -> QTestData & { return QTest::newRow(qPrintable(QString(kFormNames[i]) + ": " + what)); };
            row("hosts net") << int(kForms[i]) << "cali40all-hosts-net" << "hash:net" << rev7 << "inet" << 65536ll << -1ll
                             << 600ll << 1ll << 3ll;
            row("felix hosts") << int(kForms[i]) << "felix-calico-hosts-4" << "hash:ip" << rev6 << "inet" << 65536ll << -1ll
                               << 336ll << 2ll << 3ll;
            row("timeout set") << int(kForms[i]) << "cali40this-host" << "hash:ip" << rev6 << "inet" << 65536ll << 300ll
                               << 344ll << 0ll << 2ll;
            row("list:set") << int(kForms[i]) << "pp-list" << "list:set" << 3 << "inet" << -1ll << -1ll
                            << 128ll << 0ll << 1ll;
            row("empty set") << int(kForms[i]) << "pp-empty" << "hash:ip" << rev6 << "inet" << 65536ll << -1ll
                             << 216ll << 0ll << 0ll;
        }
    }
    void header()
    {
        QFETCH(int, form);
        QFETCH(QString, set);
        QFETCH(QString, type);
        QFETCH(int, revision);
        QFETCH(QString, family);
        QFETCH(qlonglong, maxelem);
        QFETCH(qlonglong, timeout);
        QFETCH(qlonglong, memory);
        QFETCH(qlonglong, references);
        QFETCH(qlonglong, entries);
        auto l = parseAs(Form(form), fixture(kAll[form]));
        QVERIFY(l.ok());
        const auto *s = l->find(set.toStdString());
        QVERIFY(s);
        QCOMPARE(QString::fromStdString(s->type), type);
        QCOMPARE(s->revision.value_or(-1), revision);
        QCOMPARE(QString::fromStdString(s->family()), family);
        QCOMPARE(s->maxelem() ? qlonglong(*s->maxelem()) : -1ll, maxelem);
        QCOMPARE(s->timeout() ? qlonglong(*s->timeout()) : -1ll, timeout);
        QCOMPARE(s->sizeInMemory ? qlonglong(*s->sizeInMemory) : -1ll, memory);
        QCOMPARE(s->references ? qlonglong(*s->references) : -1ll, references);
        QCOMPARE(s->numberOfEntries ? qlonglong(*s->numberOfEntries) : -1ll, entries);
    }

    void headerText()
    {
        auto l = parseIpsetList(fixture("ipset/ipset-list.txt"));
        QVERIFY(l.ok());
        const auto *s = l->find("pp-counted");
        QCOMPARE(QString::fromStdString(s->header),
                 QString("family inet hashsize 1024 maxelem 65536 counters comment bucketsize 12 initval 0xc7ae2019"));
        QVERIFY(s->headerValue("counters").has_value());
        QCOMPARE(*s->headerValue("counters"), std::string());
        QCOMPARE(*s->headerValue("bucketsize"), std::string("12"));
        QCOMPARE(*s->headerValue("initval"), std::string("0xc7ae2019"));
        QCOMPARE(*l->find("pp-list")->headerValue("size"), std::string("8"));
    }

    void members_data()
    {
        QTest::addColumn<int>("form");
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("element");
        QTest::addColumn<QString>("options");
        QTest::addColumn<qlonglong>("timeout");
        QTest::addColumn<bool>("nomatch");
        for (std::size_t i = 0; i < std::size(kForms); ++i) {
            auto row = [&](const char *what) -> QTestData & { return QTest::newRow(qPrintable(QString(kFormNames[i]) + ": " + what)); };
            row("net member") << int(kForms[i]) << "cali40all-hosts-net" << "198.51.100.20/30" << "" << -1ll << false;
            row("timeout member") << int(kForms[i]) << "cali40this-host" << "198.51.100.13" << "timeout 286" << 286ll << false;
            row("nomatch member") << int(kForms[i]) << "pp-nomatch" << "198.51.100.64/26" << "nomatch" << -1ll << true;
            row("counters and comment") << int(kForms[i]) << "pp-counted" << "198.51.100.13"
                                        << "packets 7 bytes 420 comment \"seven packets\"" << -1ll << false;
            row("ip,port") << int(kForms[i]) << "pp-ipport" << "198.51.100.11,udp:4789" << "" << -1ll << false;
            row("set name") << int(kForms[i]) << "pp-list" << "felix-calico-hosts-4" << "" << -1ll << false;
        }
    }
    void members()
    {
        QFETCH(int, form);
        QFETCH(QString, set);
        QFETCH(QString, element);
        QFETCH(QString, options);
        QFETCH(qlonglong, timeout);
        QFETCH(bool, nomatch);
        auto l = parseAs(Form(form), fixture(kAll[form]));
        QVERIFY(l.ok());
        const auto *s = l->find(set.toStdString());
        QVERIFY(s);
        const IpsetMember *m = nullptr;
        for (const auto &x : s->members)
            if (x.element == element.toStdString())
                m = &x;
        QVERIFY(m);
        QCOMPARE(QString::fromStdString(m->options), options);
        QCOMPARE(m->timeout ? qlonglong(*m->timeout) : -1ll, timeout);
        QCOMPARE(m->nomatch, nomatch);
        QCOMPARE(m->prefix.has_value(), s->holdsAddresses());
    }

    void contains_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("in");
        QTest::newRow("hash:net host") << "cali40all-hosts-net" << "198.51.100.11" << true;
        QTest::newRow("hash:net /30 start") << "cali40all-hosts-net" << "198.51.100.20" << true;
        QTest::newRow("hash:net /30 end") << "cali40all-hosts-net" << "198.51.100.23" << true;
        QTest::newRow("hash:net past /30") << "cali40all-hosts-net" << "198.51.100.24" << false;
        QTest::newRow("hash:net not a host") << "cali40all-hosts-net" << "198.51.100.13" << false;
        QTest::newRow("the guide's case: sender not in felix set") << "felix-calico-hosts-4" << "198.51.100.13" << false;
        QTest::newRow("hash:ip member") << "felix-calico-hosts-4" << "198.51.100.14" << true;
        QTest::newRow("hash:ip exact only") << "felix-calico-hosts-4" << "198.51.100.15" << false;
        QTest::newRow("pod pool /16") << "cali40all-ipam-pools" << "198.19.255.255" << false;
        QTest::newRow("pod pool inside") << "cali40all-ipam-pools" << "198.18.119.193" << true;
        QTest::newRow("nomatch carves out") << "pp-nomatch" << "198.51.100.70" << false;
        QTest::newRow("outside the nomatch") << "pp-nomatch" << "198.51.100.5" << true;
        QTest::newRow("netmask 24 widens") << "pp-netmask" << "198.51.100.200" << true;
        QTest::newRow("netmask 24 only") << "pp-netmask" << "198.51.101.1" << false;
        QTest::newRow("ip,port by address") << "pp-ipport" << "198.51.100.11" << true;
        QTest::newRow("list:set answers false") << "pp-list" << "198.51.100.11" << false;
        QTest::newRow("empty set") << "pp-empty" << "198.51.100.11" << false;
        QTest::newRow("timeout member") << "cali40this-host" << "198.51.100.12" << true;
    }
    void contains()
    {
        QFETCH(QString, set);
        QFETCH(QString, address);
        QFETCH(bool, in);
        for (std::size_t i = 0; i < std::size(kForms); ++i) {
            auto l = parseAs(kForms[i], fixture(kAll[i]));
            QVERIFY(l.ok());
            const auto *s = l->find(set.toStdString());
            QVERIFY(s);
            QCOMPARE(s->contains(*Ipv4::parse(address.toStdString())), in);
        }
    }

    void terse()
    {
        auto l = parseIpsetList(fixture("ipset/ipset-list-t.txt"));
        QVERIFY(l.ok());
        const auto *s = l->find("cali40all-hosts-net");
        QVERIFY(s && !s->membersListed && s->members.empty());
        QCOMPARE(s->numberOfEntries.value_or(0), 3u);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("form");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("nextStepHas");
        QTest::newRow("no such set") << QByteArray::fromStdString(fixture("ipset/ipset-list-no-such-set.txt")) << int(Form::List) << 1 << "cali40all-hosts-net";
        QTest::newRow("not root") << QByteArray::fromStdString(fixture("ipset/ipset-list-not-root.txt")) << int(Form::List) << 1 << "root";
        QTest::newRow("command not found") << QByteArray("bash: ipset: command not found\n") << int(Form::List) << 1 << "install";
        QTest::newRow("field before Name") << QByteArray("Type: hash:ip\n") << int(Form::List) << 1 << "";
        QTest::newRow("only garbage") << QByteArray("\x01\x02\xff\nhello\n") << int(Form::List) << 1 << "ipset list";
    }
    void errors()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, form);
        QFETCH(int, line);
        QFETCH(QString, nextStepHas);
        auto l = parseAs(Form(form), input.toStdString());
        QVERIFY(!l.ok());
        QCOMPARE(l.error().line, line);
        QVERIFY2(QString::fromStdString(l.error().nextStep).contains(nextStepHas), l.error().oneLine().c_str());
    }

    // One line the parser cannot read is kept in `unreadable` (with its line and why) and
    // skipped; the rest of the dump is still read and judged.
    void skippedLines_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("sets");
        QTest::addColumn<QList<int>>("unreadable");
        QTest::addColumn<QString>("firstNextStepHas");
        QTest::addColumn<QStringList>("stillIn");  // "set=address" still found
        QTest::newRow("cut member") << QByteArray("Name: s\nType: hash:ip\nMembers:\n198.51.100.1\n198.51.1")
                                    << QStringList{"s"} << QList<int>{5} << "cut off" << QStringList{"s=198.51.100.1"};
        QTest::newRow("cut net member") << QByteArray("Name: s\nType: hash:net\nMembers:\n198.51.100.0/")
                                        << QStringList{"s"} << QList<int>{4} << "cut off" << QStringList{};
        QTest::newRow("not a field") << QByteArray("Name: s\nhello\nType: hash:ip\nMembers:\n198.51.100.2\n")
                                     << QStringList{"s"} << QList<int>{2} << "ipset list" << QStringList{"s=198.51.100.2"};
        QTest::newRow("bad number") << QByteArray("Name: s\nReferences: many\nType: hash:ip\nMembers:\n198.51.100.3\n")
                                    << QStringList{"s"} << QList<int>{2} << "" << QStringList{"s=198.51.100.3"};
        QTest::newRow("cut number") << QByteArray("Name: s\nNumber of entries: ") << QStringList{"s"} << QList<int>{2}
                                    << "" << QStringList{};
        QTest::newRow("a garbled member among good ones")
            << QByteArray("Name: s\nType: hash:ip\nMembers:\n198.51.100.1\n198.51.100.x\n198.51.100.3\n")
            << QStringList{"s"} << QList<int>{5} << "cut off" << QStringList{"s=198.51.100.1", "s=198.51.100.3"};
        QTest::newRow("binary junk among members")
            << QByteArray("Name: s\nType: hash:ip\nMembers:\n\x01\x02\xff\n198.51.100.9\n") << QStringList{"s"}
            << QList<int>{4} << "cut off" << QStringList{"s=198.51.100.9"};
        QTest::newRow("ipset's own complaint between two sets")
            << QByteArray("Name: a\nType: hash:ip\nMembers:\n198.51.100.1\n\nipset v7.10: Kernel error received: "
                          "Operation not permitted\nName: b\nType: hash:net\nMembers:\n198.51.100.0/24\n")
            << QStringList{"a", "b"} << QList<int>{6} << "root" << QStringList{"a=198.51.100.1", "b=198.51.100.77"};
        QTest::newRow("a field before the first Name, then a set")
            << QByteArray("Type: hash:ip\nName: s\nType: hash:ip\nMembers:\n198.51.100.1\n") << QStringList{"s"}
            << QList<int>{1} << "ipset list" << QStringList{"s=198.51.100.1"};
        QTest::newRow("several bad lines")
            << QByteArray("Name: s\nRevision: x\nType: hash:net\nMembers:\n198.51.100.0/33\n10.0.0.0/8\n??\n")
            << QStringList{"s"} << QList<int>{2, 5, 7} << "" << QStringList{"s=10.1.2.3"};
    }
    void skippedLines()
    {
        QFETCH(QByteArray, input);
        QFETCH(QStringList, sets);
        QFETCH(QList<int>, unreadable);
        QFETCH(QString, firstNextStepHas);
        QFETCH(QStringList, stillIn);
        auto l = parseIpsetList(std::string_view(input.constData(), std::size_t(input.size())));
        QVERIFY2(l.ok(), l.ok() ? "" : l.error().oneLine().c_str());
        QStringList names;
        for (const auto &set : l->sets)
            names << QString::fromStdString(set.name);
        QCOMPARE(names, sets);
        QList<int> lines;
        for (const auto &e : l->unreadable) {
            lines << e.line;
            QVERIFY2(!e.message.empty() && !e.context.empty(), e.oneLine().c_str());
        }
        QCOMPARE(lines, unreadable);
        QVERIFY2(QString::fromStdString(l->unreadable.front().nextStep).contains(firstNextStepHas),
                 l->unreadable.front().oneLine().c_str());
        for (const QString &in : stillIn) {
            const auto *set = l->find(in.section('=', 0, 0).toStdString());
            QVERIFY(set);
            QVERIFY2(set->contains(*Ipv4::parse(in.section('=', 1).toStdString())), qPrintable(in));
        }
    }

    void ipv6MembersAreKeptUnread()
    {
        auto l = parseIpsetList("Name: cali60all-hosts-net\nType: hash:net\nRevision: 7\n"
                                "Header: family inet6 hashsize 1024 maxelem 1048576\nMembers:\n2001:db8::/64\n");
        QVERIFY(l.ok());
        const auto &s = l->sets.front();
        QCOMPARE(s.family(), std::string("inet6"));
        QCOMPARE(s.members.size(), std::size_t(1));
        QVERIFY(!s.members.front().prefix);
        QVERIFY(!s.contains(*Ipv4::parse("198.51.100.1")));
    }

    void unknownFieldsAndCrlf()
    {
        auto l = parseIpsetList("Name: s\r\nType: hash:ip\r\nComment: future field\r\nMembers:\r\n198.51.100.1\r\n\r\nName: t\r\nType: hash:ip\r\nMembers:\r\n");
        QVERIFY2(l.ok(), l.ok() ? "" : l.error().oneLine().c_str());
        QCOMPARE(l->sets.size(), std::size_t(2));
        QVERIFY(l->find("s")->contains(*Ipv4::parse("198.51.100.1")));
    }

    void truncatedEverywhere()
    {
        for (std::size_t i = 0; i < std::size(kForms); ++i) {
            const auto text = fixture(kAll[i]);
            for (std::size_t n = 0; n < text.size(); ++n) {
                if (!worthCutting(text, n))
                    continue;
                auto l = parseAs(kForms[i], std::string_view(text).substr(0, n));
                if (l.ok())  // a cut list reads as fewer sets or members, never more
                    QVERIFY(l->sets.size() <= 12);
            }
        }
    }

    void emptyAndOversized()
    {
        for (auto form : kForms) {
            auto l = parseAs(form, "");
            QVERIFY(l.ok());
            QVERIFY(l->sets.empty());
            std::string big(text::kMaxInputBytes + 1, '\n');
            QVERIFY(!parseAs(form, big).ok());
        }
    }
};

QTEST_GUILESS_MAIN(TestIpset)
#include "tst_ipset.moc"
