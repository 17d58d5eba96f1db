// The lab's own test (label lab, needs root): brings the lab up in both modes, checks
// that a healthy lab passes the guide's procedure done with plain OpenSSH, ping and
// tcpdump, applies every fault of faults.json and checks that it produces exactly its
// catalogued symptom (every hop and every check), and that `down` leaves nothing.
//
// One capture per node (tcpdump -i any, as PodPath does) sees the encapsulated and the
// decapsulated packets; the interface and direction tcpdump prints settle each hop.
// Every remote command is bounded (timeout, ping -c); captures stop when their ssh
// session's stdin closes.
//
// Environment: PODPATH_LAB_SKIP=reason: not run, with that reason. Not built in the
// sanitizer build: it checks the lab, not PodPath's memory.

#include "lab_access.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>
#include <QtTest>

#include <csignal>
#include <unistd.h>

namespace {

// The lab's own folder (or $PODPATH_LAB_DIR), shared with the other tests that use the
// lab (ctest serialises them with RESOURCE_LOCK podpath_lab): a lab left up by them is
// converged and used.
QString labRunDir()
{
    return qEnvironmentVariable("PODPATH_LAB_DIR", QStringLiteral(PODPATH_SOURCE_DIR "/tests/lab/run"));
}

// Asked before the test starts: no root, or a lab from another checkout is up (its
// bridge's alias names the folder that owns it) and must not be disturbed.
QString whyNotHere()
{
    if (QString why = podpath::testing::whyNoLab(); !why.isEmpty())
        return why;
    QFile alias("/sys/class/net/pplab-br0/ifalias");
    if (alias.open(QIODevice::ReadOnly)) {
        const QString owner = QString::fromUtf8(alias.readAll()).trimmed();
        if (!owner.isEmpty() && owner != "pplab:" + labRunDir())
            return "a lab from " + owner.mid(6) + " is running on this machine; not disturbing it (PODPATH_LAB_DIR=" +
                   owner.mid(6) + " tests/lab/lab down frees it)";
    }
    return {};
}

const QString kLab = QStringLiteral(PODPATH_SOURCE_DIR "/tests/lab/lab");
const QString kCatalogue = QStringLiteral(PODPATH_SOURCE_DIR "/tests/lab/faults.json");
const QStringList kHopIds = {"request.client.tunnel", "request.client.egress", "request.server.ingress",
                             "request.server.tunnel", "reply.server.tunnel",   "reply.server.egress",
                             "reply.client.ingress",  "reply.client.tunnel"};
const QString kCaptureFilter = QStringLiteral("ip proto 4 or udp port 4789 or icmp");

struct Ran {
    int exitCode = -1;
    bool finished = false;
    QString out, err;
};

Ran run(const QString &program, const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(program, args);
    Ran r;
    if (!p.waitForStarted(10000))
        return r;
    p.closeWriteChannel();
    r.finished = p.waitForFinished(timeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(3000);
    }
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

struct Node {
    QString name, host, tunnelIp, device, block, mac;
};

struct LabEnv {
    QString mode, key, knownHosts, guardSet, sudoPassword;
    QList<Node> nodes;
    const Node &client() const { return nodes.at(0); }
    const Node &server() const { return nodes.at(1); }
};

struct Login {
    QString user = "root";
    bool sudo = false;
};

struct Probe {
    int count = 3;
    int payload = 56;
    bool dontFragment = false;
};

// One packet as tcpdump -i any -vvv prints it: a header line and its continuation lines.
struct Packet {
    QString iface, direction;
    bool encapsulated = false, icmpError = false;
    QString outerSrc, echoSrc, echoDst, echoKind; // echoKind: "request" or "reply"
};

QList<Packet> parseCapture(const QString &text)
{
    static const QRegularExpression header(R"(^\d\d:\d\d:\d\d\.\d+ (\S+)\s+(In|Out|M|B|P)\s)");
    static const QRegularExpression echo(R"((\d+\.\d+\.\d+\.\d+) > (\d+\.\d+\.\d+\.\d+): ICMP echo (request|reply))");
    static const QRegularExpression outer(R"((\d+\.\d+\.\d+\.\d+)(?:\.\d+)? > (\d+\.\d+\.\d+\.\d+)(?:\.\d+)?:)");
    QList<Packet> packets;
    QStringList block;
    auto flush = [&] {
        if (block.isEmpty())
            return;
        const QString all = block.join('\n');
        Packet p;
        const auto h = header.match(block.first());
        p.iface = h.captured(1);
        p.direction = h.captured(2);
        p.encapsulated = all.contains("proto IPIP (4)") || QRegularExpression(R"(\.4789: .*VXLAN)").match(all).hasMatch();
        p.icmpError = all.contains("unreachable") || all.contains("time exceeded");
        if (auto o = outer.match(all); o.hasMatch())
            p.outerSrc = o.captured(1);
        QString lastSrc, lastDst, lastKind; // the innermost echo line
        for (auto it = echo.globalMatch(all); it.hasNext();) {
            auto m = it.next();
            lastSrc = m.captured(1), lastDst = m.captured(2), lastKind = m.captured(3);
        }
        p.echoSrc = lastSrc, p.echoDst = lastDst, p.echoKind = lastKind;
        packets << p;
        block.clear();
    };
    for (const QString &line : text.split('\n')) {
        if (header.match(line).hasMatch())
            flush();
        if (!line.isEmpty() && (header.match(line).hasMatch() || !block.isEmpty()))
            block << line;
    }
    flush();
    return packets;
}

// The evidence each node prints after its capture: sections "@@NAME" and their lines.
QMap<QString, QString> sections(const QString &text)
{
    QMap<QString, QString> out;
    QString current;
    for (const QString &line : text.split('\n')) {
        if (line.startsWith("@@")) {
            current = line.mid(2).trimmed();
            out[current];
            continue;
        }
        if (!current.isEmpty())
            out[current] += line + '\n';
    }
    return out;
}

struct NodeObservation {
    bool captured = false; // tcpdump said "listening on"
    QList<Packet> packets;
    QMap<QString, QString> evidence;
    QString raw, err;
};

struct Observation {
    NodeObservation client, server;
    bool underlayPing = false, tunnelPing = false;
    QString pingOutput;
    QMap<QString, QString> hops, checks;
};

QString sha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return "missing";
    return QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
}

} // namespace

