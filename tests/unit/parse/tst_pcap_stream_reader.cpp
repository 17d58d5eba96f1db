// PcapStreamReader: real captures fed in every chunking give identical packets, and
// agree record for record with libpcap reading the whole file; broken streams give
// typed one-line errors; memory stays bounded by one record.
#include "pcap_test_support.h"

#include <QtTest>

using namespace podpath::parse;
using namespace pcaptest;

Q_DECLARE_METATYPE(PcapErrorKind)

namespace {

// Little-endian pcap header (as tcpdump writes on x86).
QByteArray fileHeader(std::uint32_t magic = 0xA1B2C3D4, std::uint16_t major = 2, std::uint16_t minor = 4,
                      std::uint32_t snaplen = 262144, std::uint32_t linkType = 101)
{
    QByteArray b;
    auto u32 = [&](std::uint32_t v) {
        for (int i = 0; i < 4; ++i)
            b.append(char((v >> (8 * i)) & 0xFF));
    };
    auto u16 = [&](std::uint16_t v) {
        b.append(char(v & 0xFF));
        b.append(char(v >> 8));
    };
    u32(magic);
    u16(major);
    u16(minor);
    u32(0);
    u32(0);
    u32(snaplen);
    u32(linkType);
    return b;
}

QByteArray recordHeader(std::uint32_t caplen, std::uint32_t len, std::uint32_t sec = 1764000000, std::uint32_t usec = 5)
{
    QByteArray b;
    for (std::uint32_t v : {sec, usec, caplen, len})
        for (int i = 0; i < 4; ++i)
            b.append(char((v >> (8 * i)) & 0xFF));
    return b;
}

// A raw-IP record holding a minimal IPv4 header of `size` bytes (>= 20).
QByteArray rawRecord(std::uint32_t size, std::uint32_t sec = 1764000000)
{
    QByteArray pkt(int(size), '\0');
    pkt[0] = char(0x45);
    pkt[2] = char(size >> 8);
    pkt[3] = char(size & 0xFF);
    pkt[8] = 64;
    pkt[9] = 17;
    return recordHeader(size, size, sec) + pkt;
}

struct FixtureExpectation {
    const char *file;
    int packets;
    LinkType linkType;
    bool nanosecond;
    bool swapped;
    bool truncated;
};

// Every pc-* capture; td-* captures are covered by agreesWithLibpcapOnEveryFixture.
const FixtureExpectation kFixtures[] = {
    {"pc-ipip-any.pcap", 14, LinkType::LinuxSll2, false, false, false},
    {"pc-ipip-sll.pcap", 14, LinkType::LinuxSll, false, false, false},
    {"pc-ipip-any-nano.pcap", 14, LinkType::LinuxSll2, true, false, false},
    {"pc-ipip-any-swapped.pcap", 14, LinkType::LinuxSll2, false, true, false},
    {"pc-ipip-any-nano-swapped.pcap", 14, LinkType::LinuxSll2, true, true, false},
    {"pc-ipip-tunl0-raw.pcap", 6, LinkType::Raw, false, false, false},
    {"pc-vxlan-any-a.pcap", 12, LinkType::LinuxSll2, false, false, false},
    {"pc-vxlan-any-b.pcap", 12, LinkType::LinuxSll2, false, false, false},
    {"pc-vxlan-eth0-a.pcap", 6, LinkType::Ethernet, false, false, false},
    {"pc-vxlan-fragments-b.pcap", 14, LinkType::LinuxSll2, false, false, false},
    {"pc-fragneeded-any.pcap", 10, LinkType::LinuxSll2, false, false, false},
    {"pc-unreachable-any.pcap", 6, LinkType::LinuxSll2, false, false, false},
    {"pc-vlan-eth0-r.pcap", 3, LinkType::Ethernet, false, false, false},
    {"pc-vlan-any-r.pcap", 3, LinkType::LinuxSll2, false, false, false},
    {"pc-vxlan-any-a-truncated.pcap", 11, LinkType::LinuxSll2, false, false, true},
};

const struct {
    const char *name;
    Chunking chunking;
} kChunkings[] = {
    {"1 byte", {1, 0}},    {"7 bytes", {7, 0}},     {"16 bytes", {16, 0}}, {"23 bytes", {23, 0}},
    {"100 bytes", {100, 0}}, {"random a", {-1, 1}}, {"random b", {-1, 2}}, {"random c", {-1, 3}},
    {"64 KiB", {65536, 0}}, {"whole", {0, 0}},
};

} // namespace

