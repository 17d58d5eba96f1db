#include "document_report.h"

#include "printable_diagnosis.h"
#include "terminal_picture.h"

namespace podpath::report {

using namespace diagnose;

namespace {

std::string ipOr(const std::optional<Ipv4> &a) { return a ? a->toString() : "-"; }
std::string orDash(const std::string &s) { return s.empty() ? "-" : s; }

std::string headline(const Diagnosis &d)
{
    switch (d.verdict) {
    case Verdict::Pass: return "PASS: the overlay path works in both directions";
    case Verdict::Fail:
        return "FAIL at " +
               (d.firstFailingHop ? std::string(hopInfo(*d.firstFailingHop).title)
                : d.findings.empty() ? std::string("a check")
                                     : blamedName(d.findings.front().blames)) +
               (d.findings.empty() ? "" : " (" + d.findings.front().code + ")");
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

// The streams the hops were judged by, from the first hop that has them all.
std::vector<std::string> streamColumns(const Diagnosis &d)
{
    std::vector<std::string> out;
    for (const auto &h : d.hops)
        if (h.streams.size() > out.size()) {
            out.clear();
            for (const auto &s : h.streams)
                out.push_back(streamLabel(s));
        }
    return out;
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
        {"host", {orDash(c.host), orDash(s.host)}},
        {"hostname", {orDash(c.hostname), orDash(s.hostname)}},
        {"node IP", {ipOr(c.nodeIp), ipOr(s.nodeIp)}},
        {"underlay device", {orDash(c.underlayDevice), orDash(s.underlayDevice)}},
        {"tunnel device", {orDash(c.tunnelDevice), orDash(s.tunnelDevice)}},
        {"tunnel IP", {ipOr(c.tunnelIp), ipOr(s.tunnelIp)}},
        {"firewall", {orDash(c.firewallBackend), orDash(s.firewallBackend)}},
        {"hosts ipset", {orDash(c.hostsIpset), orDash(s.hostsIpset)}},
        {"privilege", {orDash(c.privilege), orDash(s.privilege)}},
    };
    for (const auto &[k, v] : rows) {
        if (isHtml)
            out += "<tr><th>" + std::string(k) + "</th><td>" + html(v.first) + "</td><td>" + html(v.second) + "</td></tr>\n";
        else
            out += "| " + std::string(k) + " | " + mdCell(v.first) + " | " + mdCell(v.second) + " |\n";
    }
}

} // namespace

std::string renderMarkdown(const Diagnosis &fromNodes)
{
    // Node text reaches the reader only escaped (a node must not drive their terminal).
    const Diagnosis printableD = printableCopy(fromNodes);
    const Diagnosis &d = printableD;
    std::string out = "# PodPath diagnosis\n\n**" + headline(d) + "**\n\n";
    out += "Mode `" + std::string(toString(d.mode)) + "`, " + (d.recorded ? "recorded " : "started ") +
           orDash(d.startedAt) + (d.recorded ? " (replayed from a recording)" : "") + ".\n\n";
    out += "| | client | server |\n|---|---|---|\n";
    nodeRows(out, d.client, d.server, false);

    out += "\n## Packet path\n\n```\n";
    TerminalStyle plain;
    const std::string picture = renderTerminal(d, plain);
    // Only the lanes: the rest is rendered as tables below.
    auto start = picture.find("          ");
    auto end = picture.find("marks:");
    if (start != std::string::npos && end != std::string::npos)
        out += picture.substr(start, picture.find("\n\n", end) - start) + "\n";
    // One column per stream when the echoes went in several: a count over all of them
    // would add a probe lost earlier to a hop where every echo that reached it was seen.
    const std::vector<std::string> streams = streamColumns(d);
    const bool perStream = streams.size() > 1;
    out += "```\n\n| hop | status |";
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
    out += "\n## Checks\n\n| check | status | detail |\n|---|---|---|\n";
    for (const auto &c : d.checks)
        out += "| `" + c.id + "` | " + std::string(toString(c.status)) + " | " + mdCell(c.detail) + " |\n";
    out += "\n## Timings\n\n";
    for (const auto &t : d.timings)
        out += "- " + t.phase + ": " + std::to_string(t.duration.count()) + " ms\n";
    out += "\n## Commands\n\n";
    for (const auto &c : d.commands) {
        out += "### " + c.node + ": " + c.step + "\n\n";
        const std::string body = "$ " + c.command + "\n" + c.output + (c.errors.empty() ? "" : "\n" + c.errors);
        const std::string fence = fenceFor(body);
        out += fence + "\n" + body + (body.empty() || body.back() == '\n' ? "" : "\n") + fence + "\n";
        out += "exit " + std::to_string(c.exitStatus) + ", " + commandTiming(c) + "\n\n";
    }
    return out;
}

std::string renderHtml(const Diagnosis &fromNodes, const QByteArray &diagramPng)
{
    // Node text reaches the reader only escaped (a node must not drive their terminal).
    const Diagnosis printableD = printableCopy(fromNodes);
    const Diagnosis &d = printableD;
    const char *tone = d.verdict == Verdict::Pass ? "pass" : d.verdict == Verdict::Fail ? "fail" : "unknown";
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>PodPath diagnosis</title>\n<style>\n"
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#1b1b1b;background:#fff}\n"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}\n"
        "pre{background:#f4f4f4;padding:.6em;overflow-x:auto;white-space:pre-wrap}\n"
        ".pass{color:#0b6e2e}.fail{color:#b00020;font-weight:bold}.unknown{color:#8a5a00}.skipped{color:#666}\n"
        ".verdict{font-size:1.3em;padding:.5em;border-left:6px solid currentColor}\n"
        "details{margin:.3em 0}img{max-width:100%}\n"
        "@media (prefers-color-scheme: dark){body{background:#161616;color:#e6e6e6}pre{background:#262626}"
        "td,th{border-color:#444}.pass{color:#5fd38a}.fail{color:#ff6b81}.unknown{color:#f0c060}}\n"
        "</style></head><body>\n<h1>PodPath diagnosis</h1>\n";
    out += "<p class=\"verdict " + std::string(tone) + "\">" + html(headline(d)) + "</p>\n";
    out += "<p>Mode <code>" + html(toString(d.mode)) + "</code>, " + (d.recorded ? "recorded " : "started ") +
           html(orDash(d.startedAt)) + (d.recorded ? " (replayed from a recording)" : "") + ".</p>\n";
    if (!diagramPng.isEmpty())
        out += "<p><img alt=\"packet path diagram\" src=\"data:image/png;base64," + diagramPng.toBase64().toStdString() +
               "\"></p>\n";
    out += "<table><tr><th></th><th>client</th><th>server</th></tr>\n";
    nodeRows(out, d.client, d.server, true);
    const std::vector<std::string> streams = streamColumns(d);
    const bool perStream = streams.size() > 1;
    out += "</table>\n<h2>Packet path</h2>\n<table><tr><th>hop</th><th>status</th>";
    if (perStream)
        for (const auto &s : streams)
            out += "<th>" + html(s) + "</th>";
    else
        out += "<th>seen</th>";
    out += "<th>explanation</th><th>evidence</th></tr>\n";
    for (const auto &h : d.hops) {
        out += "<tr><td>" + html(hopInfo(h.id).title) + "<br><small><code>" + html(hopInfo(h.id).key) +
               "</code></small></td><td class=\"" + html(toString(h.status)) + "\">" + html(hopMark(h.status)) + "</td>";
        if (perStream)
            for (std::size_t i = 0; i < streams.size(); ++i)
                out += std::string("<td class=\"") +
                       fateClass(i < h.streams.size() ? streamFate(h.streams[i]) : StreamFate::NoEvidence) + "\">" +
                       html(streamCell(h, i)) + "</td>";
        else
            out += "<td>" + std::to_string(h.seen) + "/" + std::to_string(h.expected) + "</td>";
        out += "<td>" + html(h.explanation) + "</td><td>";
        if (!h.evidence.empty()) {
            out += "<details><summary>" + std::to_string(h.evidence.size()) + " lines</summary><pre>";
            for (const auto &e : h.evidence)
                out += html(e) + "\n";
            out += "</pre></details>";
        }
        out += "</td></tr>\n";
    }
    out += "</table>\n<h2>Findings</h2>\n";
    if (d.findings.empty())
        out += "<p>None.</p>\n";
    for (const auto &f : d.findings) {
        const char *ftone = f.severity >= Severity::Error ? "fail" : f.severity == Severity::Warning ? "unknown" : "pass";
        out += "<h3 class=\"" + std::string(ftone) + "\">" + html(f.code) + "</h3>\n<p>" + html(f.message) +
               " <small>(" + html(toString(f.severity)) + ", at " + html(blamedName(f.blames)) + " <code>" + html(f.blames) + "</code>)</small></p>\n";
        if (!f.evidence.empty()) {
            out += "<pre>";
            for (const auto &e : f.evidence)
                out += html(e) + "\n";
            out += "</pre>\n";
        }
        if (!f.nextStep.empty())
            out += "<p><b>Next step:</b> " + html(f.nextStep) + "</p>\n";
    }
    out += "<h2>Checks</h2>\n<table><tr><th>check</th><th>status</th><th>detail</th></tr>\n";
    for (const auto &c : d.checks)
        out += "<tr><td><code>" + html(c.id) + "</code></td><td class=\"" + html(toString(c.status)) + "\">" +
               html(toString(c.status)) + "</td><td>" + html(c.detail) + "</td></tr>\n";
    out += "</table>\n<h2>Timings</h2>\n<ul>\n";
    for (const auto &t : d.timings)
        out += "<li>" + html(t.phase) + ": " + std::to_string(t.duration.count()) + " ms</li>\n";
    out += "</ul>\n<h2>Commands</h2>\n";
    for (const auto &c : d.commands) {
        out += "<details><summary>" + html(c.node) + ": " + html(c.step) + " (exit " + std::to_string(c.exitStatus) +
               ", " + html(commandTiming(c)) + ")</summary><pre>$ " + html(c.command) + "\n" +
               html(c.output) + (c.errors.empty() ? "" : "\n" + html(c.errors)) + "</pre></details>\n";
    }
    out += "</body></html>\n";
    return out;
}

} // namespace podpath::report
