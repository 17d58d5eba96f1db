#pragma once
// What `tcpdump -n -vvv` (and plain `tcpdump -n`) prints, read back into packets: the
// guide's procedure is a sequence of such captures, and a hop passes or fails on
// whether the expected echo request or reply shows up in them, encapsulated or not.
//
// Layouts read (checked against tcpdump 4.99.3 and the guide's older samples):
//   TIME IP (tos .., ttl .., id .., offset .., flags [..], proto NAME (N), length N)
//       SRC > DST: <transport>                          -v: header, then addresses
//   TIME eth0  Out IP ...                               -i any on 4.99 (LINUX_SLL2)
//   TIME IP SRC > DST: <transport>                      without -v
//   IPIP:   SRC > DST: IP (tos ...)  then  "    INNER_SRC > INNER_DST: ICMP ..."
//   VXLAN:  SRC.p > DST.4789: [..] VXLAN, flags [I] (0x08), vni 4096
//           IP (tos ...)   <- inner frame at column 0 (with -e: "MAC > MAC, ethertype
//           IPv4 (0x0800), length 98: (tos ...)"), then the inner addresses line
//   ICMP errors: "ICMP host X unreachable, length 92" then the quoted packet,
//           "\tIP (tos ...)" and its addresses line.
//   -e:     "TIME MAC > MAC, ethertype IPv4 (0x0800), length N: (tos ...)", with -i any
//           "TIME eth0  Out ifindex 2 MAC ethertype IPv4 (0x0800), length N: (tos ...)",
//           before 4.99 "TIME   P MAC ethertype ...".
// Timestamps: HH:MM:SS.frac (default, -ttt, -ttttt), "YYYY-MM-DD HH:MM:SS.frac"
// (-tttt) and epoch seconds (-tt). Output without timestamps (-t) is not read.

#include "core/ipv4.h"
#include "core/result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse {

struct CaptureTime {
    std::string text;          // as printed: "20:46:37.409391", "2026-11-25 10:16:21.400134"
    double secondsOfDay = 0;   // 20:46:37.409391 -> 74797.409391; -tt epochs: modulo a
                               // day (UTC), -ttt deltas: the delta itself
    bool operator==(const CaptureTime &) const = default;
};

// The packet type of a Linux cooked capture (`-i any`), as tcpdump abbreviates it.
enum class CaptureDirection {
    Unknown,    // not shown (single-interface capture, tcpdump before 4.99) or "?"
    In,         // "In": addressed to this host
    Out,        // "Out": sent by this host
    Broadcast,  // "B"
    Multicast,  // "M"
    OtherHost,  // "P": seen promiscuously, addressed to another host
};
std::string_view captureDirectionName(CaptureDirection d);

// The parenthesised IPv4 header tcpdump prints with -v.
struct IpHeaderFields {
    std::string tos;                    // as printed: "0x0", "0xc0", "0x2,ECT(0)"
    std::uint8_t tosValue = 0;
    std::uint8_t ttl = 0;
    std::uint16_t id = 0;
    std::uint16_t offset = 0;           // fragment offset in bytes, as tcpdump prints it
    std::vector<std::string> flags;     // "DF", "+" (more fragments), "rsvd"; [none] is empty
    std::string protocolName;           // "ICMP", "IPIP", "TCP", "UDP", "unknown"
    std::uint8_t protocol = 0;
    std::uint16_t length = 0;           // total length, header included
    std::vector<std::string> other;     // fields not broken out: "options (RA)", "bad cksum .."

    bool dontFragment() const;
    bool moreFragments() const;
    bool operator==(const IpHeaderFields &) const = default;
};

enum class IcmpKind { EchoRequest, EchoReply, Unreachable, TimeExceeded, Other };

