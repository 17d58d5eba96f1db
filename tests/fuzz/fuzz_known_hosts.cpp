// The known_hosts reader reads the user's and the system's files, whatever they hold: it
// must be total, decide one of its outcomes with the lines that made it, and report only
// lines that exist. Input: the host name on the first line, the file after it.
#include "remote/known_hosts.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {
// An ed25519 public key, the one the "node" presents.
constexpr std::string_view kKey = "AAAAC3NzaC1lZDI1NTE5AAAAIHGaOe2AqdL5xfuWEvKVVnVLwxnjgoKbtwX5b1oVhccA";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace podpath::remote;
    std::string_view s(reinterpret_cast<const char *>(data), size);
    const std::size_t nl = s.find('\n');
    const std::string_view host = s.substr(0, std::min<std::size_t>(nl, 255));
    const std::string_view text = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    const int port = size % 3 == 0 ? 22 : 2222;
    auto r = judgeHostKey({{"f", text}}, host, port, kKey);
    if (!r.ok())
        __builtin_trap();  // the presented key is valid: only it could make an error
    const int lines = int(std::count(text.begin(), text.end(), '\n')) + 1;
    const HostKeyJudgement &j = *r;
    switch (j.status) {
    case HostKeyStatus::Known:
        if (j.deciding.size() != 1)
            __builtin_trap();
        break;
    case HostKeyStatus::Unknown:
        if (!j.deciding.empty() || j.withoutPort)
            __builtin_trap();
        break;
    case HostKeyStatus::Changed:
    case HostKeyStatus::OtherType:
    case HostKeyStatus::Revoked:
        if (j.deciding.empty() || j.withoutPort)
            __builtin_trap();
        break;
    default:
        __builtin_trap();
    }
    for (const auto &l : j.deciding)
        if (l.path != "f" || l.line < 1 || l.line > lines || l.keyType.empty())
            __builtin_trap();
    for (const auto &l : j.certAuthorities)
        if (l.line < 1 || l.line > lines)
            __builtin_trap();
    for (const auto &u : j.unread) {
        if (u.line < 1 || u.line > lines || u.why.empty())
            __builtin_trap();
        if (std::any_of(j.deciding.begin(), j.deciding.end(), [&](const KnownHostsLine &d) { return d.line == u.line; }))
            __builtin_trap();  // a line read as unreadable cannot decide
    }
    // A line naming the host with the presented key makes it known, unless it is revoked.
    if (host.find_first_of(" \t,*?!|[#@\r\v\f") == std::string_view::npos && !host.empty() &&
        host.find('\0') == std::string_view::npos) {
        const std::string more = std::string(text) + "\n" + knownHostsName(std::string(host), port) +
                                 " ssh-ed25519 " + std::string(kKey) + "\n";
        auto again = judgeHostKey({{"f", more}}, host, port, kKey);
        if (!again.ok() || (again->status != HostKeyStatus::Known && again->status != HostKeyStatus::Revoked))
            __builtin_trap();
    }
    return 0;
}
