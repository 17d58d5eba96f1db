// The cluster matrix end to end: the lab brings up four real nodes, a fault breaks one pair
// (or one node), and `podpath matrix` must fail exactly the cells it breaks, at the hop and
// with the finding the two-node diagnosis gives them, and pass every other pair.

#include "lab_access.h"
#include "process_run.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

namespace {

const QString kLab = QStringLiteral(PODPATH_LAB_DIR "/lab");
const QString kRun = QStringLiteral(PODPATH_LAB_DIR "/run");
constexpr int kNodes = 4;

QJsonArray matrixFaults()
{
    QFile f(QStringLiteral(PODPATH_LAB_DIR "/faults.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object()["matrixFaults"].toArray();
}

podpath::testing::ProcessRun lab(const QStringList &args)
{
    return podpath::testing::runProcess(kLab, args, 300000);
}

bool wholeCatalogue() { return qEnvironmentVariable("PODPATH_CATALOGUE") == QLatin1String("full"); }

} // namespace

class TestMatrixLab : public QObject {
    Q_OBJECT
    QString m_mode;

    // `mode`: the lab's mode and any more of `up`'s options ("vxlan --wireguard").
    void labUp(const QString &mode)
    {
        if (mode == m_mode)
            return;
        // A running lab keeps the options it was brought up with: the ones rows vary are
        // reset first (a later word wins).
        const auto up = lab(QStringList{"up", "--nodes", QString::number(kNodes), "--tcpdump", "current", "--no-wireguard",
                                        "--mode"} +
                            mode.split(' '));
        QVERIFY2(up.ok(), up.failure("lab up").constData());
        m_mode = mode;
    }

private slots:
    void cleanupTestCase() { (void)lab({"fault", "clear"}); }

    void pairsFromOneBurst_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("user");    // the login on every node
        QTest::addColumn<bool>("deadNode");   // a fifth node nobody answers for
        // "client>server hop CODE" for every failing cell (nodes from 1); the rest pass.
        QTest::addColumn<QStringList>("failing");
        QTest::addColumn<int>("exit");
        QTest::addColumn<QString>("pattern");  // the pattern the failing cells make; empty: none
        QTest::newRow("vxlan healthy") << "vxlan" << "" << "root" << false << QStringList{} << 0 << QString();
        // Sudo restricted to named commands: every ping of the burst goes through sudo.
        QTest::newRow("vxlan healthy, restricted sudo") << "vxlan" << "" << "ppsudo" << false << QStringList{} << 0 << QString();
        QTest::newRow("vxlan, a node not reached") << "vxlan" << "" << "root" << true << QStringList{} << 2 << QString();
        QTest::newRow("vxlan iptables-drop-server-request")
            << "vxlan" << "iptables-drop-server-request" << "root" << false
            << QStringList{"1>2 request.server.tunnel IPTABLES_DROP", "2>1 reply.client.tunnel IPTABLES_DROP"} << 1 << "PAIR_FAILS";
        QTest::newRow("vxlan node-unreachable")
            << "vxlan" << "node-unreachable" << "root" << false
            << QStringList{"1>2 request.server.ingress NODE_UNREACHABLE", "2>1 request.server.ingress NODE_UNREACHABLE"} << 1 << "PAIR_FAILS";
        QTest::newRow("vxlan ipset-missing-client")
            << "vxlan" << "ipset-missing-client" << "root" << false
            << QStringList{"1>2 request.server.tunnel SOURCE_NOT_IN_HOSTS_IPSET",
                           "2>1 reply.client.tunnel SOURCE_NOT_IN_HOSTS_IPSET"}
            << 1 << "PAIR_FAILS";
        QTest::newRow("vxlan route-missing")
            << "vxlan" << "route-missing" << "root" << false
            << QStringList{"1>2 request.client.tunnel ROUTE_MISSING", "2>1 reply.server.tunnel ROUTE_MISSING"} << 1 << "PAIR_FAILS";
        // One node's tunnel down: its whole row and column, nothing else.
        QTest::newRow("vxlan tunnel-down (one node)")
            << "vxlan" << "tunnel-down" << "root" << false
            << QStringList{"1>2 request.server.tunnel TUNNEL_DOWN", "2>1 request.client.tunnel TUNNEL_DOWN",
                           "2>3 request.client.tunnel TUNNEL_DOWN", "2>4 request.client.tunnel TUNNEL_DOWN",
                           "3>2 request.server.tunnel TUNNEL_DOWN", "4>2 request.server.tunnel TUNNEL_DOWN"}
            << 1 << "NODE_CUT_OFF";
        // tcpdump before 4.99 (no interface on -i any): one capture per device on every node.
        QTest::newRow("vxlan healthy, tcpdump 4.9") << "vxlan --tcpdump 4.9" << "" << "root" << false << QStringList{} << 0 << QString();
        QTest::newRow("vxlan iptables-drop-server-request, tcpdump 4.9")
            << "vxlan --tcpdump 4.9" << "iptables-drop-server-request" << "root" << false
            << QStringList{"1>2 request.server.tunnel IPTABLES_DROP", "2>1 reply.client.tunnel IPTABLES_DROP"} << 1 << "PAIR_FAILS";
        // WireGuard between every pair: the burst's echoes sealed on the underlay.
        QTest::newRow("vxlan healthy, WireGuard") << "vxlan --wireguard" << "" << "root" << false << QStringList{} << 0 << QString();
        // node1's WireGuard device lost its peer for node2: node1's requests to node2 leave
        // nowhere, node2's sealed requests arrive and are never opened; the other pairs pass.
        QTest::newRow("vxlan wg-peer-missing, WireGuard")
            << "vxlan --wireguard" << "wg-peer-missing" << "root" << false
            << QStringList{"1>2 request.client.egress WIREGUARD_PEER_MISSING", "2>1 request.server.tunnel WIREGUARD_PEER_MISSING"}
            << 1 << "PAIR_FAILS";
        QTest::newRow("ipip healthy") << "ipip" << "" << "root" << false << QStringList{} << 0 << QString();
    }
    // The lab's faults that touch part of a cluster (faults.json "matrixFaults"): each in
    // each mode, with the cells and the pattern the catalogue records.
    void subsetFaults_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("user");
        QTest::addColumn<bool>("deadNode");
        QTest::addColumn<QStringList>("failing");
        QTest::addColumn<int>("exit");
        QTest::addColumn<QString>("pattern");
        for (const auto &v : matrixFaults()) {
            const QJsonObject f = v.toObject();
            for (const auto &m : f["modes"].toArray()) {
                const QString mode = m.toString();
                // CI runs each subset fault once (VXLAN); the whole catalogue (podpath-dev
                // test --full) runs it in every mode.
                if (mode != QLatin1String("vxlan") && !wholeCatalogue())
                    continue;
                const QJsonObject e = f["expected"].toObject()[mode].toObject();
                QStringList failing;
                for (const auto &c : e["failing"].toArray()) {
                    const QJsonObject cell = e["cells"].toObject()[c.toString()].toObject();
                    failing << c.toString() + " " +
                                   (cell["firstFailingHop"].isString() ? cell["firstFailingHop"].toString() : QStringLiteral("")) +
                                   " " + cell["code"].toString();
                }
                QTest::newRow(qPrintable(mode + " " + f["name"].toString()))
                    << mode << f["name"].toString() << "root" << false << failing << 1 << e["pattern"].toString();
            }
        }
    }
    void subsetFaults() { pairsFromOneBurst(); }