struct IcmpMessage {
    IcmpKind kind = IcmpKind::Other;
    std::string text;                   // after "ICMP ": "echo request, id 1, seq 2, length 64",
                                        // "host 198.51.100.99 unreachable, length 92"
    std::optional<std::uint16_t> id;    // echo request/reply
    std::optional<std::uint16_t> seq;
    std::optional<std::uint32_t> length;
    std::optional<Ipv4> about;          // errors: the unreachable host ("host X unreachable",
                                        // "X udp port 53 unreachable", "X unreachable - ...")
    std::optional<std::uint32_t> mtu;   // "need to frag (mtu 1450)", "frag needed ... (mtu = N)"
    bool fragmentationNeeded = false;

    bool isError() const { return kind == IcmpKind::Unreachable || kind == IcmpKind::TimeExceeded; }
    bool operator==(const IcmpMessage &) const = default;
};

struct TcpSegment {
    std::string flags;                  // inside "Flags [..]": "S", "S.", "P.", "F.", "R"
    std::optional<std::string> seq;     // "2458752664" or a range "1:7"
    std::optional<std::uint32_t> ack;
    std::optional<std::uint32_t> window;
    std::optional<std::uint32_t> length;
    std::string options;                // inside "options [..]"
    bool operator==(const TcpSegment &) const = default;
};

struct VxlanHeader {
    std::string flags;                  // "[I] (0x08)" as printed
    std::optional<std::uint32_t> vni;
    std::string innerOther;             // the inner frame's line when it is not IPv4 (ARP,
                                        // IPv6): printed, not modelled
    bool operator==(const VxlanHeader &) const = default;
};

struct UdpDatagram {
    std::string checksum;               // "[bad udp cksum 0x549d -> 0x12bc!]", "[udp sum ok]",
                                        // "[no cksum]", or empty when not shown
    std::optional<std::uint32_t> length; // "UDP, length 5"; absent when an application
                                         // printer (DNS, VXLAN, ...) took over
    std::optional<VxlanHeader> vxlan;
    bool operator==(const UdpDatagram &) const = default;
};

enum class IpTransport { Unknown, Icmp, Tcp, Udp, Ipip, Other };

// How a layer reached us inside the one before it.
enum class IpCarrier {
    None,       // the outermost header of the packet
    Ipip,       // IP-in-IP (protocol 4): Calico's IPIP mode
    Vxlan,      // the frame inside a VXLAN header: Calico's VXLAN mode
    IcmpQuote,  // the packet an ICMP error quotes back (not a packet on the wire)
};

struct IpLayer {
    IpCarrier carriedBy = IpCarrier::None;
    int line = 0;                       // where this layer's header (or addresses) starts
    std::optional<IpHeaderFields> header;  // absent without -v
    std::optional<Ipv4> src;            // absent if the addresses line never came (truncated)
    std::optional<Ipv4> dst;
    std::optional<std::uint16_t> srcPort;
    std::optional<std::uint16_t> dstPort;
    IpTransport transport = IpTransport::Unknown;
    std::string summary;                // what followed "SRC > DST: ", as printed
    std::optional<IcmpMessage> icmp;
    std::optional<TcpSegment> tcp;
    std::optional<UdpDatagram> udp;
    std::string linkSrc;                // inner Ethernet addresses (VXLAN with -e)
    std::string linkDst;

    bool operator==(const IpLayer &) const = default;
};

// What the link layer carried, by the word tcpdump starts the payload with.
enum class LinkPayload { Ipv4, Arp, Ipv6, Other };

struct CapturedPacket {
    int line = 0;                       // 1-based: the timestamp line
    int lastLine = 0;                   // last continuation line that belongs to it
    CaptureTime time;
    std::string interfaceName;          // "-i any" on tcpdump 4.99+: "eth0", "vxlan.calico",
                                        // "?" when tcpdump could not name it; else empty
    CaptureDirection direction = CaptureDirection::Unknown;
    std::string directionText;          // "In", "Out", "B", "M", "P", "?"; empty if not shown
    std::optional<std::uint32_t> ifIndex;  // -e with -i any: "ifindex 2"
    std::string linkSrc;                // -e: MAC addresses and the ethertype as printed
    std::string linkDst;
    std::string etherType;              // "IPv4 (0x0800)"
    LinkPayload payload = LinkPayload::Other;
    std::string text;                   // first line after timestamp, interface and link header
    std::vector<IpLayer> ip;            // [0] the outer header, then inner/quoted ones in
                                        // the order printed; empty unless payload is Ipv4
    bool complete = true;               // false: a line tcpdump always prints never came
    std::vector<std::string> rawLines;  // the packet as printed, for evidence

