#include "interface_name.h"

namespace podpath {

std::optional<InterfaceName> InterfaceName::parse(std::string_view text)
{
    if (text.empty() || text.size() > 15 || text == "." || text == "..")
        return std::nullopt;
    for (unsigned char c : text) {
        // The kernel allows more bytes than this; a shell or a terminal should never
        // see control characters or quotes from a node, so they are refused too.
        if (c <= 0x20 || c >= 0x7f || c == '/' || c == ':' || c == '\'' || c == '"' ||
            c == '\\' || c == '`' || c == '$' || c == ';' || c == '&' || c == '|' ||
            c == '<' || c == '>' || c == '(' || c == ')' || c == '*' || c == '?' ||
            c == '[' || c == ']' || c == '{' || c == '}' || c == '~' || c == '!' || c == '#')
            return std::nullopt;
    }
    if (text.front() == '-')
        return std::nullopt;
    return InterfaceName(std::string(text));
}

} // namespace podpath
