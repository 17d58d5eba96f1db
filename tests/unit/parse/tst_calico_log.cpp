#include "parse/calico_log.h"
#include "parse/text.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <map>

using namespace podpath;
using namespace podpath::parse;

namespace {

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(PODPATH_FIXTURES "/logs/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return f.readAll();
}

Result<CalicoLog> parseBytes(const QByteArray &b, const CalicoLogOptions &o = {})
{
    return parseCalicoLog(std::string_view(b.constData(), size_t(b.size())), o);
}

QString str(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

// "bird:7 confd:2 felix:2" — components in name order, with counts.
QString componentCounts(const CalicoLog &log)
{
    std::map<std::string, int> counts;
    for (const auto &e : log.entries)
        ++counts[std::string(toString(e.component))];
    QStringList parts;
    for (const auto &[name, n] : counts)
        parts << QString("%1:%2").arg(QString::fromStdString(name)).arg(n);
    return parts.join(' ');
}

int countAtLeast(const CalicoLog &log, LogLevel level)
{
    CalicoLogFilter f;
    f.minimumLevel = level;
    return int(filterCalicoLog(log, f).size());
}

std::int64_t micros(const char *iso) { return parseIsoTimestamp(iso)->micros; }

} // namespace

class TestCalicoLog : public QObject {
    Q_OBJECT
private slots:
    void everyFixture_data()
    {
        QTest::addColumn<QString>("file");
        QDir dir(QStringLiteral(PODPATH_FIXTURES "/logs"));
        const auto files = dir.entryList({"*.log", "*.txt"}, QDir::Files, QDir::Name);
        QVERIFY2(files.size() >= 30, "log fixtures missing");
        for (const auto &f : files)
            QTest::newRow(qPrintable(f)) << f;
    }
    // Structural truths for every fixture: line numbers in range and ascending, every
    // non-blank physical line accounted for, times where the format has them.
    void everyFixture()
    {
        QFETCH(QString, file);
        const QByteArray bytes = fixture(file);
        auto r = parseBytes(bytes);
        QVERIFY(r.ok());
        const int physical = int(bytes.count('\n'));
        int previous = 0, unreadable = 0;
        QSet<int> covered;
        for (const auto &e : r->entries) {
            QVERIFY(e.line > previous);
            QVERIFY(e.lastLine >= e.line && e.lastLine <= physical);
            previous = e.line;
            for (int l = e.line; l <= e.lastLine; ++l)
                covered.insert(l);
            unreadable += e.format == LogFormat::Unreadable;
            QVERIFY(!e.raw.empty());
            if (e.format == LogFormat::Calico || e.format == LogFormat::Syslog || e.format == LogFormat::Klog)
                QVERIFY(e.time && e.timeSource == TimeSource::Line && e.level != LogLevel::Unknown);
            if (e.format == LogFormat::Bird)
                QVERIFY(e.levelInferred);
            if (!e.time)
                QCOMPARE(int(e.timeSource), int(TimeSource::None));
            if (e.wrapper == LogWrapper::Cri || e.wrapper == LogWrapper::DockerJson)
                QVERIFY(e.time.has_value());
        }
        QCOMPARE(unreadable, r->unreadableLines);
        QVERIFY(int(covered.size()) + r->blankLines <= physical);
    }

