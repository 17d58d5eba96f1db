#include "parse/log_time.h"

#include "parse/text.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace podpath::parse {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1000000;

bool allDigits(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

std::optional<unsigned> digits(std::string_view s, std::size_t count)
{
    if (s.size() != count || !allDigits(s))
        return std::nullopt;
    return text::toUnsigned<unsigned>(s);
}

unsigned daysInMonth(int year, unsigned month)
{
    static constexpr std::array<unsigned, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

// "08:00:01", "08:00:01.205", "08:00:01,095", "08:00:01.205123456": micros since midnight.
std::optional<std::int64_t> clockMicros(std::string_view s)
{
    if (s.size() < 8 || s[2] != ':' || s[5] != ':')
        return std::nullopt;
    auto h = digits(s.substr(0, 2), 2), m = digits(s.substr(3, 2), 2), sec = digits(s.substr(6, 2), 2);
    if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60)
        return std::nullopt;
    std::int64_t micros = 0;
    if (s.size() > 8) {
        if (s[8] != '.' && s[8] != ',')
            return std::nullopt;
        auto frac = s.substr(9);
        if (frac.empty() || frac.size() > 9 || !allDigits(frac))
            return std::nullopt;
        std::int64_t scale = 100000;
        for (std::size_t i = 0; i < frac.size() && i < 6; ++i, scale /= 10)
            micros += (frac[i] - '0') * scale;
    }
    return ((std::int64_t(*h) * 60 + *m) * 60 + *sec) * kMicrosPerSecond + micros;
}

std::optional<std::int64_t> dateMicros(int year, unsigned month, unsigned day)
{
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        return std::nullopt;
    return daysFromCivil(year, month, day) * 86400 * kMicrosPerSecond;
}

std::optional<unsigned> monthFromName(std::string_view name)
{
    static constexpr std::array<std::string_view, 12> names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (unsigned i = 0; i < names.size(); ++i)
        if (names[i] == name)
            return i + 1;
    return std::nullopt;
}

// "Z", "+08:00", "-0500": offset east of UTC in seconds.
std::optional<std::int64_t> zoneOffset(std::string_view z)
{
    if (z == "Z" || z == "z")
        return 0;
    if (z.size() != 6 && z.size() != 5)
        return std::nullopt;
    if (z[0] != '+' && z[0] != '-')
        return std::nullopt;
    auto hh = digits(z.substr(1, 2), 2);
    auto mm = digits(z.size() == 6 ? z.substr(4, 2) : z.substr(3, 2), 2);
    if (!hh || !mm || *hh > 23 || *mm > 59 || (z.size() == 6 && z[3] != ':'))
        return std::nullopt;
    std::int64_t secs = (std::int64_t(*hh) * 60 + *mm) * 60;
    return z[0] == '-' ? -secs : secs;
}

} // namespace

