// The remote layer against the lab's nodes (tests/lab): real users and sudo rules
// (root, ppadmin NOPASSWD, pppass with a password, ppnosudo), the lab's ssh_config and
// known_hosts, a jump through a lab node, and the SIGKILL guarantee for a capture
// running under sudo. Needs root; brings the lab up when it is down.

#include "remote/recording_node_shell.h"
#include "remote/replay_node_shell.h"
#include "remote/ssh_node_shell.h"

#include "lab_access.h"
#include "process_marker.h"
#include "process_run.h"
#include "scripted_prompter.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <signal.h>
#include <unistd.h>

using namespace podpath;
using namespace podpath::remote;

namespace {

RunOptions opts(int timeout, bool asRoot = false)
{
    RunOptions o;
    o.timeout = *Seconds::of(std::uint64_t(timeout));
    o.asRoot = asRoot;
    return o;
}

QByteArray runLab(const QStringList &args, int *exitCode, int timeoutMs = 300000)
{
    const testing::ProcessRun r = testing::runProcess(QString(PODPATH_LAB_DIR) + "/lab", args, timeoutMs);
    *exitCode = r.exitCode;
    if (!r.ok() && args.value(0) != QLatin1String("status"))
        qWarning("%s", r.failure("lab " + args.join(' ')).constData());
    return r.out;
}

} // namespace

class TestSshLab : public QObject {
    Q_OBJECT

    QJsonObject m_env;
    QString m_sudoPassword;

    QJsonObject node(int i) const { return m_env["nodes"].toArray().at(i).toObject(); }

    SshTarget target(const QString &user, int nodeIndex = 0) const
    {
        SshTarget t;
        t.host = node(nodeIndex)["host"].toString().toStdString();
        t.port = Port::of(std::uint64_t(node(nodeIndex)["port"].toInt(22)));
        t.user = user.toStdString();
        t.identityFile = m_env["key"].toString().toStdString();
        t.knownHostsFile = m_env["knownHosts"].toString().toStdString();
        t.configFile = "/dev/null";
        t.connectTimeoutSeconds = 10;
        return t;
    }

    static ConnectOptions noRoot()
    {
        ConnectOptions o;
        o.requireRoot = false;
        return o;
    }

    int nodeProcessesMatching(int marker)
    {
        ScriptedPrompter p;
        SshNodeShell checker(target("root"), &p);
        if (!checker.connectAndWait())
            return -1;
        auto r = checker.run(RemoteCommand("pgrep").flag("-f").arg(*Word::parse(testing::markerPattern(marker))), opts(20));
        if (!r)
            return -1;
        return int(std::count(r->out.begin(), r->out.end(), '\n'));
    }

private slots:
    void initTestCase()
    {
        int rc = 0;
        runLab({"status"}, &rc, 30000);
        QByteArray json = rc == 0 ? runLab({"env", "--json"}, &rc, 30000) : QByteArray();
        // Down, degraded or left with a fault (no-privilege, tcpdump-missing and
        // node-unreachable would change what is tested here): `up` builds or repairs it
        // and clears the fault (idempotent).
        if (rc != 0 || !QJsonDocument::fromJson(json).object()["fault"].isNull()) {
            runLab({"up"}, &rc);
            QVERIFY2(rc == 0, "tests/lab/lab up failed; run it by hand to see why");
            json = runLab({"env", "--json"}, &rc, 30000);
        }
        QVERIFY2(rc == 0, "tests/lab/lab env failed");
        m_env = QJsonDocument::fromJson(json).object();
        QVERIFY(m_env["nodes"].toArray().size() >= 2);
        for (const auto &u : m_env["users"].toArray())
            if (u.toObject()["sudo"].toString() == "password")
                m_sudoPassword = u.toObject()["password"].toString();
        QVERIFY(!m_sudoPassword.isEmpty());
    }

