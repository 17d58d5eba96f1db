// `bridge fdb show` (text or -j). Declared in ip_neigh.h beside the neighbour table,
// its VXLAN twin.

#include "ip_neigh.h"

#include "ip_json.h"
#include "text.h"

#include <algorithm>
#include <array>
#include <type_traits>

namespace podpath::parse {

namespace {

constexpr const char *kNextStep =
    "Run `bridge fdb show` on the node and compare; PodPath reads the default, -s and -j forms";

constexpr std::array<std::string_view, 5> kFlags{"self", "router", "extern_learn", "offload", "sticky"};
// state_n2a in iproute2's bridge/fdb.c; "" (dynamic) and "state 0x.." are the others.
constexpr std::array<std::string_view, 3> kStates{"permanent", "static", "stale"};

template <std::size_t N>
bool isOneOf(const std::array<std::string_view, N> &set, std::string_view w)
{
    return std::find(set.begin(), set.end(), w) != set.end();
}

// "66:0b:0b:0b:0b:02": hex pairs separated by ':'.
bool isMac(std::string_view s)
{
    if (s.size() < 2 || (s.size() + 1) % 3 != 0)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (i % 3 == 2 ? c != ':' : !hex)
            return false;
    }
    return true;
}

void setDst(FdbEntry &e, std::string_view dst)
{
    e.dst = std::string(dst);
    e.dstIpv4 = Ipv4::parse(dst);
    e.dstIpv6 = Ipv6::parse(dst);
}

} // namespace

bool FdbEntry::hasFlag(std::string_view flag) const
{
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

Result<FdbTable> parseBridgeFdb(std::string_view output)
{
    return ipjson::looksLikeJson(output) ? parseBridgeFdbJson(output) : parseBridgeFdbText(output);
}

Result<FdbTable> parseBridgeFdbText(std::string_view output)
{
    if (output.size() > text::kMaxInputBytes)
        return Error{"bridge fdb output is too large to read", std::to_string(output.size()) + " bytes",
                     "Narrow the command (`bridge fdb show dev NAME`) and run it again", 0};
    FdbTable table;
    text::LineReader reader(output);
    std::string_view line;
    while (reader.next(line)) {
        auto w = text::words(line);
        if (w.empty())
            continue;
        std::optional<Error> bad;
        auto fail = [&](std::string message) {
            bad = Error{std::move(message), std::string(text::excerpt(text::trim(line))), kNextStep,
                        reader.lineNumber()};
        };
        if (!isMac(w[0])) {
            fail("not an FDB entry: \"" + std::string(text::excerpt(w[0], 60)) + "\" is not a MAC address");
            table.unreadable.push_back(std::move(*bad));
            continue;
        }
        FdbEntry e;
        e.mac = std::string(w[0]);
        for (std::size_t i = 1; i < w.size() && !bad; ++i) {
            auto key = w[i];
            bool hasValue = i + 1 < w.size();
            auto number = [&](auto &field, std::uint64_t max) {
                using T = typename std::decay_t<decltype(field)>::value_type;
                auto v = text::toUnsigned<std::uint64_t>(w[++i]);
                if (v && *v <= max)
                    field = T(*v);
                return v && *v <= max;
            };
            if (key == "dev" && hasValue) {
                e.device = std::string(w[++i]);
            } else if (key == "dst" && hasValue) {
                setDst(e, w[++i]);
            } else if (key == "vlan" && hasValue) {
                if (!number(e.vlan, 0xffff))
                    fail("unreadable vlan");
            } else if (key == "vni" && hasValue) {
                if (!number(e.vni, 0xffffffffu))
                    fail("unreadable vni");
            } else if (key == "src_vni" && hasValue) {
                if (!number(e.srcVni, 0xffffffffu))
                    fail("unreadable src_vni");
            } else if (key == "port" && hasValue) {
                if (!number(e.port, 0xffff))
                    fail("unreadable port");
            } else if (key == "via" && hasValue) {
                // "via eth1", or "via ifindex 5" when the device is in another namespace.
                if (w[i + 1] == "ifindex" && i + 2 < w.size()) {
                    e.via = "if" + std::string(w[i + 2]);
                    i += 2;
                } else {
                    e.via = std::string(w[++i]);
                }
            } else if (key == "master") {
                // "master br0" names the bridge; a bare "master" is the flag.
                if (hasValue && !isOneOf(kFlags, w[i + 1]) && !isOneOf(kStates, w[i + 1]) && w[i + 1] != "state")
                    e.master = std::string(w[++i]);
                else
                    e.flags.emplace_back(key);
            } else if (isOneOf(kFlags, key)) {
                e.flags.emplace_back(key);
            } else if (isOneOf(kStates, key)) {
                e.state = std::string(key);
            } else if (key == "state" && hasValue) {
                e.state = std::string(w[++i]);
            } else if ((key == "nhid" || key == "link-netnsid" || key == "used") && hasValue) {
                ++i;
            }
            // "Deleted" (monitor) and unknown words carry nothing PodPath uses.
        }
        if (bad)
            table.unreadable.push_back(std::move(*bad));
        else
            table.entries.push_back(std::move(e));
    }
    // Nothing but lines that are not FDB entries: the command printed something else.
    if (table.entries.empty() && !table.unreadable.empty())
        return table.unreadable.front();
    return table;
}

Result<FdbTable> parseBridgeFdbJson(std::string_view output)
{
    constexpr const char *kCommand = "bridge -j fdb";
    auto doc = ipjson::load(output, kCommand);
    if (!doc)
        return doc.error();
    FdbTable table;
    for (std::size_t k = 0; k < doc->elements.size(); ++k) {
        ipjson::Fields f(doc->elements[k], doc->lineOf(k), kCommand);
        FdbEntry e;
        auto mac = f.string("mac");
        if (f.isObject() && (!mac || !isMac(*mac)))
            f.fail("an entry without a readable \"mac\"");
        e.mac = mac.value_or("");
        // iproute2 before 4.19 wrote "dev"; later versions write "ifname".
        e.device = f.string(f.has("ifname") ? "ifname" : "dev").value_or("");
        if (auto dst = f.string("dst"))
            setDst(e, *dst);
        if (auto v = f.number("vlan", 0xffff))
            e.vlan = std::uint16_t(*v);
        if (auto v = f.number("vni", 0xffffffffu))
            e.vni = std::uint32_t(*v);
        if (auto v = f.number("src_vni", 0xffffffffu))
            e.srcVni = std::uint32_t(*v);
        if (auto v = f.number("port", 0xffff))
            e.port = std::uint16_t(*v);
        if (auto via = f.string("viaIf"))
            e.via = *via;
        else if (auto index = f.number("viaIfIndex", 0xffffffffu))
            e.via = "if" + std::to_string(*index);
        e.master = f.string("master").value_or("");
        e.flags = f.strings("flags");
        e.state = f.string("state").value_or("");
        if (f.error())
            table.unreadable.push_back(*f.error());
        else
            table.entries.push_back(std::move(e));
    }
    if (table.entries.empty() && !table.unreadable.empty())
        return table.unreadable.front();
    return table;
}

} // namespace podpath::parse
