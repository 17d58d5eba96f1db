#pragma once
// Timestamps as log lines write them, made comparable. Shared by the log parsers: the
// same node prints ISO stamps (Calico, CRI), syslog stamps without a year (journal),
// klog stamps ("I1123 08:00:01.205123") and svlogd/tai64n stamps (runit services).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podpath::parse {

struct LogTimestamp {
    std::string text;          // exactly as written in the line
    // Microseconds since 1970-01-01 00:00:00 of the wall clock written. When the text
    // carries a zone (Z, +08:00) the value is converted to UTC; without one it is the
    // node's own clock as printed (UTC inside calico-node and on most nodes).
    std::int64_t micros = 0;
    bool zoneKnown = false;
    bool yearAssumed = false;  // syslog and klog stamps carry no year
};

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t daysFromCivil(int year, unsigned month, unsigned day);

// "2026-11-23T08:00:01.205123456Z", "2026-11-23 08:00:01.205", "2016-05-03T03:38:07+08:00",
// "2016-06-09_06:54:34.69256" (svlogd -tt), "2016-02-09 15:55:06,095", "2026-11-23T08:00:01+0000".
// The whole string must be the timestamp.
std::optional<LogTimestamp> parseIsoTimestamp(std::string_view text);

// "Nov 23 08:00:01" or "Nov  3 08:00:01.205123" (journalctl short / short-precise).
std::optional<LogTimestamp> parseSyslogTimestamp(std::string_view text, int year);

// klog's "1123" (month, day) and "08:00:01.205123".
std::optional<LogTimestamp> parseKlogTimestamp(std::string_view monthDay, std::string_view clock, int year);

// "@4000000058a4b8c12c5a7d54" (svlogd -t, tai64n). runit stamps 2^62 + 10 + Unix time
// (leap seconds ignored), so this is the inverse of what svlogd wrote, not true TAI.
std::optional<LogTimestamp> parseTai64nTimestamp(std::string_view text);

// For a "since" field typed by a person or taken from another tool: any of the forms above
// (the syslog and klog forms need the year). Returns the comparable value.
std::optional<std::int64_t> parseAnyTimestamp(std::string_view text, int yearForYearless);

// Year of a comparable value (for carrying the year to yearless stamps).
int yearOf(std::int64_t micros);

// The one way PodPath shows a comparable value to a person: "2026-11-23 08:00:01.205"
// (UTC, milliseconds), the same form as the diagram's "started 2026-11-23 08:00:01 UTC".
// `fractionDigits` 0 drops the fraction (clamped to 0..6).
std::string formatTimestamp(std::int64_t micros, int fractionDigits = 3);

} // namespace podpath::parse
