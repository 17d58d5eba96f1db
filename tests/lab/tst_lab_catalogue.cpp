// The lab's fault catalogue (tests/lab/faults.json) is the ground truth the diagnosis is
// tested against, so it must be internally consistent and speak the engine's ids. This
// test needs no root: it reads the file and asks the lab script for its fault list.

#include "diagnose/hop.h"
#include "diagnose/matrix_engine.h"
#include "diagnose/matrix_patterns.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <algorithm>
#include <set>

using namespace podpath::diagnose;

namespace {

const QString kCatalogue = QStringLiteral(PODPATH_SOURCE_DIR "/tests/lab/faults.json");
const QString kLab = QStringLiteral(PODPATH_SOURCE_DIR "/tests/lab/lab");

QJsonObject loadCatalogue()
{
    QFile f(kCatalogue);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

bool isCheckId(const QString &id, bool dualStack = false, bool wireguard = false)
{
    auto in = [&](const auto &ids) {
        return std::any_of(ids.begin(), ids.end(), [&](auto c) { return QString::fromLatin1(c.data(), qsizetype(c.size())) == id; });
    };
    return in(kCheckIds) || (dualStack && in(kDualStackCheckIds)) || (wireguard && in(kWireguardCheckIds));
}

// The first hop, in path order, whose status is "fail"; empty when none fails.
QString firstFailing(const QJsonObject &hops)
{
    for (const auto &h : kHops) {
        const QString key = QString::fromLatin1(h.key.data(), qsizetype(h.key.size()));
        if (hops.value(key).toString() == QLatin1String("fail"))
            return key;
    }
    return {};
}

} // namespace

class TestLabCatalogue : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void topLevel();
    void expectation_data();
    void expectation();
    void agreesWithLabScript();
    void podExpectation_data();
    void podExpectation();
    void podFaultsAgreeWithLabScript();
    void matrixExpectation_data();
    void matrixExpectation();
    void matrixFaultsAgreeWithLabScript();

private:
    QJsonObject catalogue_;
};

void TestLabCatalogue::initTestCase()
{
    catalogue_ = loadCatalogue();
    QVERIFY2(!catalogue_.isEmpty(), qPrintable(kCatalogue + " is missing or not a JSON object"));
}

void TestLabCatalogue::topLevel()
{
    QCOMPARE(catalogue_.value("schema").toInt(), 1);
    QCOMPARE(catalogue_.value("roles").toObject().value("client").toString(), QString("pplab-node1"));
    QCOMPARE(catalogue_.value("roles").toObject().value("server").toString(), QString("pplab-node2"));
    const QJsonArray hopIds = catalogue_.value("hopIds").toArray();
    QCOMPARE(hopIds.size(), qsizetype(kHops.size()));
    for (qsizetype i = 0; i < hopIds.size(); ++i) // same ids, same path order as the engine
        QCOMPARE(hopIds.at(i).toString().toStdString(), std::string(kHops[std::size_t(i)].key));
    for (const auto &c : catalogue_.value("checkIds").toArray())
        QVERIFY2(isCheckId(c.toString()), qPrintable(c.toString()));
    QCOMPARE(catalogue_.value("checkIds").toArray().size(), qsizetype(kCheckIds.size()));

    const QJsonObject healthy = catalogue_.value("healthy").toObject();
    QCOMPARE(healthy.value("exitStatus").toInt(-1), 0);
    QVERIFY(healthy.value("firstFailingHop").isNull());
    QVERIFY(firstFailing(healthy.value("hops").toObject()).isEmpty());

    QSet<QString> names;
    for (const auto &v : catalogue_.value("faults").toArray()) {
        const QString name = v.toObject().value("name").toString();
        QVERIFY2(QRegularExpression("^[a-z0-9]+(-[a-z0-9]+)*$").match(name).hasMatch(), qPrintable(name));
        QVERIFY2(!names.contains(name), qPrintable("duplicate fault " + name));
        names.insert(name);
    }
    QVERIFY(names.size() >= 15);
}

void TestLabCatalogue::expectation_data()
{
    QTest::addColumn<QJsonObject>("fault");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QJsonObject>("expected");
    for (const auto &v : loadCatalogue().value("faults").toArray()) {
        const QJsonObject f = v.toObject();
        const QJsonObject byMode = f.value("expected").toObject();
        for (const auto &m : f.value("modes").toArray()) {
            const QString mode = m.toString();
            QTest::newRow(qPrintable(mode + "/" + f.value("name").toString()))
                << f << mode << byMode.value(mode).toObject();
        }
    }
}

