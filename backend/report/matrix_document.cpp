#include "matrix_document.h"

#include "document_markup.h"
#include "document_report.h"
#include "matrix_report.h"
#include "readable_time.h"
#include "status_palette.h"

#include "core/printable.h"

#include <algorithm>

namespace podpath::report {

using namespace diagnose;

namespace {

// Nodes named in the title: enough to tell one cluster's ticket from another's.
constexpr std::size_t kTitleNodes = 3;

std::string shownName(const MatrixNode &n) { return printable(nodeName(n.facts)); }

std::string numbered(const ClusterMatrix &m, std::size_t i) { return std::to_string(i + 1) + " " + shownName(m.nodes[i]); }

std::string pairHeading(const ClusterMatrix &m, const MatrixCell &c)
{
    return shownName(m.nodes[c.client]) + " \u2192 " + shownName(m.nodes[c.server]);
}

// The whole matrix as its exit status judges it: the verdict's word, mark and tone.
struct Overall {
    std::string_view word, mark, tone;
};

Overall overall(const ClusterMatrix &m)
{
    switch (matrixExitStatus(m)) {
    case 0: return {"PASS", statusMark(Status::Pass), "pass"};
    case 1: return {"FAIL", statusMark(Status::Fail), "fail"};
    }
    return {"NOT PROVEN", statusMark(Status::Unknown), "unknown"};
}

std::string verdictLine(const ClusterMatrix &m) { return std::string(overall(m).word) + ": " + matrixCounts(m); }

std::string whenLine(const ClusterMatrix &m)
{
    const std::string &at = m.startedAt;  // a replay: when it was recorded (the engine dates it so)
    if (at.empty())
        return {};
    return m.recorded ? "Recorded " + readableTime(at) + " (replayed from a recording)." : "Started " + readableTime(at) + ".";
}

// The mode the node's pairs ran in; a node without pairs has none.
std::string modeOf(const ClusterMatrix &m, std::size_t node)
{
    for (const auto &c : m.cells)
        if (c.client == node || c.server == node)
            return std::string(toString(c.diagnosis.mode));
    return "not known";
}

std::string tunnelOf(const MatrixNode &n)
{
    if (n.facts.tunnelDevice.empty())
        return n.facts.tunnelIp ? n.facts.tunnelIp->toString() : "none";
    return printable(n.facts.tunnelDevice) + (n.facts.tunnelIp ? " " + n.facts.tunnelIp->toString() : "");
}

std::string problemOf(const MatrixNode &n) { return n.problem.empty() ? "none" : printable(n.problem); }

// The cell's colour class, as the window's colour map: the status palette's hue per verdict.
const char *cellClass(const ClusterMatrix &m, std::size_t client, std::size_t server)
{
    if (client == server)
        return "self";
    const MatrixCell *c = m.cell(client, server);
    if (!c)
        return "unjudged";
    switch (c->diagnosis.verdict) {
    case Verdict::Pass: return "ok";
    case Verdict::Fail: return "bad";
    case Verdict::Incomplete: return "unproven";
    case Verdict::Error: return "unjudged";
    }
    return "unproven";
}

std::string matrixCss()
{
    const StatusPalette &p = kLightPalette;
    // White marks on the hues (each 4.5:1 or more against white); the node itself grey.
    return "table.matrix td.cell{font-family:monospace;font-weight:bold;text-align:center;color:#fff}\n"
           "table.matrix td.cell a{color:#fff}\n"
           "td.ok{background:" + cssColor(p.pass) + "}td.bad{background:" + cssColor(p.fail) + "}td.unproven{background:" +
           cssColor(p.unknown) + "}td.unjudged{background:" + cssColor(p.warning) + "}table.matrix td.self{background:#e6e8eb;color:#57606a}\n";
}

std::string diagramsNote(std::size_t failing, std::size_t drawn)
{
    if (drawn == 0)
        return {};
    if (drawn == failing)
        return "Each failing pair has its path diagram (at most the first " + std::to_string(kMatrixDiagrams) +
               " would be drawn, to keep this file small enough to attach).";
    return "The first " + std::to_string(drawn) + " of the " + std::to_string(failing) +
           " failing pairs have their path diagram, to keep this file small enough to attach; every pair has its "
           "findings, hops and checks.";
}

const BodyOptions kPairBody{4, false, false};

} // namespace

std::string matrixReportTitle(const ClusterMatrix &m)
{
    std::string t = "PodPath cluster matrix: " + std::to_string(m.nodes.size()) + " nodes (";
    for (std::size_t i = 0; i < m.nodes.size() && i < kTitleNodes; ++i)
        t += (i ? ", " : "") + shownName(m.nodes[i]);
    t += m.nodes.size() > kTitleNodes ? ", \u2026)" : ")";
    if (const std::string &at = m.startedAt; !at.empty())
        t += ", " + readableTime(at, false);
    if (m.recorded)
        t += ", recorded";
    return t;
}

std::vector<const MatrixCell *> pairsNotPassing(const ClusterMatrix &m)
{
    std::vector<const MatrixCell *> out;
    for (const Verdict v : {Verdict::Fail, Verdict::Incomplete, Verdict::Error})
        for (const auto &c : m.cells)
            if (c.diagnosis.verdict == v)
                out.push_back(&c);
    return out;
}

std::string pairAnchor(const MatrixCell &c)
{
    return "pair-" + std::to_string(c.client + 1) + "-" + std::to_string(c.server + 1);
}

std::string renderMatrixMarkdown(const ClusterMatrix &m)
{
    const std::size_t n = m.nodes.size();
    const Overall o = overall(m);
    std::string out = "# " + matrixReportTitle(m) + "\n\n**" + std::string(o.mark) + " " + verdictLine(m) + "**\n\n";
    if (const std::string when = whenLine(m); !when.empty())
        out += when + "\n\n";

    out += "## Matrix\n\n" + std::string(kMatrixAxes) + " A pair that did not pass links to its section below.\n\n";
    out += "| client \\ server |";
    std::string rule = "|---|";
    for (std::size_t j = 0; j < n; ++j) {
        out += " " + std::to_string(j + 1) + " |";
        rule += ":---:|";
    }
    out += "\n" + rule + "\n";
    for (std::size_t i = 0; i < n; ++i) {
        out += "| " + markdownCell(numbered(m, i)) + " |";
        for (std::size_t j = 0; j < n; ++j) {
            const std::string mark = "`" + matrixMark(m, i, j) + "`";
            const MatrixCell *c = m.cell(i, j);
            out += " " + (c && c->diagnosis.verdict != Verdict::Pass ? "[" + mark + "](#" + pairAnchor(*c) + ")" : mark) + " |";
        }
        out += "\n";
    }
    out += "\nMarks: " + std::string(kMatrixMarks) + "\n\nHops: " + std::string(kMatrixHopNumbers) + "\n";

    out += "\n## What the failing pairs have in common\n\n";
    if (m.patterns.empty())
        out += m.count(Verdict::Fail) ? "Nothing: each failing pair is on its own (below).\n" : "No pair failed.\n";
    for (const auto &pt : m.patterns)
        out += "- **" + printable(pt.message) + "**\n  - Next step: " + printable(pt.nextStep) + "\n";

    out += "\n## Nodes\n\n| | node | host | node address | tunnel | mode | problem |\n|---|---|---|---|---|---|---|\n";
    for (std::size_t i = 0; i < n; ++i) {
        const MatrixNode &node = m.nodes[i];
        out += "| " + std::to_string(i + 1) + " | " + markdownCell(shownName(node)) + " | " + markdownCell(printable(node.host)) +
               " | " + (node.facts.nodeIp ? node.facts.nodeIp->toString() : "not known") + " | " + markdownCell(tunnelOf(node)) +
               " | " + modeOf(m, i) + " | " + markdownCell(problemOf(node)) + " |\n";
    }

    const auto bad = pairsNotPassing(m);
    out += "\n## Pairs that did not pass (" + std::to_string(bad.size()) + ")\n\n";
    out += bad.empty() ? "Every pair passed.\n"
                       : "Failing pairs first, then those not proven, then those that could not be judged.\n";
    for (const MatrixCell *c : bad)
        out += "\n<a id=\"" + pairAnchor(*c) + "\"></a>\n\n### " + pairHeading(m, *c) + "\n\n" +
               renderMarkdownBody(c->diagnosis, kPairBody);

    out += "\n## " + std::string(kAppendixHeading) + "\n\n";
    out += "Every command PodPath ran on each node, once for all of the node's pairs, in order, with its output as the "
           "node printed it.\n\n";
    if (!m.timings.empty()) {
        out += "Timings:\n\n";
        for (const auto &t : m.timings)
            out += "- " + t.phase + ": " + std::to_string(t.duration.count()) + " ms\n";
        out += "\n";
    }
    for (std::size_t i = 0; i < n; ++i) {
        out += "### " + numbered(m, i) + "\n\n";
        if (!m.nodes[i].problem.empty())
            out += "No pairs: " + printable(m.nodes[i].problem) + "\n\n";
        out += renderMarkdownCommands(m.nodes[i].commands, 4, false);
    }
    return out;
}

std::string renderMatrixHtml(const ClusterMatrix &m, const MatrixHtmlOptions &options)
{
    const std::size_t n = m.nodes.size();
    const Overall o = overall(m);
    const std::string title = matrixReportTitle(m);
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                      htmlEscaped(title) + "</title>\n<style>\n" + documentCss(false) + matrixCss() +
                      "</style></head><body>\n<h1>" + htmlEscaped(title) + "</h1>\n";
    out += "<p class=\"verdict " + std::string(o.tone) + "\"><span class=\"mark\">" + htmlEscaped(o.mark) + "</span> " +
           htmlEscaped(verdictLine(m)) + "</p>\n";
    if (const std::string when = whenLine(m); !when.empty())
        out += "<p>" + htmlEscaped(when) + "</p>\n";

    out += "<h2>Matrix</h2>\n<p>" + htmlEscaped(kMatrixAxes) + " A pair that did not pass links to its section below.</p>\n";
    out += "<table class=\"matrix\"><tr><th>client \\ server</th>";
    for (std::size_t j = 0; j < n; ++j)
        out += "<th>" + htmlEscaped(numbered(m, j)) + "</th>";
    out += "</tr>\n";
    for (std::size_t i = 0; i < n; ++i) {
        out += "<tr><th>" + htmlEscaped(numbered(m, i)) + "</th>";
        for (std::size_t j = 0; j < n; ++j) {
            const std::string mark = htmlEscaped(matrixMark(m, i, j));
            const MatrixCell *c = m.cell(i, j);
            out += "<td class=\"cell " + std::string(cellClass(m, i, j)) + "\"";
            if (i != j)
                out += " title=\"" + htmlEscaped(shownName(m.nodes[i]) + " \u2192 " + shownName(m.nodes[j])) + "\"";
            out += ">" + (c && c->diagnosis.verdict != Verdict::Pass ? "<a href=\"#" + pairAnchor(*c) + "\">" + mark + "</a>" : mark) +
                   "</td>";
        }
        out += "</tr>\n";
    }
    out += "</table>\n<p><b>Marks:</b> " + htmlEscaped(kMatrixMarks) + "</p>\n<p><b>Hops:</b> " +
           htmlEscaped(kMatrixHopNumbers) + "</p>\n";

    out += "<h2>What the failing pairs have in common</h2>\n";
    if (m.patterns.empty())
        out += m.count(Verdict::Fail) ? "<p>Nothing: each failing pair is on its own (below).</p>\n" : "<p>No pair failed.</p>\n";
    for (const auto &pt : m.patterns)
        out += "<p class=\"fail\"><b>" + htmlEscaped(printable(pt.message)) + "</b></p>\n<p><b>Next step:</b> " +
               htmlEscaped(printable(pt.nextStep)) + "</p>\n";

    out += "<h2>Nodes</h2>\n<table><tr><th></th><th>node</th><th>host</th><th>node address</th><th>tunnel</th><th>mode</th>"
           "<th>problem</th></tr>\n";
    for (std::size_t i = 0; i < n; ++i) {
        const MatrixNode &node = m.nodes[i];
        out += "<tr><td>" + std::to_string(i + 1) + "</td><td>" + htmlEscaped(shownName(node)) + "</td><td>" +
               htmlEscaped(printable(node.host)) + "</td><td>" +
               (node.facts.nodeIp ? node.facts.nodeIp->toString() : "not known") + "</td><td>" + htmlEscaped(tunnelOf(node)) +
               "</td><td>" + htmlEscaped(modeOf(m, i)) + "</td><td" + (node.problem.empty() ? "" : " class=\"fail\"") + ">" +
               htmlEscaped(problemOf(node)) + "</td></tr>\n";
    }
    out += "</table>\n";

    const auto bad = pairsNotPassing(m);
    const std::size_t failing = std::size_t(m.count(Verdict::Fail));
    const std::size_t drawn = options.diagram ? std::min(failing, kMatrixDiagrams) : 0;
    out += "<h2>Pairs that did not pass (" + std::to_string(bad.size()) + ")</h2>\n<p>" +
           (bad.empty() ? std::string("Every pair passed.")
                        : "Failing pairs first, then those not proven, then those that could not be judged. " +
                              diagramsNote(failing, drawn)) +
           "</p>\n";
    for (std::size_t k = 0; k < bad.size(); ++k) {
        const MatrixCell &c = *bad[k];
        HtmlOptions pair;
        if (k < drawn) {  // failing pairs come first: the first `drawn` are failing
            pair.diagramPng = options.diagram(c.diagnosis);
            pair.diagramWidth = options.diagramWidth;
        }
        out += "<h3 id=\"" + pairAnchor(c) + "\">" + htmlEscaped(pairHeading(m, c)) + "</h3>\n" +
               renderHtmlBody(c.diagnosis, pair, kPairBody);
    }

    out += "<h2 class=\"appendix\">" + htmlEscaped(kAppendixHeading) + "</h2>\n<p>Every command PodPath ran on each node, "
           "once for all of the node's pairs, in order, with its output as the node printed it.</p>\n";
    if (!m.timings.empty()) {
        out += "<p>Timings: ";
        for (std::size_t i = 0; i < m.timings.size(); ++i)
            out += (i ? ", " : "") + htmlEscaped(m.timings[i].phase) + " " + std::to_string(m.timings[i].duration.count()) + " ms";
        out += ".</p>\n";
    }
    for (std::size_t i = 0; i < n; ++i) {
        out += "<h3>" + htmlEscaped(numbered(m, i)) + "</h3>\n";
        if (!m.nodes[i].problem.empty())
            out += "<p>No pairs: " + htmlEscaped(printable(m.nodes[i].problem)) + "</p>\n";
        out += renderHtmlCommands(m.nodes[i].commands, false, 4, false);
    }
    out += "</body></html>\n";
    return out;
}

} // namespace podpath::report