std::int64_t daysFromCivil(int year, unsigned month, unsigned day)
{
    const std::int64_t y = std::int64_t(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (month + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int yearOf(std::int64_t micros)
{
    // Inverse of daysFromCivil, year part only.
    std::int64_t z = micros / (86400 * kMicrosPerSecond);
    if (micros < 0 && micros % (86400 * kMicrosPerSecond) != 0)
        --z;
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    return int(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

std::string formatTimestamp(std::int64_t micros, int fractionDigits)
{
    constexpr std::int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;
    std::int64_t days = micros / kMicrosPerDay, inDay = micros % kMicrosPerDay;
    if (inDay < 0) {
        inDay += kMicrosPerDay;
        --days;
    }
    // Inverse of daysFromCivil (Howard Hinnant's civil_from_days).
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const std::int64_t secs = inDay / kMicrosPerSecond;
    char out[64];
    int n = std::snprintf(out, sizeof out, "%04lld-%02d-%02d %02lld:%02lld:%02lld", static_cast<long long>(year), month,
                          day, static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                          static_cast<long long>(secs % 60));
    const int digits = std::clamp(fractionDigits, 0, 6);
    if (digits > 0) {
        std::int64_t fraction = inDay % kMicrosPerSecond;
        for (int i = digits; i < 6; ++i)
            fraction /= 10;
        n += std::snprintf(out + n, sizeof out - std::size_t(n), ".%0*lld", digits, static_cast<long long>(fraction));
    }
    return std::string(out, std::size_t(n));
}

std::optional<LogTimestamp> parseIsoTimestamp(std::string_view s)
{
    // YYYY-MM-DD, then T, space or _ (svlogd), then the clock, then an optional zone.
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ' && s[10] != '_'))
        return std::nullopt;
    auto y = digits(s.substr(0, 4), 4), mo = digits(s.substr(5, 2), 2), d = digits(s.substr(8, 2), 2);
    if (!y || !mo || !d)
        return std::nullopt;
    auto date = dateMicros(int(*y), *mo, *d);
    if (!date)
        return std::nullopt;
    auto rest = s.substr(11);
    auto zoneAt = rest.find_first_of("Zz+-", 8);
    auto clock = rest.substr(0, zoneAt);
    auto t = clockMicros(clock);
    if (!t)
        return std::nullopt;
    LogTimestamp ts{std::string(s), *date + *t, false, false};
    if (zoneAt != std::string_view::npos) {
        auto off = zoneOffset(rest.substr(zoneAt));
        if (!off)
            return std::nullopt;
        ts.micros -= *off * kMicrosPerSecond;
        ts.zoneKnown = true;
    }
    return ts;
}

std::optional<LogTimestamp> parseSyslogTimestamp(std::string_view s, int year)
{
    // "Nov 23 08:00:01": the day is space-padded ("Nov  3").
    if (s.size() < 15 || s[3] != ' ')
        return std::nullopt;
    auto month = monthFromName(s.substr(0, 3));
    if (!month)
        return std::nullopt;
    auto rest = s.substr(4);
    if (rest[0] == ' ')
        rest.remove_prefix(1);
    auto sp = rest.find(' ');
    if (sp == std::string_view::npos || sp == 0 || sp > 2)
        return std::nullopt;
    auto day = text::toUnsigned<unsigned>(rest.substr(0, sp));
    auto t = clockMicros(rest.substr(sp + 1));
    if (!day || !t)
        return std::nullopt;
    auto date = dateMicros(year, *month, *day);
    if (!date)
        return std::nullopt;
    return LogTimestamp{std::string(s), *date + *t, false, true};
}

std::optional<LogTimestamp> parseKlogTimestamp(std::string_view monthDay, std::string_view clock, int year)
{
    auto month = digits(monthDay.substr(0, 2), 2);
    auto day = monthDay.size() == 4 ? digits(monthDay.substr(2, 2), 2) : std::nullopt;
    auto t = clockMicros(clock);
    if (!month || !day || !t)
        return std::nullopt;
    auto date = dateMicros(year, *month, *day);
    if (!date)
        return std::nullopt;
    return LogTimestamp{std::string(monthDay) + " " + std::string(clock), *date + *t, false, true};
}

std::optional<LogTimestamp> parseTai64nTimestamp(std::string_view s)
{
    if (s.size() != 25 || s[0] != '@')
        return std::nullopt;
    std::uint64_t secs = 0, nanos = 0;
    for (std::size_t i = 1; i < 25; ++i) {
        char c = s[i];
        unsigned v;
        if (c >= '0' && c <= '9')
            v = unsigned(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = unsigned(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v = unsigned(c - 'A' + 10);
        else
            return std::nullopt;
        if (i <= 16)
            secs = secs * 16 + v;
        else
            nanos = nanos * 16 + v;
    }
    constexpr std::uint64_t kBase = (std::uint64_t(1) << 62) + 10;
    // Bounded to years 1970..9999 so the arithmetic below cannot overflow.
    if (secs < kBase || secs - kBase > 253402300799ULL || nanos >= 1000000000ULL)
        return std::nullopt;
    std::int64_t unixSecs = std::int64_t(secs - kBase);
    return LogTimestamp{std::string(s), unixSecs * kMicrosPerSecond + std::int64_t(nanos / 1000), true, false};
}

std::optional<std::int64_t> parseAnyTimestamp(std::string_view s, int yearForYearless)
{
    s = text::trim(s);
    if (auto t = parseIsoTimestamp(s))
        return t->micros;
    if (auto t = parseSyslogTimestamp(s, yearForYearless))
        return t->micros;
    if (auto t = parseTai64nTimestamp(s))
        return t->micros;
    auto sp = s.find(' ');
    if (sp == 4 && s.size() > 5)
        if (auto t = parseKlogTimestamp(s.substr(0, 4), s.substr(5), yearForYearless))
            return t->micros;
    // A bare date means its midnight.
    if (s.size() == 10)
        if (auto t = parseIsoTimestamp(std::string(s) + " 00:00:00"))
            return t->micros;
    return std::nullopt;
}

} // namespace podpath::parse
