#pragma once
// Small, allocation-free helpers every text parser shares: line iteration with line
// numbers, whitespace words, strict number parsing. Nothing here throws.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::text {

// Inputs beyond this are refused with an error instead of being parsed: no node
// output PodPath asks for comes near it, and it bounds memory on hostile input.
inline constexpr std::size_t kMaxInputBytes = 64u * 1024u * 1024u;

// Iterates the lines of a buffer; accepts \n and \r\n, and a last line without \n.
class LineReader {
public:
    explicit LineReader(std::string_view input) : m_rest(input) {}

    bool next(std::string_view &line)
    {
        if (m_rest.empty())
            return false;
        auto nl = m_rest.find('\n');
        line = m_rest.substr(0, nl);
        m_rest = nl == std::string_view::npos ? std::string_view() : m_rest.substr(nl + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        ++m_lineNumber;
        return true;
    }
    int lineNumber() const { return m_lineNumber; }  // of the line last returned, 1-based
    bool atEnd() const { return m_rest.empty(); }

private:
    std::string_view m_rest;
    int m_lineNumber = 0;
};

inline bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

inline std::string_view trim(std::string_view s)
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

inline std::size_t leadingSpaces(std::string_view s)
{
    std::size_t n = 0;
    while (n < s.size() && isSpace(s[n]))
        ++n;
    return n;
}

inline std::vector<std::string_view> words(std::string_view s)
{
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && isSpace(s[i]))
            ++i;
        std::size_t start = i;
        while (i < s.size() && !isSpace(s[i]))
            ++i;
        if (i > start)
            out.push_back(s.substr(start, i - start));
    }
    return out;
}

// Whole-string unsigned decimal; no sign, no spaces, no overflow.
template <class T = std::uint64_t>
inline std::optional<T> toUnsigned(std::string_view s)
{
    T v{};
    if (s.empty() || s.front() == '-' || s.front() == '+')
        return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

template <class T = std::int64_t>
inline std::optional<T> toSigned(std::string_view s)
{
    T v{};
    if (s.empty() || s.front() == '+')
        return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

// Decimal with an optional fraction ("0.045", "12"); locale-independent.
inline std::optional<double> toDouble(std::string_view s)
{
    double v = 0;
    if (s.empty() || s.front() == '+' || s.front() == '-')
        return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
    if (ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

inline bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
inline bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The shape of an IPv6 address as tools print it ("fe80::1", "::ffff:1.2.3.4"),
// optionally with "/len": hex digits, '.' and at least one ':'. A shape check only,
// for parsers that keep or skip IPv6 as text; it does not validate the address.
inline bool looksLikeIpv6(std::string_view s)
{
    auto slash = s.find('/');
    if (slash != std::string_view::npos) {
        auto len = s.substr(slash + 1);
        if (len.empty() || len.find_first_not_of("0123456789") != std::string_view::npos)
            return false;
        s = s.substr(0, slash);
    }
    return s.find(':') != std::string_view::npos &&
           s.find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos;
}

// The first line that says anything, without the blanks around it: what a tool's
// stderr says about why it failed, in one line.
inline std::string_view firstLine(std::string_view s)
{
    s = trim(s);
    return trim(s.substr(0, s.find('\n')));
}

// Bounded copy of an offending line for error messages: long garbage stays readable.
inline std::string_view excerpt(std::string_view line, std::size_t max = 160)
{
    return line.substr(0, max);
}

// "a", "a and b", "a, b and c": items as a sentence lists them.
inline std::string listed(const std::vector<std::string> &items)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    return out;
}

} // namespace podpath::text
