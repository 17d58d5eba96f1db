#include "parse/calico_log.h"

#include "parse/text.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <array>
#include <cctype>

namespace podpath::parse {

namespace {

using text::startsWith;
using text::endsWith;

struct Context {
    const CalicoLogOptions &options;
    std::optional<int> lastYear;   // of the latest dated stamp, for yearless ones
    int depth = 0;                 // syslog lines nest other lines; hostile input could nest forever

    int yearForYearless() const { return options.year ? *options.year : lastYear.value_or(1970); }
    void saw(const LogTimestamp &t)
    {
        if (!t.yearAssumed)
            lastYear = yearOf(t.micros);
    }
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

char lower(char c) { return char(std::tolower(static_cast<unsigned char>(c))); }

bool equalsNoCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

// Component names as they appear in Calico's file paths ("felix/route_table.go") and as
// program names in the journal ("kubelet[812]").
LogComponent componentFromName(std::string_view name)
{
    if (name == "felix" || name == "calico-felix")
        return LogComponent::Felix;
    if (name == "confd" || name == "calico-confd")
        return LogComponent::Confd;
    if (name == "bird")
        return LogComponent::Bird;
    if (name == "bird6")
        return LogComponent::Bird6;
    if (name == "kubelet")
        return LogComponent::Kubelet;
    static constexpr std::array<std::string_view, 11> node = {
        "calico-node", "startup", "monitor-addresses", "tunnel-ip-allocator", "allocate-tunnel-addrs",
        "allocateip", "cni-config-monitor", "status-reporter", "node", "bpf", "calico"};
    if (std::find(node.begin(), node.end(), name) != node.end())
        return LogComponent::CalicoNode;
    return LogComponent::Other;
}

// BIRD (as calico-node runs it) prints no severity; these words mark its trouble lines.
LogLevel inferBirdLevel(std::string_view m)
{
    static constexpr std::array<std::string_view, 12> errors = {
        "rror", "Unable to", "unable to", "ailed", "Netlink: ", "refused", "No route to host",
        "unreachable", "syntax error", "Cannot", "cannot", "Address in use"};
    static constexpr std::array<std::string_view, 8> warnings = {
        "Received: ", "Unexpected", "strange", "dropped", "Connection closed", "Connection lost",
        "Hold timer expired", "Connect delayed"};
    for (auto w : errors)
        if (m.find(w) != std::string_view::npos)
            return LogLevel::Error;
    for (auto w : warnings)
        if (m.find(w) != std::string_view::npos)
            return LogLevel::Warning;
    return LogLevel::Info;
}

bool readBird(std::string_view s, CalicoLogEntry &e)
{
    std::string_view prog;
    if (startsWith(s, "bird: "))
        prog = "bird";
    else if (startsWith(s, "bird6: "))
        prog = "bird6";
    else
        return false;
    e.format = LogFormat::Bird;
    e.process = std::string(prog);
    e.component = componentFromName(prog);
    e.message = std::string(s.substr(prog.size() + 2));
    e.level = inferBirdLevel(e.message);
    e.levelInferred = true;
    return true;
}

// "2026-11-23 08:00:01.205 [INFO][61] felix/route_table.go 903: Syncing routes k=v"
bool readCalico(std::string_view s, CalicoLogEntry &e)
{
    auto sp1 = s.find(' ');
    if (sp1 != 10)
        return false;
    auto sp2 = s.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos)
        return false;
    auto ts = parseIsoTimestamp(s.substr(0, sp2));
    if (!ts)
        return false;
    auto rest = s.substr(sp2 + 1);
    if (!startsWith(rest, "["))
        return false;
    auto close = rest.find(']');
    if (close == std::string_view::npos)
        return false;
    auto level = logLevelFromString(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    if (!level || !startsWith(rest, "["))
        return false;
    close = rest.find(']');
    if (close == std::string_view::npos)
        return false;
    e.pid = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest[0] == ' ')
        rest.remove_prefix(1);

    e.format = LogFormat::Calico;
    e.time = std::move(ts);
    e.timeSource = TimeSource::Line;
    e.level = *level;
    e.message = std::string(rest);

