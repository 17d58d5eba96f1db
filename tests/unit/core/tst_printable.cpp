// Text from a node made safe to print (core/printable.h): whatever could act on a
// terminal is shown escaped; everything else, UTF-8 included, is left alone.

#include "core/printable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace podpath;

class TestPrintable : public QObject {
    Q_OBJECT
private slots:
    void escapes_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("oneLine");
        QTest::addColumn<QByteArray>("lines");
        QTest::newRow("plain") << QByteArray("pplab-node2 eth0") << QByteArray("pplab-node2 eth0") << QByteArray("pplab-node2 eth0");
        QTest::newRow("window title (OSC)") << QByteArray("n\x1b]0;owned\x07") << QByteArray("n\\x1b]0;owned\\x07")
                                            << QByteArray("n\\x1b]0;owned\\x07");
        QTest::newRow("erase line above (CSI)") << QByteArray("\x1b[1A\x1b[2Kverdict: PASS")
                                                << QByteArray("\\x1b[1A\\x1b[2Kverdict: PASS")
                                                << QByteArray("\\x1b[1A\\x1b[2Kverdict: PASS");
        QTest::newRow("carriage return overwrite") << QByteArray("FAIL\rPASS") << QByteArray("FAIL\\x0dPASS") << QByteArray("FAIL\\x0dPASS");
        QTest::newRow("newline and tab") << QByteArray("a\nb\tc") << QByteArray("a\\nb\\tc") << QByteArray("a\nb\tc");
        QTest::newRow("DEL and NUL") << QByteArray("a\x7f", 2) + QByteArray(1, '\0') << QByteArray("a\\x7f\\x00")
                                     << QByteArray("a\\x7f\\x00");
        QTest::newRow("C1 CSI as UTF-8") << QByteArray("a\xc2\x9b" "2J") << QByteArray("a\\u{009b}2J") << QByteArray("a\\u{009b}2J");
        QTest::newRow("8-bit CSI, not UTF-8") << QByteArray("a\x9b" "2J") << QByteArray("a\\x9b2J") << QByteArray("a\\x9b2J");
        QTest::newRow("bidi override") << QByteArray("eth0\xe2\x80\xae" "1ht") << QByteArray("eth0\\u{202e}1ht")
                                       << QByteArray("eth0\\u{202e}1ht");
        QTest::newRow("bidi isolate") << QByteArray("\xe2\x81\xa6x") << QByteArray("\\u{2066}x") << QByteArray("\\u{2066}x");
        QTest::newRow("UTF-8 kept") << QByteArray("Knoten-ü ✓ 节点 🚀") << QByteArray("Knoten-ü ✓ 节点 🚀")
                                    << QByteArray("Knoten-ü ✓ 节点 🚀");
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << QByteArray("\\xc0\\xaf") << QByteArray("\\xc0\\xaf");
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QByteArray("\\xed\\xa0\\x80") << QByteArray("\\xed\\xa0\\x80");
        QTest::newRow("cut UTF-8 at the end") << QByteArray("ok\xe2\x9c") << QByteArray("ok\\xe2\\x9c") << QByteArray("ok\\xe2\\x9c");
        QTest::newRow("empty") << QByteArray("") << QByteArray("") << QByteArray("");
    }
    void escapes()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, oneLine);
        QFETCH(QByteArray, lines);
        const std::string_view in(input.constData(), std::size_t(input.size()));
        QCOMPARE(QByteArray::fromStdString(printable(in)), oneLine);
        QCOMPARE(QByteArray::fromStdString(printableLines(in)), lines);
        QCOMPARE(isPrintable(in), input == oneLine);
        // Escaping twice changes nothing more: what was shown is plain text now.
        QVERIFY(isPrintable(printable(in)));
    }

    // JSON keeps its meaning: only what acts on a terminal becomes a \u escape, and the
    // document parses back to the same strings.
    void terminalSafeJson_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("written");
        QTest::newRow("plain") << QByteArray("eth0") << QByteArray("eth0");
        QTest::newRow("bidi override") << QByteArray("eth0\xe2\x80\xae" "1ht") << QByteArray("eth0\\u202e1ht");
        QTest::newRow("C1 CSI") << QByteArray("a\xc2\x9b" "2J") << QByteArray("a\\u009b2J");
        QTest::newRow("UTF-8 kept") << QByteArray("Knoten-\xc3\xbc \xe2\x9c\x93") << QByteArray("Knoten-\xc3\xbc \xe2\x9c\x93");
        QTest::newRow("ESC already escaped by JSON") << QByteArray("a\x1b[2J") << QByteArray("a\\u001b[2J");
    }
    void terminalSafeJson()
    {
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, written);
        const QByteArray json = QJsonDocument(QJsonArray{QString::fromUtf8(value)}).toJson(QJsonDocument::Compact);
        const std::string safe = podpath::terminalSafeJson(json.toStdString());
        QCOMPARE(QByteArray::fromStdString(safe), "[\"" + written + "\"]");
        const QJsonDocument back = QJsonDocument::fromJson(QByteArray::fromStdString(safe));
        QCOMPARE(back.array().at(0).toString(), QString::fromUtf8(value));
    }
};

QTEST_GUILESS_MAIN(TestPrintable)
#include "tst_printable.moc"
