#include "wg_show.h"

#include "text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace podpath::parse {

namespace {

constexpr const char *kNextStep =
    "Run `wg show DEVICE` on the node as root and compare; PodPath reads wg's default (pretty) form";

// Never quoted back: a line that names a key may hold one (WG_HIDE_KEYS=never prints the
// private and preshared keys in clear), and an error travels into reports and logs.
constexpr const char *kWithheld = "(line withheld: it may hold a key)";

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool containsNoCase(std::string_view s, std::string_view word)
{
    for (std::size_t i = 0; i + word.size() <= s.size(); ++i) {
        std::size_t k = 0;
        while (k < word.size() && lower(s[i + k]) == word[k])
            ++k;
        if (k == word.size())
            return true;
    }
    return false;
}

bool mayHoldSecret(std::string_view line)
{
    return containsNoCase(line, "private") || containsNoCase(line, "preshared");
}

std::string context(std::string_view line)
{
    return mayHoldSecret(line) ? std::string(kWithheld) : std::string(text::excerpt(text::trim(line)));
}

// wg colours its output on a tty or with WG_COLOR_MODE=always, inside values too
// ("198.18.1.0\e[36m/\e[0m26"): the escapes go before anything is read.
std::string_view withoutEscapes(std::string_view line, std::string &buffer)
{
    if (line.find('\x1b') == std::string_view::npos)
        return line;
    buffer.clear();
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '\x1b') {
            buffer += line[i];
            continue;
        }
        if (i + 1 < line.size() && line[i + 1] == '[') {
            // CSI: parameter and intermediate bytes, then one final byte (0x40-0x7e).
            std::size_t j = i + 2;
            while (j < line.size() && static_cast<unsigned char>(line[j]) >= 0x20 &&
                   static_cast<unsigned char>(line[j]) <= 0x3f)
                ++j;
            i = j < line.size() ? j : line.size() - 1;
        }
    }
    return buffer;
}

struct Unit {
    std::string_view singular;
    std::int64_t seconds;
};

// pretty_time() in wireguard-tools' show.c: a year is 365 days, units largest first,
// each printed once and only when not zero, ", " between them.
constexpr std::array<Unit, 5> kUnits{{{"year", 365 * 24 * 3600}, {"day", 24 * 3600}, {"hour", 3600},
                                      {"minute", 60}, {"second", 1}}};

std::optional<std::int64_t> readDuration(std::string_view s)
{
    std::int64_t total = 0;
    std::size_t nextUnit = 0;  // units must come largest first, each once
    bool any = false;
    while (!s.empty()) {
        auto comma = s.find(',');
        auto part = text::trim(s.substr(0, comma));
        s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
        if (comma != std::string_view::npos && text::trim(s).empty())
            return std::nullopt;
        auto w = text::words(part);
        if (w.size() != 2)
            return std::nullopt;
        auto n = text::toUnsigned<std::uint64_t>(w[0]);
        if (!n || *n == 0)
            return std::nullopt;
        std::size_t u = nextUnit;
        while (u < kUnits.size() && w[1] != kUnits[u].singular &&
               !(w[1].size() == kUnits[u].singular.size() + 1 && text::startsWith(w[1], kUnits[u].singular) &&
                 w[1].back() == 's'))
            ++u;
        if (u == kUnits.size())
            return std::nullopt;
        const auto limit = std::uint64_t((std::numeric_limits<std::int64_t>::max() - total) / kUnits[u].seconds);
        if (*n > limit)
            return std::nullopt;
        total += std::int64_t(*n) * kUnits[u].seconds;
        nextUnit = u + 1;
        any = true;
    }
    if (!any)
        return std::nullopt;
    return total;
}