    void expected_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("entries");
        QTest::addColumn<int>("unreadable");
        QTest::addColumn<int>("warningOrWorse");
        QTest::addColumn<QString>("components");
        QTest::newRow("calico-node mixed (#8619)") << "calico_node_mixed_8619.log" << 10 << 0 << 0
                                                   << "bird:7 calico-node:1 felix:2";
        QTest::newRow("felix+confd+bird (#12938)") << "calico_node_confd_bird_12938.log" << 18 << 0 << 0
                                                   << "bird:14 confd:2 felix:2";
        QTest::newRow("CRI wrapped (#12938)") << "cri_calico_node_12938.log" << 18 << 0 << 0 << "bird:14 confd:2 felix:2";
        QTest::newRow("CRI partials + stderr") << "cri_calico_node_partial_12938.log" << 19 << 0 << 1
                                               << "bird:15 confd:2 felix:2";
        QTest::newRow("CRI cut in a partial") << "cri_truncated_partial_9687.log" << 4 << 0 << 4 << "felix:4";
        QTest::newRow("felix route errors (#9687)") << "felix_route_errors_9687.log" << 5 << 0 << 5 << "felix:5";
        QTest::newRow("felix vxlan-v6 (#6273)") << "felix_vxlan_v6_route_6273.log" << 3 << 0 << 3 << "felix:3";
        QTest::newRow("felix vxlan routes (#4944)") << "felix_vxlan_routes_4944.log" << 6 << 0 << 0 << "felix:6";
        QTest::newRow("felix ipip + bird KRT (#6883)") << "felix_ipip_bird_krt_6883.log" << 4 << 0 << 4 << "bird:1 felix:3";
        QTest::newRow("felix ipip (#6984)") << "felix_ipip_6984.log" << 6 << 0 << 6 << "felix:6";
        QTest::newRow("readiness probe (#6984)") << "readiness_probe_6984.txt" << 2 << 1 << 0 << "confd:1 unknown:1";
        QTest::newRow("typha FATAL (typha#345)") << "typha_fatal_typha345.log" << 1 << 0 << 1 << "unknown:1";
        QTest::newRow("felix syslog ERROR (#1598)") << "felix_syslog_error_1598.log" << 1 << 0 << 1 << "unknown:1";
        QTest::newRow("felix 2017 (felix#1495)") << "felix_route_warnings_1495.log" << 7 << 0 << 7 << "unknown:7";
        QTest::newRow("startup 2019 (gardener#672)") << "startup_gardener672.log" << 13 << 1 << 0 << "unknown:13";
        QTest::newRow("startup/ (cni-plugin#1001)") << "startup_cni1001.log" << 7 << 0 << 0 << "calico-node:7";
        QTest::newRow("confd current (#2373)") << "confd_current_2373.log" << 12 << 0 << 0 << "unknown:12";
        QTest::newRow("old confd (calicoctl#1328)") << "confd_old_syslog_1328.log" << 7 << 0 << 3 << "confd:7";
        QTest::newRow("old confd +08:00 (#983)") << "confd_old_syslog_offset_983.log" << 10 << 0 << 0 << "confd:10";
        QTest::newRow("calico-node 2016 (#1208)") << "calico_node_old_1208.log" << 15 << 3 << 4 << "bird:3 bird6:1 confd:8 unknown:3";
        QTest::newRow("bird/current svlogd (#1016)") << "bird_current_svlogd_1016.log" << 1 << 0 << 1 << "bird:1";
        QTest::newRow("bird unexpected connect (#1071)") << "bird_bgp_unexpected_connect_1071.log" << 6 << 0 << 3 << "bird:6";
        QTest::newRow("bird socket error (node#519)") << "bird_socket_error_node519.log" << 3 << 0 << 3 << "bird:3";
        QTest::newRow("bird netlink (#10585)") << "bird_netlink_10585.log" << 7 << 0 << 5 << "bird:6 felix:1";
        QTest::newRow("kubelet journal (#378)") << "kubelet_journal_378.log" << 9 << 0 << 1 << "kubelet:9";
        QTest::newRow("klog cni (cni-plugin#105)") << "kubelet_klog_cni105.log" << 5 << 0 << 5 << "unknown:5";
        QTest::newRow("klog sandbox (#4308)") << "kubelet_klog_sandbox_4308.log" << 4 << 0 << 4 << "unknown:4";
        QTest::newRow("docker json (felix#2953)") << "docker_json_felix_2953.log" << 5 << 0 << 0 << "felix:5";
        QTest::newRow("logrus (calicoctl#1519)") << "calico_node_logrus_1519.log" << 15 << 4 << 0 << "unknown:15";
        QTest::newRow("python felix traceback (#772)") << "felix_python_traceback_772.log" << 12 << 11 << 1 << "felix:1 unknown:11";
        QTest::newRow("typha sync_server (typha#212)") << "typha_sync_server_212.log" << 3 << 0 << 0 << "unknown:3";
    }
    void expected()
    {
        QFETCH(QString, file);
        QFETCH(int, entries);
        QFETCH(int, unreadable);
        QFETCH(int, warningOrWorse);
        QFETCH(QString, components);
        auto r = parseBytes(fixture(file));
        QVERIFY(r.ok());
        QCOMPARE(int(r->entries.size()), entries);
        QCOMPARE(r->unreadableLines, unreadable);
        QCOMPARE(countAtLeast(*r, LogLevel::Warning), warningOrWorse);
        QCOMPARE(componentCounts(*r), components);
    }

