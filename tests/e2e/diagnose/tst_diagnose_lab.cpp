// PodPath's main job, end to end: the lab brings up real nodes, applies each fault of
// its catalogue (tests/lab/faults.json, the ground truth), and `podpath diagnose` must
// find it: exit status, first failing hop, every hop's status and the leading finding.
// Each run also draws its path diagram (--png) as screenshots/lab-<mode>-<fault>.png.

#include <QDir>
#include <QElapsedTimer>
#include <QScopeGuard>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <optional>

#include <unistd.h>

#include "lab_access.h"
#include "process_run.h"
#include "sanitized.h"

namespace {

const QString kLab = QStringLiteral(PODPATH_LAB_DIR "/lab");

QJsonObject catalogue()
{
    QFile f(QStringLiteral(PODPATH_LAB_DIR "/faults.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// "healthy", then every catalogued fault, each with the login it is seen through (empty: root).
QList<QPair<QString, QJsonObject>> faultsWithLogins()
{
    QList<QPair<QString, QJsonObject>> all{{"healthy", {}}};
    for (const auto &v : catalogue()["faults"].toArray())
        all.append({v.toObject()["name"].toString(), v.toObject()["login"].toObject()});
    return all;
}

using Run = podpath::testing::ProcessRun;

Run run(const QString &program, const QStringList &args, int timeoutMs = 120000)
{
    return podpath::testing::runProcess(program, args, timeoutMs);
}

// `program args` on a terminal of its own (util-linux `script`), typing `password` at each
// "password for" prompt, as an engineer does: PodPath reads secrets from the terminal only,
// and flushes what was typed before it asked. Out and err both come back in `out`.
Run runOnTerminal(const QString &program, const QStringList &args, const QString &password, int timeoutMs = 120000)
{
    auto quoted = [](QString a) { return "'" + a.replace("'", "'\\''") + "'"; };
    QString line = quoted(program);
    for (const QString &a : args)
        line += ' ' + quoted(a);
    QProcess p;
    p.start(QStringLiteral("script"), {"-qefc", line, "/dev/null"});
    Run r;
    if (!p.waitForStarted(10000)) {
        r.err = "script did not start";
        return r;
    }
    QElapsedTimer t;
    t.start();
    int answered = 0;
    while (p.state() != QProcess::NotRunning && t.elapsed() < timeoutMs) {
        p.waitForReadyRead(100);
        r.out += p.readAllStandardOutput();
        for (int asked = int(r.out.count("password for ")); answered < asked; ++answered)
            p.write((password + "\n").toUtf8());
    }
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.out += p.readAllStandardOutput();
    r.err = r.out;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

// Under sanitizers a few faults per mode: enough to run every code path of the engine
// with ASan watching, without doubling CI's time for what the plain build proves.
const QStringList kSanitizerSubset = {"healthy", "underlay-blocks-encap", "iptables-drop-server-request",
                                      "ipset-missing-client", "tcpdump-missing"};

// How the nodes differ from the plain lab for one run.
struct Variant {
    QJsonObject login;                            // user, sudo, ...; root when empty
    QString logs = QStringLiteral("calico");      // log layout: "calico", "pods", "canal", "k3s", "crictl"
    bool mgmt = false;                            // SSH over a management network
    QString tcpdump = QStringLiteral("current");  // "4.9" for the older tcpdump
    bool busy = false;                            // pods' overlay traffic through the run (lab traffic)
    int wanRttMs = 0;                             // SSH through the lab's delaying relays (lab wan)
    QString ping = QStringLiteral("iputils");     // "busybox": BusyBox's ping on every node
    QString ip = QStringLiteral("iproute2");      // "busybox": BusyBox's ip and no bridge
    bool mgmt6 = false;                           // SSH over an IPv6 management network
    QString timeout = QStringLiteral("coreutils");  // "busybox": BusyBox's timeout
    QString dataplane = QStringLiteral("iptables");  // "nftables": Calico's nftables mode
    int vxlanPort = 4789;                            // the VXLAN devices' UDP port
    QString clusterRoutes = QStringLiteral("bird");  // "felix": IPIP routes proto 80 (Calico 3.33)
    QString vxlanMode = QStringLiteral("Always");    // "CrossSubnet" (mode vxlan)
    int subnets = 1;                                 // 2: client and server on two subnets, routed between
    bool ipv6 = false;                               // dual-stack VXLAN (vxlan-v6.calico beside vxlan.calico)
    bool wireguard = false;                          // WireGuard on (wireguard.cali, wireguard-go)
};

// `podpath-dev test --full` (PODPATH_CATALOGUE=full): every fault through every login;
// otherwise (CI) every fault once per mode, and through sudo the telling ones.
[[maybe_unused]] bool wholeCatalogue() { return qEnvironmentVariable("PODPATH_CATALOGUE") == QLatin1String("full"); }

// Under sanitizers the variants' healthy rows: their code paths with ASan watching; every
// verdict again is the plain build's work.
#ifdef PODPATH_SANITIZED
constexpr bool kEveryVariantRow = false;
#else
constexpr bool kEveryVariantRow = true;
#endif

// A variant's fault rows (one "fault" column): every one with --full, the healthy row and
// `ci` in CI, the healthy row alone under sanitizers (its code paths; the verdicts are the
// plain build's).
void addFaultRows(const QStringList &faults, const QStringList &ci)
{
    QTest::addColumn<QString>("fault");
    for (const QString &f : faults)
        if (wholeCatalogue() || f == QLatin1String("healthy") || (kEveryVariantRow && ci.contains(f)))
            QTest::newRow(qPrintable(f)) << f;
}

// What `lab up` was told: the settings persist in the lab, so every one is given each time.
struct LabShape {
    QString mode = QStringLiteral("ipip");
    QString logs = QStringLiteral("calico");       // "calico" (/var/log/calico) or "pods"
    bool mgmt = false;                             // SSH reaches the nodes over a second card (up --mgmt)
    bool mgmt6 = false;                            // ... an IPv6-only second card (up --mgmt6)
    QString tcpdump = QStringLiteral("current");   // up --tcpdump 4.9
    QString ping = QStringLiteral("iputils");      // up --ping busybox
    QString ip = QStringLiteral("iproute2");       // up --ip busybox
    QString timeout = QStringLiteral("coreutils");  // up --timeout busybox
    QString bash = QStringLiteral("present");      // up --bash none
    QString dataplane = QStringLiteral("iptables");  // up --dataplane nftables
    int vxlanPort = 4789;                          // up --vxlan-port
    QString fabric = QStringLiteral("mesh");       // up --fabric tor: blocks routed by the top-of-rack router (mode none)
    QString vxlanMode = QStringLiteral("Always");  // up --vxlan-mode CrossSubnet (mode vxlan)
    QString ipipMode = QStringLiteral("Always");   // up --ipip-mode CrossSubnet (mode ipip)
    QString clusterRoutes = QStringLiteral("bird");  // up --cluster-routes felix (mode ipip)
    int subnets = 1;                               // up --subnets 2: odd nodes and even nodes on two subnets
    int nodes = 2;                                 // up --nodes
    bool ipv6 = false;                             // up --ipv6: dual-stack VXLAN
    bool wireguard = false;                        // up --wireguard
    bool operator==(const LabShape &) const = default;
    QStringList upArguments() const
    {
        return {"up", "--mode", mode, "--fabric", fabric, "--logs", logs, mgmt6 ? "--mgmt6" : mgmt ? "--mgmt" : "--no-mgmt",
                "--tcpdump", tcpdump, "--ping", ping, "--ip", ip, "--timeout", timeout, "--bash", bash,
                "--dataplane", dataplane, "--vxlan-port", QString::number(vxlanPort), "--vxlan-mode", vxlanMode,
                "--ipip-mode", ipipMode, "--cluster-routes", clusterRoutes, "--subnets", QString::number(subnets), "--nodes", QString::number(nodes),
                ipv6 ? "--ipv6" : "--no-ipv6", wireguard ? "--wireguard" : "--no-wireguard"};
    }
};
std::optional<LabShape> labNow;  // the shape the lab is up in; none before the first `up`

} // namespace

class TestDiagnoseLab : public QObject {
    Q_OBJECT

    // `podpath diagnose` from the lab's first node to node `server` + 1 as `user` (with their web pods
    // when `pods`), its diagram drawn as screenshots/PNG.png: what it wrote, and `said`, its
    // findings and checks in a few lines for a failure's message. Fails the current test
    // when no JSON was written.
    struct LabDiagnosis {
        Run run;
        QJsonObject json;
        QString said;
        QMap<QString, QString> status, detail;  // per check id
    };
    LabDiagnosis diagnoseLab(const QJsonObject &env, const QString &user, bool pods, const QString &png, int server = 1)
    {
        LabDiagnosis out;
        const QJsonArray nodes = env["nodes"].toArray();
        if (server >= nodes.size()) {
            QTest::qFail(qPrintable(QString("the lab has no node %1").arg(server + 1)), __FILE__, __LINE__);
            return out;
        }
        QTemporaryDir dir;
        const QString json = dir.filePath("d.json");
        QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
        QStringList args{"diagnose", "--client", endpoint(user, nodes[0].toObject()), "--server",
                         endpoint(user, nodes[server].toObject()), "--identity", env["key"].toString(), "--known-hosts",
                         env["knownHosts"].toString(), "--json", json, "--quiet", "--png",
                         QStringLiteral(PODPATH_SCREENSHOTS "/") + png + QStringLiteral(".png")};
        if (pods)
            args << "--client-pod" << nodes[0].toObject()["pod"].toObject()["ip"].toString() << "--server-pod"
                 << nodes[server].toObject()["pod"].toObject()["ip"].toString();
        out.run = run(QStringLiteral(PODPATH_BINARY), args);
        QFile jf(json);
        if (!jf.open(QIODevice::ReadOnly)) {
            QTest::qFail(qPrintable("no JSON written; stderr: " + QString::fromUtf8(out.run.err)), __FILE__, __LINE__);
            return out;
        }
        out.json = QJsonDocument::fromJson(jf.readAll()).object();
        out.said = out.json["verdict"].toString() + " (" + out.json["mode"].toString() + "): " + out.json["error"].toString();
        for (const auto &f : out.json["findings"].toArray())
            out.said += "\n  finding " + f.toObject()["code"].toString() + " " + f.toObject()["severity"].toString() + " " +
                        f.toObject()["blames"].toString() + ": " + f.toObject()["message"].toString().left(240);
        for (const auto &c : out.json["checks"].toArray()) {
            const QString id = c.toObject()["id"].toString();
            out.status[id] = c.toObject()["status"].toString();
            out.detail[id] = c.toObject()["detail"].toString();
            out.said += "\n  " + id + " " + out.status[id] + ": " + out.detail[id].left(160);
        }
        return out;
    }

    // The lab in `shape` (brought up only when it is not), without a node fault. Fails the
    // current test when it cannot.
    void labIn(const LabShape &shape)
    {
        if (labNow != shape) {
            const Run up = run(kLab, shape.upArguments(), 300000);
            labNow.reset();
            QVERIFY2(up.exitCode == 0, up.err.constData());
            labNow = shape;
        } else if (const Run e = run(kLab, {"env", "--json"}); !QJsonDocument::fromJson(e.out).object()["fault"].isNull()) {
            const Run clear = run(kLab, {"fault", "clear"});
            QVERIFY2(clear.exitCode == 0, clear.err.constData());
        }
    }
    // The plain lab in `mode` (with `tcpdump`, bash or not, a dataplane): the pod tests
    // then change the pods' policies or ends themselves.
    void plainLab(const QString &mode, const QString &tcpdump = QStringLiteral("current"),
                  const QString &bash = QStringLiteral("present"), const QString &dataplane = QStringLiteral("iptables"))
    {
        LabShape plain;
        plain.mode = mode;
        plain.tcpdump = tcpdump;
        plain.bash = bash;
        plain.dataplane = dataplane;
        labIn(plain);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!catalogue().isEmpty(), "tests/lab/faults.json is missing or not JSON");
    }

    void cleanupTestCase()
    {
        if (::geteuid() == 0)
            run(kLab, {"down"});
    }

    // PodPath only reads: a node's routes, addresses, links, neighbours, rules, sets and
    // processes are the same before and after a diagnosis (counters aside).
    void changesNothing_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("dataplane");
        QTest::newRow("ipip") << "ipip" << "iptables";
        QTest::newRow("vxlan") << "vxlan" << "iptables";
        QTest::newRow("ipip, nftables dataplane") << "ipip" << "nftables";
    }
    // tcpdump and ping left in the lab's network namespaces (nodes and pods). Not a bare
    // pgrep: the loopback tests run beside this one in the machine's own namespace and ping
    // 127.0.0.1 there.
    static QByteArray netNamespaceOf(const QString &pid)
    {
        char target[64] = {};
        const ssize_t n = ::readlink(QString("/proc/" + pid + "/ns/net").toLocal8Bit().constData(), target, sizeof target - 1);
        return n > 0 ? QByteArray(target, int(n)) : QByteArray();
    }
    static QByteArray labProbes()
    {
        const QByteArray own = netNamespaceOf("self");
        QByteArray found;
        for (const QString &pid : QDir("/proc").entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            if (pid.toInt() <= 0)
                continue;
            QFile comm("/proc/" + pid + "/comm");
            if (!comm.open(QIODevice::ReadOnly))
                continue;
            const QByteArray name = comm.readAll().trimmed();
            if (name != "tcpdump" && name != "ping")
                continue;
            const QByteArray net = netNamespaceOf(pid);
            if (net.isEmpty() || net == own)
                continue;
            QFile cmd("/proc/" + pid + "/cmdline");
            cmd.open(QIODevice::ReadOnly);
            found += pid.toUtf8() + " " + cmd.readAll().replace('\0', ' ') + "\n";
        }
        return found;
    }
    void changesNothing()
    {
        QFETCH(QString, mode);
        QFETCH(QString, dataplane);
        plainLab(mode, QStringLiteral("current"), QStringLiteral("present"), dataplane);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(run(kLab, {"fault", "clear"}).exitCode == 0);
        const QJsonObject env = QJsonDocument::fromJson(run(kLab, {"env", "--json"}).out).object();
        const QJsonArray nodes = env["nodes"].toArray();
        QVERIFY(nodes.size() >= 2);
        auto state = [&]() {
            QByteArray all;
            for (const auto &n : nodes) {
                const QString ns = n.toObject()["namespace"].toString();
                for (const QStringList &cmd : {QStringList{"ip", "-d", "addr"}, QStringList{"ip", "route", "show", "table", "all"},
                                               QStringList{"ip", "neigh", "show", "nud", "permanent"},
                                               QStringList{"bridge", "fdb", "show"}, QStringList{"iptables-save"},
                                               QStringList{"ipset", "list"}, QStringList{"nft", "list", "tables"}}) {
                    Run r = run("ip", QStringList{"netns", "exec", ns} + cmd);
                    // Counters and the ipset's memory size move with traffic; nothing else may.
                    QByteArray out;
                    for (QByteArray line : r.out.split('\n')) {
                        if (line.startsWith("#") || line.startsWith("Size in memory"))
                            continue;
                        if (line.startsWith(":") && line.contains('['))  // ":INPUT ACCEPT [12:345]"
                            line.truncate(line.indexOf('['));
                        out += line + '\n';
                    }
                    all += ns.toUtf8() + " " + cmd.join(' ').toUtf8() + "\n" + out;
                }
            }
            return all + "processes:\n" + labProbes();
        };
        const QByteArray before = state();
        QTemporaryDir dir;
        Run d = run(QStringLiteral(PODPATH_BINARY),
                    {"diagnose", "--client", "root@" + nodes[0].toObject()["host"].toString(), "--server",
                     "root@" + nodes[1].toObject()["host"].toString(), "--identity", env["key"].toString(),
                     "--known-hosts", env["knownHosts"].toString(), "--quiet"});
        QCOMPARE(d.exitCode, 0);
        const QByteArray after = state();
        const QList<QByteArray> a = before.split('\n'), b = after.split('\n');
        for (int i = 0; i < std::min(a.size(), b.size()); ++i)
            QVERIFY2(a[i] == b[i], qPrintable("changed: " + QString::fromUtf8(a[i]) + "  ->  " + QString::fromUtf8(b[i])));
        QCOMPARE(a.size(), b.size());
    }

    void diagnose_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QJsonObject>("expected");
        QTest::addColumn<QJsonObject>("login");
        const QJsonObject cat = catalogue();
        for (const QString mode : {"ipip", "vxlan"}) {
            const QJsonObject healthy = cat["healthy"].toObject();  // the same in both modes
            QTest::addRow("%s healthy", qPrintable(mode)) << mode << "healthy" << healthy << QJsonObject{};
            QTest::addRow("%s healthy as sudo user", qPrintable(mode))
                << mode << "healthy" << healthy << QJsonObject{{"user", "ppadmin"}, {"sudo", true}};
            for (const auto &v : cat["faults"].toArray()) {
                const QJsonObject f = v.toObject();
#ifdef PODPATH_SANITIZED
                // Rows are left out rather than skipped: a skip would make ctest report
                // the whole test as skipped although the subset ran.
                if (!kSanitizerSubset.contains(f["name"].toString()))
                    continue;
#endif
                const QJsonObject exp = f["expected"].toObject()[mode].toObject();
                if (exp.isEmpty())
                    continue;
                QTest::addRow("%s %s", qPrintable(mode), qPrintable(f["name"].toString()))
                    << mode << f["name"].toString() << exp << f["login"].toObject();
#ifndef PODPATH_SANITIZED
                // The same fault through a login that needs sudo: every privileged read
                // goes through `sudo -n`, and the answer must not change. CI takes the
                // telling faults this way; `podpath-dev test --full` every one.
                if (f["login"].toObject().isEmpty() &&
                    (wholeCatalogue() || kSanitizerSubset.contains(f["name"].toString())))
                    QTest::addRow("%s %s as sudo user", qPrintable(mode), qPrintable(f["name"].toString()))
                        << mode << f["name"].toString() << exp << QJsonObject{{"user", "ppadmin"}, {"sudo", true}};
#endif
            }
        }
    }

    void diagnose()
    {
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        QFETCH(QJsonObject, expected);
        QFETCH(QJsonObject, login);
        check(mode, fault, expected, Variant{login});
    }

    // The firewalls Calico writes besides iptables-nft: its nftables dataplane (3.31+:
    // rules, hosts set and workload dispatch in `table ip calico`, no iptables rules and no
    // ipsets), the legacy iptables backend of older distributions, and a cluster where one
    // node is legacy and the other nft. The same catalogue, the same verdicts, each node read
    // with its own tool. CI: the healthy pair and the faults the firewall changes (a hosts
    // set, a DROP, an underlay fault), as root and through sudo; `--full`: every fault.
    void dataplanes_data()
    {
        QTest::addColumn<QString>("dataplane");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QJsonObject>("login");
        const QJsonObject sudo{{"user", "ppadmin"}, {"sudo", true}};
        const QJsonObject restricted{{"user", "ppsudo"}, {"sudo", true}, {"restricted", true}};
        const QList<QPair<QString, QJsonObject>> all = faultsWithLogins();
        const QMap<QString, QStringList> telling{
            {"nftables", {"healthy", "ipset-missing-client", "ipset-missing-server", "iptables-drop-server-request",
                          "iptables-drop-beside-odd-comment", "underlay-blocks-encap"}},
            {"iptables-legacy", {"healthy", "ipset-missing-client", "iptables-drop-server-request"}},
            // The client legacy, the server nft: a drop on each side.
            {"mixed", {"healthy", "iptables-drop-client-reply", "iptables-drop-server-request", "ipset-missing-server"}},
            // eBPF mode as far as the lab can hold it (Felix's devices, no BPF program): the
            // faults outside Calico's firewall, found as ever, the firewall checks not run.
            {"ebpf", {"healthy", "underlay-blocks-encap", "route-missing"}}};
        for (auto it = telling.begin(); it != telling.end(); ++it)
            for (const char *m : {"ipip", "vxlan"})
                for (const auto &[f, own] : all) {
                    const bool ci = kEveryVariantRow ? it.value().contains(f)
                                                     : f == QLatin1String("healthy") && std::string_view(m) == "ipip";
                    if (expectedOf(m, f).isEmpty() || !(ci || wholeCatalogue()))
                        continue;
                    // Felix's BPF programs, not iptables rules or ipsets, would meet these.
                    if (it.key() == QLatin1String("ebpf") &&
                        (f.startsWith("iptables-") || f.startsWith("ipset-") || f == QLatin1String("source-address-wrong")))
                        continue;
                    QTest::addRow("%s %s %s", qPrintable(it.key()), m, qPrintable(f)) << it.key() << m << f << own;
                    if (own.isEmpty() && (wholeCatalogue() || f == QLatin1String("ipset-missing-client")))
                        QTest::addRow("%s %s %s as sudo user", qPrintable(it.key()), m, qPrintable(f))
                            << it.key() << m << f << sudo;
                }
        for (const char *dp : {"nftables", "iptables-legacy"})
            QTest::addRow("%s ipip healthy, sudo restricted to named commands", dp) << dp << "ipip" << "healthy" << restricted;
    }
    void dataplanes()
    {
        QFETCH(QString, dataplane);
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        QFETCH(QJsonObject, login);
        const QJsonObject expected = expectedOf(mode, fault);
        QVERIFY(!expected.isEmpty());
        const bool ebpf = dataplane == QLatin1String("ebpf");
        Variant v{login};
        v.dataplane = dataplane;
        check(mode, fault, expected, v);
        if (QTest::currentTestFailed())
            return;
        // Each node read as what it runs, the hosts set too (an nft set, not "ipset could
        // not be read").
        const QStringList backends = dataplane == QLatin1String("mixed") ? QStringList{"iptables-legacy", "iptables-nft"}
                                                                         : QStringList(2, dataplane);
        if (fault != QLatin1String("no-privilege"))
            QCOMPARE(lastFirewallBackends, backends);
        if (fault == QLatin1String("healthy") && !ebpf)
            for (const char *c : {"ipset.client", "ipset.server"})
                QVERIFY2(lastChecks[c].first == QLatin1String("pass"), qPrintable(lastChecks[c].second));
        // eBPF: the firewall and hosts-set checks cannot run there (unknown, never pass),
        // and each says so and names the command that can.
        if (ebpf && fault != QLatin1String("no-privilege"))
            for (const char *c : {"iptables.client", "iptables.server", "ipset.client", "ipset.server"})
                QVERIFY2(lastChecks[c].first == QLatin1String("unknown") &&
                             lastChecks[c].second.contains(QLatin1String("eBPF mode")) &&
                             lastChecks[c].second.contains(QLatin1String("calico-node -bpf")),
                         qPrintable(lastChecks[c].second));
    }

    // BGP without encapsulation (issue #16): the blocks routed over the underlay, to each
    // node (full mesh) or through the top-of-rack router every node peers with. No node holds
    // an address in the pod range, so the pods are what is followed; the path has no tunnel
    // hops and the diagram says so. Before, the router's route was ROUTE_WRONG_DEVICE,
    // critical, and a run without pods ended in "nothing to ping".
    void unencapsulated_data()
    {
        QTest::addColumn<QString>("fabric");
        QTest::addColumn<QString>("policy");  // the lab's policy set; "" asks about the nodes alone
        QTest::addColumn<QString>("user");
        QTest::addColumn<int>("exitStatus");
        QTest::addColumn<QString>("failing");  // the check that fails with the lead finding
        QTest::addColumn<QString>("words");    // in the route check's detail, or the error
        QTest::addColumn<QString>("fault");    // the lab's BGP fault (faults.json, mode none); "" for none
        QTest::addColumn<QString>("code");     // the lead finding's code with a fault
        // Under sanitizers (`all` false) only each fabric's healthy pods, the nodes alone with
        // BIRD's log read and the network's drop; the plain build proves every other verdict.
        const bool all = kEveryVariantRow || wholeCatalogue();
        for (const char *fabric : {"mesh", "tor"}) {
            const bool tor = std::string_view(fabric) == "tor";
            const char *route = tor ? "answers on eth0" : "via 198.51.100.12 dev eth0 proto bird";
            QTest::addRow("%s healthy pods as root", fabric) << fabric << "none" << "root" << 0 << "" << route << "" << "";
            if (all)
                QTest::addRow("%s ingress-deny as root", fabric)
                    << fabric << "ingress-deny" << "root" << 1 << "policy.server" << route << "" << "";
            if (tor || wholeCatalogue()) {
                QTest::addRow("%s healthy pods as sudo user", fabric)
                    << fabric << "none" << "ppadmin" << 0 << "" << route << "" << "";
                if (all)
                    QTest::addRow("%s egress-deny as sudo user", fabric)
                        << fabric << "egress-deny" << "ppadmin" << 1 << "policy.client" << route << "" << "";
            }
            if (all)
                QTest::addRow("%s nodes alone", fabric) << fabric << "" << "root" << 2 << "" << "not encapsulated" << "" << "";
            // BGP faults (real BIRD): the session down names itself; a block filtered while
            // the session is up says so. The server shut its session down: on the fabric the
            // client's (with the router) stays up, in the full mesh the client sees its peer
            // close it; either way the server's side is the cause and leads.
            if (all)
                QTest::addRow("%s bgp-session-down as root", fabric)
                    << fabric << "none" << "root" << 1 << "route.server"
                    << (tor ? "Global_198_51_100_254" : "Mesh_198_51_100_11") << "bgp-session-down" << "BGP_SESSION_DOWN";
            // Asked about the nodes alone: nothing to ping, but the routes BGP lost are read,
            // and BIRD's log (read for them) names the session that is down.
            if (!tor)
                QTest::addRow("%s nodes alone, bgp-session-down", fabric)
                    << fabric << "" << "root" << 1 << "route.server" << "(Mesh_198_51_100_11) is not established"
                    << "bgp-session-down" << "BGP_SESSION_DOWN";
            if ((!tor && all) || wholeCatalogue())
                QTest::addRow("%s bgp-peer-filtered as sudo user", fabric)
                    << fabric << "none" << "ppadmin" << 1 << "route.client" << "is up since" << "bgp-peer-filtered"
                    << "ROUTE_MISSING";
            // Routes and BGP right, the network drops the pods' addresses: the network leads,
            // blamed on the hop where the request vanished, never a route or the pods.
            if (tor || wholeCatalogue())
                QTest::addRow("%s underlay-drops-pod-addresses as %s", fabric, tor ? "root" : "sudo user")
                    << fabric << "none" << (tor ? "root" : "ppadmin") << 1 << "request.server.ingress"
                    << "does not carry them" << "underlay-drops-pod-addresses" << "UNDERLAY_DROPS_POD_ADDRESSES";
        }
    }
    void unencapsulated()
    {
        QFETCH(QString, fabric);
        QFETCH(QString, policy);
        QFETCH(QString, user);
        QFETCH(int, exitStatus);
        QFETCH(QString, failing);
        QFETCH(QString, words);
        QFETCH(QString, fault);
        QFETCH(QString, code);
        LabShape shape;
        shape.mode = QStringLiteral("none");
        shape.fabric = fabric;
        labIn(shape);
        if (QTest::currentTestFailed())
            return;
        const bool pods = !policy.isEmpty();
        if (pods) {
            const Run set = run(kLab, {"policy", policy});
            QVERIFY2(set.exitCode == 0, set.err.constData());
        }
        auto cleared = qScopeGuard([pods] {
            if (pods)
                (void)run(kLab, {"policy", "none"});
        });
        if (!fault.isEmpty()) {
            const Run applied = run(kLab, {"fault", fault});
            QVERIFY2(applied.exitCode == 0, applied.err.constData());
        }
        auto faultCleared = qScopeGuard([fault] {
            if (!fault.isEmpty())
                (void)run(kLab, {"fault", "clear"});
        });
        const QJsonObject env = QJsonDocument::fromJson(run(kLab, {"env", "--json"}).out).object();
        const QJsonArray nodes = env["nodes"].toArray();
        QVERIFY(nodes.size() >= 2);
        QVERIFY2(nodes[0].toObject()["tunnelIp"].isNull(), "the lab left a tunnel address in mode none");
        const LabDiagnosis ld = diagnoseLab(env, user, pods,
                                            QStringLiteral("lab-none-%1-%2")
                                                .arg(fabric, !fault.isEmpty() ? fault : pods ? policy : QStringLiteral("nodes")));
        if (QTest::currentTestFailed())
            return;
        const Run &d = ld.run;
        const QJsonObject &got = ld.json;
        const QString &said = ld.said;
        const QMap<QString, QString> &status = ld.status, &detail = ld.detail;
        QVERIFY2(d.exitCode == exitStatus, qPrintable(QString("exit %1; ").arg(d.exitCode) + said));
        if (!pods && !fault.isEmpty()) {
            // The routes fail without an echo; the pods are still what would show the packets.
            const QJsonArray findings = got["findings"].toArray();
            QVERIFY2(!findings.isEmpty() && findings[0].toObject()["code"].toString() == code &&
                         findings[0].toObject()["blames"].toString() == failing &&
                         findings[0].toObject()["message"].toString().contains(words),
                     qPrintable(said));
            QVERIFY2(status["route.client"] == QLatin1String("fail") && status["route.server"] == QLatin1String("fail"),
                     qPrintable(said));
            QVERIFY2(findings.last().toObject()["code"].toString() == QLatin1String("PODS_NEEDED") &&
                         findings.last().toObject()["message"].toString().contains("two pods"),
                     qPrintable(said));
            for (const auto &h : got["hops"].toArray())
                QVERIFY2(h.toObject()["status"].toString() ==
                             (h.toObject()["id"].toString().contains(QLatin1String(".tunnel")) ? "skipped" : "unknown"),
                         qPrintable(said));
            return;
        }
        if (!pods) {
            // Said in one line with what to do, not guessed at by pinging a blackholed address.
            QVERIFY2(got["error"].toString().contains(words) && got["error"].toString().contains("two pods"), qPrintable(said));
            QVERIFY2(d.err.contains("two pods") && d.err.count('\n') <= 2, d.err.constData());
            // Not a fault of the cluster's: no critical finding.
            const QJsonArray findings = got["findings"].toArray();
            QVERIFY2(findings.size() == 1 && findings[0].toObject()["code"].toString() == QLatin1String("PODS_NEEDED") &&
                         findings[0].toObject()["severity"].toString() == QLatin1String("info"),
                     qPrintable(said));
            return;
        }
        QCOMPARE(got["mode"].toString(), QStringLiteral("none"));
        if (!fault.isEmpty()) {
            // The catalogue's outcome (written for the full mesh): the hops, the route checks,
            // the lead finding (naming the session for BGP's faults); never a tunnel, never
            // "the network drops it" unless it is the network's fault, never the pods' ping.
            const QJsonObject expected = expectedOf(QStringLiteral("none"), fault);
            QVERIFY(!expected.isEmpty());
            QCOMPARE(got["firstFailingHop"].toString(), expected["firstFailingHop"].toString());
            for (const auto &h : got["hops"].toArray())
                QVERIFY2(h.toObject()["status"].toString() == expected["hops"].toObject()[h.toObject()["id"].toString()].toString(),
                         qPrintable(h.toObject()["id"].toString() + ": " + said));
            const QJsonObject checks = expected["checks"].toObject();
            for (const char *c : {"route.client", "route.server", "tunnel.client", "tunnel.server", "tunnel.ping"})
                QVERIFY2(status[c] == checks[c].toString(), qPrintable(QString(c) + ": " + said));
            const QJsonObject lead = got["findings"].toArray().first().toObject();
            QVERIFY2(lead["code"].toString() == code && lead["blames"].toString() == failing &&
                         lead["message"].toString().contains(words),
                     qPrintable(said));
            for (const auto &f : got["findings"].toArray()) {
                const QString c = f.toObject()["code"].toString();
                QVERIFY2(c == code || (!c.startsWith(QLatin1String("TUNNEL_")) && !c.startsWith(QLatin1String("UNDERLAY_DROPS")) &&
                                       c != QLatin1String("POD_PING_LOST")),
                         qPrintable(said));
            }
            QCOMPARE(status["pod.ping"], QStringLiteral("fail"));
            return;
        }
        // The routes are Calico's as they should be: never a wrong device or gateway, never critical.
        for (const char *c : {"route.client", "route.server"})
            QVERIFY2(status[c] == QLatin1String("pass"), qPrintable(said));
        QVERIFY2(detail["route.client"].contains(words), qPrintable(detail["route.client"]));
        for (const char *c : {"tunnel.client", "tunnel.server"})
            QVERIFY2(status[c] == QLatin1String("skipped"), qPrintable(said));
        for (const auto &f : got["findings"].toArray())
            QVERIFY2(f.toObject()["code"].toString().startsWith(QLatin1String("POLICY")) ||
                         f.toObject()["severity"].toString() != QLatin1String("critical"),
                     qPrintable(said));
        // No tunnel hops: they are skipped and say why; every other hop the nodes' echoes
        // (sent to the server pod) crossed passes.
        for (const auto &h : got["hops"].toArray()) {
            const QJsonObject hop = h.toObject();
            if (hop["id"].toString().contains(QLatin1String(".tunnel"))) {
                QVERIFY2(hop["status"].toString() == QLatin1String("skipped") &&
                             hop["explanation"].toString().contains(QLatin1String("unencapsulated")),
                         qPrintable(hop["id"].toString() + ": " + hop["explanation"].toString()));
                continue;
            }
            for (const auto &st : hop["streams"].toArray())
                if (st.toObject()["stream"].toString() != QLatin1String("pod ping") && failing.isEmpty())
                    QVERIFY2(st.toObject()["status"].toString() == QLatin1String("pass"),
                             qPrintable(hop["id"].toString() + ": " + said));
        }
        if (failing.isEmpty()) {
            QVERIFY2(status["pod.ping"] == QLatin1String("pass"), qPrintable(said));
            return;
        }
        const QJsonObject lead = got["findings"].toArray().first().toObject();
        QVERIFY2(lead["code"].toString() == QLatin1String("POLICY_DROP") && lead["blames"].toString() == failing,
                 qPrintable(said));
    }

    // Calico 3.33's layout: Felix, not BIRD, programs the IPIP routes (proto 80, its own
    // block's blackhole too). The catalogue's IPIP outcomes hold unchanged for the route faults.
    void felixClusterRoutes_data()
    {
        addFaultRows({"healthy", "route-missing", "route-wrong-gateway", "reply-route-missing", "route-wrong-device"},
                     {"route-missing", "route-wrong-gateway"});
    }
    void felixClusterRoutes()
    {
        QFETCH(QString, fault);
        const QJsonObject expected = expectedOf(QStringLiteral("ipip"), fault);
        QVERIFY(!expected.isEmpty());
        Variant v;
        v.clusterRoutes = QStringLiteral("felix");
        check(QStringLiteral("ipip"), fault, expected, v);
        if (QTest::currentTestFailed())
            return;
        if (fault == QLatin1String("healthy"))
            for (const char *c : {"route.client", "route.server"})
                QVERIFY2(lastChecks[c].second.contains(QLatin1String("proto 80")), qPrintable(lastChecks[c].second));
    }

    // VXLAN in CrossSubnet mode (operator installs' default) between nodes of one subnet:
    // Felix routes the blocks straight over the underlay (proto 80) and vxlan.calico stays
    // for other subnets; IPIP in CrossSubnet mode the same with BIRD's routes and tunl0. Judged as the direct path it is: tunnel hops skipped, the VTEP
    // addresses answer unencapsulated (nodes alone work), and a missing route on one side
    // never makes the other side's right route a "wrong device".
    void crossSubnet_data()
    {
        QTest::addColumn<bool>("pods");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("fault");  // the lab's fault, "" for none
        QTest::addColumn<int>("exitStatus");
        QTest::addColumn<QString>("code");    // the lead finding's code, "" when healthy
        QTest::addColumn<QString>("blames");  // ... and what it blames
        QTest::addColumn<QString>("words");   // in the lead's message, or route.client's detail when healthy
        QTest::addColumn<int>("server");      // the server: node1 -> node2, or node3 (two subnets: node1's own)
        QTest::addColumn<QString>("mode");    // the overlay in CrossSubnet mode: vxlan, or ipip (rows so named)
        QTest::newRow("healthy pods as root") << true << "root" << "" << 0 << "" << ""
                                              << "198.18.20.128/26 via 198.51.100.12 dev eth0 proto 80" << 2 << "vxlan";
        if (!kEveryVariantRow && !wholeCatalogue())
            return;  // under sanitizers the healthy row's code paths; the verdicts are the plain build's
        // Two subnets: node1 and node3 share one; their pair goes direct while node2's is tunnelled.
        QTest::newRow("two subnets, same-subnet pods as root") << true << "root" << "" << 0 << "" << ""
                                                               << "198.18.30.192/26 via 198.51.100.13 dev eth0 proto 80" << 3 << "vxlan";
        QTest::newRow("nodes alone as sudo user") << false << "ppadmin" << "" << 0 << "" << ""
                                                  << "198.18.20.128/26 via 198.51.100.12 dev eth0 proto 80" << 2 << "vxlan";
        QTest::newRow("route-missing, nodes alone") << false << "root" << "route-missing" << 1 << "ROUTE_MISSING"
                                                    << "route.client" << "via 198.51.100.12 (or a router that carries the block) dev eth0" << 2 << "vxlan";
        QTest::newRow("underlay-drops-pod-addresses as sudo user")
            << true << "ppadmin" << "underlay-drops-pod-addresses" << 1 << "UNDERLAY_DROPS_POD_ADDRESSES"
            << "request.server.ingress" << "does not carry them" << 2 << "vxlan";
        // IPIP in CrossSubnet mode (manifest installs often set it): tunl0 keeps its address
        // for other subnets, BIRD routes a same-subnet peer's block over the underlay. Was
        // "no encapsulation" (BGP), now said for what it is.
        const char *ipipRoute = "198.18.20.128/26 via 198.51.100.12 dev eth0 proto bird";
        QTest::newRow("IPIP CrossSubnet, healthy pods as root") << true << "root" << "" << 0 << "" << "" << ipipRoute << 2 << "ipip";
        QTest::newRow("IPIP CrossSubnet, nodes alone as sudo user")
            << false << "ppadmin" << "" << 0 << "" << "" << ipipRoute << 2 << "ipip";
        if (wholeCatalogue()) {
            QTest::newRow("IPIP CrossSubnet, route-missing, nodes alone")
                << false << "root" << "route-missing" << 1 << "ROUTE_MISSING" << "route.client"
                << "via 198.51.100.12 (or a router that carries the block) dev eth0" << 2 << "ipip";
            QTest::newRow("IPIP CrossSubnet, underlay-drops-pod-addresses as sudo user")
                << true << "ppadmin" << "underlay-drops-pod-addresses" << 1 << "UNDERLAY_DROPS_POD_ADDRESSES"
                << "request.server.ingress" << "does not carry them" << 2 << "ipip";
            // Two subnets: node1 and node3 share one (direct), node2 is reached through tunl0.
            QTest::newRow("IPIP CrossSubnet, two subnets, same-subnet pods as root")
                << true << "root" << "" << 0 << "" << "" << "198.18.30.192/26 via 198.51.100.13 dev eth0 proto bird" << 3
                << "ipip";
        }
        if (!wholeCatalogue())
            return;
        QTest::newRow("two subnets, same-subnet nodes alone as sudo user")
            << false << "ppadmin" << "" << 0 << "" << "" << "198.18.30.192/26 via 198.51.100.13 dev eth0 proto 80" << 3 << "vxlan";
    }
    void crossSubnet()
    {
        QFETCH(bool, pods);
        QFETCH(QString, user);
        QFETCH(QString, fault);
        QFETCH(int, exitStatus);
        QFETCH(QString, code);
        QFETCH(QString, blames);
        QFETCH(QString, words);
        QFETCH(int, server);
        QFETCH(QString, mode);
        const bool ipip = mode == QLatin1String("ipip");
        LabShape shape;
        shape.mode = mode;
        (ipip ? shape.ipipMode : shape.vxlanMode) = QStringLiteral("CrossSubnet");
        if (server == 3) {
            shape.subnets = 2;
            shape.nodes = 3;
        }
        labIn(shape);
        if (QTest::currentTestFailed())
            return;
        if (!fault.isEmpty()) {
            const Run applied = run(kLab, {"fault", fault});
            QVERIFY2(applied.exitCode == 0, applied.err.constData());
        }
        auto cleared = qScopeGuard([fault] {
            if (!fault.isEmpty())
                (void)run(kLab, {"fault", "clear"});
        });
        const QJsonObject env = QJsonDocument::fromJson(run(kLab, {"env", "--json"}).out).object();
        QCOMPARE(env[ipip ? "ipipMode" : "vxlanMode"].toString(), QStringLiteral("CrossSubnet"));
        const QJsonArray nodes = env["nodes"].toArray();
        QVERIFY(nodes.size() >= 2);
        const LabDiagnosis ld = diagnoseLab(env, user, pods,
                                            QStringLiteral("lab-%1-crosssubnet-%2%3")
                                                .arg(mode, fault.isEmpty() ? (pods ? "pods" : "nodes") : fault,
                                                     server == 3 ? "-two-subnets" : ""),
                                            server - 1);
        if (QTest::currentTestFailed())
            return;
        const Run &d = ld.run;
        const QJsonObject &got = ld.json;
        const QString &said = ld.said;
        const QMap<QString, QString> &status = ld.status, &detail = ld.detail;
        QVERIFY2(d.exitCode == exitStatus, qPrintable(QString("exit %1; ").arg(d.exitCode) + said));
        QCOMPARE(got["mode"].toString(), mode + QStringLiteral("-crosssubnet-direct"));
        // Never the tunnel: its hops and checks are skipped, no tunnel or wrong-device finding.
        for (const char *c : {"tunnel.client", "tunnel.server", "ipset.client", "ipset.server"})
            QVERIFY2(status[c] == QLatin1String("skipped"), qPrintable(QString(c) + ": " + said));
        for (const auto &h : got["hops"].toArray())
            if (h.toObject()["id"].toString().contains(QLatin1String(".tunnel")))
                QVERIFY2(h.toObject()["status"].toString() == QLatin1String("skipped"), qPrintable(said));
        for (const auto &f : got["findings"].toArray()) {
            const QString c = f.toObject()["code"].toString();
            QVERIFY2(!c.startsWith(QLatin1String("TUNNEL_")) && c != QLatin1String("ROUTE_WRONG_DEVICE") &&
                         c != QLatin1String("POD_PING_LOST"),
                     qPrintable(said));
        }
        // The server's route back is right in every row.
        QVERIFY2(status["route.server"] == QLatin1String("pass"), qPrintable(said));
        if (code.isEmpty()) {
            QVERIFY2(got["findings"].toArray().isEmpty(), qPrintable(said));
            QVERIFY2(status["route.client"] == QLatin1String("pass") && detail["route.client"].contains(words), qPrintable(said));
            return;
        }
        const QJsonObject lead = got["findings"].toArray().first().toObject();
        QVERIFY2(lead["code"].toString() == code && lead["blames"].toString() == blames &&
                     lead["message"].toString().contains(words),
                 qPrintable(said));
    }

    // VXLAN CrossSubnet between nodes of two subnets (the lab's node range halved, a router
    // between): the pair is encapsulated, its outer packets routed, and every catalogued
    // VXLAN fault is found as on one segment. Nothing may call the routed underlay a fault.
    void acrossSubnets_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QJsonObject>("login");
        const QList<QPair<QString, QJsonObject>> all = faultsWithLogins();
        // CI: the healthy pair, the network dropping the encapsulation on the way, a route
        // and the receiving side's set (under sanitizers the healthy row alone).
        const QStringList telling{"healthy", "underlay-blocks-encap", "route-missing", "ipset-missing-server"};
        for (const auto &[f, own] : all)
            if (!expectedOf(QStringLiteral("vxlan"), f).isEmpty() &&
                (wholeCatalogue() || f == QLatin1String("healthy") || (kEveryVariantRow && telling.contains(f))))
                QTest::newRow(qPrintable(f)) << f << own;
    }
    void acrossSubnets()
    {
        QFETCH(QString, fault);
        QFETCH(QJsonObject, login);
        const QJsonObject expected = expectedOf(QStringLiteral("vxlan"), fault);
        QVERIFY(!expected.isEmpty());
        Variant v{login};
        v.vxlanMode = QStringLiteral("CrossSubnet");
        v.subnets = 2;
        check(QStringLiteral("vxlan"), fault, expected, v);
        if (QTest::currentTestFailed() || fault != QLatin1String("healthy"))
            return;
        QVERIFY2(lastChecks["route.client"].second.contains(QLatin1String("dev vxlan.calico onlink")),
                 qPrintable(lastChecks["route.client"].second));
    }