// bytes() in show.c: "%u B" below 1 KiB, else "%.2f KiB" ... "%.2f TiB".
std::optional<std::uint64_t> readBytes(std::string_view s)
{
    auto w = text::words(s);
    if (w.size() != 2)
        return std::nullopt;
    constexpr std::array<std::string_view, 5> kByteUnits{"B", "KiB", "MiB", "GiB", "TiB"};
    double scale = 1;
    std::size_t u = 0;
    while (u < kByteUnits.size() && w[1] != kByteUnits[u]) {
        scale *= 1024;
        ++u;
    }
    if (u == kByteUnits.size())
        return std::nullopt;
    if (u == 0)
        return text::toUnsigned<std::uint64_t>(w[0]);
    auto v = text::toDouble(w[0]);
    if (!v)
        return std::nullopt;
    const double bytes = std::round(*v * scale);
    // 2^64: the counters are 64-bit, and a larger double does not convert.
    if (!(bytes < 18446744073709551616.0))
        return std::nullopt;
    return std::uint64_t(bytes);
}

struct Transfer {
    std::uint64_t received = 0;
    std::uint64_t sent = 0;
};

std::optional<Transfer> readTransfer(std::string_view s)
{
    constexpr std::string_view kReceived = " received,";
    constexpr std::string_view kSent = " sent";
    auto r = s.find(kReceived);
    if (r == std::string_view::npos || !text::endsWith(s, kSent))
        return std::nullopt;
    auto received = readBytes(s.substr(0, r));
    auto rest = s.substr(r + kReceived.size());
    if (rest.size() < kSent.size())
        return std::nullopt;
    auto sent = readBytes(rest.substr(0, rest.size() - kSent.size()));
    if (!received || !sent)
        return std::nullopt;
    return Transfer{*received, *sent};
}

// endpoint() in show.c: "host:port", the host in brackets when it holds a ':' (IPv6,
// with "%zone" for a link-local address on the kernel's device).
bool readEndpoint(std::string_view s, WireguardPeer &peer)
{
    std::optional<IpAddress> address;
    std::string_view port;
    if (text::startsWith(s, "[")) {
        auto close = s.find("]:");
        if (close == std::string_view::npos)
            return false;
        auto host = s.substr(1, close - 1);
        if (auto v6 = Ipv6::parse(host.substr(0, host.find('%'))))
            address = *v6;
        port = s.substr(close + 2);
    } else {
        auto colon = s.find(':');
        if (colon == std::string_view::npos)
            return false;
        if (auto v4 = Ipv4::parse(s.substr(0, colon)))
            address = *v4;
        port = s.substr(colon + 1);
    }
    auto number = text::toUnsigned<std::uint16_t>(port);
    if (!address || !number)
        return false;
    peer.endpointAddress = address;
    peer.endpointPort = number;
    return true;
}

enum class Section { None, Device, Peer, BadPeer, OtherDevice };

class Reader {
public:
    WireguardDevice device;
    bool sawDevice = false;

    void read(std::string_view raw, int lineNo)
    {
        auto line = text::trim(withoutEscapes(raw, m_buffer));
        if (line.empty())
            return;
        m_line = line;
        m_lineNo = lineNo;
        if (m_section == Section::OtherDevice) {
            ++m_otherDeviceLines;
            return;
        }
        auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            skip("not a `wg show` line (no \"name: value\")");
            return;
        }
        const auto key = text::trim(line.substr(0, colon));
        const auto value = text::trim(line.substr(colon + 1));
        // Before anything else, so that no path below can keep or quote a key.
        if (mayHoldSecret(key)) {
            if (m_section == Section::Peer && containsNoCase(key, "preshared"))
                currentPeer().presharedKey = true;
            return;
        }
        if (key == "interface") {
            readInterface(value);
            return;
        }
        if (key == "peer") {
            readPeerHeader(value);
            return;
        }
        switch (m_section) {
        case Section::None:
            skip(quoted(key) + " before the \"interface:\" line");
            return;
        case Section::BadPeer:
            skip("a field of the peer on line " + std::to_string(m_badPeerLine) + ", which could not be read");
            return;
        case Section::Device:
            readDeviceField(key, value);
            return;
        case Section::Peer:
            readPeerField(key, value);
            return;
        case Section::OtherDevice:
            return;
        }
    }

    void finish()
    {
        if (m_otherDeviceError) {
            auto &e = device.unreadable[*m_otherDeviceError];
            if (m_otherDeviceLines > 0)
                e.message += "; its " + std::to_string(m_otherDeviceLines) + " line" +
                             (m_otherDeviceLines == 1 ? "" : "s") + " after it too";
        }
    }