class TestLab : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void upIsIdempotent();
    void repairsHalfBuiltLab();
    void otherBridgesUntouched_data();
    void otherBridgesUntouched();
    void healthy_data();
    void healthy();
    void fault_data();
    void fault();
    void legacyHostsIpset();
    void variants_data();
    void variants();
    void downLeavesNothing();
    void cleanupTestCase();

private:
    Ran lab(const QStringList &args, int timeoutMs = 180000);
    void upIn(const QString &mode);
    bool loadEnv();
    QStringList sshArgs(const QString &user, const QString &host, bool noStdin) const;
    Ran ssh(const QString &user, const QString &host, const QString &command, int timeoutMs = 30000);
    Observation burst(const Login &login, const Probe &probe);
    void checkFault(const QString &mode, const QJsonObject &fault);
    void judge(Observation &o) const;
    QString evidenceScript(const Node &self, const Node &peer) const;

    QString runDir_;
    QJsonObject catalogue_;
    LabEnv env_;
    bool started_ = false;
    QMap<QString, QString> hostFiles_;
    QElapsedTimer total_;
};

// ------------------------------------------------------------------ plumbing

Ran TestLab::lab(const QStringList &args, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    Ran r = run("bash", QStringList{kLab} + args, timeoutMs);
    qInfo("lab %s: exit %d, %lld ms", qPrintable(args.join(' ')), r.exitCode, t.elapsed());
    return r;
}

bool TestLab::loadEnv()
{
    const Ran r = run("bash", {kLab, "env", "--json"}, 30000);
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    if (r.exitCode != 0 || o.isEmpty())
        return false;
    env_ = {};
    env_.mode = o.value("mode").toString();
    env_.key = o.value("key").toString();
    env_.knownHosts = o.value("knownHosts").toString();
    env_.guardSet = o.value("hostsIpset").toString();
    for (const auto &u : o.value("users").toArray())
        if (u.toObject().value("name").toString() == "pppass")
            env_.sudoPassword = u.toObject().value("password").toString();
    for (const auto &v : o.value("nodes").toArray()) {
        const QJsonObject n = v.toObject();
        env_.nodes << Node{n.value("name").toString(), n.value("host").toString(), n.value("tunnelIp").toString(),
                           n.value("tunnelDevice").toString(), n.value("block").toString(), n.value("vtepMac").toString()};
    }
    return env_.nodes.size() >= 2;
}

void TestLab::upIn(const QString &mode)
{
    if (env_.mode == mode)
        return;
    const Ran r = lab({"up", "--mode", mode});
    QVERIFY2(r.exitCode == 0, qPrintable("lab up --mode " + mode + " failed:\n" + r.err));
    started_ = true;
    QVERIFY(loadEnv());
    QCOMPARE(env_.mode, mode);
}

QStringList TestLab::sshArgs(const QString &user, const QString &host, bool noStdin) const
{
    QStringList a = {"-i", env_.key, "-o", "UserKnownHostsFile=" + env_.knownHosts, "-o", "StrictHostKeyChecking=yes",
                     "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR"};
    if (noStdin)
        a << "-n";
    return a << user + "@" + host;
}

Ran TestLab::ssh(const QString &user, const QString &host, const QString &command, int timeoutMs)
{
    return run("ssh", sshArgs(user, host, true) << command, timeoutMs);
}

// Printed by each node after its capture stopped, as the login user (under sudo).
QString TestLab::evidenceScript(const Node &self, const Node &peer) const
{
    return QStringLiteral(
               "echo @@ROUTE; ip -o route show; echo @@LINK; ip -o link show; echo @@NEIGH; ip neigh show; "
               "echo @@FDB; bridge fdb show dev %1 2>/dev/null; echo @@IPTABLES; iptables-save -c -t filter; "
               "echo @@IPSET; ipset list %2; "
               "echo @@LOGS; cat /var/log/calico/felix.log /var/log/calico/bird/current /var/log/calico/confd/current 2>/dev/null; "
               "echo @@PMTU; (ping -c 1 -W 1 %3 >/dev/null 2>&1; echo small=$?) & "
               "(ping -c 1 -W 1 -M do -s 1472 %3 >/dev/null 2>&1; echo full=$?) & wait")
        .arg(self.device, env_.guardSet, peer.host);
}

