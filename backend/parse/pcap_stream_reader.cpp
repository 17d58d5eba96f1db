#include "parse/pcap_stream_reader.h"

#include "parse/packet_dissector.h"

#include <pcap/pcap.h>
#include <stdio_ext.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

// How the stream reaches libpcap. libpcap reads savefiles from a FILE*, blocking until
// bytes come or EOF; a stream that has merely not arrived yet looks like EOF to it, and
// EOF mid-record is a hard "truncated dump file" error. So PodPath frames the stream
// itself first: it walks the 16-byte record headers of the buffered bytes, and only
// then lets libpcap read exactly the complete records, through one long-lived FILE*
// made with fopencookie whose read function hands out buffered bytes up to that
// boundary. libpcap never sees EOF, never needs to be reopened, and the bytes it
// consumed are known exactly (16 + caplen per record). The FILE* is fully buffered so
// libpcap's two small freads per record are memcpys from stdio's buffer; the buffer is
// always drained at the end of a feed because the boundary is a record boundary.

namespace podpath::parse {

namespace {

constexpr std::size_t kFileHeaderBytes = 24;
constexpr std::size_t kRecordHeaderBytes = 16;
constexpr std::size_t kStdioBufferBytes = 64 * 1024;

constexpr std::uint32_t kMagicMicro = 0xA1B2C3D4;
constexpr std::uint32_t kMagicNano = 0xA1B23C4D;
constexpr std::uint32_t kMagicModified = 0xA1B2CD34;  // Kuznetzov's patched libpcap: 24-byte records
constexpr std::uint32_t kMagicPcapng = 0x0A0D0D0A;    // section header block type

std::uint32_t loadLe32(const std::uint8_t *p)
{
    return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
           (std::uint32_t(p[3]) << 24);
}
std::uint32_t load32(const std::uint8_t *p, bool swapped)
{
    const std::uint32_t le = loadLe32(p);
    return swapped ? __builtin_bswap32(le) : le;
}
std::uint16_t load16(const std::uint8_t *p, bool swapped)
{
    const std::uint16_t le = std::uint16_t(p[0] | (p[1] << 8));
    return swapped ? __builtin_bswap16(le) : le;
}

std::string hex32(std::uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

// Text where pcap was expected is nearly always tcpdump's or a shell's message on
// stdout; show it so the reader sees what went wrong.
std::string describeStart(const std::uint8_t *p, std::size_t n)
{
    std::string text;
    for (std::size_t i = 0; i < n && i < 60; ++i) {
        const unsigned char c = p[i];
        if (c == '\n' || c == '\r')
            break;
        if (c < 0x20 || c > 0x7E) {
            char bytes[64];
            std::snprintf(bytes, sizeof bytes, "magic number 0x%08x (bytes %02x %02x %02x %02x)",
                          loadLe32(p), p[0], p[1], p[2], p[3]);
            return bytes;
        }
        text += char(c);
    }
    return "text \"" + text + "\"";
}

std::string at(std::uint64_t offset) { return "byte offset " + std::to_string(offset); }

} // namespace

struct PcapStreamReader::Libpcap {
    // What libpcap may read during one feed: the carried-over tail, then the new bytes,
    // as one logical sequence; [pos, limit) is what it may still take.
    const std::uint8_t *first = nullptr;
    std::size_t firstSize = 0;
    const std::uint8_t *second = nullptr;
    std::size_t secondSize = 0;
    std::size_t pos = 0;
    std::size_t limit = 0;

    std::vector<char> stdioBuffer = std::vector<char>(kStdioBufferBytes);
    pcap_t *pcap = nullptr;

    ~Libpcap()
    {
        if (pcap)
            pcap_close(pcap);  // also fcloses the cookie stream
    }

    std::size_t size() const { return firstSize + secondSize; }

    // n bytes at `from`, without copying when they lie in one piece (the usual case).
    const std::uint8_t *view(std::size_t from, std::size_t n, std::uint8_t *scratch) const
    {
        if (from + n <= firstSize)
            return first + from;
        if (from >= firstSize)
            return second + (from - firstSize);
        copy(from, n, scratch);
        return scratch;
    }

