#include "printable.h"

#include <cstdint>
#include <cstdio>

namespace podpath {

namespace {

// Length of the UTF-8 sequence at s[i] and its code point; 0 when it is not one.
std::size_t decodeUtf8(std::string_view s, std::size_t i, char32_t &cp)
{
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
    if (len == 0 || i + len > s.size())
        return 0;
    cp = len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    // Overlong forms and surrogates are not UTF-8.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

bool actsOnTerminal(char32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) ||                  // C1 controls (8-bit CSI, OSC, ...)
           (cp >= 0x202A && cp <= 0x202E) ||              // bidi embeddings and overrides
           (cp >= 0x2066 && cp <= 0x2069) ||              // bidi isolates
           cp == 0x200E || cp == 0x200F || cp == 0x061C;  // direction marks
}

void appendHex(std::string &out, const char *format, unsigned value)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, format, value);
    out += buf;
}

bool isPrintable(std::string_view s, bool keepNewlines)
{
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            if ((b < 0x20 || b == 0x7F) && !(keepNewlines && (b == '\n' || b == '\t')))
                return false;
            ++i;
            continue;
        }
        char32_t cp = 0;
        const std::size_t len = decodeUtf8(s, i, cp);
        if (len == 0 || actsOnTerminal(cp))
            return false;
        i += len;
    }
    return true;
}

std::string escaped(std::string_view s, bool keepNewlines)
{
    if (isPrintable(s, keepNewlines))
        return std::string(s);
    std::string out;
    out.reserve(s.size() + 16);
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            if (b == '\n')
                out += keepNewlines ? "\n" : "\\n";
            else if (b == '\t')
                out += keepNewlines ? "\t" : "\\t";
            else if (b < 0x20 || b == 0x7F)
                appendHex(out, "\\x%02x", b);
            else
                out += char(b);
            ++i;
            continue;
        }
        char32_t cp = 0;
        const std::size_t len = decodeUtf8(s, i, cp);
        if (len == 0) {
            appendHex(out, "\\x%02x", b);
            ++i;
        } else if (actsOnTerminal(cp)) {
            appendHex(out, "\\u{%04x}", unsigned(cp));
            i += len;
        } else {
            out.append(s.substr(i, len));
            i += len;
        }
    }
    return out;
}

} // namespace

bool isPrintable(std::string_view text)
{
    return isPrintable(text, false);
}

std::string terminalSafeJson(std::string_view json)
{
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size();) {
        char32_t cp = 0;
        const std::size_t len = static_cast<unsigned char>(json[i]) < 0x80 ? 0 : decodeUtf8(json, i, cp);
        if (len != 0 && actsOnTerminal(cp)) {
            appendHex(out, "\\u%04x", unsigned(cp));
            i += len;
        } else {
            out += json[i];
            ++i;
        }
    }
    return out;
}

std::string printable(std::string_view text)
{
    return escaped(text, false);
}

std::string printableLines(std::string_view text)
{
    return escaped(text, true);
}

} // namespace podpath