    // "felix/route_table.go 903: message"; older lines have no "felix/" prefix.
    auto fileEnd = rest.find(' ');
    if (fileEnd != std::string_view::npos && fileEnd > 0) {
        auto after = rest.substr(fileEnd + 1);
        auto colon = after.find(':');
        if (colon != std::string_view::npos && colon > 0) {
            if (auto n = text::toUnsigned<unsigned>(after.substr(0, colon))) {
                e.sourceFile = std::string(rest.substr(0, fileEnd));
                e.sourceLine = n;
                auto msg = after.substr(colon + 1);
                if (!msg.empty() && msg[0] == ' ')
                    msg.remove_prefix(1);
                e.message = std::string(msg);
            }
        }
    }
    std::string_view file = e.sourceFile;
    auto slash = file.find('/');
    if (slash != std::string_view::npos && slash > 0)
        e.component = componentFromName(file.substr(0, slash));
    else if (startsWith(file, "calico.felix."))
        e.component = LogComponent::Felix;   // Felix before it was rewritten in Go
    if (startsWith(e.message, "bird: ") || startsWith(e.message, "bird6: ")) {
        CalicoLogEntry inner;
        readBird(e.message, inner);
        e.component = inner.component;
        e.process = inner.process;
    }
    return true;
}

// "E1123 08:00:01.205123     812 pod_workers.go:1298] \"Error syncing pod, skipping\" ..."
bool readKlog(std::string_view s, CalicoLogEntry &e, const Context &ctx)
{
    if (s.size() < 22 || (s[0] != 'I' && s[0] != 'W' && s[0] != 'E' && s[0] != 'F') || s[5] != ' ')
        return false;
    for (int i = 1; i <= 4; ++i)
        if (!isDigit(s[std::size_t(i)]))
            return false;
    auto clockEnd = s.find(' ', 6);
    if (clockEnd == std::string_view::npos)
        return false;
    auto ts = parseKlogTimestamp(s.substr(1, 4), s.substr(6, clockEnd - 6), ctx.yearForYearless());
    if (!ts)
        return false;
    auto rest = s.substr(clockEnd);
    rest.remove_prefix(text::leadingSpaces(rest));
    auto pidEnd = rest.find(' ');
    if (pidEnd == std::string_view::npos || !text::toUnsigned<unsigned>(rest.substr(0, pidEnd)))
        return false;
    auto pid = rest.substr(0, pidEnd);
    rest = rest.substr(pidEnd + 1);
    auto bracket = rest.find("] ");
    if (bracket == std::string_view::npos && endsWith(rest, "]"))
        bracket = rest.size() - 1;
    if (bracket == std::string_view::npos)
        return false;
    auto where = rest.substr(0, bracket);
    auto colon = where.rfind(':');
    if (colon == std::string_view::npos || where.find(' ') != std::string_view::npos)
        return false;
    auto line = text::toUnsigned<unsigned>(where.substr(colon + 1));
    if (!line)
        return false;
    e.format = LogFormat::Klog;
    e.level = *logLevelFromString(s.substr(0, 1));
    e.time = std::move(ts);
    e.timeSource = TimeSource::Line;
    e.pid = std::string(pid);
    e.sourceFile = std::string(where.substr(0, colon));
    e.sourceLine = line;
    e.message = bracket + 2 <= rest.size() ? std::string(rest.substr(bracket + 2)) : std::string();
    return true;
}

// time="2017-02-14T21:05:44Z" level=info msg="Loading config from environment"
bool readLogrus(std::string_view s, CalicoLogEntry &e)
{
    if (!startsWith(s, "time=\"") && !startsWith(s, "level="))
        return false;
    std::string time, level, msg;
    bool haveMsg = false;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ')
            ++i;
        auto eq = s.find('=', i);
        if (eq == std::string_view::npos)
            return false;
        auto key = s.substr(i, eq - i);
        if (key.empty() || key.find(' ') != std::string_view::npos)
            return false;
        i = eq + 1;
        std::string value;
        if (i < s.size() && s[i] == '"') {
            ++i;
            bool closed = false;
            while (i < s.size()) {
                char c = s[i++];
                if (c == '\\' && i < s.size()) {
                    value += s[i++];
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    value += c;
                }
            }
            if (!closed)
                return false;
        } else {
            auto end = s.find(' ', i);
            value = std::string(s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
            i = end == std::string_view::npos ? s.size() : end;
        }
        if (key == "time")
            time = value;
        else if (key == "level")
            level = value;
        else if (key == "msg") {
            msg = value;
            haveMsg = true;
        }
    }
    auto lv = logLevelFromString(level);
    if (!lv || !haveMsg)
        return false;
    e.format = LogFormat::Logrus;
    e.level = *lv;
    e.message = msg;
    if (auto ts = parseIsoTimestamp(time)) {
        e.time = std::move(ts);
        e.timeSource = TimeSource::Line;
    }
    return true;
}

bool readInner(std::string_view s, CalicoLogEntry &e, Context &ctx);

// "Nov 23 08:00:01 node1 kubelet[812]: <rest>" and "2016-10-12T16:33:16Z myhost confd[74]: INFO ..."
bool readSyslog(std::string_view s, CalicoLogEntry &e, Context &ctx)
{
    std::optional<LogTimestamp> ts;
    std::size_t tsEnd = 0;
    if (s.size() > 16 && s[3] == ' ' && !isDigit(s[0])) {
        // Month, space-padded day, clock: the clock ends at the third field's end.
        std::size_t i = 4;
        while (i < s.size() && s[i] == ' ')
            ++i;
        auto dayEnd = s.find(' ', i);
        if (dayEnd == std::string_view::npos)
            return false;
        tsEnd = s.find(' ', dayEnd + 1);
        if (tsEnd == std::string_view::npos)
            return false;
        ts = parseSyslogTimestamp(s.substr(0, tsEnd), ctx.yearForYearless());
    } else {
        tsEnd = s.find(' ');
        if (tsEnd == std::string_view::npos)
            return false;
        ts = parseIsoTimestamp(s.substr(0, tsEnd));
    }
    if (!ts)
        return false;
    auto rest = s.substr(tsEnd + 1);
    auto hostEnd = rest.find(' ');
    if (hostEnd == std::string_view::npos || hostEnd == 0)
        return false;
    auto afterHost = rest.substr(hostEnd + 1);
    auto progEnd = afterHost.find(": ");
    if (progEnd == std::string_view::npos && endsWith(afterHost, ":"))
        progEnd = afterHost.size() - 1;
    if (progEnd == std::string_view::npos || progEnd == 0)
        return false;
    auto progField = afterHost.substr(0, progEnd);
    if (progField.find(' ') != std::string_view::npos)
        return false;
    std::string_view prog = progField, pid;
    auto bracket = progField.find('[');
    if (bracket != std::string_view::npos) {
        if (!endsWith(progField, "]") || bracket == 0)
            return false;
        prog = progField.substr(0, bracket);
        pid = progField.substr(bracket + 1, progField.size() - bracket - 2);
    }
    auto body = progEnd + 2 <= afterHost.size() ? afterHost.substr(progEnd + 2) : std::string_view();

    ctx.saw(*ts);
    // What the program printed may itself be a known line (klog from kubelet, a Calico
    // line from a calico-node unit, BIRD): read it, then keep the journal's time and name.
    CalicoLogEntry inner;
    bool structured = false;
    if (ctx.depth < 2) {
        ++ctx.depth;
        structured = readInner(body, inner, ctx) && inner.format != LogFormat::Unreadable;
        --ctx.depth;
    }
    if (structured) {
        e.level = inner.level;
        e.levelInferred = inner.levelInferred;
        e.component = inner.component;
        e.sourceFile = std::move(inner.sourceFile);
        e.sourceLine = inner.sourceLine;
        e.message = std::move(inner.message);
        e.time = std::move(inner.time);
        e.timeSource = inner.timeSource;
    } else if (auto sp = body.find(' '); sp != std::string_view::npos && logLevelFromString(body.substr(0, sp)) &&
                                         sp > 1) {
        e.level = *logLevelFromString(body.substr(0, sp));   // older confd: "INFO Backend set to etcd"
        e.message = std::string(body.substr(sp + 1));
    } else {
        e.message = std::string(body);
    }
    e.format = LogFormat::Syslog;
    e.process = std::string(prog);
    e.pid = std::string(pid);
    if (!structured || inner.format != LogFormat::Calico) {
        e.time = std::move(ts);
        e.timeSource = TimeSource::Line;
    }
    if (e.component == LogComponent::Unknown)
        e.component = componentFromName(prog);
    return true;
}

bool readInner(std::string_view s, CalicoLogEntry &e, Context &ctx)
{
    if (readCalico(s, e) || readBird(s, e) || readKlog(s, e, ctx) || readLogrus(s, e) || readSyslog(s, e, ctx)) {
        if (e.time && e.timeSource == TimeSource::Line)
            ctx.saw(*e.time);
        return true;
    }
    e.format = LogFormat::Unreadable;
    e.message = std::string(s);
    return false;
}

// A line as a component printed it, possibly behind svlogd's stamp.
void readComponentLine(std::string_view s, CalicoLogEntry &e, Context &ctx)
{
    auto sp = s.find(' ');
    if (sp != std::string_view::npos && sp > 0) {
        auto first = s.substr(0, sp);
        std::optional<LogTimestamp> stamp;
        if (first.size() > 20 && first[10] == '_')
            stamp = parseIsoTimestamp(first);
        else if (first[0] == '@')
            stamp = parseTai64nTimestamp(first);
        if (stamp) {
            ctx.saw(*stamp);
            e.wrapper = LogWrapper::Svlogd;
            s = s.substr(sp + 1);
            readInner(s, e, ctx);
            if (!e.time) {
                e.time = std::move(stamp);
                e.timeSource = TimeSource::Wrapper;
            }
            e.raw = std::string(s);
            return;
        }
    }
    readInner(s, e, ctx);
    e.raw = std::string(s);
}

// Container runtime wrappers: one physical line carries part or all of a logical line.
struct Fragment {
    LogWrapper wrapper = LogWrapper::None;
    std::string stream;
    LogTimestamp time;
    bool partial = false;
    std::string content;
};

// "2026-11-23T08:00:01.205123456Z stdout F <content>"
std::optional<Fragment> readCri(std::string_view s)
{
    auto sp1 = s.find(' ');
    if (sp1 == std::string_view::npos || sp1 < 20)
        return std::nullopt;
    auto ts = parseIsoTimestamp(s.substr(0, sp1));
    if (!ts || !ts->zoneKnown || s[10] != 'T')
        return std::nullopt;
    auto rest = s.substr(sp1 + 1);
    std::string_view stream;
    if (startsWith(rest, "stdout "))
        stream = "stdout";
    else if (startsWith(rest, "stderr "))
        stream = "stderr";
    else
        return std::nullopt;
    rest = rest.substr(7);
    if (rest.empty() || (rest[0] != 'P' && rest[0] != 'F') || (rest.size() > 1 && rest[1] != ' '))
        return std::nullopt;
    Fragment f;
    f.wrapper = LogWrapper::Cri;
    f.stream = std::string(stream);
    f.time = std::move(*ts);
    f.partial = rest[0] == 'P';
    f.content = rest.size() > 2 ? std::string(rest.substr(2)) : std::string();
    return f;
}

// {"log":"2021-08-06 17:15:49.469 [INFO][116] felix/...\n","stream":"stdout","time":"..."}
std::optional<Fragment> readDockerJson(std::string_view s)
{
    if (!startsWith(s, "{") || s.find("\"log\"") == std::string_view::npos)
        return std::nullopt;
    QJsonParseError err;
    auto doc = QJsonDocument::fromJson(QByteArray(s.data(), qsizetype(s.size())), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    auto obj = doc.object();
    if (!obj.value(QStringLiteral("log")).isString())
        return std::nullopt;
    auto ts = parseIsoTimestamp(obj.value(QStringLiteral("time")).toString().toStdString());
    if (!ts)
        return std::nullopt;
    Fragment f;
    f.wrapper = LogWrapper::DockerJson;
    f.stream = obj.value(QStringLiteral("stream")).toString().toStdString();
    f.time = std::move(*ts);
    f.content = obj.value(QStringLiteral("log")).toString().toStdString();
    // Docker splits long lines at 16 KiB: only the last piece ends with the newline.
    f.partial = !endsWith(f.content, "\n");
    if (!f.partial)
        f.content.pop_back();
    if (!f.content.empty() && f.content.back() == '\r')
        f.content.pop_back();
    return f;
}

struct Pending {
    int firstLine = 0;
    Fragment first;
    std::string text;
};

} // namespace

Result<CalicoLog> parseCalicoLog(std::string_view input, const CalicoLogOptions &options)
{
    if (input.size() > text::kMaxInputBytes)
        return Error{"The log is too large to read at once", std::to_string(input.size()) + " bytes",
                     "Fetch only the recent part (tail, journalctl --since, crictl logs --since)", 0};

    CalicoLog log;
    Context ctx{options, std::nullopt};
    std::vector<Pending> pending;   // open partial lines, one per stream at most

    auto addEntry = [&](int first, int last, const Fragment *wrap, std::string_view content, bool incomplete) {
        if (text::trim(content).empty()) {
            ++log.blankLines;
            return;
        }
        CalicoLogEntry e;
        e.line = first;
        e.lastLine = last;
        if (wrap) {
            ctx.saw(wrap->time);
            e.wrapper = wrap->wrapper;
            e.stream = wrap->stream;
        }
        readComponentLine(content, e, ctx);
        if (wrap) {
            e.wrapper = wrap->wrapper;   // the runtime's wrapper outranks an inner svlogd stamp
            if (!e.time) {
                e.time = wrap->time;
                e.timeSource = TimeSource::Wrapper;
            }
        }
        e.incomplete = incomplete;
        if (e.component == LogComponent::Unknown)
            e.component = options.defaultComponent;
        if (e.format == LogFormat::Unreadable)
            ++log.unreadableLines;
        log.entries.push_back(std::move(e));
    };

    text::LineReader reader(input);
    std::string_view line;
    while (reader.next(line)) {
        const int n = reader.lineNumber();
        std::optional<Fragment> frag = readCri(line);
        if (!frag)
            frag = readDockerJson(line);
        if (!frag) {
            addEntry(n, n, nullptr, line, false);
            continue;
        }
        auto open = std::find_if(pending.begin(), pending.end(),
                                 [&](const Pending &p) { return p.first.stream == frag->stream && p.first.wrapper == frag->wrapper; });
        if (frag->partial) {
            if (open == pending.end())
                pending.push_back({n, *frag, frag->content});
            else
                open->text += frag->content;
            continue;
        }
        if (open != pending.end()) {
            std::string joined = std::move(open->text);
            joined += frag->content;
            Fragment first = std::move(open->first);
            int firstLine = open->firstLine;
            pending.erase(open);
            addEntry(firstLine, n, &first, joined, false);
        } else {
            addEntry(n, n, &*frag, frag->content, false);
        }
    }
    for (auto &p : pending)
        addEntry(p.firstLine, p.firstLine, &p.first, p.text, true);
    if (options.zonelessUtcOffsetSeconds)
        for (auto &e : log.entries)
            if (e.time && !e.time->zoneKnown) {
                e.time->micros -= *options.zonelessUtcOffsetSeconds * 1000000;
                e.time->zoneKnown = true;
            }
    // Partial lines of two streams interleave; report in the order lines began.
    std::stable_sort(log.entries.begin(), log.entries.end(),
                     [](const CalicoLogEntry &a, const CalicoLogEntry &b) { return a.line < b.line; });
    return log;
}

std::vector<const CalicoLogEntry *> filterCalicoLog(const CalicoLog &log, const CalicoLogFilter &filter)
{
    std::vector<const CalicoLogEntry *> out;
    auto matches = [&](std::string_view hay) {
        const std::string_view needle = filter.text;
        if (filter.caseSensitive)
            return hay.find(needle) != std::string_view::npos;
        return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                           [](char a, char b) { return lower(a) == lower(b); }) != hay.end();
    };
    for (const auto &e : log.entries) {
        if (filter.minimumLevel != LogLevel::Unknown && (e.level == LogLevel::Unknown || e.level < filter.minimumLevel))
            continue;
        if (filter.sinceMicros) {
            if (!e.time ? !filter.keepUntimed : e.time->micros < *filter.sinceMicros)
                continue;
        }
        if (filter.component && e.component != *filter.component)
            continue;
        if (!filter.text.empty() && !matches(e.raw) && !matches(e.message))
            continue;
        out.push_back(&e);
    }
    return out;
}

std::string_view toString(LogLevel level)
{
    switch (level) {
    case LogLevel::Unknown: return "";
    case LogLevel::Debug: return "DEBUG";
    case LogLevel::Info: return "INFO";
    case LogLevel::Warning: return "WARNING";
    case LogLevel::Error: return "ERROR";
    case LogLevel::Fatal: return "FATAL";
    case LogLevel::Panic: return "PANIC";
    }
    return "";
}

std::string_view toString(LogComponent component)
{
    switch (component) {
    case LogComponent::Unknown: return "unknown";
    case LogComponent::Felix: return "felix";
    case LogComponent::Bird: return "bird";
    case LogComponent::Bird6: return "bird6";
    case LogComponent::Confd: return "confd";
    case LogComponent::Kubelet: return "kubelet";
    case LogComponent::CalicoNode: return "calico-node";
    case LogComponent::Other: return "other";
    }
    return "unknown";
}

std::optional<LogLevel> logLevelFromString(std::string_view t)
{
    if (t.size() == 1) {
        switch (t[0]) {
        case 'I': return LogLevel::Info;
        case 'W': return LogLevel::Warning;
        case 'E': return LogLevel::Error;
        case 'F': return LogLevel::Fatal;
        case 'D': return LogLevel::Debug;
        default: return std::nullopt;
        }
    }
    if (equalsNoCase(t, "debug") || equalsNoCase(t, "trace"))
        return LogLevel::Debug;
    if (equalsNoCase(t, "info"))
        return LogLevel::Info;
    if (equalsNoCase(t, "warning") || equalsNoCase(t, "warn"))
        return LogLevel::Warning;
    if (equalsNoCase(t, "error"))
        return LogLevel::Error;
    if (equalsNoCase(t, "fatal") || equalsNoCase(t, "critical"))
        return LogLevel::Fatal;
    if (equalsNoCase(t, "panic"))
        return LogLevel::Panic;
    return std::nullopt;
}

} // namespace podpath::parse
