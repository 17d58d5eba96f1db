#include "parse/packet_dissector.h"

#include <algorithm>

namespace podpath::parse {

namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86DD;
constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoIpip = 4;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoIcmpv6 = 58;
constexpr std::uint8_t kIpv6Fragment = 44;
constexpr std::uint8_t kIpv6Auth = 51;
constexpr std::size_t kIpv6FixedHeader = 40;
constexpr std::size_t kMaxVlanTags = 2;  // 802.1ad outer + 802.1Q inner
// More extension headers than any sender uses; past them the datagram is left unread.
constexpr int kMaxIpv6Extensions = 8;

// Callers check the length first; these only assemble network-order values.
inline std::uint16_t be16(const std::uint8_t *p) { return std::uint16_t((p[0] << 8) | p[1]); }
inline std::uint32_t be32(const std::uint8_t *p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

bool isVlanTag(std::uint16_t etherType)
{
    return etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100;
}

PacketDirection directionFromPacketType(unsigned type)
{
    switch (type) {
    case 0: return PacketDirection::Host;
    case 1: return PacketDirection::Broadcast;
    case 2: return PacketDirection::Multicast;
    case 3: return PacketDirection::OtherHost;
    case 4: return PacketDirection::Outgoing;
    default: return PacketDirection::Unknown;
    }
}

// Skips VLAN tags after an Ethernet-style type field; returns the payload past them.
// `vlanId` receives the outermost tag's id when it is still unset.
bool skipVlanTags(Bytes &b, std::uint16_t &etherType, std::optional<std::uint16_t> &vlanId)
{
    for (std::size_t i = 0; i < kMaxVlanTags && isVlanTag(etherType); ++i) {
        if (b.size() < 4)
            return false;
        if (!vlanId)
            vlanId = std::uint16_t(be16(b.data()) & 0x0FFF);
        etherType = be16(b.data() + 2);
        b = b.subspan(4);
    }
    return true;
}

// Reads the IPv4 header at the start of `b`. On success `payload` is the datagram's
// payload, bounded by both the captured bytes and the header's total length (so
// Ethernet padding is never taken for payload).
DissectNote readIp(Bytes b, Ipv4Header &h, Bytes &payload)
{
    if (b.empty())
        return DissectNote::IpHeaderTruncated;
    if ((b[0] >> 4) != 4)
        return DissectNote::IpHeaderInvalid;
    const std::size_t ihl = std::size_t(b[0] & 0x0F) * 4;
    if (ihl < 20)
        return DissectNote::IpHeaderInvalid;
    if (b.size() < ihl)
        return DissectNote::IpHeaderTruncated;
    const std::uint8_t *p = b.data();
    h.headerLength = std::uint8_t(ihl);
    h.tos = p[1];
    h.totalLength = be16(p + 2);
    h.identification = be16(p + 4);
    const std::uint16_t flagsOffset = be16(p + 6);
    h.dontFragment = flagsOffset & 0x4000;
    h.moreFragments = flagsOffset & 0x2000;
    h.fragmentOffset = std::uint16_t((flagsOffset & 0x1FFF) * 8);
    h.ttl = p[8];
    h.protocol = p[9];
    h.source = Ipv4::fromBytes(p + 12);
    h.destination = Ipv4::fromBytes(p + 16);
    // Total length 0 is what Linux captures for a TSO super-packet; read what is there,
    // as tcpdump does.
    std::size_t declared = h.totalLength == 0 ? b.size() : h.totalLength;
    if (declared < ihl)
        return DissectNote::IpHeaderInvalid;
    h.truncated = b.size() < declared;
    payload = b.subspan(ihl, std::min(b.size(), declared) - ihl);
    return DissectNote::Complete;
}

// Reads the IPv6 fixed header at the start of `b` and walks its extension headers.
// On success `payload` is the upper layer's bytes (bounded as for IPv4); for a
// later fragment it is the fragment's data and h.fragmentOffset says so.
DissectNote readIp(Bytes b, Ipv6Header &h, Bytes &payload)
{
    if (b.empty())
        return DissectNote::IpHeaderTruncated;
    if ((b[0] >> 4) != 6)
        return DissectNote::IpHeaderInvalid;
    if (b.size() < kIpv6FixedHeader)
        return DissectNote::IpHeaderTruncated;
    const std::uint8_t *p = b.data();
    h.trafficClass = std::uint8_t(((p[0] & 0x0F) << 4) | (p[1] >> 4));
    h.flowLabel = (std::uint32_t(p[1] & 0x0F) << 16) | be16(p + 2);
    h.payloadLength = be16(p + 4);
    h.hopLimit = p[7];
    h.source = Ipv6::fromBytes(p + 8);
    h.destination = Ipv6::fromBytes(p + 24);
    Bytes rest = b.subspan(kIpv6FixedHeader);
    // Payload length 0: a jumbogram or a TSO super-packet; read what is there.
    const std::size_t declared = h.payloadLength == 0 ? rest.size() : h.payloadLength;
    h.truncated = rest.size() < declared;
    rest = rest.first(std::min(rest.size(), declared));
    std::uint8_t next = p[6];
    for (int i = 0; i < kMaxIpv6Extensions; ++i) {
        std::size_t length = 0;
        if (next == kIpv6Fragment) {
            if (rest.size() < 8)
                return DissectNote::IpHeaderTruncated;
            const std::uint16_t offsetFlags = be16(rest.data() + 2);
            h.fragmentOffset = std::uint16_t(offsetFlags & 0xFFF8);  // 13 bits of 8-byte units, already shifted
            h.moreFragments = offsetFlags & 1;
            h.identification = be32(rest.data() + 4);
            length = 8;
        } else if (next == 0 || next == 43 || next == 60 || next == 135 || next == 139 || next == 140 ||
                   next == kIpv6Auth) {
            // Hop-by-hop, routing, destination options, mobility, HIP, shim6: (n+1) * 8
            // bytes; AH counts (n+2) * 4.
            if (rest.size() < 2)
                return DissectNote::IpHeaderTruncated;
            length = next == kIpv6Auth ? (std::size_t(rest[1]) + 2) * 4 : (std::size_t(rest[1]) + 1) * 8;
            if (rest.size() < length)
                return DissectNote::IpHeaderTruncated;
        } else {
            break;
        }
        next = rest[0];
        rest = rest.subspan(length);
        h.extensionLength = std::uint16_t(h.extensionLength + length);
        if (h.fragmentOffset != 0)
            break;  // a later fragment: no upper-layer header follows
    }
    h.protocol = next;
    payload = rest;
    return DissectNote::Complete;
}

// Ports from a TCP or UDP header; false when it is cut short.
template <class Header>
bool readPorts(Header &h, Bytes payload)
{
    if (payload.size() < 4)
        return false;
    h.sourcePort = be16(payload.data());
    h.destinationPort = be16(payload.data() + 2);
    h.hasPorts = true;
    return true;
}

// The datagram an ICMP error quotes (its header and at least 8 bytes of its payload), of
// the error's own family: its ports or, for a quoted echo, its id and sequence.
template <class Header>
void readQuotedDatagram(Bytes quote, IcmpMessage &m, std::optional<Header> &into)
{
    Header q;
    Bytes qPayload;
    if (readIp(quote, q, qPayload) != DissectNote::Complete)
        return;
    const std::uint8_t icmp = m.v6 ? kProtoIcmpv6 : kProtoIcmp;
    const std::uint8_t request = m.v6 ? 128 : 8, reply = m.v6 ? 129 : 0;
    if (q.fragmentOffset == 0) {
        if (q.protocol == kProtoTcp || q.protocol == kProtoUdp) {
            readPorts(q, qPayload);
        } else if (q.protocol == icmp && qPayload.size() >= 8 && (qPayload[0] == request || qPayload[0] == reply)) {
            m.quotedIsEcho = true;
            m.quotedEchoId = be16(qPayload.data() + 4);
            m.quotedEchoSequence = be16(qPayload.data() + 6);
        }
    }
    into = q;
}

void readQuoted(Bytes quote, IcmpMessage &m)
{
    if (m.v6)
        readQuotedDatagram(quote, m, m.quoted6);
    else
        readQuotedDatagram(quote, m, m.quoted);
}

// Every ICMP message starts with 8 header bytes; a shorter one is reported as cut, not
// as a message with zeroed fields.
DissectNote readIcmp(const Ipv4Header &ip, Bytes b, std::optional<IcmpMessage> &out)
{
    if (b.size() < 8)
        return DissectNote::TransportTruncated;
    IcmpMessage m;
    m.type = b[0];
    m.code = b[1];
    if (m.isEcho()) {
        m.echoId = be16(b.data() + 4);
        m.echoSequence = be16(b.data() + 6);
        const std::size_t declared = ip.totalLength == 0 ? ip.headerLength + b.size() : ip.totalLength;
        const std::size_t icmpLength = declared > ip.headerLength ? declared - ip.headerLength : 0;
        m.payloadLength = std::uint16_t(icmpLength > 8 ? icmpLength - 8 : 0);
    } else if (m.isError()) {
        if (m.isFragmentationNeeded())
            m.nextHopMtu = be16(b.data() + 6);
        readQuoted(b.subspan(8), m);
    }
    out = m;
    return DissectNote::Complete;
}

// ICMPv6: the same 8-byte start; packet too big carries a 32-bit MTU.
DissectNote readIcmp6(Bytes b, std::optional<IcmpMessage> &out)
{
    if (b.size() < 8)
        return DissectNote::TransportTruncated;
    IcmpMessage m;
    m.v6 = true;
    m.type = b[0];
    m.code = b[1];
    if (m.isEcho()) {
        m.echoId = be16(b.data() + 4);
        m.echoSequence = be16(b.data() + 6);
    } else if (m.isError()) {
        if (m.isFragmentationNeeded())
            m.nextHopMtu = std::uint16_t(std::min<std::uint32_t>(be32(b.data() + 4), 0xFFFF));
        readQuoted(b.subspan(8), m);
    }
    out = m;
    return DissectNote::Complete;
}

// Ports or ICMPv6 for one IPv6 datagram.
DissectNote readTransport(Ipv6Header &ip, Bytes payload, CapturedPacket &pkt)
{
    if (ip.fragmentOffset != 0)
        return DissectNote::LaterFragment;
    switch (ip.protocol) {
    case kProtoIcmpv6: {
        const DissectNote note = readIcmp6(payload, pkt.icmp);
        if (pkt.icmp && pkt.icmp->isEcho()) {
            // As declared, like IPv4's: the payload length less extensions and the 8 bytes.
            const std::size_t declared = ip.payloadLength == 0 ? ip.extensionLength + payload.size() : ip.payloadLength;
            const std::size_t icmpLength = declared > ip.extensionLength ? declared - ip.extensionLength : 0;
            pkt.icmp->payloadLength = std::uint16_t(icmpLength > 8 ? icmpLength - 8 : 0);
        }
        return note;
    }
    case kProtoTcp:
    case kProtoUdp:
        return readPorts(ip, payload) ? DissectNote::Complete : DissectNote::TransportTruncated;
    default:
        return DissectNote::Complete;
    }
}

// Ports, ICMP or (outer only) the start of an encapsulation, for one IPv4 datagram.
DissectNote readTransport(Ipv4Header &ip, Bytes payload, CapturedPacket &pkt)
{
    if (ip.fragmentOffset != 0)
        return DissectNote::LaterFragment;
    switch (ip.protocol) {
    case kProtoIcmp:
        return readIcmp(ip, payload, pkt.icmp);
    case kProtoTcp:
    case kProtoUdp:
        return readPorts(ip, payload) ? DissectNote::Complete : DissectNote::TransportTruncated;
    default:
        return DissectNote::Complete;
    }
}

// The datagram a tunnel carries, of either family, into `into`: its header cut short is
// the tunnel's payload cut short.
template <class Header>
DissectNote readInner(Bytes b, std::optional<Header> &into, CapturedPacket &pkt)
{
    Header inner;
    Bytes payload;
    DissectNote note = readIp(b, inner, payload);
    if (note != DissectNote::Complete)
        return note == DissectNote::IpHeaderTruncated ? DissectNote::TransportTruncated : note;
    note = readTransport(inner, payload, pkt);
    into = inner;
    return note;
}

DissectNote dissectInnerEthernet(Bytes b, CapturedPacket &pkt)
{
    if (b.size() < 14)
        return DissectNote::TransportTruncated;
    std::uint16_t etherType = be16(b.data() + 12);
    b = b.subspan(14);
    std::optional<std::uint16_t> innerVlan;
    if (!skipVlanTags(b, etherType, innerVlan))
        return DissectNote::TransportTruncated;
    if (etherType == kEtherIpv6)
        return readInner(b, pkt.inner6, pkt);
    if (etherType != kEtherIpv4)
        return DissectNote::Complete;  // e.g. ARP over VXLAN: VXLAN is known, nothing inside to read
    return readInner(b, pkt.inner, pkt);
}

// VXLAN (RFC 7348) in a UDP payload to the VXLAN port: flags with the I bit, 3
// reserved, 24-bit VNI, 1 reserved, then the inner Ethernet frame.
bool isVxlan(std::uint8_t protocol, bool hasPorts, std::uint16_t destinationPort, Bytes udp,
             const DissectOptions &options)
{
    return protocol == kProtoUdp && hasPorts && destinationPort == options.vxlanPort && udp.size() >= 16 &&
           (udp[8] & 0x08);
}

// WireGuard, on whatever port Felix was told to use: recognised by its shape alone. The
// type byte, three zero bytes, and a length each type fixes (transport data: 32 bytes of
// header and tag around a payload padded to 16). Read from the UDP header's declared
// length, so a capture cut to its snaplen still counts the packet's size.
std::optional<WireguardMessage> readWireguard(std::uint8_t protocol, bool hasPorts, Bytes udp)
{
    if (protocol != kProtoUdp || !hasPorts || udp.size() < 8 + 16)
        return std::nullopt;
    const std::uint16_t udpLength = be16(udp.data() + 4);
    if (udpLength < 8)
        return std::nullopt;
    const std::uint32_t length = udpLength - 8u;
    const std::uint8_t *m = udp.data() + 8;
    if (m[1] != 0 || m[2] != 0 || m[3] != 0)
        return std::nullopt;
    WireguardMessage w;
    w.type = m[0];
    w.length = length;
    auto le32 = [](const std::uint8_t *p) {
        return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
    };
    switch (w.type) {
    case 1: return length == 148 ? std::optional(w) : std::nullopt;
    case 2:
        if (length != 92)
            return std::nullopt;
        w.receiver = le32(m + 8);
        return w;
    case 3:
        if (length != 64)
            return std::nullopt;
        w.receiver = le32(m + 4);
        return w;
    case 4:
        if (length < 32 || length % 16 != 0)
            return std::nullopt;
        w.receiver = le32(m + 4);
        w.counter = std::uint64_t(le32(m + 8)) | std::uint64_t(le32(m + 12)) << 32;
        return w;
    default: return std::nullopt;
    }
}

DissectNote dissectIpv6(Bytes b, CapturedPacket &pkt, const DissectOptions &options)
{
    Ipv6Header outer;
    Bytes payload;
    DissectNote note = readIp(b, outer, payload);
    if (note != DissectNote::Complete)
        return note;
    note = readTransport(outer, payload, pkt);
    pkt.outer6 = outer;
    if (note == DissectNote::Complete && isVxlan(outer.protocol, outer.hasPorts, outer.destinationPort, payload, options)) {
        pkt.encapsulation = Encapsulation::Vxlan;
        pkt.vni = be32(payload.data() + 12) >> 8;
        return dissectInnerEthernet(payload.subspan(16), pkt);
    }
    if (note == DissectNote::Complete)
        pkt.wireguard = readWireguard(outer.protocol, outer.hasPorts, payload);
    return note;
}

DissectNote dissectIpv4(Bytes b, CapturedPacket &pkt, const DissectOptions &options)
{
    Ipv4Header outer;
    Bytes payload;
    DissectNote note = readIp(b, outer, payload);
    if (note != DissectNote::Complete)
        return note;
    if (outer.fragmentOffset != 0) {
        pkt.outer = outer;
        return DissectNote::LaterFragment;
    }
    if (outer.protocol == kProtoIpip) {
        pkt.outer = outer;
        pkt.encapsulation = Encapsulation::Ipip;
        return readInner(payload, pkt.inner, pkt);
    }
    note = readTransport(outer, payload, pkt);
    if (isVxlan(outer.protocol, outer.hasPorts, outer.destinationPort, payload, options)) {
        pkt.encapsulation = Encapsulation::Vxlan;
        pkt.vni = be32(payload.data() + 12) >> 8;
        pkt.outer = outer;
        return dissectInnerEthernet(payload.subspan(16), pkt);
    }
    if (note == DissectNote::Complete)
        pkt.wireguard = readWireguard(outer.protocol, outer.hasPorts, payload);
    pkt.outer = outer;
    return note;
}

} // namespace

CapturedPacket dissectPacket(LinkType linkType, const PcapRecord &record, const DissectOptions &options)
{
    CapturedPacket pkt;
    pkt.timestampNs = record.timestampNs;
    pkt.wireLength = record.wireLength;
    pkt.capturedLength = std::uint32_t(record.data.size());
    pkt.linkType = linkType;

    Bytes b = record.data;
    std::uint16_t etherType = 0;
    switch (linkType) {
    case LinkType::Ethernet:
        if (b.size() < 14) {
            pkt.note = DissectNote::LinkHeaderTruncated;
            return pkt;
        }
        etherType = be16(b.data() + 12);
        b = b.subspan(14);
        break;
    case LinkType::LinuxSll:
        // packet type, ARPHRD type, address length, 8 address bytes, protocol
        if (b.size() < 16) {
            pkt.note = DissectNote::LinkHeaderTruncated;
            return pkt;
        }
        pkt.direction = directionFromPacketType(be16(b.data()));
        etherType = be16(b.data() + 14);
        b = b.subspan(16);
        break;
    case LinkType::LinuxSll2:
        // protocol, reserved, interface index, ARPHRD type, packet type, address length, 8 address bytes
        if (b.size() < 20) {
            pkt.note = DissectNote::LinkHeaderTruncated;
            return pkt;
        }
        etherType = be16(b.data());
        pkt.ifindex = be32(b.data() + 4);
        pkt.direction = directionFromPacketType(b[10]);
        b = b.subspan(20);
        break;
    case LinkType::Raw:
    case LinkType::Ipv4:
        if (b.empty()) {
            pkt.note = DissectNote::LinkHeaderTruncated;
            return pkt;
        }
        etherType = (b[0] >> 4) == 6 ? kEtherIpv6 : kEtherIpv4;
        break;
    default:
        pkt.note = DissectNote::UnsupportedLinkType;
        return pkt;
    }
    if (!skipVlanTags(b, etherType, pkt.vlanId)) {
        pkt.etherType = etherType;
        pkt.note = DissectNote::LinkHeaderTruncated;
        return pkt;
    }
    pkt.etherType = etherType;
    if (etherType == kEtherIpv6)
        pkt.note = dissectIpv6(b, pkt, options);
    else if (etherType == kEtherIpv4)
        pkt.note = dissectIpv4(b, pkt, options);
    else
        pkt.note = DissectNote::NotIp;
    return pkt;
}

LinkType linkTypeFromDlt(int dlt)
{
    if (dlt == 12 || dlt == 14)
        return LinkType::Raw;
    return LinkType(std::uint32_t(dlt));
}

} // namespace podpath::parse
