#pragma once
// One ICMP or ICMPv6 echo packet as a node's capture saw it: where (node, interface, direction),
// how it travelled (plain or encapsulated, outer addresses) and which echo it is (id,
// seq). Hops are judged from these alone, whatever produced them (pcap stream, tcpdump
// text, a recording).

#include "core/ip_address.h"
#include "hop.h"

#include <cstdint>
#include <optional>
#include <string>

namespace podpath::diagnose {

// Wireguard: an echo inside a WireGuard transport-data packet. The capture cannot read
// it; it was paired with the echo that entered the WireGuard device (wireguard_path.h).
enum class Wrapping { Plain, IpIp, Vxlan, Wireguard };

struct EchoSighting {
    NodeRole node = NodeRole::Client;
    std::string interface;  // as the capture names it; empty when unknown
    bool outgoing = false;
    Wrapping wrapping = Wrapping::Plain;
    // Both of one family each: VXLAN over IPv6 carries IPv6 (Calico's vxlan-v6.calico).
    std::optional<IpAddress> outerSrc, outerDst;  // set when wrapped
    IpAddress src, dst;                           // the echo's own (inner) addresses
    bool isReply = false;
    std::uint16_t id = 0;
    std::uint16_t seq = 0;
    // The echo's datagram length (IPv4 total length; IPv6: 40 + payload length), to tell
    // the full-size probe apart.
    std::uint32_t ipLength = 0;
    std::int64_t timeNs = 0;
    std::string summary;  // one tcpdump-like line, for evidence
};

// One WireGuard message as a node's capture saw it on its underlay. The packet inside
// cannot be read; its receiver index and counter name it on both nodes' wires.
struct SealedSighting {
    NodeRole node = NodeRole::Client;
    std::string interface;
    bool outgoing = false;
    IpAddress src, dst;  // the outer (endpoint) addresses
    std::uint16_t srcPort = 0, dstPort = 0;
    std::uint8_t type = 0;  // 1 handshake initiation, 2 response, 3 cookie reply, 4 data
    std::uint32_t receiver = 0;
    std::uint64_t counter = 0;
    std::uint32_t length = 0;  // UDP payload: 32 + the inner packet padded to 16
    std::int64_t timeNs = 0;
    std::string summary;
};

} // namespace podpath::diagnose
