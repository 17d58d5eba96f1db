#include "json_report.h"

#include "core/bounded_file.h"
#include "core/printable.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace podpath::report {

using namespace diagnose;

static QString qs(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
static std::string ss(const QJsonValue &v) { return v.toString().toStdString(); }

static QJsonArray lines(const std::vector<std::string> &v)
{
    QJsonArray a;
    for (const auto &s : v)
        a.append(qs(s));
    return a;
}

static std::vector<std::string> linesFrom(const QJsonValue &v)
{
    std::vector<std::string> out;
    for (const auto &x : v.toArray())
        out.push_back(ss(x));
    return out;
}

static QJsonValue ip(const std::optional<Ipv4> &a) { return a ? QJsonValue(qs(a->toString())) : QJsonValue(); }

// Pod to pod: both pods as the diagnosis found them; null for node to node.
static QJsonValue podsJson(const std::optional<PodPair> &p)
{
    if (!p)
        return QJsonValue();
    auto end = [](const PodEnd &e) {
        return QJsonObject{{"ip", qs(e.ip)}, {"interface", qs(e.interface)}, {"netns", qs(e.netns)}};
    };
    return QJsonObject{{"client", end(p->client)}, {"server", end(p->server)}, {"protocol", qs(p->protocol)},
                       {"port", p->port > 0 ? QJsonValue(p->port) : QJsonValue()},
                       {"tool", p->tool.empty() ? QJsonValue() : QJsonValue(qs(p->tool))}};
}

static QJsonObject nodeJson(const NodeFacts &n)
{
    return QJsonObject{
        {"host", qs(n.host)},
        {"hostname", qs(n.hostname)},
        {"nodeIp", ip(n.nodeIp)},
        {"underlayDevice", qs(n.underlayDevice)},
        {"underlayGateway", ip(n.underlayGateway)},
        {"ipv6TunnelDevice", qs(n.ipv6TunnelDevice)},
        {"ipv6TunnelAddress", qs(n.ipv6TunnelAddress)},
        {"encryptionDevice", qs(n.encryptionDevice)},
        {"encryptionMtu", n.encryptionMtu},
        {"tunnelDevice", qs(n.tunnelDevice)},
        {"tunnelIp", ip(n.tunnelIp)},
        {"podBlock", n.podBlock ? QJsonValue(qs(n.podBlock->toString())) : QJsonValue()},
        {"tunnelMtu", n.tunnelMtu},
        {"vxlanPort", n.vxlanPort > 0 ? QJsonValue(n.vxlanPort) : QJsonValue()},
        {"underlayMtu", n.underlayMtu},
        {"tunnelUp", n.tunnelUp},
        {"firewallBackend", qs(n.firewallBackend)},
        {"hostsIpset", qs(n.hostsIpset)},
        {"privilege", qs(n.privilege)},
        {"logins", n.logins > 0 ? QJsonValue(n.logins) : QJsonValue()},
        {"execs", n.logins > 0 ? QJsonValue(n.execs) : QJsonValue()},
        {"tcpdump", n.hasTcpdump},
        {"pcapTruncated", n.pcapTruncated},
        {"logsSince", qs(n.logsSince)},
        {"logsUntil", qs(n.logsUntil)},
    };
}

static NodeFacts nodeFrom(const QJsonObject &o)
{
    NodeFacts n;
    n.host = ss(o["host"]);
    n.hostname = ss(o["hostname"]);
    n.nodeIp = Ipv4::parse(ss(o["nodeIp"]));
    n.underlayDevice = ss(o["underlayDevice"]);
    n.underlayGateway = Ipv4::parse(ss(o["underlayGateway"]));
    n.ipv6TunnelDevice = ss(o["ipv6TunnelDevice"]);
    n.ipv6TunnelAddress = ss(o["ipv6TunnelAddress"]);
    n.encryptionDevice = ss(o["encryptionDevice"]);
    n.encryptionMtu = o["encryptionMtu"].toInt();
    n.tunnelDevice = ss(o["tunnelDevice"]);
    n.tunnelIp = Ipv4::parse(ss(o["tunnelIp"]));
    n.podBlock = Ipv4Prefix::parse(ss(o["podBlock"]));
    n.tunnelMtu = o["tunnelMtu"].toInt();
    n.vxlanPort = std::clamp(o["vxlanPort"].toInt(), 0, 65535);
    n.underlayMtu = o["underlayMtu"].toInt();
    n.tunnelUp = o["tunnelUp"].toBool();
    n.firewallBackend = ss(o["firewallBackend"]);
    n.hostsIpset = ss(o["hostsIpset"]);
    n.privilege = ss(o["privilege"]);
    n.logins = o["logins"].toInt();
    n.execs = o["execs"].toInt();
    n.hasTcpdump = o["tcpdump"].toBool();
    n.pcapTruncated = o["pcapTruncated"].toBool();
    n.logsSince = ss(o["logsSince"]);
    n.logsUntil = ss(o["logsUntil"]);
    return n;
}

QJsonObject toJson(const Diagnosis &d)
{
    auto hopJson = [](const HopVerdict &h) {
        QJsonArray streams;
        for (const auto &s : h.streams) {
            QJsonArray missing;
            for (auto q : s.missingHere)
                missing.append(int(q));
            streams.append(QJsonObject{{"stream", qs(s.stream)},
                                       {"ipLength", qint64(s.ipLength)},
                                       {"status", qs(toString(s.status))},
                                       {"seen", s.seen},
                                       {"expected", s.expected},
                                       {"lostHere", s.lostHere},
                                       {"lostEarlier", s.lostEarlier},
                                       {"missingHere", missing}});
        }
        return QJsonObject{{"id", qs(hopInfo(h.id).key)},
                           {"status", qs(toString(h.status))},
                           {"seen", h.seen},
                           {"expected", h.expected},
                           {"streams", streams},
                           {"evidence", lines(h.evidence)},
                           {"explanation", qs(h.explanation)}};
    };
    QJsonArray hops, podHops;
    for (const auto &h : d.hops)
        hops.append(hopJson(h));
    if (d.pods)
        for (const auto &h : d.podHops)
            podHops.append(hopJson(h));
    QJsonArray checks;
    for (const auto &c : d.checks)
        checks.append(QJsonObject{{"id", qs(c.id)},
                                  {"status", qs(toString(c.status))},
                                  {"detail", qs(c.detail)},
                                  {"evidence", lines(c.evidence)}});
    QJsonArray findings;
    for (const auto &f : d.findings)
        findings.append(QJsonObject{{"code", qs(f.code)},
                                    {"severity", qs(toString(f.severity))},
                                    {"blames", qs(f.blames)},
                                    {"message", qs(f.message)},
                                    {"evidence", lines(f.evidence)},
                                    {"nextStep", qs(f.nextStep)}});
    QJsonObject timings;
    for (const auto &t : d.timings) {
        timings[qs(t.phase)] = qint64(t.duration.count());
    }
    QJsonArray commands;
    for (const auto &c : d.commands) {
        QJsonObject o{{"node", qs(c.node)},          {"step", qs(c.step)},     {"command", qs(c.command)},
                      {"exitStatus", c.exitStatus}, {"stdout", qs(c.output)}, {"stderr", qs(c.errors)},
                      {"ms", qint64(c.duration.count())}};
        if (c.batchSize > 1)
            o["batch"] = c.batchSize;  // read in one exec with others: "ms" is the batch's
        commands.append(o);
    }
    // The series behind the plots and the log view (additive to the contract).
    QJsonArray echoes;
    for (const auto &e : d.echoes)
        echoes.append(QJsonObject{{"stream", qs(e.stream)}, {"seq", e.seq},
                                  {"rttMs", e.rttMs ? QJsonValue(*e.rttMs) : QJsonValue()}});
    QJsonArray sightings;
    for (const auto &h : d.sightings)
        sightings.append(QJsonObject{{"hop", qs(hopInfo(h.hop).key)}, {"stream", qs(h.stream)}, {"seq", h.seq}, {"atMs", h.atMs}});
    QJsonArray counters;
    for (const auto &c : d.counterChanges)
        counters.append(QJsonObject{{"node", qs(c.node)}, {"table", qs(c.table)}, {"chain", qs(c.chain)},
                                    {"position", c.position}, {"rule", qs(c.rule)}, {"target", qs(c.target)},
                                    {"comment", qs(c.comment)}, {"packets", qint64(c.packets)},
                                    {"bytes", qint64(c.bytes)}, {"drops", c.drops}});
    QJsonArray logs;
    for (const auto &l : d.logs)
        logs.append(QJsonObject{{"node", qs(l.node)}, {"source", qs(l.source)}, {"location", qs(l.location)},
                                {"line", l.line}, {"time", qs(l.time)},
                                {"timeMicros", l.timeMicros ? QJsonValue(qint64(*l.timeMicros)) : QJsonValue()},
                                {"level", qs(l.level)},
                                {"text", qs(l.text)}, {"recent", l.recent}});
    return QJsonObject{
        {"schema", "podpath-diagnosis"},
        {"schemaVersion", kSchemaVersion},
        {"startedAt", qs(d.startedAt)},
        {"recorded", d.recorded},
        {"mode", qs(toString(d.mode))},
        {"client", nodeJson(d.client)},
        {"server", nodeJson(d.server)},
        {"pods", podsJson(d.pods)},
        {"verdict", qs(toString(d.verdict))},
        {"firstFailingHop", d.firstFailingHop ? QJsonValue(qs(hopInfo(*d.firstFailingHop).key)) : QJsonValue()},
        {"hops", hops},
        {"podHops", d.pods ? QJsonValue(podHops) : QJsonValue()},
        {"checks", checks},
        {"findings", findings},
        {"timings", timings},
        {"commands", commands},
        {"echoes", echoes},
        {"sightings", sightings},
        {"counterChanges", counters},
        {"logs", logs},
        {"error", d.error.empty() ? QJsonValue() : QJsonValue(qs(d.error))},
    };
}

QByteArray toJsonBytes(const Diagnosis &d)
{
    // `--json -` prints to the engineer's terminal: a bidi override or C1 control from a
    // node, legal raw in a JSON string, is written as its \u escape instead.
    const QByteArray raw = QJsonDocument(toJson(d)).toJson(QJsonDocument::Indented);
    const std::string safe = terminalSafeJson(std::string_view(raw.constData(), std::size_t(raw.size())));
    return QByteArray(safe.data(), qsizetype(safe.size()));
}

// The first string or list beyond the bounds, as a JSON path; empty when none is. Only
// what a node printed (a command's stdout and stderr, a log line, evidence lines) may be
// long; a name, a message or a step is a line a person reads, and one of a megabyte
// took the window seconds to lay out.
static std::string oversized(const QJsonValue &v, const std::string &path, bool nodeText = false)
{
    if (v.isString())
        return v.toString().size() > (nodeText ? kMaxDiagnosisString : kMaxDiagnosisLine) ? path : std::string();
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        if (a.size() > kMaxDiagnosisItems)
            return path;
        for (qsizetype i = 0; i < a.size(); ++i)
            if (auto at = oversized(a.at(i), path + "[" + std::to_string(i) + "]", nodeText); !at.empty())
                return at;
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (o.size() > kMaxDiagnosisItems)
            return path;
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString key = it.key();
            const bool printedByNode = key == u"stdout" || key == u"stderr" || key == u"text" || key == u"evidence";
            if (auto at = oversized(it.value(), path + "." + key.toStdString(), printedByNode); !at.empty())
                return at;
        }
    }
    return {};
}