void TestLabCatalogue::expectation()
{
    QFETCH(QJsonObject, fault);
    QFETCH(QString, mode);
    QFETCH(QJsonObject, expected);

    // none: BGP without encapsulation, whose faults are diagnosed with the pods
    // (tst_diagnose_lab unencapsulated); the tunnel hops are skipped there. vxlan6: a
    // dual-stack VXLAN lab (tst_diagnose_lab dualStack), where the IPv6 burst is judged
    // beside the IPv4 one and its own checks run. wireguard: a lab up with --wireguard, whose
    // tunnel addresses' echoes cross wireguard.cali (UDP 51820 on the underlay); only its own
    // faults apply there.
    QVERIFY(mode == "ipip" || mode == "vxlan" || mode == "none" || mode == "vxlan6" || mode == "wireguard");
    const bool dualStack = mode == "vxlan6";
    const bool wireguard = mode == "wireguard";
    QVERIFY2(!expected.isEmpty(), "every listed mode has an expectation");
    QCOMPARE(fault.value("expected").toObject().size(), fault.value("modes").toArray().size());
    QVERIFY(!fault.value("summary").toString().isEmpty());
    QVERIFY(fault.value("description").toString().size() > 40);
    QVERIFY(QStringList({"client", "server", "network"}).contains(fault.value("node").toString()));
    QCOMPARE(fault.value("apply").toString(), "tests/lab/lab fault " + fault.value("name").toString());
    QVERIFY(!fault.value("revert").toString().isEmpty());

    const QString code = expected.value("code").toString();
    QVERIFY2(QRegularExpression("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$").match(code).hasMatch(), qPrintable(code));
    const int exitStatus = expected.value("exitStatus").toInt(-1);
    QVERIFY(exitStatus == 1 || exitStatus == 2);
    // Exit 2: the diagnosis could not run (error), or it ran and some hops lack evidence
    // (incomplete: a missing tcpdump costs only its node's hops).
    const QString verdict = expected.value("verdict").toString();
    if (exitStatus == 1)
        QCOMPARE(verdict, QString("fail"));
    else
        QVERIFY2(verdict == "error" || verdict == "incomplete", qPrintable(verdict));

    const QJsonObject hops = expected.value("hops").toObject();
    QCOMPARE(hops.size(), qsizetype(kHops.size()));
    for (auto it = hops.begin(); it != hops.end(); ++it) {
        QVERIFY2(hopFromString(it.key().toStdString()).has_value(), qPrintable(it.key()));
        QVERIFY2(statusFromString(it.value().toString().toStdString()).has_value(), qPrintable(it.value().toString()));
    }
    // What the diagnosis reports where it differs from the lab's single probe: every hop,
    // the same first failing hop.
    if (expected.contains("diagnosisHops")) {
        const QJsonObject dh = expected.value("diagnosisHops").toObject();
        QCOMPARE(dh.size(), qsizetype(kHops.size()));
        for (auto it = dh.begin(); it != dh.end(); ++it) {
            QVERIFY2(hopFromString(it.key().toStdString()).has_value(), qPrintable(it.key()));
            QVERIFY2(statusFromString(it.value().toString().toStdString()).has_value(), qPrintable(it.value().toString()));
        }
        QCOMPARE(firstFailing(dh), firstFailing(hops));
    }
    const QJsonObject checks = expected.value("checks").toObject();
    for (auto it = checks.begin(); it != checks.end(); ++it) {
        QVERIFY2(isCheckId(it.key(), dualStack, wireguard), qPrintable(it.key()));
        QVERIFY2(statusFromString(it.value().toString().toStdString()).has_value(), qPrintable(it.value().toString()));
    }

    // The explaining check exists and fails; a failing hop means exit 1 and is the first
    // failing hop in path order; no failing hop means the diagnosis could not run (exit 2).
    const QString check = expected.value("check").toString();
    QVERIFY2(isCheckId(check, dualStack, wireguard), qPrintable(check));
    QCOMPARE(checks.value(check).toString(), QString("fail"));
    const QJsonValue first = expected.value("firstFailingHop");
    if (exitStatus == 1) {
        QVERIFY(first.isString());
        QCOMPARE(firstFailing(hops), first.toString());
        // A diagnosis that ran judges every check; the echoes of the faulty family fail.
        QCOMPARE(checks.size(), qsizetype(kCheckIds.size() + (dualStack ? kDualStackCheckIds.size() : 0) +
                                          (wireguard ? kWireguardCheckIds.size() : 0)));
        QCOMPARE(checks.value(dualStack ? "tunnel6.ping" : "tunnel.ping").toString(), QString("fail"));
    } else {
        QVERIFY(first.isNull());
        QVERIFY(firstFailing(hops).isEmpty());
        QVERIFY(check.startsWith("capture."));
        if (verdict == "incomplete")
            QVERIFY(std::any_of(hops.begin(), hops.end(), [](const QJsonValue &v) { return v.toString() == "unknown"; }));
    }
    const QJsonObject probe = expected.value("probe").toObject();
    if (!probe.isEmpty())
        QVERIFY(probe.value("payloadBytes").toInt() > 0 && probe.value("count").toInt() > 0);
}

