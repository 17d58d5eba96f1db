// The whole engine on recorded sessions of real lab runs (tests/fixtures/sessions): no
// root, no network, deterministic. Expected outcomes come from the lab's catalogue, the
// same ground truth the end-to-end test uses.

#include "diagnose/engine.h"
#include "remote/replay_node_shell.h"
#include "lab_catalogue.h"
#include "replayed.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace podpath;


class TestDiagnosisReplay : public QObject {
    Q_OBJECT

    // What a recording from before the engine went on without tcpdump still proves: the
    // discovery it holds is judged, the commands it lacks are named as not recorded, and
    // nothing is called healthy.
    static void staleTcpdumpMissing(const diagnose::Diagnosis &d, const QString &mode)
    {
        using diagnose::Status;
        QCOMPARE(QString::fromLatin1(diagnose::toString(d.verdict).data()), QStringLiteral("incomplete"));
        QCOMPARE(d.exitStatus(), 2);
        QCOMPARE(QString::fromStdString(d.mode == diagnose::Encapsulation::Vxlan ? "vxlan" : "ipip"), mode);
        QCOMPARE(diagnose::ipText(d.server.nodeIp), std::string("198.51.100.12"));
        for (const char *id : {"route.client", "route.server", "tunnel.client", "tunnel.server"})
            QCOMPARE(std::string(id) + "=" + std::string(diagnose::toString(d.check(id)->status)), std::string(id) + "=pass");
        QVERIFY(d.check("underlay.ping")->status == Status::Unknown);
        QVERIFY2(d.check("underlay.ping")->detail.find("was not recorded") != std::string::npos,
                 d.check("underlay.ping")->detail.c_str());
        QCOMPARE(d.findings.size(), std::size_t(1));
        QCOMPARE(d.findings.front().code, std::string("TCPDUMP_MISSING"));
        for (const auto &h : d.hops)
            QVERIFY(h.status == Status::Unknown);
    }

private slots:
    void replay_data()
    {
        QTest::addColumn<QString>("dir");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("backends");  // client's and server's firewall as read; empty: not asserted
        QDir root(QStringLiteral(PODPATH_FIXTURES "/sessions"));
        const auto dirs = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        QVERIFY(dirs.size() >= 10);
        for (const QString &d : dirs) {
            const QString mode = d.section('-', 0, 0);
            const QString fault = d.section('-', 1);
            QTest::newRow(qPrintable(d)) << root.filePath(d) << mode << fault << QString();
        }
        // The firewalls besides iptables-nft (tests/fixtures/dataplane-sessions, recorded
        // by its record.sh with `lab up --dataplane`): DATAPLANE-MODE-FAULT, each node's
        // firewall read as what it is.
        QDir other(QStringLiteral(PODPATH_FIXTURES "/dataplane-sessions"));
        const QMap<QString, QString> backends{{"nftables", "nftables nftables"},
                                              {"iptables-legacy", "iptables-legacy iptables-legacy"},
                                              {"mixed", "iptables-legacy iptables-nft"},
                                              {"ebpf", "ebpf ebpf"},
                                              // not a firewall: the nodes on two subnets (iptables-nft)
                                              {"two-subnets", "iptables-nft iptables-nft"},
                                              {"dual-stack", "iptables-nft iptables-nft"},
                                              {"wireguard", "iptables-nft iptables-nft"}};
        int rows = 0;
        for (const QString &d : other.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            for (auto it = backends.begin(); it != backends.end(); ++it)
                if (d.startsWith(it.key() + '-')) {
                    const QString rest = d.mid(it.key().size() + 1);
                    QTest::newRow(qPrintable(d)) << other.filePath(d) << rest.section('-', 0, 0) << rest.section('-', 1)
                                                 << it.value();
                    ++rows;
                }
        QVERIFY(rows >= 10);
    }
    void replay()
    {
        QFETCH(QString, dir);
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        QFETCH(QString, backends);
        const QJsonObject expected = testing::catalogueExpectation(mode, fault);
        QVERIFY2(!expected.isEmpty(), "the catalogue has no expectation for this recording");

        auto c = remote::ReplayNodeShell::loadRecording((dir + "/client.json").toStdString());
        auto s = remote::ReplayNodeShell::loadRecording((dir + "/server.json").toStdString());
        QVERIFY(c.ok() && s.ok());
        remote::ReplayNodeShell client(std::move(c).value()), server(std::move(s).value());
        diagnose::DiagnosisEngine engine({"root@198.51.100.11", &client}, {"root@198.51.100.12", &server});
        const diagnose::Diagnosis d = engine.run().diagnosis;

        if (testing::kRecordedBeforeDegrading.contains(QDir(dir).dirName())) {
            QVERIFY2(!client.unmatched().empty(),
                     "this recording is complete now: take it out of kRecordedBeforeDegrading (tests/unit/replayed.h)");
            staleTcpdumpMissing(d, mode);
            return;
        }
        QCOMPARE(d.exitStatus(), expected["exitStatus"].toInt());
        const QString first = d.firstFailingHop ? QString::fromLatin1(diagnose::hopInfo(*d.firstFailingHop).key.data())
                                                : QString();
        QCOMPARE(first, expected["firstFailingHop"].toString());
        const QString code = expected["code"].toString();
        if (!code.isEmpty()) {
            QVERIFY(!d.findings.empty());
            QCOMPARE(QString::fromStdString(d.findings.front().code), code);
        }
        if (d.verdict != diagnose::Verdict::Error) {
            const QJsonObject hops = testing::diagnosisHops(expected);
            for (const auto &h : d.hops) {
                const QString id = QString::fromLatin1(diagnose::hopInfo(h.id).key.data());
                QCOMPARE(id + "=" + QString::fromLatin1(diagnose::toString(h.status).data()),
                         id + "=" + hops[id].toString());
            }
            // vxlan6, wireguard: the catalogue's modes for the faults of a dual-stack VXLAN
            // pair's IPv6 path and of WireGuard between two VXLAN nodes.
            QCOMPARE(QString::fromStdString(d.mode == diagnose::Encapsulation::Vxlan ? "vxlan" : "ipip"),
                     mode == QLatin1String("vxlan6") || mode == QLatin1String("wireguard") ? QStringLiteral("vxlan") : mode);
            // The full-size check reads as the lab does: fails only on the MTU fault.
            const QString fullSize = expected["checks"].toObject()["tunnel.full-size"].toString();
            QVERIFY(!fullSize.isEmpty());
            QVERIFY(d.check("tunnel.full-size"));
            QCOMPARE(QString::fromLatin1(diagnose::toString(d.check("tunnel.full-size")->status).data()), fullSize);
        }
        // The engine asked for nothing the real run did not: the recording is complete.
        QCOMPARE(client.unmatched().size() + server.unmatched().size(), std::size_t(0));

        // The series the GUI plots come with the verdict.
        if (d.verdict != diagnose::Verdict::Error) {
            QVERIFY(!d.echoes.empty());
            QVERIFY(!d.logs.empty());
            const bool anyHopSeen = std::any_of(d.hops.begin(), d.hops.end(), [](const auto &h) { return h.seen > 0; });
            QCOMPARE(!d.sightings.empty(), anyHopSeen);
        }
        // Between two subnets each node names its own leg of the router; on one, no router.
        if (QDir(dir).dirName().startsWith(QLatin1String("two-subnets-"))) {
            QCOMPARE(diagnose::ipText(d.client.underlayGateway), std::string("198.51.100.126"));
            QCOMPARE(diagnose::ipText(d.server.underlayGateway), std::string("198.51.100.254"));
            if (!code.isEmpty() && d.hop(diagnose::HopId::RequestServerIngress).status == diagnose::Status::Fail)
                QVERIFY2(d.findings.front().message.find("through the router 198.51.100.126") != std::string::npos,
                         d.findings.front().message.c_str());
        } else if (d.verdict != diagnose::Verdict::Error) {
            QVERIFY2(!d.client.underlayGateway && !d.server.underlayGateway, diagnose::ipText(d.client.underlayGateway).c_str());
        }
        // Dual-stack nodes: the IPv6 path judged beside the IPv4 one, its checks as the
        // catalogue says; never "not judged".
        const bool dualStack = QDir(dir).dirName().startsWith(QLatin1String("dual-stack-"));
        QVERIFY(std::none_of(d.findings.begin(), d.findings.end(),
                             [](const diagnose::Finding &f) { return f.code == "IPV6_NOT_JUDGED"; }));
        QCOMPARE(d.ipv6Judged(), dualStack);
        if (dualStack)
            for (const char *id : {"tunnel6.ping", "route6.client", "route6.server"}) {
                const QString want = expected["checks"].toObject().contains(id) ? expected["checks"].toObject()[id].toString()
                                                                                : QStringLiteral("pass");
                QVERIFY(d.check(id));
                QCOMPARE(QString::fromLatin1(id) + "=" + QString::fromLatin1(diagnose::toString(d.check(id)->status).data()),
                         QString::fromLatin1(id) + "=" + want);
            }
        // WireGuard between the nodes: judged through it (its checks as the catalogue says).
        const bool wireguard = QDir(dir).dirName().startsWith(QLatin1String("wireguard-"));
        QCOMPARE(d.wireguardJudged(), wireguard);
        if (wireguard)
            for (const char *id : {"wireguard.client", "wireguard.server"}) {
                const QString want = expected["checks"].toObject().contains(id) ? expected["checks"].toObject()[id].toString()
                                                                                : QStringLiteral("pass");
                QVERIFY(d.check(id));
                QCOMPARE(QString::fromLatin1(id) + "=" + QString::fromLatin1(diagnose::toString(d.check(id)->status).data()),
                         QString::fromLatin1(id) + "=" + want);
            }
        if (backends.isEmpty())
            return;
        QCOMPARE(QString::fromStdString(d.client.firewallBackend + " " + d.server.firewallBackend), backends);
        // The hosts set is judged where one exists (an nft set in nftables mode); eBPF has
        // none, and says which command lists its hosts instead.
        for (const char *id : {"ipset.client", "ipset.server"}) {
            const auto *check = d.check(id);
            QVERIFY(check);
            const QString want = backends.startsWith("ebpf") ? "unknown" : expected["checks"].toObject()[id].toString();
            QCOMPARE(QString::fromLatin1(id) + "=" + QString::fromLatin1(diagnose::toString(check->status).data()),
                     QString::fromLatin1(id) + "=" + want);
        }
    }

    // Pod to pod, replayed (tests/fixtures/pod-sessions, recorded by its record.sh from
    // the lab's web pods): the same pods and port as the recording, the same verdict.
    void podReplay_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("port");  // 0: the ping alone
        QTest::addColumn<int>("exitStatus");
        QTest::addColumn<QString>("code");     // the lead finding; empty: none
        QTest::addColumn<QString>("failing");  // the check it blames
        QTest::addColumn<QString>("says");
        QTest::addColumn<QString>("firstHop");  // where the pod's echoes were lost; empty: nowhere
        QTest::newRow("allowed, TCP 8080") << "ipip-allow-web-tcp-8080" << 8080 << 0 << "" << "" << "" << "";
        // ICMP passes every hop; TCP does not, which the capture (of echoes) cannot show.
        QTest::newRow("ICMP only, TCP 8080") << "ipip-port-deny-tcp-8080" << 8080 << 1 << "POLICY_DROP" << "policy.server"
                                             << "allowed by ICMP but not by TCP 8080" << "";
        QTest::newRow("ingress deny") << "ipip-ingress-deny" << 0 << 1 << "POLICY_DROP" << "policy.server"
                                      << "NetworkPolicy default/default-deny-ingress" << "request.server.pod";
        // Dropped between the pod's interface and the tunnel, inside the client node.
        QTest::newRow("egress deny, vxlan") << "vxlan-egress-deny" << 0 << 1 << "POLICY_DROP" << "policy.client"
                                            << "GlobalNetworkPolicy deny-web-egress" << "request.client.tunnel";
        // The server pod is not found on its node: its stream is judged no further.
        QTest::newRow("pod route missing") << "ipip-pod-route-missing" << 0 << 1 << "POD_ROUTE_MISSING" << "pod.server"
                                           << "no route leads to a pod with that address" << "";
        // The server pod's replies leave by a second interface: requests arrive, replies vanish.
        QTest::newRow("server pod's default route wrong") << "ipip-pod-default-route-wrong" << 0 << 1 << "POD_ROUTE_WRONG"
                                                          << "pod.server" << "not by eth0, its link to the node"
                                                          << "reply.server.pod";
        // A NOTRACK rule on the client node: the replies are invalid to its conntrack and
        // Calico drops them entering the client pod, before any policy is asked.
        QTest::newRow("replies untracked") << "ipip-reply-untracked" << 0 << 1 << "CONNTRACK_INVALID" << "policy.client"
                                           << "Rule 1 of raw PREROUTING exempted" << "reply.client.pod";
        // tcpdump 4.9 (no interface on -i any): the pod's interface captured on its own,
        // direction told by the pod's address; the same verdicts as the current tcpdump.
        QTest::newRow("tcpdump 4.9, allowed, TCP 8080") << "ipip-tcpdump-4.9-allow-web-tcp-8080" << 8080 << 0 << "" << ""
                                                        << "" << "";
        QTest::newRow("tcpdump 4.9, ingress deny") << "ipip-tcpdump-4.9-ingress-deny" << 0 << 1 << "POLICY_DROP"
                                                   << "policy.server" << "NetworkPolicy default/default-deny-ingress"
                                                   << "request.server.pod";
        // Calico's nftables mode: the policy's name read from its nft chain's comment.
        QTest::newRow("nftables, ingress deny") << "ipip-nftables-ingress-deny" << 0 << 1 << "POLICY_DROP" << "policy.server"
                                                << "NetworkPolicy default/default-deny-ingress" << "request.server.pod";
        QTest::newRow("nftables, ICMP only, TCP 8080") << "ipip-nftables-port-deny-tcp-8080" << 8080 << 1 << "POLICY_DROP"
                                                       << "policy.server" << "allowed by ICMP but not by TCP 8080" << "";
        // BGP without encapsulation: the blocks via each node, or via the top-of-rack router.
        QTest::newRow("no encapsulation, full mesh") << "none-healthy" << 0 << 0 << "" << "" << "" << "";
        QTest::newRow("no encapsulation, via the router") << "none-tor-healthy" << 0 << 0 << "" << "" << "" << "";
        QTest::newRow("no encapsulation, via the router, ingress deny")
            << "none-tor-ingress-deny" << 0 << 1 << "POLICY_DROP" << "policy.server" << "NetworkPolicy default/default-deny-ingress"
            << "request.server.pod";
        // BGP faults (the lab's real BIRD): the routes are what fails, named by BIRD's log.
        QTest::newRow("no encapsulation, BGP session down")
            << "none-bgp-session-down" << 0 << 1 << "BGP_SESSION_DOWN" << "route.server"
            << "BIRD's BGP session with pplab-node1 (Mesh_198_51_100_11) is not established" << "request.server.ingress";
        QTest::newRow("no encapsulation, via the router, BGP session down")
            << "none-tor-bgp-session-down" << 0 << 1 << "BGP_SESSION_DOWN" << "route.server"
            << "(Global_198_51_100_254) is not established" << "request.server.ingress";
        QTest::newRow("no encapsulation, block filtered")
            << "none-bgp-peer-filtered" << 0 << 1 << "ROUTE_MISSING" << "route.client"
            << "(Mesh_198_51_100_12) is up since" << "request.server.ingress";
        // Routes and BGP right, the network drops the pod range: the network is the cause.
        QTest::newRow("no encapsulation, network drops pod addresses")
            << "none-underlay-drops-pod-addresses" << 0 << 1 << "UNDERLAY_DROPS_POD_ADDRESSES" << "request.server.ingress"
            << "the network between the nodes does not carry them" << "request.server.ingress";
        // VXLAN CrossSubnet between nodes of one subnet: the blocks go straight over the underlay.
        QTest::newRow("VXLAN CrossSubnet, one subnet") << "vxlan-crosssubnet-healthy" << 0 << 0 << "" << "" << "" << "";
        QTest::newRow("VXLAN CrossSubnet, network drops pod addresses")
            << "vxlan-crosssubnet-underlay-drops-pod-addresses" << 0 << 1 << "UNDERLAY_DROPS_POD_ADDRESSES"
            << "request.server.ingress" << "the network between the nodes does not carry them" << "request.server.ingress";
        // IPIP CrossSubnet the same: BIRD's routes over the underlay, tunl0 kept.
        QTest::newRow("IPIP CrossSubnet, one subnet") << "ipip-crosssubnet-healthy" << 0 << 0 << "" << "" << "" << "";
        // ... and between nodes of two subnets: encapsulated, routed.
        QTest::newRow("VXLAN CrossSubnet, two subnets") << "vxlan-two-subnets-healthy" << 0 << 0 << "" << "" << "" << "";
    }
    void podReplay()
    {
        QFETCH(QString, name);
        QFETCH(int, port);
        QFETCH(int, exitStatus);
        QFETCH(QString, code);
        QFETCH(QString, failing);
        QFETCH(QString, says);
        QFETCH(QString, firstHop);
        std::size_t unmatched = 0;
        const auto run = testing::replayedPods(name, port, &unmatched);
        QVERIFY(run);
        const diagnose::Diagnosis &d = run->diagnosis;
        QCOMPARE(unmatched, std::size_t(0));
        QCOMPARE(d.exitStatus(), exitStatus);
        QVERIFY(d.pods.has_value());
        QCOMPARE(d.pods->tool, std::string(port ? "bash /dev/tcp" : ""));
        // The nodes' path is healthy in every one: the nodes' own echoes pass every hop
        // between them (no tunnel: they are skipped there), and the pod's echoes decide.
        // Without encapsulation the nodes' echoes go to the server pod and meet its policy.
        const bool direct = !diagnose::tunnelled(d.mode);
        QCOMPARE(direct, name.startsWith(QLatin1String("none-")) || name.contains(QLatin1String("crosssubnet")));
        if (name.contains(QLatin1String("-crosssubnet-")))  // which overlay keeps its tunnel for other subnets
            QCOMPARE(QString::fromLatin1(diagnose::toString(d.mode)), name.section('-', 0, 0) + "-crosssubnet-direct");
        for (const auto &h : d.hops)
            for (const auto &st : h.streams)
                if (st.stream != diagnose::kPodStream && (!direct || code.isEmpty()))
                    QVERIFY2(st.status == (direct && diagnose::hopInfo(h.id).place == diagnose::HopPlace::Tunnel
                                               ? diagnose::Status::Skipped
                                               : diagnose::Status::Pass),
                             diagnose::hopInfo(h.id).key.data());
        if (!failing.startsWith(QLatin1String("route.")))
            for (const char *c : {"route.client", "route.server"})
                QVERIFY2(d.check(c)->status == diagnose::Status::Pass, d.check(c)->detail.c_str());
        QCOMPARE(QString::fromLatin1(d.firstFailingHop ? diagnose::hopInfo(*d.firstFailingHop).key.data() : ""), firstHop);
        // Twelve hops with pods; where the pod's echoes went, the pod hops agree.
        QCOMPARE(d.path().size(), std::size_t(12));
        if (firstHop.isEmpty() && d.check("pod.ping")->status == diagnose::Status::Pass)
            for (const auto &h : d.podHops)
                QVERIFY2(h.status == diagnose::Status::Pass, diagnose::hopInfo(h.id).key.data());
        if (code.isEmpty()) {
            QVERIFY(d.findings.empty());
            QVERIFY(d.check("pod.ping")->status == diagnose::Status::Pass);
            QVERIFY(d.check("pod.port")->status == (port ? diagnose::Status::Pass : diagnose::Status::Skipped));
            return;
        }
        QVERIFY(!d.findings.empty());
        const auto &lead = d.findings.front();
        QCOMPARE(QString::fromStdString(lead.code), code);
        QCOMPARE(QString::fromStdString(lead.blames), failing);
        QVERIFY2(QString::fromStdString(lead.message).contains(says), lead.message.c_str());
        // The lead blames a check, or a hop where the network lost the packets.
        if (const diagnose::CheckResult *blamed = d.check(failing.toStdString()))
            QVERIFY(blamed->status == diagnose::Status::Fail);
        else
            QVERIFY2(std::any_of(d.hops.begin(), d.hops.end(),
                                 [&](const diagnose::HopVerdict &h) {
                                     return diagnose::hopInfo(h.id).key == failing.toStdString() && h.status == diagnose::Status::Fail;
                                 }),
                     qPrintable(failing + " is neither a failed check nor a failed hop"));
        // One drop, one finding: the firewall check does not tell the pod's drop again.
        const std::string node = failing.section('.', 1).toStdString();
        for (const auto &f : d.findings)
            QVERIFY2(f.blames != "iptables." + node, f.message.c_str());
    }