    // One line each, the formats the brief names; fields checked one by one.
    void lines_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("level");
        QTest::addColumn<int>("component");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("sourceLine");
        QTest::addColumn<QString>("pid");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("time");   // empty: none
        const int calico = int(LogFormat::Calico), bird = int(LogFormat::Bird), syslog = int(LogFormat::Syslog);
        // The brief's own examples (shape of felix/confd/startup lines in Calico 3.2x).
        QTest::newRow("felix INFO")
            << "2026-11-23 08:00:01.205 [INFO][61] felix/route_table.go 903: Syncing routes ifaceRegex=\"^tunl0$\" ipVersion=0x4"
            << calico << int(LogLevel::Info) << int(LogComponent::Felix) << "felix/route_table.go" << 903 << "61"
            << "Syncing routes ifaceRegex=\"^tunl0$\" ipVersion=0x4" << "2026-11-23 08:00:01.205";
        QTest::newRow("felix PANIC") << "2026-11-23 08:00:01.205 [PANIC][61] felix/int_dataplane.go 1234: boom"
                                     << calico << int(LogLevel::Panic) << int(LogComponent::Felix) << "felix/int_dataplane.go"
                                     << 1234 << "61" << "boom" << "2026-11-23 08:00:01.205";
        QTest::newRow("confd") << "2026-11-23 08:00:01.205 [INFO][53] confd/client.go 1120: Recompute BGP peerings"
                               << calico << int(LogLevel::Info) << int(LogComponent::Confd) << "confd/client.go" << 1120
                               << "53" << "Recompute BGP peerings" << "2026-11-23 08:00:01.205";
        QTest::newRow("startup") << "2026-11-23 08:00:01.205 [INFO][9] startup/startup.go 432: Early log level set to info"
                                 << calico << int(LogLevel::Info) << int(LogComponent::CalicoNode) << "startup/startup.go"
                                 << 432 << "9" << "Early log level set to info" << "2026-11-23 08:00:01.205";
        QTest::newRow("bird behind the service logger")
            << "2026-11-23 08:00:01.205 [INFO][72] bird: Mesh_198_51_100_2: State changed to up" << calico
            << int(LogLevel::Info) << int(LogComponent::Bird) << "" << -1 << "72"
            << "bird: Mesh_198_51_100_2: State changed to up" << "2026-11-23 08:00:01.205";
        QTest::newRow("bird up") << "bird: Mesh_198_51_100_2: State changed to up" << bird << int(LogLevel::Info)
                                 << int(LogComponent::Bird) << "" << -1 << "" << "Mesh_198_51_100_2: State changed to up" << "";
        QTest::newRow("bird6") << "bird6: Mesh_2001_db8__2: State changed to start" << bird << int(LogLevel::Info)
                               << int(LogComponent::Bird6) << "" << -1 << "" << "Mesh_2001_db8__2: State changed to start" << "";
        QTest::newRow("bird svlogd") << "2026-11-23_08:00:01.20512 bird: Mesh_198_51_100_2: Received: Connection refused"
                                     << bird << int(LogLevel::Error) << int(LogComponent::Bird) << "" << -1 << ""
                                     << "Mesh_198_51_100_2: Received: Connection refused" << "2026-11-23_08:00:01.20512";
        QTest::newRow("bird KRT error") << "bird: KRT: Error sending route 198.18.1.0/26 to kernel: Network is unreachable"
                                        << bird << int(LogLevel::Error) << int(LogComponent::Bird) << "" << -1 << ""
                                        << "KRT: Error sending route 198.18.1.0/26 to kernel: Network is unreachable" << "";
        QTest::newRow("kubelet journal")
            << "Nov 23 08:00:01 node1 kubelet[812]: E1123 08:00:01.205123     812 pod_workers.go:1298] \"Error syncing pod, skipping\" err=\"failed to \\\"CreatePodSandbox\\\"\""
            << syslog << int(LogLevel::Error) << int(LogComponent::Kubelet) << "pod_workers.go" << 1298 << "812"
            << "\"Error syncing pod, skipping\" err=\"failed to \\\"CreatePodSandbox\\\"\"" << "Nov 23 08:00:01";
        QTest::newRow("journal, padded day, precise")
            << "Nov  3 08:00:01.205123 node1 kubelet[812]: W1103 08:00:01.205100     812 cni.go:239] Unable to update cni config"
            << syslog << int(LogLevel::Warning) << int(LogComponent::Kubelet) << "cni.go" << 239 << "812"
            << "Unable to update cni config" << "Nov  3 08:00:01.205123";
        QTest::newRow("journal, calico-node unit")
            << "Nov 23 08:00:01 node1 calico-node[1200]: 2026-11-23 08:00:01.205 [ERROR][61] felix/vxlan_mgr.go 300: Failed to set up VXLAN tunnel device"
            << syslog << int(LogLevel::Error) << int(LogComponent::Felix) << "felix/vxlan_mgr.go" << 300 << "1200"
            << "Failed to set up VXLAN tunnel device" << "2026-11-23 08:00:01.205";
        QTest::newRow("journal ISO") << "2026-11-23T08:00:01+0000 node1 kubelet[812]: I1123 08:00:01.205123     812 kubelet.go:2135] SyncLoop ADD"
                                     << syslog << int(LogLevel::Info) << int(LogComponent::Kubelet) << "kubelet.go" << 2135
                                     << "812" << "SyncLoop ADD" << "2026-11-23T08:00:01+0000";
        QTest::newRow("WARN alias") << "2026-11-23 08:00:01.205 [WARN][61] felix/x.go 1: y" << calico
                                    << int(LogLevel::Warning) << int(LogComponent::Felix) << "felix/x.go" << 1 << "61" << "y"
                                    << "2026-11-23 08:00:01.205";
        QTest::newRow("no file:line") << "2026-11-23 08:00:01.205 [ERROR][61] something odd" << calico
                                      << int(LogLevel::Error) << int(LogComponent::Unknown) << "" << -1 << "61"
                                      << "something odd" << "2026-11-23 08:00:01.205";
    }
    void lines()
    {
        QFETCH(QString, line);
        QFETCH(int, format);
        QFETCH(int, level);
        QFETCH(int, component);
        QFETCH(QString, file);
        QFETCH(int, sourceLine);
        QFETCH(QString, pid);
        QFETCH(QString, message);
        QFETCH(QString, time);
        CalicoLogOptions o;
        o.year = 2026;
        auto r = parseBytes(line.toUtf8() + "\n", o);
        QVERIFY(r.ok());
        QCOMPARE(int(r->entries.size()), 1);
        const auto &e = r->entries.front();
        QCOMPARE(int(e.format), format);
        QCOMPARE(int(e.level), level);
        QCOMPARE(int(e.component), component);
        QCOMPARE(QString::fromStdString(e.sourceFile), file);
        QCOMPARE(e.sourceLine ? int(*e.sourceLine) : -1, sourceLine);
        QCOMPARE(QString::fromStdString(e.pid), pid);
        QCOMPARE(QString::fromStdString(e.message), message);
        QCOMPARE(e.time ? QString::fromStdString(e.time->text) : QString(), time);
        QCOMPARE(e.line, 1);
        // raw is what the component printed: svlogd's stamp is not part of it.
        QVERIFY(line.endsWith(QString::fromStdString(e.raw)));
    }

    void times()
    {
        // Same instant three ways: CRI (UTC), old confd with +08:00, felix (node clock, UTC).
        QCOMPARE(micros("2016-05-03T03:38:07+08:00"), micros("2016-05-02T19:38:07Z"));
        QCOMPARE(micros("2026-11-23T08:00:01.205123456Z") - micros("2026-11-23 08:00:01.205"), std::int64_t(123));
        QCOMPARE(micros("1970-01-01T00:00:00Z"), std::int64_t(0));
        QCOMPARE(micros("2016-02-09 15:55:06,095") % 1000000, std::int64_t(95000));
        QCOMPARE(micros("2016-06-09_06:54:34.69256"), micros("2016-06-09 06:54:34.692560"));
        QVERIFY(!parseIsoTimestamp("2026-02-30 08:00:01"));
        QVERIFY(!parseIsoTimestamp("2026-11-23 24:00:01"));
        QVERIFY(!parseIsoTimestamp("2026-11-23T08:00:01+25:00"));
        QCOMPARE(yearOf(micros("2024-12-31T23:59:59Z")), 2024);
        QCOMPARE(yearOf(micros("2025-01-01T00:00:00Z")), 2025);
        // One display form for every stamp, whatever the line printed.
        QCOMPARE(formatTimestamp(micros("2026-11-23T08:00:01.205123456Z")), std::string("2026-11-23 08:00:01.205"));
        QCOMPARE(formatTimestamp(micros("2016-05-03T03:38:07+08:00"), 0), std::string("2016-05-02 19:38:07"));
        QCOMPARE(formatTimestamp(*parseAnyTimestamp("Feb 29 23:59:59.5", 2024), 6), std::string("2024-02-29 23:59:59.500000"));
        QCOMPARE(formatTimestamp(parseTai64nTimestamp("@400000000000000a00000000")->micros), std::string("1970-01-01 00:00:00.000"));
        QCOMPARE(formatTimestamp(-1), std::string("1969-12-31 23:59:59.999"));
        // svlogd -t: 2^62 + 10 + Unix time.
        QCOMPARE(parseTai64nTimestamp("@400000000000000a00000000")->micros, std::int64_t(0));
        QVERIFY(!parseTai64nTimestamp("@40000000000000000000000g"));
        QCOMPARE(*parseAnyTimestamp("2026-11-23", 0), micros("2026-11-23 00:00:00"));
        QCOMPARE(*parseAnyTimestamp("Nov 23 08:00:01", 2026), micros("2026-11-23 08:00:01"));
        QCOMPARE(*parseAnyTimestamp("1123 08:00:01.5", 2026), micros("2026-11-23 08:00:01.5"));
    }

    void yearlessStamps()
    {
        const QByteArray journal = fixture("kubelet_journal_378.log");
        // No year given and no dated line before: 1970, and the stamp says so.
        auto r = parseBytes(journal);
        QVERIFY(r.ok());
        QVERIFY(r->entries.front().time->yearAssumed);
        QCOMPARE(yearOf(r->entries.front().time->micros), 1970);
        CalicoLogOptions o;
        o.year = 2016;
        r = parseBytes(journal, o);
        QCOMPARE(r->entries.front().time->micros, micros("2016-12-13 15:24:25"));
        // A dated line before lends its year.
        r = parseBytes("2016-12-13 15:24:24.000 [INFO][1] felix/a.go 1: x\n" + journal);
        QCOMPARE(yearOf(r->entries.at(1).time->micros), 2016);
    }

    // The journal and the kubelet write the node's local time without a zone: given the
    // node's offset, their stamps land at the UTC instant they mean; stamps that carry a
    // zone are left alone.
    void zonelessStampsInTheNodesZone_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<qint64>("offsetSeconds");
        QTest::addColumn<QString>("utc");
        QTest::newRow("journal, UTC+1") << QByteArray("Dec 13 16:24:25 node1 kubelet[378]: E1213 16:24:25.000000     378 a.go:1] x\n")
                                        << qint64(3600) << "2016-12-13 15:24:25";
        QTest::newRow("klog file, UTC-8") << QByteArray("E1213 07:24:25.500000     378 a.go:1] x\n") << qint64(-8 * 3600)
                                          << "2016-12-13 15:24:25.5";
        QTest::newRow("India, UTC+5:30") << QByteArray("I1213 20:54:25.000000     378 a.go:1] x\n") << qint64(5 * 3600 + 1800)
                                         << "2016-12-13 15:24:25";
        QTest::newRow("a zone in the stamp wins") << QByteArray("2016-12-13T15:24:25Z stderr F x\n") << qint64(3600)
                                                  << "2016-12-13 15:24:25";
    }
    void zonelessStampsInTheNodesZone()
    {
        QFETCH(QByteArray, line);
        QFETCH(qint64, offsetSeconds);
        QFETCH(QString, utc);
        CalicoLogOptions o;
        o.year = 2016;
        o.zonelessUtcOffsetSeconds = offsetSeconds;
        auto r = parseBytes(line, o);
        QVERIFY(r.ok());
        QVERIFY(!r->entries.empty() && r->entries.front().time);
        QCOMPARE(r->entries.front().time->micros, micros(qPrintable(utc)));
        QVERIFY(r->entries.front().time->zoneKnown);
    }

    void wrappers()
    {
        auto r = parseBytes(fixture("cri_calico_node_partial_12938.log"));
        QVERIFY(r.ok());
        // The split confd line is whole again, at the line where it began.
        const auto &confd = r->entries.at(2);
        QCOMPARE(int(confd.component), int(LogComponent::Confd));
        QCOMPARE(int(confd.wrapper), int(LogWrapper::Cri));
        QCOMPARE(confd.line, 4);
        QCOMPARE(confd.lastLine, 7);
        QVERIFY(QString::fromStdString(confd.message).endsWith("xmnctstestarmk8sworker06 updated"));
        QCOMPARE(confd.raw, fixture("calico_node_confd_bird_12938.log").split('\n').at(2).toStdString());
        QCOMPARE(int(confd.timeSource), int(TimeSource::Line));
        // The stderr BIRD line written between the pieces keeps its own place and stream.
        const auto &netlink = r->entries.at(3);
        QCOMPARE(netlink.line, 5);
        QCOMPARE(QString::fromStdString(netlink.stream), QString("stderr"));
        QCOMPARE(int(netlink.timeSource), int(TimeSource::Wrapper));
        QCOMPARE(int(netlink.level), int(LogLevel::Error));
        QVERIFY(netlink.levelInferred);

        auto cut = parseBytes(fixture("cri_truncated_partial_9687.log"));
        QVERIFY(cut.ok());
        QVERIFY(cut->entries.back().incomplete);
        QCOMPARE(int(cut->entries.back().level), int(LogLevel::Warning));
        QVERIFY(!cut->entries.front().incomplete);

        auto docker = parseBytes(fixture("docker_json_felix_2953.log"));
        QVERIFY(docker.ok());
        QCOMPARE(int(docker->entries.front().wrapper), int(LogWrapper::DockerJson));
        QCOMPARE(QString::fromStdString(docker->entries.front().message),
                 QString("VXLAN device MTU needs to be updated device=\"vxlan.calico\" new=1450 old=8951"));

        // Docker splits long lines: pieces without the newline join the next.
        auto joined = parseBytes("{\"log\":\"bird: Mesh_1: State \",\"stream\":\"stdout\",\"time\":\"2021-08-06T17:15:49.1Z\"}" "\n"
                                 "{\"log\":\"changed to up\\n\",\"stream\":\"stdout\",\"time\":\"2021-08-06T17:15:49.2Z\"}" "\n");
        QVERIFY(joined.ok());
        QCOMPARE(int(joined->entries.size()), 1);
        QCOMPARE(QString::fromStdString(joined->entries.front().message), QString("Mesh_1: State changed to up"));

        auto bird = parseBytes(fixture("bird_current_svlogd_1016.log"));
        QCOMPARE(int(bird->entries.front().wrapper), int(LogWrapper::Svlogd));
        QCOMPARE(int(bird->entries.front().timeSource), int(TimeSource::Wrapper));
    }

    void defaultComponent()
    {
        CalicoLogOptions o;
        o.defaultComponent = LogComponent::Confd;
        auto r = parseBytes(fixture("confd_current_2373.log"), o);
        QVERIFY(r.ok());
        QCOMPARE(componentCounts(*r), QString("confd:12"));
        // A line that names its component keeps it.
        r = parseBytes(fixture("calico_node_mixed_8619.log"), o);
        QCOMPARE(componentCounts(*r), QString("bird:7 calico-node:1 felix:2"));
    }

    void filter()
    {
        auto r = parseBytes(fixture("calico_node_old_1208.log") + fixture("bird_netlink_10585.log") +
                            fixture("felix_route_errors_9687.log"));
        QVERIFY(r.ok());
        CalicoLogFilter f;
        f.minimumLevel = LogLevel::Warning;
        f.sinceMicros = micros("2025-01-01 00:00:00");
        // Only the felix warnings are dated after the cut; BIRD's errors have no time.
        QCOMPARE(int(filterCalicoLog(*r, f).size()), 5);
        f.keepUntimed = true;
        QCOMPARE(int(filterCalicoLog(*r, f).size()), 5 + 4 + 5);   // + BIRD's 2016 errors + its netlink lines
        f = {};
        f.text = "NETLINK: file";
        QCOMPARE(int(filterCalicoLog(*r, f).size()), 4);
        f.caseSensitive = true;
        QCOMPARE(int(filterCalicoLog(*r, f).size()), 0);
        f = {};
        f.component = LogComponent::Bird6;
        QCOMPARE(int(filterCalicoLog(*r, f).size()), 1);
        f = {};
        f.minimumLevel = LogLevel::Error;
        f.text = "syntax error";
        auto hits = filterCalicoLog(*r, f);
        QCOMPARE(int(hits.size()), 2);
        QCOMPARE(hits.front()->line, 3);
        QVERIFY(filterCalicoLog(*r, {}).size() == r->entries.size());
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("entries");
        QTest::addColumn<int>("unreadable");
        QTest::newRow("empty") << QByteArray() << 0 << 0;
        QTest::newRow("blank lines") << QByteArray("\n\n  \r\n") << 0 << 0;
        QTest::newRow("binary") << QByteArray("\x7f" "ELF\x02\x01\0\0\n\xff\xfe\0\n", 12) << 2 << 2;
        QTest::newRow("felix cut mid-prefix") << QByteArray("2026-11-23 08:00:01.205 [INF") << 1 << 1;
        QTest::newRow("bad level") << QByteArray("2026-11-23 08:00:01.205 [LOUD][61] felix/a.go 1: x\n") << 1 << 1;
        QTest::newRow("bad date") << QByteArray("2026-13-23 08:00:01.205 [INFO][61] felix/a.go 1: x\n") << 1 << 1;
        QTest::newRow("CRI bad stream") << QByteArray("2026-11-23T08:00:01.205123456Z stdin F bird: x\n") << 1 << 1;
        QTest::newRow("CRI bad tag") << QByteArray("2026-11-23T08:00:01.205123456Z stdout X bird: x\n") << 1 << 1;
        QTest::newRow("CRI empty F") << QByteArray("2026-11-23T08:00:01.205123456Z stdout F\n") << 0 << 0;
        QTest::newRow("CRI lone P") << QByteArray("2026-11-23T08:00:01.205123456Z stdout P bird: x\n") << 1 << 0;
        QTest::newRow("docker broken json") << QByteArray("{\"log\":\"bird: x\\n\",\"stream\":" "\n") << 1 << 1;
        QTest::newRow("docker no time") << QByteArray("{\"log\":\"bird: x\\n\"}" "\n") << 1 << 1;
        QTest::newRow("klog cut") << QByteArray("E1123 08:00:01.205123     812 pod_wor") << 1 << 1;
        QTest::newRow("logrus unterminated") << QByteArray("time=\"2017-02-14T21:05:44Z\" level=info msg=\"abc\n") << 1 << 1;
        QTest::newRow("journal nested") << QByteArray("Nov 23 08:00:01 a b: Nov 23 08:00:01 c d: Nov 23 08:00:01 e f: Nov 23 08:00:01 g h: bird: x\n") << 1 << 0;
        QTest::newRow("svlogd alone") << QByteArray("2016-06-09_06:54:34.69256 \n") << 1 << 1;
    }
    void malformed()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, entries);
        QFETCH(int, unreadable);
        auto r = parseBytes(input);
        QVERIFY(r.ok());
        QCOMPARE(int(r->entries.size()), entries);
        QCOMPARE(r->unreadableLines, unreadable);
        for (const auto &e : r->entries)
            QVERIFY(e.line >= 1);
    }

    void oversized()
    {
        std::string big(text::kMaxInputBytes + 1, 'x');
        auto r = parseCalicoLog(big);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("too large") != std::string::npos);
        // One long line within the limit is fine and kept whole.
        std::string longLine = "bird: " + std::string(2 * 1024 * 1024, 'a') + "\n";
        auto ok = parseCalicoLog(longLine);
        QVERIFY(ok.ok());
        QCOMPARE(ok->entries.front().message.size(), size_t(2 * 1024 * 1024));
    }

    // A read that stops anywhere: every prefix of a mixed stream reads without error, and
    // the entries it yields are never more than the whole stream's.
    void truncatedEverywhere()
    {
        const QByteArray all = fixture("cri_calico_node_partial_12938.log");
        const auto full = parseBytes(all);
        QVERIFY(full.ok());
        for (int cut = 0; cut < all.size(); cut += 7) {
            auto r = parseBytes(all.left(cut));
            QVERIFY(r.ok());
            QVERIFY(r->entries.size() <= full->entries.size() + 1);
        }
    }

    void names()
    {
        QCOMPARE(str(toString(LogLevel::Warning)), QString("WARNING"));
        QCOMPARE(str(toString(LogComponent::CalicoNode)), QString("calico-node"));
        QVERIFY(logLevelFromString("critical") == LogLevel::Fatal);
        QVERIFY(logLevelFromString("E") == LogLevel::Error);
        QVERIFY(!logLevelFromString("loud"));
    }
};

QTEST_GUILESS_MAIN(TestCalicoLog)
#include "tst_calico_log.moc"
