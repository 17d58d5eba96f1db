// The ssh configuration PodPath hands libssh, held against what OpenSSH's own `ssh -G
// -F FILE [-l USER] ALIAS` says for the same file, run here: every row's expectation
// comes from ssh, none is written by hand. Then the pure pieces: ssh -G's output read,
// IdentityFile's tokens expanded as ssh expands UserKnownHostsFile's, ssh missing.

#include "remote/openssh_config.h"
#include "remote/session_opener.h"

#include <libssh/libssh.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

namespace {

// The keywords of `ssh -G` output the session uses: the last word list of each key, and
// every identityfile line.
struct SshG {
    QString error;
    QMap<QString, QString> values;
    QStringList identityFiles;
};

SshG runSshG(const QString &config, const QString &alias, const QString &user)
{
    QStringList args{"-G", "-F", config};
    if (!user.isEmpty())
        args << "-l" << user;
    args << alias;
    QProcess p;
    p.setStandardInputFile(QProcess::nullDevice());
    p.start("ssh", args);
    SshG out;
    if (!p.waitForFinished(15000) || p.exitStatus() != QProcess::NormalExit) {
        out.error = "ssh -G did not finish";
        return out;
    }
    if (p.exitCode() != 0) {
        out.error = QString::fromUtf8(p.readAllStandardError()).trimmed();
        return out;
    }
    for (const QString &line : QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
        const qsizetype blank = line.indexOf(' ');
        const QString key = line.left(blank), value = line.mid(blank + 1);
        if (key == "identityfile")
            out.identityFiles << value;
        else
            out.values[key] = value;
    }
    return out;
}

QString home() { return QString::fromStdString(userHomeDir()); }

QStringList qlist(const std::vector<std::string> &v)
{
    QStringList out;
    for (const auto &s : v)
        out << QString::fromStdString(s);
    return out;
}

QString optionString(ssh_session s, ssh_options_e option)
{
    char *value = nullptr;
    if (ssh_options_get(s, option, &value) != SSH_OK || !value)
        return {};
    QString out = QString::fromUtf8(value);
    ssh_string_free_char(value);
    return out;
}

} // namespace