    // The wizard: one guide step at a time. Before the burst nothing is concluded about
    // hops, firewall or ipsets; after every step the verdict equals the one-click run's.
    void staged_data() { replay_data(); }
    void staged()
    {
        QFETCH(QString, dir);
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        const QJsonObject expected = testing::catalogueExpectation(mode, fault);
        auto c = remote::ReplayNodeShell::loadRecording((dir + "/client.json").toStdString());
        auto s = remote::ReplayNodeShell::loadRecording((dir + "/server.json").toStdString());
        QVERIFY(c.ok() && s.ok());
        remote::ReplayNodeShell client(std::move(c).value()), server(std::move(s).value());
        diagnose::DiagnosisEngine engine({"root@198.51.100.11", &client}, {"root@198.51.100.12", &server});
        using diagnose::Stage;
        using diagnose::Status;

        const diagnose::Diagnosis afterLogs = engine.runStages({Stage::Logs}).diagnosis;
        if (afterLogs.verdict == diagnose::Verdict::Error) {
            QCOMPARE(expected["exitStatus"].toInt(), 2);  // discovery itself fails: nothing to stage
            return;
        }
        // No health without evidence: before the burst no hop has any.
        QVERIFY(afterLogs.verdict != diagnose::Verdict::Pass);
        QVERIFY(engine.gathered(Stage::Discover) && engine.gathered(Stage::Logs) && !engine.gathered(Stage::Burst));
        QVERIFY(afterLogs.check("logs.client")->status != Status::Skipped);
        QVERIFY(afterLogs.check("iptables.server")->status == Status::Skipped);
        QVERIFY(afterLogs.check("tunnel.ping")->status == Status::Skipped);
        QVERIFY(!afterLogs.firstFailingHop);
        for (const auto &h : afterLogs.hops)
            QVERIFY(h.status == Status::Unknown);
        for (const auto &f : afterLogs.findings)
            QVERIFY2(f.blames.rfind("logs.", 0) == 0 || f.blames.rfind("route.", 0) == 0 || f.blames.rfind("route6.", 0) == 0 ||
                         f.blames.rfind("tunnel.", 0) == 0,
                     f.blames.c_str());

        const diagnose::Diagnosis afterPing = engine.runStages({Stage::UnderlayPing, Stage::TunnelPing}).diagnosis;
        QVERIFY(afterPing.check("tunnel.ping")->status != Status::Skipped);
        QVERIFY(afterPing.check("ipset.client")->status == Status::Skipped);
        QVERIFY(afterPing.verdict != diagnose::Verdict::Pass);
        if (afterPing.verdict == diagnose::Verdict::Incomplete)
            QVERIFY2(afterPing.error.find("have not run yet") != std::string::npos, afterPing.error.c_str());

        const diagnose::Diagnosis d = engine.runStages({Stage::Burst}).diagnosis;
        QCOMPARE(d.exitStatus(), expected["exitStatus"].toInt());
        const QString first = d.firstFailingHop ? QString::fromLatin1(diagnose::hopInfo(*d.firstFailingHop).key.data())
                                                : QString();
        QCOMPARE(first, expected["firstFailingHop"].toString());
        if (!expected["code"].toString().isEmpty())
            QCOMPARE(QString::fromStdString(d.findings.front().code), expected["code"].toString());
    }
};

QTEST_GUILESS_MAIN(TestDiagnosisReplay)
#include "tst_diagnosis_replay.moc"
