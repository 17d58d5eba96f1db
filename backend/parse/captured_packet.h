#pragma once
// What PodPath knows about one captured packet: the few header fields the hop rules
// look at, copied out of the bytes so the bytes can go. Plain values, no heap: a
// million of these cost a million times sizeof, nothing more.

#include "core/ipv4.h"
#include "core/ip_address.h"
#include "core/ipv6.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace podpath::parse {

// pcap link-layer header types, by their LINKTYPE_ numbers (what the file header says).
// Others keep their number and are carried undissected.
enum class LinkType : std::uint32_t {
    Ethernet = 1,      // EN10MB: tcpdump -i eth0
    Raw = 101,         // RAW: tcpdump -i tunl0 / a TUN device (libpcap calls it DLT_RAW, 12 or 14)
    LinuxSll = 113,    // LINUX_SLL: tcpdump -i any -y LINUX_SLL
    Ipv4 = 228,        // IPV4: raw IPv4 without link header
    LinuxSll2 = 276,   // LINUX_SLL2: tcpdump -i any (4.99 and later)
};
std::string_view linkTypeName(LinkType type);
// Folds libpcap's DLT numbers for raw IP (12, and 14 on OpenBSD) into LinkType::Raw.
LinkType linkTypeFromDlt(int dlt);

// Linux's packet type from the cooked header: which way the packet went past the
// interface. Only LINUX_SLL and LINUX_SLL2 record it.
enum class PacketDirection : std::uint8_t {
    Unknown,    // not recorded by this link type
    Host,       // addressed to this host ("In")
    Broadcast,  // link-layer broadcast ("B")
    Multicast,  // link-layer multicast ("M")
    OtherHost,  // to someone else, seen in promiscuous mode ("P")
    Outgoing,   // sent by this host ("Out")
};
std::string_view directionName(PacketDirection direction);

struct Ipv4Header {
    Ipv4 source;
    Ipv4 destination;
    std::uint16_t totalLength = 0;     // as the header says; 0 (TSO) is read as "all captured"
    std::uint16_t identification = 0;
    std::uint16_t fragmentOffset = 0;  // in bytes
    std::uint16_t sourcePort = 0;      // TCP/UDP, when hasPorts
    std::uint16_t destinationPort = 0;
    std::uint8_t headerLength = 0;     // in bytes, 20 + options
    std::uint8_t protocol = 0;
    std::uint8_t ttl = 0;
    std::uint8_t tos = 0;
    bool dontFragment = false;
    bool moreFragments = false;
    bool hasPorts = false;
    bool truncated = false;            // captured bytes end before totalLength (snaplen, fragment, ICMP quote)

    bool isFragment() const { return moreFragments || fragmentOffset != 0; }
    std::uint8_t optionsLength() const { return headerLength > 20 ? std::uint8_t(headerLength - 20) : 0; }
};

// One IPv6 datagram's fixed header and what its extension headers say about it. The
// chain (hop-by-hop, routing, destination options, fragment, AH) is walked to the
// upper-layer header, which is what `protocol` names, as Ipv4Header's does.
struct Ipv6Header {
    Ipv6 source;
    Ipv6 destination;
    std::uint32_t flowLabel = 0;
    std::uint32_t identification = 0;   // from a fragment header
    std::uint16_t payloadLength = 0;    // as the header says: bytes after the fixed 40 (0, a jumbogram or TSO, is read as all captured)
    std::uint16_t fragmentOffset = 0;   // in bytes, from a fragment header
    std::uint16_t extensionLength = 0;  // bytes of extension headers before the upper layer
    std::uint16_t sourcePort = 0;       // TCP/UDP, when hasPorts
    std::uint16_t destinationPort = 0;
    std::uint8_t trafficClass = 0;
    std::uint8_t hopLimit = 0;
    std::uint8_t protocol = 0;          // the upper layer after the extension headers (58 ICMPv6, 17 UDP)
    bool moreFragments = false;
    bool hasPorts = false;
    bool truncated = false;             // captured bytes end before the declared payload

    bool isFragment() const { return moreFragments || fragmentOffset != 0; }
    // The datagram's length on the wire, as IPv4's total length counts it.
    std::uint32_t totalLength() const { return 40u + payloadLength; }
};

// ICMP for IPv4 and ICMPv6 (v6): the same questions, each family's own type numbers.
struct IcmpMessage {
    bool v6 = false;
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    // Echo request (8; ICMPv6 128) / reply (0; 129). payloadLength is the data after the
    // 8-byte header as the IP header declares it (56 for a default ping).
    std::uint16_t echoId = 0;
    std::uint16_t echoSequence = 0;
    std::uint16_t payloadLength = 0;
    // Fragmentation needed (3/4) or, in ICMPv6, packet too big (2): the MTU the router
    // asks for (ICMPv6's 32 bits capped at 65535).
    std::uint16_t nextHopMtu = 0;
    // Errors quote the offending datagram's header and more bytes: its ports
    // (quoted.hasPorts) or, for a quoted echo, its id and sequence. An IPv4 error quotes
    // an IPv4 datagram (quoted), an ICMPv6 one an IPv6 datagram (quoted6).
    std::optional<Ipv4Header> quoted;
    std::optional<Ipv6Header> quoted6;
    bool quotedIsEcho = false;
    std::uint16_t quotedEchoId = 0;
    std::uint16_t quotedEchoSequence = 0;

