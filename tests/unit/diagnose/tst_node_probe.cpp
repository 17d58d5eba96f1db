// "Test connection" on recorded lab sessions (tests/fixtures/sessions): the facts the
// NODES screen shows must be the lab's own (tests/lab/README.md: node i is
// pplab-nodeI, eth0 198.51.100.(10+i), tunnel IP node1 198.18.10.64, node2
// 198.18.20.128; tunl0 in IPIP, vxlan.calico in VXLAN), and what would stop a
// diagnosis must come out as a problem with the diagnosis' own code.

#include "diagnose/node_probe.h"
#include "remote/replay_node_shell.h"
#include "replayed.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace podpath;

namespace {

remote::SessionRecording recording(const QString &session, const QString &node)
{
    auto r = remote::ReplayNodeShell::loadRecording(
        (QStringLiteral(PODPATH_FIXTURES "/sessions/") + session + "/" + node + ".json").toStdString());
    if (!r.ok())
        qFatal("cannot load %s/%s: %s", qPrintable(session), qPrintable(node), r.error().oneLine().c_str());
    return std::move(r).value();
}

QStringList codes(const diagnose::NodeProbe &p)
{
    QStringList out;
    for (const auto &e : p.problems)
        out << QString::fromStdString(e.code);
    return out;
}

void dropCommand(remote::SessionRecording &rec, const std::string &prefix)
{
    std::erase_if(rec.commands, [&](const auto &c) { return c.commandLine.starts_with(prefix); });
}

} // namespace

class TestNodeProbe : public QObject {
    Q_OBJECT
private slots:
    void recordedNodes_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("node");
        QTest::addColumn<QString>("hostname");
        QTest::addColumn<QString>("nodeIp");
        QTest::addColumn<QString>("tunnelDevice");
        QTest::addColumn<QString>("tunnelIp");
        QTest::addColumn<QString>("encapsulation");
        QTest::addColumn<bool>("tcpdump");
        QTest::addColumn<QString>("firewall");
        QTest::addColumn<QStringList>("problems");

