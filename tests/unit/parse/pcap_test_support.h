#pragma once
// Shared by tst_pcap_*.cpp: fixture loading, feeding in chunks, and libpcap itself as
// the reference reader (what tcpdump and Wireshark would see in the same bytes).

#include "parse/pcap_stream_reader.h"

#include <pcap/pcap.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace pcaptest {

using namespace podpath::parse;

inline QString fixturePath(const QString &name) { return QStringLiteral(PODPATH_FIXTURES "/pcap/") + name; }

inline QByteArray readFixture(const QString &name)
{
    QFile f(fixturePath(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

inline QStringList pcapFixtures(const QString &pattern = QStringLiteral("*.pcap"))
{
    return QDir(QStringLiteral(PODPATH_FIXTURES "/pcap")).entryList({pattern}, QDir::Files, QDir::Name);
}

// How a stream is cut into feeds: a fixed size, or random sizes from a seed.
struct Chunking {
    int size = 0;       // > 0: fixed chunk size; 0: everything in one feed
    unsigned seed = 0;  // used when size < 0: random sizes 1..3000
};

inline std::vector<std::size_t> chunkSizes(std::size_t total, Chunking c)
{
    std::vector<std::size_t> sizes;
    std::mt19937 rng(c.seed);
    std::size_t done = 0;
    while (done < total) {
        std::size_t n = c.size > 0 ? std::size_t(c.size) : c.size == 0 ? total : 1 + rng() % 3000;
        n = std::min(n, total - done);
        sizes.push_back(n);
        done += n;
    }
    return sizes;
}

struct Decoded {
    std::vector<CapturedPacket> packets;
    std::vector<std::string> lines;  // summarize() of each packet
    std::optional<PcapError> failure;
    std::uint64_t consumed = 0;
};

inline Decoded decode(const QByteArray &bytes, Chunking chunking, DissectOptions options = {})
{
    Decoded d;
    PcapStreamReader reader(options);
    std::size_t at = 0;
    bool ok = true;
    for (std::size_t n : chunkSizes(std::size_t(bytes.size()), chunking)) {
        if (!reader.feed(std::string_view(bytes.constData() + at, n), d.packets)) {
            ok = false;
            break;
        }
        at += n;
    }
    if (ok)
        (void)reader.finish();
    d.failure = reader.failure();
    d.consumed = reader.bytesConsumed();
    for (const CapturedPacket &p : d.packets)
        d.lines.push_back(summarize(p));
    return d;
}

struct RefRecord {
    std::int64_t timestampNs = 0;
    std::uint32_t wireLength = 0;
    std::string data;
};

struct RefCapture {
    bool opened = false;
    bool readError = false;  // libpcap stopped with an error before the end
    int dlt = -1;
    int snaplen = 0;
    std::vector<RefRecord> records;
};

// libpcap reading the whole byte string at once, nanosecond timestamps.
inline RefCapture libpcapRead(const QByteArray &bytes)
{
    RefCapture ref;
    if (bytes.isEmpty())
        return ref;
    FILE *fp = fmemopen(const_cast<char *>(bytes.constData()), std::size_t(bytes.size()), "rb");
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!p) {
        std::fclose(fp);
        return ref;
    }
    ref.opened = true;
    ref.dlt = pcap_datalink(p);
    ref.snaplen = pcap_snapshot(p);
    pcap_pkthdr *h = nullptr;
    const u_char *data = nullptr;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        ref.records.push_back({std::int64_t(h->ts.tv_sec) * 1'000'000'000 + h->ts.tv_usec, h->len,
                               std::string(reinterpret_cast<const char *>(data), h->caplen)});
    }
    ref.readError = rc == PCAP_ERROR;
    pcap_close(p);
    return ref;
}

// PodPath's reader handing over raw records, fed in chunks.
inline std::vector<RefRecord> streamRecords(const QByteArray &bytes, Chunking chunking,
                                            std::optional<PcapError> *failure = nullptr,
                                            std::optional<PcapFileHeader> *header = nullptr)
{
    std::vector<RefRecord> out;
    PcapStreamReader reader;
    std::size_t at = 0;
    bool ok = true;
    for (std::size_t n : chunkSizes(std::size_t(bytes.size()), chunking)) {
        auto fed = reader.feedRecords(std::span(reinterpret_cast<const std::uint8_t *>(bytes.constData()) + at, n),
                                      [&](const PcapRecord &r) {
                                          out.push_back({r.timestampNs, r.wireLength,
                                                         std::string(reinterpret_cast<const char *>(r.data.data()),
                                                                     r.data.size())});
                                      });
        if (!fed) {
            ok = false;
            break;
        }
        at += n;
    }
    if (ok)
        (void)reader.finish();
    if (failure)
        *failure = reader.failure();
    if (header)
        *header = reader.fileHeader();
    return out;
}

inline bool sameRecords(const std::vector<RefRecord> &a, const std::vector<RefRecord> &b, QString *why = nullptr)
{
    if (a.size() != b.size()) {
        if (why)
            *why = QStringLiteral("%1 records vs %2").arg(a.size()).arg(b.size());
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].timestampNs != b[i].timestampNs || a[i].wireLength != b[i].wireLength || a[i].data != b[i].data) {
            if (why)
                *why = QStringLiteral("record %1 differs").arg(i + 1);
            return false;
        }
    }
    return true;
}

} // namespace pcaptest
