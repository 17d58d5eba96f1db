// The lab's fault catalogue (tests/lab/faults.json) is the ground truth the diagnosis is
// tested against, so it must be internally consistent and speak the engine's ids. This
// test needs no root: it reads the file and asks the lab script for its fault list.

#include "diagnose/hop.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

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

bool isCheckId(const QString &id)
{
    for (auto c : kCheckIds)
        if (QString::fromLatin1(c.data(), qsizetype(c.size())) == id)
            return true;
    return false;
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

    QVERIFY(mode == "ipip" || mode == "vxlan");
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
    QCOMPARE(expected.value("verdict").toString(), exitStatus == 1 ? QString("fail") : QString("error"));

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
        QVERIFY2(isCheckId(it.key()), qPrintable(it.key()));
        QVERIFY2(statusFromString(it.value().toString().toStdString()).has_value(), qPrintable(it.value().toString()));
    }

    // The explaining check exists and fails; a failing hop means exit 1 and is the first
    // failing hop in path order; no failing hop means the diagnosis could not run (exit 2).
    const QString check = expected.value("check").toString();
    QVERIFY2(isCheckId(check), qPrintable(check));
    QCOMPARE(checks.value(check).toString(), QString("fail"));
    const QJsonValue first = expected.value("firstFailingHop");
    if (exitStatus == 1) {
        QVERIFY(first.isString());
        QCOMPARE(firstFailing(hops), first.toString());
        QCOMPARE(checks.size(), qsizetype(kCheckIds.size())); // a diagnosis that ran judges every check
        QCOMPARE(checks.value("tunnel.ping").toString(), QString("fail"));
    } else {
        QVERIFY(first.isNull());
        QVERIFY(firstFailing(hops).isEmpty());
        QVERIFY(check.startsWith("capture."));
    }
    const QJsonObject probe = expected.value("probe").toObject();
    if (!probe.isEmpty())
        QVERIFY(probe.value("payloadBytes").toInt() > 0 && probe.value("count").toInt() > 0);
}

// The script's registry (`lab faults`: name, modes, node) and the catalogue list the
// same faults, so a fault cannot exist without its expected outcome or vice versa.
void TestLabCatalogue::agreesWithLabScript()
{
    QProcess p;
    p.start("bash", {kLab, "faults"});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    QMap<QString, QString> script;
    for (const QString &line : QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
        const QStringList w = line.split(' ', Qt::SkipEmptyParts);
        QVERIFY(w.size() >= 3);
        script.insert(w[0], w[1] + " " + w[2]);
    }
    QMap<QString, QString> catalogue;
    for (const auto &v : catalogue_.value("faults").toArray()) {
        const QJsonObject f = v.toObject();
        QStringList modes;
        for (const auto &m : f.value("modes").toArray())
            modes << m.toString();
        catalogue.insert(f.value("name").toString(), modes.join(',') + " " + f.value("node").toString());
    }
    QCOMPARE(script, catalogue);
}

QTEST_GUILESS_MAIN(TestLabCatalogue)
#include "tst_lab_catalogue.moc"