    void pairsFromOneBurst()
    {
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        QFETCH(QString, user);
        QFETCH(bool, deadNode);
        QFETCH(QStringList, failing);
        QFETCH(int, exit);
        QFETCH(QString, pattern);
        labUp(mode);
        const bool subset = QTest::currentTestFunction() == QLatin1String("subsetFaults");
        const auto applied = fault.isEmpty() ? lab({"fault", "clear"}) : lab({subset ? "matrix-fault" : "fault", fault});
        QVERIFY2(applied.ok(), applied.failure("lab fault").constData());

        const auto env = lab({"env", "--json"});
        QVERIFY2(env.ok(), env.failure("lab env").constData());
        QStringList args{"matrix", "--ssh-config", kRun + "/ssh_config", "--known-hosts", kRun + "/known_hosts",
                         "--identity", kRun + "/keys/id_ed25519", "--json", "-", "--quiet"};
        const QJsonArray nodes = QJsonDocument::fromJson(env.out).object()["nodes"].toArray();
        QCOMPARE(nodes.size(), kNodes);
        for (const auto &n : nodes)
            args << user + "@" + n.toObject()["host"].toString();
        if (deadNode)
            args << QStringLiteral("root@127.0.0.1:1");  // refused at once: nothing listens there
        const auto run = podpath::testing::runProcess(QStringLiteral(PODPATH_BINARY), args, 120000);
        QVERIFY2(run.exitCode == 0 || run.exitCode == 1 || run.exitCode == 2, run.failure("podpath matrix").constData());

        const QJsonObject m = QJsonDocument::fromJson(run.out).object();
        const int total = kNodes + (deadNode ? 1 : 0);
        QCOMPARE(m["nodes"].toArray().size(), total);
        QCOMPARE(m["summary"].toObject()["pairs"].toInt(), total * (total - 1));
        QCOMPARE(m["summary"].toObject()["judged"].toInt(), kNodes * (kNodes - 1));
        if (deadNode)
            QVERIFY(!m["nodes"].toArray().last().toObject()["problem"].toString().isEmpty());
        QStringList got, why;  // why: each cell's first finding in full, for a failure's message
        for (const auto &v : m["pairs"].toArray()) {
            const QJsonObject p = v.toObject();
            const QString cell = QString::number(p["client"].toInt() + 1) + ">" + QString::number(p["server"].toInt() + 1);
            const QString verdict = p["verdict"].toString();
            if (verdict == QLatin1String("pass"))
                continue;
            const QJsonArray findings = p["diagnosis"].toObject()["findings"].toArray();
            got << cell + " " + p["firstFailingHop"].toString() + " " +
                       (findings.isEmpty() ? QStringLiteral("-") : findings.first().toObject()["code"].toString()) +
                       (verdict == QLatin1String("fail") ? "" : " (" + verdict + ")");
            why << cell + ": " + (findings.isEmpty() ? QStringLiteral("no finding") : findings.first().toObject()["message"].toString());
        }
        got.sort();
        failing.sort();
        QVERIFY2(got == failing && run.exitCode == exit,
                 qPrintable(QStringLiteral("exit %1 (expected %2); cells not passing: %3 (expected: %4); %5")
                                .arg(run.exitCode)
                                .arg(exit)
                                .arg(got.join(", "), failing.join(", "), why.join(" | "))));
        // Said once: the pattern that explains the failing cells, all of them.
        const QJsonArray patterns = m["patterns"].toArray();
        if (pattern.isEmpty()) {
            QVERIFY(failing.isEmpty() || !patterns.isEmpty());
        } else {
            QVERIFY2(!patterns.isEmpty(), "no pattern");
            QCOMPARE(patterns.first().toObject()["code"].toString(), pattern);
            QCOMPARE(patterns.first().toObject()["cells"].toArray().size(), failing.size());
        }
    }
};

PODPATH_TEST_GUILESS_MAIN_UNLESS(TestMatrixLab, podpath::testing::whyNoLab())
#include "tst_matrix_lab.moc"
