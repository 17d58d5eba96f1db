#pragma once
// The diagnosis as a document for a ticket: Markdown to paste, or one self-contained
// HTML file (inline CSS, the diagram embedded as a data: URI) to attach; the PDF is the
// HTML printed (widgets/pdf_report.h). Same content and order in all: the title naming
// both nodes and the time, the verdict, the diagram, the findings with their next steps,
// the hops, the checks, the nodes; then an appendix with the timings and every command
// with its raw output.

#include "diagnose/diagnosis.h"

#include <QByteArray>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::report {

// "PodPath: pplab-node1 → pplab-node2, 2026-11-25 17:10 UTC, recorded": the HTML's
// <title>, the documents' first heading and the PDF's title.
std::string reportTitle(const diagnose::Diagnosis &d);

// The appendix's heading: everything before it is the report's body.
inline constexpr std::string_view kAppendixHeading = "Appendix: raw output";

struct HtmlOptions {
    QByteArray diagramPng;     // embedded as a data: URI; empty and no diagramUrl: no picture
    std::string diagramUrl;    // instead a name the reader resolves (the PDF's document resource)
    int diagramWidth = 0;      // CSS pixels; 0: the picture's own width, at most the page's
    // For QTextDocument (the PDF): its HTML subset, every command's output written out
    // instead of folded in <details>.
    bool forPrint = false;
};

std::string renderMarkdown(const diagnose::Diagnosis &d);
std::string renderHtml(const diagnose::Diagnosis &d, const HtmlOptions &options);
// diagramPng may be empty (no picture then).
std::string renderHtml(const diagnose::Diagnosis &d, const QByteArray &diagramPng = {});

// The report's body without its title and appendix: the verdict, the mode and time, the
// picture (Markdown: the lanes), the findings with their next steps, the hops, the checks
// and the nodes. The cluster matrix's document (matrix_document.h) gives one to every pair
// that did not pass, under that pair's own heading.
struct BodyOptions {
    int headingLevel = 2;  // of "Findings", "Hops", ...; a finding's HTML heading one below
    bool nodes = true;     // the two nodes' table
    // Hop and check ids beside their titles, for a reader who goes on to the JSON; a
    // document about many pairs gives the titles alone.
    bool ids = true;
};
std::string renderMarkdownBody(const diagnose::Diagnosis &d, const BodyOptions &body);
std::string renderHtmlBody(const diagnose::Diagnosis &d, const HtmlOptions &options, const BodyOptions &body);

// Commands with their raw output as the appendix lists them, each under a heading at
// `headingLevel` ("node: step", or the step alone when the node is said above it); in HTML
// folded in <details> unless forPrint.
std::string renderMarkdownCommands(const std::vector<diagnose::CommandRecord> &commands, int headingLevel,
                                   bool nodeInHeading = true);
std::string renderHtmlCommands(const std::vector<diagnose::CommandRecord> &commands, bool forPrint, int headingLevel,
                               bool nodeInHeading = true);

} // namespace podpath::report
