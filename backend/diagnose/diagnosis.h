#pragma once
// The outcome of one diagnosis: what was found on both nodes, the verdict per hop and
// per check, and the findings that explain them. Every front end (CLI picture, JSON,
// HTML, GUI diagram) renders this one document and adds nothing to it.

#include "core/ipv4.h"
#include "core/result.h"
#include "hop.h"

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace podpath::diagnose {

enum class Encapsulation { Unknown, IpIp, Vxlan, VxlanCrossSubnetDirect, IpipCrossSubnetDirect, None };
// An overlay in CrossSubnet mode between nodes of one subnet: the pair is routed
// straight over the underlay, the tunnel kept for other subnets.
inline bool crossSubnetDirect(Encapsulation e)
{
    return e == Encapsulation::VxlanCrossSubnetDirect || e == Encapsulation::IpipCrossSubnetDirect;
}
// Whether the path between the nodes goes through a tunnel device (the words of the
// checks and hops follow it).
inline bool tunnelled(Encapsulation e) { return e != Encapsulation::None && !crossSubnetDirect(e); }
// "unknown", "ipip", "vxlan", "vxlan-crosssubnet-direct", "ipip-crosssubnet-direct", "none"
std::string_view toString(Encapsulation e);
std::optional<Encapsulation> encapsulationFromString(std::string_view s);

enum class Severity { Info, Warning, Error, Critical };
std::string_view toString(Severity s);
std::optional<Severity> severityFromString(std::string_view s);

// Incomplete: nothing failed on the evidence there is, but some hop has none (a capture
// that did not run, a guided step not run yet): health is never claimed without it.
enum class Verdict { Pass, Fail, Error, Incomplete };
std::string_view toString(Verdict v);
std::optional<Verdict> verdictFromString(std::string_view s);

// What discovery learnt about one node; optional fields stay empty when not found.
struct NodeFacts {
    std::string host;            // as the user gave it: alias, name or address
    std::string hostname;        // the node's own name
    std::optional<Ipv4> nodeIp;  // underlay address
    std::string underlayDevice;
    // The router this node's packets to the peer's node IP go through (its route's
    // gateway); none when the peer is on its own subnet. Outer packets cross it too.
    std::optional<Ipv4> underlayGateway;
    std::string tunnelDevice;
    std::optional<Ipv4> tunnelIp;
    std::optional<Ipv4Prefix> podBlock;  // the block the tunnel IP belongs to, as routed by the peer
    int tunnelMtu = 0;
    // The VXLAN device's UDP port as the node reports it (`ip -d link`: dstport); 0 when
    // the tunnel is not VXLAN or the port was not read. Calico's default is 4789, not every cluster's.
    int vxlanPort = 0;
    // WireGuard's device when it is up (wireguard.cali, wg-v6.cali): Felix then routes the
    // pods' traffic between nodes through it, encrypted (UDP 51820), whatever the tunnel.
    std::string encryptionDevice;
    int encryptionMtu = 0;
    // The WireGuard device carries IPv4 (wireguard.cali; wg-v6.cali carries IPv6 only).
    bool encryptsIpv4 = false;
    // Calico's IPv6 VXLAN device (vxlan-v6.calico) and its address: the node is dual-stack.
    // PodPath judges the IPv4 path only and says so.
    std::string ipv6TunnelDevice;
    std::string ipv6TunnelAddress;
    int underlayMtu = 0;
    bool tunnelUp = false;
    std::string firewallBackend;  // "iptables-nft", "iptables-legacy", "nftables", "ebpf"
    std::string hostsIpset;       // "cali40all-hosts-net", "felix-calico-hosts-4", ...
    std::string privilege;        // "root", "sudo", "sudo-password", "none"
    int logins = 0;               // SSH logins to the node for this diagnosis (0: not known, a replay)
    int execs = 0;                // execs, each of which starts the node's login shell
    bool hasTcpdump = false;
    // The capture kept for --pcap holds only its first part: tcpdump sent more than
    // PodPath keeps (CaptureStream::kMaxRawBytes).
    bool pcapTruncated = false;
    // The log window on this node's own clock (its log stamps are written by it), ISO
    // 8601 UTC: lines stamped from `logsSince` on are evidence (LogLine::recent);
    // `logsUntil` is when the window was cut. Both empty when the logs were not read.
    std::string logsSince, logsUntil;
};

// How messages name a node: its own hostname, else what the user typed.
std::string nodeName(const NodeFacts &f);
// An address for a message, "?" when it is not known.
std::string ipText(const std::optional<Ipv4> &a);

// One stream of echoes (the small burst, the full-size DF probe) at one hop: the two
// are judged apart, so an MTU fault reads "small echoes pass, full-size ones die here".
struct StreamAtHop {
    std::string stream;          // "burst", "full-size probe"
    std::uint32_t ipLength = 0;  // IPv4 total length of its echoes; 0 = any size
    Status status = Status::Unknown;
    int seen = 0;       // echoes of this stream seen at (or proven past) this hop
    int expected = 0;   // echoes of this stream that reached the hop before it
    int lostHere = 0;   // of `expected`, not seen here: the stream breaks at this hop
    int lostEarlier = 0;  // sent, but lost at a hop before this one
    std::vector<std::uint16_t> missingHere;  // icmp_seq of the ones lost here
};

// The streams' names, as the engine labels them (JSON `stream`).
inline constexpr std::string_view kBurstStream = "burst";
inline constexpr std::string_view kFullSizeStream = "full-size probe";  // sent with don't-fragment set
// Dual-stack pairs: the nodes' echoes between their IPv6 VTEP addresses (vxlan-v6.calico).
inline constexpr std::string_view kIpv6Stream = "IPv6 burst";
inline constexpr std::string_view kPodStream = "pod ping";  // sent from inside the client pod to the server pod

// How one stream fared at one hop, told apart the same way by every front end: a stream
// lost before a hop did not reach it, which is no failure of that hop.
enum class StreamFate { Seen, LostHere, NotReached, NoEvidence, Skipped };
StreamFate streamFate(const StreamAtHop &s);
// "84 B", "1450 B DF": the stream's short name for lanes, columns and marks.
std::string streamLabel(const StreamAtHop &s);
// "5/5" (seen of those that reached the hop), "0/5", "did not reach", "no evidence",
// "skipped": the stream's count at the hop, never mixing streams.
std::string streamCount(const StreamAtHop &s);

// The explanation of a hop whose guided step has not run yet (the wizard shows "not run yet").
inline constexpr std::string_view kNotCapturedYet = "Not captured yet: the step that watches the packets has not run.";

struct HopVerdict {
    HopId id = HopId::RequestClientTunnel;
    Status status = Status::Unknown;
    int seen = 0;       // echo packets (by sequence) seen at this hop, all streams
    int expected = 0;   // echoes sent, all streams (seen + lost here or earlier)
    std::vector<StreamAtHop> streams;   // per stream, in the order they were sent
    std::vector<std::string> evidence;  // packet lines as tcpdump would print them
    std::string explanation;            // one sentence for the reader
};

struct CheckResult {
    std::string id;  // one of kCheckIds
    Status status = Status::Unknown;
    std::string detail;
    std::vector<std::string> evidence;
};

struct Finding {
    std::string code;  // stable UPPER_SNAKE from finding_codes.h, e.g. SOURCE_NOT_IN_HOSTS_IPSET
    Severity severity = Severity::Error;
    std::string blames;  // a hop id or check id
    std::string message;
    std::vector<std::string> evidence;
    std::string nextStep;
};

// Every command that ran, with what it printed: the report shows them so a reader can
// redo any step by hand.
struct CommandRecord {
    std::string node;  // "client" or "server"
    std::string step;
    std::string command;
    int exitStatus = -1;
    std::string output;  // stdout, bounded
    std::string errors;  // stderr, bounded
    std::chrono::milliseconds duration{0};
    // More than 1: read in one exec together with other reads (a batch); `duration` is
    // then the whole batch's.
    int batchSize = 0;
};

// "189 ms", or "189 ms for a batch of 9 reads": how long a command took, as a reader
// should take it.
std::string commandTiming(const CommandRecord &c);

// The series behind the plots and the log view. The engine fills them from the same
// evidence the verdicts come from, so a front end draws them and derives nothing.

// One echo of the burst as ping reported it: round trip, or lost.
struct EchoSample {
    std::string stream;  // "burst", "full-size probe"
    int seq = 0;
    std::optional<double> rttMs;  // nullopt: no reply
};

// One echo seen at one hop, in time since the first echo sighting of the burst.
struct HopSighting {
    HopId hop = HopId::RequestClientTunnel;
    std::string stream;
    int seq = 0;
    double atMs = 0;
};

// A firewall rule whose packet counter rose during the burst.
struct RuleCounterChange {
    std::string node;  // "client", "server"
    std::string table;
    std::string chain;
    int position = 0;  // 0: the chain's policy
    std::string rule;  // the rule as the backend prints it
    std::string target;
    std::string comment;
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    bool drops = false;  // DROP / REJECT (or the policy of a dropping chain)
};

// One line of a Calico component's (or kubelet's) log, as read from the node.
struct LogLine {
    std::string node;       // "client", "server"
    std::string source;     // "felix", "bird", "confd", "kubelet", ...
    std::string location;   // file or command it came from
    int line = 0;           // in that source's output
    std::string time;       // as printed (may be empty)
    // The stamp as microseconds since 1970 UTC (a stamp without a zone: the node's clock
    // as printed); what the window sorts and shows. Empty when the line has none.
    std::optional<std::int64_t> timeMicros;
    std::string level;      // "ERROR", "WARNING", ...; empty when unknown
    std::string text;       // the raw line
    bool recent = false;    // inside the diagnosis' log window
};

struct PhaseTiming {
    std::string phase;
    std::chrono::milliseconds duration{0};
};

// The pods at both ends, when the diagnosis was asked about two pods (issue #15): the
// node-to-node path is judged as always, and the pod checks say how the pods' own
// packets fared (docs/hops-and-checks.md).
struct PodEnd {
    std::string ip;
    std::string interface;  // host side, the pod's /32 route's device; empty when not found
    std::string netns;      // its named network namespace; empty when not known
    bool operator==(const PodEnd &) const = default;
};

struct PodPair {
    PodEnd client, server;
    std::string protocol = "icmp";  // icmp, tcp or udp: what was asked about
    int port = 0;                   // the TCP or UDP port; 0 for icmp
    std::string tool;               // what sent the port probe ("bash /dev/tcp", "nc"); empty when none ran
    bool operator==(const PodPair &) const = default;
};

struct Diagnosis {
    std::string startedAt;  // ISO 8601 UTC; for a replayed recording, when it was recorded
    bool recorded = false;  // replayed from a recording (--replay), not run live
    Encapsulation mode = Encapsulation::Unknown;
    NodeFacts client;
    NodeFacts server;
    std::optional<PodPair> pods;  // pod to pod; none for a node-to-node diagnosis
    Verdict verdict = Verdict::Error;
    std::optional<HopId> firstFailingHop;
    std::array<HopVerdict, 8> hops{};
    // The pods' ends (request.client.pod ...), by id order; judged only when `pods` is set.
    std::array<HopVerdict, 4> podHops{};
    std::vector<CheckResult> checks;
    std::vector<Finding> findings;
    std::vector<PhaseTiming> timings;
    std::vector<CommandRecord> commands;
    std::vector<EchoSample> echoes;
    std::vector<HopSighting> sightings;
    std::vector<RuleCounterChange> counterChanges;
    std::vector<LogLine> logs;  // bounded: the newest lines per source
    std::string error;  // why the diagnosis could not run (Error) or prove health (Incomplete), one line

    Diagnosis();
    const HopVerdict &hop(HopId id) const
    {
        const auto i = static_cast<std::size_t>(id);
        return i < hops.size() ? hops[i] : podHops[i - hops.size()];
    }
    HopVerdict &hop(HopId id) { return const_cast<HopVerdict &>(std::as_const(*this).hop(id)); }
    // The hops of this diagnosis in path order: twelve for two pods, eight for two nodes.
    std::vector<HopId> path() const { return hopPath(pods.has_value()); }
    const CheckResult *check(std::string_view id) const;
    // What the burst pings: the server's tunnel (VTEP) address; without encapsulation, the
    // server pod. Empty when neither is known. The check's title and the guide both say it.
    std::optional<std::string> burstTarget() const;
    // Either node carries an IPv6 overlay beside the IPv4 one.
    bool dualStack() const { return !client.ipv6TunnelDevice.empty() || !server.ipv6TunnelDevice.empty(); }
    // The IPv6 burst ran and was read (tunnel6.ping passed or failed): the verdict is both
    // families'. A dual-stack pair without it is judged on IPv4 only, and every verdict says so.
    bool ipv6Judged() const;
    // The path was judged through WireGuard (both nodes run it; its checks are there).
    bool wireguardJudged() const { return check("wireguard.client") != nullptr; }
    // Nothing has run yet: no start time, no error, no finding (a window just opened).
    bool isEmpty() const { return startedAt.empty() && error.empty() && findings.empty(); }
    // Exit status of `podpath diagnose`: 0 healthy, 1 a hop failed, 2 could not diagnose
    // (or could not prove health: incomplete).
    int exitStatus() const;
};

// The labels of the streams the hops were judged by (the burst, the full-size probe),
// from the hop that has the most; empty for a diagnosis that sent none. The lanes and
// columns of every front end.
std::vector<std::string> streamLabels(const Diagnosis &d);

// What the stream labels mean, for a reader who has not met them: "84 B = the burst's
// echoes; 1480 B DF = full-size probes, Don't Fragment set". Empty with fewer than two.
std::string streamsKey(const Diagnosis &d);

// The document for a node PodPath could not connect to: verdict Error, one finding with
// the connection's code (NO_PRIVILEGE for a login that can neither be root nor sudo) and
// its next step. The CLI writes it as JSON, the GUI shows it on its diagram.
Diagnosis connectionFailure(NodeRole role, const std::string &nodeLabel, const std::string &clientLabel,
                            const std::string &serverLabel, const Error &error);

} // namespace podpath::diagnose
