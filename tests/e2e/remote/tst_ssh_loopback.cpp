// The remote layer against a real OpenSSH sshd that the test starts on 127.0.0.1:
// authentication, host keys, ssh config, jump host, timeouts, cancel, parallel
// channels, output bounds, connection loss and the SIGKILL guarantee. Logins are for
// the user running the test; the sudo paths need the lab (tst_ssh_lab).

#include "remote/cli_prompter.h"
#include "remote/recording_node_shell.h"
#include "remote/replay_node_shell.h"
#include "remote/ssh_node_shell.h"
#include "remote/server_alive.h"

#include "loopback_sshd.h"
#include "lab_access.h"
#include "process_marker.h"
#include "scripted_prompter.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <map>

#include <sys/stat.h>

#include <atomic>
#include <fstream>

using namespace podpath;
using namespace podpath::remote;

#if defined(__SANITIZE_ADDRESS__)
#define PP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PP_ASAN 1
#endif
#endif
#ifndef PP_ASAN
#define PP_ASAN 0
#endif

namespace {

Seconds secs(int n) { return *Seconds::of(std::uint64_t(n)); }

RunOptions opts(int timeout, bool asRoot = false)
{
    RunOptions o;
    o.timeout = secs(timeout);
    o.asRoot = asRoot;
    return o;
}

long rssKb()
{
    std::ifstream f("/proc/self/status");
    std::string key;
    long value = 0;
    while (f >> key) {
        if (key == "VmRSS:") {
            f >> value;
            return value;
        }
        f.ignore(1 << 20, '\n');
    }
    return 0;
}

} // namespace

class TestSshLoopback : public QObject {
    Q_OBJECT

    LoopbackSshd m_sshd;
    ScriptedPrompter m_prompter;

    SshTarget target() const
    {
        SshTarget t;
        t.host = "127.0.0.1";
        t.user = LoopbackSshd::user().toStdString();
        t.port = *Port::of(std::uint64_t(m_sshd.port()));
        t.identityFile = m_sshd.clientKey().toStdString();
        t.knownHostsFile = m_sshd.knownHosts().toStdString();
        t.configFile = m_sshd.path("empty_config").toStdString();
        t.connectTimeoutSeconds = 5;
        return t;
    }

    // An ssh config naming the loopback node "pp-rm-node", with `extra` lines for the
    // keyword under test; its path, or empty when it could not be written.
    QString nodeConfig(const QString &name, const QString &knownHosts, const QString &extra = {})
    {
        const QString cfg = m_sshd.path(name);
        QFile f(cfg);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        f.write(QString("Host pp-rm-node\n  HostName 127.0.0.1\n  Port %1\n  User %2\n  IdentityFile %3\n"
                        "  UserKnownHostsFile %4\n%5  ConnectTimeout 5\n")
                    .arg(m_sshd.port())
                    .arg(LoopbackSshd::user(), m_sshd.clientKey(), knownHosts, extra)
                    .toUtf8());
        return cfg;
    }

    // "type base64" of a public key file in the sshd's folder, as known_hosts holds it.
    QString publicKey(const QString &file) const
    {
        QFile f(m_sshd.path(file));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).section(' ', 0, 1) : QString();
    }

    // Processes on the node whose command line matches `regex` (pgrep -f), seen through
    // a separate connection (kept open: connecting is slow on a loaded machine).
    std::unique_ptr<SshNodeShell> m_checker;
    int nodeCount(const std::string &regex)
    {
        if (!m_checker || m_checker->info().privilege == Privilege::Unknown) {
            m_checker = std::make_unique<SshNodeShell>(target(), &m_prompter, noRoot());
            if (!m_checker->connectAndWait())
                return -1;
        }
        auto r = m_checker->run(RemoteCommand("pgrep").flag("-f").arg(*Word::parse(regex)), opts(20));
        if (!r)
            return -1;
        int n = 0;
        for (char c : r->out)
            n += c == '\n';
        return n;
    }
    // Every process whose command line mentions `marker`: the command, `timeout`, sudo,
    // the wrapper and its watchdog (process_marker.h says why not a bare number).
    int nodeProcessesMatching(int marker)
    {
        return nodeCount(testing::markerPattern(marker));
    }

    static ConnectOptions noRoot()
    {
        ConnectOptions o;
        o.requireRoot = false;
        return o;
    }

