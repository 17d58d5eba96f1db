// The pcap stream reader and the dissector on hostile bytes.
// Invariants (trap on violation):
//  - cutting the stream differently never changes what comes out;
//  - a stream PodPath accepts is read identically by libpcap on its own;
//  - dissecting any bytes as a packet of any supported link type stays inside them
//    (libFuzzer's buffer is exactly `size` long, so ASan sees any over-read).
#include "parse/packet_dissector.h"
#include "parse/pcap_stream_reader.h"

#include <pcap/pcap.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

using namespace podpath::parse;

namespace {

struct Rec {
    std::int64_t ts;
    std::uint32_t len;
    std::string data;
    bool operator==(const Rec &) const = default;
};

struct Outcome {
    std::vector<std::string> lines;
    bool failed = false;
    int kind = -1;
    std::uint64_t consumed = 0;
};

// chunk == 0: everything at once; otherwise sizes 1..chunk from a tiny LCG.
Outcome run(const std::uint8_t *data, std::size_t size, std::uint32_t chunk, std::uint32_t seed)
{
    Outcome o;
    PcapStreamReader reader;
    std::vector<CapturedPacket> packets;
    std::size_t at = 0;
    bool ok = true;
    while (at < size) {
        std::size_t n = size - at;
        if (chunk) {
            seed = seed * 1664525u + 1013904223u;
            n = std::min<std::size_t>(n, 1 + (seed >> 8) % chunk);
        }
        // Alternate the two entry points: both must frame identically.
        const auto piece = std::span(data + at, n);
        podpath::Result<void> fed = (at & 1) ? reader.feed(piece, packets)
                                    : reader.feedRecords(piece, [&](const PcapRecord &r) {
                                          packets.push_back(dissectPacket(reader.fileHeader()->linkType, r));
                                      });
        if (!fed) {
            ok = false;
            break;
        }
        at += n;
    }
    if (ok && !reader.finish())
        ok = false;
    o.failed = !ok;
    if (reader.failure()) {
        o.kind = int(reader.failure()->kind);
        const std::string line = reader.failure()->error.oneLine();
        if (line.empty() || line.find('\n') != std::string::npos)
            __builtin_trap();
    }
    o.consumed = reader.bytesConsumed();
    for (const CapturedPacket &p : packets) {
        if (p.inner && p.encapsulation == Encapsulation::None)
            __builtin_trap();
        o.lines.push_back(summarize(p));
    }
    return o;
}

// Records via feedRecords only (the alternating run above mixes in feed()).
std::vector<Rec> records(const std::uint8_t *data, std::size_t size)
{
    std::vector<Rec> out;
    PcapStreamReader reader;
    (void)reader.feedRecords(std::span(data, size), [&](const PcapRecord &r) {
        if (r.data.size() > kMaxPcapRecordBytes)
            __builtin_trap();
        out.push_back({r.timestampNs, r.wireLength,
                       std::string(reinterpret_cast<const char *>(r.data.data()), r.data.size())});
    });
    return out;
}

std::vector<Rec> libpcapRecords(const std::uint8_t *data, std::size_t size, bool &error)
{
    std::vector<Rec> out;
    error = true;
    FILE *fp = fmemopen(const_cast<std::uint8_t *>(data), size, "rb");
    if (!fp)
        return out;
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!p) {
        std::fclose(fp);
        return out;
    }
    pcap_pkthdr *h;
    const u_char *d;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &d)) == 1)
        out.push_back({std::int64_t(h->ts.tv_sec) * 1'000'000'000 + h->ts.tv_usec, h->len,
                       std::string(reinterpret_cast<const char *>(d), h->caplen)});
    error = rc != PCAP_ERROR_BREAK;
    pcap_close(p);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The stream, whole and in pieces chosen by the input's last bytes.
    const Outcome whole = run(data, size, 0, 0);
    std::uint32_t seed = 0;
    for (std::size_t i = size >= 4 ? size - 4 : 0; i < size; ++i)
        seed = seed << 8 | data[i];
    const Outcome pieces = run(data, size, 1 + seed % 97, seed);
    if (pieces.lines != whole.lines || pieces.failed != whole.failed || pieces.kind != whole.kind ||
        pieces.consumed != whole.consumed)
        __builtin_trap();

    // Accepted by PodPath => libpcap alone reads the same.
    if (!whole.failed && size <= 1 << 20) {
        const auto ours = records(data, size);
        bool libpcapError = false;
        const auto theirs = libpcapRecords(data, size, libpcapError);
        if (libpcapError || theirs != ours)
            __builtin_trap();
    }

    // The same bytes as one packet of every link type PodPath dissects.
    for (LinkType type : {LinkType::Ethernet, LinkType::Raw, LinkType::LinuxSll, LinkType::LinuxSll2,
                          LinkType::Ipv4}) {
        for (std::uint16_t port : {std::uint16_t(4789), std::uint16_t(8472)}) {
            const CapturedPacket p =
                dissectPacket(type, PcapRecord{0, std::uint32_t(size), std::span(data, size)}, {port});
            if (p.capturedLength != size)
                __builtin_trap();
            (void)summarize(p);
        }
    }
    return 0;
}
