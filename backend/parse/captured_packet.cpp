#include "parse/captured_packet.h"

#include <cstdio>

namespace podpath::parse {

std::string_view linkTypeName(LinkType type)
{
    switch (type) {
    case LinkType::Ethernet: return "EN10MB";
    case LinkType::Raw: return "RAW";
    case LinkType::LinuxSll: return "LINUX_SLL";
    case LinkType::Ipv4: return "IPV4";
    case LinkType::LinuxSll2: return "LINUX_SLL2";
    }
    return "unsupported";
}

std::string_view directionName(PacketDirection direction)
{
    switch (direction) {
    case PacketDirection::Unknown: return "unknown";
    case PacketDirection::Host: return "In";
    case PacketDirection::Broadcast: return "B";
    case PacketDirection::Multicast: return "M";
    case PacketDirection::OtherHost: return "P";
    case PacketDirection::Outgoing: return "Out";
    }
    return "unknown";
}

std::string_view encapsulationName(Encapsulation e)
{
    switch (e) {
    case Encapsulation::None: return "none";
    case Encapsulation::Ipip: return "ipip";
    case Encapsulation::Vxlan: return "vxlan";
    }
    return "none";
}

std::string_view dissectNoteName(DissectNote note)
{
    switch (note) {
    case DissectNote::Complete: return "complete";
    case DissectNote::NotIp: return "not IP";
    case DissectNote::UnsupportedLinkType: return "unsupported link type";
    case DissectNote::LinkHeaderTruncated: return "link header truncated";
    case DissectNote::IpHeaderTruncated: return "IP header truncated";
    case DissectNote::IpHeaderInvalid: return "IP header invalid";
    case DissectNote::TransportTruncated: return "transport header truncated";
    case DissectNote::LaterFragment: return "later fragment";
    }
    return "unknown";
}

namespace {

// "src[.port] > dst[.port]", either family.
template <class Header>
void appendEndpoints(std::string &s, const Header &h)
{
    s += h.source.toString();
    if (h.hasPorts)
        s += "." + std::to_string(h.sourcePort);
    s += " > " + h.destination.toString();
    if (h.hasPorts)
        s += "." + std::to_string(h.destinationPort);
}

void appendIpv4(std::string &s, const Ipv4Header &h)
{
    appendEndpoints(s, h);
    s += " proto " + std::to_string(h.protocol) + " ttl " + std::to_string(h.ttl) + " id " +
         std::to_string(h.identification) + " offset " + std::to_string(h.fragmentOffset);
    if (h.dontFragment)
        s += " DF";
    if (h.moreFragments)
        s += " MF";
    s += " length " + std::to_string(h.totalLength);
    if (h.optionsLength())
        s += " options " + std::to_string(h.optionsLength());
    if (h.truncated)
        s += " truncated";
}

void appendIpv6(std::string &s, const Ipv6Header &h)
{
    appendEndpoints(s, h);
    s += " next " + std::to_string(h.protocol) + " hlim " + std::to_string(h.hopLimit);
    if (h.flowLabel)
        s += " flow " + std::to_string(h.flowLabel);
    if (h.extensionLength)
        s += " extensions " + std::to_string(h.extensionLength);
    if (h.isFragment())
        s += " frag id " + std::to_string(h.identification) + " offset " + std::to_string(h.fragmentOffset) +
             (h.moreFragments ? " MF" : "");
    s += " payload " + std::to_string(h.payloadLength);
    if (h.truncated)
        s += " truncated";
}

void appendIcmp(std::string &s, const IcmpMessage &m)
{
    s += (m.v6 ? "icmp6 " : "icmp ") + std::to_string(m.type) + "/" + std::to_string(m.code);
    if (m.isEcho()) {
        s += std::string(m.isEchoRequest() ? " echo request" : " echo reply") + " id " + std::to_string(m.echoId) +
             " seq " + std::to_string(m.echoSequence) + " payload " + std::to_string(m.payloadLength);
    }
    if (m.isFragmentationNeeded())
        s += (m.v6 ? " packet too big mtu " : " need to frag mtu ") + std::to_string(m.nextHopMtu);
    if (m.quoted || m.quoted6) {
        s += " quoting [";
        if (m.quoted)
            appendIpv4(s, *m.quoted);
        else
            appendIpv6(s, *m.quoted6);
        if (m.quotedIsEcho)
            s += " echo id " + std::to_string(m.quotedEchoId) + " seq " + std::to_string(m.quotedEchoSequence);
        s += "]";
    }
}

} // namespace

std::string summarize(const CapturedPacket &p)
{
    char ts[40];
    std::snprintf(ts, sizeof ts, "%lld.%09lld", static_cast<long long>(p.timestampNs / 1'000'000'000),
                  static_cast<long long>(p.timestampNs % 1'000'000'000));
    std::string s = ts;
    s += " " + std::string(linkTypeName(p.linkType));
    if (p.ifindex)
        s += " if" + std::to_string(p.ifindex);
    if (p.direction != PacketDirection::Unknown)
        s += " " + std::string(directionName(p.direction));
    if (p.vlanId)
        s += " vlan " + std::to_string(*p.vlanId);
    s += " " + std::to_string(p.capturedLength) + "/" + std::to_string(p.wireLength);
    char et[16];
    std::snprintf(et, sizeof et, " 0x%04x", p.etherType);
    s += et;
    if (p.outer) {
        s += " | ";
        appendIpv4(s, *p.outer);
    }
    if (p.outer6) {
        s += " | ";
        appendIpv6(s, *p.outer6);
    }
    if (p.encapsulation != Encapsulation::None) {
        s += " | " + std::string(encapsulationName(p.encapsulation));
        if (p.encapsulation == Encapsulation::Vxlan)
            s += " vni " + std::to_string(p.vni);
    }
    if (p.wireguard) {
        const WireguardMessage &w = *p.wireguard;
        s += " | wireguard " + std::string(wireguardTypeName(w.type));
        if (w.type != 1) {
            char receiver[24];
            std::snprintf(receiver, sizeof receiver, " receiver 0x%08x", w.receiver);
            s += receiver;
        }
        if (w.isData())
            s += " counter " + std::to_string(w.counter);
        s += " len " + std::to_string(w.length);
    }
    if (p.inner) {
        s += " | ";
        appendIpv4(s, *p.inner);
    }
    if (p.inner6) {
        s += " | ";
        appendIpv6(s, *p.inner6);
    }
    if (p.icmp) {
        s += " | ";
        appendIcmp(s, *p.icmp);
    }
    if (p.note != DissectNote::Complete)
        s += " (" + std::string(dissectNoteName(p.note)) + ")";
    return s;
}

std::string_view wireguardTypeName(std::uint8_t type)
{
    static constexpr std::string_view kTypes[] = {"", "handshake initiation", "handshake response", "cookie reply", "data"};
    return kTypes[type <= 4 ? type : 0];
}

} // namespace podpath::parse
