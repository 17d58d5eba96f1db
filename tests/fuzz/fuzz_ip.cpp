// Every iproute2 reader (ip addr/link, ip route, ip neigh, bridge fdb; text, JSON and
// auto-detecting) on the same bytes: none may crash, the auto entry must agree with
// the explicit one it picks, and errors must point at a line that exists. The readers
// are total per line (issue #13): every line (every top-level JSON element) that
// starts an entry is read into one or listed as unreadable, never lost in silence, and
// output with nothing readable in it is an Error, not an empty table.
#include "parse/ip_addr.h"
#include "parse/ip_netns.h"
#include "parse/ip_json.h"
#include "parse/ip_neigh.h"
#include "parse/ip_route.h"
#include "parse/text.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>
#include <vector>

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

// What the text readers count as a unit: the numbers of non-blank lines, all of them
// or only those not indented (a route or an interface header; indented lines
// continue the unit above).
std::set<int> unitLines(std::string_view s, bool unindentedOnly)
{
    std::set<int> out;
    text::LineReader reader(s);
    std::string_view line;
    while (reader.next(line))
        if (!text::trim(line).empty() && !(unindentedOnly && text::isSpace(line.front())))
            out.insert(reader.lineNumber());
    return out;
}

std::size_t topLevelElements(std::string_view s)
{
    auto doc = ipjson::load(s, "fuzz");
    return doc.ok() ? doc->elements.size() : 0;
}

// Each skipped line names a line that exists and a reason, with a trimmed, bounded
// excerpt; returns how many of them are unit lines.
std::size_t checkUnreadable(const std::vector<Error> &unreadable, const std::set<int> &units, int lines)
{
    std::size_t atUnits = 0;
    for (const auto &e : unreadable) {
        check(e.line >= 1 && e.line <= lines && !e.message.empty());
        check(e.context.size() <= 160);
        check(e.context.empty() || (!text::isSpace(e.context.front()) && !text::isSpace(e.context.back())) ||
              e.context.size() == 160);
        atUnits += units.count(e.line);
    }
    return atUnits;
}

// Text: every unit line is an entry or skipped. JSON: every element is an entry or
// skipped, and a skipped part of an element (an address, a nexthop) is listed too.
void checkTotal(std::string_view s, bool json, bool unindentedOnly, std::size_t read,
                const std::vector<Error> &unreadable, int lines)
{
    check(read > 0 || unreadable.empty());  // nothing readable is an Error
    if (json) {
        const std::size_t elements = topLevelElements(s);
        check(read <= elements && read + unreadable.size() >= elements);
        for (const auto &e : unreadable)
            check(e.line >= 1 && e.line <= lines && !e.message.empty());
        return;
    }
    const auto units = unitLines(s, unindentedOnly);
    check(read + checkUnreadable(unreadable, units, lines) == units.size());
}

void interfaces(std::string_view s, bool json, int lines)
{
    auto a = parseIpAddr(s);
    sameOutcome(a, json ? parseIpAddrJson(s) : parseIpAddrText(s), lines);
    if (!a.ok())
        return;
    checkTotal(s, json, true, a->interfaces.size(), a->unreadable, lines);
    for (const auto &i : a->interfaces) {
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
    checkTotal(s, json, true, t->routes.size() + t->routes6.size(), t->unreadable, lines);
    // A route's own address is answered by it or by a more specific route, in each family.
    auto answered = [&](const auto &routes) {
        std::size_t n = std::min<std::size_t>(routes.size(), 16);
        for (std::size_t k = 0; k < n; ++k) {
            const auto &r = routes[k];
            if (!r.inMainTable())
                continue;
            auto best = t->routeFor(r.destination.address());
            check(best && best->destination.contains(r.destination.address()) &&
                  best->destination.length() >= r.destination.length());
        }
    };
    answered(t->routes);
    answered(t->routes6);
}

void neighbours(std::string_view s, bool json, int lines)
{
    auto n = parseIpNeigh(s);
    sameOutcome(n, json ? parseIpNeighJson(s) : parseIpNeighText(s), lines);
    if (n.ok()) {
        checkTotal(s, json, false, n->neighbours.size(), n->unreadable, lines);
        if (json)  // no part of a neighbour is skipped on its own
            check(n->neighbours.size() + n->unreadable.size() == topLevelElements(s));
        for (const auto &e : n->neighbours)
            check(!e.ipv4 || e.address == e.ipv4->toString());
    }
    auto f = parseBridgeFdb(s);
    sameOutcome(f, json ? parseBridgeFdbJson(s) : parseBridgeFdbText(s), lines);
    if (f.ok()) {
        checkTotal(s, json, false, f->entries.size(), f->unreadable, lines);
        if (json)
            check(f->entries.size() + f->unreadable.size() == topLevelElements(s));
        for (const auto &e : f->entries)
            check(!e.mac.empty() && (!e.dstIpv4 || e.dst == e.dstIpv4->toString()));
    }
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
    // `ip netns list`: every line is a namespace or a skipped line that says where.
    const auto netns = podpath::parse::parseIpNetnsList(s);
    for (const auto &e : netns.unreadable)
        if (e.message.empty() || e.line <= 0 || e.line > lines)
            __builtin_trap();
    for (const auto &n : netns.namespaces)
        if (n.name.empty() || (n.id && *n.id < 0))
            __builtin_trap();
    return 0;
}