// The guide's procedure in one burst: capture on both nodes, ping the server's node IP
// and tunnel IP from the client, stop the captures, read the evidence.
Observation TestLab::burst(const Login &login, const Probe &probe)
{
    Observation o;
    const Node &c = env_.client(), &s = env_.server();
    const QString sudo = (login.user != "root" && login.sudo) ? "sudo -n " : "";
    auto captureCommand = [&](const Node &self, const Node &peer) {
        // Counters before, the capture (it ends when stdin closes, once the test is done
        // pinging, or after 40 s), then the evidence.
        return QStringLiteral("%1sh -c 'echo @@BEFORE; iptables-save -c -t filter; echo @@CAPTURE; "
                              "timeout -s INT 40 tcpdump -l -n -vvv -i any \"%2\" & p=$!; read -r _; "
                              "kill -INT $p 2>/dev/null; wait $p; echo @@EVIDENCE; %3'")
            .arg(sudo, kCaptureFilter, evidenceScript(self, peer));
    };
    QProcess cap[2];
    const Node *nodes[2] = {&c, &s};
    for (int i = 0; i < 2; ++i)
        cap[i].start("ssh", sshArgs(login.user, nodes[i]->host, false) << captureCommand(*nodes[i], *nodes[1 - i]));

    QString err[2];
    bool ready[2] = {false, false};
    QElapsedTimer wait;
    wait.start();
    while (!(ready[0] && ready[1]) && wait.elapsed() < 20000) {
        for (int i = 0; i < 2; ++i) {
            if (ready[i])
                continue;
            cap[i].waitForReadyRead(50);
            err[i] += QString::fromUtf8(cap[i].readAllStandardError());
            // Listening, or it will never listen: no tcpdump, no privilege, no device.
            ready[i] = err[i].contains("listening on") || cap[i].state() == QProcess::NotRunning ||
                       err[i].contains("failed to run command") || err[i].contains("sudo:") ||
                       err[i].contains("permission") || err[i].contains("not permitted") ||
                       err[i].contains("No such device");
        }
    }
    o.client.captured = err[0].contains("listening on");
    o.server.captured = err[1].contains("listening on");

    const QString size = probe.payload != 56 || probe.dontFragment
                             ? QStringLiteral(" -s %1%2").arg(probe.payload).arg(probe.dontFragment ? " -M do" : "")
                             : QString();
    const Ran ping = ssh(login.user, c.host,
                         QStringLiteral("ping -c 2 -i 0.2 -W 1 %1 >/dev/null 2>&1; echo underlay=$?; "
                                        "ping -c %2 -i 0.2 -W 1%3 %4; echo tunnel=$?")
                             .arg(s.host).arg(probe.count).arg(size, s.tunnelIp),
                         30000);
    o.pingOutput = ping.out + ping.err;
    o.underlayPing = ping.out.contains("underlay=0");
    o.tunnelPing = ping.out.contains("tunnel=0");

    QThread::msleep(300); // the last reply's capture line
    NodeObservation *obs[2] = {&o.client, &o.server};
    for (int i = 0; i < 2; ++i)
        cap[i].closeWriteChannel();
    for (int i = 0; i < 2; ++i) {
        if (!cap[i].waitForFinished(30000)) {
            cap[i].kill();
            cap[i].waitForFinished(3000);
        }
        obs[i]->err = err[i] + QString::fromUtf8(cap[i].readAllStandardError());
        obs[i]->evidence = sections(QString::fromUtf8(cap[i].readAllStandardOutput()));
        obs[i]->raw = obs[i]->evidence.value("CAPTURE");
        obs[i]->packets = parseCapture(obs[i]->raw);
    }
    judge(o);
    return o;
}

