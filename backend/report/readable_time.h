#pragma once
// The one form the reports (terminal picture, Markdown, HTML, PDF) write a time in:
// "2026-11-25 17:10:33 UTC", as the diagram's header and the log view do, never the
// JSON's ISO "2026-11-25T17:10:33Z" beside it.

#include <string>
#include <string_view>

namespace podpath::report {

// "2026-11-25T17:10:33Z" -> "2026-11-25 17:10:33 UTC"; without seconds (titles)
// "2026-11-25 17:10 UTC". A text that is not such a time is returned as it is.
std::string readableTime(std::string_view iso, bool seconds = true);

} // namespace podpath::report