    bool isEchoRequest() const { return type == (v6 ? 128 : 8); }
    bool isEchoReply() const { return type == (v6 ? 129 : 0); }
    bool isEcho() const { return isEchoRequest() || isEchoReply(); }
    bool isError() const
    {
        return v6 ? type >= 1 && type <= 4 : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }
    bool isFragmentationNeeded() const { return v6 ? type == 2 : type == 3 && code == 4; }
};

enum class Encapsulation : std::uint8_t { None, Ipip, Vxlan };

// A WireGuard message (the UDP payload of Calico's wireguard.cali traffic): its header
// is in the clear, the packet it carries is not. The receiver index and the 64-bit
// counter name one transport-data packet on both nodes' wires, so the same packet can
// be followed from one node's underlay to the other's; its length (32 + the inner
// packet padded to 16) tells a small echo from a full-size one.
struct WireguardMessage {
    std::uint8_t type = 0;         // 1 handshake initiation, 2 response, 3 cookie reply, 4 transport data
    std::uint32_t receiver = 0;    // the receiver's session index (types 2, 3, 4)
    std::uint64_t counter = 0;     // transport data only
    std::uint32_t length = 0;      // UDP payload length, as the UDP header declares it

    bool isData() const { return type == 4; }
    // The inner packet's length padded to 16 (0 for a keepalive).
    std::uint32_t paddedInnerLength() const { return isData() && length >= 32 ? length - 32 : 0; }
};

// "handshake initiation", "handshake response", "cookie reply", "data"; empty for another type.
std::string_view wireguardTypeName(std::uint8_t type);
std::string_view encapsulationName(Encapsulation e);

// Why dissection stopped before the innermost header, if it did. Snaplen cuts,
// fragments and traffic other than IP are normal in a capture; none of them is an error.
enum class DissectNote : std::uint8_t {
    Complete,              // every header PodPath reads was present
    NotIp,                 // ARP, LLDP, ...: etherType says what it is
    UnsupportedLinkType,
    LinkHeaderTruncated,
    IpHeaderTruncated,     // fewer captured bytes than the IPv4 or IPv6 header (and its extensions) needs
    IpHeaderInvalid,       // wrong version, IPv4 IHL < 5 or total length < IHL
    TransportTruncated,    // ICMP/TCP/UDP/VXLAN/inner header cut short
    LaterFragment,         // offset != 0: no transport header in this fragment
};
std::string_view dissectNoteName(DissectNote note);

struct CapturedPacket {
    std::int64_t timestampNs = 0;      // since the epoch
    std::uint32_t wireLength = 0;      // length on the wire
    std::uint32_t capturedLength = 0;  // bytes in the capture (<= wireLength, <= snaplen)
    LinkType linkType = LinkType::Raw;
    std::uint32_t ifindex = 0;         // LINUX_SLL2 only; 0 when not recorded
    PacketDirection direction = PacketDirection::Unknown;
    std::uint16_t etherType = 0;       // of the link payload after VLAN tags (0x0800 IPv4, 0x86dd IPv6)
    std::optional<std::uint16_t> vlanId;  // outermost 802.1Q/802.1ad tag
    // Each datagram is IPv4 or IPv6: at most one of outer/outer6, one of inner/inner6.
    std::optional<Ipv4Header> outer;
    std::optional<Ipv6Header> outer6;
    // The outer header's addresses and ports, whichever family it is; none without one.
    struct Endpoints {
        IpAddress source, destination;
        std::uint16_t sourcePort = 0, destinationPort = 0;
        bool v6 = false;
    };
    std::optional<Endpoints> outerEndpoints() const
    {
        if (outer)
            return Endpoints{IpAddress(outer->source), IpAddress(outer->destination), outer->sourcePort, outer->destinationPort, false};
        if (outer6)
            return Endpoints{IpAddress(outer6->source), IpAddress(outer6->destination), outer6->sourcePort,
                             outer6->destinationPort, true};
        return std::nullopt;
    }
    Encapsulation encapsulation = Encapsulation::None;
    std::uint32_t vni = 0;             // VXLAN network identifier
    std::optional<Ipv4Header> inner;   // decapsulated IPIP or VXLAN datagram
    std::optional<Ipv6Header> inner6;  // decapsulated VXLAN datagram (dual-stack: vxlan-v6.calico)
    std::optional<IcmpMessage> icmp;   // of the innermost datagram (icmp->v6 for ICMPv6)
    std::optional<WireguardMessage> wireguard;  // a UDP payload shaped as WireGuard's
    DissectNote note = DissectNote::Complete;

    // The IPv4 datagram the endpoints exchanged (inner when encapsulated, else outer);
    // none when that datagram is IPv6.
    const Ipv4Header *innermost() const
    {
        return inner ? &*inner : inner6 ? nullptr : outer ? &*outer : nullptr;
    }
    // The same for IPv6.
    const Ipv6Header *innermost6() const
    {
        return inner6 ? &*inner6 : inner ? nullptr : outer6 ? &*outer6 : nullptr;
    }
};

// One line with every field, for logs, test expectations and the CLI's --verbose.
std::string summarize(const CapturedPacket &packet);

// One pcap record as libpcap hands it over. data is only valid during the call that
// receives it (it points into libpcap's buffer).
struct PcapRecord {
    std::int64_t timestampNs = 0;
    std::uint32_t wireLength = 0;
    std::span<const std::uint8_t> data;  // capturedLength bytes
};

struct DissectOptions {
    std::uint16_t vxlanPort = 4789;  // IANA; Calico's default. Linux's old default was 8472.
};

} // namespace podpath::parse
