#pragma once
// A Linux network interface name, validated as the kernel does (dev_valid_name):
// 1-15 bytes, not "." or "..", no '/', ':' or whitespace. Anything else cannot be an
// interface, so it never reaches a remote command line.

#include <optional>
#include <string>
#include <string_view>

namespace podpath {

class InterfaceName {
public:
    static std::optional<InterfaceName> parse(std::string_view text);
    const std::string &str() const { return m_name; }
    bool operator==(const InterfaceName &) const = default;

private:
    explicit InterfaceName(std::string name) : m_name(std::move(name)) {}
    std::string m_name;
};

} // namespace podpath
