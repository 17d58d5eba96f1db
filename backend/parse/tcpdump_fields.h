#pragma once
// The pieces of one tcpdump line: timestamps, the link-layer prefix, the IPv4 header
// in parentheses, "SRC > DST: ..." and the ICMP/TCP/UDP/VXLAN text after it. Used by
// tcpdump_text.cpp, which knows how lines follow each other.

#include "tcpdump_text.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse::tcpdump {

// Reads the timestamp at the front of `rest` (one word, or two for -tttt) and leaves
// what follows in `rest`. nullopt, `rest` untouched, when the line does not start with one.
std::optional<CaptureTime> takeCaptureTime(std::string_view &rest);

// Splits at ", " outside () and [], as tcpdump separates fields: "flags [+, DF]" and
// "proto ICMP (1)" stay whole.
std::vector<std::string_view> splitFields(std::string_view s);

bool isMacAddress(std::string_view s);
std::optional<CaptureDirection> directionFromToken(std::string_view s);

// "ethertype IPv4 (0x0800), length 154: REST" -> etherType "IPv4 (0x0800)", rest REST.
bool takeEtherTypePrefix(std::string_view &rest, std::string &etherType);

// The text inside the parentheses of "(tos 0x0, ttl 64, ...)". On failure, `error`
// says which field is missing or wrong.
std::optional<IpHeaderFields> parseIpHeader(std::string_view inside, std::string &error);

// "(....) trailing": the index of the ')' closing the '(' at s[0], or npos.
std::size_t matchingParen(std::string_view s);

// "SRC > DST: REST" into the layer's addresses and ports; REST kept as its summary and
// handed back as a view into s.
bool parseAddresses(std::string_view s, IpLayer &layer, std::string_view &rest, std::string &error);

// Fills transport/icmp/tcp/udp from the summary (and the header's protocol, if any).
void classifyTransport(IpLayer &layer);

} // namespace podpath::parse::tcpdump
