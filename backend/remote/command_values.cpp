#include "remote/command_values.h"

#include "parse/text.h"

namespace podpath::remote {

namespace {

bool printable(unsigned char c) { return c >= 0x20 && c < 0x7f; }

} // namespace

std::optional<Count> Count::of(std::uint64_t n)
{
    if (n < 1 || n > 1'000'000'000u)
        return std::nullopt;
    return Count(std::uint32_t(n));
}

std::optional<Count> Count::parse(std::string_view text)
{
    auto n = text::toUnsigned(text);
    return n ? of(*n) : std::nullopt;
}

std::optional<Port> Port::of(std::uint64_t n)
{
    if (n < 1 || n > 65535)
        return std::nullopt;
    return Port(std::uint16_t(n));
}

std::optional<Port> Port::parse(std::string_view text)
{
    auto n = text::toUnsigned(text);
    return n ? of(*n) : std::nullopt;
}

std::optional<Seconds> Seconds::of(std::uint64_t n)
{
    if (n < 1 || n > 86400)
        return std::nullopt;
    return Seconds(std::uint32_t(n));
}

std::optional<Seconds> Seconds::parse(std::string_view text)
{
    auto n = text::toUnsigned(text);
    return n ? of(*n) : std::nullopt;
}

std::optional<RemotePath> RemotePath::parse(std::string_view text)
{
    if (text.empty() || text.size() > 4096 || text.front() != '/')
        return std::nullopt;
    for (unsigned char c : text) {
        if (!printable(c))
            return std::nullopt;
    }
    // Walk the components between slashes.
    std::size_t i = 1;
    while (i < text.size()) {
        std::size_t end = text.find('/', i);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view part = text.substr(i, end - i);
        bool trailingSlash = part.empty() && end == text.size();
        if ((part.empty() && !trailingSlash) || part == "." || part == "..")
            return std::nullopt;
        i = end + 1;
    }
    return RemotePath(std::string(text));
}

std::optional<Word> Word::parse(std::string_view text)
{
    if (text.empty() || text.size() > 255 || text.front() == '-')
        return std::nullopt;
    for (unsigned char c : text) {
        if (c <= 0x20 || c >= 0x7f)
            return std::nullopt;
    }
    return Word(std::string(text));
}

} // namespace podpath::remote