    void rootLoginIsTheNode()
    {
        ScriptedPrompter p;
        SshNodeShell shell(target("root"), &p);
        auto info = shell.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        QCOMPARE(info->privilege, Privilege::Root);
        auto r = shell.run(RemoteCommand("hostname"), opts(10));
        QVERIFY(r.ok());
        QCOMPARE(QString::fromStdString(r->out).trimmed(), node(0)["hostname"].toString());
        QCOMPARE(p.hostKeyQuestions.load(), 0);   // the lab's known_hosts knows the node
    }

    void sudoNoPassword()
    {
        ScriptedPrompter p;
        SshNodeShell shell(target("ppadmin"), &p);
        auto info = shell.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        QCOMPARE(info->privilege, Privilege::SudoNoPassword);
        QVERIFY(info->uid != 0);
        // Root was taken once, at the connect, by the command shell: every command runs as
        // root, with the session's SSH_CONNECTION still there (sudo resets the environment).
        const int execsBefore = shell.info().execs;
        QCOMPARE(shell.run(RemoteCommand("id").flag("-u"), opts(10, true))->out, std::string("0\n"));
        QCOMPARE(shell.run(RemoteCommand("id").flag("-u"), opts(10, false))->out, std::string("0\n"));
        const auto conn = shell.run(RemoteCommand("printenv").flag("SSH_CONNECTION"), opts(10, false));
        QVERIFY(conn.ok());
        QVERIFY2(QString::fromStdString(conn->out).split(' ').size() == 4, conn->out.c_str());
        QCOMPARE(shell.info().execs, execsBefore);   // no exec of its own for root
        QCOMPARE(p.sudoQuestions.load(), 0);
    }