class TestPcapStreamReader : public QObject {
    Q_OBJECT
private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("packets");
        QTest::addColumn<int>("linkType");
        QTest::addColumn<bool>("nanosecond");
        QTest::addColumn<bool>("swapped");
        QTest::addColumn<bool>("truncated");
        for (const auto &f : kFixtures)
            QTest::newRow(f.file) << f.file << f.packets << int(f.linkType) << f.nanosecond << f.swapped
                                  << f.truncated;
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(int, packets);
        QFETCH(int, linkType);
        QFETCH(bool, nanosecond);
        QFETCH(bool, swapped);
        QFETCH(bool, truncated);
        const QByteArray bytes = readFixture(file);
        QVERIFY2(!bytes.isEmpty(), qPrintable(file));

        std::optional<PcapError> failure;
        std::optional<PcapFileHeader> header;
        const auto ours = streamRecords(bytes, {7, 0}, &failure, &header);
        QVERIFY(header);
        QCOMPARE(int(header->linkType), linkType);
        QCOMPARE(header->nanosecond, nanosecond);
        QCOMPARE(header->swapped, swapped);
        QCOMPARE(header->snaplen, 262144u);
        QCOMPARE(int(ours.size()), packets);
        QCOMPARE(failure.has_value(), truncated);
        if (truncated)
            QCOMPARE(failure->kind, PcapErrorKind::Truncated);

        // libpcap on the whole file sees the same records, byte for byte, to the nanosecond.
        const RefCapture ref = libpcapRead(bytes);
        QVERIFY(ref.opened);
        QCOMPARE(ref.readError, truncated);
        QString why;
        QVERIFY2(sameRecords(ours, ref.records, &why), qPrintable(why));

