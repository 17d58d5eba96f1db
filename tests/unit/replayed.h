#pragma once
// A real diagnosis for widget tests: the engine run over a recorded lab session
// (tests/fixtures/sessions/NAME), so widgets are tested on what the engine really
// produces, without root or network.

#include "diagnose/engine.h"
#include "remote/replay_node_shell.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTimeZone>

namespace podpath::testing {

// Recordings made by an older engine whose commands today's engine no longer finds in
// them (they replay as "not recorded"): none today. A recording listed here must be
// re-recorded from the lab (tests/fixtures/sessions/record.sh FAULT) and taken out;
// tst_diagnosis_replay fails while a listed recording is complete.
inline const QStringList kRecordedBeforeDegrading = {};

// "ipip-healthy", "vxlan-mtu-too-small", ...
inline QStringList recordedSessions()
{
    return QDir(QStringLiteral(PODPATH_FIXTURES "/sessions")).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

// When the client's session was recorded: its node's clock (`date`) as the recording
// holds it, which is what a replay shows as "recorded" (invalid when not found).
inline QDateTime recordedAt(const QString &session)
{
    QFile f(QStringLiteral(PODPATH_FIXTURES "/sessions/") + session + QStringLiteral("/client.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const auto &c : QJsonDocument::fromJson(f.readAll()).object()[QStringLiteral("commands")].toArray())
        if (c.toObject()[QStringLiteral("command")].toString().startsWith(QStringLiteral("date ")))
            return QDateTime::fromSecsSinceEpoch(c.toObject()[QStringLiteral("stdout")].toString().split(QLatin1Char('\n')).first().toLongLong(),
                                                 QTimeZone::utc());
    return {};
}

// Empty optional when the recording cannot be loaded (the test should fail on it).
// With stages: the wizard's runStages on a fresh engine instead of the whole run.
// `progress` hears every recipe step (from the recipe's threads).
// The recording in `dir` (client.json, server.json), replayed as recorded.
inline std::optional<diagnose::DiagnosisRun> replayedIn(const QString &dir, const std::vector<diagnose::Stage> &stages = {},
                                                        diagnose::ProgressSink progress = {})
{
    auto c = remote::ReplayNodeShell::loadRecording((dir + "/client.json").toStdString());
    auto s = remote::ReplayNodeShell::loadRecording((dir + "/server.json").toStdString());
    if (!c.ok() || !s.ok())
        return std::nullopt;
    remote::ReplayNodeShell client(std::move(c).value()), server(std::move(s).value());
    diagnose::DiagnosisEngine engine({"root@198.51.100.11", &client}, {"root@198.51.100.12", &server});
    if (progress)
        engine.setProgressSink(std::move(progress));
    return stages.empty() ? engine.run() : engine.runStages(stages);
}
inline std::optional<diagnose::DiagnosisRun> replayed(const QString &session,
                                                      const std::vector<diagnose::Stage> &stages = {},
                                                      diagnose::ProgressSink progress = {})
{
    return replayedIn(QStringLiteral(PODPATH_FIXTURES "/sessions/") + session, stages, std::move(progress));
}

// The node-to-node recordings in the firewalls besides iptables-nft
// (tests/fixtures/dataplane-sessions: "nftables-ipip-healthy", ...).
inline QStringList recordedDataplaneSessions()
{
    return QDir(QStringLiteral(PODPATH_FIXTURES "/dataplane-sessions"))
        .entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}
inline std::optional<diagnose::DiagnosisRun> replayedDataplane(const QString &name)
{
    return replayedIn(QStringLiteral(PODPATH_FIXTURES "/dataplane-sessions/") + name);
}

// The pods the pod sessions were recorded with (the lab's web pods), with TCP `port` (0: the ping alone).
inline diagnose::DiagnoseOptions recordedPodOptions(int port)
{
    diagnose::DiagnoseOptions options;
    options.pods = diagnose::DiagnoseOptions::Pods{*Ipv4::parse("198.18.10.66"), *Ipv4::parse("198.18.20.130"),
                                                   port ? diagnose::Transport::Tcp : diagnose::Transport::Icmp,
                                                   port ? remote::Port::of(std::uint64_t(port)) : std::nullopt};
    return options;
}

// "ipip-ingress-deny", ...: the pod recordings, and the TCP port each was asked about
// (its name ends "-tcp-PORT"; 0: the ping alone).
inline QStringList recordedPodSessions()
{
    return QDir(QStringLiteral(PODPATH_FIXTURES "/pod-sessions")).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}
inline int recordedPodPort(const QString &name)
{
    const qsizetype at = name.lastIndexOf(QStringLiteral("-tcp-"));
    return at < 0 ? 0 : name.mid(at + 5).toInt();
}

// A pod-to-pod recording (tests/fixtures/pod-sessions/NAME), replayed with the lab's web
// pods and `port` (TCP; 0: the ping alone), as its record.sh ran it.
// `unmatched`, when given, counts the commands the recordings had no answer for.
inline std::optional<diagnose::DiagnosisRun> replayedPods(const QString &name, int port, std::size_t *unmatched = nullptr)
{
    const QString dir = QStringLiteral(PODPATH_FIXTURES "/pod-sessions/") + name;
    auto c = remote::ReplayNodeShell::loadRecording((dir + "/client.json").toStdString());
    auto s = remote::ReplayNodeShell::loadRecording((dir + "/server.json").toStdString());
    if (!c.ok() || !s.ok())
        return std::nullopt;
    remote::ReplayNodeShell client(std::move(c).value()), server(std::move(s).value());
    diagnose::DiagnosisEngine engine({"root@198.51.100.11", &client}, {"root@198.51.100.12", &server},
                                     recordedPodOptions(port));
    auto run = engine.run();
    if (unmatched)
        *unmatched = client.unmatched().size() + server.unmatched().size();
    return run;
}

} // namespace podpath::testing
