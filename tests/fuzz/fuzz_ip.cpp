// Every iproute2 reader (ip addr/link, ip route, ip neigh, bridge fdb; text, JSON and
// auto-detecting) on the same bytes: none may crash, the auto entry must agree with
// the explicit one it picks, and errors must point at a line that exists.
#include "parse/ip_addr.h"
#include "parse/ip_json.h"
#include "parse/ip_neigh.h"
#include "parse/ip_route.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace podpath;
using namespace podpath::parse;

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

template <class T>
void sameOutcome(const Result<T> &autoDetected, const Result<T> &explicitForm, int lines)
{
    check(autoDetected.ok() == explicitForm.ok());
    if (autoDetected.ok())
        check(*autoDetected == *explicitForm);
    else
        check(autoDetected.error().line >= 0 && autoDetected.error().line <= lines &&
              !autoDetected.error().message.empty());
}

void interfaces(std::string_view s, bool json, int lines)
{
    auto a = parseIpAddr(s);
    sameOutcome(a, json ? parseIpAddrJson(s) : parseIpAddrText(s), lines);
    if (!a.ok())
        return;
    for (const auto &i : *a) {
        check(json || !i.name.empty());
        for (const auto &addr : i.ipv4)
            check(addr.address.length() >= 0 && addr.address.length() <= 32);
        if (i.vxlan)
            check(i.kind == "vxlan");
    }
}

void routes(std::string_view s, bool json, int lines)
{
    auto t = parseIpRoute(s);
    sameOutcome(t, json ? parseIpRouteJson(s) : parseIpRouteText(s), lines);
    if (!t.ok())
        return;
    // A route's own address is answered by it or by a more specific route.
    std::size_t n = std::min<std::size_t>(t->routes.size(), 16);
    for (std::size_t k = 0; k < n; ++k) {
        const auto &r = t->routes[k];
        if (!r.inMainTable())
            continue;
        auto best = t->routeFor(r.destination.address());
        check(best && best->destination.contains(r.destination.address()) &&
              best->destination.length() >= r.destination.length());
    }
}

void neighbours(std::string_view s, bool json, int lines)
{
    auto n = parseIpNeigh(s);
    sameOutcome(n, json ? parseIpNeighJson(s) : parseIpNeighText(s), lines);
    if (n.ok())
        for (const auto &e : *n)
            check(!e.ipv4 || e.address == e.ipv4->toString());
    auto f = parseBridgeFdb(s);
    sameOutcome(f, json ? parseBridgeFdbJson(s) : parseBridgeFdbText(s), lines);
    if (f.ok())
        for (const auto &e : *f)
            check(!e.mac.empty() && (!e.dstIpv4 || e.dst == e.dstIpv4->toString()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view s(reinterpret_cast<const char *>(data), size);
    bool json = ipjson::looksLikeJson(s);
    int lines = int(std::count(s.begin(), s.end(), '\n')) + 1;
    interfaces(s, json, lines);
    routes(s, json, lines);
    neighbours(s, json, lines);
    return 0;
}
