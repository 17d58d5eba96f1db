#include "status_palette.h"

#include <cstdio>

namespace podpath::report {

using diagnose::Status;

std::uint32_t statusColor(const StatusPalette &p, Status s)
{
    switch (s) {
    case Status::Pass: return p.pass;
    case Status::Fail: return p.fail;
    case Status::Unknown: return p.unknown;
    case Status::Skipped: return p.skipped;
    }
    return p.unknown;
}

std::string cssColor(std::uint32_t rgb)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%06x", unsigned(rgb & 0xffffffu));
    return buf;
}

std::string_view statusMark(Status s)
{
    switch (s) {
    case Status::Pass: return "\u2713";     // check mark
    case Status::Fail: return "\u2717";     // ballot x
    case Status::Unknown: return "?";
    case Status::Skipped: return "\u2013";  // en dash
    }
    return "?";
}

std::string_view statusWord(Status s)
{
    switch (s) {
    case Status::Pass: return "ok";
    case Status::Fail: return "FAIL";
    case Status::Unknown: return "no evidence";
    case Status::Skipped: return "skipped";
    }
    return "no evidence";
}

} // namespace podpath::report
