#pragma once
// Test helpers for the iproute2 parsers: fixture loading, and one-line renderings of
// the parsed structs so a failed comparison shows what differs, field by field.

#include "parse/ip_addr.h"
#include "parse/ip_neigh.h"
#include "parse/ip_route.h"

#include "fixture_file.h"

#include <QFile>
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace iptest {

using namespace podpath;
using namespace podpath::parse;

inline std::string readFixture(const QString &name) { return podpath::test::fixtureText(QStringLiteral("ip/") + name); }

inline QString q(const std::string &s) { return QString::fromStdString(s); }
inline QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
inline QString q(const std::optional<Ipv4> &a) { return a ? q(a->toString()) : QStringLiteral("-"); }
inline QString q(const std::optional<podpath::Ipv6> &a) { return a ? q(a->toString()) : QStringLiteral("-"); }
// The address as read: IPv4 as is, IPv6 marked, "-" when neither parsed.
inline QString family(const std::optional<Ipv4> &v4, const std::optional<podpath::Ipv6> &v6)
{
    return v4 ? q(v4) : v6 ? "IPv6 " + q(v6) : QStringLiteral("-");
}
template <class T>
QString num(const std::optional<T> &v) { return v ? QString::number(*v) : QStringLiteral("-"); }
inline QString list(const std::vector<std::string> &v)
{
    QStringList out;
    for (const auto &s : v)
        out << q(s);
    return out.join(',');
}

inline QString describe(const InterfaceAddress &a)
{
    return q(a.address.toString()) + " peer " + q(a.peer) + " brd " + q(a.broadcast) + " scope " +
           q(a.scope) + " label " + q(a.label) + " flags " + list(a.flags);
}

inline QString describe(const VxlanInfo &v)
{
    return "vni " + num(v.vni) + " local " + q(v.local) + " remote " + q(v.remote) + " dev " +
           q(v.device) + " dstport " + num(v.dstPort) + (v.learning ? " learning" : " nolearning") +
           (v.external ? " external" : "");
}

inline QString describe(const Interface &i)
{
    QStringList addrs;
    for (const auto &a : i.ipv4)
        addrs << describe(a);
    return QString::number(i.index) + ": " + q(i.name) + "@" + q(i.linkPeer) + " <" + list(i.flags) +
           "> mtu " + num(i.mtu) + " state " + q(i.operState) + " master " + q(i.master) + " link/" +
           q(i.linkType) + " " + q(i.linkAddress) + " alt " + list(i.altNames) + " kind " + q(i.kind) +
           " slave " + q(i.slaveKind) + " vxlan {" + (i.vxlan ? describe(*i.vxlan) : QString()) +
           "} tun " + q(i.tunType) + " inet [" + addrs.join("; ") + "] inet6 [" + list(i.ipv6) + "]";
}

template <class Address>
QString describe(const BasicNexthop<Address> &n)
{
    return "via " + q(n.gateway) + " dev " + q(n.device) + " weight " + QString::number(n.weight) +
           " flags " + list(n.flags);
}

template <class Address, class Prefix>
QString describe(const BasicRoute<Address, Prefix> &r)
{
    QStringList hops;
    for (const auto &n : r.nexthops)
        hops << describe(n);
    return q(toString(r.type)) + " " + q(r.destination.toString()) + " via " + q(r.gateway) + " dev " +
           q(r.device) + " proto " + (r.protocol ? q(*r.protocol) : "-") + " scope " + q(r.scope) +
           " src " + q(r.source) + " metric " + num(r.metric) + " table " + q(r.table) + " mtu " +
           num(r.mtu) + " flags " + list(r.flags) + " nexthops [" + hops.join("; ") + "]";
}

inline QString describe(const Neighbour &n)
{
    return q(n.address) + " (" + family(n.ipv4, n.ipv6) + ") dev " + q(n.device) + " lladdr " + q(n.lladdr) +
           " states " + list(n.states) + (n.router ? " router" : "") + (n.proxy ? " proxy" : "") +
           " flags " + list(n.flags);
}

inline QString describe(const FdbEntry &e)
{
    return q(e.mac) + " dev " + q(e.device) + " dst " + q(e.dst) + " (" + family(e.dstIpv4, e.dstIpv6) + ") vlan " +
           num(e.vlan) + " vni " + num(e.vni) + " src_vni " + num(e.srcVni) + " port " + num(e.port) +
           " via " + q(e.via) + " master " + q(e.master) + " flags " + list(e.flags) + " state " +
           q(e.state);
}

// A skipped line: "line 3: not a route: ...: unspec 198.18.30.0/26 dev eth0".
inline QString describe(const Error &e)
{
    return "line " + QString::number(e.line) + ": " + q(e.message) + ": " + q(e.context);
}

template <class T>
QString describe(const std::vector<T> &items)
{
    QStringList out;
    for (const auto &i : items)
        out << describe(i);
    return out.join('\n');
}

inline QString describe(const RouteTable &t)
{
    return describe(t.routes) + "\nipv6 [" + describe(t.routes6) + "]\nunreadable [" + describe(t.unreadable) + "]";
}

inline QString describe(const InterfaceList &l)
{
    return describe(l.interfaces) + "\nunreadable [" + describe(l.unreadable) + "]";
}

inline QString describe(const NeighbourTable &t)
{
    return describe(t.neighbours) + "\nunreadable [" + describe(t.unreadable) + "]";
}

inline QString describe(const FdbTable &t)
{
    return describe(t.entries) + "\nunreadable [" + describe(t.unreadable) + "]";
}

// The line numbers of the lines a parser skipped, "2,5": what the skipped rows expect.
inline QString skippedLines(const std::vector<Error> &unreadable)
{
    QStringList out;
    for (const auto &e : unreadable)
        out << QString::number(e.line);
    return out.join(',');
}

} // namespace iptest