// The lab's listing (`lab ARGS...`: name, modes, node per line) against the catalogue's
// `section`: the same faults, modes and nodes.
static void registryAgrees(const QStringList &args, const char *section, const QJsonObject &catalogueDoc)
{
    QProcess p;
    p.start("bash", QStringList{kLab} + args);
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    QMap<QString, QString> script;
    for (const QString &line : QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
        const QStringList w = line.split(' ', Qt::SkipEmptyParts);
        QVERIFY(w.size() >= 3);
        script.insert(w[0], w[1] + " " + w[2]);
    }
    QMap<QString, QString> catalogue;
    for (const auto &v : catalogueDoc.value(QLatin1String(section)).toArray()) {
        const QJsonObject f = v.toObject();
        QStringList modes;
        for (const auto &m : f.value("modes").toArray())
            modes << m.toString();
        catalogue.insert(f.value("name").toString(), modes.join(',') + " " + f.value("node").toString());
    }
    QVERIFY(!script.isEmpty());
    QCOMPARE(script, catalogue);
}

// The script's registry (`lab faults`: name, modes, node) and the catalogue list the
// same faults, so a fault cannot exist without its expected outcome or vice versa.
void TestLabCatalogue::agreesWithLabScript() { registryAgrees({"faults"}, "faults", catalogue_); }

// One row per fault and mode of the catalogue's `section` (fault, mode, that mode's
// expectations); at least `atLeast` faults, each named once.
static void addFaultRows(const char *section, int atLeast)
{
    QTest::addColumn<QJsonObject>("fault");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QJsonObject>("expected");
    const QJsonArray faults = loadCatalogue().value(QLatin1String(section)).toArray();
    QVERIFY2(faults.size() >= atLeast, section);
    QSet<QString> names;
    for (const auto &v : faults) {
        const QJsonObject f = v.toObject();
        const QString name = f.value("name").toString();
        QVERIFY2(!names.contains(name), qPrintable(QLatin1String(section) + ": " + name + " twice"));
        names.insert(name);
        for (const auto &m : f.value("modes").toArray())
            QTest::newRow(qPrintable(m.toString() + "/" + name)) << f << m.toString() << f.value("expected").toObject().value(m.toString()).toObject();
    }
}

// The pod fault catalogue ("podFaults"): each entry applies one policy set or one pod
// fault of the script, asks about ICMP or one port, and expects what a diagnosis that ran
// reports (exit 1, a failing check with its code, the pods' four hops by id).
void TestLabCatalogue::podExpectation_data()
{
    addFaultRows("podFaults", 10);
}

