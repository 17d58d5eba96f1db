// Node and jump host names as typed by the user, and the ProxyCommand built from them:
// nothing typed can reach the local shell that libssh runs the ProxyCommand in.

#include "remote/cli_prompter.h"
#include "remote/host_key_check.h"
#include "remote/session_opener.h"
#include "remote/ssh_target.h"

#include "injection_strings.h"
#include "shell_roundtrip.h"

#include <QProcess>
#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

class TestSshTarget : public QObject {
    Q_OBJECT
private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("label");
        QTest::newRow("host") << "node1" << true << "node1";
        QTest::newRow("user@host") << "root@node1" << true << "root@node1";
        QTest::newRow("user@host:port") << "ppadmin@198.51.100.2:2202" << true << "ppadmin@198.51.100.2:2202";
        QTest::newRow("fqdn") << "node-1.cluster.example" << true << "node-1.cluster.example";
        QTest::newRow("port 0") << "node1:0" << false << "";
        QTest::newRow("port text") << "node1:ssh" << false << "";
        QTest::newRow("empty") << "" << false << "";
        QTest::newRow("option") << "-oProxyCommand=touch" << false << "";
        QTest::newRow("user option") << "-l@node1" << false << "";
        QTest::newRow("semicolon") << "node1;id" << false << "";
        QTest::newRow("subst") << "$(id)" << false << "";
        QTest::newRow("space") << "node 1" << false << "";
        QTest::newRow("two ats") << "a@b@c" << false << "";
        // IPv6, as ssh takes it: bare without a port, in brackets with one.
        QTest::newRow("ipv6 bare") << "root@2001:db8::1" << true << "root@2001:db8::1";
        QTest::newRow("ipv6 brackets") << "root@[2001:db8::1]" << true << "root@2001:db8::1";
        QTest::newRow("ipv6 brackets, port") << "[2001:db8::1]:2222" << true << "[2001:db8::1]:2222";
        QTest::newRow("ipv6 zone") << "[fe80::1%eth0]" << true << "fe80::1%eth0";
        QTest::newRow("ipv6 v4 tail") << "[::ffff:198.51.100.2]" << true << "::ffff:198.51.100.2";
        QTest::newRow("ipv6 unclosed") << "root@[2001:db8::1" << false << "";
        QTest::newRow("ipv6 bad port") << "[2001:db8::1]2222" << false << "";
        QTest::newRow("ipv6 not hex") << "[2001:db8::g]" << false << "";
        QTest::newRow("ipv6 injection in zone") << "[fe80::1%$(id)]" << false << "";
        QTest::newRow("ipv6 option") << "[-oProxyCommand=x]" << false << "";
    }
    void parse()
    {
        QFETCH(QString, spec);
        QFETCH(bool, valid);
        QFETCH(QString, label);
        auto t = SshTarget::parse(spec.toStdString());
        QCOMPARE(t.ok(), valid);
        if (valid)
            QCOMPARE(QString::fromStdString(t->label()), label);
        else
            QCOMPARE(t.error().code, std::string("SSH_BAD_TARGET"));
    }

    void injectionIntoJumpHost()
    {
        for (const auto &hostile : injectionStrings()) {
            QVERIFY(!parseJumpHost(hostile).ok() || hostile.empty());
            QVERIFY(!parseJumpHost("root@" + hostile).ok());
            QVERIFY(!parseJumpHost(hostile + "@bastion").ok() || hostile.empty());
        }
    }

    // The ProxyCommand reaches /bin/sh, then OpenSSH's ssh: paths with metacharacters,
    // blanks, quotes and % stay one file. libssh's own % expansion is emulated here;
    // OpenSSH's reading of the option is asked of ssh itself (ssh -G).
    void jumpProxyCommandQuotesEverything_data()
    {
        QTest::addColumn<QString>("knownHosts");
        QTest::newRow("shell metacharacters and a blank") << "/tmp/a b;$(x)/known_hosts";
        QTest::newRow("percent tokens") << "/tmp/k%d%u/known%%hosts";
        QTest::newRow("double quote and backslash") << "/tmp/q\"uo\\te/known hosts";
    }
    void jumpProxyCommandQuotesEverything()
    {
        QFETCH(QString, knownHosts);
        auto jump = parseJumpHost("ops@bastion.example:2222");
        QVERIFY(jump.ok());
        const std::string cmd = jumpProxyCommand(*jump, knownHosts.toStdString(), std::string("/tmp/c'fg"), 7);
        QVERIFY(cmd.find("BatchMode=yes") != std::string::npos);
        QVERIFY(cmd.find("-W '[%h]:%p'") != std::string::npos);
        // libssh: %h/%p replaced, %% made %.
        std::string expanded;
        const std::string body = cmd.substr(std::string("exec ").size());
        for (std::size_t i = 0; i < body.size(); ++i) {
            if (body[i] == '%' && i + 1 < body.size()) {
                const char n = body[++i];
                expanded += n == 'h' ? std::string("node") : n == 'p' ? std::string("22") : std::string(1, n);
            } else {
                expanded += body[i];
            }
        }
        auto words = shellWords("/bin/sh", expanded);
        const std::vector<std::string> tail = {"-F", "/tmp/c'fg", "-o", "ConnectTimeout=7", "-l", "ops", "-p", "2222",
                                               "-W", "[node]:22", "bastion.example"};
        QCOMPARE(int(words.size()), 7 + int(tail.size()));
        QCOMPARE(std::vector<std::string>(words.begin() + 7, words.end()), tail);
        QCOMPARE(words[5], std::string("-o"));
        QProcess ssh;
        ssh.start("ssh", {"-G", "-o", QString::fromStdString(words[6]), "pp-never-resolved.invalid"});
        QVERIFY(ssh.waitForFinished(10000));
        QVERIFY2(ssh.exitCode() == 0, ssh.readAllStandardError().constData());
        const QString out = QString::fromUtf8(ssh.readAllStandardOutput());
        QVERIFY2(out.contains("\nuserknownhostsfile " + knownHosts + "\n"), qPrintable(out.section("userknownhostsfile", 1).left(200)));
    }

    void knownHostsNames()
    {
        QCOMPARE(knownHostsName("node1", 22), std::string("node1"));
        QCOMPARE(knownHostsName("198.51.100.2", 2202), std::string("[198.51.100.2]:2202"));
    }

    // Without a terminal the CLI declines every secret question instead of hanging.
    void cliPrompterWithoutTerminal()
    {
        CliPrompter::Options o;
        o.terminal = "/dev/null";
        CliPrompter cli(o);
        QVERIFY(!cli.password("root@node1", 1).has_value());
        QVERIFY(!cli.sudoPassword("ppadmin@node1").has_value());
        QVERIFY(!cli.keyPassphrase("/root/.ssh/id_ed25519").has_value());
        HostKeyQuestion q;
        QCOMPARE(cli.unknownHostKey(q), HostKeyDecision::Refuse);
        o.unknownHostKeys = HostKeyDecision::AcceptAndSave;
        QCOMPARE(CliPrompter(o).unknownHostKey(q), HostKeyDecision::AcceptAndSave);
    }

    // A node's keyboard-interactive name, instruction and prompt reach /dev/tty escaped:
    // they are the node's words (issue #13).
    void keyboardInteractiveTextIsEscaped_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("instruction");
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<bool>("first");
        QTest::addColumn<QString>("shown");
        QTest::newRow("plain") << "" << "" << "Password: " << true << "(root@node1) Password: ";
        QTest::newRow("name and instruction") << "Duo" << "Enter a code" << "Code: " << true
                                              << "(root@node1) Duo\nEnter a code\nCode: ";
        QTest::newRow("second prompt has no header") << "Duo" << "Enter a code" << "Code: " << false << "Code: ";
        QTest::newRow("title escape in the name") << "\x1b]0;owned\x07" << "" << "Password: " << true
                                                  << "(root@node1) \\x1b]0;owned\\x07\nPassword: ";
        QTest::newRow("screen clear in the instruction") << "" << "\x1b[2Jhi" << "Password: " << true
                                                         << "(root@node1) \\x1b[2Jhi\nPassword: ";
        QTest::newRow("cursor up in the prompt") << "" << "" << "\x1b[1APassword: " << true
                                                 << "(root@node1) \\x1b[1APassword: ";
    }
    void keyboardInteractiveTextIsEscaped()
    {
        QFETCH(QString, name);
        QFETCH(QString, instruction);
        QFETCH(QString, prompt);
        QFETCH(bool, first);
        QFETCH(QString, shown);
        const std::string text = keyboardInteractiveText("root@node1", name.toStdString(), instruction.toStdString(),
                                                         prompt.toStdString(), first);
        QCOMPARE(QString::fromStdString(text), shown);
        QVERIFY(text.find('\x1b') == std::string::npos && text.find('\x07') == std::string::npos);
    }

    void secretsWipeAndDoNotLeak()
    {
        Secret a("hunter2");
        Secret b(std::move(a));
        QVERIFY(a.empty());
        QCOMPARE(std::string(b.reveal()), std::string("hunter2"));
        Secret c;
        c = b;
        QCOMPARE(std::string(c.reveal()), std::string("hunter2"));
    }
};

QTEST_GUILESS_MAIN(TestSshTarget)
#include "tst_ssh_target.moc"
