// The command shell's answers read back, however the channel cuts them: every stream
// below is fed whole, byte by byte and in chunks of 2, 3, 7 and 64, and must give the
// same results. The streams are what the shell prints (tst_command_shell runs it for
// real); the nonce is fixed here so the rows can be read.

#include "remote/command_frames.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

namespace {

const std::string N = "0123456789abcdef0123456789abcdef";

std::string ready() { return N + ":ready\n"; }
std::string out(const std::string &body, int status) { return N + ":b\n" + body + "\n" + N + ":e:" + std::to_string(status) + "\n"; }
std::string err(const std::string &body) { return N + ":b\n" + body + "\n" + N + ":e\n"; }

struct Expected {
    int status;
    std::string out;
    std::string err;
    bool truncated = false;
    std::uint64_t outBytes = 0;
};

// Feeds `o` and `e` in chunks of `size` (0: whole), one command at a time as the
// channel does: the next command is expected once the previous one was taken.
std::vector<CommandResult> readAll(const std::string &o, const std::string &e, std::size_t size, std::size_t cap,
                                   std::size_t commands)
{
    CommandFrames frames(N);
    std::vector<CommandResult> results;
    std::size_t atOut = 0, atErr = 0;
    frames.expect(cap);
    while (results.size() < commands && (atOut < o.size() || atErr < e.size())) {
        const std::size_t step = size == 0 ? std::max(o.size(), e.size()) : size;
        if (atOut < o.size()) {
            frames.feedOut(std::string_view(o).substr(atOut, step));
            atOut += step;
        }
        if (atErr < e.size()) {
            frames.feedErr(std::string_view(e).substr(atErr, step));
            atErr += step;
        }
        while (auto r = frames.take()) {
            results.push_back(*r);
            if (results.size() < commands)
                frames.expect(cap);
        }
        if (frames.pendingBytes() > 2 * 64 * 1024 + 256)
            return {};   // the reader must not hoard bytes that belong to no frame
    }
    return results;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<Expected>)

class TestCommandFrames : public QObject {
    Q_OBJECT
private slots:
    void read_data()
    {
        QTest::addColumn<QByteArray>("stdoutStream");
        QTest::addColumn<QByteArray>("stderrStream");
        QTest::addColumn<int>("cap");
        QTest::addColumn<std::vector<Expected>>("expected");
        auto row = [](const char *name, const std::string &o, const std::string &e, int cap, std::vector<Expected> x) {
            QTest::newRow(name) << QByteArray::fromStdString(o) << QByteArray::fromStdString(e) << cap << x;
        };
        row("one command", ready() + out("hello\n", 0), err(""), 1000, {{0, "hello\n", ""}});
        row("a banner and a profile's chatter first", "Welcome\nLast login: x" + ready() + out("1\n", 0),
            "pyenv: not found\n" + err("warn\n"), 1000, {{0, "1\n", "warn\n"}});
        row("no final newline, status 3", ready() + out("a\nb", 3), err("boom"), 1000, {{3, "a\nb", "boom"}});
        row("empty output", ready() + out("", 0), err(""), 1000, {{0, "", ""}});
        row("body that looks like an end marker", ready() + out("\n" + N + ":e:x\n" + N + ":e:1234\n", 0), err(""),
            1000, {{0, "\n" + N + ":e:x\n" + N + ":e:1234\n", ""}});
        row("timeout's status", ready() + out("", 124), err(""), 1000, {{124, "", ""}});
        row("three commands in turn", ready() + out("x", 0) + out("", 1) + out("zz\n", 2),
            err("") + err("e1\n") + err(""), 1000, {{0, "x", ""}, {1, "", "e1\n"}, {2, "zz\n", ""}});
        row("output beyond the cap", ready() + out(std::string(50, 'x'), 143), err(""), 20,
            {{143, std::string(20, 'x'), "", true, 50}});
    }
    void read()
    {
        QFETCH(QByteArray, stdoutStream);
        QFETCH(QByteArray, stderrStream);
        QFETCH(int, cap);
        QFETCH(std::vector<Expected>, expected);
        for (std::size_t size : {0, 1, 2, 3, 7, 64}) {
            const auto got = readAll(stdoutStream.toStdString(), stderrStream.toStdString(), size, std::size_t(cap),
                                     expected.size());
            QVERIFY2(got.size() == expected.size(), qPrintable(QString("chunks of %1: %2 results").arg(size).arg(got.size())));
            for (std::size_t i = 0; i < got.size(); ++i) {
                const Expected &x = expected[i];
                QCOMPARE(got[i].exitStatus.value_or(-1), x.status);
                QCOMPARE(got[i].out, x.out);
                QCOMPARE(got[i].err, x.err);
                QCOMPARE(got[i].truncated, x.truncated);
                QCOMPARE(got[i].timedOut, x.status == kTimeoutExitStatus);
                QCOMPARE(got[i].outBytes, x.truncated ? x.outBytes : std::uint64_t(x.out.size()));
            }
        }
    }

    // After a root request: root's shell says ready, or the same shell says noroot;
    // either way the next command reads as usual, and the answer says which.
    void rootRequestAnswered_data()
    {
        QTest::addColumn<bool>("refused");
        QTest::newRow("root's shell ready") << false;
        QTest::newRow("sudo refused") << true;
    }
    void rootRequestAnswered()
    {
        QFETCH(bool, refused);
        CommandFrames frames(N);
        frames.feedOut(ready());
        QVERIFY(frames.ready());
        frames.awaitReady();
        QVERIFY(!frames.ready());
        frames.feedErr("sudo: a password is required\n");
        const std::string said = refused ? N + ":noroot\n" : ready();
        for (char c : said)
            frames.feedOut(std::string_view(&c, 1));
        QVERIFY(frames.ready());
        QCOMPARE(frames.rootRefused(), refused);
        frames.expect(100);
        frames.feedOut(out("0", 0));
        frames.feedErr(err(""));
        const auto r = frames.take();
        QVERIFY(r);
        QCOMPARE(r->out, std::string("0"));
        QCOMPARE(r->err, std::string());
    }

    void nothingBeforeTheReadyLineIsAnAnswer()
    {
        CommandFrames frames(N);
        frames.expect(100);
        // A profile that prints what looks like a frame before the shell is up.
        frames.feedOut(N + ":b\nfake\n" + N + ":e:0\n");
        frames.feedErr(err("fake"));
        QVERIFY(!frames.ready());
        QVERIFY(!frames.take());
    }
};

QTEST_GUILESS_MAIN(TestCommandFrames)
#include "tst_command_frames.moc"