void TestLabCatalogue::podExpectation()
{
    QFETCH(QJsonObject, fault);
    QFETCH(QString, mode);
    QFETCH(QJsonObject, expected);
    QVERIFY(mode == "ipip" || mode == "vxlan");
    QVERIFY2(QRegularExpression("^[a-z0-9]+(-[a-z0-9]+)*$").match(fault.value("name").toString()).hasMatch(),
             qPrintable(fault.value("name").toString()));
    QVERIFY(!fault.value("summary").toString().isEmpty());
    QVERIFY(fault.value("description").toString().size() > 40);
    QVERIFY(QStringList({"client", "server"}).contains(fault.value("node").toString()));
    QVERIFY(QStringList({"client", "server"}).contains(fault.value("serverPod").toString()));
    const QString apply = fault.value("apply").toString(), revert = fault.value("revert").toString();
    QVERIFY2(QRegularExpression("^tests/lab/lab (policy|pod-fault) [a-z0-9-]+$").match(apply).hasMatch(), qPrintable(apply));
    QCOMPARE(revert, apply.contains(" policy ") ? QString("tests/lab/lab policy none") : QString("tests/lab/lab pod-fault clear"));
    const QJsonObject probe = fault.value("probe").toObject();
    const QString protocol = probe.value("protocol").toString();
    QVERIFY2(protocol == "icmp" || protocol == "tcp" || protocol == "udp", qPrintable(protocol));
    QCOMPARE(probe.contains("port"), protocol != "icmp");
    if (protocol != "icmp")
        QVERIFY(probe.value("port").toInt() > 0 && probe.value("port").toInt() < 65536);

    QCOMPARE(expected.value("exitStatus").toInt(), 1);
    QCOMPARE(expected.value("verdict").toString(), QString("fail"));
    const QString check = expected.value("check").toString();
    QVERIFY2(isCheckId(check) || check.startsWith("pod.") || check.startsWith("policy."), qPrintable(check));
    QVERIFY2(QRegularExpression("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$").match(expected.value("code").toString()).hasMatch(),
             qPrintable(expected.value("code").toString()));
    QVERIFY(!expected.value("says").toString().isEmpty());
    // The pods' four hops, by id; the first failing hop is one of the twelve, and the first
    // of the pods' that fails when it is theirs.
    const QJsonObject podHops = expected.value("podHops").toObject();
    QCOMPARE(podHops.size(), qsizetype(kPodHops.size()));
    for (const auto &h : kPodHops) {
        const QString key = QString::fromLatin1(h.key.data(), qsizetype(h.key.size()));
        QVERIFY2(podHops.contains(key), qPrintable(key));
        QVERIFY2(statusFromString(podHops.value(key).toString().toStdString()).has_value(), qPrintable(podHops.value(key).toString()));
    }
    const QJsonValue first = expected.value("firstFailingHop");
    QVERIFY(first.isNull() || (first.isString() && hopFromString(first.toString().toStdString()).has_value()));
    if (first.isString() && isPodHop(*hopFromString(first.toString().toStdString())))
        QCOMPARE(podHops.value(first.toString()).toString(), QString("fail"));
    if (first.isNull())
        for (auto it = podHops.begin(); it != podHops.end(); ++it)
            QVERIFY2(it.value().toString() != "fail", qPrintable(it.key()));
}

// Every policy set and pod fault the pod catalogue applies is one the script knows, and
// every pod fault of the script is catalogued.
void TestLabCatalogue::podFaultsAgreeWithLabScript()
{
    auto listed = [](const QString &command) {
        QProcess p;
        p.start("bash", {kLab, command, "list"});
        p.waitForFinished(30000);
        QSet<QString> names;
        for (const QString &line : QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts))
            names.insert(line.section(' ', 0, 0));
        return names;
    };
    const QSet<QString> policies = listed("policy"), podFaults = listed("pod-fault");
    QVERIFY(policies.contains("none") && !podFaults.isEmpty());
    QSet<QString> applied;
    for (const auto &v : catalogue_.value("podFaults").toArray()) {
        const QStringList apply = v.toObject().value("apply").toString().split(' ');
        QCOMPARE(apply.size(), 3);
        QVERIFY2((apply[1] == "policy" ? policies : podFaults).contains(apply[2]), qPrintable(apply.join(' ')));
        if (apply[1] == "pod-fault")
            applied.insert(apply[2]);
    }
    QCOMPARE(applied, podFaults);
}

// The matrix fault catalogue ("matrixFaults"): each entry applies one of the script's
// matrix faults to a lab of minNodes or more and lists, per mode, the ordered pairs that fail
// in a lab of exactly minNodes (nodes from 1) and the pattern `podpath matrix` names for them.
void TestLabCatalogue::matrixExpectation_data()
{
    addFaultRows("matrixFaults", 4);
}

