#include "ipv4.h"

#include <charconv>

namespace podpath {

std::optional<Ipv4> Ipv4::parse(std::string_view text)
{
    std::uint32_t value = 0;
    int octets = 0;
    std::size_t i = 0;
    while (octets < 4) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9')
            return std::nullopt;
        std::size_t start = i;
        unsigned octet = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3)
            octet = octet * 10 + unsigned(text[i++] - '0');
        if (octet > 255 || (i - start > 1 && text[start] == '0'))
            return std::nullopt;
        value = (value << 8) | octet;
        ++octets;
        if (octets < 4) {
            if (i >= text.size() || text[i] != '.')
                return std::nullopt;
            ++i;
        }
    }
    if (i != text.size())
        return std::nullopt;
    return Ipv4(value);
}

std::string Ipv4::toString() const
{
    char buf[16];
    char *p = buf;
    for (int shift = 24; shift >= 0; shift -= 8) {
        p = std::to_chars(p, buf + sizeof buf, (m_addr >> shift) & 0xff).ptr;
        if (shift)
            *p++ = '.';
    }
    return std::string(buf, p);
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text)
{
    if (text == "default")
        return Ipv4Prefix(Ipv4(), 0);
    auto slash = text.find('/');
    auto addr = Ipv4::parse(text.substr(0, slash));
    if (!addr)
        return std::nullopt;
    if (slash == std::string_view::npos)
        return Ipv4Prefix(*addr, 32);
    auto lenText = text.substr(slash + 1);
    int len = -1;
    auto [ptr, ec] = std::from_chars(lenText.data(), lenText.data() + lenText.size(), len);
    if (ec != std::errc() || ptr != lenText.data() + lenText.size() || lenText.empty() ||
        lenText.size() > 2 || len < 0 || len > 32)
        return std::nullopt;
    return Ipv4Prefix(*addr, len);
}

std::string Ipv4Prefix::toString() const
{
    return m_addr.toString() + "/" + std::to_string(m_len);
}

} // namespace podpath
