// One tool missing on one node costs only what needed it. Each row replays a healthy lab
// recording (tests/fixtures/sessions) with one command's answer turned into the shell's
// "not found" (exit 127), as a node without that tool answers, and checks that the rest
// of the diagnosis was still read and judged, that only what depended on the tool has no
// evidence, and that the verdict is honest about it.

#include "diagnose/engine.h"
#include "remote/replay_node_shell.h"

#include <QMap>
#include <QtTest>

using namespace podpath;
using diagnose::Status;

namespace {

remote::SessionRecording recording(const QString &session, const QString &node)
{
    auto r = remote::ReplayNodeShell::loadRecording(
        (QStringLiteral(PODPATH_FIXTURES "/sessions/") + session + "/" + node + ".json").toStdString());
    if (!r.ok())
        qFatal("cannot load %s/%s: %s", qPrintable(session), qPrintable(node), r.error().oneLine().c_str());
    return std::move(r).value();
}

// Every recorded run of a command starting with `prefix` answers as on a node without it.
int withoutTool(remote::SessionRecording &rec, const std::string &prefix)
{
    int changed = 0;
    for (auto &c : rec.commands) {
        if (!c.commandLine.starts_with(prefix))
            continue;
        const std::string tool = c.commandLine.substr(0, c.commandLine.find(' '));
        remote::CommandResult r;
        r.exitStatus = 127;
        r.err = "timeout: failed to run command '" + tool + "': No such file or directory\n";
        c.result = r;
        c.error.reset();
        ++changed;
    }
    return changed;
}

// One more answer in a recording, as the node gave it.
void addAnswer(remote::SessionRecording &rec, const std::string &line, int status, const std::string &out,
               const std::string &err = {})
{
    remote::RecordedCommand c;
    c.commandLine = line;
    c.asRoot = true;
    remote::CommandResult r;
    r.exitStatus = status;
    r.out = out;
    r.err = err;
    c.result = r;
    rec.commands.push_back(std::move(c));
}

QString statusText(Status s) { return QString::fromLatin1(diagnose::toString(s).data()); }

using Checks = QMap<QString, QString>;

} // namespace

class TestDegradedRun : public QObject {
    Q_OBJECT
private slots:
    void oneToolMissing_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("node");       // where the tool is missing
        QTest::addColumn<QString>("command");    // the commands that now answer "not found"
        QTest::addColumn<QString>("clientHops"); // status of the client's four hops
        QTest::addColumn<QString>("serverHops");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<Checks>("checks");      // the checks this row is about; the others pass
        QTest::addColumn<QStringList>("codes");  // the findings, in order
        QTest::addColumn<QString>("saysIn");     // a check id, or "verdict" for the verdict's line
        QTest::addColumn<QString>("says");       // what it says about the missing tool

