#include "remote/ssh_target.h"

#include "remote/error_codes.h"

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
    std::string s = user ? *user + "@" + host : host;
    if (port)
        s += ":" + port->toString();
    return s;
}

} // namespace podpath::remote