private:
    WireguardPeer &currentPeer() { return device.peers.back(); }

    void skip(std::string message)
    {
        device.unreadable.push_back(Error{std::move(message), context(m_line), kNextStep, m_lineNo});
    }

    // Part of the current line for a message; withheld with the line itself (context()).
    std::string quoted(std::string_view part, std::size_t max = 40) const
    {
        if (mayHoldSecret(m_line))
            return "(withheld)";
        return "\"" + std::string(text::excerpt(part, max)) + "\"";
    }

    void readInterface(std::string_view value)
    {
        if (sawDevice) {
            m_section = Section::OtherDevice;
            m_otherDeviceError = device.unreadable.size();
            skip("a second device (" + quoted(value) + "): PodPath reads one device per `wg show DEVICE`, the first");
            return;
        }
        if (value.empty() || text::words(value).size() != 1) {
            skip("\"interface:\" without a device name");
            return;
        }
        sawDevice = true;
        device.name = std::string(value);
        device.line = m_lineNo;
        m_section = Section::Device;
    }

    void readPeerHeader(std::string_view value)
    {
        if (m_section == Section::None) {
            skip("a peer before the \"interface:\" line");
            return;
        }
        if (value.empty() || text::words(value).size() != 1) {
            m_section = Section::BadPeer;
            m_badPeerLine = m_lineNo;
            skip("\"peer:\" without a public key");
            return;
        }
        WireguardPeer peer;
        peer.publicKey = std::string(value);
        peer.line = m_lineNo;
        device.peers.push_back(std::move(peer));
        m_section = Section::Peer;
    }

    void readDeviceField(std::string_view key, std::string_view value)
    {
        if (key == "public key") {
            if (value.empty() || text::words(value).size() != 1)
                skip("a public key that is not one word");
            else
                device.publicKey = std::string(value);
        } else if (key == "listening port") {
            if (auto port = text::toUnsigned<std::uint16_t>(value))
                device.listenPort = port;
            else
                skip("a listening port that is not a number from 0 to 65535");
        } else if (key == "fwmark") {
            std::optional<std::uint32_t> mark;
            if (text::startsWith(value, "0x") || text::startsWith(value, "0X")) {
                std::uint32_t v = 0;
                auto digits = value.substr(2);
                auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, 16);
                if (!digits.empty() && ec == std::errc() && p == digits.data() + digits.size())
                    mark = v;
            }
            if (mark)
                device.fwmark = mark;
            else
                skip("an fwmark that is not a 32-bit hex number (0x...)");
        } else if (isPeerField(key)) {
            skip("a peer's " + quoted(key) + " before any \"peer:\" line");
        }
        // Other fields (newer wg, forks such as amneziawg's "jc") carry nothing PodPath uses.
    }

    static bool isPeerField(std::string_view key)
    {
        return key == "endpoint" || key == "allowed ips" || key == "latest handshake" || key == "transfer" ||
               key == "persistent keepalive";
    }

    void readPeerField(std::string_view key, std::string_view value)
    {
        auto &peer = currentPeer();
        // A field printed twice (wg never does; a cut or spliced output may): the later line
        // is what the peer says, whole, never half of each.
        if (key == "endpoint") {
            peer.endpoint = std::string(value);
            peer.endpointAddress.reset();
            peer.endpointPort.reset();
            if (!readEndpoint(value, peer))
                skip("an endpoint that is not ADDRESS:PORT");
        } else if (key == "allowed ips") {
            readAllowedIps(peer, value);
        } else if (key == "latest handshake") {
            peer.latestHandshakeAgoSeconds.reset();
            peer.latestHandshakeInFuture = false;
            if (value == "Now") {
                peer.latestHandshakeAgoSeconds = 0;
            } else if (text::startsWith(value, "(System clock wound backward")) {
                peer.latestHandshakeInFuture = true;
            } else if (auto ago = text::endsWith(value, " ago")
                                      ? readDuration(value.substr(0, value.size() - 4))
                                      : std::nullopt) {
                peer.latestHandshakeAgoSeconds = ago;
            } else {
                skip("a latest handshake that is not \"Now\" or \"N unit, ... ago\"");
            }
        } else if (key == "transfer") {
            if (auto t = readTransfer(value)) {
                peer.receivedBytes = t->received;
                peer.sentBytes = t->sent;
            } else {
                skip("a transfer that is not \"N UNIT received, N UNIT sent\"");
            }
        } else if (key == "persistent keepalive") {
            auto every = text::startsWith(value, "every ") ? readDuration(value.substr(6)) : std::nullopt;
            if (every)
                peer.persistentKeepaliveSeconds = every;
            else
                skip("a persistent keepalive that is not \"every N unit, ...\"");
        } else if (key == "public key" || key == "listening port" || key == "fwmark") {
            skip("the device's " + quoted(key) + " among a peer's fields");
        }
    }

    void readAllowedIps(WireguardPeer &peer, std::string_view value)
    {
        peer.allowedIps.clear();
        peer.allowedIpv4.clear();
        peer.allowedIpv6.clear();
        if (value == "(none)")
            return;
        std::vector<std::string> bad;
        while (true) {
            auto comma = value.find(',');
            auto item = text::trim(value.substr(0, comma));
            peer.allowedIps.emplace_back(item);
            // wg prints every allowed IP with its length; a bare address is not its output.
            const bool hasLength = item.find('/') != std::string_view::npos;
            if (auto v4 = hasLength ? Ipv4Prefix::parse(item) : std::nullopt)
                peer.allowedIpv4.push_back(*v4);
            else if (auto v6 = hasLength ? Ipv6Prefix::parse(item) : std::nullopt)
                peer.allowedIpv6.push_back(*v6);
            else
                bad.push_back(quoted(item, 60));
            if (comma == std::string_view::npos)
                break;
            value = value.substr(comma + 1);
        }
        if (!bad.empty())
            skip("allowed IPs that are not ADDRESS/LENGTH: " + text::listed(bad));
    }

    Section m_section = Section::None;
    int m_badPeerLine = 0;
    std::optional<std::size_t> m_otherDeviceError;
    int m_otherDeviceLines = 0;
    std::string m_buffer;
    std::string_view m_line;  // the current line, escapes removed: into m_buffer or the input
    int m_lineNo = 0;
};

} // namespace