void TestLabCatalogue::matrixExpectation()
{
    QFETCH(QJsonObject, fault);
    QFETCH(QString, mode);
    QFETCH(QJsonObject, expected);
    QVERIFY(mode == "ipip" || mode == "vxlan");
    const QString name = fault.value("name").toString();
    QVERIFY2(QRegularExpression("^[a-z0-9]+(-[a-z0-9]+)*$").match(name).hasMatch(), qPrintable(name));
    QVERIFY(!fault.value("summary").toString().isEmpty());
    QVERIFY(fault.value("description").toString().size() > 40);
    QVERIFY2(!expected.isEmpty(), "every listed mode has an expectation");
    QCOMPARE(fault.value("expected").toObject().size(), fault.value("modes").toArray().size());
    QCOMPARE(fault.value("apply").toString(), "tests/lab/lab matrix-fault " + name);
    QCOMPARE(fault.value("revert").toString(), QString("tests/lab/lab matrix-fault clear"));
    // A subset of the cluster breaks: a pair beyond the client/server pair is needed to
    // fail and one more to pass.
    const int nodes = fault.value("minNodes").toInt();
    QVERIFY2(nodes >= 4 && nodes <= 40, qPrintable(QString::number(nodes)));  // the lab's MAX_NODES
    const QString node = fault.value("node").toString();
    const auto where = QRegularExpression("^node([1-9][0-9]*)$").match(node);
    QVERIFY2(node == "network" || (where.hasMatch() && where.captured(1).toInt() <= nodes), qPrintable(node));

    const QString pattern = expected.value("pattern").toString();
    QVERIFY2(std::any_of(std::begin(kMatrixPatternCodes), std::end(kMatrixPatternCodes),
                         [&](const MatrixPatternCode &c) { return QString::fromLatin1(c.code.data(), qsizetype(c.code.size())) == pattern; }),
             qPrintable(pattern));
    // Every failing pair is an ordered pair of the lab's nodes, once; each has the hop its
    // echoes stop at (null: every hop saw them and a check failed) and the code it leads with.
    const QJsonArray failing = expected.value("failing").toArray();
    const QJsonObject cells = expected.value("cells").toObject();
    QVERIFY(!failing.isEmpty());
    QCOMPARE(cells.size(), failing.size());
    std::set<std::pair<std::size_t, std::size_t>> failed;
    for (const auto &v : failing) {
        const auto pair = QRegularExpression("^([1-9][0-9]*)>([1-9][0-9]*)$").match(v.toString());
        QVERIFY2(pair.hasMatch(), qPrintable(v.toString()));
        const int client = pair.captured(1).toInt(), server = pair.captured(2).toInt();
        QVERIFY2(client != server && client <= nodes && server <= nodes, qPrintable(v.toString()));
        QVERIFY2(failed.insert({std::size_t(client - 1), std::size_t(server - 1)}).second, qPrintable("twice: " + v.toString()));
        const QJsonObject cell = cells.value(v.toString()).toObject();
        QVERIFY2(!cell.isEmpty(), qPrintable("no cell for " + v.toString()));
        const QJsonValue hop = cell.value("firstFailingHop");
        QVERIFY2(hop.isNull() || (hop.isString() && hopFromString(hop.toString().toStdString()).has_value()), qPrintable(v.toString()));
        QVERIFY2(QRegularExpression("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$").match(cell.value("code").toString()).hasMatch(),
                 qPrintable(cell.value("code").toString()));
    }
    // The engine's own reading of exactly these cells (the rest passing) is the catalogued
    // pattern, and that one pattern explains every failing pair.
    ClusterMatrix m;
    m.nodes.resize(std::size_t(nodes));
    for (std::size_t c = 0; c < m.nodes.size(); ++c)
        for (std::size_t s = 0; s < m.nodes.size(); ++s)
            if (c != s) {
                MatrixCell cell;
                cell.client = c;
                cell.server = s;
                cell.diagnosis.verdict = failed.count({c, s}) ? Verdict::Fail : Verdict::Pass;
                m.cells.push_back(cell);
            }
    const std::vector<MatrixPattern> patterns = findPatterns(m);
    QCOMPARE(patterns.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(patterns.front().code), pattern);
    QCOMPARE(patterns.front().cells.size(), failed.size());
}

// The script's matrix faults (`matrix-fault list`: name, modes, node) and the catalogue's
// are the same, so none exists without its expected pairs or the other way round.
void TestLabCatalogue::matrixFaultsAgreeWithLabScript() { registryAgrees({"matrix-fault", "list"}, "matrixFaults", catalogue_); }

QTEST_GUILESS_MAIN(TestLabCatalogue)
#include "tst_lab_catalogue.moc"
