#pragma once
// A tcpdump running on a node, its pcap streamed back over the session and decoded as
// it arrives: echo sightings for the judge, the raw bytes for --pcap (bounded), and
// tcpdump's own "N packets captured / dropped by kernel" for the report.

#include "capture_sightings.h"
#include "command_log.h"
#include "parse/ip_addr.h"
#include "parse/pcap_stream_reader.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace podpath::diagnose {

struct CaptureSpec {
    std::string interface = "any";   // "any", or one device for old tcpdump
    std::uint16_t vxlanPort = 4789;
    int maxSeconds = 20;             // bound on the node
    std::uint32_t maxPackets = 20000;
    // What narrows the capture to this pair on a busy node: the address the echoes go to
    // (the server's tunnel address) and both nodes' underlay addresses. Without a target
    // the capture keeps all ICMP and all encapsulated traffic.
    std::optional<Ipv4> echoTarget;
    // A cluster matrix: the other addresses this node's echoes go to or come from (kept
    // like the target).
    std::vector<Ipv4> moreTargets;
    std::vector<Ipv4> nodeAddresses;
    // WireGuard between the two nodes (both have its device): its messages between
    // nodeAddresses are kept too, whatever the port (recognised by their shape); with
    // more than two (a matrix), its messages to or from any of them.
    bool wireguard = false;
    // The data packets' lengths (UDP payload) that carry this pair's echoes: a busy pair's
    // other WireGuard traffic is left out. Empty: every length.
    std::vector<std::uint32_t> wireguardLengths;
    // Dual-stack: the server's IPv6 VTEP address, where the IPv6 burst goes (kept like the
    // target: ICMPv6 to or from it, VXLAN over IPv6 carrying it).
    std::optional<Ipv6> echoTarget6;
    // Pod to pod: the server pod, the other address echoes go to (kept like the target).
    std::optional<Ipv4> podTarget;
    // A capture on one pod's interface (old tcpdump, no -i any): that pod's address, to
    // tell its packets' direction (from the pod: entering the node).
    std::optional<Ipv4> podOnInterface;
};

// tcpdump's filter for `spec`, one word per token: ICMP to or from the echo target or a
// node address (the echoes on the tunnel device, the underlay ping, ICMP errors such as
// "need to frag"), and encapsulated packets whose inner source or destination is the
// echo target, whatever their outer addresses (a wrong gateway is evidence too). Inner
// addresses are read at fixed offsets behind a 20-byte outer header; a packet whose
// outer header has options is kept rather than misread. With an IPv6 target, the same
// for ICMPv6 and VXLAN over IPv6 (inner addresses behind the fixed 40-byte header; a
// packet with extension headers there is not VXLAN to Calico and is not kept).
std::vector<remote::Word> captureFilter(const CaptureSpec &spec);

// "4.99.3" -> true: tcpdump 4.99 writes LINUX_SLL2 on -i any, with interface indexes. An
// older one loses the interface there, so each device gets its own capture.
bool recordsInterfaces(const std::string &tcpdumpVersion);

// What a node's captures need of its interfaces: names by index (LINUX_SLL2 gives the
// index) and the node's own addresses (a packet's direction is read from them).
struct CaptureScope {
    InterfaceNames names;
    std::set<IpAddress> local;
};
CaptureScope captureScope(const std::vector<parse::Interface> &interfaces);

class CaptureStream {
public:
    CaptureStream(NodeAccess node, CaptureSpec spec, InterfaceNames names, std::set<IpAddress> localAddresses);
    ~CaptureStream();

    Result<void> start();
    // Waits (up to `max`) until tcpdump has delivered its pcap file header: then it is
    // capturing and the burst may begin.
    bool waitUntilCapturing(std::chrono::milliseconds max);
    // Ends tcpdump gracefully and waits for the last bytes; bounded by `max`.
    Result<void> stop(std::chrono::milliseconds max);
    // Started and not yet stopped: a cancelled recipe leaves it so; the engine stops it.
    bool running() const { return m_handle && !m_stopped; }

    std::vector<EchoSighting> sightings() const;
    std::vector<SealedSighting> sealed() const;  // WireGuard messages (spec.wireguardPeers)
    const std::string &pcapBytes() const { return m_raw; }  // valid after stop()
    // tcpdump sent more than kMaxRawBytes: pcapBytes() holds the first kMaxRawBytes
    // (the sightings still come from all of it).
    bool rawTruncated() const { return m_rawTruncated; }
    std::uint64_t packets() const { return m_packets; }
    std::string problem() const;
    // Why this capture may lack packets that crossed the node, after stop(): it ended
    // before it was stopped (its bound on the node), reached its packet or byte limit,
    // or tcpdump reported packets dropped by the kernel. Empty when complete.
    std::string incompleteBecause() const;
    const CaptureSpec &spec() const { return m_spec; }
    NodeRole role() const { return m_node.role; }

    static constexpr std::size_t kMaxRawBytes = 32u * 1024u * 1024u;

    // Stops every capture still running, side by side, each within `max`: after a burst,
    // and after a run that was cancelled or failed before that (no tcpdump outlives a run).
    static void stopAll(const std::vector<std::unique_ptr<CaptureStream>> &captures, std::chrono::milliseconds max);

private:
    void onChunk(std::string_view chunk);

    NodeAccess m_node;
    CaptureSpec m_spec;
    InterfaceNames m_names;
    std::set<IpAddress> m_local;
    parse::PcapStreamReader m_reader;
    remote::CommandHandle m_handle;
    mutable std::mutex m_mutex;
    std::vector<EchoSighting> m_sightings;
    std::vector<SealedSighting> m_sealed;
    std::vector<parse::CapturedPacket> m_scratch;
    std::string m_raw;
    bool m_rawTruncated = false;
    std::atomic<std::uint64_t> m_bytes{0};
    std::uint64_t m_packets = 0;
    std::string m_problem;
    std::chrono::steady_clock::time_point m_started;
    bool m_stopped = false;
    bool m_endedBeforeStop = false;
    bool m_endedOnItsBound = false;
    bool m_outputCapped = false;
    std::uint64_t m_kernelDrops = 0;
};

} // namespace podpath::diagnose
