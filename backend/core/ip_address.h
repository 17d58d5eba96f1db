#pragma once
// An address of either family, for what carries both: an echo seen on the wire (IPv4 or
// ICMPv6), a stream's target. Compares equal only within one family; every IPv4 address
// orders before every IPv6 one.

#include "ipv4.h"
#include "ipv6.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace podpath {

class IpAddress {
public:
    IpAddress() = default;
    IpAddress(Ipv4 a) : m_addr(a) {}  // NOLINT(google-explicit-constructor): an Ipv4 is an IpAddress
    IpAddress(Ipv6 a) : m_addr(a) {}  // NOLINT(google-explicit-constructor)

    // Either family's strict text (Ipv4::parse, else Ipv6::parse).
    static std::optional<IpAddress> parse(std::string_view text)
    {
        if (auto a = Ipv4::parse(text))
            return IpAddress(*a);
        if (auto a = Ipv6::parse(text))
            return IpAddress(*a);
        return std::nullopt;
    }

    bool isV6() const { return std::holds_alternative<Ipv6>(m_addr); }
    std::optional<Ipv4> v4() const
    {
        if (const Ipv4 *a = std::get_if<Ipv4>(&m_addr))
            return *a;
        return std::nullopt;
    }
    std::optional<Ipv6> v6() const
    {
        if (const Ipv6 *a = std::get_if<Ipv6>(&m_addr))
            return *a;
        return std::nullopt;
    }
    std::string toString() const
    {
        return std::visit([](const auto &a) { return a.toString(); }, m_addr);
    }

    auto operator<=>(const IpAddress &) const = default;

private:
    std::variant<Ipv4, Ipv6> m_addr;
};

} // namespace podpath
