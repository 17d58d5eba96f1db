#include "remote/session_recording.h"

#include "core/bounded_file.h"
#include "parse/text.h"
#include "remote/error_codes.h"

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStringDecoder>

namespace podpath::remote {

namespace {

constexpr const char *kFormat = "podpath-session";
constexpr int kVersion = 1;
// A recording is held to what a live run could have produced: a diagnosis runs tens of
// commands, and no command keeps more than 32 MiB (a capture; 16 MiB for the others).
constexpr std::size_t kMaxRecordedCommands = 100000;
constexpr std::size_t kMaxRecordedOutput = 32u * 1024u * 1024u;

bool isUtf8(const std::string &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString s = decoder.decode(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
    return !decoder.hasError() && bytes.find('\0') == std::string::npos;
}

void putBytes(QJsonObject &o, const char *textKey, const char *base64Key, const std::string &bytes)
{
    if (isUtf8(bytes))
        o[textKey] = QString::fromStdString(bytes);
    else
        o[base64Key] = QString::fromLatin1(QByteArray(bytes.data(), qsizetype(bytes.size())).toBase64());
}

std::string getBytes(const QJsonObject &o, const char *textKey, const char *base64Key)
{
    if (o.contains(base64Key))
        return QByteArray::fromBase64(o[base64Key].toString().toLatin1()).toStdString();
    return o[textKey].toString().toStdString();
}

Privilege privilegeFromName(const QString &s)
{
    for (Privilege p : {Privilege::Root, Privilege::SudoNoPassword, Privilege::SudoPassword, Privilege::SudoRestricted,
                        Privilege::None})
        if (s == QLatin1String(privilegeName(p)))
            return p;
    return Privilege::Unknown;
}

Error badFile(const std::string &what, int index = -1)
{
    return Error("not a PodPath session recording: " + what, index >= 0 ? "command " + std::to_string(index + 1) : "",
                 "record the session again (podpath --record DIR)", 0, kReplayBadFile);
}

} // namespace

std::string SessionRecording::toJson() const
{
    QJsonObject nodeObj{{"label", QString::fromStdString(node.label)},
                        {"user", QString::fromStdString(node.user)},
                        {"uid", node.uid},
                        {"privilege", QLatin1String(privilegeName(node.privilege))}};
    QJsonArray list;
    for (const auto &c : commands) {
        QJsonObject o{{"command", QString::fromStdString(c.commandLine)}, {"asRoot", c.asRoot}, {"stream", c.streamed}};
        if (c.error) {
            o["error"] = QJsonObject{{"message", QString::fromStdString(c.error->message)},
                                     {"context", QString::fromStdString(c.error->context)},
                                     {"nextStep", QString::fromStdString(c.error->nextStep)},
                                     {"code", QString::fromStdString(c.error->code)}};
        } else if (c.result) {
            const CommandResult &r = *c.result;
            o["exitStatus"] = r.exitStatus ? QJsonValue(*r.exitStatus) : QJsonValue(QJsonValue::Null);
            if (!r.exitSignal.empty())
                o["exitSignal"] = QString::fromStdString(r.exitSignal);
            putBytes(o, "stdout", "stdoutBase64", r.out);
            putBytes(o, "stderr", "stderrBase64", r.err);
            o["durationMs"] = double(r.duration.count());
            o["timedOut"] = r.timedOut;
            o["truncated"] = r.truncated;
            o["cancelled"] = r.cancelled;
        }
        list.append(o);
    }
    QJsonObject root{{"format", kFormat}, {"version", kVersion}, {"node", nodeObj}, {"commands", list}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

Result<SessionRecording> SessionRecording::fromJson(std::string_view json)
{
    if (json.size() > text::kMaxInputBytes)
        return badFile("larger than " + std::to_string(text::kMaxInputBytes) + " bytes");
    QJsonParseError perr{};
    auto doc = QJsonDocument::fromJson(QByteArray(json.data(), qsizetype(json.size())), &perr);
    if (perr.error != QJsonParseError::NoError)
        return badFile("invalid JSON: " + perr.errorString().toStdString());
    if (!doc.isObject())
        return badFile("not a JSON object");
    QJsonObject root = doc.object();
    if (root["format"].toString() != QLatin1String(kFormat))
        return badFile("no \"format\": \"podpath-session\"");
    if (root["version"].toInt() != kVersion)
        return badFile("version " + std::to_string(root["version"].toInt()) + " is not supported");

    SessionRecording rec;
    QJsonObject node = root["node"].toObject();
    rec.node.label = node["label"].toString().toStdString();
    rec.node.user = node["user"].toString().toStdString();
    rec.node.uid = node["uid"].toInt(-1);
    rec.node.privilege = privilegeFromName(node["privilege"].toString());

    // As bounded as a live run (see kMaxRecordedCommands).
    const QJsonArray list = root["commands"].toArray();
    if (std::size_t(list.size()) > kMaxRecordedCommands)
        return badFile("more than " + std::to_string(kMaxRecordedCommands) + " commands");
    const std::size_t maxOutput = kMaxRecordedOutput;
    for (int i = 0; i < list.size(); ++i) {
        if (!list[i].isObject())
            return badFile("an entry is not an object", i);
        QJsonObject o = list[i].toObject();
        RecordedCommand c;
        c.commandLine = o["command"].toString().toStdString();
        if (c.commandLine.empty())
            return badFile("an entry has no \"command\"", i);
        c.asRoot = o["asRoot"].toBool();
        c.streamed = o["stream"].toBool();
        if (o.contains("error")) {
            QJsonObject e = o["error"].toObject();
            c.error = Error(e["message"].toString().toStdString(), e["context"].toString().toStdString(),
                            e["nextStep"].toString().toStdString(), 0, e["code"].toString().toStdString());
        } else {
            CommandResult r;
            if (o["exitStatus"].isDouble())
                r.exitStatus = o["exitStatus"].toInt();
            r.exitSignal = o["exitSignal"].toString().toStdString();
            r.out = getBytes(o, "stdout", "stdoutBase64");
            r.err = getBytes(o, "stderr", "stderrBase64");
            if (r.out.size() > maxOutput || r.err.size() > maxOutput)
                return badFile("a command's output is larger than " + std::to_string(maxOutput >> 20) +
                                   " MiB, more than a live run keeps", i);
            r.outBytes = r.out.size();
            // Out-of-range doubles cannot become integers: a hostile file gets 0.
            const double ms = o["durationMs"].toDouble();
            r.duration = std::chrono::milliseconds(ms >= 0 && ms < 1e12 ? qint64(ms) : 0);
            r.timedOut = o["timedOut"].toBool();
            r.truncated = o["truncated"].toBool();
            r.cancelled = o["cancelled"].toBool();
            c.result = std::move(r);
        }
        rec.commands.push_back(std::move(c));
    }
    return rec;
}

Result<void> SessionRecording::save(const std::string &path) const
{
    QSaveFile f(QString::fromStdString(path));
    const std::string json = toJson();
    if (!f.open(QIODevice::WriteOnly) || f.write(json.data(), qint64(json.size())) != qint64(json.size()) ||
        !f.commit())
        return Error("could not write the session recording", path, "check that the folder exists and is writable");
    return {};
}

Result<SessionRecording> SessionRecording::load(const std::string &path)
{
    Result<std::string> bytes = std::string();
    if (path.starts_with(":/")) {
        // Built into the program (the demo): a Qt resource, of a size known at build time.
        QFile f(QString::fromStdString(path));
        if (!f.open(QIODevice::ReadOnly))
            return Error("could not read the session recording", path, "check the path", 0, kReplayBadFile);
        bytes = f.read(qint64(text::kMaxInputBytes)).toStdString();
    } else {
        bytes = readFileBounded(path, text::kMaxInputBytes, "the session recording",
                                "give a folder `podpath diagnose --record` wrote");
    }
    if (!bytes) {
        Error e = bytes.error();
        e.code = kReplayBadFile;
        return e;
    }
    auto rec = fromJson(*bytes);
    if (!rec) {
        Error e = rec.error();
        e.context = path + (e.context.empty() ? "" : ", " + e.context);
        return e;
    }
    return rec;
}

} // namespace podpath::remote
