#pragma once
// One ICMP echo packet as a node's capture saw it: where (node, interface, direction),
// how it travelled (plain or encapsulated, outer addresses) and which echo it is (id,
// seq). Hops are judged from these alone, whatever produced them (pcap stream, tcpdump
// text, a recording).

#include "core/ipv4.h"
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
    std::optional<Ipv4> outerSrc, outerDst;  // set when wrapped
    Ipv4 src, dst;                           // the echo's own (inner) addresses
    bool isReply = false;
    std::uint16_t id = 0;
    std::uint16_t seq = 0;
    std::uint32_t ipLength = 0;  // the echo's IPv4 total length, to tell the full-size probe apart
    std::int64_t timeNs = 0;
    std::string summary;  // one tcpdump-like line, for evidence
};

} // namespace podpath::diagnose