    // The lab's ppsudo has README's least-privilege line: named commands only. Each
    // privileged command goes through sudo on its own; one the line lacks is refused in
    // sudo's words; a batch of root reads still answers every read. ppsudopw has the
    // same commands with a password: asked once, given to each command's sudo -S.
    void sudoRestrictedToNamedCommands_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<bool>("password");
        QTest::newRow("NOPASSWD") << "ppsudo" << false;
        QTest::newRow("with a password") << "ppsudopw" << true;
    }
    void sudoRestrictedToNamedCommands()
    {
        QFETCH(QString, user);
        QFETCH(bool, password);
        ScriptedPrompter p;
        if (password)
            p.sudoAnswer = m_sudoPassword.toStdString();
        SshNodeShell shell(target(user), &p);
        auto info = shell.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        QCOMPARE(info->privilege, Privilege::SudoRestricted);
        auto sets = shell.run(RemoteCommand("ipset").flag("list").flag("-n"), opts(10, true));
        QVERIFY2(sets.ok() && sets->succeeded(), sets.ok() ? sets->err.c_str() : sets.error().oneLine().c_str());
        QVERIFY(!sets->out.empty());
        auto id = shell.run(RemoteCommand("id").flag("-u"), opts(10, true));
        QVERIFY(id.ok());
        QVERIFY(!id->succeeded());
        // sudo's words: "a password is required" (sudo -n on a command not named), or
        // "Sorry, user ... is not allowed" once the password was given.
        QVERIFY2(id->err.find("sudo: ") != std::string::npos || id->err.starts_with("Sorry, user"), id->err.c_str());
        auto both = shell.startAll({RemoteCommand("ipset").flag("list").flag("-n"),
                                    RemoteCommand("iptables-save").flag("--version")},
                                   opts(10, true));
        QCOMPARE(both.size(), std::size_t(2));
        for (auto &h : both) {
            QVERIFY2(h->result().ok() && h->result()->succeeded(), h->commandLine().c_str());
            QVERIFY(!h->result()->out.empty());
        }
        // A capture on a channel of its own, as root through its own sudo: stopped, it
        // says what it captured (its pcap header came through, its last words too).
        std::string pcap;
        auto cap = shell.stream(RemoteCommand("tcpdump").flag("-i").flag("lo").flag("-U").flag("-w").flag("-"),
                                opts(10, true), [&](std::string_view c) { pcap.append(c); });
        QTRY_VERIFY_WITH_TIMEOUT(pcap.size() >= 24, 10000);
        cap->stop();
        QVERIFY(cap->waitForFinished(std::chrono::seconds(10)));
        QVERIFY2(cap->result().ok(), cap->result().ok() ? "" : cap->result().error().oneLine().c_str());
        QVERIFY2(cap->result()->err.find("packets captured") != std::string::npos, cap->result()->err.c_str());
        QCOMPARE(p.sudoQuestions.load(), password ? 1 : 0);
        QVERIFY(shell.info().execs <= 2);
    }

    // Any login shell (issue #14): the lab's ppdash, ppzsh, ppfish, pptcsh and ppash log
    // in to dash, zsh, fish, tcsh and BusyBox ash, each with NOPASSWD sudo. Values a login
    // shell would read its own way (`!` is tcsh's history, `\'` ends fish's quote, `$`
    // and a backquote expand) come back as sent, through the command shell and on a
    // channel of their own, as the user and as root.
    void anyLoginShell_data()
    {
        QTest::addColumn<QString>("user");
        for (const char *u : {"ppadmin", "ppdash", "ppzsh", "ppfish", "pptcsh", "ppash"})
            QTest::newRow(u) << u;
    }
    void anyLoginShell()
    {
        QFETCH(QString, user);
        ScriptedPrompter p;
        SshNodeShell shell(target(user), &p);
        auto info = shell.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        QCOMPARE(info->privilege, Privilege::SudoNoPassword);
        const std::vector<std::string> words{"it's!", "a\\'b\\\\c", "!1$HOME", "`id`;$(id)&&x", "\"q\"~*"};
        RemoteCommand echo("printf");
        echo.arg(*Word::parse("%s\\n"));
        std::string expected;
        for (const auto &w : words) {
            echo.arg(*Word::parse(w));
            expected += w + "\n";
        }
        for (bool own : {false, true})
            for (bool root : {false, true}) {
                RunOptions o = opts(10, root);
                o.ownChannel = own;
                auto r = shell.run(echo, o);
                QVERIFY2(r.ok(), r.ok() ? "" : r.error().oneLine().c_str());
                QVERIFY2(r->succeeded(), r->err.c_str());
                QCOMPARE(r->out, expected);
                auto id = shell.run(RemoteCommand("id").flag("-u"), o);
                QVERIFY(id.ok());
                // The command shell is root's from the connect (sudo without a password);
                // a channel of its own runs as the login unless asked for root.
                QCOMPARE(id->out, root || !own ? std::string("0\n") : std::to_string(info->uid) + "\n");
            }
        QCOMPARE(p.sudoQuestions.load(), 0);
        // The command shell's exec and the probe's; the four own-channel commands above.
        QVERIFY2(shell.info().execs <= 2 + 4, qPrintable(QString::number(shell.info().execs)));
    }

    // `Defaults requiretty` (the lab's pptty, with lecture=always): sudo refuses without a
    // terminal, and PodPath says so in one line naming the sudoers change, before any
    // command, instead of "sudo: sorry" on every privileged one.
    void sudoRequiringATerminalIsOneLine()
    {
        ScriptedPrompter p;
        SshNodeShell shell(target("pptty"), &p);
        auto info = shell.connectAndWait();
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, std::string("ROOT_UNAVAILABLE"));
        const std::string line = info.error().oneLine();
        qInfo("%s", line.c_str());
        QVERIFY2(line.find("requires a terminal (Defaults requiretty)") != std::string::npos &&
                     line.find("Defaults:pptty !requiretty") != std::string::npos && line.find('\n') == std::string::npos &&
                     line.find("cannot use sudo") == std::string::npos && line.find("sudo rights") == std::string::npos,
                 line.c_str());
        QCOMPARE(p.sudoQuestions.load(), 0);
    }

    void sudoWithPasswordAskedOnce()
    {
        ScriptedPrompter p;
        p.sudoAnswer = m_sudoPassword.toStdString();
        SshNodeShell shell(target("pppass"), &p);
        auto info = shell.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        QCOMPARE(info->privilege, Privilege::SudoPassword);
        for (int i = 0; i < 3; ++i) {
            auto r = shell.run(RemoteCommand("id").flag("-u"), opts(10, true));
            QVERIFY(r.ok());
            QCOMPARE(r->out, std::string("0\n"));
            QVERIFY2(r->err.empty(), r->err.c_str());   // -p '': no prompt text in stderr
        }
        QCOMPARE(p.sudoQuestions.load(), 1);
    }

    void wrongSudoPassword()
    {
        ScriptedPrompter p;
        p.sudoAnswer = "pp-rm-wrong";
        SshNodeShell shell(target("pppass"), &p);
        auto info = shell.connectAndWait();
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, std::string("SUDO_PASSWORD_REJECTED"));
        QVERIFY(info.error().oneLine().find("pp-rm-wrong") == std::string::npos);
    }

    void notRootAndNoSudoIsAnEarlyClearError()
    {
        // sudo answers "a password is required" to a user it will never let in, too; the
        // user declines to give one (there is none), so this is the early error.
        ScriptedPrompter p;
        SshNodeShell shell(target("ppnosudo"), &p);
        auto info = shell.connectAndWait();
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, std::string("ROOT_UNAVAILABLE"));
        QVERIFY(info.error().message.find("tcpdump, iptables and ipset need root") != std::string::npos);
        qInfo("%s", info.error().oneLine().c_str());

        SshNodeShell relaxed(target("ppnosudo"), &p, noRoot());
        auto ok = relaxed.connectAndWait();
        QVERIFY(ok.ok());
        QCOMPARE(ok->privilege, Privilege::None);
        auto r = relaxed.run(RemoteCommand("iptables-save"), opts(10, true));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, std::string("ROOT_UNAVAILABLE"));
    }

    void labSshConfigAlias()
    {
        SshTarget t;
        t.host = node(1)["name"].toString().toStdString();
        t.configFile = m_env["sshConfig"].toString().toStdString();
        ScriptedPrompter p;
        SshNodeShell shell(t, &p);
        auto info = shell.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        QCOMPARE(QString::fromStdString(shell.run(RemoteCommand("hostname"), opts(10))->out).trimmed(),
                 node(1)["hostname"].toString());
    }

    // node2 through node1: the node sees the connection come from node1.
    void proxyJumpThroughALabNode()
    {
        SshTarget t = target("root", 1);
        t.jump = *parseJumpHost("root@" + node(0)["host"].toString().toStdString());
        // OpenSSH's ssh (the jump) needs the key: give it through a config file.
        QTemporaryFile cfg;
        QVERIFY(cfg.open());
        cfg.write(QString("Host *\n  IdentityFile %1\n  UserKnownHostsFile %2\n")
                      .arg(m_env["key"].toString(), m_env["knownHosts"].toString())
                      .toUtf8());
        cfg.flush();
        t.configFile = cfg.fileName().toStdString();
        ScriptedPrompter p;
        SshNodeShell shell(t, &p);
        auto info = shell.connectAndWait();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().oneLine().c_str());
        auto r = shell.run(RemoteCommand("printenv").flag("SSH_CLIENT"), opts(10));
        QVERIFY(r.ok());
        QVERIFY2(QString::fromStdString(r->out).startsWith(node(0)["host"].toString() + " "), r->out.c_str());
    }

    // A real session recorded (the built-in recorder) and replayed: the replay gives the
    // same answers. With PODPATH_RECORD_FIXTURE=FILE the recording is also written there
    // (how tests/fixtures/remote/session_pplab-node1.json was made).
    void recordAndReplayALabSession()
    {
        ScriptedPrompter p;
        SshNodeShell shell(target("ppadmin"), &p);
        QVERIFY(shell.connectAndWait().ok());
        RecordingNodeShell recorder(shell);
        RunOptions capture = opts(20, true);
        std::string pcap;
        auto stream = recorder.stream(RemoteCommand("tcpdump").flag("-i").flag("any").flag("-U").flag("-w").flag("-")
                                          .flag("-c").arg(*Count::of(4)).flag("icmp"),
                                      capture, [&](std::string_view c) { pcap.append(c); });
        QThread::msleep(1500);   // tcpdump is listening before the pings leave
        std::vector<std::pair<RemoteCommand, bool>> commands = {
            {RemoteCommand("hostname"), false},
            {RemoteCommand("id").flag("-u"), false},
            {RemoteCommand("ip").flag("-o").flag("-4").flag("addr").flag("show"), false},
            {RemoteCommand("ip").flag("route").flag("show"), false},
            {RemoteCommand("ping").flag("-c").arg(*Count::of(2)).flag("-i").flag("0.2").arg(*Ipv4::parse(node(1)["host"].toString().toStdString())), false},
            {RemoteCommand("iptables-save").flag("-c"), true},
            {RemoteCommand("ipset").flag("list").flag("-n"), true},
        };
        std::vector<CommandResult> live;
        for (auto &[cmd, root] : commands) {
            auto r = recorder.run(cmd, opts(20, root));
            QVERIFY2(r.ok() && r->succeeded(), cmd.toString().c_str());
            live.push_back(*r);
        }
        QVERIFY(stream->waitForFinished(std::chrono::milliseconds(20000)));
        QVERIFY(stream->result()->succeeded());
        QVERIFY(pcap.size() > 24);   // a pcap header and packets

        SessionRecording rec = recorder.recording();
        QCOMPARE(rec.commands.size(), commands.size() + 1);
        if (const QString out = qEnvironmentVariable("PODPATH_RECORD_FIXTURE"); !out.isEmpty())
            QVERIFY(rec.save(out.toStdString()).ok());

        ReplayNodeShell replay(rec);
        for (std::size_t i = 0; i < commands.size(); ++i)
            QCOMPARE(replay.run(commands[i].first, opts(20, commands[i].second))->out, live[i].out);
        std::string replayed;
        QVERIFY(replay.stream(RemoteCommand("tcpdump").flag("-i").flag("any").flag("-U").flag("-w").flag("-").flag("-c")
                                  .arg(*Count::of(4)).flag("icmp"),
                              capture, [&](std::string_view c) { replayed.append(c); })
                    ->result()
                    .ok());
        QVERIFY(replayed == pcap);
    }

    void sigkillDuringCaptureUnderSudo_data()
    {
        QTest::addColumn<QString>("user");
        QTest::newRow("sudo NOPASSWD") << "ppadmin";
        QTest::newRow("sudo with password") << "pppass";
    }
    void sigkillDuringCaptureUnderSudo()
    {
        QFETCH(QString, user);
        const int marker = user == "ppadmin" ? 47161 : 47162;
        QProcess victim;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("PP_VICTIM_SUDO_PASSWORD", m_sudoPassword);
        victim.setProcessEnvironment(env);
        victim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        victim.start(PODPATH_CAPTURE_VICTIM, {QString::number(node(0)["port"].toInt(22)), user, m_env["key"].toString(),
                                              m_env["knownHosts"].toString(), QString::number(marker),
                                              node(0)["host"].toString()});
        QVERIFY(victim.waitForStarted());
        QByteArray said;
        QElapsedTimer wait;
        wait.start();
        while (!said.contains("capturing\n") && wait.elapsed() < 30000 && victim.state() == QProcess::Running)
            if (victim.waitForReadyRead(1000))
                said += victim.readAllStandardOutput();
        QVERIFY2(said.contains("capturing\n"), "the victim could not start its capture");
        // The capture and the command shell's sleep (in root's shell where sudo needs no
        // password).
        QTRY_VERIFY_WITH_TIMEOUT(nodeProcessesMatching(marker) >= 2, 15000);
        QElapsedTimer t;
        ::kill(pid_t(victim.processId()), SIGKILL);
        t.start();
        // Lab nodes share this machine's PID namespace: watch closely for the real figure...
        const QString pattern = QString::fromStdString(testing::markerPattern(marker));
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
        qInfo("%s: SIGKILL to nothing left on the node: %lld ms", qPrintable(user), gone);
        QVERIFY(gone < 3000);
        // ...and confirm it as for any remote node, through a new connection.
        QCOMPARE(nodeProcessesMatching(marker), 0);
    }
};

PODPATH_TEST_GUILESS_MAIN_UNLESS(TestSshLab, podpath::testing::whyNoLab())
#include "tst_ssh_lab.moc"
