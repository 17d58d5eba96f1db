#include "document_report.h"

#include "printable_diagnosis.h"
#include "status_palette.h"
#include "terminal_picture.h"

#include <utility>

namespace podpath::report {

using namespace diagnose;

namespace {

std::string ipOr(const std::optional<Ipv4> &a) { return a ? a->toString() : "not known"; }
std::string orNotKnown(const std::string &s) { return s.empty() ? "not known" : s; }

std::string headline(const Diagnosis &d)
{
    switch (d.verdict) {
    case Verdict::Pass: return "PASS: the overlay path works in both directions";
    case Verdict::Fail:
        return "FAIL at " +
               (d.firstFailingHop ? std::string(hopInfo(*d.firstFailingHop).title)
                : d.findings.empty() ? std::string("a check")
                                     : blamedName(d.findings.front().blames));
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

// "[ ok ] 5/5", "[FAIL] 0/5 (icmp_seq 1, 2)", "[ -- ] did not reach": one stream at one hop.
std::string streamCell(const HopVerdict &h, std::size_t i)
{
    if (i >= h.streams.size())
        return std::string(streamMark(StreamFate::NoEvidence)) + " no evidence";
    const StreamAtHop &s = h.streams[i];
    std::string out = std::string(streamMark(streamFate(s))) + " " + streamCount(s);
    if (!s.missingHere.empty()) {
        std::string seqs;
        for (auto q : s.missingHere)
            seqs += (seqs.empty() ? "" : ", ") + std::to_string(q);
        out += " (lost icmp_seq " + seqs + ")";
    }
    return out;
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
    const std::pair<const char *, std::pair<std::string, std::string>> rows[] = {
        {"host", {orNotKnown(c.host), orNotKnown(s.host)}},
        {"hostname", {orNotKnown(c.hostname), orNotKnown(s.hostname)}},
        {"node IP", {ipOr(c.nodeIp), ipOr(s.nodeIp)}},
        {"underlay device", {orNotKnown(c.underlayDevice), orNotKnown(s.underlayDevice)}},
        {"tunnel device", {orNotKnown(c.tunnelDevice), orNotKnown(s.tunnelDevice)}},
        {"tunnel IP", {ipOr(c.tunnelIp), ipOr(s.tunnelIp)}},
        {"firewall", {orNotKnown(c.firewallBackend), orNotKnown(s.firewallBackend)}},
        {"hosts ipset", {orNotKnown(c.hostsIpset), orNotKnown(s.hostsIpset)}},
        {"privilege", {orNotKnown(c.privilege), orNotKnown(s.privilege)}},
    };
    for (const auto &[k, v] : rows) {
        if (isHtml)
            out += "<tr><th>" + std::string(k) + "</th><td>" + html(v.first) + "</td><td>" + html(v.second) + "</td></tr>\n";
        else
            out += "| " + std::string(k) + " | " + mdCell(v.first) + " | " + mdCell(v.second) + " |\n";
    }
}


// "2026-11-25T17:10:33Z" as a reader writes it: "2026-11-25 17:10:33 UTC"; minutes only
// for titles.
std::string readableTime(const std::string &iso, bool seconds)
{
    if (iso.size() < 16 || iso[10] != 'T')
        return iso;
    std::string t = iso.substr(0, 10) + " " + iso.substr(11, seconds ? 8 : 5);
    return iso.back() == 'Z' ? t + " UTC" : t;
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
        out += "- **" + f.code + "** (" + std::string(toString(f.severity)) + ", at " + blamedName(f.blames) + " `" + f.blames + "`): " +
               f.message + "\n";
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
    const std::vector<std::string> streams = streamLabels(d);
    const bool perStream = streams.size() > 1;
    out += "\n## Hops\n\n";
    if (perStream)
        out += streamsKey(d) + ".\n\n";  // our own words: nothing Markdown would read
    out += "| hop | status |";
    std::string rule = "|---|---|";
    if (perStream) {
        for (const auto &s : streams) {
            out += " " + mdCell(s) + " |";
            rule += "---|";
        }
    } else {
        out += " seen |";
        rule += "---|";
    }
    out += " explanation |\n" + rule + "---|\n";
    for (const auto &h : d.hops) {
        out += "| " + std::string(hopInfo(h.id).title) + " `" + std::string(hopInfo(h.id).key) + "` | " +
               std::string(hopMark(h.status)) + " | ";
        if (perStream)
            for (std::size_t i = 0; i < streams.size(); ++i)
                out += mdCell(streamCell(h, i)) + " | ";
        else
            out += std::to_string(h.seen) + "/" + std::to_string(h.expected) + " | ";
        out += mdCell(h.explanation) + " |\n";
    }

    out += "\n## Checks\n\n| check | status | detail |\n|---|---|---|\n";
    for (const auto &c : d.checks)
        out += "| " + mdCell(checkTitle(c.id)) + " `" + c.id + "` | " + std::string(hopMark(c.status)) + " | " +
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
        out += "<h3 class=\"" + std::string(ftone) + "\"><span class=\"mark\">" + html(severityMark(f.severity)) + "</span> " +
               html(f.code) + "</h3>\n<p>" + html(f.message) + " <span class=\"muted\">(" + html(toString(f.severity)) +
               ", at " + html(blamedName(f.blames)) + " <code>" + html(f.blames) + "</code>)</span></p>\n";
        if (!f.nextStep.empty())
            out += "<p><b>Next step:</b> " + html(f.nextStep) + "</p>\n";
        if (!f.evidence.empty()) {
            out += "<pre class=\"evidence\">";
            for (const auto &e : f.evidence)
                out += html(e) + "\n";
            out += "</pre>\n";
        }
    }

    const std::vector<std::string> streams = streamLabels(d);
    const bool perStream = streams.size() > 1;
    out += "<h2>Hops</h2>\n";
    if (perStream)
        out += "<p>" + html(streamsKey(d)) + ".</p>\n";
    out += "<table><tr><th>hop</th><th>status</th>";
    if (perStream)
        for (const auto &s : streams)
            out += "<th>" + html(s) + "</th>";
    else
        out += "<th>seen</th>";
    out += "<th>explanation</th><th>evidence</th></tr>\n";
    for (const auto &h : d.hops) {
        out += "<tr><td>" + html(hopInfo(h.id).title) + "<br><small><code>" + html(hopInfo(h.id).key) + "</code></small></td>" +
               statusCell(h.status);
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
            // On paper the lines would fill pages of the body: they go to the appendix.
            if (o.forPrint)
                out += std::to_string(h.evidence.size()) + (h.evidence.size() == 1 ? " line" : " lines") +
                       ", in the appendix";
            else
                out += "<details><summary>" + std::to_string(h.evidence.size()) +
                       (h.evidence.size() == 1 ? " line" : " lines") + "</summary><pre>" + lines +
                       "</pre></details>";
        }
        out += "</td></tr>\n";
    }
    out += "</table>\n";

    out += "<h2>Checks</h2>\n<table><tr><th>check</th><th>status</th><th>detail</th></tr>\n";
    for (const auto &c : d.checks)
        out += "<tr><td>" + html(checkTitle(c.id)) + "<br><small><code>" + html(c.id) + "</code></small></td>" +
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
        for (const auto &h : d.hops) {
            if (h.evidence.empty())
                continue;
            if (!std::exchange(any, true))
                out += "<h3>Packets seen at each hop</h3>\n";
            out += "<p><b>" + html(hopInfo(h.id).title) + "</b> <code>" + html(hopInfo(h.id).key) + "</code></p>\n"
                   "<pre class=\"evidence\">";
            for (const auto &e : h.evidence)
                out += html(e) + "\n";
            out += "</pre>\n";
        }
        if (any)
            out += "<h3>Commands</h3>\n";
    }
    if (d.commands.empty())
        out += "<p>No command ran.</p>\n";
    for (const auto &c : d.commands) {
        const std::string head = html(c.node) + ": " + html(c.step) + " (exit " + std::to_string(c.exitStatus) + ", " +
                                 html(commandTiming(c)) + ")";
        const std::string body = "<pre>$ " + html(c.command) + "\n" + html(c.output) +
                                 (c.errors.empty() ? "" : "\n" + html(c.errors)) + "</pre>";
        if (o.forPrint)
            out += "<h3>" + head + "</h3>\n" + body + "\n";
        else
            out += "<details><summary>" + head + "</summary>" + body + "</details>\n";
    }
    out += "</body></html>\n";
    return out;
}

} // namespace podpath::report
