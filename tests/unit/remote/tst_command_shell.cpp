// The node's command shell (node_wrapper.h: commandShellLine), run for real: the line
// goes to a real login shell (sh, dash, bash, zsh where installed) exactly as sshd
// hands it over, jobs go in on stdin as the worker writes them, and the answers are
// read back with CommandFrames. Each job must come back as running it alone would
// (stdout, stderr, exit status), the bound and the watchdog must hold on the node, and
// EOF must leave nothing running.

#include "remote/command_batch.h"
#include "remote/command_frames.h"
#include "remote/node_wrapper.h"
#include "remote/shell_quote.h"
#include "shell_roundtrip.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace podpath;
using namespace podpath::remote;

namespace {

// A command shell on this machine, driven like the worker drives the node's.
class LocalCommandShell {
public:
    LocalCommandShell(const QString &loginShell, const std::string &loginNoise = {})
        : m_nonce(CommandBatch::randomNonce()), m_frames(m_nonce)
    {
        // sshd runs `SHELL -c LINE`; a chatty profile prints before the line runs.
        m_process.start(loginShell, {"-c", QString::fromStdString(loginNoise + commandShellLine(m_nonce))});
        m_process.waitForStarted();
    }
    ~LocalCommandShell()
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(1000);
    }

    void send(const std::string &bytes) { m_process.write(bytes.data(), qint64(bytes.size())); }
    void submit(const std::string &job, std::size_t cap = 1u << 20, const std::optional<std::string> &password = {})
    {
        m_frames.expect(cap);
        std::string request = commandShellHeader(m_nonce, password.has_value()) + "\n";
        if (password)
            request += *password + "\n";
        send(request + job + "\n");
    }
    // The job's result, or nullopt after `ms` without one.
    std::optional<CommandResult> answer(int ms = 10000)
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            m_frames.feedOut(m_process.readAllStandardOutput().toStdString());
            m_frames.feedErr(m_process.readAllStandardError().toStdString());
            if (auto r = m_frames.take())
                return r;
            if (t.elapsed() > ms || m_process.state() == QProcess::NotRunning)
                return std::nullopt;
            m_process.waitForReadyRead(50);
        }
    }
    bool ready(int ms = 10000)
    {
        QElapsedTimer t;
        t.start();
        while (!m_frames.ready() && t.elapsed() < ms) {
            m_process.waitForReadyRead(50);
            m_frames.feedOut(m_process.readAllStandardOutput().toStdString());
        }
        return m_frames.ready();
    }
    QProcess &process() { return m_process; }
    bool rootRefused() const { return m_frames.rootRefused(); }
    // What the worker sends where sudo needs no password: the loop starts again as root.
    void takeRoot()
    {
        m_frames.awaitReady();
        send(commandShellRootRequest(m_nonce) + "\n");
    }

private:
    QProcess m_process;
    std::string m_nonce;
    CommandFrames m_frames;
};

