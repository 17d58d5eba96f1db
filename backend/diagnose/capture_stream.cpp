#include "capture_stream.h"

#include "parse/text.h"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace podpath::diagnose {

using remote::RemoteCommand;

CaptureStream::CaptureStream(NodeAccess node, CaptureSpec spec, InterfaceNames names, std::set<IpAddress> localAddresses)
    : m_node(node), m_spec(std::move(spec)), m_names(std::move(names)), m_local(std::move(localAddresses)),
      m_reader(parse::DissectOptions{m_spec.vxlanPort})
{
}

namespace {

// A filter primitive: the 32-bit word at this offset of the IPv4 or IPv6 header.
std::string wordIs(std::string_view proto, int at, std::uint32_t value)
{
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08x", value);
    return std::string(proto) + "[" + std::to_string(at) + ":4]=" + hex;
}

} // namespace

std::vector<remote::Word> captureFilter(const CaptureSpec &spec)
{
    std::vector<std::string> t;
    const std::string port = std::to_string(spec.vxlanPort);
    if (!spec.echoTarget) {
        t = {"icmp", "or", "ip", "proto", "4", "or", "udp", "port", port};
    } else {
        std::vector<Ipv4> targets{*spec.echoTarget};
        if (spec.podTarget && *spec.podTarget != *spec.echoTarget)
            targets.push_back(*spec.podTarget);
        for (const Ipv4 &more : spec.moreTargets)
            if (std::find(targets.begin(), targets.end(), more) == targets.end())
                targets.push_back(more);
        // Inner header: behind the outer IPv4 header (IPIP), or behind it, UDP, VXLAN and
        // the inner Ethernet header (8 + 8 + 14 bytes). An outer fragment after the first
        // has no inner header to read: kept, as before.
        auto inner = [&](int at) {
            std::vector<std::string> w{"(", "ip[0]&0xf!=5", "or", "ip[6:2]&0x1fff!=0"};
            for (const Ipv4 &target : targets)
                w.insert(w.end(), {"or", wordIs("ip", at + 12, target.toUint()), "or", wordIs("ip", at + 16, target.toUint())});
            w.push_back(")");
            return w;
        };
        t = {"(", "icmp", "and", "(", "host", spec.echoTarget->toString()};
        for (std::size_t k = 1; k < targets.size(); ++k)
            t.insert(t.end(), {"or", "host", targets[k].toString()});
        for (const Ipv4 &a : spec.nodeAddresses)
            t.insert(t.end(), {"or", "host", a.toString()});
        t.insert(t.end(), {")", ")", "or", "(", "ip", "proto", "4", "and"});
        const std::vector<std::string> ipip = inner(20), vxlan = inner(50);
        t.insert(t.end(), ipip.begin(), ipip.end());
        t.insert(t.end(), {")", "or", "(", "udp", "port", port, "and"});
        t.insert(t.end(), vxlan.begin(), vxlan.end());
        t.push_back(")");
        if (spec.echoTarget6) {
            // libpcap reads udp[] on IPv4 only: the inner IPv6 header is read by ip6[]
            // offsets, 40 (outer) + 8 (UDP) + 8 (VXLAN) + 14 (Ethernet), four words an address.
            const std::string v6 = spec.echoTarget6->toString();
            t.insert(t.end(), {"or", "(", "icmp6", "and", "host", v6, ")", "or", "(", "ip6", "and", "udp", "port", port, "and", "("});
            const auto &b = spec.echoTarget6->bytes();
            for (int at : {70 + 8, 70 + 24}) {
                if (at != 70 + 8)
                    t.push_back("or");
                t.push_back("(");
                for (int w = 0; w < 4; ++w) {
                    const std::uint32_t word = std::uint32_t(b[4 * w]) << 24 | std::uint32_t(b[4 * w + 1]) << 16 |
                                               std::uint32_t(b[4 * w + 2]) << 8 | std::uint32_t(b[4 * w + 3]);
                    if (w)
                        t.push_back("and");
                    t.push_back(wordIs("ip6", at + 4 * w, word));
                }
                t.push_back(")");
            }
            t.insert(t.end(), {")", ")"});
        }
        if (spec.wireguard && spec.nodeAddresses.size() >= 2) {
            // WireGuard between the nodes, on whatever port: a type byte of 1..7 (4 is
            // transport data) and three zero bytes. Other traffic between them is not kept.
            t.insert(t.end(), {"or", "(", "udp", "and", "udp[8:4]&0xf8ffffff=0", "and", "udp[8]!=0", "and"});
            if (spec.nodeAddresses.size() == 2) {
                t.insert(t.end(), {"host", spec.nodeAddresses[0].toString(), "and", "host", spec.nodeAddresses[1].toString()});
            } else {  // a cluster's nodes: this node's messages to or from any of them
                t.push_back("(");
                for (std::size_t k = 0; k < spec.nodeAddresses.size(); ++k) {
                    if (k)
                        t.push_back("or");
                    t.insert(t.end(), {"host", spec.nodeAddresses[k].toString()});
                }
                t.push_back(")");
            }
            // UDP's length field counts its 8-byte header: the handshake's three messages
            // (148, 92, 64) and the data packets that carry the echoes.
            if (!spec.wireguardLengths.empty()) {
                std::set<std::uint32_t> lengths{148, 92, 64};
                lengths.insert(spec.wireguardLengths.begin(), spec.wireguardLengths.end());
                t.insert(t.end(), {"and", "("});
                bool first = true;
                for (std::uint32_t l : lengths) {
                    if (!first)
                        t.push_back("or");
                    t.push_back("udp[4:2]=" + std::to_string(l + 8));
                    first = false;
                }
                t.push_back(")");
            }
            t.push_back(")");
        }
    }
    std::vector<remote::Word> words;
    for (const auto &w : t)
        words.push_back(*remote::Word::parse(w));  // every token is PodPath's own, from validated values
    return words;
}

