#pragma once
// The cluster matrix as a document for an incident ticket: Markdown to paste, or one
// self-contained HTML file to attach. In order: the title (the cluster by its node count
// and first nodes, the time), the verdict counted as the terminal counts it, the matrix
// (HTML: a table coloured by the status palette whose cells that did not pass link to
// their pair; Markdown: a table of marks) with its legend, what the failing pairs have in
// common, the nodes, then every pair that did not pass in the two-node report's words
// (document_report.h), failing pairs first; an appendix gives each node's commands with
// their raw output once, not once per pair. Hops are named by their titles, never by id.

#include "diagnose/matrix_engine.h"

#include <QByteArray>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace podpath::report {

// Failing pairs whose path diagram the HTML embeds, the first in the document's order:
// enough to see what they share, few enough that the file can still be attached.
inline constexpr std::size_t kMatrixDiagrams = 12;

// "PodPath cluster matrix: 6 nodes (pplab-node1, pplab-node2, pplab-node3, ...),
// 2026-11-25 17:10 UTC, recorded": the HTML's <title> and the documents' first heading.
std::string matrixReportTitle(const diagnose::ClusterMatrix &m);

// The pairs that did not pass, as the document gives them: failing first, then not
// proven, then could not be judged; client-major within each.
std::vector<const diagnose::MatrixCell *> pairsNotPassing(const diagnose::ClusterMatrix &m);
// "pair-2-5": the anchor of a pair's section (nodes numbered from 1, as in the table).
std::string pairAnchor(const diagnose::MatrixCell &c);

struct MatrixHtmlOptions {
    // A failing pair's path diagram as PNG (the app passes the widgets' report diagram);
    // asked only for the first kMatrixDiagrams failing pairs. Unset: no pictures.
    std::function<QByteArray(const diagnose::Diagnosis &)> diagram;
    int diagramWidth = 0;  // CSS pixels; 0: the picture's own width, at most the page's
};

std::string renderMatrixMarkdown(const diagnose::ClusterMatrix &m);
std::string renderMatrixHtml(const diagnose::ClusterMatrix &m, const MatrixHtmlOptions &options = {});

} // namespace podpath::report
