// `ip -j route`: the same RouteTable the text reader gives for the same state.

#include "ip_route.h"

#include "ip_json.h"
#include "text.h"

namespace podpath::parse {

namespace {

using ipjson::Fields;

// "gateway": "198.51.100.2", or "via": {"family": "inet6", "host": "fe80::1"}.
std::optional<Ipv4> readGateway(Fields &f)
{
    if (f.has("gateway"))
        return f.ipv4("gateway");
    Fields via = f.object("via");
    auto gateway = via.ipv4("host");
    f.absorb(via);
    return gateway;
}

bool isIpv6(Fields &f, const std::string &destination)
{
    return text::looksLikeIpv6(destination) || f.has("pref");
}

} // namespace

Result<RouteTable> parseIpRouteJson(std::string_view output)
{
    constexpr const char *kCommand = "ip -j route";
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
        if (isIpv6(f, *destination)) {
            ++table.ipv6Skipped;
            continue;
        }
        Route r;
        if (auto type = f.string("type")) {
            if (auto t = route_detail::typeFromName(*type))
                r.type = *t;
            else
                f.fail("unknown route type \"" + *type + "\"");
        }
        if (auto prefix = Ipv4Prefix::parse(*destination))
            r.destination = *prefix;
        else
            f.fail("unreadable \"dst\"");
        r.gateway = readGateway(f);
        r.device = f.string("dev").value_or("");
        r.protocol = f.string("protocol");
        r.scope = f.string("scope").value_or("");
        r.source = f.ipv4("prefsrc");
        if (auto metric = f.number("metric", 0xffffffffu))
            r.metric = std::uint32_t(*metric);
        r.table = f.string("table").value_or("");
        r.flags = f.strings("flags");
        for (const auto &m : f.array("metrics")) {
            Fields metrics(m, doc->lineOf(n), kCommand);
            if (auto mtu = metrics.number("mtu", 0xffffffffu))
                r.mtu = std::uint32_t(*mtu);
            f.absorb(metrics);
        }
        std::vector<Error> badHops;
        for (const auto &element : f.array("nexthops")) {
            Fields hop(element, doc->lineOf(n), kCommand);
            Nexthop nh;
            nh.gateway = readGateway(hop);
            nh.device = hop.string("dev").value_or("");
            nh.weight = int(hop.number("weight", 256).value_or(1));
            nh.flags = hop.strings("flags");
            // As in text, a hop that cannot be read is skipped and its route kept.
            if (hop.error())
                badHops.push_back(*hop.error());
            else
                r.nexthops.push_back(std::move(nh));
        }
        // A bad field of the route itself skips the route, as an unreadable line does
        // in text; its hops go with it.
        if (f.error()) {
            table.unreadable.push_back(*f.error());
            continue;
        }
        table.unreadable.insert(table.unreadable.end(), badHops.begin(), badHops.end());
        table.routes.push_back(std::move(r));
    }
    // Elements, yet none a route: not a routing table (a malformed document is refused
    // by load above).
    if (table.routes.empty() && table.ipv6Skipped == 0 && !table.unreadable.empty())
        return table.unreadable.front();
    return table;
}

} // namespace podpath::parse
