#include "remote/ssh_target.h"

#include "remote/error_codes.h"

#include <algorithm>

namespace podpath::remote {

namespace {

bool nameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

bool validName(std::string_view s, std::size_t max)
{
    if (s.empty() || s.size() > max || s.front() == '-')
        return false;
    for (char c : s) {
        if (!nameChar(c))
            return false;
    }
    return true;
}

// An IPv6 address as ssh takes it ("2001:db8::1", "fe80::1%eth0"): hex groups, colons,
// an embedded IPv4 tail, and a zone of interface-name characters. Never starts with '-'.
bool validIpv6(std::string_view s)
{
    const auto zone = s.find('%');
    std::string_view addr = s.substr(0, zone);
    if (addr.size() < 2 || addr.size() > 45 || std::count(addr.begin(), addr.end(), ':') < 2)
        return false;
    for (char c : addr)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
            return false;
    return zone == std::string_view::npos || validName(s.substr(zone + 1), 15);
}

struct Parts {
    std::optional<std::string> user;
    std::string host;
    std::optional<Port> port;
};

Result<Parts> split(std::string_view spec, const char *what)
{
    const std::string nextStep = std::string("write the ") + what + " as [user@]host[:port]";
    Parts p;
    std::string_view rest = spec;
    if (auto at = rest.find('@'); at != std::string_view::npos) {
        std::string_view user = rest.substr(0, at);
        if (!isValidUserName(user))
            return Error("not a user name: \"" + std::string(user) + "\"", std::string(spec), nextStep, 0,
                         kSshBadTarget);
        p.user = std::string(user);
        rest = rest.substr(at + 1);
    }
    if (rest.starts_with('[')) {
        // "[2001:db8::1]" or "[2001:db8::1]:2222", as ssh and known_hosts write it.
        const auto close = rest.find(']');
        if (close == std::string_view::npos || !validIpv6(rest.substr(1, close - 1)))
            return Error("not an IPv6 address: \"" + std::string(rest) + "\"", std::string(spec),
                         "write it as [2001:db8::1] or [2001:db8::1]:port", 0, kSshBadTarget);
        p.host = std::string(rest.substr(1, close - 1));
        std::string_view after = rest.substr(close + 1);
        if (!after.empty()) {
            auto port = after.starts_with(':') ? Port::parse(after.substr(1)) : std::nullopt;
            if (!port)
                return Error("not a port: \"" + std::string(after) + "\"", std::string(spec), nextStep, 0, kSshBadTarget);
            p.port = *port;
        }
        return p;
    }
    if (validIpv6(rest)) {
        p.host = std::string(rest);  // a bare IPv6 address has no port
        return p;
    }
    if (auto colon = rest.find(':'); colon != std::string_view::npos) {
        auto port = Port::parse(rest.substr(colon + 1));
        if (!port)
            return Error("not a port: \"" + std::string(rest.substr(colon + 1)) + "\"", std::string(spec),
                         nextStep, 0, kSshBadTarget);
        p.port = *port;
        rest = rest.substr(0, colon);
    }
    if (!isValidHostName(rest))
        return Error("not a host name: \"" + std::string(rest) + "\"", std::string(spec), nextStep, 0,
                     kSshBadTarget);
    p.host = std::string(rest);
    return p;
}

} // namespace

bool isValidHostName(std::string_view host) { return validName(host, 253); }
bool isValidUserName(std::string_view user) { return validName(user, 32); }

Result<SshTarget> SshTarget::parse(std::string_view spec)
{
    auto parts = split(spec, "node");
    if (!parts)
        return parts.error();
    SshTarget t;
    t.host = parts->host;
    t.user = parts->user;
    t.port = parts->port;
    return t;
}

Result<JumpHost> parseJumpHost(std::string_view spec)
{
    auto parts = split(spec, "jump host");
    if (!parts)
        return parts.error();
    return JumpHost{parts->host, parts->user, parts->port};
}

std::string SshTarget::label() const
{
    const bool v6 = host.find(':') != std::string::npos;
    std::string s = user ? *user + "@" : "";
    s += v6 && port ? "[" + host + "]" : host;
    if (port)
        s += ":" + port->toString();
    return s;
}

} // namespace podpath::remote
