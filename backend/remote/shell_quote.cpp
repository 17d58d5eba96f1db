#include "remote/shell_quote.h"

namespace podpath::remote {

bool isShellSafe(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '_': case '@': case '%': case '+': case '=': case ':': case ',': case '.':
    case '/': case '-':
        return true;
    default:
        return false;
    }
}

std::string shellQuote(std::string_view text)
{
    bool plain = !text.empty();
    for (char c : text)
        plain = plain && isShellSafe(c);
    if (plain)
        return std::string(text);

    std::string out;
    out.reserve(text.size() + 2);
    out += '\'';
    for (char c : text) {
        if (c == '\0')
            continue;
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    out += '\'';
    return out;
}

} // namespace podpath::remote