private slots:
    void initTestCase()
    {
        const QString why = m_sshd.start();
        QVERIFY2(why.isEmpty(), qPrintable("cannot start a loopback sshd: " + why));
        QFile(m_sshd.path("empty_config")).open(QIODevice::WriteOnly);
        qunsetenv("SSH_AUTH_SOCK");
        QVERIFY(nodeProcessesMatching(1) >= 0);
    }

    void keyAuthRunsCommands()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        auto info = node.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        QCOMPARE(info->uid, int(geteuid()));
        QCOMPARE(info->privilege, geteuid() == 0 ? Privilege::Root : Privilege::None);
        auto r = node.run(RemoteCommand("id").flag("-u"), opts(10));
        QVERIFY(r.ok());
        QCOMPARE(r->exitStatus, 0);
        QCOMPARE(r->out, std::to_string(geteuid()) + "\n");
        QVERIFY(r->succeeded());
    }

    // Paths are the engineer's, taken literally: libssh would expand %d, %u, %% in an
    // identity or known_hosts path and then report the unexpanded name (issue #13).
    void literalKeyPaths_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << "id key";
        QTest::newRow("percent d") << "id %d key";
        QTest::newRow("percent percent") << "id 100%% key";
        QTest::newRow("trailing percent") << "id key%";
    }
    void literalKeyPaths()
    {
        QFETCH(QString, name);
        const QString key = m_sshd.path(name), known = m_sshd.path(name + " known_hosts");
        QFile::remove(key);
        QFile::remove(known);
        QVERIFY(QFile::copy(m_sshd.clientKey(), key));
        QVERIFY(QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner));
        QVERIFY(QFile::copy(m_sshd.knownHosts(), known));
        SshTarget t = target();
        t.identityFile = key.toStdString();
        t.knownHostsFile = known.toStdString();
        SshNodeShell node(t, &m_prompter, noRoot());
        auto info = node.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        auto r = node.run(RemoteCommand("id").flag("-u"), opts(10));
        QVERIFY(r.ok());
        QCOMPARE(r->out, std::to_string(geteuid()) + "\n");
    }

    // A known_hosts "file" that is a FIFO nobody writes to once hung the connection for
    // ever (issue #13; libssh opened it): refused at once, in one line that says why.
    void knownHostsFifoDoesNotHang()
    {
        const QString fifo = m_sshd.path("known_hosts_fifo");
        QFile::remove(fifo);
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        SshTarget t = target();
        t.knownHostsFile = fifo.toStdString();
        QElapsedTimer clock;
        clock.start();
        SshNodeShell node(t, &m_prompter, noRoot());
        auto info = node.connectAndWait();
        QVERIFY(!info.ok());
        QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(info.error().oneLine().find("is not a regular file") != std::string::npos, info.error().oneLine().c_str());
    }

    void exitStatusAndStderr()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QVERIFY(node.connectAndWait().ok());
        auto r = node.run(RemoteCommand("ls").arg(*RemotePath::parse("/nonexistent/pp-rm")), opts(10));
        QVERIFY(r.ok());
        QCOMPARE(r->exitStatus, 2);
        QVERIFY(r->err.find("No such file") != std::string::npos);
        QVERIFY(!r->succeeded());
    }

    // ssh-agent creates its socket file at bind() and answers only after listen(): under
    // load (CI's sanitizer phase) an ssh-add in between is refused. Ready means it answers
    // `ssh-add -l` with "no identities" (exit 1), not "cannot connect" (exit 2).
    static QString startAgent(QProcess &agent, const QString &sock)
    {
        QFile::remove(sock);
        agent.start("ssh-agent", {"-D", "-a", sock});
        if (!agent.waitForStarted())
            return "ssh-agent did not start: " + agent.errorString();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SSH_AUTH_SOCK", sock);
        QDeadlineTimer deadline(15000);
        int answer = -1;
        while (!deadline.hasExpired()) {
            QProcess list;
            list.setProcessEnvironment(env);
            list.start("ssh-add", {"-l"});
            if (list.waitForFinished(15000) && list.exitStatus() == QProcess::NormalExit) {
                answer = list.exitCode();
                if (answer == 1)
                    return {};
            }
            QThread::msleep(50);
        }
        return QStringLiteral("ssh-agent at %1 never answered (ssh-add -l exit %2)").arg(sock).arg(answer);
    }
    static QString addToAgent(const QString &sock, const QString &key)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SSH_AUTH_SOCK", sock);
        QProcess add;
        add.setProcessEnvironment(env);
        add.start("ssh-add", {"-q", key});
        if (!add.waitForFinished(15000))
            return "ssh-add " + key + " did not finish in 15 s";
        if (add.exitCode() != 0)
            return QStringLiteral("ssh-add %1 exit %2: %3").arg(key).arg(add.exitCode())
                .arg(QString::fromLocal8Bit(add.readAllStandardError()).trimmed());
        return {};
    }

    void agentAuth()
    {
        const QString sock = m_sshd.path("agent.sock");
        QProcess agent;
        const QString started = startAgent(agent, sock);
        QVERIFY2(started.isEmpty(), qPrintable(started));
        const QString added = addToAgent(sock, m_sshd.clientKey());
        QVERIFY2(added.isEmpty(), qPrintable(added));

        SshTarget t = target();
        t.identityFile.reset();   // the agent is the only way in
        qputenv("SSH_AUTH_SOCK", sock.toLocal8Bit());
        SshNodeShell node(t, &m_prompter, noRoot());
        auto info = node.connectAndWait();
        qunsetenv("SSH_AUTH_SOCK");
        agent.kill();
        agent.waitForFinished();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
    }

    // IdentitiesOnly: an agent full of other keys (an engineer's laptop) must not use up
    // the server's MaxAuthTries (6) before the configured key is tried; ssh connects there.
    void identitiesOnlyKeepsTheAgentQuiet_data()
    {
        QTest::addColumn<bool>("identitiesOnly");
        QTest::addColumn<int>("agentKeys");    // other keys in the agent
        QTest::addColumn<bool>("connects");   // what ssh does with this config and agent
        QTest::newRow("IdentitiesOnly yes") << true << 7 << true;
        QTest::newRow("IdentitiesOnly no: the agent's keys first") << false << 7 << false;
        // Each agent key is offered once: 3 of them and the file's key make 4 tries.
        QTest::newRow("IdentitiesOnly no, 3 agent keys") << false << 3 << true;
    }
    void identitiesOnlyKeepsTheAgentQuiet()
    {
        QFETCH(bool, identitiesOnly);
        QFETCH(int, agentKeys);
        QFETCH(bool, connects);
        const QString sock = m_sshd.path("agent_many.sock");
        QProcess agent;
        auto stop = qScopeGuard([&] {
            qunsetenv("SSH_AUTH_SOCK");
            agent.kill();
            agent.waitForFinished();
        });
        const QString started = startAgent(agent, sock);
        QVERIFY2(started.isEmpty(), qPrintable(started));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SSH_AUTH_SOCK", sock);
        for (int i = 0; i < agentKeys; ++i) {
            const QString key = m_sshd.path(QStringLiteral("agent_other_%1").arg(i));
            if (!QFile::exists(key))
                QCOMPARE(QProcess::execute("ssh-keygen", {"-q", "-t", "ed25519", "-N", "", "-f", key}), 0);
            const QString added = addToAgent(sock, key);
            QVERIFY2(added.isEmpty(), qPrintable(added));
        }
        const QString cfg = nodeConfig("identities_only_config", m_sshd.knownHosts(),
                                       QString("  IdentitiesOnly %1\n").arg(identitiesOnly ? "yes" : "no"));
        QVERIFY(!cfg.isEmpty());
        QProcess ssh;
        ssh.setProcessEnvironment(env);
        ssh.start("ssh", {"-F", cfg, "-o", "BatchMode=yes", "pp-rm-node", "true"});
        QVERIFY(ssh.waitForFinished(15000));
        QVERIFY2((ssh.exitCode() == 0) == connects, ssh.readAllStandardError().constData());

        qputenv("SSH_AUTH_SOCK", sock.toLocal8Bit());
        SshTarget t;
        t.host = "pp-rm-node";
        t.configFile = cfg.toStdString();
        SshNodeShell node(t, &m_prompter, noRoot());
        auto info = node.connectAndWait();
        QVERIFY2(info.ok() == connects, info.ok() ? "PodPath connected" : info.error().oneLine().c_str());
    }

    void noUsableKeyIsDeniedWithWhatWasTried()
    {
        SshTarget t = target();
        t.identityFile = m_sshd.path("other_host_ed25519").toStdString();   // a key the server does not know
        SshNodeShell node(t, &m_prompter, noRoot());
        auto info = node.connectAndWait();
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, std::string("SSH_AUTH_FAILED"));
        QVERIFY(info.error().message.find("Permission denied") != std::string::npos);
        QVERIFY(info.error().context.find("agent") != std::string::npos);
        QVERIFY(info.error().context.find("identity files") != std::string::npos);
    }

    // Password login through the prompter: a wrong password is asked for three times
    // (as OpenSSH does), refused, and never appears in the error. The server offers
    // password logins for this test only (no account's password is changed or known).
    void wrongLoginPassword()
    {
        LoopbackSshd passwords;
        const QString why = passwords.start("PasswordAuthentication yes\nPermitRootLogin yes\n");
        QVERIFY2(why.isEmpty(), qPrintable(why));
        SshTarget t;
        t.host = "127.0.0.1";
        t.user = LoopbackSshd::user().toStdString();
        t.port = *Port::of(std::uint64_t(passwords.port()));
        t.knownHostsFile = passwords.knownHosts().toStdString();
        t.configFile = m_sshd.path("empty_config").toStdString();
        t.identityFile = passwords.path("other_host_ed25519").toStdString();   // a key it will refuse
        ScriptedPrompter p;
        p.passwordAnswer = "pp-rm-not-the-password";
        SshNodeShell node(t, &p, noRoot());
        auto info = node.connectAndWait();
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, std::string("SSH_AUTH_FAILED"));
        QCOMPARE(p.passwordQuestions.load(), 3);
        const std::string line = info.error().oneLine();
        QVERIFY(line.find("password: rejected") != std::string::npos);
        QVERIFY(line.find("pp-rm-not-the-password") == std::string::npos);
        qInfo("%s", line.c_str());
    }

    void unknownHostKeyRefused()
    {
        SshTarget t = target();
        t.knownHostsFile = m_sshd.path("kh_refused").toStdString();
        ScriptedPrompter p;
        p.hostKeyDecision = HostKeyDecision::Refuse;
        SshNodeShell node(t, &p, noRoot());
        auto info = node.connectAndWait();
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, std::string("SSH_HOST_KEY_UNKNOWN"));
        QCOMPARE(p.hostKeyQuestions.load(), 1);
        QVERIFY(!QFile::exists(m_sshd.path("kh_refused")));
        // The file named does not exist: said, not only "not a known host".
        QVERIFY2(info.error().message.find("kh_refused does not exist") != std::string::npos, info.error().oneLine().c_str());

        // The headless default is the same: refused unless a flag accepts it.
        CliPrompter cli;
        SshNodeShell headless(t, &cli, noRoot());
        auto again = headless.connectAndWait();
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, std::string("SSH_HOST_KEY_UNKNOWN"));
    }

    void unknownHostKeyAcceptedOnce()
    {
        SshTarget t = target();
        t.knownHostsFile = m_sshd.path("kh_once").toStdString();
        ScriptedPrompter p;
        p.hostKeyDecision = HostKeyDecision::AcceptOnce;
        SshNodeShell node(t, &p, noRoot());
        QVERIFY(node.connectAndWait().ok());
        QCOMPARE(p.hostKeyQuestions.load(), 1);
        QCOMPARE(p.lastQuestion.keyType, std::string("ssh-ed25519"));
        QVERIFY(!QFile::exists(m_sshd.path("kh_once")) || QFileInfo(m_sshd.path("kh_once")).size() == 0);
    }

    // Saved keys are in OpenSSH's format: `ssh` itself then trusts the node.
    void unknownHostKeyAcceptedAndSavedIsSharedWithOpenSsh()
    {
        const QString kh = m_sshd.path("kh_saved");
        SshTarget t = target();
        t.knownHostsFile = kh.toStdString();
        ScriptedPrompter p;
        p.hostKeyDecision = HostKeyDecision::AcceptAndSave;
        SshNodeShell node(t, &p, noRoot());
        QVERIFY(node.connectAndWait().ok());

        QProcess fp;
        fp.start("ssh-keygen", {"-lf", m_sshd.path("host_ed25519.pub")});
        QVERIFY(fp.waitForFinished(5000));
        const QString expected = QString::fromUtf8(fp.readAllStandardOutput()).split(' ').value(1);
        QCOMPARE(QString::fromStdString(p.lastQuestion.fingerprint), expected);

        QProcess ssh;
        ssh.start("ssh", {"-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o",
                          "UserKnownHostsFile=" + kh, "-i", m_sshd.clientKey(), "-p", QString::number(m_sshd.port()),
                          LoopbackSshd::user() + "@127.0.0.1", "true"});
        QVERIFY(ssh.waitForFinished(15000));
        QVERIFY2(ssh.exitCode() == 0, ssh.readAllStandardError().constData());

        // And the next connection asks nothing.
        ScriptedPrompter quiet;
        SshNodeShell second(t, &quiet, noRoot());
        QVERIFY(second.connectAndWait().ok());
        QCOMPARE(quiet.hostKeyQuestions.load(), 0);
    }

    void changedHostKeyIsRefusedWithoutAsking()
    {
        const QString kh = m_sshd.path("kh_changed");
        m_sshd.writeKnownHosts(kh, m_sshd.path("other_host_ed25519.pub"));
        SshTarget t = target();
        t.knownHostsFile = kh.toStdString();
        ScriptedPrompter p;
        p.hostKeyDecision = HostKeyDecision::AcceptAndSave;   // must not matter
        SshNodeShell node(t, &p, noRoot());
        auto info = node.connectAndWait();
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, std::string("SSH_HOST_KEY_CHANGED"));
        QCOMPARE(p.hostKeyQuestions.load(), 0);
        const std::string line = info.error().oneLine();
        QVERIFY(line.find("REMOTE HOST IDENTIFICATION HAS CHANGED") != std::string::npos);
        QVERIFY(line.find("SHA256:") != std::string::npos);
        QVERIFY(line.find("ssh-keygen -R") != std::string::npos);
        qInfo("%s", line.c_str());
    }

    // OpenSSH's decision table, row by row: the real `ssh` and PodPath read the same
    // known_hosts file and must agree on connecting or refusing. {H} is [127.0.0.1]:PORT,
    // {KEY} the node's key, {OTHER} another ed25519 key, {ECDSA} a key of another type.
    // "accept": the prompter would accept and save an unknown key (as --accept-host-key):
    // it must never be asked, nor the file written, for a changed or revoked key.
    void hostKeyDecisionsAgreeWithOpenSsh_data()
    {
        QTest::addColumn<QString>("knownHosts");
        QTest::addColumn<bool>("hashed");     // run through ssh-keygen -H first
        QTest::addColumn<bool>("accept");     // CliPrompter as --accept-host-key makes it
        QTest::addColumn<bool>("connects");   // what ssh -o StrictHostKeyChecking=yes does
        QTest::addColumn<QString>("code");    // PodPath's error code when it refuses
        QTest::newRow("known") << "{H} {KEY}\n" << false << false << true << "";
        QTest::newRow("unknown") << "[127.0.0.2]:22 {KEY}\n" << false << false << false << "SSH_HOST_KEY_UNKNOWN";
        QTest::newRow("changed") << "{H} {OTHER}\n" << false << true << false << "SSH_HOST_KEY_CHANGED";
        QTest::newRow("changed + one malformed line for the host")
            << "{H} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIbroken\n{H} {OTHER}\n" << false << true << false
            << "SSH_HOST_KEY_CHANGED";
        QTest::newRow("revoked") << "{H} {KEY}\n@revoked * {KEY}\n" << false << false << false
                                 << "SSH_HOST_KEY_REVOKED";
        QTest::newRow("revoked + --accept-host-key") << "@revoked {H} {KEY}\n" << false << true << false
                                                     << "SSH_HOST_KEY_REVOKED";
        QTest::newRow("other type") << "{H} {ECDSA}\n" << false << true << false << "SSH_HOST_KEY_CHANGED";
        QTest::newRow("@cert-authority only") << "@cert-authority {H} {KEY}\n" << false << false << false
                                              << "SSH_HOST_KEY_UNKNOWN";
        QTest::newRow("hashed known") << "{H} {KEY}\n" << true << false << true << "";
        QTest::newRow("hashed changed") << "{H} {OTHER}\n" << true << true << false << "SSH_HOST_KEY_CHANGED";
        QTest::newRow("negated pattern") << "!{H},[127.0.0.1]:* {KEY}\n" << false << false << false
                                         << "SSH_HOST_KEY_UNKNOWN";
        QTest::newRow("wildcard pattern") << "[127.0.0.?]:* {KEY}\n" << false << false << true << "";
        QTest::newRow("known without the port") << "127.0.0.1 {KEY}\n" << false << false << true << "";
    }
    void hostKeyDecisionsAgreeWithOpenSsh()
    {
        QFETCH(QString, knownHosts);
        QFETCH(bool, hashed);
        QFETCH(bool, accept);
        QFETCH(bool, connects);
        QFETCH(QString, code);

        if (!QFile::exists(m_sshd.path("ecdsa_key.pub")))
            QCOMPARE(QProcess::execute("ssh-keygen", {"-q", "-t", "ecdsa", "-N", "", "-f", m_sshd.path("ecdsa_key")}), 0);
        const QString text = QString(knownHosts)
                                 .replace("{H}", QString("[127.0.0.1]:%1").arg(m_sshd.port()))
                                 .replace("{KEY}", publicKey("host_ed25519.pub"))
                                 .replace("{OTHER}", publicKey("other_host_ed25519.pub"))
                                 .replace("{ECDSA}", publicKey("ecdsa_key.pub"));
        QVERIFY(!text.contains("{") && !text.contains(" \n"));
        const QString kh = m_sshd.path("kh_table");
        QFile::remove(kh);
        QFile::remove(kh + ".old");
        {
            QFile f(kh);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text.toUtf8());
        }
        if (hashed) {
            QProcess keygen;   // its notes on the backup file are not for the test's output
            keygen.start("ssh-keygen", {"-H", "-f", kh});
            QVERIFY(keygen.waitForFinished(10000));
            QCOMPARE(keygen.exitCode(), 0);
            QFile::remove(kh + ".old");
        }
        auto contents = [&] {
            QFile f(kh);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        const QByteArray before = contents();
        QVERIFY(hashed == before.startsWith("|1|"));

        QProcess ssh;
        ssh.start("ssh", {"-F", "/dev/null", "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=" + kh, "-o",
                          "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null", "-p",
                          QString::number(m_sshd.port()), "-i", m_sshd.clientKey(), LoopbackSshd::user() + "@127.0.0.1",
                          "true"});
        QVERIFY(ssh.waitForFinished(15000));
        const QByteArray sshSaid = ssh.readAllStandardError();
        QVERIFY2((ssh.exitCode() == 0) == connects, sshSaid.constData());
        QCOMPARE(contents(), before);

        SshTarget t = target();
        t.knownHostsFile = kh.toStdString();
        ScriptedPrompter scripted;
        scripted.hostKeyDecision = HostKeyDecision::Refuse;
        CliPrompter cli(CliPrompter::Options{HostKeyDecision::AcceptAndSave, "/dev/null"});
        SshNodeShell node(t, accept ? static_cast<SshPrompter *>(&cli) : &scripted, noRoot());
        auto info = node.connectAndWait();
        QVERIFY2(info.ok() == connects, info.ok() ? "PodPath connected" : info.error().oneLine().c_str());
        if (!connects) {
            QCOMPARE(QString::fromStdString(info.error().code), code);
            // The same kind of refusal as ssh's: its words for each of PodPath's codes.
            const std::map<QString, QByteArray> sshWords{{"SSH_HOST_KEY_UNKNOWN", "host key is known for"},
                                                         {"SSH_HOST_KEY_CHANGED", "has changed"},
                                                         {"SSH_HOST_KEY_REVOKED", "was revoked"}};
            QVERIFY2(sshWords.count(code) && sshSaid.contains(sshWords.at(code)), sshSaid.constData());
            const QList<QByteArray> said = sshSaid.trimmed().split('\n');
            qInfo("ssh: %s", said.value(said.size() - 2).constData());   // the line before "verification failed"
            qInfo("PodPath: %s", info.error().oneLine().c_str());
        }
        if (code == "SSH_HOST_KEY_CHANGED" || code == "SSH_HOST_KEY_REVOKED")
            QCOMPARE(scripted.hostKeyQuestions.load(), 0);
        if (code == "SSH_HOST_KEY_REVOKED") {
            const std::string line = info.error().oneLine();
            QVERIFY2(line.find(kh.toStdString() + ":") != std::string::npos, line.c_str());  // file and line
            QVERIFY2(line.find("REVOKED") != std::string::npos, line.c_str());
        }
        QCOMPARE(contents(), before);   // refused or known: nothing written
    }

    void sshConfigAlias()
    {
        const QString cfg = nodeConfig("alias_config", m_sshd.knownHosts());
        QVERIFY(!cfg.isEmpty());
        SshTarget t;
        t.host = "pp-rm-node";
        t.configFile = cfg.toStdString();
        SshNodeShell node(t, &m_prompter, noRoot());
        auto info = node.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        QCOMPARE(info->user, LoopbackSshd::user().toStdString());
    }

    // HostKeyAlias: ssh looks the key up, and saves an accepted one, under the alias
    // alone (no port, no fallback to the host's name); PodPath agrees with ssh on each row.
    void hostKeyAliasAsSshDoes_data()
    {
        QTest::addColumn<QString>("knownHosts");
        QTest::addColumn<bool>("accept");
        QTest::addColumn<bool>("connects");  // what ssh -o StrictHostKeyChecking=yes does
        QTest::addColumn<QString>("code");
        QTest::newRow("known under the alias") << "pp-rm-keyalias {KEY}\n" << false << true << "";
        QTest::newRow("known only under the address") << "{H} {KEY}\n" << false << false << "SSH_HOST_KEY_UNKNOWN";
        QTest::newRow("changed under the alias") << "pp-rm-keyalias {OTHER}\n{H} {KEY}\n" << true << false
                                                 << "SSH_HOST_KEY_CHANGED";
        QTest::newRow("unknown, accepted and saved") << "" << true << false << "";
    }
    void hostKeyAliasAsSshDoes()
    {
        QFETCH(QString, knownHosts);
        QFETCH(bool, accept);
        QFETCH(bool, connects);
        QFETCH(QString, code);
        const QString kh = m_sshd.path("kh_alias");
        QFile::remove(kh);
        {
            QFile f(kh);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QString(knownHosts)
                        .replace("{H}", QString("[127.0.0.1]:%1").arg(m_sshd.port()))
                        .replace("{KEY}", publicKey("host_ed25519.pub"))
                        .replace("{OTHER}", publicKey("other_host_ed25519.pub"))
                        .toUtf8());
        }
        const QString cfg =
            nodeConfig("keyalias_config", kh, "  GlobalKnownHostsFile /dev/null\n  HostKeyAlias pp-rm-keyalias\n");
        QVERIFY(!cfg.isEmpty());
        auto sshConnects = [&] {
            QProcess ssh;
            ssh.start("ssh", {"-F", cfg, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "pp-rm-node", "true"});
            return ssh.waitForFinished(15000) && ssh.exitStatus() == QProcess::NormalExit && ssh.exitCode() == 0;
        };
        QCOMPARE(sshConnects(), connects);

        SshTarget t;
        t.host = "pp-rm-node";
        t.configFile = cfg.toStdString();
        ScriptedPrompter scripted;
        scripted.hostKeyDecision = HostKeyDecision::Refuse;
        CliPrompter cli(CliPrompter::Options{HostKeyDecision::AcceptAndSave, "/dev/null"});
        SshNodeShell node(t, accept ? static_cast<SshPrompter *>(&cli) : &scripted, noRoot());
        auto info = node.connectAndWait();
        QVERIFY2(info.ok() == code.isEmpty(), info.ok() ? "PodPath connected" : info.error().oneLine().c_str());
        if (!info.ok()) {
            QCOMPARE(QString::fromStdString(info.error().code), code);
            if (code == "SSH_HOST_KEY_CHANGED")
                QVERIFY2(info.error().oneLine().find("ssh-keygen -R pp-rm-keyalias") != std::string::npos,
                         info.error().oneLine().c_str());
        }
        if (code.isEmpty() && !connects) {
            // Saved under the alias, where ssh finds it: ssh now connects too.
            QFile f(kh);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray saved = f.readAll();
            QVERIFY2(saved.startsWith("pp-rm-keyalias ssh-ed25519 "), saved.constData());
            QVERIFY(sshConnects());
        }
    }

    // The issue's config: the alias is only named by `Match originalhost`, which libssh
    // 0.10 skips; PodPath asks ssh -G and reaches the node. Without OpenSSH's ssh on
    // PATH, libssh reads the file, the alias stays unresolved, and the error says what to
    // install and how to look.
    void matchOriginalhostAlias_data()
    {
        QTest::addColumn<bool>("sshOnPath");
        QTest::newRow("ssh -G resolves it") << true;
        QTest::newRow("no ssh: libssh cannot") << false;
    }
    void matchOriginalhostAlias()
    {
        QFETCH(bool, sshOnPath);
        const QString cfg = m_sshd.path("match_config");
        QFile f(cfg);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QString("Match originalhost pp-rm-match\n  HostName 127.0.0.1\n  Port %1\n  User %2\n"
                        "  IdentityFile %3\n  UserKnownHostsFile %4\nHost *\n  ConnectTimeout 5\n")
                    .arg(m_sshd.port())
                    .arg(LoopbackSshd::user(), m_sshd.clientKey(), m_sshd.knownHosts())
                    .toUtf8());
        f.close();
        SshTarget t;
        t.host = "pp-rm-match";
        t.configFile = cfg.toStdString();
        const QByteArray path = qgetenv("PATH");
        if (!sshOnPath)
            qputenv("PATH", m_sshd.path("no-such-folder").toUtf8());
        auto restore = qScopeGuard([&] { qputenv("PATH", path); });
        SshNodeShell node(t, &m_prompter, noRoot());
        auto info = node.connectAndWait();
        if (sshOnPath) {
            QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
            QCOMPARE(info->user, LoopbackSshd::user().toStdString());
            QVERIFY(node.run(RemoteCommand("true"), opts(10))->succeeded());
        } else {
            QVERIFY(!info.ok());
            const std::string line = info.error().oneLine();
            QCOMPARE(info.error().code, std::string("SSH_CONNECT_FAILED"));
            QVERIFY2(line.find("install OpenSSH's client") != std::string::npos, line.c_str());
            QVERIFY2(line.find("ssh -G pp-rm-match") != std::string::npos, line.c_str());
        }
    }

    // ProxyJump from the config, and an explicit jump host: the connection goes through
    // OpenSSH's `ssh -W` (a child of this process while it lasts).
    void jumpHost_data()
    {
        QTest::addColumn<bool>("fromConfig");
        QTest::addColumn<QString>("knownHostsName");  // where the known_hosts file is copied
        QTest::newRow("ProxyJump in ssh config") << true << "";
        QTest::newRow("explicit jump host") << false << "";
        // OpenSSH split such a path at the blank and expanded the %d; libssh expanded it too.
        QTest::newRow("known_hosts path with a blank and %") << false << "known hosts %d";
    }
    void jumpHost()
    {
        QFETCH(bool, fromConfig);
        QFETCH(QString, knownHostsName);
        QString knownHosts = m_sshd.knownHosts();
        if (!knownHostsName.isEmpty()) {
            knownHosts = m_sshd.path(knownHostsName);
            QFile::remove(knownHosts);
            QVERIFY(QFile::copy(m_sshd.knownHosts(), knownHosts));
        }
        const QString cfg = m_sshd.path("jump_config");
        QFile f(cfg);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QString text = QString("Host pp-rm-behind\n  HostName 127.0.0.1\n  Port %1\n") .arg(m_sshd.port());
        if (fromConfig) {
            // ssh refuses a ProxyJump naming the target itself ("jumphost loop via
            // 127.0.0.1"): the jump is the same sshd by another name, known by it too.
            text += QString("  ProxyJump %1@localhost:%2\n").arg(LoopbackSshd::user()).arg(m_sshd.port());
            knownHosts = m_sshd.path("known_hosts_jump");
            QFile::remove(knownHosts);
            QVERIFY(QFile::copy(m_sshd.knownHosts(), knownHosts));
            QFile kh(knownHosts);
            QVERIFY(kh.open(QIODevice::ReadWrite | QIODevice::Append));
            kh.seek(0);
            const QByteArray line = kh.readAll();
            kh.write(QByteArray(line).replace("[127.0.0.1]", "[localhost]"));
        }
        text += QString("Host *\n  User %1\n  IdentityFile %2\n")
                    .arg(LoopbackSshd::user(), m_sshd.clientKey());
        f.write(text.toUtf8());
        f.close();
        SshTarget t;
        t.host = "pp-rm-behind";
        t.configFile = cfg.toStdString();
        t.knownHostsFile = knownHosts.toStdString();
        if (!fromConfig)
            t.jump = *parseJumpHost((LoopbackSshd::user() + "@127.0.0.1:" + QString::number(m_sshd.port())).toStdString());
        SshNodeShell node(t, &m_prompter, noRoot());
        auto info = node.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        QProcess pgrep;
        pgrep.start("pgrep", {"-P", QString::number(QCoreApplication::applicationPid()), "-x", "ssh"});
        QVERIFY(pgrep.waitForFinished(5000));
        QVERIFY2(pgrep.exitCode() == 0, "no ssh -W child: the jump host was not used");
        QVERIFY(node.run(RemoteCommand("true"), opts(10))->succeeded());

        // A jump host that is not there fails the connection.
        SshTarget broken = t;
        broken.jump = *parseJumpHost("127.0.0.1:1");
        SshNodeShell unreachable(broken, &m_prompter, noRoot());
        auto failed = unreachable.connectAndWait();
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().code, std::string("SSH_CONNECT_FAILED"));
    }

    // IPv6 literals where an engineer writes them (issue #14): a target in brackets, a
    // jump host in brackets, a HostName in ssh config; the same sshd listens on ::1.
    void ipv6Literals_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("target [::1]:port") << "target";
        QTest::newRow("jump host [::1]:port") << "jump";
        QTest::newRow("ssh config HostName ::1") << "config";
    }
    void ipv6Literals()
    {
        QFETCH(QString, how);
        if (QProcess::execute("sh", {"-c", "ip -6 addr show dev lo | grep -q '::1/128'"}) != 0)
            QSKIP("this machine has no IPv6 loopback address");
        const QString port = QString::number(m_sshd.port()), user = LoopbackSshd::user();
        SshTarget t = target();
        if (how == QLatin1String("target")) {
            auto parsed = SshTarget::parse((user + "@[::1]:" + port).toStdString());
            QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().oneLine().c_str());
            t.host = parsed->host;
            t.port = parsed->port;
        } else if (how == QLatin1String("jump")) {
            auto jump = parseJumpHost((user + "@[::1]:" + port).toStdString());
            QVERIFY2(jump.ok(), jump.ok() ? "" : jump.error().oneLine().c_str());
            t.jump = *jump;
            // The jump's own ssh takes its key from the config, as `ssh -J` does.
            const QString cfg = m_sshd.path("v6_jump_config");
            QFile f(cfg);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QString("Host *\n  IdentityFile %1\n").arg(m_sshd.clientKey()).toUtf8());
            f.close();
            t.configFile = cfg.toStdString();
        } else {
            const QString cfg = m_sshd.path("v6_config");
            QFile f(cfg);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QString("Host pp-rm-v6\n  HostName ::1\n  Port %1\n  User %2\n").arg(port, user).toUtf8());
            f.close();
            t.host = "pp-rm-v6";
            t.port.reset();
            t.user.reset();
            t.configFile = cfg.toStdString();
        }
        SshNodeShell node(t, &m_prompter, noRoot());
        auto info = node.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        // The node saw the connection come from where it was meant to.
        auto r = node.run(RemoteCommand("printenv").arg(*Word::parse("SSH_CONNECTION")), opts(10));
        QVERIFY(r.ok());
        QVERIFY2(QString::fromStdString(r->out).startsWith(how == QLatin1String("jump") ? "127.0.0.1 " : "::1 "),
                 r->out.c_str());
    }

    void timeoutOnTheNode()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QVERIFY(node.connectAndWait().ok());
        QElapsedTimer t;
        t.start();
        auto r = node.run(RemoteCommand("sleep").arg(secs(30)), opts(1));
        QVERIFY(r.ok());
        QVERIFY(r->timedOut);
        QCOMPARE(r->exitStatus, 124);
        QVERIFY(t.elapsed() < 5000);
    }

    void cancelStopsTheCommandOnTheNode()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QVERIFY(node.connectAndWait().ok());
        auto h = node.start(RemoteCommand("sleep").arg(secs(4711)), opts(600));
        QTRY_COMPARE_WITH_TIMEOUT(nodeProcessesMatching(4711) > 0, true, 10000);
        QElapsedTimer t;
        t.start();
        h->cancel();
        QVERIFY(h->waitForFinished(std::chrono::milliseconds(2000)));
        QVERIFY(h->result().ok());
        QVERIFY(h->result()->cancelled);
        QTRY_COMPARE_WITH_TIMEOUT(nodeProcessesMatching(4711), 0, 5000);
        qInfo("cancel to nothing left on the node: %lld ms", t.elapsed());
    }

    void stopLetsTheCommandSayItsLastWords()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QVERIFY(node.connectAndWait().ok());
        auto h = node.start(RemoteCommand("sleep").arg(secs(4712)), opts(600));
        QTRY_COMPARE_WITH_TIMEOUT(nodeProcessesMatching(4712) > 0, true, 10000);
        h->stop();
        QVERIFY(h->waitForFinished(std::chrono::milliseconds(5000)));
        QVERIFY(h->result()->cancelled);
        QVERIFY(h->result()->exitStatus.has_value());   // the wrapper reported how it ended
        QCOMPARE(nodeProcessesMatching(4712), 0);
    }

    // A batch over a real session: each read comes back as it would alone; when the
    // bound runs out mid-batch, what finished is kept and the rest says why, and
    // cancelling a part stops the whole batch on the node.
    void batchOfReads_data()
    {
        QTest::addColumn<int>("bound");
        QTest::addColumn<int>("complete");
        QTest::newRow("all finish") << 20 << 4;
        QTest::newRow("bound runs out at the sleep") << 1 << 2;
    }
    void batchOfReads()
    {
        QFETCH(int, bound);
        QFETCH(int, complete);
        SshNodeShell node(target(), &m_prompter, noRoot());
        QVERIFY(node.connectAndWait().ok());
        const std::vector<RemoteCommand> cmds = {
            RemoteCommand("id").flag("-u"), RemoteCommand("ls").arg(*RemotePath::parse("/nonexistent/pp-batch")),
            RemoteCommand("sleep").flag("3"), RemoteCommand("uname").flag("-n")};
        auto parts = node.startAll(cmds, opts(bound));
        QCOMPARE(parts.size(), cmds.size());
        for (std::size_t i = 0; i < cmds.size(); ++i) {
            QVERIFY(parts[i]->waitForFinished(std::chrono::milliseconds(15000)));
            const auto &r = parts[i]->result();
            if (int(i) >= complete) {
                QVERIFY(!r.ok());
                QCOMPARE(r.error().code, std::string("BATCH_UNFINISHED"));
                continue;
            }
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
            auto alone = node.run(cmds[i], opts(20));
            QVERIFY(alone.ok());
            QCOMPARE(r->exitStatus, alone->exitStatus);
            QCOMPARE(r->out, alone->out);
            QCOMPARE(r->err, alone->err);
        }
        auto more = node.startAll({RemoteCommand("sleep").arg(secs(4731)), RemoteCommand("true")}, opts(600));
        QTRY_COMPARE_WITH_TIMEOUT(nodeProcessesMatching(4731) > 0, true, 10000);
        more[1]->cancel();
        for (auto &h : more) {
            QVERIFY(h->waitForFinished(std::chrono::milliseconds(5000)));
            QVERIFY(!h->result().ok());
        }
        QTRY_COMPARE_WITH_TIMEOUT(nodeProcessesMatching(4731), 0, 5000);
    }

    // Four commands and a stream on one session, all running on the node at the same time.
    void fourChannelsAtOnce()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QVERIFY(node.connectAndWait().ok());
        std::atomic<std::uint64_t> streamed{0};
        auto stream = node.stream(RemoteCommand("ping").flag("-c").arg(*Count::of(20)).flag("-i").flag("0.5")
                                      .arg(*Ipv4::parse("127.0.0.1")),
                                  opts(60), [&](std::string_view c) { streamed += c.size(); });
        std::vector<CommandHandle> handles;
        RunOptions own = opts(120);
        own.ownChannel = true;   // not one after the other in the command shell
        for (int i = 0; i < 4; ++i)
            handles.push_back(node.start(RemoteCommand("sleep").arg(secs(4721)), own));
        QTRY_COMPARE_WITH_TIMEOUT(nodeCount("^sleep.472[1]"), 4, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(streamed.load() > 0, 10000);
        QVERIFY(!stream->isFinished());
        for (auto &h : handles) {
            QVERIFY(!h->isFinished());
            h->cancel();
        }
        stream->stop();
        for (auto &h : handles) {
            QVERIFY(h->waitForFinished(std::chrono::milliseconds(5000)));
            QVERIFY(h->result()->cancelled);
        }
        QVERIFY(stream->waitForFinished(std::chrono::milliseconds(10000)));
        QVERIFY(stream->result().ok());
        QVERIFY(stream->result()->cancelled);
        QTRY_COMPARE_WITH_TIMEOUT(nodeProcessesMatching(4721), 0, 10000);
    }

    // Short commands share one login: they take turns in the command shell, and the
    // node's login shell starts twice for all of them (the shell, the spare for a capture).
    void commandsTakeTurnsInOneCommandShell()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QVERIFY(node.connectAndWait().ok());
        QElapsedTimer t;
        t.start();
        std::vector<CommandHandle> handles;
        for (int i = 0; i < 6; ++i)
            handles.push_back(node.start(RemoteCommand("sleep").flag("0.2"), opts(30)));
        for (auto &h : handles) {
            QVERIFY(h->waitForFinished(std::chrono::milliseconds(20000)));
            QVERIFY2(h->result().ok() && h->result()->succeeded(), h->commandLine().c_str());
        }
        // One after the other, not at once: six fifth-second sleeps take at least 1.2 s.
        QVERIFY2(t.elapsed() >= 1200, qPrintable(QString::number(t.elapsed())));
        const NodeInfo info = node.info();
        QCOMPARE(info.logins, 1);
        QVERIFY2(info.execs <= 2, qPrintable(QString::number(info.execs)));
    }

    void outputCapStopsTheCommand()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QVERIFY(node.connectAndWait().ok());
        RunOptions o = opts(60);
        o.maxOutputBytes = 1024 * 1024;
        auto r = node.run(RemoteCommand("cat").arg(*RemotePath::parse("/dev/zero")), o);
        QVERIFY(r.ok());
        QVERIFY(r->truncated);
        QCOMPARE(r->out.size(), o.maxOutputBytes);
        QVERIFY(!r->exitStatus.has_value());
        // This node is this machine: nothing may be left reading /dev/zero.
        auto catAlive = [] {
            QProcess pgrep;
            pgrep.start("pgrep", {"-f", "[c]at /dev/zero"});
            pgrep.waitForFinished(5000);
            return pgrep.exitCode() == 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(!catAlive(), 5000);
    }

    void fiftyMegabytesWithFlatMemory()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QVERIFY(node.connectAndWait().ok());
        const std::uint64_t total = 50ull * 1024 * 1024;
        RunOptions o = opts(120);
        o.maxOutputBytes = 64 * 1024 * 1024;
        std::atomic<std::uint64_t> seen{0};
        std::atomic<long> peak{0};
        const long before = rssKb();
        auto h = node.stream(RemoteCommand("head").flag("-c").arg(*Count::of(total)).arg(*RemotePath::parse("/dev/zero")),
                             o, [&](std::string_view c) {
                                 seen += c.size();
                                 if ((seen.load() & 0xFFFFF) < c.size())
                                     peak = std::max(peak.load(), rssKb());
                             });
        QVERIFY(h->waitForFinished(std::chrono::milliseconds(120000)));
        QVERIFY(h->result().ok());
        QVERIFY(h->result()->succeeded());
        QCOMPARE(h->result()->outBytes, total);
        QCOMPARE(seen.load(), total);
        const long growth = std::max(peak.load(), rssKb()) - before;
        qInfo("50 MB streamed: RSS %ld kB before, grew by at most %ld kB", before, growth);
