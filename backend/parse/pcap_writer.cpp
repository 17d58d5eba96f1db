#include "parse/pcap_writer.h"

#include <pcap/pcap.h>

#include <climits>
#include <cstdio>
#include <utility>

namespace podpath::parse {

struct PcapWriter::Impl {
    std::string bytes;
    pcap_t *dead = nullptr;
    pcap_dumper_t *dumper = nullptr;  // owns the cookie FILE*
    std::uint32_t snaplen = 0;
    bool nanosecond = true;
    std::uint64_t records = 0;

    ~Impl()
    {
        if (dumper)
            pcap_dump_close(dumper);
        if (dead)
            pcap_close(dead);
    }

    static ssize_t write(void *cookie, const char *buf, std::size_t size)
    {
        static_cast<Impl *>(cookie)->bytes.append(buf, size);
        return ssize_t(size);
    }
    static int close(void *) { return 0; }
};

PcapWriter::PcapWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
PcapWriter::PcapWriter(PcapWriter &&) noexcept = default;
PcapWriter &PcapWriter::operator=(PcapWriter &&) noexcept = default;
PcapWriter::~PcapWriter() = default;

Result<PcapWriter> PcapWriter::create(LinkType linkType, std::uint32_t snaplen, TimestampPrecision precision)
{
    if (snaplen == 0 || snaplen > kMaxPcapRecordBytes)
        return Error{"pcap snapshot length must be 1.." + std::to_string(kMaxPcapRecordBytes), "", "", 0};
    auto impl = std::make_unique<Impl>();
    impl->snaplen = snaplen;
    impl->nanosecond = precision == TimestampPrecision::Nanosecond;
    // libpcap speaks DLT numbers; raw IP is DLT_RAW there and LINKTYPE_RAW (101) in files.
    const int dlt = linkType == LinkType::Raw ? DLT_RAW : int(linkType);
    impl->dead = pcap_open_dead_with_tstamp_precision(
        dlt, int(snaplen), impl->nanosecond ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
    if (!impl->dead)
        return Error{"libpcap could not set up a pcap writer", "", "", 0};
    cookie_io_functions_t io{nullptr, &Impl::write, nullptr, &Impl::close};
    FILE *fp = fopencookie(impl.get(), "wb", io);
    if (!fp)
        return Error{"could not create the stream libpcap writes to", "", "", 0};
    impl->dumper = pcap_dump_fopen(impl->dead, fp);
    if (!impl->dumper) {
        std::fclose(fp);
        return Error{std::string("libpcap cannot write this capture: ") + pcap_geterr(impl->dead),
                     "link type " + std::to_string(std::uint32_t(linkType)), "", 0};
    }
    return PcapWriter(std::move(impl));
}

Result<void> PcapWriter::write(const PcapRecord &record)
{
    return write(record.timestampNs, record.wireLength, record.data);
}

Result<void> PcapWriter::write(std::int64_t timestampNs, std::uint32_t wireLength,
                               std::span<const std::uint8_t> data)
{
    Impl &w = *m_impl;
    const std::string which = "record " + std::to_string(w.records + 1);
    if (data.size() > w.snaplen)
        return Error{"packet of " + std::to_string(data.size()) + " captured bytes exceeds the snapshot length " +
                         std::to_string(w.snaplen),
                     which, "", 0};
    if (data.size() > wireLength)
        return Error{"captured length " + std::to_string(data.size()) + " exceeds the wire length " +
                         std::to_string(wireLength),
                     which, "", 0};
    const std::int64_t seconds = timestampNs / 1'000'000'000;
    if (timestampNs < 0 || seconds > INT32_MAX)
        return Error{"timestamp outside what pcap can hold (1970 to 2038)", which, "", 0};
    const std::int64_t fraction = timestampNs % 1'000'000'000;
    pcap_pkthdr hdr{};
    hdr.ts.tv_sec = time_t(seconds);
    hdr.ts.tv_usec = suseconds_t(w.nanosecond ? fraction : fraction / 1000);
    hdr.caplen = bpf_u_int32(data.size());
    hdr.len = wireLength;
    pcap_dump(reinterpret_cast<u_char *>(w.dumper), &hdr, data.data());
    ++w.records;
    return {};
}

std::string PcapWriter::takeBytes()
{
    pcap_dump_flush(m_impl->dumper);
    return std::exchange(m_impl->bytes, {});
}

std::uint64_t PcapWriter::recordsWritten() const { return m_impl->records; }

} // namespace podpath::parse
