#pragma once
// Writes packets as a classic pcap file (for Wireshark, tcpdump -r) with libpcap's own
// writer: pcap_open_dead + pcap_dump_fopen + pcap_dump.
//
// The parse layer does no I/O, so the writer produces bytes rather than files: libpcap
// writes into a memory-only FILE* (fopencookie) whose bytes takeBytes() hands over.
// The report layer decides where they go (QSaveFile for --pcap DIR); a long capture
// is drained as it goes, so the writer holds only what was written since the last take.

#include "core/result.h"
#include "parse/captured_packet.h"
#include "parse/pcap_stream_reader.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace podpath::parse {

enum class TimestampPrecision { Microsecond, Nanosecond };

class PcapWriter {
public:
    // Nanosecond files by default: a read -> write round trip then loses nothing.
    static Result<PcapWriter> create(LinkType linkType, std::uint32_t snaplen = kMaxPcapRecordBytes,
                                     TimestampPrecision precision = TimestampPrecision::Nanosecond);
    PcapWriter(PcapWriter &&) noexcept;
    PcapWriter &operator=(PcapWriter &&) noexcept;
    ~PcapWriter();

    // Refuses records pcap cannot hold: captured bytes beyond the snaplen or the wire
    // length, timestamps before 1970 or after 2038 (pcap's 32-bit seconds).
    Result<void> write(const PcapRecord &record);
    Result<void> write(std::int64_t timestampNs, std::uint32_t wireLength, std::span<const std::uint8_t> data);

    // The bytes written since the last call; the first call's start with the file header.
    // Concatenated in order they are the whole file.
    std::string takeBytes();
    std::uint64_t recordsWritten() const;

private:
    struct Impl;
    explicit PcapWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace podpath::parse
