#pragma once
// In-house dissection of the headers PodPath judges hops by (libpcap reads records,
// it does not dissect): link layer (Ethernet + 802.1Q, Linux cooked v1/v2, raw IP),
// IPv4 and IPv6 (its extension headers walked), IPIP and VXLAN (over either family)
// decapsulation, ICMP and ICMPv6, TCP/UDP ports.
// Total: any bytes give a CapturedPacket; reads never go past the captured length.

#include "parse/captured_packet.h"

namespace podpath::parse {

CapturedPacket dissectPacket(LinkType linkType, const PcapRecord &record,
                             const DissectOptions &options = {});

} // namespace podpath::parse
