#pragma once
// Decodes a classic pcap byte stream (`tcpdump -U -w -` over SSH) as it arrives, in
// pieces of any size. Records are read by libpcap; PodPath only frames the stream so
// libpcap is never asked for a byte that has not arrived yet.
//
// Memory stays flat whatever the stream's length: between feeds the reader keeps only
// the incomplete last record (at most 16 + 256 KiB), and libpcap its one packet buffer.

#include "core/result.h"
#include "parse/captured_packet.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace podpath::parse {

// No packet PodPath captures comes near this; libpcap's own ceiling for most link types.
inline constexpr std::uint32_t kMaxPcapRecordBytes = 256u * 1024u;

enum class PcapErrorKind {
    Empty,               // the stream ended before its first byte
    Truncated,           // it ended inside the file header or a record
    NotPcap,             // bad magic number (text on stdout, another format)
    Pcapng,              // pcapng: fine for Wireshark, not for streaming here
    UnsupportedVersion,  // anything but version 2.4, or the "modified" pcap variant
    ZeroSnaplen,
    OversizedRecord,     // a record's captured length exceeds the snaplen or 256 KiB
    Libpcap,             // libpcap refused what PodPath's framing accepted
};

struct PcapError {
    PcapErrorKind kind = PcapErrorKind::NotPcap;
    Error error;                  // one line for people; context says where
    std::uint64_t byteOffset = 0; // of the header or record it concerns
    std::uint64_t record = 0;     // 1-based record number, 0 for the file header
    std::uint64_t haveBytes = 0;  // Truncated: bytes of the header/record that arrived
    std::uint64_t needBytes = 0;  // Truncated: bytes it needed
};

struct PcapFileHeader {
    bool swapped = false;         // written on a host of the other byte order
    bool nanosecond = false;      // magic 0xa1b23c4d
    std::uint16_t versionMajor = 0;
    std::uint16_t versionMinor = 0;
    std::uint32_t snaplen = 0;
    LinkType linkType = LinkType::Raw;
};

// One reader per stream, used by one thread at a time (its FILE* skips stdio locking).
class PcapStreamReader {
public:
    using RecordVisitor = std::function<void(const PcapRecord &)>;

    explicit PcapStreamReader(DissectOptions options = {});
    ~PcapStreamReader();
    PcapStreamReader(const PcapStreamReader &) = delete;
    PcapStreamReader &operator=(const PcapStreamReader &) = delete;

    // Dissects every record these bytes complete and appends it to `out` (cleared by
    // nobody but the caller, so one vector can be reused feed after feed). On error,
    // the records before the bad one are already in `out`; the stream stays failed.
    Result<void> feed(std::span<const std::uint8_t> bytes, std::vector<CapturedPacket> &out);
    Result<void> feed(std::string_view bytes, std::vector<CapturedPacket> &out);
    // The same, handing over raw records undissected (the tests and the fuzzer compare
    // them with what libpcap reads).
    Result<void> feedRecords(std::span<const std::uint8_t> bytes, const RecordVisitor &visit);
    // The stream ended. Fine when it ended on a record boundary; otherwise a Truncated
    // error saying how many bytes of the last header or record arrived and were needed.
    Result<void> finish();

    // Set once the 24-byte file header has arrived and been accepted.
    const std::optional<PcapFileHeader> &fileHeader() const { return m_header; }
    // Set once a feed or finish failed: the typed form of the Error it returned.
    const std::optional<PcapError> &failure() const { return m_failure; }
    std::uint64_t recordsRead() const { return m_records; }
    std::uint64_t bytesConsumed() const { return m_consumed; }
    std::size_t bufferedBytes() const { return m_tail.size(); }

    // For callers who want to show the version they run against.
    static std::string_view libpcapVersion();

private:
    struct Libpcap;
    Result<void> fail(PcapError failure);
    Result<void> openHeader(bool atEnd);
    template <class Visit>
    Result<void> feedWith(std::span<const std::uint8_t> bytes, const Visit &visit);
    template <class Visit>
    Result<void> decodeRecords(const Visit &visit);
    void keepTail();

    DissectOptions m_options;
    std::vector<std::uint8_t> m_tail;  // bytes of the incomplete header/record, carried over
    std::unique_ptr<Libpcap> m_pcap;
    std::optional<PcapFileHeader> m_header;
    std::optional<PcapError> m_failure;
    std::uint64_t m_records = 0;
    std::uint64_t m_consumed = 0;      // stream offset of the first byte not yet decoded
    bool m_finished = false;
};

} // namespace podpath::parse
