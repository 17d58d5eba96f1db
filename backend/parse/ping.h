#pragma once
// Output of `ping` (iputils, as on Debian 12; busybox accepted) as PodPath runs it:
// `ping -n -c N -i 0.02 -W 1 -I ADDR DEST`, and `-M do -s SIZE` for the MTU check; IPv4
// or IPv6 (`ping -6`). The parser reads stdout and stderr alike (2>&1 or either stream alone).

#include "core/ip_address.h"
#include "core/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse {

enum class PingFlavour { Iputils, Busybox };

// "PING 198.18.1.1 (198.18.1.1) from 198.18.0.1 c0: 56(84) bytes of data."
// "PING 2001:db8::80(2001:db8::80) from 2001:db8::40 : 56 data bytes" (iputils, IPv6)
// A zoned address ("fe80::1%c0") is no IpAddress: such a header does not read.
struct PingHeader {
    std::string target;                     // as given on the command line (address or name)
    std::optional<IpAddress> targetAddress; // what ping resolved it to
    std::optional<IpAddress> source;        // "from ADDR": -I was given
    std::string sourceInterface;            // "from ADDR IFACE:" when -I named a device (iputils)
    unsigned payloadBytes = 0;              // 56, or the -s size
    std::optional<unsigned> packetBytes;    // IP packet size (payload + 28); iputils over IPv4 only
    int line = 0;
};

// Why a probe got no echo reply, as ping printed it.
enum class PingProblem {
    None,                           // an echo reply
    // From ourselves: no ARP answer (IPv6: "Destination unreachable: Address unreachable",
    // no neighbour answer); from a router: no route (IPv6: "Destination unreachable: No route")
    DestinationHostUnreachable,
    DestinationNetUnreachable,
    DestinationPortUnreachable,     // an iptables REJECT (default reject-with); IPv6 "Port unreachable"
    DestinationProtocolUnreachable,
    Prohibited,                     // "Packet filtered", "Destination Host/Net Prohibited", "Administratively prohibited"
    FragmentationNeeded,            // "Frag needed and DF set (mtu = N)" / "Packet too big: mtu=N" from a hop
    TimeToLiveExceeded,             // "Time to live exceeded" / "Time exceeded: Hop limit"
    MessageTooLong,                 // "local error: message too long, mtu=N" (IPv6: "mtu: N"): local route/device MTU
    SendFailed,                     // "sendmsg: REASON"; see tests/fixtures/ping/README.md
    NoAnswerYet,                    // "no answer yet for icmp_seq=N" (ping -O)
    Other,
};

// One per-sequence line: a reply or an error that names its icmp_seq.
struct PingProbe {
    int line = 0;
    std::uint32_t sequence = 0;
    bool reply = false;
    bool duplicate = false;             // "(DUP!)"
    std::string from;                   // "198.51.100.12" or "node2 (198.51.100.12)"
    std::optional<IpAddress> fromAddress; // none when `from` is a name alone or a zoned "fe80::1%c0"
    std::optional<unsigned> bytes;      // replies: ICMP bytes received
    std::optional<unsigned> ttl;
    std::optional<double> timeMs;       // absent when the payload is too small to carry a time
    PingProblem problem = PingProblem::None;
    std::optional<unsigned> mtu;        // FragmentationNeeded
    std::string text;                   // the error as printed ("Destination Host Unreachable")
};

// Errors ping prints without a sequence number ("ping: local error: ...", "ping: sendmsg: ...").
// iputils counts each as a transmitted packet and an error, but does not say which one.
struct PingLocalError {
    int line = 0;
    PingProblem problem = PingProblem::Other;
    std::optional<unsigned> mtu;
    std::string text;                   // after "ping: "
};

// Why ping stopped before (or instead of) probing.
enum class PingFailure {
    NetworkUnreachable,     // "connect: Network is unreachable": no route (ping without -I)
    NoRouteToHost,          // "connect: No route to host": an unreachable route
    // "Do you want to ping broadcast? ... check your local firewall rules"; IPv6 says
    // "connect: Permission denied" (a prohibit route)
    BlockedLocally,
    UnknownHost,            // name resolution failed
    SourceAddressNotLocal,  // "bind[ icmp socket]: Cannot assign requested address": -I ADDR not on this node
    NoSuchDevice,           // "SO_BINDTODEVICE X: No such device" (IPv6: "unknown iface: X"): -I IFACE missing
    NotPermitted,           // "socket: Operation not permitted"
    BadOption,              // "invalid option -- 'M'" (BusyBox has no -M), then its usage text: nothing sent
    Other,
};

struct PingFatal {
    int line = 0;
    PingFailure failure = PingFailure::Other;
    std::string text;       // after "ping: "
};

// "12 packets transmitted, 0 received, +12 errors, 100% packet loss, time 3049ms"
struct PingStatistics {
    unsigned transmitted = 0;
    unsigned received = 0;      // distinct replies; duplicates are counted apart
    unsigned errors = 0;
    unsigned duplicates = 0;
    unsigned corrupted = 0;
    double lossPercent = 0;
    std::optional<unsigned> timeMs;
    int line = 0;
};

// "rtt min/avg/max/mdev = a/b/c/d ms"; busybox has no mdev.
struct PingRtt {
    double minMs = 0, avgMs = 0, maxMs = 0;
    std::optional<double> mdevMs;
    int line = 0;
};

struct PingUnrecognizedLine {
    int line = 0;
    std::string text;
};

struct PingResult {
    PingFlavour flavour = PingFlavour::Iputils;
    std::optional<PingHeader> header;
    std::vector<PingProbe> probes;              // output order; a DUP is its own entry
    std::vector<PingLocalError> localErrors;
    std::optional<PingFatal> fatal;
    std::optional<PingStatistics> statistics;
    std::optional<PingRtt> rtt;
    std::optional<unsigned> pipe;               // "pipe N": probes outstanding at once
    // Sequences sent that never got an echo reply: from the summary's transmitted
    // count when there is one, else up to the highest sequence printed.
    std::vector<std::uint32_t> unanswered;
    bool unansweredCapped = false;              // more than kMaxPingSequences; list cut
    std::vector<std::string> warnings;          // "WARNING: pinging broadcast address", ...
    std::vector<PingUnrecognizedLine> unrecognized;
    bool truncated = false;                     // the output stops before the summary

    bool finished() const { return statistics.has_value() || fatal.has_value(); }
    // Distinct sequences that got a (non-duplicate) echo reply.
    unsigned repliedSequences() const;
};

// icmp_seq is 16 bits on the wire; a list longer than that would wrap.
inline constexpr std::uint32_t kMaxPingSequences = 65535;

// Errors only for input that cannot be ping output (empty, oversized, nothing
// recognisable) or a line that starts like a known line but does not read as one;
// a malformed *last* line without a newline is taken as truncation instead.
Result<PingResult> parsePing(std::string_view output);

std::string_view toString(PingProblem problem);
std::string_view toString(PingFailure failure);

} // namespace podpath::parse
