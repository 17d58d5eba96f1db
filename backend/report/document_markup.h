#pragma once
// The markup both documents are written in (the two-node report, document_report.h, and
// the cluster matrix's, matrix_document.h): escaping for HTML and Markdown, fences that
// raw output cannot close, and the one style sheet, so the two read alike in a ticket.

#include <string>
#include <string_view>

namespace podpath::report {

// Text as HTML element content or an attribute value.
std::string htmlEscaped(std::string_view s);
// Text as one cell of a Markdown pipe table: its bars escaped, its lines joined by <br>.
std::string markdownCell(std::string_view s);
// A Markdown heading's hashes: "##" for level 2.
std::string markdownHashes(int level);
// A code fence longer than any run of backticks inside s, so s cannot close it.
std::string fenceFor(std::string_view s);
// Raw output for paper: long tokens given invisible break opportunities (see the .cpp).
std::string withBreaks(std::string_view raw);
// The documents' style sheet: screen (light and dark) or, `forPrint`, the subset
// QTextDocument lays out for the PDF.
std::string documentCss(bool forPrint);

} // namespace podpath::report