        const QStringList sessions =
            QDir(QStringLiteral(PODPATH_FIXTURES "/sessions")).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        QVERIFY(sessions.size() >= 10);
        for (const QString &s : sessions) {
            const bool vxlan = s.startsWith("vxlan-");
            // Recorded before the engine went on without tcpdump: no firewall was read.
            const bool stoppedEarly = testing::kRecordedBeforeDegrading.contains(s);
            // The fault takes tcpdump away on the server only.
            const bool tcpdumpGone = s.endsWith("-tcpdump-missing");
            for (const QString &node : {QStringLiteral("client"), QStringLiteral("server")}) {
                const bool one = node == "client";
                // A node whose tunnel the fault took away or down is not a node to read
                // healthy facts from; tst_diagnosis_replay judges those runs.
                if ((one && s.endsWith("-tunnel-missing")) || (!one && s.endsWith("-tunnel-down")))
                    continue;
                const bool noTcpdump = tcpdumpGone && !one;
                QTest::newRow(qPrintable(s + "/" + node))
                    << s << node << (one ? "pplab-node1" : "pplab-node2") << (one ? "198.51.100.11" : "198.51.100.12")
                    << (vxlan ? "vxlan.calico" : "tunl0") << (one ? "198.18.10.64" : "198.18.20.128")
                    << (vxlan ? "vxlan" : "ipip") << !noTcpdump << (stoppedEarly ? "" : "iptables-nft")
                    << (noTcpdump ? QStringList{"TCPDUMP_MISSING"} : QStringList{});
            }
        }
    }
    void recordedNodes()
    {
        QFETCH(QString, session);
        QFETCH(QString, node);
        remote::ReplayNodeShell shell(recording(session, node));
        auto probe = diagnose::probeNode(shell, "root@node", {node == "client" ? diagnose::NodeRole::Client
                                                                               : diagnose::NodeRole::Server});
        QVERIFY2(probe.ok(), probe.ok() ? "" : probe.error().oneLine().c_str());
        const diagnose::NodeFacts &f = probe->facts;
        QCOMPARE(QString::fromStdString(f.host), QStringLiteral("root@node"));
        QTEST(QString::fromStdString(f.hostname), "hostname");
        QTEST(QString::fromStdString(diagnose::ipText(f.nodeIp)), "nodeIp");
        QCOMPARE(QString::fromStdString(f.underlayDevice), QStringLiteral("eth0"));
        QTEST(QString::fromStdString(f.tunnelDevice), "tunnelDevice");
        QTEST(QString::fromStdString(diagnose::ipText(f.tunnelIp)), "tunnelIp");
        QVERIFY(f.tunnelUp);
        QTEST(QString::fromLatin1(diagnose::toString(probe->encapsulation).data()), "encapsulation");
        QCOMPARE(QString::fromStdString(f.privilege), QStringLiteral("root"));
        QCOMPARE(QString::fromStdString(probe->user), QStringLiteral("root"));
        QTEST(f.hasTcpdump, "tcpdump");
        QCOMPARE(probe->tcpdumpVersion.empty(), !f.hasTcpdump);
        QTEST(QString::fromStdString(f.firewallBackend), "firewall");
        QTEST(codes(*probe), "problems");
        QCOMPARE(probe->ready(), probe->problems.empty());
        for (const auto &e : probe->problems)
            QVERIFY2(!e.message.empty() && !e.nextStep.empty(), e.oneLine().c_str());
        // Everything that ran is kept for "show the commands", under this node's role.
        QVERIFY(probe->commands.size() >= 5);
        for (const auto &c : probe->commands)
            QCOMPARE(QString::fromStdString(c.node), node);
        // Only reads: the probe asks for nothing the diagnosis' discovery does not.
        for (const auto &c : probe->commands)
            QVERIFY2(c.command.find("ping") == std::string::npos && c.command.find("-w -") == std::string::npos,
                     c.command.c_str());
    }

    // What a damaged session does to the probe: an Error when nothing can be shown, a
    // problem next to the facts otherwise.
    void damaged_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<bool>("fails");
        QTest::addColumn<QString>("code");  // of the Error, or the one problem
        QTest::newRow("no uname") << "uname" << true << "REPLAY_NO_MATCH";
        QTest::newRow("no ip addr") << "addr" << true << "";
        QTest::newRow("no routes") << "route" << false << "NO_ROUTES";
        QTest::newRow("login without root or sudo") << "privilege" << false << "NO_PRIVILEGE";
        QTest::newRow("tcpdump does not run") << "tcpdump" << false << "TOOLS_UNREADABLE";
        QTest::newRow("no tunnel device") << "tunnel" << false << "NO_TUNNEL_DEVICE";
        QTest::newRow("session gone") << "everything" << true << "REPLAY_NO_MATCH";
    }
    void damaged()
    {
        QFETCH(QString, damage);
        QFETCH(bool, fails);
        QFETCH(QString, code);
        remote::SessionRecording rec = recording("ipip-healthy", "client");
        if (damage == "uname")
            dropCommand(rec, "uname");
        else if (damage == "addr")
            dropCommand(rec, "ip -d");
        else if (damage == "route")
            dropCommand(rec, "ip -j route");
        else if (damage == "privilege")
            rec.node.privilege = remote::Privilege::None;
        else if (damage == "tcpdump")
            dropCommand(rec, "tcpdump --version");
        else if (damage == "everything")
            rec.commands.clear();
        else if (damage == "tunnel") {
            // The same node with its tunnel device gone (the lab's tunnel-missing fault).
            for (auto &c : rec.commands) {
                if (c.commandLine != "ip -d -j addr show")
                    continue;
                QJsonArray kept;
                for (const auto &v : QJsonDocument::fromJson(QByteArray::fromStdString(c.result->out)).array())
                    if (v.toObject()["ifname"].toString() != "tunl0")
                        kept.append(v);
                QVERIFY(kept.size() >= 2);
                c.result->out = QJsonDocument(kept).toJson().toStdString();
            }
        }
        remote::ReplayNodeShell shell(std::move(rec));
        auto probe = diagnose::probeNode(shell, "node1");
        QCOMPARE(!probe.ok(), fails);
        if (fails) {
            QVERIFY(!probe.error().message.empty());
            if (!code.isEmpty())
                QCOMPARE(QString::fromStdString(probe.error().code), code);
            return;
        }
        QCOMPARE(codes(*probe), QStringList{code});
        QVERIFY(!probe->ready());
        QVERIFY(!probe->problems.front().nextStep.empty());
        // What could be read is still there.
        QCOMPARE(QString::fromStdString(probe->facts.hostname), QStringLiteral("pplab-node1"));
        QCOMPARE(QString::fromStdString(diagnose::ipText(probe->facts.nodeIp)), QStringLiteral("198.51.100.11"));
        if (damage == "tunnel") {
            QVERIFY(probe->encapsulation == diagnose::Encapsulation::None);
            QVERIFY(probe->facts.tunnelDevice.empty());
            QVERIFY(QString::fromStdString(probe->problems.front().message).contains("pplab-node1"));
        }
        if (damage == "privilege")
            QCOMPARE(QString::fromStdString(probe->facts.privilege), QStringLiteral("none"));
    }

    // The firewall read is optional: without it no iptables command runs.
    void withoutFirewall()
    {
        remote::ReplayNodeShell shell(recording("ipip-healthy", "server"));
        diagnose::ProbeOptions o;
        o.role = diagnose::NodeRole::Server;
        o.readFirewall = false;
        auto probe = diagnose::probeNode(shell, "node2", o);
        QVERIFY(probe.ok());
        QVERIFY(probe->facts.firewallBackend.empty());
        for (const auto &c : probe->commands)
            QVERIFY(c.command.find("iptables") == std::string::npos);
        QVERIFY(shell.unmatched().empty());
    }
};

QTEST_GUILESS_MAIN(TestNodeProbe)
#include "tst_node_probe.moc"
