// PcapWriter: decode -> write -> libpcap reads back exactly the records it read from the
// original capture (timestamps to the nanosecond, lengths, bytes), and PodPath's own
// reader dissects them identically.
#include "parse/pcap_writer.h"
#include "pcap_test_support.h"

#include <QtTest>

using namespace podpath::parse;
using namespace pcaptest;

namespace {

std::span<const std::uint8_t> bytesOf(const std::string &s)
{
    return {reinterpret_cast<const std::uint8_t *>(s.data()), s.size()};
}

// Writes the records of `original` (read by PodPath's reader) with PcapWriter.
QByteArray rewrite(const QByteArray &original, TimestampPrecision precision, bool takeOften = false)
{
    std::optional<PcapFileHeader> header;
    const auto records = streamRecords(original, {-1, 3}, nullptr, &header);
    if (!header)
        return {};
    auto writer = PcapWriter::create(header->linkType, header->snaplen, precision);
    if (!writer)
        return {};
    std::string out;
    for (const RefRecord &r : records) {
        if (!writer->write(r.timestampNs, r.wireLength, bytesOf(r.data)))
            return {};
        if (takeOften)
            out += writer->takeBytes();
    }
    out += writer->takeBytes();
    return QByteArray(out.data(), int(out.size()));
}

} // namespace

class TestPcapWriter : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("file");
        for (const QString &f : pcapFixtures(QStringLiteral("pc-*.pcap")))
            QTest::newRow(qPrintable(f)) << f;
    }
    void roundTrip()
    {
        QFETCH(QString, file);
        const QByteArray original = readFixture(file);
        const QByteArray written = rewrite(original, TimestampPrecision::Nanosecond);
        QVERIFY(!written.isEmpty());

        const RefCapture before = libpcapRead(original);
        const RefCapture after = libpcapRead(written);
        QVERIFY(after.opened);
        QVERIFY(!after.readError);
        QCOMPARE(after.dlt, before.dlt);
        QCOMPARE(after.snaplen, before.snaplen);
        QString why;
        QVERIFY2(sameRecords(after.records, before.records, &why), qPrintable(why));

        // Nanosecond magic in host order, as libpcap writes it.
        QCOMPARE(QByteArray::fromRawData(written.constData(), 4), QByteArray::fromHex("4d3cb2a1"));

        const Decoded a = decode(original, {0, 0});
        const Decoded b = decode(written, {0, 0});
        QCOMPARE(b.lines, a.lines);
        QVERIFY(!b.failure);
    }

    void drainingGivesTheSameFile()
    {
        const QByteArray original = readFixture("pc-vxlan-fragments-b.pcap");
        QCOMPARE(rewrite(original, TimestampPrecision::Nanosecond, true),
                 rewrite(original, TimestampPrecision::Nanosecond, false));
    }

    void microsecondFiles()
    {
        const QByteArray original = readFixture("pc-ipip-any-nano.pcap");
        const QByteArray written = rewrite(original, TimestampPrecision::Microsecond);
        QCOMPARE(QByteArray::fromRawData(written.constData(), 4), QByteArray::fromHex("d4c3b2a1"));
        const RefCapture before = libpcapRead(original);
        const RefCapture after = libpcapRead(written);
        QCOMPARE(after.records.size(), before.records.size());
        for (std::size_t i = 0; i < before.records.size(); ++i) {
            QCOMPARE(after.records[i].timestampNs, before.records[i].timestampNs / 1000 * 1000);
            QCOMPARE(after.records[i].data, before.records[i].data);
        }
    }

    void emptyCaptureIsJustAHeader()
    {
        auto writer = PcapWriter::create(LinkType::LinuxSll2);
        QVERIFY(writer);
        const std::string bytes = writer->takeBytes();
        QCOMPARE(bytes.size(), std::size_t(24));
        QCOMPARE(writer->takeBytes(), std::string());
        const RefCapture ref = libpcapRead(QByteArray(bytes.data(), int(bytes.size())));
        QVERIFY(ref.opened);
        QCOMPARE(ref.dlt, 276);
        QVERIFY(ref.records.empty());
    }

    void rawIsWrittenAsLinktypeRaw()
    {
        auto writer = PcapWriter::create(LinkType::Raw);
        QVERIFY(writer);
        const std::string bytes = writer->takeBytes();
        QCOMPARE(std::uint8_t(bytes[20]), std::uint8_t(101));
    }

    void refusals_data()
    {
        QTest::addColumn<qlonglong>("timestampNs");
        QTest::addColumn<int>("wireLength");
        QTest::addColumn<int>("captured");
        QTest::addColumn<QString>("says");
        QTest::newRow("over the snaplen") << 1'000'000'000LL << 2000 << 1500 << "exceeds the snapshot length 1000";
        QTest::newRow("captured over wire length") << 1'000'000'000LL << 10 << 20 << "exceeds the wire length 10";
        QTest::newRow("before 1970") << -1LL << 20 << 20 << "1970 to 2038";
        QTest::newRow("after 2038") << 2'200'000'000'000'000'000LL << 20 << 20 << "1970 to 2038";
    }
    void refusals()
    {
        QFETCH(qlonglong, timestampNs);
        QFETCH(int, wireLength);
        QFETCH(int, captured);
        QFETCH(QString, says);
        auto writer = PcapWriter::create(LinkType::Raw, 1000);
        QVERIFY(writer);
        const std::string data(std::size_t(captured), '\x45');
        auto r = writer->write(timestampNs, std::uint32_t(wireLength), bytesOf(data));
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error().oneLine()).contains(says), r.error().oneLine().c_str());
        QCOMPARE(writer->recordsWritten(), std::uint64_t(0));
    }

    void badWriterSettings()
    {
        QVERIFY(!PcapWriter::create(LinkType::Raw, 0));
        QVERIFY(!PcapWriter::create(LinkType::Raw, kMaxPcapRecordBytes + 1));
        auto unknown = PcapWriter::create(LinkType(0x7FFF0));
        QVERIFY(!unknown);
        QVERIFY(QString::fromStdString(unknown.error().oneLine()).contains("libpcap cannot write"));
    }
};

QTEST_GUILESS_MAIN(TestPcapWriter)
#include "tst_pcap_writer.moc"
