#include "ip_route.h"

#include "ip_json.h"
#include "text.h"

#include <algorithm>
#include <array>
#include <utility>

namespace podpath::parse {

namespace {

constexpr const char *kNextStep =
    "Run `ip route` on the node and compare; PodPath reads the default, -d and -j forms";

using Words = std::vector<std::string_view>;

constexpr std::array<std::pair<std::string_view, RouteType>, 11> kTypes{{
    {"unicast", RouteType::Unicast}, {"local", RouteType::Local},
    {"broadcast", RouteType::Broadcast}, {"anycast", RouteType::Anycast},
    {"multicast", RouteType::Multicast}, {"blackhole", RouteType::Blackhole},
    {"unreachable", RouteType::Unreachable}, {"prohibit", RouteType::Prohibit},
    {"throw", RouteType::Throw}, {"nat", RouteType::Nat}, {"xresolve", RouteType::XResolve},
}};

// rtnetlink.h and iproute2's rt_protos; a node may name more in /etc/iproute2.
constexpr std::array<std::pair<std::string_view, int>, 22> kProtocols{{
    {"unspec", 0}, {"redirect", 1}, {"kernel", 2}, {"boot", 3}, {"static", 4}, {"gated", 8},
    {"ra", 9}, {"mrt", 10}, {"zebra", 11}, {"bird", 12}, {"dnrouted", 13}, {"xorp", 14},
    {"ntk", 15}, {"dhcp", 16}, {"keepalived", 18}, {"babel", 42}, {"openr", 99}, {"bgp", 186},
    {"isis", 187}, {"ospf", 188}, {"rip", 189}, {"eigrp", 192},
}};

// Flags print_rt_flags and print_rta_multipath write, without values.
bool isRouteFlag(std::string_view w)
{
    static constexpr std::array<std::string_view, 11> kFlags{
        "dead", "onlink", "pervasive", "offload", "trap", "notify", "linkdown", "unresolved",
        "rt_offload", "rt_trap", "rt_offload_failed"};
    return std::find(kFlags.begin(), kFlags.end(), w) != kFlags.end();
}

// Attributes followed by one value that PodPath does not keep.
bool isSkippedWithValue(std::string_view w)
{
    static constexpr std::array<std::string_view, 30> kKeys{
        "from", "tos", "dsfield", "realm", "realms", "expires", "error", "hoplimit", "advmss",
        "rtt", "rttvar", "reordering", "window", "cwnd", "ssthresh", "initcwnd", "initrwnd",
        "features", "quickack", "congctl", "fastopen_no_cookie", "rto_min", "pref", "uid",
        "iif", "mark", "ttl-propagate", "nhid", "age", "ipid"};
    return std::find(kKeys.begin(), kKeys.end(), w) != kKeys.end();
}

struct Problem {
    std::string message;
};

// Reads `text` as `out`'s family. True also for an address of the other family, left
// unset (an IPv6 gateway of an IPv4 route, RFC 5549); false for anything else.
bool readAddress(std::string_view text, std::optional<Ipv4> &out)
{
    out = Ipv4::parse(text);
    return out || text::looksLikeIpv6(text);
}
bool readAddress(std::string_view text, std::optional<Ipv6> &out)
{
    out = Ipv6::parse(text);
    return out || Ipv4::parse(text);
}

// "via [inet|inet6] ADDR"
template <class Address>
std::optional<Problem> readGateway(const Words &w, std::size_t &i, std::optional<Address> &gateway)
{
    if (i + 1 < w.size() && (w[i + 1] == "inet" || w[i + 1] == "inet6"))
        ++i;
    if (i + 1 >= w.size())
        return Problem{"\"via\" without an address"};
    if (!readAddress(w[++i], gateway))
        return Problem{"unreadable gateway address"};
    return std::nullopt;
}

// "nexthop via 198.51.100.2 dev eth0 weight 1 [flags]"
template <class Address>
std::optional<Problem> parseNexthop(const Words &w, BasicNexthop<Address> &nh)
{
    for (std::size_t i = 1; i < w.size(); ++i) {
        bool hasValue = i + 1 < w.size();
        if (w[i] == "via") {
            if (auto p = readGateway(w, i, nh.gateway))
                return p;
        } else if (w[i] == "dev" && hasValue) {
            nh.device = std::string(w[++i]);
        } else if (w[i] == "weight" && hasValue) {
            auto weight = text::toUnsigned<int>(w[++i]);
            if (!weight || *weight > 256)  // rtnh_hops + 1
                return Problem{"unreadable nexthop weight"};
            nh.weight = *weight;
        } else if (isRouteFlag(w[i])) {
            nh.flags.emplace_back(w[i]);
        }
    }
    return std::nullopt;
}

bool isIpv6Route(const Words &w, std::size_t destination)
{
    // Only IPv6 routes print "pref"; it also tells an IPv6 "default" from an IPv4 one.
    return text::looksLikeIpv6(w[destination]) || std::find(w.begin(), w.end(), "pref") != w.end();
}

template <class R>
std::optional<Problem> parseAttributes(const Words &w, std::size_t i, R &r)
{
    for (; i < w.size(); ++i) {
        auto key = w[i];
        bool hasValue = i + 1 < w.size();
        if (key == "via") {
            if (auto p = readGateway(w, i, r.gateway))
                return p;
        } else if (key == "dev" && hasValue) {
            r.device = std::string(w[++i]);
        } else if (key == "table" && hasValue) {
            r.table = std::string(w[++i]);
        } else if (key == "proto" && hasValue) {
            r.protocol = std::string(w[++i]);
        } else if (key == "scope" && hasValue) {
            r.scope = std::string(w[++i]);
        } else if (key == "src" && hasValue) {
            if (!readAddress(w[++i], r.source))
                return Problem{"unreadable \"src\" address"};
        } else if (key == "metric") {
            if (!hasValue || !(r.metric = text::toUnsigned<std::uint32_t>(w[++i])))
                return Problem{"unreadable metric"};
        } else if (key == "mtu") {
            if (hasValue && w[i + 1] == "lock")
                ++i;
            if (i + 1 >= w.size() || !(r.mtu = text::toUnsigned<std::uint32_t>(w[++i])))
                return Problem{"unreadable mtu"};
        } else if (isRouteFlag(key)) {
            r.flags.emplace_back(key);
        } else if (key == "encap") {
            // Lightweight-tunnel details run until the next route attribute.
            while (i + 1 < w.size() && w[i + 1] != "via" && w[i + 1] != "dev" &&
                   w[i + 1] != "proto" && w[i + 1] != "scope" && w[i + 1] != "metric" &&
                   w[i + 1] != "table" && !isRouteFlag(w[i + 1]))
                ++i;
        } else if (isSkippedWithValue(key) && hasValue) {
            if (i + 2 < w.size() && w[i + 1] == "lock")
                ++i;
            ++i;
        }
        // Anything else ("cache", unknown words) carries nothing PodPath uses.
    }
    return std::nullopt;
}

} // namespace

std::string_view toString(RouteType type)
{
    for (const auto &[name, t] : kTypes)
        if (t == type)
            return name;
    return "unicast";
}

std::optional<RouteType> route_detail::typeFromName(std::string_view name)
{
    for (const auto &[n, t] : kTypes)
        if (n == name)
            return t;
    return std::nullopt;
}

template <class Address, class Prefix>
bool BasicRoute<Address, Prefix>::hasFlag(std::string_view flag) const
{
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

template <class Address, class Prefix>
std::optional<int> BasicRoute<Address, Prefix>::protocolNumber() const
{
    if (!protocol)
        return 3;  // not shown: RTPROT_BOOT, which iproute2 hides
    if (auto n = text::toUnsigned<int>(*protocol); n && *n <= 255)
        return n;
    for (const auto &[name, number] : kProtocols)
        if (name == *protocol)
            return number;
    return std::nullopt;
}

template struct BasicRoute<Ipv4, Ipv4Prefix>;
template struct BasicRoute<Ipv6, Ipv6Prefix>;

namespace {

template <class R, class Address>
const R *bestRoute(const std::vector<R> &routes, const Address &destination, std::string_view table)
{
    const R *best = nullptr;
    for (const auto &r : routes) {
        bool inTable = (table.empty() || table == "main") ? r.inMainTable() : r.table == table;
        if (!inTable || !r.destination.contains(destination))
            continue;
        if (!best || r.destination.length() > best->destination.length() ||
            (r.destination.length() == best->destination.length() &&
             r.metric.value_or(0) < best->metric.value_or(0)))
            best = &r;
    }
    return best;
}

} // namespace

const Route *RouteTable::routeFor(Ipv4 destination, std::string_view table) const
{
    return bestRoute(routes, destination, table);
}

const Route6 *RouteTable::routeFor(const Ipv6 &destination, std::string_view table) const
{
    return bestRoute(routes6, destination, table);
}

Result<RouteTable> parseIpRoute(std::string_view output)
{
    return ipjson::looksLikeJson(output) ? parseIpRouteJson(output) : parseIpRouteText(output);
}

Result<RouteTable> parseIpRouteText(std::string_view output)
{
    if (output.size() > text::kMaxInputBytes)
        return Error{"ip route output is too large to read", std::to_string(output.size()) + " bytes",
                     "Narrow the command (`ip route show ...`) and run it again", 0};
    RouteTable table;
    text::LineReader reader(output);
    std::string_view line;
    // Where nexthop lines go: to the last route (of its family); the nexthops below a
    // route skipped as unreadable are its own and must not join the route above it.
    enum class Last { NoRoute, Skipped, V4, V6 } last = Last::NoRoute;
    auto skip = [&](std::string message) {
        table.unreadable.push_back(
            Error{std::move(message), std::string(text::excerpt(text::trim(line))), kNextStep, reader.lineNumber()});
    };
    while (reader.next(line)) {
        Words w = text::words(line);
        if (w.empty())
            continue;
        if (text::isSpace(line.front())) {
            // Continuation lines: multipath nexthops, or "cache" under `ip route get`.
            if (w[0] != "nexthop" || last == Last::Skipped)
                continue;
            if (last == Last::NoRoute) {
                skip("nexthop line before any route");
                continue;
            }
            // The route stays: without this hop it still answers for its prefix, where
            // dropping it would let a shorter prefix answer instead.
            auto addHop = [&](auto &route) {
                typename std::remove_reference_t<decltype(route.nexthops)>::value_type nh;
                if (auto p = parseNexthop(w, nh))
                    skip(p->message);
                else
                    route.nexthops.push_back(std::move(nh));
            };
            if (last == Last::V4)
                addHop(table.routes.back());
            else
                addHop(table.routes6.back());
            continue;
        }
        last = Last::Skipped;
        std::size_t i = 0;
        const std::optional<RouteType> type = route_detail::typeFromName(w[0]);
        if (type)
            ++i;
        if (i >= w.size()) {
            skip("route without a destination");
            continue;
        }
        // One reader for both families: the same words, each family's addresses.
        auto read = [&](auto route, auto &into, Last kept) {
            route.type = type.value_or(RouteType::Unicast);
            auto destination = decltype(route.destination)::parse(w[i]);
            if (!destination) {
                skip("not a route: unreadable destination \"" + std::string(text::excerpt(w[i], 60)) + "\"");
                return;
            }
            route.destination = *destination;
            if (auto p = parseAttributes(w, i + 1, route)) {
                skip(p->message);
                return;
            }
            into.push_back(std::move(route));
            last = kept;
        };
        if (isIpv6Route(w, i))
            read(Route6{}, table.routes6, Last::V6);
        else
            read(Route{}, table.routes, Last::V4);
    }
    // Nothing but lines that are not routes: the command printed something else
    // instead ("Permission denied", "Object \"route\" is unknown").
    if (table.routes.empty() && table.routes6.empty() && !table.unreadable.empty())
        return table.unreadable.front();
    return table;
}

} // namespace podpath::parse