CaptureStream::~CaptureStream()
{
    if (m_handle && !m_handle->isFinished())
        m_handle->cancel();
}

Result<void> CaptureStream::start()
{
    // -U and --immediate-mode: hand over each packet as it comes (without them the
    // kernel ring holds packets up to a second, past the end of the burst); -s 256: headers are
    // all PodPath reads; the filter keeps echoes and the encapsulated traffic that may
    // carry them, never the SSH session that carries the capture itself.
    RemoteCommand cmd("tcpdump");
    cmd.flag("-i");
    if (m_spec.interface == "any") {
        cmd.flag("any");
    } else {
        auto iface = InterfaceName::parse(m_spec.interface);
        if (!iface)
            return Error{"not an interface name: " + m_spec.interface, roleName(m_node.role), {}, 0};
        cmd.arg(*iface);
    }
    cmd.flag("-n").flag("-U").flag("--immediate-mode").flag("-s").flag("256").flag("-c").arg(*remote::Count::of(m_spec.maxPackets));
    cmd.flag("-w").flag("-");
    for (const remote::Word &w : captureFilter(m_spec))
        cmd.arg(w);

    remote::RunOptions opts;
    opts.timeout = *remote::Seconds::of(std::uint64_t(m_spec.maxSeconds));
    opts.asRoot = true;
    opts.maxOutputBytes = 256u * 1024u * 1024u;
    m_started = std::chrono::steady_clock::now();
    m_handle = m_node.shell.stream(cmd, opts, [this](std::string_view chunk) { onChunk(chunk); });
    CommandRecord rec;
    rec.node = roleName(m_node.role);
    rec.step = "capture";
    rec.command = loggedCommand(cmd.toString(), true);
    rec.exitStatus = -1;
    m_node.log.add(std::move(rec));
    return {};
}

void CaptureStream::onChunk(std::string_view chunk)
{
    // Runs on the node's worker thread, one chunk at a time.
    m_bytes += chunk.size();
    std::lock_guard lock(m_mutex);
    // The file keeps the stream's first kMaxRawBytes and nothing after: a later chunk
    // that would still fit must not land behind a gap.
    if (!m_rawTruncated) {
        const std::size_t room = kMaxRawBytes - m_raw.size();
        m_raw.append(chunk.substr(0, room));
        m_rawTruncated = chunk.size() > room;
    }
    if (!m_problem.empty())
        return;
    m_scratch.clear();
    auto r = m_reader.feed(chunk, m_scratch);
    m_packets += m_scratch.size();
    auto s = echoSightings(m_node.role, m_scratch, m_names, m_spec.interface == "any" ? std::string() : m_spec.interface,
                           m_local);
    if (m_spec.podOnInterface && m_spec.interface != "any")
        for (auto &e : s)
            e.outgoing = e.src != *m_spec.podOnInterface;  // what the pod sent enters the node
    m_sightings.insert(m_sightings.end(), s.begin(), s.end());
    if (m_spec.wireguard) {
        auto sealed = sealedSightings(m_node.role, m_scratch, m_names, m_spec.interface == "any" ? std::string() : m_spec.interface,
                                      m_local);
        m_sealed.insert(m_sealed.end(), sealed.begin(), sealed.end());
    }
    if (!r.ok())
        m_problem = "the capture stream could not be read: " + r.error().oneLine();
}