// Hops from the packets, checks from the pings and the evidence: what PodPath should
// conclude, computed here independently to hold the catalogue to the lab's reality.
void TestLab::judge(Observation &o) const
{
    const Node &c = env_.client(), &s = env_.server();
    auto seen = [&](const NodeObservation &n, bool tunnel, const QString &dir, const QString &kind) {
        if (!n.captured)
            return QString("unknown");
        const QString src = kind == "request" ? c.tunnelIp : s.tunnelIp;
        const QString dst = kind == "request" ? s.tunnelIp : c.tunnelIp;
        for (const Packet &p : n.packets) {
            if (p.icmpError || p.echoKind != kind || p.echoSrc != src || p.echoDst != dst || p.direction != dir)
                continue;
            if (tunnel ? (p.iface == c.device && !p.encapsulated) : (p.iface != c.device && p.encapsulated))
                return QString("pass");
        }
        return QString("fail");
    };
    o.hops["request.client.tunnel"] = seen(o.client, true, "Out", "request");
    o.hops["request.client.egress"] = seen(o.client, false, "Out", "request");
    o.hops["request.server.ingress"] = seen(o.server, false, "In", "request");
    o.hops["request.server.tunnel"] = seen(o.server, true, "In", "request");
    o.hops["reply.server.tunnel"] = seen(o.server, true, "Out", "reply");
    o.hops["reply.server.egress"] = seen(o.server, false, "Out", "reply");
    o.hops["reply.client.ingress"] = seen(o.client, false, "In", "reply");
    o.hops["reply.client.tunnel"] = seen(o.client, true, "In", "reply");

    auto pf = [](bool ok) { return ok ? QString("pass") : QString("fail"); };
    o.checks["underlay.ping"] = pf(o.underlayPing);
    o.checks["tunnel.ping"] = pf(o.tunnelPing);
    o.checks["capture.client"] = pf(o.client.captured);
    o.checks["capture.server"] = pf(o.server.captured);

    auto lines = [](const NodeObservation &n, const QString &section) {
        return n.evidence.value(section).split('\n', Qt::SkipEmptyParts);
    };
    auto any = [&](const NodeObservation &n, const QString &section, const QRegularExpression &re) {
        for (const QString &l : lines(n, section))
            if (re.match(l).hasMatch())
                return true;
        return false;
    };
    auto esc = [](const QString &s) { return QRegularExpression::escape(s); };
    const bool vxlan = env_.mode == "vxlan";
    // Calico's route to the peer's block, and for VXLAN its neighbour and FDB entries.
    auto routeOk = [&](const NodeObservation &n, const Node &peer) {
        const QString gw = vxlan ? peer.tunnelIp : peer.host;
        if (!any(n, "ROUTE", QRegularExpression("^" + esc(peer.block) + " via " + esc(gw) + " dev " + esc(peer.device) +
                                                (vxlan ? "" : " proto bird") + " .*onlink")))
            return false;
        if (!vxlan)
            return true;
        return any(n, "NEIGH", QRegularExpression("^" + esc(peer.tunnelIp) + " dev vxlan.calico lladdr " + esc(peer.mac) + " PERMANENT")) &&
               any(n, "FDB", QRegularExpression("^" + esc(peer.mac) + " dst " + esc(peer.host) + " self permanent"));
    };
    // The device is there, up, and its MTU fits the path (when the default-size underlay
    // ping works but a full-size one does not, the path carries less than 1500).
    auto tunnelOk = [&](const NodeObservation &n, const Node &self) {
        if (!any(n, "LINK", QRegularExpression("^\\d+: " + esc(self.device) + "[:@].*[<,]UP[,>]")))
            return false;
        const QString pmtu = n.evidence.value("PMTU");
        return !(pmtu.contains("small=0") && !pmtu.contains("full=0"));
    };
    // No DROP/REJECT rule's packet counter rose during the burst.
    auto iptablesOk = [&](const NodeObservation &n) {
        static const QRegularExpression drop(R"(^\[(\d+):\d+\] (-A .* -j (DROP|REJECT).*)$)");
        QMap<QString, qlonglong> before;
        for (const QString &l : lines(n, "BEFORE"))
            if (auto m = drop.match(l); m.hasMatch())
                before[m.captured(2)] = m.captured(1).toLongLong();
        for (const QString &l : lines(n, "IPTABLES"))
            if (auto m = drop.match(l); m.hasMatch() && m.captured(1).toLongLong() > before.value(m.captured(2), 0))
                return false;
        return true;
    };
    // The peer's node IP, and every outer source that arrived encapsulated, are members.
    auto ipsetOk = [&](const NodeObservation &n, const Node &peer) {
        const QStringList members = n.evidence.value("IPSET").section("Members:", 1).split('\n', Qt::SkipEmptyParts);
        QSet<QString> sources = {peer.host};
        for (const Packet &p : n.packets)
            if (p.encapsulated && p.direction == "In" && !p.outerSrc.isEmpty())
                sources.insert(p.outerSrc);
        for (const QString &src : sources)
            if (!members.contains(src))
                return false;
        return true;
    };
    auto logsOk = [&](const NodeObservation &n) {
        return !any(n, "LOGS", QRegularExpression(R"(\[(WARNING|ERROR|FATAL|PANIC)\]|bird: .*(Error|Netlink:))"));
    };
    // The full-size DF ping crosses where small ones do. The lab's tunnel MTU plus its
    // encapsulation is 1500 in both modes, so the client's 1500-byte DF underlay ping tells
    // it; when the tunnel ping fails for another reason the size cannot be told apart.
    const QString clientPmtu = o.client.evidence.value("PMTU");
    const bool sizeAlone = clientPmtu.contains("small=0") && !clientPmtu.contains("full=0");
    o.checks["tunnel.full-size"] = sizeAlone ? QString("fail") : o.tunnelPing ? QString("pass") : QString("unknown");
    o.checks["route.client"] = pf(routeOk(o.client, s));
    o.checks["route.server"] = pf(routeOk(o.server, c));
    o.checks["tunnel.client"] = pf(tunnelOk(o.client, c));
    o.checks["tunnel.server"] = pf(tunnelOk(o.server, s));
    o.checks["iptables.client"] = pf(iptablesOk(o.client));
    o.checks["iptables.server"] = pf(iptablesOk(o.server));
    o.checks["ipset.client"] = pf(ipsetOk(o.client, s));
    o.checks["ipset.server"] = pf(ipsetOk(o.server, c));
    o.checks["logs.client"] = pf(logsOk(o.client));
    o.checks["logs.server"] = pf(logsOk(o.server));
}

QString describe(const Observation &o)
{
    return QStringLiteral("ping:\n%1\nclient capture:\n%2\n%3\nserver capture:\n%4\n%5")
        .arg(o.pingOutput, o.client.raw.left(4000), o.client.err.right(600), o.server.raw.left(4000), o.server.err.right(600));
}

// ------------------------------------------------------------------ tests

void TestLab::initTestCase()
{
    total_.start();
    runDir_ = labRunDir();
    QFile f(kCatalogue);
    QVERIFY(f.open(QIODevice::ReadOnly));
    catalogue_ = QJsonDocument::fromJson(f.readAll()).object();
    QVERIFY(!catalogue_.isEmpty());
    for (const QString path : {"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/sudoers", "/etc/hostname", "/etc/hosts"})
        hostFiles_[path] = sha256(path);
    for (const QString path : {"/var/log/calico", "/run/sshd", "/home/ppadmin"})
        hostFiles_[path] = QFileInfo::exists(path) ? "exists" : "absent";
}

