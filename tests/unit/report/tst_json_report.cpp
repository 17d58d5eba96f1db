#include "report/json_report.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

Q_DECLARE_METATYPE(podpath::diagnose::Diagnosis)

namespace {

Diagnosis failingIpip()
{
    Diagnosis d;
    d.startedAt = "2026-11-25T10:00:00Z";
    d.mode = Encapsulation::IpIp;
    d.client.host = "node1";
    d.client.hostname = "pplab-node1";
    d.client.nodeIp = Ipv4::parse("198.51.100.11");
    d.client.underlayDevice = "eth0";
    d.client.tunnelDevice = "tunl0";
    d.client.tunnelIp = Ipv4::parse("198.18.1.0");
    d.client.podBlock = Ipv4Prefix::parse("198.18.1.0/26");
    d.client.tunnelMtu = 1480;
    d.client.underlayMtu = 1500;
    d.client.tunnelUp = true;
    d.client.firewallBackend = "iptables-nft";
    d.client.hostsIpset = "cali40all-hosts-net";
    d.client.privilege = "root";
    d.client.hasTcpdump = true;
    d.server = d.client;
    d.server.host = "node2";
    d.server.nodeIp = Ipv4::parse("198.51.100.12");
    d.server.pcapTruncated = true;
    d.verdict = Verdict::Fail;
    d.firstFailingHop = HopId::RequestServerTunnel;
    for (auto &h : d.hops)
        h.status = Status::Pass;
    d.hop(HopId::RequestServerTunnel) = {HopId::RequestServerTunnel, Status::Fail, 0, 5, {},
                                         {"no echo request on tunl0"}, "dropped after arrival"};
    d.checks.push_back({"iptables.server", Status::Fail, "1 DROP rule rose",
                        {"[5:520] -A INPUT -p ipencap -m set ! --match-set felix-calico-hosts-4 src -j DROP"}});
    d.findings.push_back({"SOURCE_NOT_IN_HOSTS_IPSET", Severity::Critical, "ipset.server",
                          "198.51.100.11 is not in felix-calico-hosts-4 on node2", {"Members:"},
                          "check the node's IPv4Address in Calico"});
    d.timings.push_back({"discover", std::chrono::milliseconds(420)});
    d.commands.push_back({"client", "discover", "ip -j addr", 0, "[]", "", std::chrono::milliseconds(12)});
    d.commands.push_back({"client", "identity", "uname -n", 0, "node1\n", "", std::chrono::milliseconds(40), 8});
    return d;
}

Diagnosis unreachable()
{
    Diagnosis d;
    d.verdict = Verdict::Error;
    d.error = "node2: connection timed out";
    return d;
}

} // namespace

class TestJsonReport : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<Diagnosis>("diagnosis");
        QTest::newRow("failing ipip") << failingIpip();
        QTest::newRow("could not run") << unreachable();
        QTest::newRow("default") << Diagnosis();
    }
    void roundTrip()
    {
        QFETCH(Diagnosis, diagnosis);
        const QByteArray bytes = report::toJsonBytes(diagnosis);
        auto back = report::fromJson(bytes);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().oneLine().c_str());
        // Serialising again must give the same bytes: nothing lost, nothing invented.
        QCOMPARE(report::toJsonBytes(*back), bytes);
        QCOMPARE(back->exitStatus(), diagnosis.exitStatus());
    }

    void contractFields()
    {
        const QJsonObject o = report::toJson(failingIpip());
        for (const char *key : {"mode", "client", "server", "verdict", "firstFailingHop", "hops", "checks",
                                "findings", "timings"})
            QVERIFY2(o.contains(key), key);
        QCOMPARE(o["firstFailingHop"].toString(), QString("request.server.tunnel"));
        QCOMPARE(o["hops"].toArray().size(), 8);
        QCOMPARE(o["client"].toObject()["tunnelIp"].toString(), QString("198.18.1.0"));
        // Per node: whether --pcap holds only the start of that node's capture.
        QCOMPARE(o["client"].toObject()["pcapTruncated"], QJsonValue(false));
        QCOMPARE(o["server"].toObject()["pcapTruncated"], QJsonValue(true));
        QVERIFY(report::toJson(unreachable())["firstFailingHop"].isNull());
        // A read from a batch says so: its "ms" is the batch's, not its own.
        const QJsonArray commands = report::toJson(failingIpip())["commands"].toArray();
        QVERIFY(!commands[0].toObject().contains("batch"));
        QCOMPARE(commands[1].toObject()["batch"].toInt(), 8);
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray() << "not JSON";
        QTest::newRow("truncated") << report::toJsonBytes(failingIpip()).left(200) << "not JSON";
        QTest::newRow("other json") << QByteArray(R"({"hello": 1})") << "not a PodPath diagnosis";
        QTest::newRow("newer schema") << QByteArray(R"({"schema":"podpath-diagnosis","schemaVersion":99})")
                                      << "newer PodPath";
        QTest::newRow("bad verdict") << QByteArray(R"({"schema":"podpath-diagnosis","verdict":"maybe"})")
                                     << "unknown verdict";
        QTest::newRow("bad hop") << QByteArray(R"({"schema":"podpath-diagnosis","verdict":"fail","firstFailingHop":"x.y"})")
                                 << "unknown hop id";
        QTest::newRow("bad hop status")
            << QByteArray(R"({"schema":"podpath-diagnosis","verdict":"pass","hops":[{"id":"request.client.tunnel","status":"ok"}]})")
            << "unknown hop";
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe", 3) << "not JSON";
        // A crafted file once kept the window from drawing for two minutes at 2.5 GB.
        Diagnosis huge = failingIpip();
        huge.findings.front().message.assign(report::kMaxDiagnosisString + 1, 'x');
        QTest::newRow("one string of a MiB") << report::toJsonBytes(huge) << "far longer than PodPath writes";
        QByteArray many = R"({"schema":"podpath-diagnosis","verdict":"pass","logs":[)";
        for (int i = 0; i <= report::kMaxDiagnosisItems; ++i)
            many += i ? ",0" : "0";
        many += "]}";
        QTest::newRow("a list of 100001") << many << "far longer than PodPath writes";
        QTest::newRow("more than 64 MiB") << QByteArray(qsizetype(report::kMaxDiagnosisBytes) + 1, ' ') << "larger than";
    }
    void rejects()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, message);
        auto r = report::fromJson(input);
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error().message).contains(message), r.error().message.c_str());
        QVERIFY(!r.error().nextStep.empty());
    }

    // Files are read bounded: a device that never ends, a folder, a missing file each
    // give one line naming the file.
    void loadsBounded_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("/dev/zero") << "/dev/zero" << "larger than PodPath reads";
        QTest::newRow("folder") << "/tmp" << "it is a folder";
        QTest::newRow("missing") << "/nonexistent/podpath.json" << "No such file";
    }
    void loadsBounded()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        auto r = report::loadDiagnosis(path.toStdString());
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error().oneLine()).contains(message), r.error().oneLine().c_str());
        QVERIFY2(QString::fromStdString(r.error().oneLine()).contains(path), r.error().oneLine().c_str());
    }

    void loadsWhatItWrote()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath("d.json");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(report::toJsonBytes(failingIpip()));
        f.close();
        auto r = report::loadDiagnosis(file.toStdString());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
        QCOMPARE(r->findings.size(), failingIpip().findings.size());
    }
};

QTEST_GUILESS_MAIN(TestJsonReport)
#include "tst_json_report.moc"