bool CaptureStream::waitUntilCapturing(std::chrono::milliseconds max)
{
    const auto until = std::chrono::steady_clock::now() + max;
    while (std::chrono::steady_clock::now() < until) {
        if (m_bytes.load() >= 24)
            return true;
        if (m_handle && m_handle->isFinished())
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return m_bytes.load() >= 24;
}

Result<void> CaptureStream::stop(std::chrono::milliseconds max)
{
    if (!m_handle)
        return Error{"capture never started", roleName(m_node.role), {}, 0};
    m_stopped = true;
    m_handle->stop();
    if (!m_handle->waitForFinished(max)) {
        // tcpdump ends on its first SIGTERM; a node that does not say so has gone dark.
        m_node.log.noteSilence(m_node.role, "the capture (tcpdump) did not answer the request to stop within " +
                                                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(max).count()) +
                                                " s");
        m_handle->cancel();
    }
    m_handle->waitForFinished(std::chrono::seconds(5));
    const auto &res = m_handle->result();
    std::lock_guard lock(m_mutex);
    CommandRecord rec;
    rec.node = roleName(m_node.role);
    rec.step = "capture finished";
    rec.command = "tcpdump (stopped)";
    if (res.ok()) {
        rec.exitStatus = res->exitStatus.value_or(-1);
        rec.errors = res->err;  // "N packets captured / received by filter / dropped by kernel"
        m_outputCapped = res->truncated;
        // tcpdump had ended before PodPath stopped it (the result is not the stop's): its
        // bound on the node ran out (coreutils' `timeout` says 124, BusyBox's passes on
        // tcpdump's own 0) or it died; either way it saw nothing after that.
        m_endedOnItsBound = res->exitStatus == remote::kTimeoutExitStatus;
        m_endedBeforeStop = !res->cancelled || m_endedOnItsBound;
        // tcpdump's summary line: "12 packets dropped by kernel", "1 packet dropped by kernel".
        if (auto at = res->err.find(" dropped by kernel"); at != std::string::npos) {
            at = res->err.rfind(' ', at - 1);
            auto from = res->err.rfind('\n', at);
            from = from == std::string::npos ? 0 : from + 1;
            m_kernelDrops = text::toUnsigned<std::uint64_t>(text::trim(std::string_view(res->err).substr(from, at - from))).value_or(0);
        }
        rec.output = std::to_string(m_bytes.load()) + " bytes of pcap, " + std::to_string(m_packets) + " packets decoded";
        rec.duration = res->duration;
        if (m_bytes.load() == 0 && m_problem.empty())
            m_problem = "tcpdump produced no capture: " + (res->err.empty() ? std::string("no output") : res->err.substr(0, 300));
    } else {
        rec.errors = res.error().oneLine();
        m_node.log.noteLostConnection(m_node.role, "the capture (tcpdump)", res.error());
        if (m_problem.empty())
            m_problem = "capture failed: " + res.error().oneLine();
    }
    m_node.log.add(std::move(rec));
    if (m_problem.empty()) {
        if (auto fin = m_reader.finish(); !fin.ok() && m_reader.recordsRead() == 0)
            m_problem = fin.error().oneLine();
        // A last record cut by the stop is normal: tcpdump was interrupted mid-write.
    }
    if (!m_problem.empty())
        return Error{m_problem, roleName(m_node.role), {}, 0};
    return {};
}

std::string CaptureStream::incompleteBecause() const
{
    std::lock_guard lock(m_mutex);
    if (m_packets >= m_spec.maxPackets)
        return "stopped at its limit of " + std::to_string(m_spec.maxPackets) + " packets (a busy node)";
    if (m_outputCapped)
        return "stopped at its limit of output";
    if (m_kernelDrops > 0)
        return "lost " + std::to_string(m_kernelDrops) + (m_kernelDrops == 1 ? " packet" : " packets") +
               " in the kernel (tcpdump: dropped by kernel)";
    if (m_endedBeforeStop)
        return "ended before it was stopped" +
               (m_endedOnItsBound ? " (its bound of " + std::to_string(m_spec.maxSeconds) + " s on the node)" : std::string());
    return {};
}

std::vector<EchoSighting> CaptureStream::sightings() const
{
    std::lock_guard lock(m_mutex);
    return m_sightings;
}

std::vector<SealedSighting> CaptureStream::sealed() const
{
    std::lock_guard lock(m_mutex);
    return m_sealed;
}

std::string CaptureStream::problem() const
{
    std::lock_guard lock(m_mutex);
    return m_problem;
}

bool recordsInterfaces(const std::string &tcpdumpVersion)
{
    int major = 0, minor = 0;
    if (std::sscanf(tcpdumpVersion.c_str(), "%d.%d", &major, &minor) != 2)
        return true;
    return major > 4 || (major == 4 && minor >= 99);
}

CaptureScope captureScope(const std::vector<parse::Interface> &interfaces)
{
    CaptureScope out;
    for (const auto &i : interfaces) {
        out.names[std::uint32_t(i.index)] = i.name;
        for (const auto &a : i.ipv4)
            out.local.insert(a.address.address());
        for (const Ipv6Prefix &p : i.ipv6Prefixes())
            out.local.insert(p.address());
    }
    return out;
}

void CaptureStream::stopAll(const std::vector<std::unique_ptr<CaptureStream>> &captures, std::chrono::milliseconds max)
{
    std::vector<std::jthread> stops;
    for (const auto &cap : captures)
        if (cap->running())
            stops.emplace_back([&cap, max] { (void)cap->stop(max); });
}

} // namespace podpath::diagnose
