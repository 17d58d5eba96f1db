#pragma once
// IPv6 addresses and prefixes as values, as Ipv4 is for IPv4: parsed once, strictly,
// and printed one way only (RFC 5952), so that an address read from `ip -6 route`, from
// a capture and from the user compares equal however each wrote it.

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podpath {

class Ipv6 {
public:
    using Bytes = std::array<std::uint8_t, 16>;

    constexpr Ipv6() = default;
    constexpr explicit Ipv6(const Bytes &networkOrder) : m_bytes(networkOrder) {}

    // RFC 4291 text: eight groups of 1-4 hex digits, one "::" for a run of zero groups,
    // an IPv4 dotted quad in the last 32 bits. Refused: zones ("%eth0"), prefixes, spaces,
    // a fifth hex digit, a second "::" and anything else a shell could read.
    static std::optional<Ipv6> parse(std::string_view text);
    // From 16 bytes in network order, as on the wire.
    static Ipv6 fromBytes(const unsigned char *p)
    {
        Bytes b{};
        for (std::size_t i = 0; i < b.size(); ++i)
            b[i] = p[i];
        return Ipv6(b);
    }

    constexpr const Bytes &bytes() const { return m_bytes; }
    // RFC 5952: lower case, no leading zeros, the longest run (of two groups or more,
    // the first of equals) as "::".
    std::string toString() const;
    bool isUnspecified() const { return *this == Ipv6(); }
    // fe80::/10: every interface has one; never a node's or a pod's address to judge.
    bool isLinkLocal() const { return m_bytes[0] == 0xfe && (m_bytes[1] & 0xc0) == 0x80; }

    constexpr auto operator<=>(const Ipv6 &) const = default;

private:
    Bytes m_bytes{};
};

class Ipv6Prefix {
public:
    constexpr Ipv6Prefix() = default;
    constexpr Ipv6Prefix(Ipv6 address, int length) : m_addr(address), m_len(length) {}

    // "addr/n" (n 0-128) or a bare address (taken as /128). "default" is ::/0.
    static std::optional<Ipv6Prefix> parse(std::string_view text);

    constexpr Ipv6 address() const { return m_addr; }
    constexpr int length() const { return m_len; }
    Ipv6 network() const;
    bool contains(const Ipv6 &a) const;
    std::string toString() const;

    constexpr auto operator<=>(const Ipv6Prefix &) const = default;

private:
    Ipv6 m_addr;
    int m_len = 128;
};

} // namespace podpath