Result<Diagnosis> fromJson(const QByteArray &bytes)
{
    const std::string next = "give the file `podpath diagnose --json` wrote";
    if (std::size_t(bytes.size()) > kMaxDiagnosisBytes)
        return Error{"larger than a PodPath diagnosis can be (" + std::to_string(kMaxDiagnosisBytes >> 20) + " MiB)", {}, next, 0};
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &perr);
    if (perr.error != QJsonParseError::NoError)
        return Error{"not JSON: " + perr.errorString().toStdString(), "offset " + std::to_string(perr.offset), next, 0};
    if (auto at = oversized(doc.object(), "$"); !at.empty())
        return Error{"holds a string or list far longer than PodPath writes", at, next, 0};
    const QJsonObject o = doc.object();
    if (o["schema"].toString() != "podpath-diagnosis")
        return Error{"not a PodPath diagnosis (no \"schema\": \"podpath-diagnosis\")", {}, next, 0};
    if (o["schemaVersion"].toInt() > kSchemaVersion)
        return Error{"written by a newer PodPath (schema " + std::to_string(o["schemaVersion"].toInt()) + ")", {},
                     "update PodPath to render it", 0};

    Diagnosis d;
    d.startedAt = ss(o["startedAt"]);
    d.recorded = o["recorded"].toBool();
    d.mode = encapsulationFromString(ss(o["mode"])).value_or(Encapsulation::Unknown);
    d.client = nodeFrom(o["client"].toObject());
    d.server = nodeFrom(o["server"].toObject());
    if (o["pods"].isObject()) {
        const QJsonObject p = o["pods"].toObject();
        auto end = [](const QJsonObject &e) { return PodEnd{ss(e["ip"]), ss(e["interface"]), ss(e["netns"])}; };
        const int port = p["port"].toInt(0);
        d.pods = PodPair{end(p["client"].toObject()), end(p["server"].toObject()), ss(p["protocol"]),
                         port > 0 && port < 65536 ? port : 0, ss(p["tool"])};
    }
    auto verdict = verdictFromString(ss(o["verdict"]));
    if (!verdict)
        return Error{"unknown verdict \"" + ss(o["verdict"]) + "\"", {}, next, 0};
    d.verdict = *verdict;
    if (o["firstFailingHop"].isString()) {
        d.firstFailingHop = hopFromString(ss(o["firstFailingHop"]));
        if (!d.firstFailingHop)
            return Error{"unknown hop id \"" + ss(o["firstFailingHop"]) + "\"", "firstFailingHop", next, 0};
    }
    QJsonArray hopValues = o["hops"].toArray();
    for (const auto &v : o["podHops"].toArray())
        hopValues.append(v);
    for (const auto &v : hopValues) {
        const QJsonObject h = v.toObject();
        auto id = hopFromString(ss(h["id"]));
        auto status = statusFromString(ss(h["status"]));
        if (!id || !status)
            return Error{"unknown hop \"" + ss(h["id"]) + "\" or status \"" + ss(h["status"]) + "\"", "hops", next, 0};
        HopVerdict &hv = d.hop(*id);
        hv.status = *status;
        hv.seen = h["seen"].toInt();
        hv.expected = h["expected"].toInt();
        for (const auto &sv : h["streams"].toArray()) {
            const QJsonObject so = sv.toObject();
            StreamAtHop s;
            s.stream = ss(so["stream"]);
            s.ipLength = std::uint32_t(std::clamp<qint64>(so["ipLength"].toInteger(), 0, 65535));
            s.status = statusFromString(ss(so["status"])).value_or(Status::Unknown);
            s.seen = so["seen"].toInt();
            s.expected = so["expected"].toInt();
            s.lostHere = so["lostHere"].toInt();
            s.lostEarlier = so["lostEarlier"].toInt();
            for (const auto &q : so["missingHere"].toArray())
                s.missingHere.push_back(std::uint16_t(std::clamp(q.toInt(), 0, 65535)));
            hv.streams.push_back(std::move(s));
        }
        hv.evidence = linesFrom(h["evidence"]);
        hv.explanation = ss(h["explanation"]);
    }
    for (const auto &v : o["checks"].toArray()) {
        const QJsonObject c = v.toObject();
        d.checks.push_back({ss(c["id"]), statusFromString(ss(c["status"])).value_or(Status::Unknown),
                            ss(c["detail"]), linesFrom(c["evidence"])});
    }
    for (const auto &v : o["findings"].toArray()) {
        const QJsonObject f = v.toObject();
        d.findings.push_back({ss(f["code"]), severityFromString(ss(f["severity"])).value_or(Severity::Error),
                              ss(f["blames"]), ss(f["message"]), linesFrom(f["evidence"]), ss(f["nextStep"])});
    }
    const QJsonObject timings = o["timings"].toObject();
    for (auto it = timings.begin(); it != timings.end(); ++it)
        d.timings.push_back({it.key().toStdString(), std::chrono::milliseconds(it.value().toInteger())});
    for (const auto &v : o["commands"].toArray()) {
        const QJsonObject c = v.toObject();
        d.commands.push_back({ss(c["node"]), ss(c["step"]), ss(c["command"]), c["exitStatus"].toInt(-1),
                              ss(c["stdout"]), ss(c["stderr"]), std::chrono::milliseconds(c["ms"].toInteger()),
                              std::clamp(c["batch"].toInt(0), 0, 1000)});
    }
    for (const auto &v : o["echoes"].toArray()) {
        const QJsonObject e = v.toObject();
        d.echoes.push_back({ss(e["stream"]), e["seq"].toInt(),
                            e["rttMs"].isDouble() ? std::optional<double>(e["rttMs"].toDouble()) : std::nullopt});
    }
    for (const auto &v : o["sightings"].toArray()) {
        const QJsonObject h = v.toObject();
        auto hop = hopFromString(ss(h["hop"]));
        if (!hop)
            return Error{"unknown hop id \"" + ss(h["hop"]) + "\"", "sightings", next, 0};
        d.sightings.push_back({*hop, ss(h["stream"]), h["seq"].toInt(), h["atMs"].toDouble()});
    }
    for (const auto &v : o["counterChanges"].toArray()) {
        const QJsonObject c = v.toObject();
        d.counterChanges.push_back({ss(c["node"]), ss(c["table"]), ss(c["chain"]), c["position"].toInt(),
                                    ss(c["rule"]), ss(c["target"]), ss(c["comment"]),
                                    std::uint64_t(std::max<qint64>(0, c["packets"].toInteger())),
                                    std::uint64_t(std::max<qint64>(0, c["bytes"].toInteger())), c["drops"].toBool()});
    }
    for (const auto &v : o["logs"].toArray()) {
        const QJsonObject l = v.toObject();
        const QJsonValue micros = l["timeMicros"];
        d.logs.push_back({ss(l["node"]), ss(l["source"]), ss(l["location"]), l["line"].toInt(), ss(l["time"]),
                          micros.isDouble() ? std::optional<std::int64_t>(micros.toInteger()) : std::nullopt,
                          ss(l["level"]), ss(l["text"]), l["recent"].toBool()});
    }
    d.error = ss(o["error"]);
    return d;
}

Result<Diagnosis> loadDiagnosis(const std::string &path)
{
    auto bytes = readFileBounded(path, kMaxDiagnosisBytes, "the saved diagnosis", "give the file `podpath diagnose --json` wrote");
    if (!bytes)
        return bytes.error();
    auto d = fromJson(QByteArray::fromStdString(*bytes));
    if (!d) {
        Error e = d.error();
        e.context = path + (e.context.empty() ? "" : ", " + e.context);
        return e;
    }
    return d;
}

} // namespace podpath::report