const WireguardPeer *WireguardDevice::findPeer(std::string_view key) const
{
    for (const auto &p : peers)
        if (p.publicKey == key)
            return &p;
    return nullptr;
}

const WireguardPeer *WireguardDevice::peerFor(const IpAddress &address) const
{
    const WireguardPeer *best = nullptr;
    int bestLength = -1;
    for (const auto &p : peers) {
        if (auto v4 = address.v4()) {
            for (const auto &prefix : p.allowedIpv4)
                if (prefix.contains(*v4) && prefix.length() > bestLength) {
                    best = &p;
                    bestLength = prefix.length();
                }
        } else if (auto v6 = address.v6()) {
            for (const auto &prefix : p.allowedIpv6)
                if (prefix.contains(*v6) && prefix.length() > bestLength) {
                    best = &p;
                    bestLength = prefix.length();
                }
        }
    }
    return best;
}

Result<WireguardDevice> parseWgShow(std::string_view output)
{
    if (output.size() > text::kMaxInputBytes)
        return Error{"wg show output is too large to read", std::to_string(output.size()) + " bytes",
                     "Run `wg show DEVICE` for the one device (wireguard.cali) and try again", 0};
    if (text::trim(output).empty())
        return Error{"wg show printed nothing", "",
                     "Look at what wg printed on stderr: \"No such device\" means WireGuard is off on the node "
                     "(or the device has another name), \"Operation not permitted\" or \"Permission denied\" "
                     "that it needs root",
                     0};
    Reader reader;
    text::LineReader lines(output);
    std::string_view line;
    int firstLine = 0;
    std::string first;
    while (lines.next(line)) {
        if (firstLine == 0 && !text::trim(line).empty()) {
            firstLine = lines.lineNumber();
            std::string buffer;
            first = context(withoutEscapes(line, buffer));
        }
        reader.read(line, lines.lineNumber());
    }
    reader.finish();
    if (!reader.sawDevice)
        return Error{"not `wg show` output: no \"interface:\" line", first, kNextStep, firstLine};
    return std::move(reader.device);
}

} // namespace podpath::parse
