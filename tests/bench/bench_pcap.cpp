// PodPath's pcap stream decoder against `tcpdump -n -vvv -r` on the same file.
//
//   bench_pcap [PACKETS]     (default 1000000; a second run at PACKETS/10 shows memory)
//
// Writes a LINUX_SLL2 capture with the mix a Calico node's `tcpdump -i any` sees during
// a ping burst (ICMP echo on the tunnel device, IPIP-encapsulated echo on the NIC,
// VXLAN-encapsulated echo on the NIC), decodes it with PcapStreamReader in 64 KiB
// feeds, as bytes come off an SSH channel, then times tcpdump on the same file.
// Peak memory is measured around each decode alone (VmHWM reset via clear_refs).

#include "parse/pcap_stream_reader.h"

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace podpath::parse;
using Clock = std::chrono::steady_clock;

namespace {

std::uint16_t checksum(const std::uint8_t *p, std::size_t n)
{
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < n; i += 2)
        sum += (p[i] << 8) | p[i + 1];
    if (n & 1)
        sum += p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return std::uint16_t(~sum);
}

void put16(std::vector<std::uint8_t> &v, std::uint16_t x) { v.push_back(x >> 8); v.push_back(x & 0xFF); }
void put32(std::vector<std::uint8_t> &v, std::uint32_t x) { put16(v, x >> 16); put16(v, x & 0xFFFF); }

// SLL2 header: protocol, reserved, ifindex, ARPHRD, packet type, address length, address.
void sll2(std::vector<std::uint8_t> &v, std::uint32_t ifindex, std::uint16_t arphrd, std::uint8_t packetType)
{
    put16(v, 0x0800);
    put16(v, 0);
    put32(v, ifindex);
    put16(v, arphrd);
    v.push_back(packetType);
    v.push_back(arphrd == 1 ? 6 : 0);
    const std::array<std::uint8_t, 8> addr{0x02, 0, 0, 0, 0x01, 0x01, 0, 0};
    v.insert(v.end(), addr.begin(), addr.end());
}

// LINUX_SLL (v1) header: packet type, ARPHRD, address length, address, protocol.
void sll1(std::vector<std::uint8_t> &v, std::uint16_t arphrd, std::uint8_t packetType)
{
    put16(v, packetType);
    put16(v, arphrd);
    put16(v, arphrd == 1 ? 6 : 0);
    const std::array<std::uint8_t, 8> addr{0x02, 0, 0, 0, 0x01, 0x01, 0, 0};
    v.insert(v.end(), addr.begin(), addr.end());
    put16(v, 0x0800);
}

// The link header of the capture being generated.
void linkHeader(std::vector<std::uint8_t> &v, LinkType type, std::uint32_t ifindex, std::uint16_t arphrd,
                std::uint8_t packetType)
{
    if (type == LinkType::LinuxSll2)
        sll2(v, ifindex, arphrd, packetType);
    else
        sll1(v, arphrd, packetType);
}

void ipv4(std::vector<std::uint8_t> &v, std::uint32_t src, std::uint32_t dst, std::uint8_t proto,
          std::uint16_t payloadLength, std::uint16_t id, bool df, std::uint8_t ttl = 64)
{
    const std::size_t at = v.size();
    v.push_back(0x45);
    v.push_back(0);
    put16(v, std::uint16_t(20 + payloadLength));
    put16(v, id);
    put16(v, df ? 0x4000 : 0);
    v.push_back(ttl);
    v.push_back(proto);
    put16(v, 0);
    put32(v, src);
    put32(v, dst);
    const std::uint16_t c = checksum(v.data() + at, 20);
    v[at + 10] = c >> 8;
    v[at + 11] = c & 0xFF;
}

void icmpEcho(std::vector<std::uint8_t> &v, bool request, std::uint16_t id, std::uint16_t seq)
{
    const std::size_t at = v.size();
    v.push_back(request ? 8 : 0);
    v.push_back(0);
    put16(v, 0);
    put16(v, id);
    put16(v, seq);
    for (int i = 0; i < 56; ++i)
        v.push_back(std::uint8_t(0x10 + i));
    const std::uint16_t c = checksum(v.data() + at, 64);
    v[at + 2] = c >> 8;
    v[at + 3] = c & 0xFF;
}

