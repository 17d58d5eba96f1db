#include "remote/shell_quote.h"

#include "injection_strings.h"
#include "shell_roundtrip.h"

#include <QFile>
#include <QtTest>

using namespace podpath::remote;

class TestShellQuote : public QObject {
    Q_OBJECT
private slots:
    void init() { QFile::remove("/tmp/pp-rm-owned"); }

    void plainWordsStayPlain_data()
    {
        QTest::addColumn<QString>("word");
        for (const char *w : {"tcpdump", "-i", "any", "198.51.100.2", "/var/log/calico/felix/current", "a=b,c:d@e%f+g",
                              "--count=3", "vxlan.calico", "-"})
            QTest::newRow(w) << QString::fromLatin1(w);
    }
    void plainWordsStayPlain()
    {
        QFETCH(QString, word);
        QCOMPARE(QString::fromStdString(shellQuote(word.toStdString())), word);
    }

    void quotedForms_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("empty") << "" << "''";
        QTest::newRow("space") << "a b" << "'a b'";
        QTest::newRow("quote") << "a'b" << "'a'\\''b'";
        QTest::newRow("dollar") << "$(id)" << "'$(id)'";
        QTest::newRow("newline") << "a\nb" << "'a\nb'";
    }
    void quotedForms()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(QString::fromStdString(shellQuote(in.toStdString())), out);
    }

    void nulIsDropped() { QCOMPARE(shellQuote(std::string("a\0b", 3)), std::string("'ab'")); }

    // Every hostile string comes back from every local shell as exactly one word, the
    // same bytes, and nothing ran.
    void roundTripThroughRealShells_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::addColumn<int>("index");
        for (const QString &shell : localShells())
            for (int i = 0; i < int(injectionStrings().size()); ++i)
                QTest::newRow(qPrintable(shell + " #" + QString::number(i))) << shell << i;
    }
    void roundTripThroughRealShells()
    {
        QFETCH(QString, shell);
        QFETCH(int, index);
        const std::string &hostile = injectionStrings()[std::size_t(index)];
        const std::string line = shellQuote("before") + " " + shellQuote(hostile) + " " + shellQuote("after");
        const auto words = shellWords(shell, line);
        QCOMPARE(words.size(), std::size_t(3));
        QCOMPARE(words[0], std::string("before"));
        QCOMPARE(words[1], hostile);
        QCOMPARE(words[2], std::string("after"));
        QVERIFY(!QFile::exists("/tmp/pp-rm-owned"));
    }

    // Quoting twice (the node wrapper quotes a whole quoted line) still round-trips.
    void nestedQuoting()
    {
        for (const auto &hostile : injectionStrings()) {
            const std::string inner = "printf '%s\\0' " + shellQuote(hostile);
            QProcess p;
            p.start("/bin/sh", {"-c", QString::fromStdString("exec sh -c " + shellQuote(inner))});
            p.closeWriteChannel();
            QVERIFY(p.waitForFinished(10000));
            const QByteArray out = p.readAllStandardOutput();
            QCOMPARE(out.toStdString(), hostile + std::string(1, '\0'));
        }
        QVERIFY(!QFile::exists("/tmp/pp-rm-owned"));
    }
};

QTEST_GUILESS_MAIN(TestShellQuote)
#include "tst_shell_quote.moc"