// Running, not merely a zombie: an ended process keeps its pid (kill(pid, 0) succeeds,
// /proc/PID exists) until its parent reaps it, and an orphan's reaper is the machine's
// init, which may take its time on a loaded machine (CI saw "outlived" for that).
bool processAlive(qint64 pid)
{
    if (::kill(pid_t(pid), 0) != 0)
        return false;
    QFile stat(QString("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray s = stat.readAll();
    const int close = s.lastIndexOf(')');  // the state follows the command name, which may hold ')'
    return close >= 0 && close + 2 < s.size() && s.at(close + 2) != 'Z' && s.at(close + 2) != 'X';
}

std::string job(const RemoteCommand &c, int bound = 10) { return commandShellJob(c, *Seconds::of(bound), SudoMode::None); }

// `sh -c SCRIPT` as a job: the real builder up to the script, which PodPath's typed
// commands would not take as a value.
std::string script(const std::string &text, int bound = 10)
{
    return job(RemoteCommand("sh").flag("-c"), bound) + " " + shellQuote(text);
}

} // namespace

class TestCommandShell : public QObject {
    Q_OBJECT
private slots:
    void jobsComeBackAsRunAlone_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::addColumn<QString>("script");   // run as `sh -c SCRIPT`
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("out");
        QTest::addColumn<QByteArray>("err");
        for (const QString &shell : localShells()) {
            const QByteArray s = shell.toUtf8();
            QTest::newRow(s + ": output without a final newline") << shell << "printf 'a\\nb'" << 0 << QByteArray("a\nb") << QByteArray();
            QTest::newRow(s + ": nothing at all") << shell << "true" << 0 << QByteArray() << QByteArray();
            QTest::newRow(s + ": stderr and a status") << shell << "echo out; echo oops >&2; exit 3" << 3
                                                       << QByteArray("out\n") << QByteArray("oops\n");
            QTest::newRow(s + ": a marker's look-alike") << shell << "printf '\\n0123:e:7\\nx:b\\n'" << 0
                                                         << QByteArray("\n0123:e:7\nx:b\n") << QByteArray();
            QTest::newRow(s + ": NUL bytes") << shell << "printf 'a\\000b\\n'" << 0 << QByteArray("a\0b\n", 4)
                                             << QByteArray();
            QTest::newRow(s + ": command not found") << shell << "exec podpath-no-such-tool" << 127 << QByteArray()
                                                     << QByteArray("sh: 1: exec: podpath-no-such-tool: not found\n");
        }
    }
    void jobsComeBackAsRunAlone()
    {
        QFETCH(QString, shell);
        QFETCH(QString, script);
        QFETCH(int, status);
        QFETCH(QByteArray, out);
        QFETCH(QByteArray, err);
        LocalCommandShell node(shell, "echo 'Welcome to node7'; echo 'pyenv: warming up' >&2; ");
        QVERIFY(node.ready());
        // Twice on the same shell: the second answer must not carry anything of the first.
        for (int round = 0; round < 2; ++round) {
            node.submit(::script(script.toStdString()));
            auto r = node.answer();
            QVERIFY2(r, "no answer from the command shell");
            QCOMPARE(r->exitStatus.value_or(-1), status);
            QCOMPARE(QByteArray::fromStdString(r->out), out);
            // dash and bash word "not found" differently; the first word is enough there.
            if (status == 127)
                QVERIFY2(r->err.find("podpath-no-such-tool") != std::string::npos, r->err.c_str());
            else
                QCOMPARE(QByteArray::fromStdString(r->err), err);
        }
    }

    void boundHoldsOnTheNode()
    {
        LocalCommandShell node("sh");
        QVERIFY(node.ready());
        QElapsedTimer t;
        t.start();
        node.submit(job(RemoteCommand("sleep").flag("30"), 1));
        auto r = node.answer(10000);
        QVERIFY(r);
        QCOMPARE(r->exitStatus.value_or(-1), kTimeoutExitStatus);
        QVERIFY(r->timedOut);
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
        // The shell goes on after a job that ran out of time.
        node.submit(::script("echo still here"));
        r = node.answer();
        QVERIFY(r);
        QCOMPARE(r->out, std::string("still here\n"));
    }

    void anyLineStopsTheRunningJobAndTheShellGoesOn()
    {
        LocalCommandShell node("sh");
        QVERIFY(node.ready());
        node.submit(job(RemoteCommand("sleep").flag("30"), 60));
        QTest::qWait(300);
        QElapsedTimer t;
        t.start();
        node.send("x\n");
        auto r = node.answer(5000);
        QVERIFY(r);
        QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
        // timeout passes SIGTERM on and reports it as 128+15.
        QCOMPARE(r->exitStatus.value_or(-1), 128 + SIGTERM);
        node.submit(::script("echo next"));
        r = node.answer();
        QVERIFY(r);
        QCOMPARE(r->out, std::string("next\n"));
    }

    // Root taken once: the loop execs sudo into itself, says ready again, and every job
    // after runs as root, with the session's SSH_CONNECTION handed over (sudo resets the
    // environment); EOF still ends it all.
    void rootRequestStartsTheLoopAgainAsRoot()
    {
        QProcess sudo;
        sudo.start("sudo", {"-n", "true"});
        if (!sudo.waitForFinished(10000) || sudo.exitStatus() != QProcess::NormalExit || sudo.exitCode() != 0)
            QSKIP("sudo -n does not work for this user here (the lab's sudo logins test it on nodes)");
        const QByteArray connection = "2001:db8::1 50000 2001:db8::11 22";
        qputenv("SSH_CONNECTION", connection);
        LocalCommandShell node("sh");
        qunsetenv("SSH_CONNECTION");
        QVERIFY(node.ready());
        node.takeRoot();
        QVERIFY2(node.ready(), "no ready line from root's shell");
        node.submit(job(RemoteCommand("id").flag("-u")));
        auto r = node.answer();
        QVERIFY(r);
        QCOMPARE(r->out, std::string("0\n"));
        node.submit(job(RemoteCommand("printenv").flag("SSH_CONNECTION")));
        r = node.answer();
        QVERIFY(r);
        QCOMPARE(QByteArray::fromStdString(r->out), connection + "\n");
        node.process().closeWriteChannel();
        QVERIFY(node.process().waitForFinished(5000));
    }

    // A sudo that refuses (it wants a password, or the user may not run a shell): the
    // loop says "noroot" and goes on as the login user, answering the next job.
    void refusedRootLeavesTheShellAsItWas()
    {
        QTemporaryDir bin;
        QVERIFY(bin.isValid());
        QFile fake(bin.filePath("sudo"));
        QVERIFY(fake.open(QIODevice::WriteOnly));
        fake.write("#!/bin/sh\necho 'sudo: a password is required' >&2\nexit 1\n");
        fake.close();
        QVERIFY(fake.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", bin.path().toUtf8() + ":" + path);
        LocalCommandShell node("sh");
        qputenv("PATH", path);
        QVERIFY(node.ready());
        node.takeRoot();
        QVERIFY2(node.ready(), "no answer to the root request");
        QVERIFY(node.rootRefused());
        node.submit(job(RemoteCommand("echo").arg(*Word::parse("still-here"))));
        const auto r = node.answer();
        QVERIFY(r);
        QCOMPARE(r->out, std::string("still-here\n"));
        QCOMPARE(r->exitStatus, std::optional<int>(0));
    }

    void eofLeavesNothingRunning()
    {
        LocalCommandShell node("sh");
        QVERIFY(node.ready());
        // The job prints the pid of what it becomes (exec keeps it), then sleeps.
        node.submit(::script("echo $$; exec sleep 30", 60));
        QElapsedTimer t;
        t.start();
        QByteArray seen;
        while (seen.count('\n') < 2 && t.elapsed() < 5000) {   // the begin line, then the pid
            node.process().waitForReadyRead(50);
            seen += node.process().readAllStandardOutput();
        }
        const QList<QByteArray> lines = seen.split('\n');
        QVERIFY2(lines.size() >= 3, seen.constData());
        const qint64 pid = lines.at(lines.size() - 2).toLongLong();
        QVERIFY2(pid > 0 && processAlive(pid), seen.constData());
        node.process().closeWriteChannel();   // what sshd does when PodPath goes away
        t.restart();
        while (processAlive(pid) && t.elapsed() < 5000)
            QTest::qWait(50);
        // What it is, if it is still there: its state, parent and command line (CI saw this
        // fail under load and nowhere else; the next failure says more).
        const auto proc = [pid](const char *file) {
            QFile f(QString("/proc/%1/%2").arg(pid).arg(file));
            return f.open(QIODevice::ReadOnly) ? f.readAll().replace('\0', ' ').simplified() : QByteArray("gone");
        };
        QVERIFY2(!processAlive(pid), qPrintable("the job outlived the channel: stat " + proc("stat") + "; cmdline " +
                                                proc("cmdline")));
        // (The event loop above may already have seen it end.)
        const bool ended = node.process().state() == QProcess::NotRunning || node.process().waitForFinished(5000);
        QVERIFY2(ended, qPrintable(QString::fromUtf8(node.process().readAllStandardOutput() + "|" +
                                                     node.process().readAllStandardError())));
    }

    void passwordReachesTheJobsStdinOnly()
    {
        LocalCommandShell node("sh");
        QVERIFY(node.ready());
        const std::string password = "s3cret 'with\" quotes $(x)";
        node.submit(::script("IFS= read -r x; sleep 1; printf %s \"$x\""), 1u << 20,
                    password);
        QTest::qWait(400);
        // While the job runs, no process on this machine has it on its command line.
        QDir proc("/proc");
        for (const QString &pid : proc.entryList(QDir::Dirs)) {
            QFile f("/proc/" + pid + "/cmdline");
            if (f.open(QIODevice::ReadOnly))
                QVERIFY2(!f.readAll().contains("s3cret"), qPrintable("on the command line of pid " + pid));
        }
        auto r = node.answer();
        QVERIFY(r);
        QCOMPARE(r->out, password);
        // The next job is not fed it.
        node.submit(::script("IFS= read -r x; printf '[%s]' \"$x\""));
        r = node.answer();
        QVERIFY(r);
        QCOMPARE(r->out, std::string("[]"));
    }

    void outputBeyondTheCapIsCountedNotKept()
    {
        LocalCommandShell node("sh");
        QVERIFY(node.ready());
        node.submit(job(RemoteCommand("head").flag("-c").flag("100000").flag("/dev/zero")), 1000);
        auto r = node.answer();
        QVERIFY(r);
        QVERIFY(r->truncated);
        QCOMPARE(r->out.size(), std::size_t(1000));
        QCOMPARE(r->outBytes, std::uint64_t(100000));
    }
};

QTEST_GUILESS_MAIN(TestCommandShell)
#include "tst_command_shell.moc"