        for (const QString mode : {"ipip", "vxlan"}) {
            const QString healthy = mode + "-healthy";
            QTest::newRow(qPrintable(mode + ": no tcpdump on the server"))
                << healthy << "server" << "tcpdump" << "pass" << "unknown" << "incomplete" << Checks{}
                << QStringList{"TCPDUMP_MISSING"} << "verdict" << "tcpdump is not installed on the server";
            QTest::newRow(qPrintable(mode + ": no tcpdump on the client"))
                << healthy << "client" << "tcpdump" << "unknown" << "pass" << "incomplete" << Checks{}
                << QStringList{"TCPDUMP_MISSING"} << "verdict" << "tcpdump is not installed on the client";
            QTest::newRow(qPrintable(mode + ": no ping on the client"))
                << healthy << "client" << "ping" << "unknown" << "unknown" << "incomplete"
                << Checks{{"underlay.ping", "unknown"}, {"tunnel.ping", "unknown"}, {"tunnel.full-size", "unknown"}} << QStringList{} << "tunnel.ping"
                << "ping is not installed on the client";
            QTest::newRow(qPrintable(mode + ": no ipset on the server"))
                << healthy << "server" << "ipset" << "pass" << "pass" << "pass" << Checks{{"ipset.server", "unknown"}}
                << QStringList{} << "ipset.server" << "ipset is not installed on pplab-node2";
            QTest::newRow(qPrintable(mode + ": no iptables on the server"))
                << healthy << "server" << "iptables" << "pass" << "pass" << "pass"
                << Checks{{"iptables.server", "unknown"}, {"ipset.server", "unknown"}} << QStringList{} << "iptables.server"
                << "could not read the firewall: `iptables-save -c` is not installed; `iptables-legacy-save -c` is not installed; `nft list ruleset` shows no Calico table";
            QTest::newRow(qPrintable(mode + ": no routes on the server"))
                << healthy << "server" << "ip -j route" << "pass" << "pass" << "pass"
                << Checks{{"route.server", "unknown"}} << QStringList{} << "route.server" << "routing table could not be read";
        }
    }
    void oneToolMissing()
    {
        QFETCH(QString, session);
        QFETCH(QString, node);
        QFETCH(QString, command);
        QFETCH(QString, clientHops);
        QFETCH(QString, serverHops);
        QFETCH(QString, verdict);
        QFETCH(Checks, checks);
        QFETCH(QStringList, codes);
        QFETCH(QString, saysIn);
        QFETCH(QString, says);

        remote::SessionRecording c = recording(session, "client"), s = recording(session, "server");
        QVERIFY(withoutTool(node == "client" ? c : s, command.toStdString()) > 0);
        if (command == QLatin1String("iptables")) {
            // A node without iptables whose nft works and holds no Calico table: the
            // problem says what each dump answered, not that nft failed.
            addAnswer(node == "client" ? c : s, "iptables-legacy-save -c", 127,
                      {}, "timeout: failed to run command 'iptables-legacy-save': No such file or directory\n");
            addAnswer(node == "client" ? c : s, "nft list ruleset", 0,
                      "table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n");
        }
        remote::ReplayNodeShell client(std::move(c)), server(std::move(s));
        diagnose::DiagnosisEngine engine({"root@198.51.100.11", &client}, {"root@198.51.100.12", &server});
        std::vector<diagnose::StepReport> steps;
        std::mutex stepsMutex;
        engine.setProgressSink([&](const diagnose::StepReport &r) {
            std::lock_guard lock(stepsMutex);
            steps.push_back(r);
        });
        const diagnose::Diagnosis d = engine.run().diagnosis;

        // Discovery's facts are all there.
        QCOMPARE(QString::fromLatin1(diagnose::toString(d.mode).data()), session.section('-', 0, 0));
        QCOMPARE(diagnose::ipText(d.client.nodeIp), std::string("198.51.100.11"));
        QCOMPARE(diagnose::ipText(d.server.nodeIp), std::string("198.51.100.12"));
        QVERIFY(d.client.tunnelIp && d.server.tunnelIp && !d.server.tunnelDevice.empty());
        // The recipe went on to the end: every step ran, the burst and the logs included.
        for (const char *step : {"diagnose/burst and logs/burst/burst and sets/ping burst", "diagnose/burst and logs/burst/stop and count/firewall after",
                                 "diagnose/burst and logs/logs/server"}) {
            const auto it = std::find_if(steps.begin(), steps.end(), [&](const auto &r) {
                return r.path == step && r.state != diagnose::StepState::Started;
            });
            QVERIFY2(it != steps.end(), step);
            QCOMPARE(QString::fromLatin1(diagnose::toString(it->state)), QStringLiteral("ok"));
        }
        // Only what needed the tool has no evidence.
        for (const auto &h : d.hops) {
            const QString want = diagnose::hopInfo(h.id).node == diagnose::NodeRole::Client ? clientHops : serverHops;
            QCOMPARE(QString::fromLatin1(diagnose::hopInfo(h.id).key.data()) + "=" + statusText(h.status),
                     QString::fromLatin1(diagnose::hopInfo(h.id).key.data()) + "=" + want);
        }
        for (const auto &check : d.checks) {
            const QString id = QString::fromStdString(check.id);
            const QString want = checks.value(id, id.startsWith("logs.") ? statusText(check.status) : "pass");
            QCOMPARE(id + "=" + statusText(check.status), id + "=" + want);
            if (id == saysIn)
                QVERIFY2(QString::fromStdString(check.detail).contains(says), check.detail.c_str());
        }
        // The verdict: never healthy without evidence at every hop, never "could not diagnose".
        QCOMPARE(QString::fromLatin1(diagnose::toString(d.verdict).data()), verdict);
        QCOMPARE(d.exitStatus(), verdict == "pass" ? 0 : 2);
        if (saysIn == "verdict")
            QVERIFY2(QString::fromStdString(d.error).contains(says), d.error.c_str());

        QStringList found;
        for (const auto &f : d.findings)
            found << QString::fromStdString(f.code);
        QCOMPARE(found, codes);
        for (const auto &f : d.findings) {
            // One clean sentence; the node's own words go into the evidence.
            QCOMPARE(QString::fromStdString(f.blames), "capture." + node);
            QCOMPARE(QString::fromLatin1(diagnose::toString(f.severity).data()), QStringLiteral("warning"));
            QVERIFY2(f.message.find("failed to run command") == std::string::npos, f.message.c_str());
            QVERIFY2(f.message.find(node == "client" ? "pplab-node1" : "pplab-node2") != std::string::npos, f.message.c_str());
            QCOMPARE(f.evidence.size(), std::size_t(1));
            QVERIFY2(f.evidence.front().find("exit 127: timeout: failed to run command 'tcpdump'") != std::string::npos,
                     f.evidence.front().c_str());
            QVERIFY2(f.nextStep.find("apt-get install tcpdump") != std::string::npos, f.nextStep.c_str());
        }
        // Nothing was asked that a node with the tool would not have been asked, except
        // the text forms PodPath falls back on when the JSON read failed.
        if (command != "ip -j route" && command != "iptables")
            QCOMPARE(client.unmatched().size() + server.unmatched().size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestDegradedRun)
#include "tst_degraded_run.moc"
