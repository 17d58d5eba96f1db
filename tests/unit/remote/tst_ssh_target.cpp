// Node and jump host names as typed by the user, and the ProxyCommand built from them:
// nothing typed can reach the local shell that libssh runs the ProxyCommand in.

#include "remote/cli_prompter.h"
#include "remote/host_key_check.h"
#include "remote/session_opener.h"
#include "remote/ssh_target.h"

#include "injection_strings.h"
#include "shell_roundtrip.h"

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

    // The ProxyCommand reaches /bin/sh: paths with metacharacters stay single words.
    void jumpProxyCommandQuotesEverything()
    {
        auto jump = parseJumpHost("ops@bastion.example:2222");
        QVERIFY(jump.ok());
        const std::string cmd = jumpProxyCommand(*jump, "/tmp/a b;$(x)/known_hosts", std::string("/tmp/c'fg"), 7);
        QVERIFY(cmd.find("BatchMode=yes") != std::string::npos);
        QVERIFY(cmd.find("-W '[%h]:%p'") != std::string::npos);
        // libssh expands %h/%p before sh sees it; emulate that, then ask the shell.
        std::string expanded = cmd.substr(std::string("exec ").size());
        auto at = expanded.find("[%h]:%p");
        expanded.replace(at, 7, "[node]:22");
        auto words = shellWords("/bin/sh", expanded);
        const std::vector<std::string> expected = {
            "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o",
            "UserKnownHostsFile=/tmp/a b;$(x)/known_hosts", "-F", "/tmp/c'fg", "-o", "ConnectTimeout=7",
            "-l", "ops", "-p", "2222", "-W", "[node]:22", "bastion.example"};
        QCOMPARE(words, expected);
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