    // Dual-stack VXLAN (Felix's vxlan-v6.calico beside vxlan.calico): the IPv4 path is
    // judged as on an IPv4-only cluster, and the run says the IPv6 path was not, as info,
    // never as a fault.
    // Dual-stack VXLAN (vxlan-v6.calico beside vxlan.calico): the IPv6 burst between the
    // IPv6 VTEPs is judged on the same hops as the IPv4 one; the IPv4 faults read as on an
    // IPv4-only pair, the IPv6 ones (catalogue mode vxlan6) with the IPv4 path healthy.
    void dualStack_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QJsonObject>("login");
        const QStringList ci{"ipset-missing-server", "ipv6-fdb-missing", "ipv6-underlay-drops"};
        for (const char *f : {"healthy", "ipset-missing-server", "underlay-blocks-encap", "route-missing", "ipv6-route-missing",
                              "ipv6-fdb-missing", "ipv6-underlay-drops"})
            if (wholeCatalogue() || std::string_view(f) == "healthy" || (kEveryVariantRow && ci.contains(QLatin1String(f))))
                QTest::newRow(f) << QString::fromLatin1(f) << QJsonObject{};
        // Through sudo, and sudo limited to named commands (ping -6 is ping; ip -6 route
        // needs no root): the IPv6 path reads the same.
        if (wholeCatalogue() || kEveryVariantRow) {
            QTest::newRow("ipv6-fdb-missing as sudo user") << "ipv6-fdb-missing" << QJsonObject{{"user", "ppadmin"}, {"sudo", true}};
            QTest::newRow("ipv6-underlay-drops, sudo restricted to named commands")
                << "ipv6-underlay-drops" << QJsonObject{{"user", "ppsudo"}, {"sudo", true}, {"restricted", true}};
        }
    }
    void dualStack()
    {
        QFETCH(QString, fault);
        QFETCH(QJsonObject, login);
        const bool ipv6Fault = fault.startsWith(QLatin1String("ipv6-"));
        QJsonObject expected = expectedOf(ipv6Fault ? QStringLiteral("vxlan6") : QStringLiteral("vxlan"), fault);
        QVERIFY(!expected.isEmpty());
        // The IPv4 route gone, the IPv6 burst still crosses every hop after the one where
        // the IPv4 echoes die: those hops carry packets, and pass.
        if (fault == QLatin1String("route-missing")) {
            QJsonObject hops = expected["hops"].toObject();
            for (auto it = hops.begin(); it != hops.end(); ++it)
                it.value() = it.key() == expected["firstFailingHop"].toString() ? "fail" : "pass";
            expected["diagnosisHops"] = hops;
        }
        Variant v{login};
        v.ipv6 = true;
        check(QStringLiteral("vxlan"), fault, expected, v);
        if (QTest::currentTestFailed())
            return;
        // Judged, not set aside: no "not judged" note, the IPv6 checks ran.
        QVERIFY2(!lastFindingCodes.contains(QLatin1String("IPV6_NOT_JUDGED")), qPrintable(lastFindingCodes.join(' ')));
        for (const char *c : {"tunnel6.ping", "route6.client", "route6.server"})
            QVERIFY2(lastChecks.contains(c), c);
        if (fault == QLatin1String("healthy")) {
            QVERIFY2(lastFindingCodes.isEmpty(), qPrintable(lastFindingCodes.join(' ')));
            QVERIFY2(lastChecks["tunnel6.ping"].second.contains(QLatin1String("Ping 2001:db8:1800::80 from 2001:db8:1800::40")),
                     qPrintable(lastChecks["tunnel6.ping"].second));
            // Every echo of the IPv6 burst seen at every hop, there and back.
            QCOMPARE(lastIpv6Seen.size(), 8);
            for (auto it = lastIpv6Seen.begin(); it != lastIpv6Seen.end(); ++it)
                QVERIFY2(it.value() > 0, qPrintable(it.key()));
        }
        if (ipv6Fault) {
            // The IPv4 path stays healthy: only the IPv6 checks and the IPv6 burst fail.
            for (const char *c : {"tunnel.ping", "route.client", "route.server", "iptables.server"})
                QVERIFY2(lastChecks[c].first == QLatin1String("pass"), qPrintable(QString(c) + ": " + lastChecks[c].second));
            QCOMPARE(lastChecks["tunnel6.ping"].first, QStringLiteral("fail"));
            QVERIFY2(lastFindingTexts.section('\n', 0, 0).contains(QLatin1String("IPv6")), qPrintable(lastFindingTexts));
        }
    }

    // WireGuard on (wireguard.cali beside vxlan.calico or tunl0, wireguard-go in the lab):
    // the echoes cross the WireGuard devices in the clear and the underlay sealed, and every
    // hop is judged from them; each fault is found where its packets stop.
    void wireguard_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QJsonObject>("login");
        const QStringList faults{"healthy", "wg-underlay-drops", "wg-handshake-blocked", "wg-allowed-ips-missing",
                                 "wg-stale-endpoint", "wg-peer-missing"};
        const QStringList ci{"wg-handshake-blocked", "wg-allowed-ips-missing"};
        for (const char *mode : {"vxlan", "ipip"})
            for (const QString &f : faults)
                if (wholeCatalogue() || (std::string_view(mode) == "vxlan" && (f == QLatin1String("healthy") || (kEveryVariantRow && ci.contains(f)))) ||
                    (std::string_view(mode) == "ipip" && f == QLatin1String("healthy") && kEveryVariantRow))
                    QTest::newRow(qPrintable(QString::fromLatin1(mode) + "/" + f)) << QString::fromLatin1(mode) << f << QJsonObject{};
        // Through sudo, and sudo limited to named commands (`wg show wireguard.cali` named
        // with its arguments): the peers are read the same.
        if (wholeCatalogue() || kEveryVariantRow) {
            QTest::newRow("vxlan/wg-allowed-ips-missing as sudo user")
                << "vxlan" << "wg-allowed-ips-missing" << QJsonObject{{"user", "ppadmin"}, {"sudo", true}};
            QTest::newRow("vxlan/wg-peer-missing, sudo restricted to named commands")
                << "vxlan" << "wg-peer-missing" << QJsonObject{{"user", "ppsudo"}, {"sudo", true}, {"restricted", true}};
        }
    }
    void wireguard()
    {
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        QFETCH(QJsonObject, login);
        const QJsonObject expected = expectedOf(fault == QLatin1String("healthy") ? mode : QStringLiteral("wireguard"), fault);
        QVERIFY(!expected.isEmpty());
        Variant v{login};
        v.wireguard = true;
        check(mode, fault, expected, v);
        if (QTest::currentTestFailed())
            return;
        for (const char *c : {"wireguard.client", "wireguard.server"})
            QVERIFY2(lastChecks.contains(c), c);
        if (fault == QLatin1String("healthy")) {
            QVERIFY2(lastFindingCodes.isEmpty(), qPrintable(lastFindingCodes.join(' ')));
            for (const char *c : {"wireguard.client", "wireguard.server"})
                QVERIFY2(lastChecks[c].first == QLatin1String("pass") && lastChecks[c].second.contains(QLatin1String(":51820")),
                         qPrintable(lastChecks[c].second));
            // The full-size probe is sized to wireguard.cali (1440), not to the tunnel device.
            QVERIFY2(lastChecks["tunnel.full-size"].second.contains(QLatin1String("1440 bytes")),
                     qPrintable(lastChecks["tunnel.full-size"].second));
        }
    }

    // VXLAN on another port than Calico's default (8472, Linux's old default, as some
    // clusters set it): the capture, the rules matched and the words follow the device.
    void otherVxlanPort_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QJsonObject>("login");
        // Under sanitizers the healthy row and the fault whose words name the port.
        for (const char *f : {"healthy", "underlay-blocks-encap", "iptables-drop-server-request", "ipset-missing-client"})
            if (kEveryVariantRow || std::string_view(f) == "healthy" || std::string_view(f) == "underlay-blocks-encap")
                QTest::newRow(f) << f << QJsonObject{};
        if (kEveryVariantRow)
            QTest::newRow("ipset-missing-client as sudo user")
                << "ipset-missing-client" << QJsonObject{{"user", "ppadmin"}, {"sudo", true}};
    }
    void otherVxlanPort()
    {
        QFETCH(QString, fault);
        QFETCH(QJsonObject, login);
        const QJsonObject expected = expectedOf(QStringLiteral("vxlan"), fault);
        QVERIFY(!expected.isEmpty());
        Variant v{login};
        v.vxlanPort = 8472;
        check(QStringLiteral("vxlan"), fault, expected, v);
        if (QTest::currentTestFailed() || fault != QLatin1String("underlay-blocks-encap"))
            return;
        QVERIFY2(lastFindingTexts.contains(QLatin1String("UDP 8472")) && !lastFindingTexts.contains(QLatin1String("4789")),
                 qPrintable(lastFindingTexts));
    }

    // Clusters differ: a login that needs sudo, Calico logging to stdout (kept by the
    // kubelet under /var/log/pods) instead of /var/log/calico.
    void variants_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("logs");
        QTest::addColumn<QJsonObject>("login");
        QTest::addColumn<bool>("mgmt");
        QTest::addColumn<QString>("tcpdump");
        const QJsonObject sudo{{"user", "ppadmin"}, {"sudo", true}};
        // Under sanitizers the healthy rows (each login's and log layout's code path) and
        // the faults marked `sanitized` (one per layout whose reading differs); every other
        // verdict is the plain build's to prove.
        auto row = [](const QString &tag, const char *mode, const char *fault, const char *logs, const QJsonObject &login,
                      bool mgmt, const char *tcpdump, bool sanitized = false) {
            if (kEveryVariantRow || sanitized || std::string_view(fault) == "healthy")
                QTest::newRow(qPrintable(tag)) << QString::fromLatin1(mode) << QString::fromLatin1(fault)
                                               << QString::fromLatin1(logs) << login << mgmt << QString::fromLatin1(tcpdump);
        };
        row("ipip ipset-missing-client as sudo user, logs in /var/log/pods", "ipip", "ipset-missing-client", "pods", sudo,
            false, "current", true);
        row("ipip route-no-onlink, logs in /var/log/pods", "ipip", "route-no-onlink", "pods", {}, false, "current");
        // Canal (Calico's policy beside flannel): the pod is canal-ID, its container calico-node.
        row("vxlan healthy, Canal's pod log", "vxlan", "healthy", "canal", {}, false, "current");
        row("ipip iptables-drop-server-request as sudo user, Canal's pod log", "ipip", "iptables-drop-server-request",
            "canal", sudo, false, "current");
        // k3s: no kubelet of its own; its lines are in the journal of the k3s / k3s-agent unit.
        row("ipip healthy, k3s (kubelet in the k3s units' journal)", "ipip", "healthy", "k3s", {}, false, "current");
        row("vxlan ipset-missing-client as sudo user, k3s", "vxlan", "ipset-missing-client", "k3s", sudo, false, "current");
        // calico-node's log only through the container runtime (crictl ps / logs), through
        // root, sudo and sudo restricted to named commands (crictl is one of them).
        row("ipip healthy, log only through crictl", "ipip", "healthy", "crictl", {}, false, "current");
        row("vxlan iptables-drop-server-request as sudo user, log only through crictl", "vxlan",
            "iptables-drop-server-request", "crictl", sudo, false, "current", true);
        row("ipip healthy, sudo restricted to named commands, log only through crictl", "ipip", "healthy", "crictl",
            QJsonObject{{"user", "ppsudo"}, {"sudo", true}, {"restricted", true}}, false, "current");
        if (kEveryVariantRow)
            row("vxlan healthy, logs in /var/log/pods", "vxlan", "healthy", "pods", {}, false, "current");
        // SSH over a management network (a second card): Calico's node IP is still the
        // one the peers route to, and a healthy pair is healthy (was ROUTE_WRONG_GATEWAY).
        for (const char *m : {"ipip", "vxlan"})
            for (const char *f : {"healthy", "route-wrong-gateway", "ipset-missing-client", "source-address-wrong"})
                row(QString::asprintf("%s %s, SSH over a management network", m, f), m, f, "calico", {}, true, "current");
        row("ipip healthy as sudo user, SSH over a management network", "ipip", "healthy", "calico", sudo, true, "current");
        row("vxlan ipset-missing-server as sudo user, SSH over a management network", "vxlan", "ipset-missing-server",
            "calico", sudo, true, "current", true);
        // tcpdump 4.9 (RHEL 8, Ubuntu 20.04): no interface in `-i any`, so one capture per
        // interface; the same verdicts, and one pcap file per capture.
        for (const char *m : {"ipip", "vxlan"})
            for (const char *f : {"healthy", "iptables-drop-server-request", "ipset-missing-client", "underlay-blocks-encap"})
                row(QString::asprintf("%s %s, tcpdump 4.9", m, f), m, f, "calico", {}, false, "4.9");
        row("vxlan iptables-drop-client-reply as sudo user, tcpdump 4.9", "vxlan", "iptables-drop-client-reply", "calico",
            sudo, false, "4.9", true);
        // A login shell that costs 0.5 s and prints a banner on stdout and a line on
        // stderr for every command (the lab's ppslow): paid once per exec, never read as
        // an answer, never in the pcap.
        const QJsonObject slow{{"user", "ppslow"}, {"sudo", true}};
        for (const char *m : {"ipip", "vxlan"})
            for (const char *f : {"healthy", "ipset-missing-client", "iptables-drop-server-request"})
                row(QString::asprintf("%s %s, heavy login shell", m, f), m, f, "calico", slow, false, "current");
        row("ipip underlay-blocks-encap, heavy login shell, tcpdump 4.9", "ipip", "underlay-blocks-encap", "calico", slow,
            false, "4.9", true);
        // Least-privilege sudo: the lab's ppsudo has README's sudoers line as written (the
        // named commands only: no timeout, no shell); each privileged command runs through
        // sudo on its own, and the verdicts are the same.
        const QJsonObject restricted{{"user", "ppsudo"}, {"sudo", true}, {"restricted", true}};
        for (const char *m : {"ipip", "vxlan"})
            for (const char *f : {"healthy", "iptables-drop-server-request", "ipset-missing-client"})
                row(QString::asprintf("%s %s, sudo restricted to named commands", m, f), m, f, "calico", restricted, false,
                    "current", std::string_view(m) == "ipip" && std::string_view(f) == "iptables-drop-server-request");
        // Sudo with a password, typed at the terminal once per node: for every command
        // (pppass), and for the named commands only (ppsudopw), each through its own sudo -S.
        const QJsonObject withPassword{{"user", "pppass"}, {"sudo", true}, {"password", "pplab-pass"}, {"privilege", "sudo-password"}};
        const QJsonObject restrictedPassword{
            {"user", "ppsudopw"}, {"sudo", true}, {"password", "pplab-pass"}, {"privilege", "sudo-restricted"}};
        row("ipip healthy, sudo with a password", "ipip", "healthy", "calico", withPassword, false, "current");
        for (const char *m : {"ipip", "vxlan"})
            for (const char *f : {"healthy", "iptables-drop-server-request", "ipset-missing-client"})
                row(QString::asprintf("%s %s, sudo restricted to named commands with a password", m, f), m, f, "calico",
                    restrictedPassword, false, "current");
        // Any login shell (the lab's users with dash, zsh, fish, tcsh and BusyBox ash, NOPASSWD
        // sudo): the whole diagnosis through each, the same verdict, one login and at most
        // two execs per node (check()).
        // (Under sanitizers each shell once: the login code is the same for both modes.)
        for (const char *m : {"ipip", "vxlan"})
            for (const char *u : {"ppdash", "ppzsh", "ppfish", "pptcsh", "ppash"})
                if (kEveryVariantRow || std::string_view(m) == "ipip")
                    row(QString::asprintf("%s healthy, login shell of %s", m, u), m, "healthy", "calico",
                        QJsonObject{{"user", u}, {"sudo", true}, {"privilege", "sudo"}}, false, "current");
    }
    void variants()
    {
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        QFETCH(QString, logs);
        QFETCH(QJsonObject, login);
        QFETCH(bool, mgmt);
        QFETCH(QString, tcpdump);
        const QJsonObject expected = expectedOf(mode, fault);
        QVERIFY(!expected.isEmpty());
        check(mode, fault, expected, Variant{login, logs, mgmt, tcpdump});

        if (login["restricted"].toBool() && !QTest::currentTestFailed())
            QCOMPARE(lastPrivileges, (QStringList{"sudo-restricted", "sudo-restricted"}));
        if (login.contains("privilege") && !QTest::currentTestFailed())
            QCOMPARE(lastPrivileges, QStringList(2, login["privilege"].toString()));
        if (mgmt && !QTest::currentTestFailed())
            QVERIFY2(lastHosts.startsWith(QStringLiteral("198.19.254.")), qPrintable("SSH went to " + lastHosts));
        if ((logs == QLatin1String("pods") || logs == QLatin1String("k3s") || logs == QLatin1String("canal")) &&
            !QTest::currentTestFailed()) {
            // The Calico log really came from the pod's CRI file (Canal's, in its pod).
            QCOMPARE(lastLogLocations.contains(QStringLiteral("/var/log/pods/")), true);
            QCOMPARE(lastLogLocations.contains(QStringLiteral("/var/log/pods/kube-system_canal-")), logs == QLatin1String("canal"));
        }
        if (logs == QLatin1String("crictl") && !QTest::currentTestFailed())
            QVERIFY2(lastLogLocations.contains(QStringLiteral("crictl logs ")) &&
                         !lastLogLocations.contains(QStringLiteral("/var/log/pods/")),
                     qPrintable(lastLogLocations));
        if (logs == QLatin1String("k3s") && !QTest::currentTestFailed())
            QVERIFY2(lastLogLocations.contains(QStringLiteral("journalctl")) &&
                         !lastLogLocations.contains(QStringLiteral("/var/log/kubelet.log")),
                     qPrintable(lastLogLocations));
    }

    // Busy nodes: other pods' overlay traffic (hundreds of echoes a second each way) runs
    // all through the diagnosis. The verdict is the catalogue's, and each capture holds
    // the pair's own packets only, not thousands of others that would spend its bounds.
    void busyNodes_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<bool>("wireguard");
        for (const char *m : {"ipip", "vxlan"})
            for (const char *f : {"healthy", "iptables-drop-server-request", "ipset-missing-client"})
                if (kEveryVariantRow || std::string_view(f) == "healthy")
                    QTest::addRow("%s %s, busy nodes", m, f) << m << f << false;
        // Through WireGuard the pods' 84-byte echoes are sealed in packets as long as the
        // burst's: the capture keeps them, and each echo is still told from theirs.
        for (const char *f : {"healthy", "wg-allowed-ips-missing"})
            if (kEveryVariantRow || std::string_view(f) == "healthy")
                QTest::addRow("vxlan %s, busy nodes, WireGuard", f) << "vxlan" << f << true;
    }
    void busyNodes()
    {
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        QFETCH(bool, wireguard);
        const QJsonObject expected = expectedOf(fault.startsWith(QLatin1String("wg-")) ? QStringLiteral("wireguard") : mode, fault);
        QVERIFY(!expected.isEmpty());
        Variant busy;
        busy.busy = true;
        busy.wireguard = wireguard;
        check(mode, fault, expected, busy);
        if (QTest::currentTestFailed())
            return;
        // The background really ran: at 2 ms a pod sends hundreds in a second.
        QVERIFY2(lastBusyPackets >= 200, qPrintable(QString("the busy pods sent only %1 echoes").arg(lastBusyPackets)));
        for (const char *role : {"client", "server"}) {
            const int n = lastCaptured.value(QString::fromLatin1(role), -1);
            // The pair's own: the underlay ping, the echoes and the full-size probes on the
            // tunnel device and the underlay, both ways: tens of packets, never hundreds.
            // Through WireGuard the busy pods' sealed echoes share the burst's length: kept,
            // within the capture's bound (20000), never cutting it short.
            QVERIFY2(n > 0 && n <= (wireguard ? 20000 : 400), qPrintable(QString("%1's tcpdump captured %2 packets while the busy pods sent %3")
                                                       .arg(role).arg(n).arg(lastBusyPackets)));
        }
        qInfo("busy pods sent %d echoes during the run; tcpdump captured %d (client) and %d (server)", lastBusyPackets,
              lastCaptured.value("client"), lastCaptured.value("server"));
    }

    // A WAN link between the engineer and the nodes (100 ms round trip, the SSH address a
    // relay's, as behind a NAT or a bastion): the same verdicts, and the run waits for few
    // exchanges one after another (its time is README's bench, not asserted here).
    void wanLink_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QJsonObject>("login");
        for (const char *m : {"ipip", "vxlan"})
            for (const char *f : {"healthy", "iptables-drop-server-request", "ipset-missing-client"})
                if (kEveryVariantRow || std::string_view(f) == "healthy")
                    QTest::addRow("%s %s, 100 ms round trip", m, f) << m << f << QJsonObject{};
        if (kEveryVariantRow)
            QTest::newRow("ipip healthy as sudo user, 100 ms round trip")
                << "ipip" << "healthy" << QJsonObject{{"user", "ppadmin"}, {"sudo", true}};
    }
    void wanLink()
    {
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        QFETCH(QJsonObject, login);
        const QJsonObject expected = expectedOf(mode, fault);
        QVERIFY(!expected.isEmpty());
        Variant wan;
        wan.login = login;
        wan.wanRttMs = 100;
        check(mode, fault, expected, wan);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(lastHosts == QLatin1String("127.0.0.1"), qPrintable("SSH went to " + lastHosts + ", not the relay"));
        QCOMPARE(lastRoundTrips.size(), 2);
        // Connect, log in, the reads, the capture, the pings and the last reads: each an
        // exchange the run must wait for. About 20 today; a command per round trip (the
        // old way) would be over 60.
        // (Under the sanitizers' pace the client answers the node's data in more pieces:
        // more turns that nobody waits for, so only "some" is asserted there.)
        for (auto it = lastRoundTrips.cbegin(); it != lastRoundTrips.cend(); ++it)
            QVERIFY2(it.value() > 0 && (!kEveryVariantRow || it.value() <= 35),
                     qPrintable(QString("%1 round trips to %2").arg(it.value()).arg(it.key())));
        qInfo("round trips over the 100 ms link: %s %d, %s %d", qPrintable(lastRoundTrips.firstKey()),
              lastRoundTrips.first(), qPrintable(lastRoundTrips.lastKey()), lastRoundTrips.last());
    }

    // Pod to pod (issue #15): the lab's web pods under each policy set (tests/lab/lab
    // policy list). The client pod pings the server pod from inside its namespace; a
    // policy that drops it fails the run with POLICY_DROP on the pod whose policy it is,
    // naming the policy as Felix wrote it; ICMP that a port rule does not touch passes.
    void podToPod_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("policy");
        QTest::addColumn<QString>("port");  // "tcp 8080", "udp 8080"; empty: the ping alone
        QTest::addColumn<QString>("user");
        QTest::addColumn<int>("exitStatus");
        QTest::addColumn<QString>("failing");  // the check that fails with the lead finding; empty: none
        QTest::addColumn<QString>("named");    // what the lead finding's message says
        QTest::addColumn<QString>("tcpdump");  // the nodes' tcpdump: "current" or "4.9"
        QTest::addColumn<QString>("bash");     // "present", or "none": the port probe falls back to nc
        struct Row {
            const char *policy, *port;
            int exitStatus;
            const char *failing, *named;
            bool ipipCi, vxlanCi;  // as root
        };
        // The web pods serve TCP 8080 (tests/lab/lab); nothing listens on 8081 or on UDP.
        const Row rows[] = {
            {"none", "", 0, "", "", true, false},
            {"allow-web", "", 0, "", "", false, false},
            {"ingress-deny", "", 1, "policy.server", "NetworkPolicy default/default-deny-ingress", true, false},
            {"egress-deny", "", 1, "policy.client", "GlobalNetworkPolicy deny-web-egress", true, true},
            {"port-deny", "", 0, "", "", false, false},
            {"port-deny-explicit", "", 0, "", "", true, false},
            {"allow-web", "tcp 8080", 0, "", "", true, false},
            {"port-deny", "tcp 8080", 1, "policy.server", "allowed by ICMP but not by TCP 8080", true, false},
            {"port-deny-explicit", "tcp 8080", 1, "policy.server", "NetworkPolicy default/deny-8080", false, true},
            {"none", "tcp 8081", 1, "pod.port", "nothing listens", true, false},
            {"allow-web", "udp 8080", 1, "policy.server", "allowed by ICMP but not by UDP 8080", false, false},
            {"none", "udp 8080", 2, "", "", false, false},
        };
        for (const char *m : {"ipip", "vxlan"})
            for (const Row &r : rows)
                for (const char *u : {"root", "ppadmin"}) {
                    // CI: the rows marked, as root, and one drop through sudo; under the
                    // sanitizers a pass and a drop. `--full`: all of them, both ways.
                    const std::string_view mv = m, pv = r.policy, uv = u, port = r.port;
                    const bool ci = uv == "root" ? (mv == "ipip" ? r.ipipCi : r.vxlanCi)
                                                 : mv == "ipip" && pv == "ingress-deny" && port.empty();
                    const bool sanitized = mv == "ipip" && uv == "root" && port.empty() && (pv == "none" || pv == "ingress-deny");
                    if (wholeCatalogue() || (kEveryVariantRow ? ci : sanitized))
                        QTest::addRow("%s %s%s%s as %s", m, r.policy, *r.port ? ", " : "", r.port, u)
                            << m << r.policy << r.port << u << r.exitStatus << r.failing << r.named << "current" << "present";
                }
        // tcpdump 4.9 (RHEL 8, Ubuntu 20.04) writes no interface on -i any: the pod's
        // interface is captured on its own and its direction told by the pod's address.
        if (kEveryVariantRow || wholeCatalogue()) {
            QTest::addRow("ipip allow-web, tcp 8080 as root, tcpdump 4.9")
                << "ipip" << "allow-web" << "tcp 8080" << "root" << 0 << "" << "" << "4.9" << "present";
            QTest::addRow("vxlan ingress-deny as ppadmin, tcpdump 4.9")
                << "vxlan" << "ingress-deny" << "" << "ppadmin" << 1 << "policy.server"
                << "NetworkPolicy default/default-deny-ingress" << "4.9" << "present";
        }
        // A node without bash (Alpine-, Talos-style): the port is probed with nc, and every
        // login shell is sh; through sudo as well.
        if (kEveryVariantRow || wholeCatalogue()) {
            QTest::addRow("ipip port-deny, tcp 8080 as root, no bash")
                << "ipip" << "port-deny" << "tcp 8080" << "root" << 1 << "policy.server" << "allowed by ICMP but not by TCP 8080"
                << "current" << "none";
            QTest::addRow("vxlan allow-web, tcp 8080 as ppadmin, no bash")
                << "vxlan" << "allow-web" << "tcp 8080" << "ppadmin" << 0 << "" << "" << "current" << "none";
        }
        if (wholeCatalogue()) {
            QTest::addRow("ipip none, tcp 8081 as ppadmin, no bash")
                << "ipip" << "none" << "tcp 8081" << "ppadmin" << 1 << "pod.port" << "nothing listens" << "current" << "none";
            QTest::addRow("ipip allow-web, udp 8080 as root, no bash")
                << "ipip" << "allow-web" << "udp 8080" << "root" << 1 << "policy.server" << "allowed by ICMP but not by UDP 8080"
                << "current" << "none";
        }
        if (wholeCatalogue())
            QTest::addRow("ipip egress-deny as root, tcpdump 4.9")
                << "ipip" << "egress-deny" << "" << "root" << 1 << "policy.client" << "GlobalNetworkPolicy deny-web-egress"
                << "4.9" << "present";
        // sudo restricted to named commands without `ip`: nothing can be sent from inside a
        // pod, and the run says so instead of judging the pods (exit 2).
        if (kEveryVariantRow || wholeCatalogue())
            QTest::addRow("ipip none, tcp 8080 as ppsudo (sudo without ip)")
                << "ipip" << "none" << "tcp 8080" << "ppsudo" << 2 << "" << "" << "current" << "present";
    }
    void podToPod()
    {
        QFETCH(QString, mode);
        QFETCH(QString, policy);
        QFETCH(QString, port);
        QFETCH(QString, user);
        QFETCH(int, exitStatus);
        QFETCH(QString, failing);
        QFETCH(QString, named);
        QFETCH(QString, tcpdump);
        QFETCH(QString, bash);
        // The plain lab in this mode, without a fault (the policy set rewrites the firewall).
        plainLab(mode, tcpdump, bash);
        if (QTest::currentTestFailed())
            return;
        const Run set = run(kLab, {"policy", policy});
        QVERIFY2(set.exitCode == 0, set.err.constData());
        auto cleared = qScopeGuard([] { (void)run(kLab, {"policy", "none"}); });
        Run envRun = run(kLab, {"env", "--json"});
        const QJsonObject env = QJsonDocument::fromJson(envRun.out).object();
        const QJsonArray nodes = env["nodes"].toArray();
        QVERIFY(nodes.size() >= 2);
        const QJsonObject clientPod = nodes[0].toObject()["pod"].toObject(), serverPod = nodes[1].toObject()["pod"].toObject();
        QTemporaryDir dir;
        const QString json = dir.filePath("d.json");
        QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
        const QString png = QStringLiteral(PODPATH_SCREENSHOTS "/lab-%1-pods-%2%3%4.png")
                                .arg(mode, policy, port.isEmpty() ? QString() : "-" + QString(port).replace(' ', '-'),
                                     (tcpdump == QLatin1String("current") ? QString() : "-tcpdump-" + tcpdump) +
                                         (bash == QLatin1String("none") ? QStringLiteral("-no-bash") : QString()));
        QStringList args{"diagnose", "--client", endpoint(user, nodes[0].toObject()), "--server",
                         endpoint(user, nodes[1].toObject()), "--client-pod", clientPod["ip"].toString(), "--server-pod",
                         serverPod["ip"].toString(), "--identity", env["key"].toString(), "--known-hosts",
                         env["knownHosts"].toString(), "--json", json, "--png", png, "--quiet"};
        if (!port.isEmpty())
            args << "--protocol" << port.section(' ', 0, 0) << "--port" << port.section(' ', 1, 1);
        const Run d = run(QStringLiteral(PODPATH_BINARY), args);
        QFile jf(json);
        QVERIFY2(jf.open(QIODevice::ReadOnly), qPrintable("no JSON written; stderr: " + QString::fromUtf8(d.err)));
        const QJsonObject got = QJsonDocument::fromJson(jf.readAll()).object();
        // Qt Test cuts a message at about 1 KB: the findings and the pod checks go first.
        QString said = got["verdict"].toString() + ": " + got["error"].toString();
        for (const auto &f : got["findings"].toArray())
            said += "\n  finding " + f.toObject()["code"].toString() + ": " + f.toObject()["message"].toString().left(200);
        QMap<QString, QString> status;
        QString others;
        for (const auto &c : got["checks"].toArray()) {
            const QString id = c.toObject()["id"].toString();
            status[id] = c.toObject()["status"].toString();
            const QString line = "\n  " + id + " " + status[id] + ": " + c.toObject()["detail"].toString().left(200);
            (id.startsWith("pod.") || id.startsWith("policy.") ? said : others) += line;
        }
        said += others;
        QVERIFY2(d.exitCode == exitStatus, qPrintable(QString("exit %1; ").arg(d.exitCode) + said));
        // The pods were found where the lab put them, by their interface, in their namespace.
        const QJsonObject pods = got["pods"].toObject();
        QCOMPARE(pods["client"].toObject()["interface"].toString(), clientPod["interface"].toString());
        QCOMPARE(pods["server"].toObject()["interface"].toString(), serverPod["interface"].toString());
        QVERIFY2(pods["client"].toObject()["netns"].toString().startsWith(QLatin1String("cni-")), qPrintable(said));
        QVERIFY2(status["pod.client"] == QLatin1String("pass") && status["pod.server"] == QLatin1String("pass"), qPrintable(said));
        // The path between the nodes is healthy whatever the pods' policies say: the nodes'
        // own echoes pass every hop between them (the pod's may stop at one).
        for (const auto &h : got["hops"].toArray())
            for (const auto &st : h.toObject()["streams"].toArray())
                if (st.toObject()["stream"].toString() != QLatin1String("pod ping"))
                    QVERIFY2(st.toObject()["status"].toString() == QLatin1String("pass"), qPrintable(said));
        // The pods' ends are judged on the pod's own echoes: all pass when its ping was
        // answered; else the first failing hop is where its echoes stopped.
        const QJsonArray podHops = got["podHops"].toArray();
        QCOMPARE(podHops.size(), qsizetype(4));
        if (status["pod.ping"] == QLatin1String("pass")) {
            for (const auto &h : podHops)
                QVERIFY2(h.toObject()["status"].toString() == QLatin1String("pass"), qPrintable(said));
        } else if (status["pod.ping"] == QLatin1String("fail")) {
            const QString first = got["firstFailingHop"].toString();
            QVERIFY2(!first.isEmpty(), qPrintable(said));
            QJsonArray all = got["hops"].toArray();
            for (const auto &h : podHops)
                all.append(h);
            bool podLostThere = false;
            for (const auto &h : all)
                if (h.toObject()["id"].toString() == first)
                    for (const auto &st : h.toObject()["streams"].toArray())
                        podLostThere = podLostThere || (st.toObject()["stream"].toString() == QLatin1String("pod ping") &&
                                                        st.toObject()["lostHere"].toInt() > 0);
            QVERIFY2(podLostThere, qPrintable(first + ": " + said));
        }
        if (user == QLatin1String("ppsudo")) {
            for (const char *id : {"pod.ping", "pod.port", "policy.client", "policy.server"})
                QVERIFY2(status[id] == QLatin1String("unknown"), qPrintable(said));
            QVERIFY2(got["error"].toString().contains("needs `ip` in the user's sudo rights"), qPrintable(said));
            return;
        }
        // What sent the port probe is said: bash where the node has it, else nc.
        QCOMPARE(got["pods"].toObject()["tool"].toString(),
                 port.isEmpty()                   ? QString()
                 : bash == QLatin1String("none") ? QStringLiteral("nc")
                 : port.startsWith("udp")         ? QStringLiteral("bash /dev/udp")
                                                  : QStringLiteral("bash /dev/tcp"));
        QCOMPARE(status["pod.port"], port.isEmpty() ? QStringLiteral("skipped")
                                     : failing.isEmpty() ? (port.startsWith("udp") ? QStringLiteral("unknown") : QStringLiteral("pass"))
                                                         : QStringLiteral("fail"));
        if (failing.isEmpty()) {
            QVERIFY2(status["pod.ping"] == QLatin1String("pass"), qPrintable(said));
            QVERIFY2(status["policy.client"] == QLatin1String("pass") && status["policy.server"] == QLatin1String("pass"),
                     qPrintable(said));
            return;
        }
        // The ping fails with the policy that drops it, unless the port alone is stopped.
        const bool pingFails = port.isEmpty();
        QVERIFY2(status["pod.ping"] == QLatin1String(pingFails ? "fail" : "pass") && status[failing] == QLatin1String("fail"),
                 qPrintable(said));
        const QJsonObject lead = got["findings"].toArray().first().toObject();
        const QString code = failing == QLatin1String("pod.port") ? QStringLiteral("PORT_REFUSED") : QStringLiteral("POLICY_DROP");
        QVERIFY2(lead["code"].toString() == code && lead["blames"].toString() == failing && lead["message"].toString().contains(named),
                 qPrintable(QJsonDocument(lead).toJson()));
    }

    // The pod fault catalogue (faults.json "podFaults": a policy set, a broken pod end, or
    // a pod looked for on the wrong node), each as catalogued: exit status, first failing
    // hop, the pods' four hops, the check that fails and its finding's words.
    void podFaults_data()
    {
        QTest::addColumn<QJsonObject>("fault");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("dataplane");
        const QJsonArray faults = catalogue()["podFaults"].toArray();
        QVERIFY(faults.size() >= 10);
        for (const auto &v : faults) {
            const QJsonObject f = v.toObject();
            const QString name = f["name"].toString();
            for (const auto &m : f["modes"].toArray())
                for (const char *u : {"root", "ppadmin"}) {
                    // CI: every fault in IPIP as root, in VXLAN the telling ones (a
                    // policy, the untracked replies, a pod end), and the untracked replies
                    // through sudo; under the sanitizers one pod end. `--full`: all.
                    const QString mode = m.toString();
                    const bool root = std::string_view(u) == "root";
                    const bool telling = name == QLatin1String("egress-deny") || name == QLatin1String("reply-untracked") ||
                                         name == QLatin1String("pod-interface-down");
                    const bool ci = root ? mode == QLatin1String("ipip") || telling
                                         : mode == QLatin1String("vxlan") && name == QLatin1String("reply-untracked");
                    const bool sanitized = root && mode == QLatin1String("ipip") && name == QLatin1String("pod-route-missing");
                    if (wholeCatalogue() || (kEveryVariantRow ? ci : sanitized))
                        QTest::addRow("%s %s as %s", qPrintable(mode), qPrintable(name), u)
                            << f << mode << QString::fromLatin1(u) << QStringLiteral("iptables");
                    // nftables mode: the pods' chains as Felix writes them there (policy
                    // chains under filter-cali-*, dispatch by verdict maps). CI: the
                    // policies' drops and the untracked replies; `--full`: every fault.
                    const bool nftCi = root && (name == QLatin1String("ingress-deny") ||
                                                name == QLatin1String("port-deny-tcp-8080") ||
                                                (name == QLatin1String("egress-deny") && mode == QLatin1String("vxlan")) ||
                                                (name == QLatin1String("reply-untracked") && mode == QLatin1String("ipip")));
                    if (root && (wholeCatalogue() || (kEveryVariantRow && nftCi)))
                        QTest::addRow("%s %s as %s, nftables dataplane", qPrintable(mode), qPrintable(name), u)
                            << f << mode << QString::fromLatin1(u) << QStringLiteral("nftables");
                }
        }
    }
    void podFaults()
    {
        QFETCH(QJsonObject, fault);
        QFETCH(QString, mode);
        QFETCH(QString, user);
        QFETCH(QString, dataplane);
        const QJsonObject expected = fault["expected"].toObject()[mode].toObject();
        plainLab(mode, QStringLiteral("current"), QStringLiteral("present"), dataplane);
        if (QTest::currentTestFailed())
            return;
        // "tests/lab/lab policy NAME" or "tests/lab/lab pod-fault NAME"
        const QStringList apply = fault["apply"].toString().split(' ').mid(1);
        const QStringList revert = fault["revert"].toString().split(' ').mid(1);
        QCOMPARE(apply.size(), 2);
        const Run applied = run(kLab, apply);
        QVERIFY2(applied.exitCode == 0, applied.err.constData());
        auto cleared = qScopeGuard([revert] { (void)run(kLab, revert); });
        const QJsonObject env = QJsonDocument::fromJson(run(kLab, {"env", "--json"}).out).object();
        const QJsonArray nodes = env["nodes"].toArray();
        QVERIFY(nodes.size() >= 2);
        const QString clientPod = nodes[0].toObject()["pod"].toObject()["ip"].toString();
        const QString serverPod = nodes[fault["serverPod"].toString() == QLatin1String("client") ? 0 : 1]
                                      .toObject()["pod"].toObject()["ip"].toString();
        QTemporaryDir dir;
        const QString json = dir.filePath("d.json");
        QStringList args{"diagnose", "--client", endpoint(user, nodes[0].toObject()), "--server",
                         endpoint(user, nodes[1].toObject()), "--client-pod", clientPod, "--server-pod", serverPod,
                         "--identity", env["key"].toString(), "--known-hosts", env["knownHosts"].toString(), "--json", json,
                         "--quiet"};
        const QJsonObject probe = fault["probe"].toObject();
        if (probe["protocol"].toString() != QLatin1String("icmp"))
            args << "--protocol" << probe["protocol"].toString() << "--port" << QString::number(probe["port"].toInt());
        const Run d = run(QStringLiteral(PODPATH_BINARY), args);
        QFile jf(json);
        QVERIFY2(jf.open(QIODevice::ReadOnly), qPrintable("no JSON written; stderr: " + QString::fromUtf8(d.err)));
        const QJsonObject got = QJsonDocument::fromJson(jf.readAll()).object();
        QString said = got["verdict"].toString() + ": " + got["error"].toString() + " first " +
                       got["firstFailingHop"].toString();
        QMap<QString, QString> status;
        for (const auto &c : got["checks"].toArray()) {
            status[c.toObject()["id"].toString()] = c.toObject()["status"].toString();
            said += "\n  " + c.toObject()["id"].toString() + " " + c.toObject()["status"].toString() + ": " +
                    c.toObject()["detail"].toString().left(200);
        }
        QVERIFY2(d.exitCode == expected["exitStatus"].toInt(), qPrintable(QString("exit %1; ").arg(d.exitCode) + said));
        QVERIFY2(got["verdict"].toString() == expected["verdict"].toString(), qPrintable(said));
        QVERIFY2(got["firstFailingHop"] == expected["firstFailingHop"], qPrintable(said));
        QVERIFY2(status[expected["check"].toString()] == QLatin1String("fail"), qPrintable(said));
        // The nodes' own path is not blamed for a pod's end: their echoes pass every hop.
        for (const auto &h : got["hops"].toArray())
            for (const auto &st : h.toObject()["streams"].toArray())
                if (st.toObject()["stream"].toString() != QLatin1String("pod ping"))
                    QVERIFY2(st.toObject()["status"].toString() == QLatin1String("pass"), qPrintable(said));
        const QJsonObject podHops = expected["podHops"].toObject();
        for (const auto &h : got["podHops"].toArray())
            QVERIFY2(podHops[h.toObject()["id"].toString()].toString() == h.toObject()["status"].toString(),
                     qPrintable(h.toObject()["id"].toString() + " " + h.toObject()["status"].toString() + "; " + said));
        const QJsonArray findings = got["findings"].toArray();
        QVERIFY(!findings.isEmpty());
        const QJsonObject lead = findings.first().toObject();
        QVERIFY2(lead["code"].toString() == expected["code"].toString() && lead["blames"].toString() == expected["check"].toString() &&
                     lead["message"].toString().contains(expected["says"].toString()),
                 qPrintable(QJsonDocument(findings).toJson()));
        // One explanation: the echoes it lost are not a second, unexplained finding, and a
        // drop the pod's check tells is not told again by the firewall check.
        for (const auto &f : findings) {
            QVERIFY2(f.toObject()["code"].toString() != QLatin1String("POD_PING_LOST"), qPrintable(said));
            QVERIFY2(f.toObject()["code"].toString() != QLatin1String("IPTABLES_DROP"), qPrintable(said));
        }
    }

    // BusyBox's ping on the nodes: no -M (the full-size probe cannot run: it says so and
    // judges nothing on echoes that never existed), echoes numbered from 0, its own output.
    // The verdicts on the small echoes are the catalogue's.
    void busyboxPing_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        for (const char *m : {"ipip", "vxlan"})
            for (const char *f : {"healthy", "iptables-drop-server-request", "ipset-missing-client"})
                if (kEveryVariantRow || std::string_view(f) == "healthy")
                    QTest::addRow("%s %s, BusyBox ping", m, f) << m << f;
    }
    void busyboxPing()
    {
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        const QJsonObject expected = expectedOf(mode, fault);
        QVERIFY(!expected.isEmpty());
        Variant busybox;
        busybox.ping = QStringLiteral("busybox");
        check(mode, fault, expected, busybox);
        if (QTest::currentTestFailed())
            return;
        const auto fullSize = lastChecks.value(QStringLiteral("tunnel.full-size"));
        QVERIFY2(fullSize.first == QLatin1String("unknown") && fullSize.second.contains("BusyBox") &&
                     fullSize.second.contains("iputils-ping"),
                 qPrintable(fullSize.first + ": " + fullSize.second));
        // A pass on small packets only says so, beside the verdict.
        QVERIFY2(lastFindingCodes.contains(QLatin1String("FULL_SIZE_NOT_TESTED")), qPrintable(lastFindingCodes.join(' ')));
    }

    // A minimal node: BusyBox's `ip` (no -j, no -d) and `timeout` (another exit status for
    // a bound that ran out), no `bridge`. The plain text is read, VXLAN is told from the
    // tunnel's Ethernet link type, and the route check judges the neighbour but says the
    // forwarding entry could not be checked, never "missing".
    void busyboxTools_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        for (const char *m : {"ipip", "vxlan"})
            for (const char *f : {"healthy", "route-wrong-gateway", "tunnel-down", "iptables-drop-server-request"})
                if (kEveryVariantRow || std::string_view(f) == "healthy")
                    QTest::addRow("%s %s, BusyBox ip and timeout", m, f) << m << f;
    }
    void busyboxTools()
    {
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        const QJsonObject expected = expectedOf(mode, fault);
        QVERIFY(!expected.isEmpty());
        Variant busybox;
        busybox.ip = QStringLiteral("busybox");
        busybox.timeout = QStringLiteral("busybox");
        check(mode, fault, expected, busybox);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(lastMode, mode);
        const auto route = lastChecks.value(QStringLiteral("route.client"));
        if (fault == QLatin1String("healthy"))
            QVERIFY2(mode == QLatin1String("ipip") ? route.first == QLatin1String("pass")
                                                   : route.first == QLatin1String("unknown") &&
                                                         route.second.contains(QLatin1String("`bridge fdb` is not installed")),
                     qPrintable(route.first + ": " + route.second));
    }

    // SSH over an IPv6-only management network to an IPv4 Calico: the target is an IPv6
    // literal in brackets, SSH_CONNECTION holds IPv6 addresses, and the node IP is still
    // the IPv4 address Calico routes to (tunnel, routes, hosts set), never the SSH one.
    void ipv6ManagementNetwork_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QJsonObject>("login");
        for (const char *m : {"ipip", "vxlan"})
            for (const char *f : {"healthy", "route-wrong-gateway", "ipset-missing-client", "source-address-wrong"})
                if (kEveryVariantRow || std::string_view(f) == "healthy")
                    QTest::addRow("%s %s, SSH over IPv6", m, f) << m << f << QJsonObject{};
        if (kEveryVariantRow)
            QTest::newRow("vxlan iptables-drop-server-request as sudo user, SSH over IPv6")
                << "vxlan" << "iptables-drop-server-request" << QJsonObject{{"user", "ppadmin"}, {"sudo", true}};
    }
    void ipv6ManagementNetwork()
    {
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        QFETCH(QJsonObject, login);
        const QJsonObject expected = expectedOf(mode, fault);
        QVERIFY(!expected.isEmpty());
        Variant v6;
        v6.login = login;
        v6.mgmt6 = true;
        check(mode, fault, expected, v6);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(lastHosts.startsWith(QStringLiteral("2001:db8:254:")), qPrintable("SSH went to " + lastHosts));
        QVERIFY2(lastNodeIps.startsWith(QStringLiteral("198.51.100.")), qPrintable("node IPs " + lastNodeIps));
    }

    // A node that goes dark part-way (SSH to it dropped while its capture runs) is not
    // healthy: the run says which node stopped answering and what has no evidence, exits
    // 2 (nothing failed on what arrived), and does not wait one bound per later command.
    void nodeGoesDarkDuringTheCapture_data()
    {
        QTest::addColumn<int>("node");
        QTest::addColumn<QString>("fault");     // applied before the run; "" for none
        QTest::addColumn<QStringList>("verdicts");
        QTest::addColumn<int>("exitCode");
        const QStringList notProven{"incomplete", "error"};
        QTest::newRow("server") << 1 << "" << notProven << 2;
        QTest::newRow("client") << 0 << "" << notProven << 2;
        // A hop that failed on the evidence that did arrive is still a failure (exit 1),
        // with the dark node named beside it.
        QTest::newRow("server, after the client dropped the request") << 1 << "iptables-drop-client-request"
                                                                       << QStringList{"fail"} << 1;
    }
    void nodeGoesDarkDuringTheCapture()
    {
        QFETCH(int, node);
        QFETCH(QString, fault);
        QFETCH(QStringList, verdicts);
        QFETCH(int, exitCode);
        // The plain lab: this test watches for the node's own `tcpdump` process, which the
        // tcpdump 4.9 variant runs under another name.
        plainLab(labNow ? labNow->mode : QStringLiteral("ipip"));
        if (QTest::currentTestFailed())
            return;
        QVERIFY(run(kLab, {"fault", "clear"}).exitCode == 0);
        auto clearFault = qScopeGuard([&] { run(kLab, {"fault", "clear"}); });
        if (!fault.isEmpty()) {
            const Run applied = run(kLab, {"fault", fault});
            QVERIFY2(applied.exitCode == 0, applied.err.constData());
        }
        const QJsonObject env = QJsonDocument::fromJson(run(kLab, {"env", "--json"}).out).object();
        const QJsonArray nodes = env["nodes"].toArray();
        QVERIFY(nodes.size() >= 2);
        const QString ns = nodes[node].toObject()["namespace"].toString();
        const QString name = nodes[node].toObject()["hostname"].toString();
        const QStringList block{"netns", "exec", ns, "iptables", "-I", "INPUT", "1", "-p", "tcp", "--dport", "22", "-j", "DROP"};
        const QStringList unblock{"netns", "exec", ns, "iptables", "-D", "INPUT", "-p", "tcp", "--dport", "22", "-j", "DROP"};
        auto cleanup = qScopeGuard([&] { run("ip", unblock); });

        // Network namespaces share one PID space: pgrep would also see the other node's
        // tcpdump, and the cut would come during the connect.
        auto tcpdumpInNode = [&] {
            for (const QByteArray &pid : run("ip", {"netns", "pids", ns}).out.split('\n')) {
                QFile comm("/proc/" + QString::fromLatin1(pid.trimmed()) + "/comm");
                if (!pid.trimmed().isEmpty() && comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "tcpdump")
                    return true;
            }
            return false;
        };
        // A previous row's capture on this node, left to its on-node bound when SSH was cut,
        // ends by itself; it must not be taken for this run's.
        for (int i = 0; i < 240 && tcpdumpInNode(); ++i)
            QTest::qWait(250);
        QVERIFY2(!tcpdumpInNode(), "a previous run's tcpdump outlived its bound on the node");
        QTemporaryDir dir;
        const QString json = dir.filePath("d.json");
        QProcess p;
        QElapsedTimer clock;
        clock.start();
        p.start(QStringLiteral(PODPATH_BINARY),
                {"diagnose", "--client", "root@" + nodes[0].toObject()["host"].toString(), "--server",
                 "root@" + nodes[1].toObject()["host"].toString(), "--identity", env["key"].toString(),
                 "--known-hosts", env["knownHosts"].toString(), "--count", "100", "--json", json, "--quiet"});
        // Cut SSH to the node once its capture runs (a burst of 100 takes seconds).
        bool capturing = false;
        for (int i = 0; i < 400 && !capturing && p.state() != QProcess::NotRunning; ++i) {
            capturing = tcpdumpInNode();
            if (!capturing)
                QTest::qWait(25);
        }
        QVERIFY2(capturing, "the node's capture never started");
        QTest::qWait(300);
        QCOMPARE(run("ip", block).exitCode, 0);
        const qint64 cutAt = clock.elapsed();
        QVERIFY2(p.waitForFinished(60000), "podpath did not finish within 60 s");
        const qint64 took = clock.elapsed();
        const qint64 afterCut = took - cutAt;
        const QByteArray err = p.readAllStandardError();
        QFile jf(json);
        QVERIFY2(jf.open(QIODevice::ReadOnly), err.constData());
        const QJsonObject got = QJsonDocument::fromJson(jf.readAll()).object();
        // What the run said, for a failure seen only in CI's log.
        QString said = got["verdict"].toString() + ": " + got["error"].toString();
        for (const auto &f : got["findings"].toArray())
            said += "\n  " + f.toObject()["code"].toString() + ": " + f.toObject()["message"].toString();
        // Without a fault: incomplete when discovery had finished, an error when the node
        // went dark before (a slow machine reaches the cut earlier). Never a pass.
        QVERIFY2(verdicts.contains(got["verdict"].toString()), qPrintable(said));
        QVERIFY2(p.exitCode() == exitCode, qPrintable(QString("exit %1; ").arg(p.exitCode()) + said));
        // Named by its host name, or by the address given when discovery had not read it yet.
        const QString host = nodes[node].toObject()["host"].toString();
        auto namesIt = [&](const QString &text) { return text.contains(name + " stopped answering") || text.contains(host); };
        bool named = false;
        for (const auto &f : got["findings"].toArray())
            named = named || (f.toObject()["code"].toString() == QLatin1String("NODE_STOPPED_ANSWERING") &&
                              namesIt(f.toObject()["message"].toString()));
        QVERIFY2(named, qPrintable("no NODE_STOPPED_ANSWERING finding naming " + name + "; " + said));
        // The terminal says it too, even with --quiet: the engineer reads stderr, not JSON.
        QVERIFY2(namesIt(QString::fromUtf8(err)), err.constData());
        if (got["verdict"].toString() != QLatin1String("fail"))
            QVERIFY2(namesIt(got["error"].toString()), qPrintable(said));
        for (const auto &c : got["checks"].toArray())
            if (c.toObject()["id"].toString() == (node ? "iptables.server" : "iptables.client"))
                QCOMPARE(c.toObject()["status"].toString(), QStringLiteral("unknown"));
        // Known dark within the liveness patience (6 s without a word from the node), not
        // after the bound of whatever command was waiting, nor one bound per command still
        // to run; the rest of the run takes the other node a few seconds at most.
        QVERIFY2(afterCut < 12000, qPrintable(QString("ended %1 ms after the cut").arg(afterCut)));
        qInfo("the run ended %lld ms after the cut (%lld ms after it started; SSH to %s cut while capturing)", afterCut,
              took, qPrintable(name));
    }

