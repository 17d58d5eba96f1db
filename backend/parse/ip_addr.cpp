#include "ip_addr.h"

#include "ip_json.h"
#include "text.h"

#include <algorithm>
#include <array>

namespace podpath::parse {

namespace {

constexpr const char *kNextStep =
    "Run `ip addr` (or `ip -d link`) on the node and compare; PodPath reads the default, -d, "
    "-s and -j forms, not -br or -o";

using Words = std::vector<std::string_view>;

struct LineError {
    std::string message;
};

Error errorAt(const text::LineReader &reader, std::string_view line, std::string message)
{
    return Error{std::move(message), std::string(text::excerpt(text::trim(line))), kNextStep, reader.lineNumber()};
}

// Words iproute2 prints as address flags (print_ifa_flags); anything else at the end
// of an inet line is the label.
bool isAddressFlag(std::string_view w)
{
    static constexpr std::array<std::string_view, 14> kFlags{
        "secondary", "temporary", "nodad", "optimistic", "dadfailed", "home", "deprecated",
        "tentative", "permanent", "mngtmpaddr", "noprefixroute", "autojoin", "stable-privacy",
        "dynamic"};
    return std::find(kFlags.begin(), kFlags.end(), w) != kFlags.end();
}

// "2: eth0@if3: <BROADCAST,UP> mtu 1500 qdisc noqueue master br0 state UP ..."
std::optional<LineError> parseHeader(std::string_view line, Interface &out)
{
    auto colon = line.find(':');
    auto index = text::toUnsigned<int>(line.substr(0, colon));
    if (colon == std::string_view::npos || !index)
        return LineError{"expected an interface line \"N: NAME: <FLAGS> ...\""};
    out.index = *index;
    auto rest = line.substr(colon + 1);
    auto open = rest.find(": <");
    auto close = rest.find('>', open == std::string_view::npos ? 0 : open);
    if (open == std::string_view::npos || close == std::string_view::npos)
        return LineError{"interface line without \"<FLAGS>\""};
    auto name = text::trim(rest.substr(0, open));
    if (name.empty())
        return LineError{"interface line without a name"};
    // Names cannot hold ':' but may hold '@'; iproute2 appends "@PEER" after the name.
    auto at = name.rfind('@');
    if (at != std::string_view::npos && at > 0 && at + 1 < name.size()) {
        out.linkPeer = std::string(name.substr(at + 1));
        name = name.substr(0, at);
    }
    out.name = std::string(name);

    auto flags = rest.substr(open + 3, close - open - 3);
    while (!flags.empty()) {
        auto comma = flags.find(',');
        if (auto f = flags.substr(0, comma); !f.empty())
            out.flags.emplace_back(f);
        flags = comma == std::string_view::npos ? std::string_view() : flags.substr(comma + 1);
    }

    Words w = text::words(rest.substr(close + 1));
    for (std::size_t i = 0; i < w.size(); ++i) {
        bool hasValue = i + 1 < w.size();
        if (w[i] == "mtu") {
            auto mtu = hasValue ? text::toUnsigned<std::uint32_t>(w[i + 1]) : std::nullopt;
            if (!mtu)
                return LineError{"interface line with an unreadable mtu"};
            out.mtu = mtu;
            ++i;
        } else if (w[i] == "state" && hasValue) {
            out.operState = std::string(w[++i]);
        } else if (w[i] == "master" && hasValue) {
            out.master = std::string(w[++i]);
        } else if ((w[i] == "qdisc" || w[i] == "mode" || w[i] == "group" || w[i] == "qlen") && hasValue) {
            ++i;
        }
        // Anything else (protodown, xdp, netns ...) is not used by PodPath.
    }
    return std::nullopt;
}

// "link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns pp-ip-br ..."
void parseLinkLine(const Words &w, Interface &out)
{
    out.linkType = std::string(w[0].substr(5));
    // BusyBox prints the types it has no name for as numbers: "link/[65534]" is
    // iproute2's "link/none" (a TUN device).
    if (out.linkType == "[65534]")
        out.linkType = "none";
    // Keywords are lower-case words; an address has digits, ':' or '.'.
    if (w.size() > 1 && std::any_of(w[1].begin(), w[1].end(), [](char c) {
            return !((c >= 'a' && c <= 'z') || c == '-' || c == '_');
        }))
        out.linkAddress = std::string(w[1]);
    for (std::size_t i = 1; i + 1 < w.size(); ++i) {
        if (w[i] == "link-netnsid") {
            if (auto id = text::toUnsigned<std::uint32_t>(w[i + 1]); id && *id <= 0x7fffffffu)
                out.linkNetnsId = int(*id);
        } else if (w[i] == "link-netns") {
            out.linkNetns = std::string(w[i + 1]);
        }
    }
}

std::optional<Ipv4> ipv4OrIgnore(std::string_view s, bool &bad)
{
    if (auto a = Ipv4::parse(s))
        return a;
    if (!text::looksLikeIpv6(s))
        bad = true;
    return std::nullopt;
}

// "vxlan id 4096 local 198.51.100.1 dev eth0 srcport 0 0 dstport 4789 nolearning ..."
std::optional<LineError> parseVxlan(const Words &w, VxlanInfo &v)
{
    bool bad = false;
    for (std::size_t i = 1; i < w.size(); ++i) {
        bool hasValue = i + 1 < w.size();
        auto key = w[i];
        if (key == "id" && hasValue) {
            v.vni = text::toUnsigned<std::uint32_t>(w[++i]);
            bad |= !v.vni;
        } else if (key == "local" && hasValue) {
            v.local = ipv4OrIgnore(w[++i], bad);
        } else if ((key == "remote" || key == "group") && hasValue) {
            v.remote = ipv4OrIgnore(w[++i], bad);
        } else if (key == "dev" && hasValue) {
            v.device = std::string(w[++i]);
        } else if (key == "dstport" && hasValue) {
            v.dstPort = text::toUnsigned<std::uint16_t>(w[++i]);
            bad |= !v.dstPort;
        } else if (key == "srcport") {
            i += 2;
        } else if (key == "nolearning") {
            v.learning = false;
        } else if (key == "external") {
            v.external = true;
        }
        if (bad)
            return LineError{"unreadable VXLAN details"};
    }
    return std::nullopt;
}

bool isKindWord(std::string_view w)
{
    static constexpr std::array<std::string_view, 6> kNotKinds{
        "alias", "altname", "vf", "addrgenmode", "numtxqueues", "valid_lft"};
    if (w.empty() || std::find(kNotKinds.begin(), kNotKinds.end(), w) != kNotKinds.end())
        return false;
    return std::all_of(w.begin(), w.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

// The -d line right after "link/...": "vxlan id ...", "tun type tun ...", "veth".
std::optional<LineError> parseKindLine(const Words &w, Interface &out)
{
    // Read before anything is set: a kind line that is skipped leaves no trace.
    VxlanInfo v;
    if (w[0] == "vxlan")
        if (auto e = parseVxlan(w, v))
            return e;
    // A second "link/" line (garbled or concatenated output) brings its own kind line;
    // what the first one said must not survive under the new kind.
    out.kind = std::string(w[0]);
    out.vxlan.reset();
    out.tunType.clear();
    if (w[0] == "vxlan") {
        out.vxlan = v;
    } else if (w[0] == "tun") {
        for (std::size_t i = 1; i + 1 < w.size(); ++i)
            if (w[i] == "type")
                out.tunType = std::string(w[i + 1]);
    }
    return std::nullopt;
}

// "inet 198.51.100.11/24 brd 198.51.100.255 scope global secondary eth0:1"
// "inet 198.18.99.1 peer 198.18.99.2/32 scope global tunl0"
std::optional<LineError> parseInet(const Words &w, InterfaceAddress &a)
{
    if (w.size() < 2)
        return LineError{"inet line without an address"};
    std::size_t i = 2;
    std::string_view local = w[1];
    std::string_view peer;
    if (i + 1 < w.size() && w[i] == "peer") {
        peer = w[i + 1];
        i += 2;
    }
    // The prefix length follows the peer when there is one.
    std::string_view &withLength = peer.empty() ? local : peer;
    int length = 32;
    if (auto slash = withLength.find('/'); slash != std::string_view::npos) {
        auto len = text::toUnsigned<int>(withLength.substr(slash + 1));
        if (!len || *len > 32)
            return LineError{"inet line with an unreadable prefix length"};
        length = *len;
        withLength = withLength.substr(0, slash);
    }
    auto localAddress = Ipv4::parse(local);
    if (!localAddress)
        return LineError{"inet line with an unreadable address"};
    a.address = Ipv4Prefix(*localAddress, length);
    if (!peer.empty() && !(a.peer = Ipv4::parse(peer)))
        return LineError{"inet line with an unreadable peer address"};

    Words loose;
    for (; i < w.size(); ++i) {
        bool hasValue = i + 1 < w.size();
        if (w[i] == "brd" && hasValue) {
            if (!(a.broadcast = Ipv4::parse(w[++i])))
                return LineError{"inet line with an unreadable broadcast address"};
        } else if (w[i] == "scope" && hasValue) {
            a.scope = std::string(w[++i]);
        } else if ((w[i] == "metric" || w[i] == "anycast" || w[i] == "flags") && hasValue) {
            ++i;
        } else {
            loose.push_back(w[i]);
        }
    }
    if (!loose.empty() && !isAddressFlag(loose.back())) {
        a.label = std::string(loose.back());
        loose.pop_back();
    }
    for (auto f : loose)
        a.flags.emplace_back(f);
    std::sort(a.flags.begin(), a.flags.end());
    return std::nullopt;
}

// "inet6 fe80::1/64 scope link", or "inet6 ::1 peer ::2/128 ...": as "ADDR/LEN".
std::optional<LineError> parseInet6(const Words &w, std::string &out)
{
    if (w.size() < 2)
        return LineError{"inet6 line without an address"};
    out = std::string(w[1]);
    if (w.size() > 3 && w[2] == "peer") {
        auto slash = w[3].find('/');
        if (slash != std::string_view::npos && out.find('/') == std::string::npos)
            out += std::string(w[3].substr(slash));
    }
    return std::nullopt;
}

} // namespace

bool Interface::hasFlag(std::string_view flag) const
{
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::vector<Ipv6Prefix> Interface::ipv6Prefixes() const
{
    std::vector<Ipv6Prefix> out;
    for (const std::string &a : ipv6)
        if (const auto p = Ipv6Prefix::parse(a))
            out.push_back(*p);
    return out;
}

const Interface *findInterface(const std::vector<Interface> &interfaces, std::string_view name)
{
    for (const auto &i : interfaces)
        if (i.name == name)
            return &i;
    return nullptr;
}

Result<InterfaceList> parseIpAddr(std::string_view output)
{
    return ipjson::looksLikeJson(output) ? parseIpAddrJson(output) : parseIpAddrText(output);
}

Result<InterfaceList> parseIpAddrText(std::string_view output)
{
    if (output.size() > text::kMaxInputBytes)
        return Error{"ip addr output is too large to read", std::to_string(output.size()) + " bytes",
                     "Narrow the command (`ip addr show dev NAME`) and run it again", 0};
    InterfaceList list;
    std::vector<Interface> &out = list.interfaces;
    auto skip = [&](Error e) { list.unreadable.push_back(std::move(e)); };
    text::LineReader reader(output);
    std::string_view line;
    bool afterLinkLine = false;
    // The header of the block being read could not be read: the lines under it are
    // left out with it, since they describe an interface of unknown name.
    bool blockSkipped = false;
    bool blockNoted = false;
    while (reader.next(line)) {
        if (text::trim(line).empty())
            continue;
        if (!text::isSpace(line.front())) {
            Interface iface;
            afterLinkLine = false;
            blockSkipped = false;
            if (auto e = parseHeader(line, iface)) {
                skip(errorAt(reader, line, e->message));
                blockSkipped = true;
                blockNoted = false;
                continue;
            }
            out.push_back(std::move(iface));
            continue;
        }
        if (blockSkipped) {
            if (!blockNoted)
                list.unreadable.back().message += "; the lines under it are skipped with it";
            blockNoted = true;
            continue;
        }
        if (out.empty()) {
            skip(errorAt(reader, line, "indented line before any interface"));
            continue;
        }
        Interface &iface = out.back();
        Words w = text::words(line);
        bool wasAfterLink = afterLinkLine;
        afterLinkLine = false;
        std::optional<LineError> e;
        if (text::startsWith(w[0], "link/")) {
            parseLinkLine(w, iface);
            afterLinkLine = true;
        } else if (w[0] == "inet") {
            InterfaceAddress a;
            if (!(e = parseInet(w, a)))
                iface.ipv4.push_back(std::move(a));
        } else if (w[0] == "inet6") {
            std::string a;
            if (!(e = parseInet6(w, a)))
                iface.ipv6.push_back(std::move(a));
        } else if (w[0] == "altname" && w.size() > 1) {
            iface.altNames.emplace_back(w[1]);
        } else if (text::endsWith(w[0], "_slave") && w[0].size() > 6) {
            iface.slaveKind = std::string(w[0].substr(0, w[0].size() - 6));
        } else if (wasAfterLink && isKindWord(w[0])) {
            e = parseKindLine(w, iface);
        }
        // Other indented lines (valid_lft, RX:/TX: counters, alias) are not kept.
        if (e)
            skip(errorAt(reader, line, e->message));
    }
    // Nothing but lines that are not `ip addr`: the command printed something else.
    if (out.empty() && !list.unreadable.empty())
        return list.unreadable.front();
    return list;
}

} // namespace podpath::parse
