#include "ipv6.h"

#include "ipv4.h"

#include <charconv>

namespace podpath {

namespace {

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

std::optional<Ipv6> Ipv6::parse(std::string_view text)
{
    // Groups before and after the "::" (if any), filled in from both ends.
    std::array<std::uint16_t, 8> head{}, tail{};
    int nHead = 0, nTail = 0;
    bool compressed = false;
    std::size_t i = 0;
    if (text.size() >= 2 && text[0] == ':' && text[1] == ':') {
        compressed = true;
        i = 2;
    } else if (!text.empty() && text[0] == ':') {
        return std::nullopt;
    }
    while (i < text.size()) {
        const int groups = nHead + nTail;
        // The last 32 bits as a dotted quad ("::ffff:192.0.2.1").
        const std::size_t end = text.find(':', i);
        const std::string_view piece = text.substr(i, end == std::string_view::npos ? text.npos : end - i);
        if (end == std::string_view::npos && piece.find('.') != std::string_view::npos) {
            const auto v4 = Ipv4::parse(piece);
            if (!v4 || groups > 6 || (!compressed && groups != 6))
                return std::nullopt;
            auto &out = compressed ? tail : head;
            int &n = compressed ? nTail : nHead;
            out[std::size_t(n++)] = std::uint16_t(v4->toUint() >> 16);
            out[std::size_t(n++)] = std::uint16_t(v4->toUint() & 0xffff);
            i = text.size();
            break;
        }
        if (piece.empty() || piece.size() > 4 || groups >= 8)
            return std::nullopt;
        unsigned value = 0;
        for (char c : piece) {
            const int d = hexDigit(c);
            if (d < 0)
                return std::nullopt;
            value = value * 16 + unsigned(d);
        }
        (compressed ? tail[std::size_t(nTail++)] : head[std::size_t(nHead++)]) = std::uint16_t(value);
        i += piece.size();
        if (i == text.size())
            break;
        // A ':' follows: "::" opens the compressed run (once), ':' then another group.
        ++i;
        if (i < text.size() && text[i] == ':') {
            if (compressed)
                return std::nullopt;
            compressed = true;
            ++i;
        } else if (i == text.size()) {
            return std::nullopt;  // "1::2:" ends in a lone colon
        }
    }
    const int groups = nHead + nTail;
    if (compressed ? groups > 7 : groups != 8)
        return std::nullopt;
    Bytes b{};
    auto put = [&b](int group, std::uint16_t v) {
        b[std::size_t(group) * 2] = std::uint8_t(v >> 8);
        b[std::size_t(group) * 2 + 1] = std::uint8_t(v & 0xff);
    };
    for (int g = 0; g < nHead; ++g)
        put(g, head[std::size_t(g)]);
    for (int g = 0; g < nTail; ++g)
        put(8 - nTail + g, tail[std::size_t(g)]);
    return Ipv6(b);
}

std::string Ipv6::toString() const
{
    std::array<unsigned, 8> g{};
    for (std::size_t k = 0; k < 8; ++k)
        g[k] = unsigned(m_bytes[2 * k]) << 8 | m_bytes[2 * k + 1];
    // The longest run of zero groups, at least two long; the first wins a tie.
    int bestStart = -1, bestLen = 0;
    for (int k = 0; k < 8;) {
        if (g[std::size_t(k)] != 0) {
            ++k;
            continue;
        }
        int start = k;
        while (k < 8 && g[std::size_t(k)] == 0)
            ++k;
        if (k - start > bestLen && k - start >= 2) {
            bestStart = start;
            bestLen = k - start;
        }
    }
    std::string out;
    char buf[8];
    for (int k = 0; k < 8; ++k) {
        if (k == bestStart) {
            out += "::";
            k += bestLen - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':')
            out += ':';
        auto r = std::to_chars(buf, buf + sizeof buf, g[std::size_t(k)], 16);
        out.append(buf, r.ptr);
    }
    return out;
}

std::optional<Ipv6Prefix> Ipv6Prefix::parse(std::string_view text)
{
    if (text == "default")
        return Ipv6Prefix(Ipv6(), 0);
    const auto slash = text.find('/');
    const auto addr = Ipv6::parse(text.substr(0, slash));
    if (!addr)
        return std::nullopt;
    if (slash == std::string_view::npos)
        return Ipv6Prefix(*addr, 128);
    const auto lenText = text.substr(slash + 1);
    int len = -1;
    auto [ptr, ec] = std::from_chars(lenText.data(), lenText.data() + lenText.size(), len);
    if (ec != std::errc() || ptr != lenText.data() + lenText.size() || lenText.empty() || lenText.size() > 3 ||
        len < 0 || len > 128)
        return std::nullopt;
    return Ipv6Prefix(*addr, len);
}

Ipv6 Ipv6Prefix::network() const
{
    Ipv6::Bytes b = m_addr.bytes();
    for (int bit = m_len; bit < 128; ++bit)
        b[std::size_t(bit / 8)] &= std::uint8_t(~(0x80u >> (bit % 8)));
    return Ipv6(b);
}

bool Ipv6Prefix::contains(const Ipv6 &a) const
{
    return Ipv6Prefix(a, m_len).network() == network();
}

std::string Ipv6Prefix::toString() const
{
    return m_addr.toString() + "/" + std::to_string(m_len);
}

} // namespace podpath