constexpr std::uint32_t kNodeA = 0xC6336401;    // 198.51.100.1
constexpr std::uint32_t kNodeB = 0xC6336441;    // 198.51.100.65
constexpr std::uint32_t kTunA = 0xC6120200;     // 198.18.2.0
constexpr std::uint32_t kTunB = 0xC6120300;     // 198.18.3.0
constexpr std::uint32_t kVtepA = 0xC6120000;    // 198.18.0.0
constexpr std::uint32_t kVtepB = 0xC6120100;    // 198.18.1.0

// Packet i of a 6-packet cycle: echo request on tunl0, the same IPIP-encapsulated out of
// eth0, the IPIP reply in, the reply on tunl0, then a VXLAN request out and reply in.
void makePacket(std::uint64_t i, LinkType type, std::vector<std::uint8_t> &v)
{
    v.clear();
    const std::uint16_t seq = std::uint16_t(i / 6 + 1);
    const std::uint16_t id = 4242;
    const std::uint16_t ipId = std::uint16_t(i * 7);
    switch (i % 6) {
    case 0:
    case 3: {
        const bool request = i % 6 == 0;
        linkHeader(v, type, 4, 65534, request ? 4 : 0);
        ipv4(v, request ? kTunA : kTunB, request ? kTunB : kTunA, 1, 64, ipId, request);
        icmpEcho(v, request, id, seq);
        break;
    }
    case 1:
    case 2: {
        const bool request = i % 6 == 1;
        linkHeader(v, type, 2, 1, request ? 4 : 0);
        ipv4(v, request ? kNodeA : kNodeB, request ? kNodeB : kNodeA, 4, 84, std::uint16_t(ipId + 1), true,
             request ? 64 : 63);
        ipv4(v, request ? kTunA : kTunB, request ? kTunB : kTunA, 1, 64, ipId, request);
        icmpEcho(v, request, id, seq);
        break;
    }
    default: {
        const bool request = i % 6 == 4;
        linkHeader(v, type, 2, 1, request ? 4 : 0);
        ipv4(v, request ? kNodeA : kNodeB, request ? kNodeB : kNodeA, 17, 8 + 8 + 14 + 84,
             std::uint16_t(ipId + 2), false);
        put16(v, 49959);
        put16(v, 4789);
        put16(v, 8 + 8 + 14 + 84);
        put16(v, 0);  // no UDP checksum, as many VXLAN senders
        put32(v, 0x08000000);
        put32(v, 4096u << 8);
        const std::array<std::uint8_t, 12> macs{0x66, 0, 0, 0, 2, 0, 0x66, 0, 0, 0, 1, 0};
        v.insert(v.end(), macs.begin(), macs.end());
        put16(v, 0x0800);
        ipv4(v, request ? kVtepA : kVtepB, request ? kVtepB : kVtepA, 1, 64, ipId, request);
        icmpEcho(v, request, id, seq);
        break;
    }
    }
}

// A classic pcap file as `tcpdump -w` writes it: microsecond timestamps, this host's
// byte order, snapshot length 262144.
bool writeCapture(const std::filesystem::path &path, std::uint64_t packets, LinkType type = LinkType::LinuxSll2)
{
    std::ofstream out(path, std::ios::binary);
    const auto put = [&out](const auto &value) { out.write(reinterpret_cast<const char *>(&value), sizeof value); };
    put(std::uint32_t(0xa1b2c3d4));
    put(std::uint16_t(2));
    put(std::uint16_t(4));
    put(std::int32_t(0));
    put(std::uint32_t(0));
    put(std::uint32_t(262144));
    put(std::uint32_t(type));
    std::vector<std::uint8_t> pkt;
    const std::uint32_t startSeconds = 1'764'000'000;
    for (std::uint64_t i = 0; i < packets; ++i) {
        makePacket(i, type, pkt);
        const std::uint64_t micros = i * 10;  // one packet every 10 us
        put(std::uint32_t(startSeconds + micros / 1'000'000));
        put(std::uint32_t(micros % 1'000'000));
        put(std::uint32_t(pkt.size()));
        put(std::uint32_t(pkt.size()));
        out.write(reinterpret_cast<const char *>(pkt.data()), std::streamsize(pkt.size()));
    }
    return bool(out);
}

