#include "capture_sightings.h"

#include <cstdio>
#include <ctime>

namespace podpath::diagnose {

namespace {

std::string clock(std::int64_t ns)
{
    const std::time_t secs = std::time_t(ns / 1000000000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%06lld", tm.tm_hour, tm.tm_min, tm.tm_sec,
                  (long long)((ns % 1000000000) / 1000));
    return buf;
}

// tcpdump's words for an echo: "ICMP" or "ICMP6", and the length of the IP payload.
std::string icmpText(const parse::IcmpMessage &icmp, std::size_t payloadLength)
{
    return std::string(icmp.v6 ? "ICMP6" : "ICMP") + " echo " + (icmp.isEchoReply() ? "reply" : "request") +
           ", id " + std::to_string(icmp.echoId) + ", seq " + std::to_string(icmp.echoSequence) + ", length " +
           std::to_string(payloadLength);
}

std::string interfaceOf(const parse::CapturedPacket &p, const InterfaceNames &names, const std::string &fallback)
{
    if (!p.ifindex)
        return fallback;
    auto it = names.find(p.ifindex);
    return it != names.end() ? it->second : "if" + std::to_string(p.ifindex);
}

// No cooked header (per-interface capture): what this node sent carries one of its own
// addresses as source, on the outer header when there is one.
bool sentHere(const parse::CapturedPacket &p, const IpAddress &source, const std::set<IpAddress> &localAddresses)
{
    if (p.direction == parse::PacketDirection::Unknown)
        return localAddresses.count(source) > 0;
    return p.direction == parse::PacketDirection::Outgoing;
}

std::string directionText(bool outgoing, const parse::CapturedPacket &p)
{
    if (p.direction == parse::PacketDirection::Unknown)
        return {};
    return outgoing ? "Out " : "In  ";
}

} // namespace

std::string evidenceLine(const parse::CapturedPacket &p, const std::string &interface)
{
    std::string out = clock(p.timestampNs) + " ";
    if (!interface.empty())
        out += interface + " ";
    out += directionText(p.direction == parse::PacketDirection::Outgoing, p);
    const parse::Ipv4Header *inner = p.innermost();
    const parse::Ipv6Header *inner6 = p.innermost6();
    if (!inner && !inner6)
        return out + "(not IP)";
    // The outer header of an encapsulated datagram, in either family, as tcpdump writes it.
    if (p.inner || p.inner6) {
        if (p.outer)
            out += "IP " + p.outer->source.toString() + " > " + p.outer->destination.toString() + ": ";
        else if (p.outer6)
            out += "IP6 " + p.outer6->source.toString() + " > " + p.outer6->destination.toString() + ": ";
        out += p.encapsulation == parse::Encapsulation::Vxlan ? "VXLAN vni " + std::to_string(p.vni) + ": " : "IPIP: ";
    }
    if (inner6) {
        out += "IP6 " + inner6->source.toString() + " > " + inner6->destination.toString() + ": ";
        if (p.icmp && p.icmp->isEcho())
            out += icmpText(*p.icmp, inner6->payloadLength);
        return out + " (hlim " + std::to_string(inner6->hopLimit) + ", len " + std::to_string(inner6->totalLength()) + ")";
    }
    out += "IP " + inner->source.toString() + " > " + inner->destination.toString() + ": ";
    if (p.icmp && p.icmp->isEcho())
        out += icmpText(*p.icmp, inner->totalLength > inner->headerLength ? inner->totalLength - inner->headerLength : 0);
    out += " (ttl " + std::to_string(inner->ttl) + ", len " + std::to_string(inner->totalLength) +
           (inner->dontFragment ? ", DF" : "") + ")";
    return out;
}

std::vector<EchoSighting> echoSightings(NodeRole node, const std::vector<parse::CapturedPacket> &packets,
                                        const InterfaceNames &names, const std::string &fallbackInterface,
                                        const std::set<IpAddress> &localAddresses)
{
    std::vector<EchoSighting> out;
    for (const auto &p : packets) {
        const parse::Ipv4Header *ip = p.innermost();
        const parse::Ipv6Header *ip6 = p.innermost6();
        if ((!ip && !ip6) || !p.icmp || !p.icmp->isEcho() || (ip ? ip->isFragment() : ip6->isFragment()))
            continue;
        EchoSighting s;
        s.node = node;
        s.interface = interfaceOf(p, names, fallbackInterface);
        if (p.inner && p.outer) {
            s.outerSrc = p.outer->source;
            s.outerDst = p.outer->destination;
        } else if (p.inner6 && p.outer6) {
            s.outerSrc = p.outer6->source;
            s.outerDst = p.outer6->destination;
        }
        s.src = ip ? IpAddress(ip->source) : IpAddress(ip6->source);
        s.dst = ip ? IpAddress(ip->destination) : IpAddress(ip6->destination);
        s.outgoing = sentHere(p, s.outerSrc.value_or(s.src), localAddresses);
        s.wrapping = p.encapsulation == parse::Encapsulation::Ipip    ? Wrapping::IpIp
                     : p.encapsulation == parse::Encapsulation::Vxlan ? Wrapping::Vxlan
                                                                      : Wrapping::Plain;
        s.isReply = p.icmp->isEchoReply();
        s.id = p.icmp->echoId;
        s.seq = p.icmp->echoSequence;
        s.ipLength = ip ? ip->totalLength : ip6->totalLength();
        s.timeNs = p.timestampNs;
        s.summary = evidenceLine(p, s.interface);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<SealedSighting> sealedSightings(NodeRole node, const std::vector<parse::CapturedPacket> &packets,
                                            const InterfaceNames &names, const std::string &fallbackInterface,
                                            const std::set<IpAddress> &localAddresses)
{
    std::vector<SealedSighting> out;
    for (const auto &p : packets) {
        const auto ends = p.outerEndpoints();
        if (!p.wireguard || !ends)
            continue;
        SealedSighting s;
        s.node = node;
        s.interface = interfaceOf(p, names, fallbackInterface);
        s.src = ends->source;
        s.dst = ends->destination;
        const std::uint16_t sport = ends->sourcePort, dport = ends->destinationPort;
        s.outgoing = sentHere(p, s.src, localAddresses);
        s.srcPort = sport;
        s.dstPort = dport;
        s.type = p.wireguard->type;
        s.receiver = p.wireguard->receiver;
        s.counter = p.wireguard->counter;
        s.length = p.wireguard->length;
        s.timeNs = p.timestampNs;
        char receiver[16];
        std::snprintf(receiver, sizeof receiver, "0x%08x", s.receiver);
        const bool v6 = ends->v6;
        s.summary = clock(p.timestampNs) + " " + (s.interface.empty() ? "" : s.interface + " ") + directionText(s.outgoing, p) +
                    (v6 ? "IP6 " : "IP ") + s.src.toString() + "." + std::to_string(sport) + " > " + s.dst.toString() + "." +
                    std::to_string(dport) + ": WireGuard " + std::string(parse::wireguardTypeName(s.type)) +
                    (s.type == 1 ? std::string() : std::string(", receiver ") + receiver) +
                    (p.wireguard->isData() ? ", counter " + std::to_string(s.counter) : std::string()) + ", length " +
                    std::to_string(s.length);
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace podpath::diagnose
