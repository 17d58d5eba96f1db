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

enum class Wrapping { Plain, IpIp, Vxlan };

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

} // namespace podpath::diagnose