void TestLab::upIsIdempotent()
{
    QElapsedTimer t;
    t.start();
    Ran r = lab({"up", "--mode", "ipip", "--nodes", "2"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    started_ = true;
    const qint64 first = t.restart();
    QVERIFY(loadEnv());
    const QString before = run("bash", {kLab, "env"}, 30000).out;
    r = lab({"up"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    qInfo("up: %lld ms, up again: %lld ms", first, t.elapsed());
    QCOMPARE(run("bash", {kLab, "env"}, 30000).out, before);
    r = run("bash", {kLab, "status"}, 30000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QCOMPARE(env_.mode, QString("ipip"));
    QCOMPARE(env_.nodes.size(), 2);
}

// The lab's underlay filter is a bridge-family nft table, which sees every bridge of the
// machine: it once dropped all IPv4 outside the lab's range on docker0, virbr0 and
// another checkout's lab. A bridge of someone else's, with addresses outside the node
// range, must keep forwarding, and reaching this machine, while the lab is up (also
// under an underlay fault).
void TestLab::otherBridgesUntouched_data()
{
    QTest::addColumn<QString>("fault");
    QTest::newRow("healthy lab") << "";
    QTest::newRow("underlay blocks the encapsulation") << "underlay-blocks-encap";
}

void TestLab::otherBridgesUntouched()
{
    QFETCH(QString, fault);
    if (!fault.isEmpty()) {
        Ran f = lab({"fault", fault});
        QVERIFY2(f.exitCode == 0, qPrintable(f.err));
    }
    // Named outside the lab's prefix; addresses from the lab's second underlay range,
    // which the lab's node filter does not allow.
    const QString script = QStringLiteral(
        "set -e; trap 'ip netns del ppother-a 2>/dev/null; ip netns del ppother-b 2>/dev/null; ip link del ppother-br 2>/dev/null' EXIT\n"
        "ip link add ppother-br type bridge; ip link set ppother-br up\n"
        "for n in a b; do ip netns add ppother-$n; ip link add ppo-$n type veth peer name eth0 netns ppother-$n;\n"
        "  ip link set ppo-$n master ppother-br up; ip -n ppother-$n link set eth0 up; done\n"
        "ip -n ppother-a addr add 198.19.254.1/24 dev eth0; ip -n ppother-b addr add 198.19.254.2/24 dev eth0\n"
        "ip netns exec ppother-a ping -c 2 -W 1 -i 0.2 198.19.254.2\n"
        "ip netns exec ppother-a ping -c 2 -W 1 -i 0.2 -s 100 198.19.254.2\n"
        // To the bridge's own address: through the bridge's input hook, not forward.
        "ip addr add 198.19.254.254/24 dev ppother-br\n"
        "ip netns exec ppother-a ping -c 2 -W 1 -i 0.2 198.19.254.254\n");
    Ran r = run("bash", {"-c", script}, 30000);
    if (!fault.isEmpty())
        lab({"fault", "clear"});
    QVERIFY2(r.exitCode == 0, qPrintable("a bridge outside the lab stopped forwarding or reaching this machine: " + r.out + r.err));
}

// A lab with a dead sshd, a missing link, a lost route and a flushed firewall is
// repaired by `up`.
void TestLab::repairsHalfBuiltLab()
{
    QFile pidFile(runDir_ + "/nodes/pplab-node2/sshd.pid");
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    const pid_t sshd = pid_t(pidFile.readAll().trimmed().toInt());
    QVERIFY(sshd > 1);
    QCOMPARE(run("ip", {"-n", "pplab-node1", "route", "del", env_.server().block}, 10000).exitCode, 0);
    QCOMPARE(run("ip", {"netns", "exec", "pplab-node1", "iptables", "-F"}, 10000).exitCode, 0);
    // The rebuilt node keeps its MAC: the host's and the peer's neighbour caches stay right.
    const QString macBefore = run("ip", {"-n", "pplab-node1", "-br", "link", "show", "eth0"}, 10000).out;
    QCOMPARE(run("ip", {"link", "del", "pplab-n1"}, 10000).exitCode, 0);
    QCOMPARE(::kill(sshd, SIGTERM), 0); // the lab's own sshd, started by this test's `up`; tunl0d follows it
    QVERIFY(run("bash", {kLab, "status"}, 30000).exitCode != 0);
    const Ran r = lab({"up"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(run("bash", {kLab, "status"}, 30000).exitCode, 0);
    const QString macAfter = run("ip", {"-n", "pplab-node1", "-br", "link", "show", "eth0"}, 10000).out;
    QCOMPARE(macAfter.simplified().split(' ').value(2), macBefore.simplified().split(' ').value(2));
    QVERIFY(!macBefore.simplified().split(' ').value(2).isEmpty());
    const Observation o = burst({}, {});
    for (const QString &hop : kHopIds)
        QVERIFY2(o.hops.value(hop) == "pass", qPrintable(hop + " after repair\n" + describe(o)));
}

void TestLab::healthy_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("ipip") << "ipip";
    QTest::newRow("vxlan") << "vxlan";
}

// The guide's procedure passes on a healthy lab, and each node is a node: its own
// hostname, host key, tools, users and Calico logs.
void TestLab::healthy()
{
    QFETCH(QString, mode);
    upIn(mode);
    const Ran r = lab({"fault", "clear"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject expected = catalogue_.value("healthy").toObject();
    const Observation o = burst({}, {});
    for (const QString &hop : kHopIds)
        QVERIFY2(o.hops.value(hop) == expected.value("hops").toObject().value(hop).toString(),
                 qPrintable(hop + "\n" + describe(o)));
    const QJsonObject checks = expected.value("checks").toObject();
    for (auto it = checks.begin(); it != checks.end(); ++it)
        QVERIFY2(o.checks.value(it.key()) == it.value().toString(), qPrintable(it.key() + "\n" + describe(o)));

    QSet<QString> hostKeys;
    QFile kh(env_.knownHosts);
    QVERIFY(kh.open(QIODevice::ReadOnly));
    for (const QString &line : QString::fromUtf8(kh.readAll()).split('\n', Qt::SkipEmptyParts))
        hostKeys.insert(line.section(' ', 2, 2));
    QCOMPARE(hostKeys.size(), env_.nodes.size());

    for (const Node &n : env_.nodes) {
        Ran id = ssh("root", n.host,
                     "hostname; command -v tcpdump ip iptables ipset ping | wc -l; ls /var/log/calico; "
                     "head -1 /var/log/calico/felix.log; head -1 /var/log/calico/bird/current 2>/dev/null; "
                     "head -1 /var/log/calico/confd/current 2>/dev/null; true");
        QVERIFY2(id.exitCode == 0, qPrintable(id.err));
        const QStringList l = id.out.split('\n');
        QCOMPARE(l.value(0), n.name);
        QCOMPARE(l.value(1).trimmed(), QString("5"));
        QVERIFY(QRegularExpression(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[INFO\]\[61\] felix/daemon\.go \d+: Felix starting up)",
                                   QRegularExpression::MultilineOption)
                    .match(id.out).hasMatch());
        const bool bird = QRegularExpression(R"(^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d{5} bird: )", QRegularExpression::MultilineOption)
                              .match(id.out).hasMatch();
        QCOMPARE(bird, mode == "ipip"); // BIRD and confd do not run in VXLAN-only clusters
        QCOMPARE(id.out.contains("confd"), mode == "ipip");

        QCOMPARE(ssh("ppadmin", n.host, "sudo -n id -u").out.trimmed(), QString("0"));
        QVERIFY(ssh("pppass", n.host, "sudo -n true").exitCode != 0);
        QCOMPARE(ssh("pppass", n.host, "echo " + env_.sudoPassword + " | sudo -S -p '' id -u").out.trimmed(), QString("0"));
        const Ran nosudo = ssh("ppnosudo", n.host, "id -u; sudo -n true");
        QVERIFY(nosudo.exitCode != 0);
        QCOMPARE(nosudo.out.trimmed(), QString("4003"));
    }
}

void TestLab::fault_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QJsonObject>("fault");
    QFile f(kCatalogue);
    if (!f.open(QIODevice::ReadOnly))
        return;
    const QJsonArray faults = QJsonDocument::fromJson(f.readAll()).object().value("faults").toArray();
    for (const QString mode : {"ipip", "vxlan"}) // one lab per mode, every fault on it
        for (const auto &v : faults)
            if (v.toObject().value("modes").toArray().contains(mode))
                QTest::newRow(qPrintable(mode + "/" + v.toObject().value("name").toString())) << mode << v.toObject();
}

void TestLab::fault()
{
    QFETCH(QString, mode);
    QFETCH(QJsonObject, fault);
    upIn(mode);
    checkFault(mode, fault);
}

// Applies one catalogued fault and holds every hop and listed check to the catalogue.
void TestLab::checkFault(const QString &mode, const QJsonObject &fault)
{
    const QString name = fault.value("name").toString();
    const QJsonObject expected = fault.value("expected").toObject().value(mode).toObject();
    QElapsedTimer t;
    t.start();
    const Ran applied = lab({"fault", name}); // clears the previous fault first
    QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));

    Login login;
    const QJsonObject l = fault.contains("login") ? fault.value("login").toObject() : catalogue_.value("login").toObject();
    login.user = l.value("user").toString("root");
    login.sudo = l.value("sudo").toBool();
    Probe probe;
    const QJsonObject p = expected.contains("probe") ? expected.value("probe").toObject() : catalogue_.value("probe").toObject();
    probe.count = p.value("count").toInt(3);
    probe.payload = p.value("payloadBytes").toInt(56);
    probe.dontFragment = p.value("dontFragment").toBool();

    const Observation o = burst(login, probe);
    qInfo("%s/%s: fault and burst %lld ms", qPrintable(mode), qPrintable(name), t.elapsed());
    const QJsonObject hops = expected.value("hops").toObject();
    for (const QString &hop : kHopIds)
        QVERIFY2(o.hops.value(hop) == hops.value(hop).toString(),
                 qPrintable(QStringLiteral("%1: seen %2, catalogue says %3\n%4")
                                .arg(hop, o.hops.value(hop), hops.value(hop).toString(), describe(o))));
    const QJsonObject checks = expected.value("checks").toObject();
    for (auto it = checks.begin(); it != checks.end(); ++it)
        QVERIFY2(o.checks.value(it.key()) == it.value().toString(),
                 qPrintable(QStringLiteral("%1: seen %2, catalogue says %3\nclient evidence:\n%4\nserver evidence:\n%5\n%6")
                                .arg(it.key(), o.checks.value(it.key()), it.value().toString(),
                                     o.client.evidence.values().join("").left(3000), o.server.evidence.values().join("").left(3000),
                                     describe(o))));
    // Node-specific facts the catalogue's description promises.
    if (name == "tcpdump-missing") {
        QVERIFY(ssh("root", env_.server().host, "command -v tcpdump").exitCode != 0);
        QCOMPARE(ssh("root", env_.client().host, "command -v tcpdump").exitCode, 0);
    }
    if (name == "no-privilege") {
        QVERIFY(ssh("ppadmin", env_.server().host, "sudo -n true").exitCode != 0);
        QCOMPARE(ssh("ppadmin", env_.client().host, "sudo -n true").exitCode, 0);
    }
    if (name == "source-address-wrong") {
        bool fromSecondary = false;
        for (const Packet &pk : o.server.packets)
            fromSecondary |= pk.encapsulated && pk.direction == "In" && pk.outerSrc == "198.51.100.111";
        QVERIFY2(fromSecondary, qPrintable(describe(o)));
    }
}

// The guide's naming: felix-calico-hosts-4 and its one DROP rule, which the guide's
// `iptables -vL | grep DROP` shows counting the packets from a source outside the set.
void TestLab::legacyHostsIpset()
{
    const Ran r = lab({"up", "--mode", "ipip", "--hosts-ipset", "felix-calico-hosts-4"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(loadEnv());
    QCOMPARE(env_.guardSet, QString("felix-calico-hosts-4"));
    const Observation healthy = burst({}, {});
    for (const QString &hop : kHopIds)
        QVERIFY2(healthy.hops.value(hop) == "pass", qPrintable(hop + "\n" + describe(healthy)));
    for (const auto &v : catalogue_.value("faults").toArray())
        if (v.toObject().value("name").toString() == "source-address-wrong")
            checkFault("ipip", v.toObject());
    if (QTest::currentTestFailed())
        return;
    const Ran drops = ssh("root", env_.server().host, "iptables -vL | grep DROP");
    QVERIFY2(QRegularExpression(R"(^\s*[1-9]\d*\s+\d+\s+DROP\s+ipencap\s.*! match-set felix-calico-hosts-4 src)",
                                QRegularExpression::MultilineOption)
                 .match(drops.out).hasMatch(),
             qPrintable(drops.out));
    QVERIFY(lab({"fault", "clear"}).exitCode == 0);
    QVERIFY(lab({"up", "--hosts-ipset", "cali40all-hosts-net"}).exitCode == 0);
    QVERIFY(loadEnv());
    QCOMPARE(env_.guardSet, QString("cali40all-hosts-net"));
}

// The variants a production node differs by: SSH over a management network (a second
// card, Calico still on eth0) and an older tcpdump. Each is on after `up --X` and gone
// after the option that undoes it, and the path stays healthy either way.
void TestLab::variants_data()
{
    QTest::addColumn<QStringList>("on");
    QTest::addColumn<QStringList>("off");
    QTest::addColumn<QString>("command");  // run on the client through SSH
    QTest::addColumn<QString>("whenOn");   // in its output with the variant on
    QTest::addColumn<QString>("whenOff");
    // This test's own burst reads `tcpdump -i any` by interface name, which 4.9 does not
    // write: with the older tcpdump only PodPath's per-interface captures can judge the
    // path (tst_diagnose_lab's tcpdump 4.9 rows).
    QTest::addColumn<bool>("burstWhenOn");
    QTest::newRow("management network") << QStringList{"--mgmt"} << QStringList{"--no-mgmt"}
                                        << "printenv SSH_CONNECTION; ip -o -4 addr show dev eth0"
                                        << " 198.19.254.11 22" << " 198.51.100.11 22" << true;
    QTest::newRow("tcpdump 4.9") << QStringList{"--tcpdump", "4.9"} << QStringList{"--tcpdump", "current"}
                                 << "tcpdump --version 2>&1 | head -1" << "tcpdump version 4.9.3" << "tcpdump version 4.99" << false;
    // No bash (Alpine-, Talos-style nodes): gone from the node's /usr/bin, login shells sh.
    QTest::newRow("no bash") << QStringList{"--bash", "none"} << QStringList{"--bash", "present"}
                             << "command -v bash || echo no bash; echo \"shell $0\"" << "no bash\nshell sh"
                             << "/usr/bin/bash\nshell bash" << true;
    // Calico's nftables dataplane: its table with the hosts set as an nft set, no Calico
    // iptables chain and no ipset; back on iptables, the table is gone and the ipset back.
    QTest::newRow("nftables dataplane")
        << QStringList{"--dataplane", "nftables"} << QStringList{"--dataplane", "iptables"}
        << "nft list set ip calico cali40all-hosts-net 2>&1 | grep -c 198.51.100.1; iptables-save | grep -c cali-; "
           "ipset list -n | grep -c cali; true"
        << "1\n0\n0" << "0\n" << true;
    // The legacy backend (older distributions): the node's own iptables is iptables-legacy,
    // and Calico's chains are there, not in nft.
    QTest::newRow("iptables-legacy dataplane")
        << QStringList{"--dataplane", "iptables-legacy"} << QStringList{"--dataplane", "iptables"}
        << "iptables -V; iptables-save | grep -c ':cali-INPUT'; iptables-nft-save 2>/dev/null | grep -c ':cali-INPUT'; true"
        << "(legacy)\n1\n0" << "(nf_tables)\n1\n" << true;
    // eBPF mode as the lab holds it: Felix's veth pair for NAT and host traffic, up.
    QTest::newRow("ebpf dataplane") << QStringList{"--dataplane", "ebpf"} << QStringList{"--dataplane", "iptables"}
                                    << "ip -o link show type veth | grep -c 'bpfin.cali@bpfout.cali.*UP'; true"
                                    << "1" << "0" << true;
    // BGP without encapsulation through the top-of-rack router: no tunnel, the server's block
    // via the gateway namespace, which forwards to the server pod (this test's burst follows
    // tunnels, so tst_diagnose_lab unencapsulated judges the path); back in IPIP, via tunl0.
    QTest::newRow("no encapsulation via the router")
        << QStringList{"--mode", "none", "--fabric", "tor"} << QStringList{"--mode", "ipip"}
        << "ip route show 198.18.20.128/26; ip -o link show tunl0 >/dev/null 2>&1 || echo no tunl0; "
           "ping -c 1 -W 2 -q 198.18.20.130 | grep -o '1 received'; "
           "grep -o 'bird: Global_198_51_100_254: State changed to up' /var/log/calico/bird/current | tail -n 1; true"
        // The route is BIRD's, learned over its session with the router (its log, as calico-node's).
        << "198.18.20.128/26 via 198.51.100.254 dev eth0 proto bird \nno tunl0\n1 received\n"
           "bird: Global_198_51_100_254: State changed to up"
        << "198.18.20.128/26 via 198.51.100.12 dev tunl0 proto bird onlink \n1 received" << false;
    // Two subnets in VXLAN CrossSubnet: node2 on the other half is reached through
    // vxlan.calico, its outer packets routed by the gateway; node3, on node1's half, straight
    // over eth0. Back in IPIP on one subnet, node2 is .12 again and node3 is gone.
    QTest::newRow("two subnets, CrossSubnet")
        << QStringList{"--mode", "vxlan", "--vxlan-mode", "CrossSubnet", "--subnets", "2", "--nodes", "3"}
        << QStringList{"--mode", "ipip", "--nodes", "2"}
        << "ip route show 198.18.20.128/26; ip route show 198.18.30.192/26; "
           "ping -c 1 -W 2 -q 198.18.20.130 | grep -o '1 received'; ip route get 198.51.100.140 | head -n 1; true"
        << "198.18.20.128/26 via 198.18.20.128 dev vxlan.calico onlink \n198.18.30.192/26 via 198.51.100.13 dev eth0 proto 80 \n"
           "1 received\n198.51.100.140 via 198.51.100.126 dev eth0 src 198.51.100.11"
        << "198.18.20.128/26 via 198.51.100.12 dev tunl0 proto bird onlink \n1 received\n198.51.100.140 dev eth0 src 198.51.100.11"
        << true;
    // Dual-stack VXLAN: Felix's IPv6 device beside vxlan.calico carries IPv6 to the peer's
    // VTEP; without --ipv6 it is gone and the node has no IPv6 route to the peer's block.
    QTest::newRow("dual-stack VXLAN")
        << QStringList{"--mode", "vxlan", "--ipv6"} << QStringList{"--mode", "vxlan"}
        << "ip -o link show vxlan-v6.calico >/dev/null 2>&1 && echo v6 device || echo no v6 device; "
           "ping -6 -c 1 -W 2 -q 2001:db8:1800::80 2>/dev/null | grep -o '1 received'; "
           "ip -6 route show 2001:db8:1800::80/122 2>/dev/null; echo end"
        << "v6 device\n1 received\n2001:db8:1800::80/122 via 2001:db8:1800::80 dev vxlan-v6.calico metric 1024 onlink pref medium\nend"
        << "no v6 device\nend" << true;
}

void TestLab::variants()
{
    QFETCH(QStringList, on);
    QFETCH(QStringList, off);
    QFETCH(QString, command);
    QFETCH(QString, whenOn);
    QFETCH(QString, whenOff);
    QFETCH(bool, burstWhenOn);
    for (const auto &[options, expected] : {std::pair{on, whenOn}, std::pair{off, whenOff}}) {
        // From the plain lab (the later option wins), whatever a row before left.
        const Ran r = lab(QStringList{"up", "--mode", "ipip", "--no-mgmt", "--tcpdump", "current", "--bash", "present",
                                      "--dataplane", "iptables"} + options);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(loadEnv());
        const Ran out = ssh("root", env_.client().host, command);
        QVERIFY2(out.exitCode == 0, qPrintable(out.err));
        QVERIFY2(out.out.contains(expected), qPrintable(options.join(' ') + ": " + out.out));
        // Calico's side of the node is untouched: eth0 keeps the node IP.
        if (command.contains("eth0"))
            QVERIFY2(out.out.contains("inet 198.51.100.11/24"), qPrintable(out.out));
        if (options == on && !burstWhenOn)
            continue;
        const Observation healthy = burst({}, {});
        for (const QString &hop : kHopIds)
            QVERIFY2(healthy.hops.value(hop) == "pass", qPrintable(options.join(' ') + " " + hop + "\n" + describe(healthy)));
    }
    QVERIFY(!QFile::exists("/sys/class/net/pplab-br1"));  // --no-mgmt took the bridge away
}

void TestLab::downLeavesNothing()
{
    QElapsedTimer t;
    t.start();
    const Ran r = lab({"down"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    qInfo("down: %lld ms", t.elapsed());
    started_ = false;
    QCOMPARE(run("bash", {kLab, "status"}, 30000).exitCode, 3);
    QVERIFY2(!run("ip", {"netns", "list"}, 10000).out.contains("pplab-"), "a namespace is left");
    QVERIFY2(!run("ip", {"-o", "link", "show"}, 10000).out.contains("pplab-"), "a link is left");
    QVERIFY2(!run("nft", {"list", "tables"}, 10000).out.contains("bridge pplab"), "the underlay's nft table is left");
    // No process and no mount refers to the lab's folder any more.
    for (const QString &pid : QDir("/proc").entryList(QDir::Dirs)) {
        if (pid.toInt() <= 0)
            continue;
        QFile cmdline("/proc/" + pid + "/cmdline");
        if (cmdline.open(QIODevice::ReadOnly)) {
            const QByteArray cl = cmdline.readAll().replace('\0', ' ');
            QVERIFY2(!cl.contains(runDir_.toUtf8()) && !cl.contains("tunl0d"), qPrintable("process left: " + pid + " " + cl));
        }
    }
    QFile mounts("/proc/self/mountinfo");
    QVERIFY(mounts.open(QIODevice::ReadOnly));
    const QByteArray m = mounts.readAll();
    QVERIFY2(!m.contains(runDir_.toUtf8()) && !m.contains("/run/netns/pplab-"), "a mount is left");
    QVERIFY(!QFileInfo::exists(runDir_ + "/nodes"));
    for (auto it = hostFiles_.begin(); it != hostFiles_.end(); ++it) {
        const QString now = it.value() == "exists" || it.value() == "absent"
                                ? (QFileInfo::exists(it.key()) ? "exists" : "absent")
                                : sha256(it.key());
        QVERIFY2(now == it.value(), qPrintable(it.key() + " changed"));
    }
    qInfo("lab test: %lld ms in all", total_.elapsed());
}

void TestLab::cleanupTestCase()
{
    if (started_) // a failure left the lab up: nothing may outlive the test
        lab({"down"});
}

PODPATH_TEST_GUILESS_MAIN_UNLESS(TestLab, whyNotHere())
#include "tst_lab.moc"
