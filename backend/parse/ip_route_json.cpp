// `ip -j route`: the same RouteTable the text reader gives for the same state.

#include "ip_route.h"

#include "ip_json.h"
#include "text.h"

namespace podpath::parse {

namespace {

using ipjson::Fields;

// An address field as `Address`'s family: the other family's reads as none, no error.
std::optional<Ipv4> address(Fields &f, const char *key, const Ipv4 *) { return f.ipv4(key); }
std::optional<Ipv6> address(Fields &f, const char *key, const Ipv6 *) { return f.ipv6(key); }

// "gateway": "198.51.100.2", or "via": {"family": "inet6", "host": "fe80::1"}.
template <class Address>
std::optional<Address> readGateway(Fields &f)
{
    const Address *family = nullptr;
    if (f.has("gateway"))
        return address(f, "gateway", family);
    Fields via = f.object("via");
    auto gateway = address(via, "host", family);
    f.absorb(via);
    return gateway;
}

bool isIpv6(Fields &f, const std::string &destination)
{
    return text::looksLikeIpv6(destination) || f.has("pref");
}

constexpr const char *kCommand = "ip -j route";

// One route element into `into`, read as `r`'s family. A bad field of the route itself
// skips it, as an unreadable line does in text, and its hops go with it; a hop that
// cannot be read is skipped and its route kept.
template <class R>
void readRoute(R r, Fields &f, const std::string &destination, int line, std::vector<R> &into,
               std::vector<Error> &unreadable)
{
    using Address = typename decltype(r.gateway)::value_type;
    if (auto type = f.string("type")) {
        if (auto t = route_detail::typeFromName(*type))
            r.type = *t;
        else
            f.fail("unknown route type \"" + *type + "\"");
    }
    if (auto prefix = decltype(r.destination)::parse(destination))
        r.destination = *prefix;
    else
        f.fail("unreadable \"dst\"");
    r.gateway = readGateway<Address>(f);
    r.device = f.string("dev").value_or("");
    r.protocol = f.string("protocol");
    r.scope = f.string("scope").value_or("");
    r.source = address(f, "prefsrc", static_cast<const Address *>(nullptr));
    if (auto metric = f.number("metric", 0xffffffffu))
        r.metric = std::uint32_t(*metric);
    r.table = f.string("table").value_or("");
    r.flags = f.strings("flags");
    for (const auto &m : f.array("metrics")) {
        Fields metrics(m, line, kCommand);
        if (auto mtu = metrics.number("mtu", 0xffffffffu))
            r.mtu = std::uint32_t(*mtu);
        f.absorb(metrics);
    }
    std::vector<Error> badHops;
    for (const auto &element : f.array("nexthops")) {
        Fields hop(element, line, kCommand);
        typename decltype(r.nexthops)::value_type nh;
        nh.gateway = readGateway<Address>(hop);
        nh.device = hop.string("dev").value_or("");
        nh.weight = int(hop.number("weight", 256).value_or(1));
        nh.flags = hop.strings("flags");
        if (hop.error())
            badHops.push_back(*hop.error());
        else
            r.nexthops.push_back(std::move(nh));
    }
    if (f.error()) {
        unreadable.push_back(*f.error());
        return;
    }
    unreadable.insert(unreadable.end(), badHops.begin(), badHops.end());
    into.push_back(std::move(r));
}

} // namespace

Result<RouteTable> parseIpRouteJson(std::string_view output)
{
    auto doc = ipjson::load(output, kCommand);
    if (!doc)
        return doc.error();
    RouteTable table;
    for (std::size_t n = 0; n < doc->elements.size(); ++n) {
        Fields f(doc->elements[n], doc->lineOf(n), kCommand);
        auto destination = f.string("dst");
        if (f.isObject() && !destination)
            f.fail("a route without \"dst\"");
        if (f.error()) {
            table.unreadable.push_back(*f.error());
            continue;
        }
        if (isIpv6(f, *destination))
            readRoute(Route6{}, f, *destination, doc->lineOf(n), table.routes6, table.unreadable);
        else
            readRoute(Route{}, f, *destination, doc->lineOf(n), table.routes, table.unreadable);
    }
    // Elements, yet none a route: not a routing table (a malformed document is refused
    // by load above).
    if (table.routes.empty() && table.routes6.empty() && !table.unreadable.empty())
        return table.unreadable.front();
    return table;
}

} // namespace podpath::parse