        const Decoded d = decode(bytes, {0, 0});
        QCOMPARE(int(d.packets.size()), packets);
        for (const CapturedPacket &p : d.packets) {
            QCOMPARE(int(p.linkType), linkType);
            QVERIFY(p.capturedLength <= p.wireLength);
        }
        if (!truncated)
            QCOMPARE(d.consumed, std::uint64_t(bytes.size()));
    }

    void chunkings_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("size");
        QTest::addColumn<unsigned>("seed");
        for (const auto &f : kFixtures)
            for (const auto &c : kChunkings)
                QTest::newRow(qPrintable(QStringLiteral("%1 / %2").arg(f.file, c.name)))
                    << f.file << c.chunking.size << c.chunking.seed;
    }
    void chunkings()
    {
        QFETCH(QString, file);
        QFETCH(int, size);
        QFETCH(unsigned, seed);
        const QByteArray bytes = readFixture(file);
        const Decoded whole = decode(bytes, {0, 0});
        const Decoded chunked = decode(bytes, {size, seed});
        QCOMPARE(chunked.lines, whole.lines);
        QCOMPARE(chunked.consumed, whole.consumed);
        QCOMPARE(chunked.failure.has_value(), whole.failure.has_value());
        if (whole.failure) {
            QCOMPARE(chunked.failure->kind, whole.failure->kind);
            QCOMPARE(chunked.failure->error.oneLine(), whole.failure->error.oneLine());
        }
    }

    // Whatever else lands in tests/fixtures/pcap (other helpers' captures too): PodPath
    // reads exactly what libpcap reads.
    void agreesWithLibpcapOnEveryFixture_data()
    {
        QTest::addColumn<QString>("file");
        const QStringList files = pcapFixtures();
        QVERIFY(files.size() >= int(std::size(kFixtures)));
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << f;
    }
    void agreesWithLibpcapOnEveryFixture()
    {
        QFETCH(QString, file);
        const QByteArray bytes = readFixture(file);
        const RefCapture ref = libpcapRead(bytes);
        std::optional<PcapError> failure;
        const auto ours = streamRecords(bytes, {-1, 7}, &failure);
        if (!ref.opened) {
            QVERIFY(failure);
            return;
        }
        QString why;
        QVERIFY2(sameRecords(ours, ref.records, &why), qPrintable(why));
        QCOMPARE(failure.has_value(), ref.readError);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("chunk");
        QTest::addColumn<PcapErrorKind>("kind");
        QTest::addColumn<int>("packets");
        QTest::addColumn<int>("have");
        QTest::addColumn<int>("need");
        QTest::addColumn<QString>("says");

        const QByteArray ok = fileHeader();
        QTest::newRow("empty") << QByteArray() << 0 << PcapErrorKind::Empty << 0 << 0 << 0 << "no capture data";
        QTest::newRow("half a file header") << ok.left(10) << 3 << PcapErrorKind::Truncated << 0 << 10 << 24
                                            << "inside the file header: 10 of 24";
        QTest::newRow("pcapng") << QByteArray::fromHex("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000")
                                << 0 << PcapErrorKind::Pcapng << 0 << 0 << 0 << "pcapng";
        QTest::newRow("pcapng, first 4 bytes only") << QByteArray::fromHex("0a0d0d0a") << 1 << PcapErrorKind::Pcapng
                                                    << 0 << 0 << 0 << "pcapng";
        QTest::newRow("tcpdump's stderr on stdout")
            << QByteArray("tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes\n")
            << 5 << PcapErrorKind::NotPcap << 0 << 0 << 0 << "text \"tcpdump: listening on";
        QTest::newRow("a few bytes of text") << QByteArray("bash\n") << 1 << PcapErrorKind::NotPcap << 0 << 0 << 0
                                             << "text \"bash\"";
        QTest::newRow("shell error") << QByteArray("sudo: tcpdump: command not found\n") << 0 << PcapErrorKind::NotPcap
                                     << 0 << 0 << 0 << "sudo: tcpdump: command not found";
        QTest::newRow("binary garbage") << QByteArray::fromHex("deadbeef00000000000000000000000000000000000000000000")
                                        << 0 << PcapErrorKind::NotPcap << 0 << 0 << 0 << "magic number 0xefbeadde";
        QTest::newRow("version 2.3") << fileHeader(0xA1B2C3D4, 2, 3) << 0 << PcapErrorKind::UnsupportedVersion << 0
                                     << 0 << 0 << "version 2.3";
        QTest::newRow("version 1.0") << fileHeader(0xA1B2C3D4, 1, 0) << 0 << PcapErrorKind::UnsupportedVersion << 0
                                     << 0 << 0 << "version 1.0";
        QTest::newRow("modified pcap") << fileHeader(0xA1B2CD34) << 0 << PcapErrorKind::UnsupportedVersion << 0 << 0
                                       << 0 << "modified";
        QTest::newRow("snaplen 0") << fileHeader(0xA1B2C3D4, 2, 4, 0) << 0 << PcapErrorKind::ZeroSnaplen << 0 << 0
                                   << 0 << "snapshot length 0";
        QTest::newRow("caplen over snaplen, after two good records")
            << fileHeader(0xA1B2C3D4, 2, 4, 100) + rawRecord(40) + rawRecord(100) + recordHeader(200, 200) +
                   QByteArray(200, '\0')
            << 9 << PcapErrorKind::OversizedRecord << 2 << 0 << 0 << "record 3 claims 200 captured bytes, more than the snapshot length 100";
        QTest::newRow("caplen over 256 KiB, snaplen huge")
            << fileHeader(0xA1B2C3D4, 2, 4, 0xFFFFFFFF) + rawRecord(60) + recordHeader(300000, 300000) << 0
            << PcapErrorKind::OversizedRecord << 1 << 0 << 0 << "300000 captured bytes, more than 256 KiB";
        QTest::newRow("caplen 4 GiB") << ok + recordHeader(0xFFFFFFFF, 0xFFFFFFFF) << 0
                                      << PcapErrorKind::OversizedRecord << 0 << 0 << 0 << "4294967295";
        QTest::newRow("cut in a record header") << ok + rawRecord(30) + recordHeader(30, 30).left(10) << 4
                                                << PcapErrorKind::Truncated << 1 << 10 << 16
                                                << "inside the header of record 2: 10 of 16 bytes";
        QTest::newRow("cut in record data") << ok + rawRecord(30) + rawRecord(50).left(16 + 33) << 0
                                            << PcapErrorKind::Truncated << 1 << 49 << 66
                                            << "inside record 2: 49 of 66 bytes";
    }
    void errors()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, chunk);
        QFETCH(PcapErrorKind, kind);
        QFETCH(int, packets);
        QFETCH(int, have);
        QFETCH(int, need);
        QFETCH(QString, says);
        const Decoded d = decode(input, {chunk, 0});
        QVERIFY(d.failure);
        QCOMPARE(d.failure->kind, kind);
        QCOMPARE(int(d.packets.size()), packets);
        QCOMPARE(int(d.failure->haveBytes), have);
        QCOMPARE(int(d.failure->needBytes), need);
        const QString line = QString::fromStdString(d.failure->error.oneLine());
        QVERIFY2(line.contains(says), qPrintable(line));
        QVERIFY2(!line.contains('\n'), qPrintable(line));
        QVERIFY2(line.contains("byte offset"), qPrintable(line));
    }

    void validStreams_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("packets");
        const QByteArray ok = fileHeader();
        QTest::newRow("header only") << ok << 0;
        QTest::newRow("one record") << ok + rawRecord(20) << 1;
        QTest::newRow("record of exactly 256 KiB") << fileHeader(0xA1B2C3D4, 2, 4, 262144) + rawRecord(262144) << 1;
        QTest::newRow("zero-length record") << ok + recordHeader(0, 60) << 1;
        QTest::newRow("unknown link type is carried") << fileHeader(0xA1B2C3D4, 2, 4, 65535, 147) + rawRecord(30) << 1;
    }
    void validStreams()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, packets);
        for (Chunking c : {Chunking{0, 0}, Chunking{1, 0}, Chunking{-1, 5}}) {
            const Decoded d = decode(input, c);
            QVERIFY2(!d.failure, d.failure ? d.failure->error.oneLine().c_str() : "");
            QCOMPARE(int(d.packets.size()), packets);
            QCOMPARE(d.consumed, std::uint64_t(input.size()));
        }
    }

    void failureIsSticky()
    {
        PcapStreamReader reader;
        std::vector<CapturedPacket> out;
        QVERIFY(!reader.feed(std::string_view("this is not a capture at all, only text"), out));
        const QByteArray good = fileHeader() + rawRecord(20);
        auto again = reader.feed(std::string_view(good.constData(), std::size_t(good.size())), out);
        QVERIFY(!again);
        QVERIFY(QString::fromStdString(again.error().message).contains("not a pcap capture"));
        QVERIFY(out.empty());
        QVERIFY(!reader.finish());
    }

    void feedAfterFinishIsRefused()
    {
        PcapStreamReader reader;
        std::vector<CapturedPacket> out;
        const QByteArray good = fileHeader() + rawRecord(20);
        QVERIFY(reader.feed(std::string_view(good.constData(), std::size_t(good.size())), out));
        QVERIFY(reader.finish());
        QVERIFY(!reader.feed(std::string_view(good.constData(), std::size_t(good.size())), out));
        QCOMPARE(out.size(), std::size_t(1));
    }

    // Between feeds the reader holds the incomplete last record and nothing else, however
    // much went through it and however it was cut.
    void memoryStaysFlat_data()
    {
        QTest::addColumn<int>("chunk");
        QTest::newRow("1000-byte feeds") << 1000;
        QTest::newRow("64 KiB feeds") << 65536;
        QTest::newRow("random feeds") << -1;
    }
    void memoryStaysFlat()
    {
        QFETCH(int, chunk);
        QByteArray stream = fileHeader();
        std::uint32_t largest = 0;
        for (int i = 0; i < 20000; ++i) {
            const std::uint32_t size = 20 + std::uint32_t(i * 37 % 1480);
            largest = std::max(largest, size);
            stream += rawRecord(size);
        }
        PcapStreamReader reader;
        std::vector<CapturedPacket> out;
        std::size_t at = 0;
        std::size_t delivered = 0;
        for (std::size_t n : chunkSizes(std::size_t(stream.size()), {chunk, 11})) {
            out.clear();
            QVERIFY(reader.feed(std::string_view(stream.constData() + at, n), out));
            at += n;
            delivered += out.size();
            QVERIFY2(reader.bufferedBytes() < 16 + largest,
                     qPrintable(QStringLiteral("%1 bytes buffered").arg(reader.bufferedBytes())));
        }
        QVERIFY(reader.finish());
        QCOMPARE(delivered, std::size_t(20000));
        QCOMPARE(reader.bufferedBytes(), std::size_t(0));
        QCOMPARE(reader.bytesConsumed(), std::uint64_t(stream.size()));
    }

    void libpcapVersionIsKnown() { QVERIFY(PcapStreamReader::libpcapVersion().find("libpcap") != std::string_view::npos); }
};

QTEST_GUILESS_MAIN(TestPcapStreamReader)
#include "tst_pcap_stream_reader.moc"
