// `ip neigh` and `bridge fdb show`, text and -j, against real outputs recorded in
// network namespaces (tests/fixtures/ip/README.md).
#include "ip_describe.h"

#include "parse/text.h"

#include <QtTest>

using namespace iptest;

namespace {

std::string_view view(const QByteArray &b) { return std::string_view(b.constData(), std::size_t(b.size())); }

// "ADDRESS" or "ADDRESS DEV" when an address appears on several devices.
const Neighbour *findNeighbour(const std::vector<Neighbour> &all, const QString &key)
{
    auto parts = key.split(' ');
    for (const auto &n : all)
        if (q(n.address) == parts[0] && (parts.size() < 2 || q(n.device) == parts[1]))
            return &n;
    return nullptr;
}

// "MAC" or "MAC DEV" when a MAC appears on several devices.
const FdbEntry *findFdb(const std::vector<FdbEntry> &all, const QString &key)
{
    auto parts = key.split(' ');
    for (const auto &e : all)
        if (q(e.mac) == parts[0] && (parts.size() < 2 || q(e.device) == parts[1]))
            return &e;
    return nullptr;
}

} // namespace

class TestIpNeigh : public QObject {
    Q_OBJECT
private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("fdb");
        QTest::addColumn<int>("count");
        for (auto form : {".txt", ".json"}) {
            auto row = [&](const char *base, bool fdb, int count) {
                QString f = QString(base) + form;
                QTest::newRow(qPrintable(f)) << f << fdb << count;
            };
            row("a_neigh", false, 5);
            row("a_neigh_all", false, 18);
            row("a_neigh_proxy", false, 1);
            row("a_neigh_vxlan", false, 1);
            row("b_neigh_vxlan", false, 1);
            row("a_fdb", true, 8);
            row("a_fdb_vxlan", true, 2);
            row("b_fdb_vxlan", true, 1);
            row("br_fdb", true, 18);
        }
        QTest::newRow("a_neigh_s.txt") << "a_neigh_s.txt" << false << 5;
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(bool, fdb);
        QFETCH(int, count);
        auto input = readFixture(file);
        bool json = file.endsWith(".json");
        if (fdb) {
            auto r = parseBridgeFdb(input);
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
            QCOMPARE(int(r->entries.size()), count);
            QVERIFY2(r->unreadable.empty(), qPrintable(describe(r->unreadable)));
            auto e = json ? parseBridgeFdbJson(input) : parseBridgeFdbText(input);
            QVERIFY(e.ok() && *e == *r);
        } else {
            auto r = parseIpNeigh(input);
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
            QCOMPARE(int(r->neighbours.size()), count);
            QVERIFY2(r->unreadable.empty(), qPrintable(describe(r->unreadable)));
            auto e = json ? parseIpNeighJson(input) : parseIpNeighText(input);
            QVERIFY(e.ok() && *e == *r);
        }
    }

    void textEqualsJson_data()
    {
        QTest::addColumn<QString>("textFile");
        QTest::addColumn<QString>("jsonFile");
        for (auto base : {"a_neigh", "a_neigh_all", "a_neigh_proxy", "a_neigh_vxlan", "b_neigh_vxlan",
                          "a_fdb", "a_fdb_vxlan", "b_fdb_vxlan", "br_fdb"})
            QTest::newRow(base) << QString(base) + ".txt" << QString(base) + ".json";
        QTest::newRow("-s statistics change nothing") << "a_neigh_s.txt" << "a_neigh.json";
    }
    void textEqualsJson()
    {
        QFETCH(QString, textFile);
        QFETCH(QString, jsonFile);
        auto text = readFixture(textFile);
        auto json = readFixture(jsonFile);
        if (textFile.contains("fdb")) {
            auto t = parseBridgeFdbText(text);
            auto j = parseBridgeFdbJson(json);
            QVERIFY(t.ok() && j.ok());
            QCOMPARE(describe(*t), describe(*j));
            QVERIFY(*t == *j);
        } else {
            auto t = parseIpNeighText(text);
            auto j = parseIpNeighJson(json);
            QVERIFY(t.ok() && j.ok());
            QCOMPARE(describe(*t), describe(*j));
            QVERIFY(*t == *j);
        }
    }

    void neighbours_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("expected");
        // Calico VXLAN: the peer VTEP is a permanent neighbour on vxlan.calico.
        QTest::newRow("VTEP") << "a_neigh" << "198.18.40.0"
                              << "198.18.40.0 (198.18.40.0) dev vxlan.calico lladdr 66:0b:0b:0b:0b:02 states PERMANENT flags ";
        QTest::newRow("VTEP, show dev") << "a_neigh_vxlan" << "198.18.40.0"
                                        << "198.18.40.0 (198.18.40.0) dev  lladdr 66:0b:0b:0b:0b:02 states PERMANENT flags ";
        QTest::newRow("peer node's VTEP") << "b_neigh_vxlan" << "198.18.10.0"
                                          << "198.18.10.0 (198.18.10.0) dev  lladdr 66:0a:0a:0a:0a:01 states PERMANENT flags ";
        QTest::newRow("reachable") << "a_neigh" << "198.51.100.2"
                                   << "198.51.100.2 (198.51.100.2) dev eth0 lladdr 02:00:00:00:00:02 states REACHABLE flags ";
        QTest::newRow("failed has no lladdr") << "a_neigh" << "198.51.100.99"
                                              << "198.51.100.99 (198.51.100.99) dev eth0 lladdr  states FAILED flags ";
        QTest::newRow("router") << "a_neigh" << "198.51.100.254"
                                << "198.51.100.254 (198.51.100.254) dev eth0 lladdr 02:00:00:00:00:fe states STALE router flags ";
        QTest::newRow("IPv6 read as IPv6") << "a_neigh" << "fe80::ff:fe00:2"
                                           << "fe80::ff:fe00:2 (IPv6 fe80::ff:fe00:2) dev eth0 lladdr 02:00:00:00:00:02 states REACHABLE flags ";
        QTest::newRow("noarp") << "a_neigh_all" << "198.51.100.253"
                               << "198.51.100.253 (198.51.100.253) dev eth0 lladdr 02:00:00:00:00:fd states NOARP flags ";
        QTest::newRow("odd lladdr on tunl0") << "a_neigh_all" << "ff02::2 tunl0"
                                             << "ff02::2 (IPv6 ff02::2) dev tunl0 lladdr 08 states NOARP flags ";
        QTest::newRow("loopback") << "a_neigh_all" << "0.0.0.0"
                                  << "0.0.0.0 (0.0.0.0) dev lo lladdr 00:00:00:00:00:00 states NOARP flags ";
        QTest::newRow("proxy") << "a_neigh_proxy" << "198.51.100.200"
                               << "198.51.100.200 (198.51.100.200) dev eth0 lladdr  states  proxy flags ";
    }
    void neighbours()
    {
        QFETCH(QString, base);
        QFETCH(QString, address);
        QFETCH(QString, expected);
        for (auto form : {".txt", ".json"}) {
            auto r = parseIpNeigh(readFixture(base + form));
            QVERIFY(r.ok());
            auto n = findNeighbour(r->neighbours, address);
            QVERIFY(n);
            QCOMPARE(describe(*n), expected);
        }
    }

    void fdb_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("VTEP MAC to peer node") << "a_fdb" << "66:0b:0b:0b:0b:02"
            << "66:0b:0b:0b:0b:02 dev vxlan.calico dst 198.51.100.2 (198.51.100.2) vlan - vni - src_vni - port - via  master  flags self state permanent";
        QTest::newRow("flood entry") << "a_fdb" << "00:00:00:00:00:00"
            << "00:00:00:00:00:00 dev vxlan.calico dst 198.51.100.2 (198.51.100.2) vlan - vni - src_vni - port - via  master  flags self state permanent";
        QTest::newRow("show dev leaves dev empty") << "b_fdb_vxlan" << "66:0a:0a:0a:0a:01"
            << "66:0a:0a:0a:0a:01 dev  dst 198.51.100.1 (198.51.100.1) vlan - vni - src_vni - port - via  master  flags self state permanent";
        QTest::newRow("multicast self") << "a_fdb" << "33:33:00:00:00:01 eth0"
            << "33:33:00:00:00:01 dev eth0 dst  (-) vlan - vni - src_vni - port - via  master  flags self state permanent";
        QTest::newRow("bridge own MAC") << "br_fdb" << "02:00:00:00:00:fe"
            << "02:00:00:00:00:fe dev br0 dst  (-) vlan - vni - src_vni - port - via  master br0 flags  state permanent";
        QTest::newRow("learned is dynamic") << "br_fdb" << "02:00:00:00:00:01"
            << "02:00:00:00:00:01 dev pa dst  (-) vlan - vni - src_vni - port - via  master br0 flags  state ";
        QTest::newRow("static") << "br_fdb" << "02:00:00:00:00:91"
            << "02:00:00:00:00:91 dev pa dst  (-) vlan - vni - src_vni - port - via  master br0 flags  state static";
        QTest::newRow("extern_learn") << "br_fdb" << "02:00:00:00:00:92"
            << "02:00:00:00:00:92 dev pb dst  (-) vlan - vni - src_vni - port - via  master br0 flags extern_learn state ";
    }
    void fdb()
    {
        QFETCH(QString, base);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        for (auto form : {".txt", ".json"}) {
            auto r = parseBridgeFdb(readFixture(base + form));
            QVERIFY(r.ok());
            auto e = findFdb(r->entries, key);
            QVERIFY(e);
            QCOMPARE(describe(*e), expected);
        }
    }

    // Shapes this kernel cannot produce (no VLAN filtering), in iproute2's print format.
    void fdbShapes_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("vlan")
            << QByteArray("02:00:00:00:00:91 dev pa vlan 10 master br0 static\n")
            << "02:00:00:00:00:91 dev pa dst  (-) vlan 10 vni - src_vni - port - via  master br0 flags  state static";
        QTest::newRow("vni, port, via, stats")
            << QByteArray("66:00:00:00:00:01 dev vx0 dst 198.51.100.2 port 8472 vni 7 via eth1 used 10/20 self permanent\n")
            << "66:00:00:00:00:01 dev vx0 dst 198.51.100.2 (198.51.100.2) vlan - vni 7 src_vni - port 8472 via eth1 master  flags self state permanent";
        QTest::newRow("IPv6 dst, via ifindex, hex state")
            << QByteArray("66:00:00:00:00:01 dev vx0 dst 2001:db8::2 via ifindex 5 link-netnsid 0 self state 0x2\n")
            << "66:00:00:00:00:01 dev vx0 dst 2001:db8::2 (IPv6 2001:db8::2) vlan - vni - src_vni - port - via if5 master  flags self state 0x2";
        QTest::newRow("bare master flag")
            << QByteArray("66:00:00:00:00:01 dev vx0 master permanent\n")
            << "66:00:00:00:00:01 dev vx0 dst  (-) vlan - vni - src_vni - port - via  master  flags master state permanent";
        QTest::newRow("json, old dev key and viaIfIndex")
            << QByteArray(R"([{"mac":"66:00:00:00:00:01","dev":"vx0","vlan":10,"viaIfIndex":5,"flags":["self"]}])")
            << "66:00:00:00:00:01 dev vx0 dst  (-) vlan 10 vni - src_vni - port - via if5 master  flags self state ";
    }
    void fdbShapes()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        auto r = parseBridgeFdb(view(input));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
        QCOMPARE(int(r->entries.size()), 1);
        QCOMPARE(describe(r->entries.front()), expected);
    }

    void helpers()
    {
        auto n = parseIpNeigh(readFixture("a_neigh.txt"));
        QVERIFY(n.ok());
        QVERIFY(findNeighbour(n->neighbours, "198.18.40.0")->hasState("PERMANENT"));
        QVERIFY(!findNeighbour(n->neighbours, "198.18.40.0")->hasState("STALE"));
        auto f = parseBridgeFdb(readFixture("a_fdb_vxlan.json"));
        QVERIFY(f.ok());
        const auto &first = f->entries.front();
        QVERIFY(first.isPermanent() && first.hasFlag("self") && !first.hasFlag("master"));
    }

    // A line that is not an entry is skipped and named; the entries around it are kept.
    void skipped_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("fdb");
        QTest::addColumn<QString>("kept");     // addresses or MACs, in order
        QTest::addColumn<QString>("skipped");  // line numbers
        QTest::addColumn<QString>("excerpt");  // of the first skipped line
        const QByteArray neigh = QByteArray::fromStdString(readFixture("a_neigh.txt"));
        const QByteArray fdb = QByteArray::fromStdString(readFixture("a_fdb_vxlan.txt"));
        QTest::newRow("neigh: warning in the middle")
            << QByteArray(neigh).replace("198.51.100.2 dev", "sudo: unable to resolve host pplab-node1: Name or service "
                                                             "not known\n198.51.100.2 dev")
            << false << "198.51.100.99,198.18.40.0,198.51.100.2,198.51.100.254,fe80::ff:fe00:2" << "3"
            << "sudo: unable to resolve host pplab-node1: Name or service not known";
        QTest::newRow("neigh: bad address, line 2")
            << QByteArray("198.18.40.0 lladdr 66:0b:0b:0b:0b:02 PERMANENT\n300.1.2.3 dev eth0 FAILED\n") << false
            << "198.18.40.0" << "2" << "300.1.2.3 dev eth0 FAILED";
        QTest::newRow("neigh: last line cut in its address")
            << neigh.left(neigh.indexOf("198.51.100.254") + 8) << false << "198.51.100.99,198.18.40.0,198.51.100.2" << "4"
            << "198.51.1";
        QTest::newRow("neigh json: second element")
            << QByteArray("[{\"dst\":\"198.18.40.0\"},\n\n{\"dst\":null}]") << false << "198.18.40.0" << "3" << "{\"dst\":null}";
        QTest::newRow("fdb: short mac")
            << QByteArray("66:0b:0b dst 198.51.100.2 self permanent\n66:0b:0b:0b:0b:0 self\n") << true << "66:0b:0b" << "2"
            << "66:0b:0b:0b:0b:0 self";
        QTest::newRow("fdb: warning first")
            << "sudo: unable to resolve host pplab-node1: Name or service not known\n" + fdb << true
            << "00:00:00:00:00:00,66:0b:0b:0b:0b:02" << "1"
            << "sudo: unable to resolve host pplab-node1: Name or service not known";
        QTest::newRow("fdb: bad vni between entries")
            << QByteArray("00:00:00:00:00:00 dst 198.51.100.2 self permanent\n"
                          "66:0b:0b:0b:0b:03 dst 198.51.100.3 vni 4096x self permanent\n"
                          "66:0b:0b:0b:0b:02 dst 198.51.100.2 self permanent\n")
            << true << "00:00:00:00:00:00,66:0b:0b:0b:0b:02" << "2"
            << "66:0b:0b:0b:0b:03 dst 198.51.100.3 vni 4096x self permanent";
        QTest::newRow("fdb: last line cut in its MAC")
            << fdb.left(fdb.lastIndexOf("66:0b") + 13) << true << "00:00:00:00:00:00" << "2" << "66:0b:0b:0b:0";
        QTest::newRow("fdb json: bad element in the middle")
            << QByteArray(R"([{"mac":"00:00:00:00:00:00","dst":"198.51.100.2","flags":["self"],"state":"permanent"},)"
                          R"({"mac":"66:0b:0b:0b:0b:03","vlan":65536},)"
                          R"({"mac":"66:0b:0b:0b:0b:02","dst":"198.51.100.2","flags":["self"],"state":"permanent"}])")
            << true << "00:00:00:00:00:00,66:0b:0b:0b:0b:02" << "1" << R"({"mac":"66:0b:0b:0b:0b:03","vlan":65536})";
    }
    void skipped()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, fdb);
        QFETCH(QString, kept);
        QFETCH(QString, skipped);
        QFETCH(QString, excerpt);
        QStringList keys;
        std::vector<Error> unreadable;
        if (fdb) {
            auto r = parseBridgeFdb(view(input));
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
            for (const auto &e : r->entries)
                keys << q(e.mac);
            unreadable = r->unreadable;
        } else {
            auto r = parseIpNeigh(view(input));
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
            for (const auto &n : r->neighbours)
                keys << q(n.address);
            unreadable = r->unreadable;
        }
        QCOMPARE(keys.join(','), kept);
        QCOMPARE(skippedLines(unreadable), skipped);
        QCOMPARE(q(unreadable.front().context), excerpt);
        QVERIFY(!unreadable.front().message.empty());
    }

    // Output with nothing readable in it is no table: an Error on its first line.
    void malformed_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("fdb");
        QTest::addColumn<int>("line");
        QTest::newRow("neigh: old iproute2") << QByteArray("Object \"neigh\" is unknown, try \"ip help\".\n") << false << 1;
        QTest::newRow("neigh: only garbage, several lines")
            << QByteArray("\nsudo: unable to resolve host pplab-node1: Name or service not known\n"
                          "sudo: a password is required\n") << false << 2;
        QTest::newRow("neigh json: every element bad") << QByteArray("[\n{\"dst\":\"x\"},\n{\"dev\":\"eth0\"}]") << false << 2;
        QTest::newRow("fdb: not installed") << QByteArray("bash: line 1: bridge: command not found\n") << true << 1;
        QTest::newRow("neigh: prose") << QByteArray("Device \"vxlan.calico\" does not exist.\n") << false << 1;
        QTest::newRow("neigh: prefix is not an address") << QByteArray("198.18.0.0/24 dev eth0\n") << false << 1;
        QTest::newRow("neigh: binary") << QByteArray("\xff\xfe\x00\x01", 4) << false << 1;
        QTest::newRow("neigh json: no dst") << QByteArray(R"([{"dev":"eth0","state":["STALE"]}])") << false << 1;
        QTest::newRow("neigh json: bad dst") << QByteArray(R"([{"dst":"x"}])") << false << 1;
        QTest::newRow("neigh json: state not a list") << QByteArray(R"([{"dst":"198.18.40.0","state":"PERMANENT"}])") << false << 1;
        QTest::newRow("neigh json: lladdr a number") << QByteArray(R"([{"dst":"198.18.40.0","lladdr":6}])") << false << 1;
        QTest::newRow("neigh json: cut") << QByteArray("[{\"dst\":\"198.18.40.0\",\"dev\":\"vx") << false << 1;
        QTest::newRow("fdb: prose") << QByteArray("Cannot find device \"vxlan.calico\"\n") << true << 1;
        QTest::newRow("fdb: bad vlan") << QByteArray("02:00:00:00:00:01 dev pa vlan 70000 master br0\n") << true << 1;
        QTest::newRow("fdb: bad vni") << QByteArray("02:00:00:00:00:01 dev vx vni x self\n") << true << 1;
        QTest::newRow("fdb: bad port") << QByteArray("\n02:00:00:00:00:01 dev vx port -1 self\n") << true << 2;
        QTest::newRow("fdb json: no mac") << QByteArray(R"([{"ifname":"vx"}])") << true << 1;
        QTest::newRow("fdb json: bad mac") << QByteArray(R"([{"mac":"zz:00:00:00:00:00"}])") << true << 1;
        QTest::newRow("fdb json: vlan too big") << QByteArray(R"([{"mac":"02:00:00:00:00:01","vlan":65536}])") << true << 1;
        QTest::newRow("fdb json: flags a string") << QByteArray(R"([{"mac":"02:00:00:00:00:01","flags":"self"}])") << true << 1;
        QTest::newRow("fdb json: not a list") << QByteArray(R"("x")") << true << 1;
    }
    void malformed()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, fdb);
        QFETCH(int, line);
        auto s = view(input);
        Error e;
        if (fdb) {
            auto r = input.startsWith('"') ? parseBridgeFdbJson(s) : parseBridgeFdb(s);
            QVERIFY2(!r.ok(), qPrintable(r.ok() ? describe(*r) : QString()));
            e = r.error();
        } else {
            auto r = parseIpNeigh(s);
            QVERIFY2(!r.ok(), qPrintable(r.ok() ? describe(*r) : QString()));
            e = r.error();
        }
        QCOMPARE(e.line, line);
        QVERIFY(!e.message.empty());
    }

    void truncated_data()
    {
        QTest::addColumn<QString>("file");
        for (auto f : {"a_neigh_all.txt", "a_neigh_all.json", "a_neigh_s.txt", "br_fdb.txt", "br_fdb.json", "a_fdb.txt"})
            QTest::newRow(f) << f;
    }
    void truncated()
    {
        QFETCH(QString, file);
        auto full = readFixture(file);
        bool json = file.endsWith(".json");
        bool fdb = file.contains("fdb");
        int lines = int(std::count(full.begin(), full.end(), '\n')) + 1;
        for (std::size_t cut = 1; cut + 1 < full.size(); ++cut) {
            auto part = std::string_view(full).substr(0, cut);
            bool ok = false;
            int line = 0;
            if (fdb) {
                auto r = parseBridgeFdb(part);
                ok = r.ok();
                line = ok ? 0 : r.error().line;
            } else {
                auto r = parseIpNeigh(part);
                ok = r.ok();
                line = ok ? 0 : r.error().line;
            }
            if (json)
                QVERIFY2(!ok, qPrintable(QString("cut at %1").arg(cut)));
            else if (!ok)
                QVERIFY(line >= 1 && line <= lines);
        }
    }

    void empty_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("nothing") << QByteArray();
        QTest::newRow("blank lines") << QByteArray("\n\r\n  \n");
        QTest::newRow("json empty list") << QByteArray("[]");
    }
    void empty()
    {
        QFETCH(QByteArray, input);
        auto n = parseIpNeigh(view(input));
        auto f = parseBridgeFdb(view(input));
        QVERIFY(n.ok() && n->neighbours.empty() && n->unreadable.empty());
        QVERIFY(f.ok() && f->entries.empty() && f->unreadable.empty());
    }

    void oversized()
    {
        std::string big(podpath::text::kMaxInputBytes + 1, 'a');
        QVERIFY(!parseIpNeighText(big).ok());
        QVERIFY(!parseIpNeighJson(big).ok());
        QVERIFY(!parseBridgeFdbText(big).ok());
        QVERIFY(!parseBridgeFdbJson(big).ok());
        QVERIFY(!parseIpNeigh(big).ok());
        QVERIFY(!parseBridgeFdb(big).ok());
    }
};

QTEST_GUILESS_MAIN(TestIpNeigh)
#include "tst_ip_neigh.moc"
