#pragma once
// Text from a node made safe to print: a node's hostname, interface names, log lines and
// command output reach the engineer's terminal and reports, and a node must not be able
// to set the window title, move the cursor, erase the verdict above, or reorder the line
// with bidirectional overrides. Everything that could act on a terminal is shown
// escaped instead: C0 controls and DEL as "\x1b" (newline as "\n", tab as "\t"), C1
// controls and Unicode bidi/isolate controls as "\u{202e}", bytes that are not UTF-8 as
// "\xNN". Other text, UTF-8 included, stays as it is.

#include <string>
#include <string_view>

namespace podpath {

std::string printable(std::string_view text);
// The same for text that is meant to span lines (a command's output): newlines and
// tabs stay.
std::string printableLines(std::string_view text);

// JSON text (as QJsonDocument writes it) made safe for a terminal without changing what
// it means: C1 controls and bidi controls, which JSON may carry raw inside strings, are
// written as \uXXXX escapes. C0 controls are already escaped by any JSON writer.
std::string terminalSafeJson(std::string_view json);

// True when printable(text) would change nothing (cheap check before copying).
bool isPrintable(std::string_view text);

} // namespace podpath
