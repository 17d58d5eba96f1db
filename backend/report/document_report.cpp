#include "document_report.h"

#include "document_markup.h"
#include "hop_words.h"
#include "printable_diagnosis.h"
#include "readable_time.h"
#include "status_palette.h"
#include "terminal_picture.h"

#include <algorithm>
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
            out += "<tr><th>" + std::string(r.label) + "</th><td>" + htmlEscaped(r.client) + "</td><td>" + htmlEscaped(r.server) + "</td></tr>\n";
        else
            out += "| " + std::string(r.label) + " | " + markdownCell(r.client) + " | " + markdownCell(r.server) + " |\n";
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
    return "<td class=\"status " + std::string(fateClass(f)) + "\"><span class=\"mark\">" + htmlEscaped(fateMark(f)) +
           "</span>&nbsp;" + htmlEscaped(fateWord(f)) + "</td>";
}

std::string statusCell(Status s)
{
    return "<td class=\"status " + std::string(toString(s)) + "\"><span class=\"mark\">" + htmlEscaped(statusMark(s)) + "</span>&nbsp;" +
           htmlEscaped(statusWord(s)) + "</td>";
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

namespace {

// Each takes what a node said already made printable (printableCopy): node text reaches
// the reader only escaped (a node must not drive their terminal).

std::string markdownBody(const Diagnosis &d, const BodyOptions &b)
{
    const std::string h = markdownHashes(b.headingLevel) + " ";
    std::string out = "**" + std::string(verdictMark(d.verdict)) + " " + headline(d) + "**\n\n";
    const std::string when = whenLine(d);
    out += "Mode `" + std::string(toString(d.mode)) + "`" + (when.empty() ? "" : ", " + when) + ".\n\n";

    out += h + "Packet path\n\n```\n";
    TerminalStyle plain;
    const std::string picture = renderTerminal(d, plain);
    // Only the lanes: the rest is rendered as tables below.
    auto start = picture.find("          ");
    auto end = picture.find("marks:");
    if (start != std::string::npos && end != std::string::npos)
        out += picture.substr(start, picture.find("\n\n", end) - start) + "\n";
    out += "```\n";

    out += "\n" + h + "Findings\n\n";
    if (d.findings.empty())
        out += "None.\n";
    for (const auto &f : d.findings) {
        // The finding in its own words; where, how bad and its code (for JSON and search) after.
        out += "- **" + std::string(severityMark(f.severity)) + " " + findingHeading(f) + "** (" +
               std::string(toString(f.severity)) + ", at " + blamedName(f.blames, tunnelled(d.mode)) +
               (b.ids ? " `" + f.blames + "`" : "") + ") `" + f.code + "`\n";
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
    out += "\n" + h + "Hops\n\n";
    if (perStream)
        out += streamsKey(d) + ".\n\n";  // our own words: nothing Markdown would read
    out += "| hop | status |";
    std::string rule = "|---|---|";
    if (perStream) {
        for (const auto &s : streams) {
            out += " " + markdownCell(streamHeading(s)) + " |";
            rule += "---|";
        }
    } else {
        out += " seen |";
        rule += "---|";
    }
    out += " explanation |\n" + rule + "---|\n";
    for (const HopId hopId : d.path()) {
        const HopVerdict &hv = d.hop(hopId);
        out += "| " + std::string(hopInfo(hv.id).title) + (b.ids ? " `" + std::string(hopInfo(hv.id).key) + "`" : "") +
               " | " + std::string(streamMark(hopFate(hv))) + " | ";
        if (perStream)
            for (std::size_t i = 0; i < streams.size(); ++i)
                out += markdownCell(streamCell(hv, i)) + " | ";
        else
            out += std::to_string(hv.seen) + "/" + std::to_string(hv.expected) + " | ";
        out += markdownCell(hv.explanation) + " |\n";
    }

    out += "\n" + h + "Checks\n\n| check | status | detail |\n|---|---|---|\n";
    for (const auto &c : d.checks)
        out += "| " + markdownCell(checkTitle(c.id, tunnelled(d.mode))) + (b.ids ? " `" + c.id + "`" : "") + " | " +
               std::string(hopMark(c.status)) + " | " + markdownCell(c.detail) + " |\n";

    if (b.nodes) {
        out += "\n" + h + "Nodes\n\n| | client | server |\n|---|---|---|\n";
        nodeRows(out, d.client, d.server, false);
    }
    return out;
}

std::string markdownCommands(const std::vector<CommandRecord> &commands, int level, bool nodeInHeading)
{
    std::string out;
    for (const auto &c : commands) {
        out += markdownHashes(level) + " " + (nodeInHeading ? c.node + ": " : "") + c.step + "\n\n";
        const std::string body = "$ " + c.command + "\n" + c.output + (c.errors.empty() ? "" : "\n" + c.errors);
        const std::string fence = fenceFor(body);
        out += fence + "\n" + body + (body.empty() || body.back() == '\n' ? "" : "\n") + fence + "\n";
        out += "exit " + std::to_string(c.exitStatus) + ", " + commandTiming(c) + "\n\n";
    }
    if (commands.empty())
        out += "No command ran.\n";
    return out;
}

std::string htmlBody(const Diagnosis &d, const HtmlOptions &o, const BodyOptions &b)
{
    const std::string h = "h" + std::to_string(std::clamp(b.headingLevel, 1, 5));
    const std::string sub = "h" + std::to_string(std::clamp(b.headingLevel + 1, 2, 6));
    std::string out = "<p class=\"verdict " + std::string(verdictTone(d.verdict)) + "\"><span class=\"mark\">" +
                      htmlEscaped(verdictMark(d.verdict)) + "</span> " + htmlEscaped(headline(d)) + "</p>\n";
    const std::string when = whenLine(d);
    out += "<p>Mode <code>" + htmlEscaped(toString(d.mode)) + "</code>" + (when.empty() ? "" : ", " + htmlEscaped(when)) + ".</p>\n";

    std::string src;
    if (!o.diagramUrl.empty())
        src = htmlEscaped(o.diagramUrl);
    else if (!o.diagramPng.isEmpty())
        src = "data:image/png;base64," + o.diagramPng.toBase64().toStdString();
    if (!src.empty())
        out += "<p><img alt=\"The packet path: both nodes, the request and reply lanes, the status of every hop\" src=\"" +
               src + "\"" + (o.diagramWidth > 0 ? " width=\"" + std::to_string(o.diagramWidth) + "\"" : "") + "></p>\n";

    out += "<" + h + ">Findings</" + h + ">\n";
    if (d.findings.empty())
        out += "<p>None.</p>\n";
    for (const auto &f : d.findings) {
        const char *ftone = tone(f.severity);
        // The finding in its own words; its code (for JSON and search) small and grey after them.
        out += "<" + sub + " class=\"" + std::string(ftone) + "\"><span class=\"mark\">" + htmlEscaped(severityMark(f.severity)) +
               "</span> " + htmlEscaped(findingHeading(f)) + " <small class=\"muted\">(" + htmlEscaped(f.code) + ")</small></" +
               sub + ">\n<p class=\"muted\">" + htmlEscaped(capitalised(std::string(toString(f.severity)))) + ", at " +
               htmlEscaped(blamedName(f.blames, tunnelled(d.mode))) +
               (b.ids ? " <code>" + htmlEscaped(f.blames) + "</code>" : "") + ".</p>\n";
        if (!f.nextStep.empty())
            out += "<p><b>Next step:</b> " + htmlEscaped(f.nextStep) + "</p>\n";
        if (!f.evidence.empty()) {
            out += "<pre class=\"evidence\">";
            for (const auto &e : f.evidence)
                out += htmlEscaped(o.forPrint ? withBreaks(e) : e) + "\n";
            out += "</pre>\n";
        }
    }

    const std::vector<StreamAtHop> streams = streamsOf(d);
    const bool perStream = streams.size() > 1;
    out += "<" + h + ">Hops</" + h + ">\n";
    if (perStream)
        out += "<p>" + htmlEscaped(streamsKey(d)) + ".</p>\n";
    out += "<table><tr><th>hop</th><th>status</th>";
    if (perStream)
        for (const auto &s : streams)
            out += "<th>" + htmlEscaped(streamHeading(s)) + "</th>";
    else
        out += "<th>seen</th>";
    out += "<th>explanation</th><th>evidence</th></tr>\n";
    for (const HopId hopId : d.path()) {
        const HopVerdict &hv = d.hop(hopId);
        out += "<tr><td>" + htmlEscaped(hopInfo(hv.id).title) +
               (b.ids ? "<br><small><code>" + htmlEscaped(hopInfo(hv.id).key) + "</code></small>" : "") + "</td>" +
               hopStatusCell(hv);
        if (perStream)
            for (std::size_t i = 0; i < streams.size(); ++i)
                out += std::string("<td class=\"") +
                       fateClass(i < hv.streams.size() ? streamFate(hv.streams[i]) : StreamFate::NoEvidence) + "\">" +
                       htmlEscaped(streamCell(hv, i)) + "</td>";
        else
            out += "<td>" + std::to_string(hv.seen) + "/" + std::to_string(hv.expected) + "</td>";
        out += "<td>" + htmlEscaped(hv.explanation) + "</td><td>";
        if (!hv.evidence.empty()) {
            std::string lines;
            for (const auto &e : hv.evidence)
                lines += htmlEscaped(e) + "\n";
            const std::string cut = evidenceCutNote(d, hv);
            const std::string count = evidenceCount(d, hv);
            // On paper the lines would fill pages of the body: they go to the appendix.
            if (o.forPrint)
                out += capitalised(count) + ", in the appendix";
            else
                out += "<details><summary>" + capitalised(count) + "</summary><pre>" + lines + "</pre>" +
                       (cut.empty() ? "" : "<p class=\"muted\">" + htmlEscaped(cut) + "</p>") + "</details>";
        }
        out += "</td></tr>\n";
    }
    out += "</table>\n";

    out += "<" + h + ">Checks</" + h + ">\n<table><tr><th>check</th><th>status</th><th>detail</th></tr>\n";
    for (const auto &c : d.checks)
        out += "<tr><td>" + htmlEscaped(checkTitle(c.id, tunnelled(d.mode))) +
               (b.ids ? "<br><small><code>" + htmlEscaped(c.id) + "</code></small>" : "") + "</td>" + statusCell(c.status) +
               "<td>" + htmlEscaped(c.detail) + "</td></tr>\n";
    out += "</table>\n";

    if (b.nodes) {
        out += "<" + h + ">Nodes</" + h + ">\n<table><tr><th></th><th>client</th><th>server</th></tr>\n";
        nodeRows(out, d.client, d.server, true);
        out += "</table>\n";
    }
    return out;
}

std::string htmlCommands(const std::vector<CommandRecord> &commands, bool forPrint, int level, bool nodeInHeading)
{
    const std::string h = "h" + std::to_string(std::clamp(level, 1, 6));
    std::string out;
    if (commands.empty())
        out += "<p>No command ran.</p>\n";
    for (const auto &c : commands) {
        const std::string head = (nodeInHeading ? htmlEscaped(c.node) + ": " : "") + htmlEscaped(c.step) + " (exit " +
                                 std::to_string(c.exitStatus) + ", " + htmlEscaped(commandTiming(c)) + ")";
        // On paper long raw tokens get invisible break opportunities; on screen they scroll.
        const auto raw = [&](const std::string &t) { return htmlEscaped(forPrint ? withBreaks(t) : t); };
        const std::string body = "<pre>$ " + raw(c.command) + "\n" + raw(c.output) +
                                 (c.errors.empty() ? "" : "\n" + raw(c.errors)) + "</pre>";
        if (forPrint)
            out += "<" + h + ">" + head + "</" + h + ">\n" + body + "\n";
        else
            out += "<details><summary>" + head + "</summary>" + body + "</details>\n";
    }
    return out;
}

std::vector<CommandRecord> printableCommands(const std::vector<CommandRecord> &fromNode)
{
    Diagnosis carrier;
    carrier.commands = fromNode;
    return printableCopy(carrier).commands;
}

} // namespace

std::string renderMarkdownBody(const Diagnosis &fromNodes, const BodyOptions &body)
{
    return markdownBody(printableCopy(fromNodes), body);
}

std::string renderHtmlBody(const Diagnosis &fromNodes, const HtmlOptions &options, const BodyOptions &body)
{
    return htmlBody(printableCopy(fromNodes), options, body);
}

std::string renderMarkdownCommands(const std::vector<CommandRecord> &fromNode, int headingLevel, bool nodeInHeading)
{
    return markdownCommands(printableCommands(fromNode), headingLevel, nodeInHeading);
}

std::string renderHtmlCommands(const std::vector<CommandRecord> &fromNode, bool forPrint, int headingLevel, bool nodeInHeading)
{
    return htmlCommands(printableCommands(fromNode), forPrint, headingLevel, nodeInHeading);
}

std::string renderMarkdown(const Diagnosis &fromNodes)
{
    const Diagnosis d = printableCopy(fromNodes);
    std::string out = "# " + reportTitle(d) + "\n\n" + markdownBody(d, BodyOptions{});

    out += "\n## " + std::string(kAppendixHeading) + "\n\n";
    out += "Every command PodPath ran, in order, with its output as the node printed it.\n\n";
    if (!d.timings.empty()) {
        out += "Timings:\n\n";
        for (const auto &t : d.timings)
            out += "- " + t.phase + ": " + std::to_string(t.duration.count()) + " ms\n";
        out += "\n";
    }
    return out + markdownCommands(d.commands, 3, true);
}

std::string renderHtml(const Diagnosis &d, const QByteArray &diagramPng)
{
    HtmlOptions o;
    o.diagramPng = diagramPng;
    return renderHtml(d, o);
}

std::string renderHtml(const Diagnosis &fromNodes, const HtmlOptions &o)
{
    const Diagnosis d = printableCopy(fromNodes);
    const std::string title = reportTitle(d);
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                      htmlEscaped(title) + "</title>\n<style>\n" + documentCss(o.forPrint) + "</style></head><body>\n<h1>" +
                      htmlEscaped(title) + "</h1>\n";
    out += htmlBody(d, o, BodyOptions{});

    out += "<h2 class=\"appendix\">" + htmlEscaped(kAppendixHeading) + "</h2>\n<p>" +
           (o.forPrint ? "The packets each hop's capture saw, then every command PodPath ran, in order, with its output "
                         "as the node printed it.</p>\n"
                       : "Every command PodPath ran, in order, with its output as the node printed it.</p>\n");
    if (!d.timings.empty()) {
        out += "<p>Timings: ";
        for (std::size_t i = 0; i < d.timings.size(); ++i)
            out += (i ? ", " : "") + htmlEscaped(d.timings[i].phase) + " " + std::to_string(d.timings[i].duration.count()) + " ms";
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
            out += "<p><b>" + htmlEscaped(hopInfo(h.id).title) + "</b> <code>" + htmlEscaped(hopInfo(h.id).key) + "</code></p>\n"
                   "<pre class=\"evidence\">";
            for (const auto &e : h.evidence)
                out += htmlEscaped(withBreaks(e)) + "\n";
            out += "</pre>\n";
            if (const std::string cut = evidenceCutNote(d, h); !cut.empty())
                out += "<p class=\"muted\">" + htmlEscaped(cut) + "</p>\n";
        }
        if (any)
            out += "<h3>Commands</h3>\n";
    }
    out += htmlCommands(d.commands, o.forPrint, 3, true);
    out += "</body></html>\n";
    return out;
}

} // namespace podpath::report
