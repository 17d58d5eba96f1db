#pragma once
// The diagnosis as a document for a ticket: Markdown to paste, or one self-contained
// HTML file (inline CSS, the diagram embedded as a data: URI) to attach. Same content in
// both: verdict, hops, findings with evidence, checks, timings, every command and its
// raw output.

#include "diagnose/diagnosis.h"

#include <QByteArray>
#include <string>

namespace podpath::report {

std::string renderMarkdown(const diagnose::Diagnosis &d);
// diagramPng may be empty (no picture section then).
std::string renderHtml(const diagnose::Diagnosis &d, const QByteArray &diagramPng = {});

} // namespace podpath::report
