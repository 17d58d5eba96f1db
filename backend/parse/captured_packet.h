#pragma once
// What PodPath knows about one captured packet: the few header fields the hop rules
// look at, copied out of the bytes so the bytes can go. Plain values, no heap: a
// million of these cost a million times sizeof, nothing more.

#include "core/ipv4.h"

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

struct IcmpMessage {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    // Echo request (8) / reply (0). payloadLength is the ICMP data after the 8-byte
    // header as the IPv4 total length declares it (56 for a default ping).
    std::uint16_t echoId = 0;
    std::uint16_t echoSequence = 0;
    std::uint16_t payloadLength = 0;
    // Destination unreachable / fragmentation needed (3/4): the MTU the router asks for.
    std::uint16_t nextHopMtu = 0;
    // Errors (3, 4, 5, 11, 12) quote the offending datagram's header and 8 more bytes:
    // its ports (quoted.hasPorts) or, for a quoted echo, its id and sequence.
    std::optional<Ipv4Header> quoted;
    bool quotedIsEcho = false;
    std::uint16_t quotedEchoId = 0;
    std::uint16_t quotedEchoSequence = 0;

    bool isEchoRequest() const { return type == 8; }
    bool isEchoReply() const { return type == 0; }
    bool isEcho() const { return type == 0 || type == 8; }
    bool isError() const { return type == 3 || type == 4 || type == 5 || type == 11 || type == 12; }
    bool isFragmentationNeeded() const { return type == 3 && code == 4; }
};

enum class Encapsulation : std::uint8_t { None, Ipip, Vxlan };
std::string_view encapsulationName(Encapsulation e);

// Why dissection stopped before the innermost header, if it did. Snaplen cuts,
// fragments and non-IPv4 traffic are normal in a capture; none of them is an error.
enum class DissectNote : std::uint8_t {
    Complete,              // every header PodPath reads was present
    NotIpv4,               // ARP, IPv6, ...: etherType says what it is
    UnsupportedLinkType,
    LinkHeaderTruncated,
    Ipv4HeaderTruncated,   // fewer captured bytes than the IPv4 header needs
    Ipv4HeaderInvalid,     // version != 4, IHL < 5, total length < IHL
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
    std::uint16_t etherType = 0;       // of the link payload after VLAN tags (0x0800 IPv4)
    std::optional<std::uint16_t> vlanId;  // outermost 802.1Q/802.1ad tag
    std::optional<Ipv4Header> outer;
    Encapsulation encapsulation = Encapsulation::None;
    std::uint32_t vni = 0;             // VXLAN network identifier
    std::optional<Ipv4Header> inner;   // decapsulated IPIP or VXLAN datagram
    std::optional<IcmpMessage> icmp;   // of the innermost IPv4 datagram
    DissectNote note = DissectNote::Complete;

    // The datagram the endpoints exchanged: inner when encapsulated, else outer.
    const Ipv4Header *innermost() const { return inner ? &*inner : outer ? &*outer : nullptr; }
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
