#pragma once
// `ip route` (text or -j, also `-d` and `show table all`): the routing table, and the
// question the diagnosis asks of it: which route carries packets to the peer's block
// or tunnel address.

#include "core/ipv4.h"
#include "core/ipv6.h"
#include "core/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse {

enum class RouteType { Unicast, Local, Broadcast, Anycast, Multicast, Blackhole, Unreachable,
                       Prohibit, Throw, Nat, XResolve };
std::string_view toString(RouteType type);  // as iproute2 prints it: "blackhole"

// One "nexthop via ... dev ... weight N" of a multipath route.
template <class Address>
struct BasicNexthop {
    std::optional<Address> gateway;
    std::string device;
    int weight = 1;
    std::vector<std::string> flags;        // "onlink", "dead", "linkdown"...

    bool operator==(const BasicNexthop &) const = default;
};

// One route of either family: the same fields, each family's addresses.
template <class Address, class Prefix>
struct BasicRoute {
    RouteType type = RouteType::Unicast;
    Prefix destination;                    // "default" is 0.0.0.0/0 (::/0), a bare address /32 (/128)
    std::optional<Address> gateway;        // "via"; nullopt for a gateway of the other family (RFC 5549)
    std::string device;                    // empty for blackhole, multipath, and output
                                           // of `ip route show dev X`
    std::optional<std::string> protocol;   // raw: "bird", "80", "kernel"; nullopt when the
                                           // line has no proto (boot, hidden without -d)
    std::string scope;                     // "link", "host"; empty when not shown (global)
    std::optional<Address> source;         // "src"
    std::optional<std::uint32_t> metric;   // nullopt when not shown (0)
    std::string table;                     // "local", "100"; empty when not shown (main)
    std::optional<std::uint32_t> mtu;      // "mtu [lock] N"
    std::vector<std::string> flags;        // "onlink", "linkdown", "dead", "offload"...
    std::vector<BasicNexthop<Address>> nexthops;  // multipath: gateway and device stay empty

    bool hasFlag(std::string_view flag) const;
    // "bird" and "12" are the same protocol: names from iproute2's rt_protos, numbers as
    // is; no proto shown is boot (3), which iproute2 hides. nullopt for unknown names.
    std::optional<int> protocolNumber() const;
    bool inMainTable() const { return table.empty() || table == "main"; }
    bool operator==(const BasicRoute &) const = default;
};

using Nexthop = BasicNexthop<Ipv4>;
using Route = BasicRoute<Ipv4, Ipv4Prefix>;
// IPv6 routes (`ip -6 route`, or the IPv6 lines of `show table all`): a dual-stack
// node's blocks through vxlan-v6.calico.
using Route6 = BasicRoute<Ipv6, Ipv6Prefix>;

struct RouteTable {
    std::vector<Route> routes;             // IPv4 routes in output order
    std::vector<Route6> routes6;           // IPv6 routes in output order
    // Lines (text) or elements (-j) that could not be read, each skipped: message,
    // trimmed excerpt, next step, line. A route type or attribute a newer iproute2
    // prints, or a warning the node mixed in, must not hide the routes around it.
    std::vector<Error> unreadable;

    // The route the kernel would pick in `table` ("main" also matches routes printed
    // without a table): longest prefix, then lowest metric, then first printed. All
    // types take part (a blackhole or unreachable route answers too); null when none
    // matches. Policy rules are not modelled.
    const Route *routeFor(Ipv4 destination, std::string_view table = "main") const;
    const Route6 *routeFor(const Ipv6 &destination, std::string_view table = "main") const;

    bool operator==(const RouteTable &) const = default;
};

// Text or JSON, told apart by the first non-space character. Empty output is an
// empty table. Route attributes PodPath does not use (pref, expires, realms, encap
// details, most metrics) are skipped.
//
// Total per line: a line that is not a route (an element that is not a route object,
// in JSON) is kept in `unreadable` and skipped, and every other line is still read; the
// nexthop lines under a skipped route go with it. A nexthop that cannot be read is
// skipped the same way and its route is kept: the route still answers routeFor for its
// prefix, where leaving it out would let a shorter one answer. Errors are only: output
// that is no route table at all (nothing but unreadable lines: "Permission denied",
// "Object \"route\" is unknown"), JSON that does not parse or is not a list, and
// oversized output.
Result<RouteTable> parseIpRoute(std::string_view output);
Result<RouteTable> parseIpRouteText(std::string_view output);
Result<RouteTable> parseIpRouteJson(std::string_view output);

namespace route_detail {
// Shared by the text and JSON readers.
std::optional<RouteType> typeFromName(std::string_view name);
}

} // namespace podpath::parse
