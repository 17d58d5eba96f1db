// `wg show DEVICE` comes back over SSH from a node PodPath does not trust: the parser must
// be total, what it keeps must add up, and nothing from a line that names a private or
// preshared key may come out of it.
#include "parse/wg_show.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

using namespace podpath;
using namespace podpath::parse;

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool namesKey(std::string_view s)
{
    std::string l(s);
    for (auto &c : l)
        c = lower(c);
    return l.find("private") != std::string::npos || l.find("preshared") != std::string::npos;
}

bool isBase64(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
           c == '=';
}

std::vector<std::string_view> lines(std::string_view s)
{
    std::vector<std::string_view> out;
    while (!s.empty()) {
        auto nl = s.find('\n');
        out.push_back(s.substr(0, nl));
        s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    }
    return out;
}

// Key-like words (base64, 20 characters or more) on the lines the parser must drop: those
// whose name (before the first ':', or the whole line without one) mentions a key. A word
// that also appears on some other line may come out through that line.
std::vector<std::string> secretWords(std::string_view input)
{
    std::string others;
    std::vector<std::string_view> secretLines;
    for (auto line : lines(input)) {
        auto colon = line.find(':');
        if (namesKey(line.substr(0, colon)))
            secretLines.push_back(line);
        else
            others.append(line).push_back('\n');
    }
    std::vector<std::string> words;
    for (auto line : secretLines) {
        std::size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && !isBase64(line[i]))
                ++i;
            std::size_t start = i;
            while (i < line.size() && isBase64(line[i]))
                ++i;
            auto word = line.substr(start, i - start);
            if (word.size() >= 20 && others.find(word) == std::string::npos)
                words.emplace_back(word);
        }
    }
    return words;
}

void mustNotContain(const std::string &s, const std::vector<std::string> &secrets)
{
    for (const auto &w : secrets)
        if (s.find(w) != std::string::npos)
            __builtin_trap();
}

void check(const WireguardDevice &d, const std::vector<std::string> &secrets)
{
    if (d.name.empty() || d.line <= 0)
        __builtin_trap();
    mustNotContain(d.name, secrets);
    mustNotContain(d.publicKey, secrets);
    for (const auto &e : d.unreadable) {
        if (e.line <= 0 || e.message.empty() || e.context.empty())
            __builtin_trap();
        mustNotContain(e.oneLine(), secrets);
    }
    int previous = d.line;
    for (const auto &p : d.peers) {
        if (p.publicKey.empty() || p.line <= previous)
            __builtin_trap();
        previous = p.line;
        mustNotContain(p.publicKey, secrets);
        if (p.endpoint)
            mustNotContain(*p.endpoint, secrets);
        for (const auto &a : p.allowedIps)
            mustNotContain(a, secrets);
        if (p.endpointAddress.has_value() != p.endpointPort.has_value() || (p.endpointAddress && !p.endpoint))
            __builtin_trap();
        if (p.allowedIpv4.size() + p.allowedIpv6.size() > p.allowedIps.size())
            __builtin_trap();
        if (p.receivedBytes.has_value() != p.sentBytes.has_value())
            __builtin_trap();
        if (p.latestHandshakeAgoSeconds && (*p.latestHandshakeAgoSeconds < 0 || p.latestHandshakeInFuture))
            __builtin_trap();
        if (p.persistentKeepaliveSeconds && *p.persistentKeepaliveSeconds <= 0)
            __builtin_trap();
        if (!d.findPeer(p.publicKey))
            __builtin_trap();
        // Whatever a peer allows is routed to it or to a peer with a longer (or equal) prefix.
        for (const auto &prefix : p.allowedIpv4) {
            const auto *owner = d.peerFor(prefix.address());
            if (!owner)
                __builtin_trap();
            bool covered = false;
            for (const auto &o : owner->allowedIpv4)
                covered = covered || (o.contains(prefix.address()) && o.length() >= prefix.length());
            if (!covered)
                __builtin_trap();
        }
        for (const auto &prefix : p.allowedIpv6)
            if (!d.peerFor(prefix.address()))
                __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view text(reinterpret_cast<const char *>(data), size);
    // Escape codes are removed before reading, which can join text: the secret check
    // below reads lines as they are, so it only holds for input without them.
    const bool escapes = std::memchr(data, 0x1b, size) != nullptr;
    const auto secrets = escapes ? std::vector<std::string>{} : secretWords(text);
    auto r = parseWgShow(text);
    if (!r.ok()) {
        if (r.error().message.empty() || r.error().line < 0 || r.error().nextStep.empty())
            __builtin_trap();
        mustNotContain(r.error().oneLine(), secrets);
        return 0;
    }
    check(*r, secrets);
    auto again = parseWgShow(text);
    if (!again.ok() || !(*again == *r))
        __builtin_trap();
    return 0;
}
