#include "document_report.h"

#include "hop_words.h"
#include "printable_diagnosis.h"
#include "readable_time.h"
#include "status_palette.h"
#include "terminal_picture.h"

#include <utility>

namespace podpath::report {

using namespace diagnose;

namespace {

std::string ipOr(const std::optional<Ipv4> &a, const char *absent = "not known") { return a ? a->toString() : absent; }
std::string orNotKnown(const std::string &s) { return s.empty() ? "not known" : s; }

std::string headline(const Diagnosis &d)
{
    switch (d.verdict) {
    case Verdict::Pass:
        return d.mode == Encapsulation::None ? "PASS: the path between the nodes works in both directions"
                                             : "PASS: the overlay path works in both directions";
    case Verdict::Fail:
        return "FAIL at " +
               (d.firstFailingHop ? std::string(hopInfo(*d.firstFailingHop).title)
                : d.findings.empty() ? std::string("a check")
                                     : blamedName(d.findings.front().blames, tunnelled(d.mode)));
    case Verdict::Error: return "COULD NOT DIAGNOSE: " + d.error;
    case Verdict::Incomplete: return "NOT PROVEN: " + d.error;
    }
    return {};
}

std::string mdCell(std::string s)
{
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += "<br>";
        else
            out += c;
    }
    return out;
}

std::string html(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

// Raw output for paper: a token too long for a line (a node's JSON, `ip -j` prints one
// line of it) gets break opportunities (zero-width spaces, invisible) after its commas
// and semicolons, so the printed page wraps it there and nowhere inside a word or an
// address. Only a run that has none for 80 characters is given one every 80: it could
// not be printed whole on any line.
std::string withBreaks(std::string_view raw)
{
    static constexpr std::size_t kLongToken = 40, kMaxRun = 80;
    static constexpr std::string_view kZeroWidthSpace = "\u200b";
    std::string out;
    out.reserve(raw.size());
    std::size_t i = 0;
    while (i < raw.size()) {
        const auto isSpace = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
        if (isSpace(raw[i])) {
            out += raw[i++];
            continue;
        }
        std::size_t end = i;
        while (end < raw.size() && !isSpace(raw[end]))
            ++end;
        const std::string_view token = raw.substr(i, end - i);
        if (token.size() <= kLongToken) {
            out += token;
        } else {
            std::size_t run = 0;
            for (std::size_t k = 0; k < token.size(); ++k) {
                const char c = token[k];
                const bool continuation = (static_cast<unsigned char>(c) & 0xC0) == 0x80;
                if (run >= kMaxRun && !continuation) {
                    out += kZeroWidthSpace;
                    run = 0;
                }
                out += c;
                ++run;
                if ((c == ',' || c == ';') && k + 1 < token.size()) {
                    out += kZeroWidthSpace;
                    run = 0;
                }
            }
        }
        i = end;
    }
    return out;
}

// Longest run of backticks inside s, so a fence around raw output cannot be closed by it.
std::string fenceFor(const std::string &s)
{
    std::size_t longest = 0, run = 0;
    for (char c : s) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

// "[ ok ] 5 of 5 seen", "[FAIL] 0 of 5 seen, 5 lost here (icmp_seq 1, 2, 3, 4, 5)",
// "[ -- ] did not reach: 5 lost before": one stream at one hop, counts adding up to what
// was sent.
std::string streamCell(const HopVerdict &h, std::size_t i)
{
    if (i >= h.streams.size())
        return std::string(streamMark(StreamFate::NoEvidence)) + " no evidence";
    const StreamAtHop &s = h.streams[i];
    return std::string(streamMark(streamFate(s))) + " " + streamCountText(s);
}

const char *fateClass(StreamFate f)
{
    switch (f) {
    case StreamFate::Seen: return "pass";
    case StreamFate::LostHere: return "fail";
    case StreamFate::NoEvidence: return "unknown";
    case StreamFate::NotReached:
    case StreamFate::Skipped: break;
    }
    return "skipped";
}

void nodeRows(std::string &out, const NodeFacts &c, const NodeFacts &s, bool isHtml)
{
    struct NodeRow {
        const char *label;
        std::string client, server;
        bool shown = true;
    };
    const NodeRow rows[] = {
        {"host", orNotKnown(c.host), orNotKnown(s.host)},
        {"hostname", orNotKnown(c.hostname), orNotKnown(s.hostname)},
        {"node IP", ipOr(c.nodeIp), ipOr(s.nodeIp)},
        {"underlay device", orNotKnown(c.underlayDevice), orNotKnown(s.underlayDevice)},
        // Only a routed underlay has a router row: on one subnet it would say nothing.
        {"router to the other node", ipOr(c.underlayGateway, "none"), ipOr(s.underlayGateway, "none"),
         c.underlayGateway || s.underlayGateway},
        {"tunnel device", orNotKnown(c.tunnelDevice), orNotKnown(s.tunnelDevice)},
        {"tunnel IP", ipOr(c.tunnelIp), ipOr(s.tunnelIp)},
        // Dual-stack pairs only: the IPv6 tunnel the IPv6 burst crossed.
        {"IPv6 tunnel", orNotKnown(c.ipv6TunnelDevice) + (c.ipv6TunnelAddress.empty() ? "" : " " + c.ipv6TunnelAddress),
         orNotKnown(s.ipv6TunnelDevice) + (s.ipv6TunnelAddress.empty() ? "" : " " + s.ipv6TunnelAddress),
         !c.ipv6TunnelDevice.empty() || !s.ipv6TunnelDevice.empty()},
        {"firewall", orNotKnown(c.firewallBackend), orNotKnown(s.firewallBackend)},
        {"hosts ipset", orNotKnown(c.hostsIpset), orNotKnown(s.hostsIpset)},
        {"privilege", orNotKnown(c.privilege), orNotKnown(s.privilege)},
    };
    for (const NodeRow &r : rows) {
        if (!r.shown)
            continue;
        if (isHtml)
            out += "<tr><th>" + std::string(r.label) + "</th><td>" + html(r.client) + "</td><td>" + html(r.server) + "</td></tr>\n";
        else
            out += "| " + std::string(r.label) + " | " + mdCell(r.client) + " | " + mdCell(r.server) + " |\n";
    }
}

std::string whenLine(const Diagnosis &d)
{
    if (d.startedAt.empty())
        return {};
    return std::string(d.recorded ? "recorded " : "started ") + readableTime(d.startedAt, true) +
           (d.recorded ? " (replayed from a recording)" : "");
}

std::string nameOr(const NodeFacts &f, const char *fallback)
{
    const std::string n = nodeName(f);
    return n.empty() ? fallback : n;
}

const char *tone(Severity s) { return s >= Severity::Error ? "fail" : s == Severity::Warning ? "warning" : "info"; }

std::string_view severityMark(Severity s)
{
    return s >= Severity::Error ? statusMark(Status::Fail) : s == Severity::Warning ? std::string_view("!") : "i";
}

// A finding's heading: its message, the engine's sentence about what is wrong. Never its
// code, which a person cannot read.
std::string findingHeading(const Finding &f)
{
    return f.message.empty() ? "A finding at " + blamedName(f.blames) : f.message;
}

std::string capitalised(std::string s)
{
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
        s[0] = char(s[0] - 'a' + 'A');
    return s;
}

const char *verdictTone(Verdict v) { return v == Verdict::Pass ? "pass" : v == Verdict::Fail ? "fail" : "unknown"; }

std::string_view verdictMark(Verdict v)
{
    return v == Verdict::Pass ? statusMark(Status::Pass) : v == Verdict::Fail ? statusMark(Status::Fail) : "?";
}

std::string css(const HtmlOptions &o)
{
    const StatusPalette &l = kLightPalette, &k = kDarkPalette;
    auto tones = [](const StatusPalette &p) {
        return ".pass{color:" + cssColor(p.pass) + "}.fail{color:" + cssColor(p.fail) + "}.unknown{color:" +
               cssColor(p.unknown) + "}.skipped{color:" + cssColor(p.skipped) + "}.warning{color:" + cssColor(p.warning) +
               "}\n";
    };
    std::string out = "body{font-family:sans-serif;color:#1f2328;background:#fff}\n";
    if (!o.forPrint)
        out += "body{max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.35}\n";
    out += "h1{font-size:16pt;margin:0 0 .3em 0}h2{font-size:13pt;margin:1em 0 .3em 0}h3{font-size:11pt;margin:.8em 0 .2em 0}\n"
           "table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #b8bec5;padding:3px 6px;text-align:left;"
           "vertical-align:top}\n"
           "pre{font-family:monospace;white-space:pre-wrap;background:#f4f6f8;padding:4px;margin:.2em 0}\n"
           "code{font-family:monospace}.muted{color:#57606a}.mark{font-weight:bold}\n"
           ".verdict{font-size:14pt;font-weight:bold;padding:6px;border:2px solid #1f2328;margin:.4em 0}\n"
           ".verdict.fail{background:" + cssColor(l.failTint) + "}.verdict.unknown{background:" + cssColor(l.unknownTint) +
           "}\n.appendix{page-break-before:always}\n";
    out += tones(l);
    if (o.forPrint)
        return out + "body{font-size:10pt}td,th{font-size:9pt}pre{font-size:8pt}.evidence{font-size:7.5pt}\n";
    return out + "details{margin:.3em 0}summary{cursor:pointer}img{max-width:100%;height:auto}pre{overflow-x:auto}\n"
                 ".verdict{border-left-width:8px}\n"
                 "@media screen and (prefers-color-scheme: dark){body{background:#1c1e21;color:#e8eaed}pre{background:#26292d}"
                 "td,th{border-color:#4a5058}.muted{color:#a3aab2}.verdict{border-color:#e8eaed}.verdict.fail{background:" +
                 cssColor(k.failTint) + "}.verdict.unknown{background:" + cssColor(k.unknownTint) + "}" + tones(k) + "}\n"
                 "@media print{body{max-width:none;margin:0}details{page-break-inside:avoid}}\n";
}

// A hop's status as mark and word, both from its fate: a hop nothing reached reads
// "did not reach" under the mark of that, never a fail mark.
std::string_view fateMark(StreamFate f)
{
    switch (f) {
    case StreamFate::Seen: return statusMark(Status::Pass);
    case StreamFate::LostHere: return statusMark(Status::Fail);
    case StreamFate::NoEvidence: return statusMark(Status::Unknown);
    case StreamFate::NotReached: return statusMark(Status::Skipped);  // grey: no verdict on this hop
    case StreamFate::Skipped: return statusMark(Status::Skipped);
    }
    return statusMark(Status::Unknown);
}

std::string_view fateWord(StreamFate f)
{
    switch (f) {
    case StreamFate::Seen: return statusWord(Status::Pass);
    case StreamFate::LostHere: return statusWord(Status::Fail);
    case StreamFate::NoEvidence: return statusWord(Status::Unknown);
    case StreamFate::NotReached: return "did not reach";
    case StreamFate::Skipped: return statusWord(Status::Skipped);
    }
    return statusWord(Status::Unknown);
}

std::string hopStatusCell(const HopVerdict &h)
{
    const StreamFate f = hopFate(h);
    return "<td class=\"status " + std::string(fateClass(f)) + "\"><span class=\"mark\">" + html(fateMark(f)) +
           "</span>&nbsp;" + html(fateWord(f)) + "</td>";
}

std::string statusCell(Status s)
{
    return "<td class=\"status " + std::string(toString(s)) + "\"><span class=\"mark\">" + html(statusMark(s)) + "</span>&nbsp;" +
           html(statusWord(s)) + "</td>";
}

} // namespace

std::string reportTitle(const Diagnosis &d)
{
    std::string t = "PodPath: " + nameOr(d.client, "client") + " \u2192 " + nameOr(d.server, "server");
    if (!d.startedAt.empty())
        t += ", " + readableTime(d.startedAt, false);
    if (d.recorded)
        t += ", recorded";
    return t;
}

std::string renderMarkdown(const Diagnosis &fromNodes)
{
    // Node text reaches the reader only escaped (a node must not drive their terminal).
    const Diagnosis printableD = printableCopy(fromNodes);
    const Diagnosis &d = printableD;
    std::string out = "# " + reportTitle(d) + "\n\n**" + std::string(verdictMark(d.verdict)) + " " + headline(d) + "**\n\n";
    const std::string when = whenLine(d);
    out += "Mode `" + std::string(toString(d.mode)) + "`" + (when.empty() ? "" : ", " + when) + ".\n\n";

    out += "## Packet path\n\n```\n";
    TerminalStyle plain;
    const std::string picture = renderTerminal(d, plain);
    // Only the lanes: the rest is rendered as tables below.
    auto start = picture.find("          ");
    auto end = picture.find("marks:");
    if (start != std::string::npos && end != std::string::npos)
        out += picture.substr(start, picture.find("\n\n", end) - start) + "\n";
    out += "```\n";

    out += "\n## Findings\n\n";
    if (d.findings.empty())
        out += "None.\n";
    for (const auto &f : d.findings) {
        // The finding in its own words; where, how bad and its code (for JSON and search) after.
        out += "- **" + std::string(severityMark(f.severity)) + " " + findingHeading(f) + "** (" +
               std::string(toString(f.severity)) + ", at " + blamedName(f.blames, tunnelled(d.mode)) + " `" + f.blames + "`) `" + f.code + "`\n";
        if (!f.nextStep.empty())
            out += "  - Next step: " + f.nextStep + "\n";
        if (!f.evidence.empty()) {
            std::string body;
            for (const auto &e : f.evidence)
                body += e + "\n";
            const std::string fence = fenceFor(body);
            out += "\n  " + fence + "\n";
            for (const auto &e : f.evidence)
                out += "  " + e + "\n";
            out += "  " + fence + "\n";
        }
    }

    // One column per stream when the echoes went in several: a count over all of them
    // would add a probe lost earlier to a hop where every echo that reached it was seen.
    const std::vector<StreamAtHop> streams = streamsOf(d);
    const bool perStream = streams.size() > 1;
    out += "\n## Hops\n\n";
    if (perStream)
        out += streamsKey(d) + ".\n\n";  // our own words: nothing Markdown would read
    out += "| hop | status |";
    std::string rule = "|---|---|";
    if (perStream) {
        for (const auto &s : streams) {
            out += " " + mdCell(streamHeading(s)) + " |";
            rule += "---|";
        }
    } else {
        out += " seen |";
        rule += "---|";
    }
    out += " explanation |\n" + rule + "---|\n";
    for (const HopId hopId : d.path()) {
        const HopVerdict &h = d.hop(hopId);
        out += "| " + std::string(hopInfo(h.id).title) + " `" + std::string(hopInfo(h.id).key) + "` | " +
               std::string(streamMark(hopFate(h))) + " | ";
        if (perStream)
            for (std::size_t i = 0; i < streams.size(); ++i)
                out += mdCell(streamCell(h, i)) + " | ";
        else
            out += std::to_string(h.seen) + "/" + std::to_string(h.expected) + " | ";
        out += mdCell(h.explanation) + " |\n";
    }

    out += "\n## Checks\n\n| check | status | detail |\n|---|---|---|\n";
    for (const auto &c : d.checks)
        out += "| " + mdCell(checkTitle(c.id, tunnelled(d.mode))) + " `" + c.id + "` | " + std::string(hopMark(c.status)) + " | " +
               mdCell(c.detail) + " |\n";

    out += "\n## Nodes\n\n| | client | server |\n|---|---|---|\n";
    nodeRows(out, d.client, d.server, false);

    out += "\n## " + std::string(kAppendixHeading) + "\n\n";
    out += "Every command PodPath ran, in order, with its output as the node printed it.\n\n";
    if (!d.timings.empty()) {
        out += "Timings:\n\n";
        for (const auto &t : d.timings)
            out += "- " + t.phase + ": " + std::to_string(t.duration.count()) + " ms\n";
        out += "\n";
    }
    for (const auto &c : d.commands) {
        out += "### " + c.node + ": " + c.step + "\n\n";
        const std::string body = "$ " + c.command + "\n" + c.output + (c.errors.empty() ? "" : "\n" + c.errors);
        const std::string fence = fenceFor(body);
        out += fence + "\n" + body + (body.empty() || body.back() == '\n' ? "" : "\n") + fence + "\n";
        out += "exit " + std::to_string(c.exitStatus) + ", " + commandTiming(c) + "\n\n";
    }
    if (d.commands.empty())
        out += "No command ran.\n";
    return out;
}

std::string renderHtml(const Diagnosis &d, const QByteArray &diagramPng)
{
    HtmlOptions o;
    o.diagramPng = diagramPng;
    return renderHtml(d, o);
}

std::string renderHtml(const Diagnosis &fromNodes, const HtmlOptions &o)
{
    // Node text reaches the reader only escaped (a node must not drive their terminal).
    const Diagnosis printableD = printableCopy(fromNodes);
    const Diagnosis &d = printableD;
    const std::string title = reportTitle(d);
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                      html(title) + "</title>\n<style>\n" + css(o) + "</style></head><body>\n<h1>" + html(title) + "</h1>\n";
    out += "<p class=\"verdict " + std::string(verdictTone(d.verdict)) + "\"><span class=\"mark\">" +
           html(verdictMark(d.verdict)) + "</span> " + html(headline(d)) + "</p>\n";
    const std::string when = whenLine(d);
    out += "<p>Mode <code>" + html(toString(d.mode)) + "</code>" + (when.empty() ? "" : ", " + html(when)) + ".</p>\n";

    std::string src;
    if (!o.diagramUrl.empty())
        src = html(o.diagramUrl);
    else if (!o.diagramPng.isEmpty())
        src = "data:image/png;base64," + o.diagramPng.toBase64().toStdString();
    if (!src.empty())
        out += "<p><img alt=\"The packet path: both nodes, the request and reply lanes, the status of every hop\" src=\"" +
               src + "\"" + (o.diagramWidth > 0 ? " width=\"" + std::to_string(o.diagramWidth) + "\"" : "") + "></p>\n";

    out += "<h2>Findings</h2>\n";
    if (d.findings.empty())
        out += "<p>None.</p>\n";
    for (const auto &f : d.findings) {
        const char *ftone = tone(f.severity);
        // The finding in its own words; its code (for JSON and search) small and grey after them.
        out += "<h3 class=\"" + std::string(ftone) + "\"><span class=\"mark\">" + html(severityMark(f.severity)) + "</span> " +
               html(findingHeading(f)) + " <small class=\"muted\">(" + html(f.code) + ")</small></h3>\n<p class=\"muted\">" +
               html(capitalised(std::string(toString(f.severity)))) + ", at " + html(blamedName(f.blames, tunnelled(d.mode))) + " <code>" +
               html(f.blames) + "</code>.</p>\n";
        if (!f.nextStep.empty())
            out += "<p><b>Next step:</b> " + html(f.nextStep) + "</p>\n";
        if (!f.evidence.empty()) {
            out += "<pre class=\"evidence\">";
            for (const auto &e : f.evidence)
                out += html(o.forPrint ? withBreaks(e) : e) + "\n";
            out += "</pre>\n";
        }
    }

    const std::vector<StreamAtHop> streams = streamsOf(d);
    const bool perStream = streams.size() > 1;
    out += "<h2>Hops</h2>\n";
    if (perStream)
        out += "<p>" + html(streamsKey(d)) + ".</p>\n";
    out += "<table><tr><th>hop</th><th>status</th>";
    if (perStream)
        for (const auto &s : streams)
            out += "<th>" + html(streamHeading(s)) + "</th>";
    else
        out += "<th>seen</th>";
    out += "<th>explanation</th><th>evidence</th></tr>\n";
    for (const HopId hopId : d.path()) {
        const HopVerdict &h = d.hop(hopId);
        out += "<tr><td>" + html(hopInfo(h.id).title) + "<br><small><code>" + html(hopInfo(h.id).key) + "</code></small></td>" +
               hopStatusCell(h);
        if (perStream)
            for (std::size_t i = 0; i < streams.size(); ++i)
                out += std::string("<td class=\"") +
                       fateClass(i < h.streams.size() ? streamFate(h.streams[i]) : StreamFate::NoEvidence) + "\">" +
                       html(streamCell(h, i)) + "</td>";
        else
            out += "<td>" + std::to_string(h.seen) + "/" + std::to_string(h.expected) + "</td>";
        out += "<td>" + html(h.explanation) + "</td><td>";
        if (!h.evidence.empty()) {
            std::string lines;
            for (const auto &e : h.evidence)
                lines += html(e) + "\n";
            const std::string cut = evidenceCutNote(d, h);
            const std::string count = evidenceCount(d, h);
            // On paper the lines would fill pages of the body: they go to the appendix.
            if (o.forPrint)
                out += capitalised(count) + ", in the appendix";
            else
                out += "<details><summary>" + capitalised(count) + "</summary><pre>" +
                       lines + "</pre>" + (cut.empty() ? "" : "<p class=\"muted\">" + html(cut) + "</p>") +
                       "</details>";
        }
        out += "</td></tr>\n";
    }
    out += "</table>\n";

    out += "<h2>Checks</h2>\n<table><tr><th>check</th><th>status</th><th>detail</th></tr>\n";
    for (const auto &c : d.checks)
        out += "<tr><td>" + html(checkTitle(c.id, tunnelled(d.mode))) + "<br><small><code>" + html(c.id) + "</code></small></td>" +
               statusCell(c.status) + "<td>" + html(c.detail) + "</td></tr>\n";
    out += "</table>\n";

    out += "<h2>Nodes</h2>\n<table><tr><th></th><th>client</th><th>server</th></tr>\n";
    nodeRows(out, d.client, d.server, true);
    out += "</table>\n";

    out += "<h2 class=\"appendix\">" + html(kAppendixHeading) + "</h2>\n<p>" +
           (o.forPrint ? "The packets each hop's capture saw, then every command PodPath ran, in order, with its output "
                         "as the node printed it.</p>\n"
                       : "Every command PodPath ran, in order, with its output as the node printed it.</p>\n");
    if (!d.timings.empty()) {
        out += "<p>Timings: ";
        for (std::size_t i = 0; i < d.timings.size(); ++i)
            out += (i ? ", " : "") + html(d.timings[i].phase) + " " + std::to_string(d.timings[i].duration.count()) + " ms";
        out += ".</p>\n";
    }
    if (o.forPrint) {
        bool any = false;
        for (const HopId hopId : d.path()) {
            const HopVerdict &h = d.hop(hopId);
            if (h.evidence.empty())
                continue;
            if (!std::exchange(any, true))
                out += "<h3>Packets seen at each hop</h3>\n";
            out += "<p><b>" + html(hopInfo(h.id).title) + "</b> <code>" + html(hopInfo(h.id).key) + "</code></p>\n"
                   "<pre class=\"evidence\">";
            for (const auto &e : h.evidence)
                out += html(withBreaks(e)) + "\n";
            out += "</pre>\n";
            if (const std::string cut = evidenceCutNote(d, h); !cut.empty())
                out += "<p class=\"muted\">" + html(cut) + "</p>\n";
        }
        if (any)
            out += "<h3>Commands</h3>\n";
    }
    if (d.commands.empty())
        out += "<p>No command ran.</p>\n";
    for (const auto &c : d.commands) {
        const std::string head = html(c.node) + ": " + html(c.step) + " (exit " + std::to_string(c.exitStatus) + ", " +
                                 html(commandTiming(c)) + ")";
        // On paper long raw tokens get invisible break opportunities; on screen they scroll.
        const auto raw = [&](const std::string &t) { return html(o.forPrint ? withBreaks(t) : t); };
        const std::string body = "<pre>$ " + raw(c.command) + "\n" + raw(c.output) +
                                 (c.errors.empty() ? "" : "\n" + raw(c.errors)) + "</pre>";
        if (o.forPrint)
            out += "<h3>" + head + "</h3>\n" + body + "\n";
        else
            out += "<details><summary>" + head + "</summary>" + body + "</details>\n";
    }
    out += "</body></html>\n";
    return out;
}

} // namespace podpath::report