long statusKib(const char *field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(field);
    while (std::getline(status, line))
        if (line.compare(0, n, field) == 0)
            return std::atol(line.c_str() + n + 1);
    return -1;
}

bool resetPeakRss()
{
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    return bool(clear);
}

double processCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double childrenCpuSeconds()
{
    struct rusage ru {};
    getrusage(RUSAGE_CHILDREN, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct Timing {
    double wall = -1;
    double cpu = -1;
};

struct DecodeRun {
    std::uint64_t packets = 0, ipip = 0, vxlan = 0, echoRequests = 0, echoReplies = 0;
    double seconds = 0;
    double cpuSeconds = 0;
    long rssBeforeKib = 0, peakKib = 0;
    std::size_t maxBuffered = 0;
    bool ok = false;
};

DecodeRun decode(const std::filesystem::path &path)
{
    DecodeRun run;
    const bool peakReset = resetPeakRss();
    run.rssBeforeKib = statusKib("VmRSS:");
    const auto t0 = Clock::now();
    const double cpu0 = processCpuSeconds();
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
        return run;
    std::vector<std::uint8_t> chunk(64 * 1024);
    std::vector<CapturedPacket> packets;
    PcapStreamReader reader;
    bool ok = true;
    for (;;) {
        const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), f);
        if (n == 0)
            break;
        packets.clear();
        if (auto fed = reader.feed(std::span(chunk.data(), n), packets); !fed) {
            std::fprintf(stderr, "decode failed: %s\n", fed.error().oneLine().c_str());
            ok = false;
            break;
        }
        run.maxBuffered = std::max(run.maxBuffered, reader.bufferedBytes());
        for (const CapturedPacket &p : packets) {
            ++run.packets;
            run.ipip += p.encapsulation == Encapsulation::Ipip;
            run.vxlan += p.encapsulation == Encapsulation::Vxlan;
            if (p.icmp) {
                run.echoRequests += p.icmp->isEchoRequest();
                run.echoReplies += p.icmp->isEchoReply();
            }
        }
    }
    std::fclose(f);
    if (ok) {
        if (auto end = reader.finish(); !end) {
            std::fprintf(stderr, "decode failed: %s\n", end.error().oneLine().c_str());
            ok = false;
        }
    }
    run.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    run.cpuSeconds = processCpuSeconds() - cpu0;
    run.peakKib = peakReset ? statusKib("VmHWM:") : -1;
    run.ok = ok;
    return run;
}

Timing runTcpdump(const std::filesystem::path &path, const char *env = "")
{
    const std::string cmd = std::string(env) + "tcpdump -n -vvv -r '" + path.string() + "' > /dev/null 2>&1";
    const double cpu0 = childrenCpuSeconds();
    const auto t0 = Clock::now();
    const int rc = std::system(cmd.c_str());
    Timing t;
    if (rc == 0) {
        t.wall = std::chrono::duration<double>(Clock::now() - t0).count();
        t.cpu = childrenCpuSeconds() - cpu0;
    }
    return t;
}

} // namespace

