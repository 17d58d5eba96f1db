#pragma once
// IPv4 addresses and prefixes as values: parsed once, never carried as loose strings.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podpath {

class Ipv4 {
public:
    constexpr Ipv4() = default;
    constexpr explicit Ipv4(std::uint32_t hostOrder) : m_addr(hostOrder) {}

    // Strict dotted quad: four decimal octets 0-255, no leading '+', no spaces, no
    // zone or prefix. Leading zeros are refused because inet_aton reads them as octal.
    static std::optional<Ipv4> parse(std::string_view text);
    // From 4 bytes in network order, as on the wire.
    static Ipv4 fromBytes(const unsigned char *p)
    {
        return Ipv4((std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) |
                    (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]));
    }

    constexpr std::uint32_t toUint() const { return m_addr; }
    std::string toString() const;
    constexpr bool isUnspecified() const { return m_addr == 0; }

    constexpr auto operator<=>(const Ipv4 &) const = default;

private:
    std::uint32_t m_addr = 0;
};

class Ipv4Prefix {
public:
    constexpr Ipv4Prefix() = default;
    constexpr Ipv4Prefix(Ipv4 address, int length) : m_addr(address), m_len(length) {}

    // "a.b.c.d/n" or a bare address (taken as /32). "default" is 0.0.0.0/0.
    static std::optional<Ipv4Prefix> parse(std::string_view text);

    constexpr Ipv4 address() const { return m_addr; }
    constexpr int length() const { return m_len; }
    Ipv4 network() const { return Ipv4(m_addr.toUint() & mask()); }
    bool contains(Ipv4 a) const { return (a.toUint() & mask()) == (m_addr.toUint() & mask()); }
    std::string toString() const;

    constexpr auto operator<=>(const Ipv4Prefix &) const = default;

private:
    std::uint32_t mask() const { return m_len == 0 ? 0u : ~std::uint32_t(0) << (32 - m_len); }
    Ipv4 m_addr;
    int m_len = 32;
};

} // namespace podpath