#if PP_ASAN
        qInfo("AddressSanitizer keeps freed memory in quarantine: RSS is not judged in this build");
#else
        QVERIFY(growth < 20 * 1024);
#endif
    }

    void serverGoesAwayMidCommandThenReconnect()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QSignalSpy lost(&node, &SshNodeShell::connectionLost);
        QVERIFY(node.connectAndWait().ok());
        auto h = node.start(RemoteCommand("sleep").arg(secs(30)), opts(60));
        QThread::msleep(500);
        m_sshd.killConnections();
        QVERIFY(h->waitForFinished(std::chrono::milliseconds(5000)));
        QVERIFY(!h->result().ok());
        QCOMPARE(h->result().error().code, std::string("SSH_CONNECTION_LOST"));
        QTRY_COMPARE_WITH_TIMEOUT(lost.count(), 1, 2000);

        // Until it reconnects, a command says the connection was lost, and why.
        auto after = node.run(RemoteCommand("true"), opts(5));
        QVERIFY(!after.ok());
        QCOMPARE(after.error().code, std::string("SSH_CONNECTION_LOST"));
        QVERIFY2(!after.error().context.empty(), after.error().oneLine().c_str());

        QVERIFY(node.connectAndWait().ok());
        QVERIFY(node.run(RemoteCommand("true"), opts(5))->succeeded());
    }

    // A command that prints nothing for longer than the liveness patience is not a
    // silent node: the server answers PodPath's question, the command runs to its end.
    void quietCommandIsNotASilentNode()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QSignalSpy lost(&node, &SshNodeShell::connectionLost);
        QVERIFY(node.connectAndWait().ok());
        const auto patience = ServerAlive::Timing{}.patience;
        const auto quiet = std::chrono::duration_cast<std::chrono::seconds>(patience).count() + 2;
        auto r = node.run(RemoteCommand("sleep").arg(secs(int(quiet))), opts(int(quiet) + 10));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
        QCOMPARE(r->exitStatus, 0);
        QCOMPARE(lost.count(), 0);
    }

    // A node that stops answering under a long command (its sshd frozen: nothing comes,
    // nothing closes) is known lost within the patience, not at the command's bound;
    // once it runs again, nothing PodPath started is left on it.
    void frozenNodeIsLostWithinThePatience()
    {
        const int marker = 47134;
        SshNodeShell node(target(), &m_prompter, noRoot());
        QSignalSpy lost(&node, &SshNodeShell::connectionLost);
        QVERIFY(node.connectAndWait().ok());
        auto h = node.start(RemoteCommand("sleep").arg(secs(marker)), opts(120));
        QTRY_COMPARE_WITH_TIMEOUT(nodeProcessesMatching(marker) > 0, true, 10000);
        m_checker.reset();
        auto thaw = qScopeGuard([&] { m_sshd.freezeConnections(false); });
        m_sshd.freezeConnections(true);
        QElapsedTimer t;
        t.start();
        const auto patience = ServerAlive::Timing{}.patience;
        QVERIFY(h->waitForFinished(patience + std::chrono::seconds(3)));
        const qint64 took = t.elapsed();
        QVERIFY(!h->result().ok());
        QCOMPARE(h->result().error().code, std::string("SSH_CONNECTION_LOST"));
        QVERIFY2(h->result().error().context.find("keepalive") != std::string::npos, h->result().error().context.c_str());
        QVERIFY2(took >= patience.count() - 2000, qPrintable(QString::number(took)));
        QTRY_COMPARE_WITH_TIMEOUT(lost.count(), 1, 2000);
        m_sshd.freezeConnections(false);
        QTRY_COMPARE_WITH_TIMEOUT(nodeProcessesMatching(marker), 0, 10000);
        qInfo("frozen node known lost after %lld ms (patience %lld ms)", took, qint64(patience.count()));
    }

    // Kill PodPath with SIGKILL during a capture: nothing it started may be left on
    // the node; the watchdog ends it at once (well under a second), long before the
    // node-side bound (`timeout 600`) would.
    void sigkillDuringCaptureLeavesNothing()
    {
        const int marker = 47133;
        QProcess victim;
        victim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        victim.start(PODPATH_CAPTURE_VICTIM,
                     {QString::number(m_sshd.port()), LoopbackSshd::user(), m_sshd.clientKey(), m_sshd.knownHosts(),
                      QString::number(marker)});
        QVERIFY(victim.waitForStarted());
        // Its log lines come first on stdout; wait for the word.
        QByteArray said;
        QElapsedTimer wait;
        wait.start();
        while (!said.contains("capturing\n") && wait.elapsed() < 30000 && victim.state() == QProcess::Running)
            if (victim.waitForReadyRead(1000))
                said += victim.readAllStandardOutput();
        QVERIFY2(said.contains("capturing\n"), "the victim could not start its capture");
        QTRY_COMPARE_WITH_TIMEOUT(nodeProcessesMatching(marker) > 0, true, 10000);
        QElapsedTimer t;
        ::kill(pid_t(victim.processId()), SIGKILL);
        t.start();
        // The loopback node is this machine: watch it closely for the real figure...
        const QString pattern = QString::number(marker).chopped(1) + "[" + QString::number(marker).right(1) + "]";
        auto leftHere = [&] {
            QProcess p;
            p.start("pgrep", {"-f", pattern});
            p.waitForFinished(5000);
            return p.exitCode() == 0;
        };
        while (leftHere() && t.elapsed() < 10000)
            QThread::msleep(20);
        const qint64 gone = t.elapsed();
        victim.waitForFinished(5000);
        qInfo("SIGKILL to nothing left on the node: %lld ms", gone);
        QVERIFY(gone < 3000);
        // ...and confirm it the way a remote node is checked: over a separate connection.
        QCOMPARE(nodeProcessesMatching(marker), 0);
    }

    // A recording of a real session replays the same results, matched by command line.
    void recordThenReplay()
    {
        SshNodeShell node(target(), &m_prompter, noRoot());
        QVERIFY(node.connectAndWait().ok());
        RecordingNodeShell recorder(node);
        auto a = recorder.run(RemoteCommand("echo").flag("one"), opts(10));
        auto b = recorder.run(RemoteCommand("ls").arg(*RemotePath::parse("/nonexistent/pp-rm")), opts(10));
        std::string streamed;
        auto s = recorder.stream(RemoteCommand("head").flag("-c").arg(*Count::of(100000)).arg(*RemotePath::parse("/dev/urandom")),
                                 opts(10), [&](std::string_view c) { streamed.append(c); });
        QVERIFY(s->waitForFinished(std::chrono::milliseconds(10000)));
        const QString file = m_sshd.path("session.json");
        QVERIFY(recorder.save(file.toStdString()).ok());

        auto rec = SessionRecording::load(file.toStdString());
        QVERIFY(rec.ok());
        ReplayNodeShell replay(*rec);
        QCOMPARE(replay.run(RemoteCommand("echo").flag("one"), opts(10))->out, a->out);
        QCOMPARE(replay.run(RemoteCommand("ls").arg(*RemotePath::parse("/nonexistent/pp-rm")), opts(10))->err, b->err);
        std::string replayed;
        auto rs = replay.stream(RemoteCommand("head").flag("-c").arg(*Count::of(100000)).arg(*RemotePath::parse("/dev/urandom")),
                                opts(10), [&](std::string_view c) { replayed.append(c); });
        QVERIFY(rs->result().ok());
        QCOMPARE(replayed.size(), std::size_t(100000));
        QVERIFY(replayed == streamed);
    }
};

// Root: sshd's privilege separation, logins as the test's own user with tcpdump on the node.
PODPATH_TEST_GUILESS_MAIN_UNLESS(TestSshLoopback,
                                 podpath::testing::whyNoRoot(QStringLiteral("the loopback sshd (privilege separation, tcpdump)")))
#include "tst_ssh_loopback.moc"