int main(int argc, char **argv)
{
    const std::uint64_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    const std::uint64_t small = std::max<std::uint64_t>(count / 10, 6);
    const auto dir = std::filesystem::temp_directory_path() / ("podpath-bench-pcap-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto big = dir / "mix-big.pcap";
    const auto little = dir / "mix-small.pcap";
    const auto cooked1 = dir / "mix-big-sll1.pcap";

    std::printf("libpcap: %s\n", std::string(PcapStreamReader::libpcapVersion()).c_str());
    const auto g0 = Clock::now();
    if (!writeCapture(big, count) || !writeCapture(little, small) ||
        !writeCapture(cooked1, count, LinkType::LinuxSll))
        return 1;
    std::printf("generated %llu + %llu packets (LINUX_SLL2: tunl0 ICMP, IPIP, VXLAN) in %.2f s; file %.1f MiB\n",
                static_cast<unsigned long long>(count), static_cast<unsigned long long>(small),
                std::chrono::duration<double>(Clock::now() - g0).count(),
                double(std::filesystem::file_size(big)) / (1024.0 * 1024.0));

    const auto bigSize = std::filesystem::file_size(big);
    const DecodeRun smallRun = decode(little);
    const DecodeRun bigRun = decode(big);
    const Timing tcpdump = runTcpdump(big);
    const Timing tcpdumpFair = runTcpdump(cooked1, "TZ=UTC ");
    std::filesystem::remove_all(dir);

    if (!smallRun.ok || !bigRun.ok || bigRun.packets != count || bigRun.ipip == 0 || bigRun.vxlan == 0) {
        std::fprintf(stderr, "decode incomplete: %llu of %llu packets\n",
                     static_cast<unsigned long long>(bigRun.packets), static_cast<unsigned long long>(count));
        return 1;
    }
    // Wall-clock rates, and CPU-time rates (steadier on a busy machine).
    const double ours = double(bigRun.packets) / bigRun.seconds;
    const double oursCpu = double(bigRun.packets) / bigRun.cpuSeconds;
    std::printf("\nPodPath PcapStreamReader, 64 KiB feeds (libpcap framing + dissection)\n");
    std::printf("  %llu packets in %.3f s wall = %.2f M packets/s (%.0f MiB/s); %.3f s CPU = %.2f M packets/s\n",
                static_cast<unsigned long long>(bigRun.packets), bigRun.seconds, ours / 1e6,
                double(bigSize) / (1024.0 * 1024.0) / bigRun.seconds, bigRun.cpuSeconds, oursCpu / 1e6);
    std::printf("  decoded: %llu IPIP, %llu VXLAN, %llu echo requests, %llu echo replies\n",
                static_cast<unsigned long long>(bigRun.ipip), static_cast<unsigned long long>(bigRun.vxlan),
                static_cast<unsigned long long>(bigRun.echoRequests),
                static_cast<unsigned long long>(bigRun.echoReplies));
    const auto report = [&](const char *title, const Timing &t) {
        std::printf("%s\n", title);
        if (t.wall <= 0) {
            std::printf("  could not run tcpdump\n");
            return;
        }
        const double wall = double(count) / t.wall;
        const double cpu = double(count) / t.cpu;
        std::printf("  %llu packets in %.3f s wall = %.3f M packets/s; %.3f s CPU = %.3f M packets/s\n",
                    static_cast<unsigned long long>(count), t.wall, wall / 1e6, t.cpu, cpu / 1e6);
        std::printf("  ratio: PodPath is %.1fx tcpdump by wall time, %.1fx by CPU time (target >= 10x)\n",
                    ours / wall, oursCpu / cpu);
    };
    report("tcpdump -n -vvv -r FILE > /dev/null  (the same LINUX_SLL2 file)", tcpdump);
    // tcpdump resolves every SLL2 record's ifindex with socket+ioctl+close and stats
    // /etc/localtime per packet when TZ is unset; this run spares it both.
    report("tcpdump's best case: TZ=UTC, the same packets as LINUX_SLL (no per-packet ifindex ioctl)",
           tcpdumpFair);
    std::printf("\nmemory during decode (VmHWM reset before each run; RSS before it)\n");
    std::printf("  %8llu packets: peak %ld KiB (RSS before %ld KiB), reader buffered at most %zu bytes\n",
                static_cast<unsigned long long>(small), smallRun.peakKib, smallRun.rssBeforeKib,
                smallRun.maxBuffered);
    std::printf("  %8llu packets: peak %ld KiB (RSS before %ld KiB), reader buffered at most %zu bytes\n",
                static_cast<unsigned long long>(count), bigRun.peakKib, bigRun.rssBeforeKib, bigRun.maxBuffered);
    std::printf("  peak difference for %.0fx the packets: %+ld KiB\n", double(count) / double(small),
                bigRun.peakKib - smallRun.peakKib);
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("  process ru_maxrss (includes generating the files): %ld KiB\n", ru.ru_maxrss);
    return 0;
}