private:
    QString lastLogLocations;
    QStringList lastPrivileges;  // client's and server's, as the JSON names them
    QStringList lastFirewallBackends;  // client's and server's: "iptables-nft", "nftables", ...
    QString lastHosts;  // the address SSH reached the client at
    QString lastPcapDir;  // where the last run wrote its captures (with --pcap)
    QMap<QString, int> lastCaptured;  // node role -> packets its tcpdump captured
    int lastBusyPackets = 0;  // echoes the busy pods sent during the last run (lab traffic)
    QMap<QString, int> lastRoundTrips;  // node name -> round trips over its WAN relay (lab wan)
    QString lastMode;                      // the mode the run detected
    QString lastNodeIps;                   // client's and server's node IP, as the JSON names them
    QMap<QString, QPair<QString, QString>> lastChecks;  // check id: status, detail
    QMap<QString, int> lastIpv6Seen;  // hop id: echoes of the IPv6 burst seen there (dual-stack pairs)
    QStringList lastFindingCodes;
    QString lastFindingTexts;  // every finding's message and next step, one per line

    // What the catalogue expects of `fault` in `mode` ("healthy": its healthy entry).
    static QJsonObject expectedOf(const QString &mode, const QString &fault)
    {
        if (fault == QLatin1String("healthy"))
            return catalogue()["healthy"].toObject();
        for (const auto &v : catalogue()["faults"].toArray())
            if (v.toObject()["name"].toString() == fault)
                return v.toObject()["expected"].toObject()[mode].toObject();
        return {};
    }

    // USER@HOST, or USER@HOST:PORT when the lab's env gives another port than 22.
    static QString endpoint(const QString &user, const QJsonObject &node)
    {
        const int port = node["port"].toInt(22);
        QString host = node["host"].toString();
        if (host.contains(':'))
            host = '[' + host + ']';   // an IPv6 literal, as a user writes it
        return user + "@" + host + (port == 22 ? QString() : ":" + QString::number(port));
    }

    void check(const QString &mode, const QString &fault, const QJsonObject &expected, const Variant &variant)
    {
        const QJsonObject &login = variant.login;
        const QString &logs = variant.logs;
        const bool mgmt = variant.mgmt;
        const QString &tcpdump = variant.tcpdump;
        const bool busy = variant.busy;
        LabShape shape;
        shape.mode = mode;
        shape.logs = logs;
        shape.mgmt = mgmt;
        shape.mgmt6 = variant.mgmt6;
        shape.tcpdump = tcpdump;
        shape.ping = variant.ping;
        shape.ip = variant.ip;
        shape.timeout = variant.timeout;
        shape.dataplane = variant.dataplane;
        shape.vxlanPort = variant.vxlanPort;
        shape.clusterRoutes = variant.clusterRoutes;
        shape.vxlanMode = variant.vxlanMode;
        shape.subnets = variant.subnets;
        shape.ipv6 = variant.ipv6;
        shape.wireguard = variant.wireguard;
        labIn(shape);
        if (QTest::currentTestFailed())
            return;
        Run applied = run(kLab, fault == QLatin1String("healthy") ? QStringList{"fault", "clear"} : QStringList{"fault", fault});
        QVERIFY2(applied.exitCode == 0, applied.err.constData());
        // A busy node: pods on both nodes ping each other over the overlay all through the
        // diagnosis (lab traffic), traffic the capture must leave out.
        lastBusyPackets = 0;
        if (busy) {
            const Run started = run(kLab, {"traffic", "start"});
            QVERIFY2(started.exitCode == 0, started.err.constData());
        }
        bool trafficStopped = !busy;
        auto stopTraffic = [&] {
            if (trafficStopped)
                return;
            trafficStopped = true;
            const Run stopped = run(kLab, {"traffic", "stop"});
            // "pplab-node1 busy pod: 1362 packets transmitted, 1362 received, ..."
            static const QRegularExpression sent(QStringLiteral("(\\d+) packets transmitted"));
            for (auto m = sent.globalMatch(QString::fromUtf8(stopped.out)); m.hasNext();)
                lastBusyPackets += m.next().captured(1).toInt();
        };
        auto stopTrafficAnyway = qScopeGuard(stopTraffic);
        // A WAN link: SSH through relays that hold every byte half the round trip each way
        // (lab wan); they count the round trips the run waited for, per node.
        lastRoundTrips.clear();
        if (variant.wanRttMs > 0) {
            const Run started = run(kLab, {"wan", "start", "--rtt", QString::number(variant.wanRttMs)});
            QVERIFY2(started.exitCode == 0, started.err.constData());
        }
        bool wanStopped = variant.wanRttMs == 0;
        auto stopWan = [&] {
            if (wanStopped)
                return;
            wanStopped = true;
            const Run stopped = run(kLab, {"wan", "stop"});
            // "pplab-node1: connections 1, turns 19, up 8331 bytes, down 34381 bytes"
            static const QRegularExpression turns(QStringLiteral("^(\\S+): connections \\d+, turns (\\d+)"),
                                                  QRegularExpression::MultilineOption);
            for (auto m = turns.globalMatch(QString::fromUtf8(stopped.out)); m.hasNext();) {
                const auto one = m.next();
                lastRoundTrips[one.captured(1)] = one.captured(2).toInt();
            }
        };
        auto stopWanAnyway = qScopeGuard(stopWan);

        Run envRun = run(kLab, {"env", "--json"});
        const QJsonObject env = QJsonDocument::fromJson(envRun.out).object();
        QVERIFY2(!env.isEmpty(), envRun.err.constData());
        const QJsonArray nodes = env["nodes"].toArray();
        QVERIFY(nodes.size() >= 2);
        const QString user = login["user"].toString(QStringLiteral("root"));
        lastHosts = nodes[0].toObject()["host"].toString();
        QTemporaryDir dir;
        const QString json = dir.filePath("d.json");
        // The path diagram of every lab fault, drawn by the same run, for a person to look at.
        QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
        const QString png = QStringLiteral(PODPATH_SCREENSHOTS "/lab-%1-%2%3.png")
                                .arg(mode, fault, (login.isEmpty() && logs == QLatin1String("calico") ? QString() : "-" + logs + "-" + login["user"].toString("root")) +
                                               (mgmt ? QStringLiteral("-mgmt") : QString()) +
                                               (variant.mgmt6 ? QStringLiteral("-mgmt6") : QString()) +
                                               (tcpdump != QLatin1String("current") ? "-tcpdump" + tcpdump : QString()) +
                                               (busy ? QStringLiteral("-busy") : QString()) +
                                               (variant.wanRttMs ? QStringLiteral("-wan") : QString()) +
                                               (variant.ping != QLatin1String("iputils") ? "-ping" + variant.ping : QString()) +
                                               (variant.ip != QLatin1String("iproute2") ? "-ip" + variant.ip : QString()) +
                                               (variant.timeout != QLatin1String("coreutils") ? "-timeout" + variant.timeout : QString()) +
                                               (variant.subnets > 1 ? QStringLiteral("-two-subnets") : QString()) +
                                               (variant.ipv6 ? QStringLiteral("-dual-stack") : QString()) +
                                               (variant.wireguard ? QStringLiteral("-wireguard") : QString()));
        QFile::remove(png);
        QStringList args{"diagnose",
                         "--client", endpoint(user, nodes[0].toObject()),
                         "--server", endpoint(user, nodes[1].toObject()),
                         "--identity", env["key"].toString(),
                         "--known-hosts", env["knownHosts"].toString(),
                         "--json", json, "--png", png, "--quiet"};
        lastPcapDir = dir.filePath(QStringLiteral("pcap"));
        if (tcpdump != QLatin1String("current")) {
            QDir().mkpath(lastPcapDir);
            args << "--pcap" << lastPcapDir;
        }
        // A sudo password is typed at the terminal, once per node.
        Run d = login.contains("password") ? runOnTerminal(QStringLiteral(PODPATH_BINARY), args, login["password"].toString())
                                           : run(QStringLiteral(PODPATH_BINARY), args);
        stopTraffic();
        stopWan();
        QFile jf(json);
        QVERIFY2(jf.open(QIODevice::ReadOnly), qPrintable("no JSON written; stderr: " + QString::fromUtf8(d.err)));
        if (tcpdump != QLatin1String("current")) {
            // tcpdump 4.9: two captures per node (tunnel and underlay), each its own file.
            const QStringList files = QDir(lastPcapDir).entryList({QStringLiteral("*.pcap")}, QDir::Files, QDir::Name);
            QVERIFY2(files.size() == 4 && files.filter(QStringLiteral("client-")).size() == 2, qPrintable(files.join(", ")));
        }
        const QJsonObject got = QJsonDocument::fromJson(jf.readAll()).object();
        // Every tool the lab's nodes have is found, whichever login runs it: a user's PATH
        // without the sbin folders (Debian's) must not hide `bridge` or the firewall tools.
        // (A BusyBox node has no `bridge` at all.)
        if (fault != QLatin1String("tcpdump-missing"))
            for (const auto &c : got["commands"].toArray())
                QVERIFY2(c.toObject()["exitStatus"].toInt() != 127 ||
                             (variant.ip == QLatin1String("busybox") &&
                              c.toObject()["command"].toString().contains(QLatin1String("bridge "))),
                         qPrintable("not found on the node: " + c.toObject()["command"].toString()));
        // One login per node, and the login shell started at most twice (the command
        // shell and the capture's exec; tcpdump 4.9 captures per interface, one exec each).
        const int maxExecs = tcpdump == QLatin1String("4.9") ? 3 : 2;
        for (const char *role : {"client", "server"}) {
            const QJsonObject node = got[role].toObject();
            if (node["logins"].isNull())
                continue;   // never reached
            QVERIFY2(node["logins"].toInt() == 1 && node["execs"].toInt() <= maxExecs,
                     qPrintable(QString("%1: %2 logins, %3 execs").arg(role).arg(node["logins"].toInt()).arg(node["execs"].toInt())));
        }
        // tcpdump's own count, per node, from its last words ("46 packets captured").
        lastCaptured.clear();
        for (const auto &c : got["commands"].toArray()) {
            static const QRegularExpression captured(QStringLiteral("^(\\d+) packets? captured$"),
                                                     QRegularExpression::MultilineOption);
            const QJsonObject co = c.toObject();
            if (auto m = captured.match(co["stderr"].toString()); m.hasMatch())
                lastCaptured[co["node"].toString()] += m.captured(1).toInt();
        }
        lastMode = got["mode"].toString();
        lastNodeIps = got["client"].toObject()["nodeIp"].toString() + " " + got["server"].toObject()["nodeIp"].toString();
        lastFindingCodes.clear();
        lastFindingTexts.clear();
        for (const auto &f : got["findings"].toArray()) {
            lastFindingCodes << f.toObject()["code"].toString();
            lastFindingTexts += f.toObject()["message"].toString() + "\n" + f.toObject()["nextStep"].toString() + "\n";
        }
        lastIpv6Seen.clear();
        for (const auto &h : got["hops"].toArray())
            for (const auto &st : h.toObject()["streams"].toArray())
                if (st.toObject()["stream"].toString() == QLatin1String("IPv6 burst"))
                    lastIpv6Seen[h.toObject()["id"].toString()] = st.toObject()["seen"].toInt();
        lastChecks.clear();
        for (const auto &c : got["checks"].toArray())
            lastChecks[c.toObject()["id"].toString()] = {c.toObject()["status"].toString(), c.toObject()["detail"].toString()};
        lastPrivileges = {got["client"].toObject()["privilege"].toString(), got["server"].toObject()["privilege"].toString()};
        lastFirewallBackends = {got["client"].toObject()["firewallBackend"].toString(),
                                got["server"].toObject()["firewallBackend"].toString()};
        lastLogLocations.clear();
        for (const auto &l : got["logs"].toArray())
            lastLogLocations += l.toObject()["location"].toString() + '\n';
        const QString context = QString::fromUtf8(QJsonDocument(got["findings"].toArray()).toJson(QJsonDocument::Compact)).left(600);

        QCOMPARE(d.exitCode, expected["exitStatus"].toInt());
        QImage picture;
        QVERIFY2(picture.load(png, "PNG"), qPrintable("no diagram written to " + png));
        QCOMPARE(picture.size(), QSize(2400, 1120));
        QCOMPARE(got["verdict"].toString(), expected["verdict"].toString());
        QVERIFY2(got["firstFailingHop"] == expected["firstFailingHop"],
                 qPrintable("first failing hop " + got["firstFailingHop"].toString("null") + ", expected " +
                            expected["firstFailingHop"].toString("null") + "; findings " + context));
        if (expected.contains("code") && !expected["code"].toString().isEmpty()) {
            const QJsonArray findings = got["findings"].toArray();
            QVERIFY2(!findings.isEmpty(), "no finding");
            QVERIFY2(findings[0].toObject()["code"].toString() == expected["code"].toString(),
                     qPrintable("leading finding " + findings[0].toObject()["code"].toString() + ", expected " +
                                expected["code"].toString() + "; " + context));
        }
        if (d.exitCode == 2) {
            // Could not diagnose, or not proven: one line on stderr that says why.
            QCOMPARE(d.err.trimmed().count('\n'), 0);
            if (got["verdict"].toString() == QLatin1String("error"))
                return;
            // Not proven (a missing tcpdump): the hops that had evidence are judged as usual.
        }
        // Every hop as the catalogue says: the picture a reader sees.
        const QJsonObject hops = expected.contains("diagnosisHops") ? expected["diagnosisHops"].toObject()
                                                                    : expected["hops"].toObject();
        for (const auto &h : got["hops"].toArray()) {
            const QJsonObject ho = h.toObject();
            const QString id = ho["id"].toString();
            if (hops.contains(id))
                QVERIFY2(ho["status"].toString() == hops[id].toString(),
                         qPrintable(id + " is " + ho["status"].toString() + ", expected " + hops[id].toString() + ": " +
                                    ho["explanation"].toString()));
        }
    }
};

PODPATH_TEST_GUILESS_MAIN_UNLESS(TestDiagnoseLab, podpath::testing::whyNoLab())
#include "tst_diagnose_lab.moc"