class TestOpenSshConfig : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // @DIR@ in a row's text is this test's temporary folder (for Include).
    QString write(const QString &name, QString text)
    {
        text.replace("@DIR@", m_dir.path());
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        f.write(text.toUtf8());
        return f.fileName();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QProcess p;
        p.start("ssh", {"-V"});
        QVERIFY2(p.waitForFinished(5000) && p.exitCode() == 0, "OpenSSH's ssh is needed (apt-get install openssh-client)");
    }

    void sameAsSshG_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("included");  // written to @DIR@/included.conf
        QTest::addColumn<QString>("alias");
        QTest::addColumn<QString>("user");      // -l, as a node's user field gives it

        const QString none;
        QTest::newRow("Match originalhost (the issue)")
            << "Match originalhost pp-node\n  HostName 10.1.2.3\n  User alice\n  Port 2201\n" << none << "pp-node" << none;
        QTest::newRow("Match originalhost, another alias")
            << "Match originalhost pp-node\n  HostName 10.1.2.3\n  User alice\n" << none << "10.9.8.7" << none;
        QTest::newRow("Match originalhost negated")
            << "Match originalhost !pp-other\n  User bob\nHost *\n  User carl\n" << none << "pp-node" << none;
        QTest::newRow("Match originalhost list and glob")
            << "Match originalhost web*,!web-old\n  Port 2210\n" << none << "web-1" << none;
        QTest::newRow("Match originalhost list, negated one")
            << "Match originalhost web*,!web-old\n  Port 2210\n" << none << "web-old" << none;
        QTest::newRow("Match host sees the HostName set before")
            << "Host pp-node\n  HostName real.example\nMatch host real.example\n  Port 2202\n  User dave\n" << none
            << "pp-node" << none;
        QTest::newRow("Match host without HostName sees the alias")
            << "Match host pp-*\n  HostName 10.2.2.2\n" << none << "pp-node" << none;
        QTest::newRow("Match user from -l")
            << "Match user alice\n  Port 2203\nHost *\n  Port 2299\n" << none << "pp-node" << "alice";
        QTest::newRow("Match user, the local login by default")
            << "Match user alice\n  Port 2203\nHost *\n  Port 2299\n" << none << "pp-node" << none;
        QTest::newRow("Match localuser")
            << "Match localuser " + qEnvironmentVariable("USER", "root") + ",root\n  Port 2211\n" << none << "pp-node"
            << none;
        QTest::newRow("Match all") << "Match all\n  User erin\n  ConnectTimeout 4\n" << none << "pp-node" << none;
        QTest::newRow("Match exec true and false")
            << "Match exec \"false\"\n  Port 2298\nMatch exec \"true\" originalhost pp-node\n  Port 2208\n" << none
            << "pp-node" << none;
        QTest::newRow("Match final sees the HostName")
            << "Host pp-node\n  HostName real.example\nMatch final host real.example\n  User gina\n" << none
            << "pp-node" << none;
        QTest::newRow("Match canonical without canonicalization")
            << "Match canonical\n  User hank\nHost *\n  User ivan\n" << none << "pp-node" << none;
        QTest::newRow("Host negation")
            << "Host * !pp-skip\n  User eve\n" << none << "pp-skip" << none;
        QTest::newRow("Host upper case alias")
            << "Host PP-Node\n  HostName 10.3.3.3\n" << none << "PP-Node" << none;
        QTest::newRow("Include")
            << "Include @DIR@/included.conf\nHost *\n  User later\n"
            << "Host pp-node\n  HostName 10.4.4.4\n  User included\n" << "pp-node" << none;
        QTest::newRow("Include inside a Host block that does not apply")
            << "Host other\n  Include @DIR@/included.conf\nHost *\n  Port 2212\n"
            << "Port 2213\nUser inc\n" << "pp-node" << none;
        QTest::newRow("Include inside a Match that applies")
            << "Match originalhost pp-node\n  Include @DIR@/included.conf\n"
            << "HostName 10.5.5.5\nMatch all\n  Port 2214\n" << "pp-node" << none;
        QTest::newRow("first value wins")
            << "Host pp-node\n  Port 2204\n  Port 2205\n  HostName first.example\nHost pp-*\n  HostName second.example\n"
            << none << "pp-node" << none;
        QTest::newRow("Host * defaults after the specific blocks")
            << "Host pp-node\n  HostName 10.9.9.9\nHost *\n  User frank\n  Port 2207\n  ConnectTimeout 9\n" << none
            << "pp-node" << none;
        QTest::newRow("-l over the config's User")
            << "Host *\n  User frank\n" << none << "pp-node" << "alice";
        QTest::newRow("HostName tokens %h and %%")
            << "Host pp-node\n  HostName %h.example.org\n" << none << "pp-node" << none;
        QTest::newRow("IdentityFile and UserKnownHostsFile")
            << "Host pp-node\n  IdentityFile ~/.ssh/pp_key\n  IdentityFile /keys/second\n"
               "  UserKnownHostsFile ~/.ssh/pp_known /etc/pp_known\n  GlobalKnownHostsFile /etc/pp_global\n"
            << none << "pp-node" << none;
        QTest::newRow("IdentityFile none") << "Host *\n  IdentityFile none\n" << none << "pp-node" << none;
        QTest::newRow("ProxyJump in Match originalhost")
            << "Match originalhost pp-node\n  HostName 10.6.6.6\n  ProxyJump jumper@jh.example:2222\n" << none
            << "pp-node" << none;
        QTest::newRow("ProxyJump of two hops")
            << "Host pp-node\n  ProxyJump first.example,ops@second.example\n" << none << "pp-node" << none;
        QTest::newRow("ProxyCommand with tokens")
            << "Host pp-node\n  HostName 10.7.7.7\n  User joe\n  ProxyCommand nc -x proxy %h %p # %r\n" << none
            << "pp-node" << none;
    }
    void sameAsSshG()
    {
        QFETCH(QString, config);
        QFETCH(QString, included);
        QFETCH(QString, alias);
        QFETCH(QString, user);
        write("included.conf", included);
        const QString file = write("config", config);
        QVERIFY(!file.isEmpty());
        const SshG g = runSshG(file, alias, user);
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));

        SshTarget t;
        t.host = alias.toStdString();
        t.configFile = file.toStdString();
        if (!user.isEmpty())
            t.user = user.toStdString();
        auto c = configureSession(t);
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().oneLine().c_str());
        QVERIFY(c->configFromOpenSsh);
        ssh_session s = c->opened.session.get();

        // What libssh itself holds, read back from the session.
        QCOMPARE(optionString(s, SSH_OPTIONS_HOST), g.values["hostname"]);
        QCOMPARE(optionString(s, SSH_OPTIONS_USER), g.values["user"]);
        unsigned int port = 0;
        QCOMPARE(ssh_options_get_port(s, &port), SSH_OK);
        QCOMPARE(QString::number(port), g.values["port"]);
        QCOMPARE(QString::fromStdString(c->opened.host), g.values["hostname"]);

        const QString timeout = g.values["connecttimeout"];
        QCOMPARE(c->connectTimeoutSeconds, timeout == "none" ? 15 : timeout.toInt());

        const QStringList userFiles = g.values["userknownhostsfile"].split(' ');
        QCOMPARE(QString::fromStdString(c->knownHostsFile), userFiles.front());
        QCOMPARE(optionString(s, SSH_OPTIONS_KNOWNHOSTS), userFiles.front());
        QCOMPARE(qlist(c->moreKnownHostsFiles),
                 userFiles.mid(1) + g.values["globalknownhostsfile"].split(' '));

        // IdentityFile: ssh -G leaves ~ unexpanded; its defaults are libssh's too.
        QStringList identities;
        const QStringList defaults{"~/.ssh/id_rsa",        "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk", "~/.ssh/id_ed25519",
                                   "~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss",  "~/.ssh/id_dsa"};
        if (g.identityFiles != defaults)
            for (QString f : g.identityFiles)
                if (f != "none")
                    identities << (f.startsWith("~/") ? home() + f.mid(1) : f);
        QCOMPARE(qlist(c->identityFiles), identities);

        const QString proxy = QString::fromStdString(c->proxyCommand);
        if (g.values.contains("proxyjump")) {
            const QStringList hops = g.values["proxyjump"].split(',');
            QVERIFY2(proxy.startsWith("exec ssh "), qPrintable(proxy));
            QVERIFY2(proxy.contains("-W '[%h]:%p'"), qPrintable(proxy));
            QString last = hops.back();
            QString login;
            if (last.contains('@')) {
                login = last.section('@', 0, 0);
                last = last.section('@', 1);
            }
            if (last.contains(':')) {
                QVERIFY2(proxy.contains("-p " + last.section(':', 1)), qPrintable(proxy));
                last = last.section(':', 0, 0);
            }
            if (!login.isEmpty())
                QVERIFY2(proxy.contains("-l " + login), qPrintable(proxy));
            QVERIFY2(proxy.endsWith(" " + last), qPrintable(proxy));
            if (hops.size() > 1)
                QVERIFY2(proxy.contains("-J " + hops.mid(0, hops.size() - 1).join(',')), qPrintable(proxy));
            QVERIFY2(proxy.contains("-F " + file), qPrintable(proxy));
        } else if (g.values.contains("proxycommand")) {
            QString expected = g.values["proxycommand"];
            expected.replace("%h", g.values["hostname"]).replace("%p", g.values["port"]).replace("%r", g.values["user"]);
            QCOMPARE(proxy, "exec " + expected);
        } else {
            QCOMPARE(proxy, QString());
        }
        QCOMPARE(optionString(s, SSH_OPTIONS_PROXYCOMMAND), proxy);
    }

    // IdentityFile's tokens are expanded by PodPath (ssh -G prints them as written); ssh
    // -G expands the same tokens in UserKnownHostsFile, so one path written in both must
    // come out the same.
    void identityTokensAsSsh_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("user");
        QTest::newRow("%h %p %r %u %%") << "/k/%h-%p-%r-%u-%%" << "";
        QTest::newRow("%n %d %i %k %l %L") << "/k/%n/%d/%i/%k/%l/%L" << "";
        QTest::newRow("~ and %r from -l") << "~/k/%r@%h" << "someone";
        QTest::newRow("${HOME}") << "${HOME}/k/%%h" << "";
    }
    void identityTokensAsSsh()
    {
        QFETCH(QString, path);
        QFETCH(QString, user);
        const QString file = write("tokens", QString("Host pp-node\n  HostName tok.example\n  Port 2215\n"
                                                     "  IdentityFile \"%1\"\n  UserKnownHostsFile \"%1\"\n")
                                                 .arg(path));
        const SshG g = runSshG(file, "pp-node", user);
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        SshTarget t;
        t.host = "pp-node";
        t.configFile = file.toStdString();
        if (!user.isEmpty())
            t.user = user.toStdString();
        auto c = configureSession(t);
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().oneLine().c_str());
        QCOMPARE(qlist(c->identityFiles), QStringList{g.values["userknownhostsfile"]});
    }

    // What ssh refuses, PodPath refuses in one line that says how to look.
    void sshRefusesTheConfig_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("words");
        QTest::newRow("unknown keyword") << "Host *\n  Bogus yes\n" << "Bad configuration option: bogus";
        QTest::newRow("Match without criteria") << "Match\n  User x\n" << "line 1";
        QTest::newRow("unknown token in HostName") << "Host *\n  HostName %q\n" << "ssh -G pp-node";
    }
    void sshRefusesTheConfig()
    {
        QFETCH(QString, config);
        QFETCH(QString, words);
        SshTarget t;
        t.host = "pp-node";
        t.configFile = write("bad", config).toStdString();
        auto c = configureSession(t);
        QVERIFY(!c.ok());
        const std::string line = c.error().oneLine();
        QCOMPARE(c.error().code, std::string("SSH_CONFIG_ERROR"));
        QVERIFY2(line.find(words.toStdString()) != std::string::npos, line.c_str());
        QVERIFY2(line.find("check with ssh -G pp-node") != std::string::npos, line.c_str());
        QVERIFY2(line.find('\n') == std::string::npos, line.c_str());
    }

    // Without OpenSSH's ssh, libssh reads the file (today's fallback) and the opener says
    // which Match criteria that costs; a plain Host block still resolves.
    void withoutSshLibsshReads()
    {
        const QString file = write("plain", "Host pp-node\n  HostName 10.8.8.8\n  Port 2216\n  User kim\n");
        SshTarget t;
        t.host = "pp-node";
        t.configFile = file.toStdString();
        auto c = configureSession(t, "/nonexistent/ssh");
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().oneLine().c_str());
        QVERIFY(!c->configFromOpenSsh);
        QCOMPARE(c->opened.host, std::string("10.8.8.8"));
        QCOMPARE(c->opened.port, 2216);
        QCOMPARE(c->opened.user, std::string("kim"));
    }

    void readsSshGOutput_data()
    {
        QTest::addColumn<QString>("output");
        QTest::addColumn<bool>("ok");
        QTest::newRow("minimal") << "host a\nhostname b\nuser c\nport 22\n" << true;
        QTest::newRow("no port") << "host a\nhostname b\nuser c\n" << false;
        QTest::newRow("bad port") << "host a\nhostname b\nuser c\nport 70000\n" << false;
        QTest::newRow("bad timeout") << "host a\nhostname b\nuser c\nport 22\nconnecttimeout x\n" << false;
        QTest::newRow("empty") << "" << false;
    }
    void readsSshGOutput()
    {
        QFETCH(QString, output);
        QFETCH(bool, ok);
        auto c = parseOpenSshConfigDump(output.toStdString());
        QCOMPARE(c.ok(), ok);
        if (!ok)
            QVERIFY(!c.error().message.empty());
    }
};

QTEST_GUILESS_MAIN(TestOpenSshConfig)
#include "tst_openssh_config.moc"
