#pragma once
// Test helpers for the tcpdump text parser: fixture loading and one-line renderings
// of packets, layers and the summary, so a failed comparison shows what differs.

#include "parse/tcpdump_text.h"

#include "fixture_file.h"

#include <QFile>
#include <QString>
#include <QStringList>

#include <string>

namespace tdtest {

using namespace podpath;
using namespace podpath::parse;

inline std::string readFixture(const QString &name) { return podpath::test::fixtureText(QStringLiteral("tcpdump/") + name); }

inline QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

template <class T>
QString opt(const char *key, const std::optional<T> &v)
{
    return v ? QStringLiteral(" %1=%2").arg(QLatin1String(key)).arg(*v) : QString();
}

inline QString endpoint(const std::optional<Ipv4> &a, const std::optional<std::uint16_t> &port)
{
    QString s = a ? q(a->toString()) : QStringLiteral("-");
    if (port)
        s += '.' + QString::number(*port);
    return s;
}

inline QString carrierName(IpCarrier c)
{
    switch (c) {
    case IpCarrier::None: return QStringLiteral("outer");
    case IpCarrier::Ipip: return QStringLiteral("ipip");
    case IpCarrier::Vxlan: return QStringLiteral("vxlan");
    case IpCarrier::IcmpQuote: return QStringLiteral("quote");
    }
    return QStringLiteral("?");
}

inline QString icmpKindName(IcmpKind k)
{
    switch (k) {
    case IcmpKind::EchoRequest: return QStringLiteral("echo-request");
    case IcmpKind::EchoReply: return QStringLiteral("echo-reply");
    case IcmpKind::Unreachable: return QStringLiteral("unreachable");
    case IcmpKind::TimeExceeded: return QStringLiteral("time-exceeded");
    case IcmpKind::Other: break;
    }
    return QStringLiteral("other");
}

// "outer 198.51.100.11 > 198.51.100.12 (tos 0x0 ttl 64 id 1 off 0 [DF] ICMP(1) len 84)
//  | icmp echo-request id=1 seq=1 len=64"
inline QString describe(const IpLayer &l)
{
    QString s = carrierName(l.carriedBy) + ' ' + endpoint(l.src, l.srcPort) + " > " + endpoint(l.dst, l.dstPort);
    if (!l.linkSrc.empty())
        s += " mac " + q(l.linkSrc) + '>' + q(l.linkDst);
    if (const auto &h = l.header) {
        QStringList flags;
        for (const auto &f : h->flags)
            flags << q(f);
        s += QStringLiteral(" (tos %1 ttl %2 id %3 off %4 [%5] %6(%7) len %8%9)")
                 .arg(q(h->tos))
                 .arg(h->ttl)
                 .arg(h->id)
                 .arg(h->offset)
                 .arg(flags.join(','))
                 .arg(q(h->protocolName))
                 .arg(h->protocol)
                 .arg(h->length)
                 .arg(h->other.empty() ? QString() : " +" + QString::number(h->other.size()));
    }
    if (const auto &m = l.icmp) {
        s += " | icmp " + icmpKindName(m->kind) + opt("id", m->id) + opt("seq", m->seq) + opt("len", m->length);
        if (m->about)
            s += " about=" + q(m->about->toString());
        s += opt("mtu", m->mtu);
    } else if (const auto &t = l.tcp) {
        s += " | tcp [" + q(t->flags) + ']' + (t->seq ? " seq=" + q(*t->seq) : QString()) + opt("ack", t->ack) +
             opt("win", t->window) + opt("len", t->length);
    } else if (const auto &u = l.udp) {
        s += " | udp" + opt("len", u->length);
        if (u->vxlan)
            s += " vxlan" + opt("vni", u->vxlan->vni);
    } else if (l.transport == IpTransport::Ipip) {
        s += " | ipip";
    }
    return s;
}

// "TIME IFACE DIR [mac A>B] || layer || layer" or "TIME IFACE DIR :: text" when not IPv4.
inline QString describe(const CapturedPacket &p)
{
    QString s = q(p.time.text);
    if (!p.interfaceName.empty())
        s += ' ' + q(p.interfaceName);
    if (!p.directionText.empty())
        s += ' ' + q(p.directionText);
    if (!p.linkSrc.empty())
        s += " mac " + q(p.linkSrc) + '>' + q(p.linkDst);
    for (const auto &l : p.ip)
        s += " || " + describe(l);
    if (p.ip.empty())
        s += " :: " + q(p.text);
    if (!p.complete)
        s += " [incomplete]";
    return s;
}

// "if=any lt=LINUX_SLL2/Linux cooked v2 snap=262144 stats=6/6/0 quiet=0 msgs=0"
inline QString describe(const CaptureSummary &s)
{
    auto n = [](const std::optional<std::uint64_t> &v) { return v ? QString::number(*v) : QStringLiteral("-"); };
    QString out = "if=" + q(s.interface) + " lt=" + q(s.linkType) + '/' + q(s.linkTypeDescription) +
                  " snap=" + (s.snapshotLength ? QString::number(*s.snapshotLength) : QStringLiteral("-")) +
                  " stats=" + n(s.packetsCaptured) + '/' + n(s.packetsReceivedByFilter) + '/' +
                  n(s.packetsDroppedByKernel) + " quiet=" + QString::number(s.verboseOutputSuppressed) +
                  " msgs=" + QString::number(s.messages.size());
    if (s.packetsDroppedByInterface)
        out += " ifdrop=" + n(s.packetsDroppedByInterface);
    if (!s.readingFrom.empty())
        out += " read=" + q(s.readingFrom);
    if (!s.droppedPrivsTo.empty())
        out += " privs=" + q(s.droppedPrivsTo);
    return out;
}

} // namespace tdtest