    void copy(std::size_t from, std::size_t n, std::uint8_t *dst) const
    {
        if (from < firstSize) {
            const std::size_t k = std::min(n, firstSize - from);
            std::memcpy(dst, first + from, k);
            dst += k;
            n -= k;
            from += k;
        }
        if (n)
            std::memcpy(dst, second + (from - firstSize), n);
    }

    static ssize_t read(void *cookie, char *buf, std::size_t size)
    {
        auto *self = static_cast<Libpcap *>(cookie);
        const std::size_t n = std::min(size, self->limit - self->pos);
        if (n)
            self->copy(self->pos, n, reinterpret_cast<std::uint8_t *>(buf));
        self->pos += n;
        return ssize_t(n);  // 0 only if libpcap asked past the framed records: a bug, seen as EOF
    }
    static int close(void *) { return 0; }
};

PcapStreamReader::PcapStreamReader(DissectOptions options)
    : m_options(options), m_pcap(std::make_unique<Libpcap>())
{
}

PcapStreamReader::~PcapStreamReader() = default;

std::string_view PcapStreamReader::libpcapVersion() { return pcap_lib_version(); }

Result<void> PcapStreamReader::fail(PcapError failure)
{
    failure.error.context = at(failure.byteOffset) +
                            (failure.error.context.empty() ? "" : ": " + failure.error.context);
    m_failure = std::move(failure);
    m_tail.clear();
    m_tail.shrink_to_fit();
    return m_failure->error;
}

Result<void> PcapStreamReader::feed(std::string_view bytes, std::vector<CapturedPacket> &out)
{
    return feed(std::span(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size()), out);
}

Result<void> PcapStreamReader::feed(std::span<const std::uint8_t> bytes, std::vector<CapturedPacket> &out)
{
    // Records only arrive once the file header (and so the link type) is known.
    return feedWith(bytes, [&](const PcapRecord &record) {
        out.push_back(dissectPacket(m_header->linkType, record, m_options));
    });
}

Result<void> PcapStreamReader::feedRecords(std::span<const std::uint8_t> bytes, const RecordVisitor &visit)
{
    return feedWith(bytes, visit);
}

// A template so the per-record call in feed() is inlined rather than a std::function.
template <class Visit>
Result<void> PcapStreamReader::feedWith(std::span<const std::uint8_t> bytes, const Visit &visit)
{
    if (m_failure)
        return m_failure->error;
    if (m_finished)
        return Error{"pcap stream fed after it was finished", "", "", 0};
    Libpcap &lp = *m_pcap;
    lp.first = m_tail.data();
    lp.firstSize = m_tail.size();
    lp.second = bytes.data();
    lp.secondSize = bytes.size();
    lp.pos = 0;
    lp.limit = 0;

    if (!m_header) {
        auto opened = openHeader(false);
        if (!opened)
            return opened;
        if (!m_header) {  // header still incomplete
            keepTail();
            return {};
        }
    }
    auto decoded = decodeRecords(visit);
    if (!decoded)
        return decoded;
    keepTail();
    return {};
}

Result<void> PcapStreamReader::openHeader(bool atEnd)
{
    Libpcap &lp = *m_pcap;
    if (lp.size() < 4)
        return {};
    std::uint8_t raw[kFileHeaderBytes];
    const std::size_t have = std::min(lp.size(), kFileHeaderBytes);
    lp.copy(0, have, raw);

    // Refuse the wrong format as soon as its first 4 bytes are in, not 24 bytes later.
    const std::uint32_t magic = loadLe32(raw);
    const std::uint32_t swappedMagic = __builtin_bswap32(magic);
    PcapFileHeader h;
    if (magic == kMagicMicro || magic == kMagicNano) {
        h.nanosecond = magic == kMagicNano;
    } else if (swappedMagic == kMagicMicro || swappedMagic == kMagicNano) {
        h.swapped = true;
        h.nanosecond = swappedMagic == kMagicNano;
    } else if (magic == kMagicPcapng) {
        return fail({PcapErrorKind::Pcapng,
                     {"capture is pcapng; PodPath streams classic pcap only", "",
                      "write classic pcap (tcpdump -w, or dumpcap/tshark -F pcap)", 0},
                     0, 0, 0, 0});
    } else if (magic == kMagicModified || swappedMagic == kMagicModified) {
        return fail({PcapErrorKind::UnsupportedVersion,
                     {"capture is in the \"modified\" pcap format (magic " + hex32(kMagicModified) +
                          "), which PodPath does not read", "",
                      "capture with a stock tcpdump", 0},
                     0, 0, 0, 0});
    } else if (have < kFileHeaderBytes && !atEnd) {
        return {};  // wait for more of it: text shown in the error reads better whole
    } else {
        std::uint8_t start[60];
        const std::size_t shown = std::min(lp.size(), sizeof start);
        lp.copy(0, shown, start);
        return fail({PcapErrorKind::NotPcap,
                     {"not a pcap capture: it starts with " + describeStart(start, shown), "",
                      "capture with tcpdump -w - and keep its stderr off stdout", 0},
                     0, 0, 0, 0});
    }
    if (have < kFileHeaderBytes)
        return {};

    h.versionMajor = load16(raw + 4, h.swapped);
    h.versionMinor = load16(raw + 6, h.swapped);
    h.snaplen = load32(raw + 16, h.swapped);
    // The top bits carry the FCS length; the link type is the low 26.
    const std::uint32_t linkType = load32(raw + 20, h.swapped) & 0x03FFFFFF;
    h.linkType = LinkType(linkType);
    if (h.versionMajor != 2 || h.versionMinor != 4) {
        return fail({PcapErrorKind::UnsupportedVersion,
                     {"unsupported pcap version " + std::to_string(h.versionMajor) + "." +
                          std::to_string(h.versionMinor) + " (PodPath reads 2.4, what libpcap writes)",
                      "", "", 0},
                     0, 0, 0, 0});
    }
    if (h.snaplen == 0) {
        return fail({PcapErrorKind::ZeroSnaplen,
                     {"pcap file header has snapshot length 0", "", "", 0}, 0, 0, 0, 0});
    }

    lp.limit = kFileHeaderBytes;
    cookie_io_functions_t io{&Libpcap::read, nullptr, nullptr, &Libpcap::close};
    FILE *fp = fopencookie(&lp, "rb", io);
    if (!fp)
        return fail({PcapErrorKind::Libpcap, {"could not create the stream libpcap reads", "", "", 0}, 0, 0, 0, 0});
    setvbuf(fp, lp.stdioBuffer.data(), _IOFBF, lp.stdioBuffer.size());
    // Only this reader touches the stream: spare libpcap's freads stdio's lock.
    __fsetlocking(fp, FSETLOCKING_BYCALLER);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    lp.pcap = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!lp.pcap) {
        std::fclose(fp);
        return fail({PcapErrorKind::Libpcap,
                     {std::string("libpcap refused the file header: ") + errbuf, "", "", 0}, 0, 0, 0, 0});
    }
    if (lp.pos != kFileHeaderBytes) {
        return fail({PcapErrorKind::Libpcap,
                     {"libpcap read " + std::to_string(lp.pos) + " bytes of the 24-byte file header", "", "", 0},
                     0, 0, 0, 0});
    }
    h.linkType = linkTypeFromDlt(pcap_datalink(lp.pcap));
    m_header = h;
    m_consumed = kFileHeaderBytes;
    return {};
}

template <class Visit>
Result<void> PcapStreamReader::decodeRecords(const Visit &visit)
{
    Libpcap &lp = *m_pcap;
    const PcapFileHeader &h = *m_header;
    const std::size_t total = lp.size();
    const std::size_t start = lp.pos;
    const std::uint64_t base = m_consumed - start;  // stream offset of the view's first byte
    const std::uint32_t maxCaplen = std::min(h.snaplen, kMaxPcapRecordBytes);

    // Pass 1: frame the complete records, checking each header before libpcap sees it.
    std::size_t cursor = start;
    std::size_t complete = 0;
    std::optional<PcapError> bad;
    while (total - cursor >= kRecordHeaderBytes) {
        std::uint8_t scratch[kRecordHeaderBytes];
        const std::uint8_t *rec = lp.view(cursor, kRecordHeaderBytes, scratch);
        const std::uint32_t caplen = load32(rec + 8, h.swapped);
        if (caplen > maxCaplen) {
            const std::uint64_t number = m_records + complete + 1;
            const bool overSnaplen = caplen > h.snaplen;
            bad = PcapError{PcapErrorKind::OversizedRecord,
                            {"record " + std::to_string(number) + " claims " + std::to_string(caplen) +
                                 " captured bytes, more than " +
                                 (overSnaplen ? "the snapshot length " + std::to_string(h.snaplen)
                                              : std::string("256 KiB")),
                             "", "the capture is corrupt from here on", 0},
                            base + cursor, number, 0, 0};
            break;
        }
        if (total - cursor - kRecordHeaderBytes < caplen)
            break;
        cursor += kRecordHeaderBytes + caplen;
        ++complete;
    }

    // Pass 2: libpcap reads exactly those records.
    lp.limit = cursor;
    for (std::size_t i = 0; i < complete; ++i) {
        pcap_pkthdr *hdr = nullptr;
        const u_char *data = nullptr;
        const std::size_t recordStart = lp.pos;
        const int rc = pcap_next_ex(lp.pcap, &hdr, &data);
        if (rc != 1) {
            const std::string why = rc == PCAP_ERROR ? pcap_geterr(lp.pcap) : "unexpected end of stream";
            return fail({PcapErrorKind::Libpcap, {"libpcap could not read record " + std::to_string(m_records + 1) + ": " + why, "", "", 0},
                         base + recordStart, m_records + 1, 0, 0});
        }
        ++m_records;
        visit(PcapRecord{std::int64_t(hdr->ts.tv_sec) * 1'000'000'000 + hdr->ts.tv_usec, hdr->len,
                         std::span<const std::uint8_t>(data, hdr->caplen)});
    }
    if (lp.pos != cursor) {
        return fail({PcapErrorKind::Libpcap,
                     {"libpcap consumed " + std::to_string(lp.pos - start) + " bytes where " +
                          std::to_string(cursor - start) + " were framed",
                      "", "", 0},
                     base + start, m_records, 0, 0});
    }
    m_consumed = base + cursor;
    if (bad)
        return fail(std::move(*bad));
    return {};
}

void PcapStreamReader::keepTail()
{
    Libpcap &lp = *m_pcap;
    const std::size_t pos = lp.pos;
    if (pos < lp.firstSize) {
        m_tail.erase(m_tail.begin(), m_tail.begin() + std::ptrdiff_t(pos));
        m_tail.insert(m_tail.end(), lp.second, lp.second + lp.secondSize);
    } else {
        const std::uint8_t *from = lp.second + (pos - lp.firstSize);
        m_tail.assign(from, lp.second + lp.secondSize);
    }
    lp.first = lp.second = nullptr;
    lp.firstSize = lp.secondSize = lp.pos = lp.limit = 0;
}

Result<void> PcapStreamReader::finish()
{
    if (m_failure)
        return m_failure->error;
    m_finished = true;
    const std::uint64_t have = m_tail.size();
    if (!m_header) {
        if (have >= 4) {
            // Too short for a header: if it is not even pcap, say that rather than "truncated".
            Libpcap &lp = *m_pcap;
            lp.first = m_tail.data();
            lp.firstSize = m_tail.size();
            auto judged = openHeader(true);
            lp.first = nullptr;
            lp.firstSize = 0;
            if (!judged)
                return judged;
        }
        if (have == 0)
            return fail({PcapErrorKind::Empty,
                         {"no capture data: the stream ended before the pcap file header", "",
                          "check that tcpdump started (its stderr says why not)", 0},
                         0, 0, 0, 0});
        return fail({PcapErrorKind::Truncated,
                     {"capture ends inside the file header: " + std::to_string(have) + " of 24 bytes arrived",
                      "", "", 0},
                     0, 0, have, kFileHeaderBytes});
    }
    if (have == 0)
        return {};
    const std::uint64_t number = m_records + 1;
    std::uint64_t need = kRecordHeaderBytes;
    if (have >= kRecordHeaderBytes)
        need += load32(m_tail.data() + 8, m_header->swapped);
    const std::string what = have < kRecordHeaderBytes ? "the header of record " : "record ";
    return fail({PcapErrorKind::Truncated,
                 {"capture ends inside " + what + std::to_string(number) + ": " + std::to_string(have) +
                      " of " + std::to_string(need) + " bytes arrived",
                  "", "the records before it are intact; tcpdump was probably stopped mid-write", 0},
                 m_consumed, number, have, need});
}

} // namespace podpath::parse
