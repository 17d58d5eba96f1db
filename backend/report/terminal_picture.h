#pragma once
// The packet path as plain text, for engineers on SSH-only jump boxes: both nodes, the
// request and reply lanes, a mark per hop, then the checks and findings. ASCII marks so it
// survives any terminal, ticket system and greyscale printer; colour only adds to them.

#include "diagnose/diagnosis.h"

#include <string>

namespace podpath::report {

struct TerminalStyle {
    bool color = false;  // ANSI colours (only when stdout is a terminal)
    int width = 100;     // fold evidence lines to this width
};

std::string renderTerminal(const diagnose::Diagnosis &d, const TerminalStyle &style = {});

// "[ ok ]", "[FAIL]", "[ ?? ]", "[skip]": the hop marks, also used in Markdown.
std::string_view hopMark(diagnose::Status s);
// "[ ok ]", "[FAIL]", "[ -- ]" (did not reach: lost before), "[ ?? ]", "[skip]": one
// stream's mark at a hop, also used in Markdown and HTML.
std::string_view streamMark(diagnose::StreamFate f);

} // namespace podpath::report