    const IpLayer *outer() const { return ip.empty() ? nullptr : &ip.front(); }
    // The deepest layer on the wire path (IPIP/VXLAN inner), ignoring ICMP quotes.
    const IpLayer *innermost() const;
    // Carries an IPIP or VXLAN inner packet.
    bool encapsulated() const;
    // The ICMP error's quoted packet, if this is one.
    const IpLayer *quoted() const;
    bool operator==(const CapturedPacket &) const = default;
};

struct TcpdumpMessage {
    int line = 0;
    std::string text;                   // "tcpdump: WARNING: ...", "tcpdump: eth9: No such device exists"
    bool operator==(const TcpdumpMessage &) const = default;
};

// tcpdump's own lines around the packets: the banner and the statistics at exit.
struct CaptureSummary {
    std::string interface;              // "listening on any" -> "any"
    std::string linkType;               // "LINUX_SLL2", "EN10MB"
    std::string linkTypeDescription;    // "Linux cooked v2", "Ethernet"
    std::optional<std::uint32_t> snapshotLength;  // "snapshot length" / older "capture size"
    std::string readingFrom;            // -r: "reading from file F, ..."
    std::string droppedPrivsTo;         // "dropped privs to tcpdump"
    bool verboseOutputSuppressed = false;  // run without -v: no IP header fields
    std::optional<std::uint64_t> packetsCaptured;
    std::optional<std::uint64_t> packetsReceivedByFilter;
    std::optional<std::uint64_t> packetsDroppedByKernel;
    std::optional<std::uint64_t> packetsDroppedByInterface;
    std::vector<TcpdumpMessage> messages;  // other "tcpdump: " lines: warnings and errors

    bool hasStatistics() const { return packetsCaptured.has_value(); }
};

// A line kept because nothing here reads it: never dropped silently.
struct UnparsedLine {
    int line = 0;
    std::string text;
    std::string reason;
    int packetIndex = -1;               // the packet it sits in, or -1 outside any packet
    bool operator==(const UnparsedLine &) const = default;
};

struct TcpdumpCapture {
    CaptureSummary summary;
    std::vector<CapturedPacket> packets;
    std::vector<UnparsedLine> unparsed;  // harmless: output tcpdump printed that is not modelled
    std::vector<Error> problems;         // structural: continuation lines without a packet,
                                         // headers that do not parse, packets cut short
    int lines = 0;

    bool clean() const { return problems.empty(); }
};

// Whole output at once. Errors: input over text::kMaxInputBytes, pcap bytes instead of
// text, or input in which nothing is tcpdump output at all (the error names the first
// line that is not). Everything else gives a capture; what could not be read is in
// `unparsed` or `problems` with its line number.
Result<TcpdumpCapture> parseTcpdumpText(std::string_view text);

// The same reader fed line by line, for a capture streamed from a node: packets
// appear as their lines arrive (the last one may still grow until the next line).
class TcpdumpTextReader {
public:
    TcpdumpTextReader();
    ~TcpdumpTextReader();
    TcpdumpTextReader(const TcpdumpTextReader &) = delete;
    TcpdumpTextReader &operator=(const TcpdumpTextReader &) = delete;

    // One line without its newline. After text::kMaxInputBytes in total, further lines
    // are refused and a problem says so.
    void addLine(std::string_view line);
    const TcpdumpCapture &capture() const;
    // Closes the last packet (checking it is complete) and hands the capture over.
    TcpdumpCapture finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace podpath::parse
