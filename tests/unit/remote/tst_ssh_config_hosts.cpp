// Host aliases from ssh config files, for the NODES screen's completer: the aliases,
// and the HostName/User/Port `ssh -G` gives them (tests/fixtures/remote/README.md has
// what OpenSSH 9.2p1 said for each fixture), Include followed the way ssh follows it.

#include "parse/text.h"
#include "remote/ssh_config_hosts.h"
#include "remote/ssh_target.h"

#include "fixture_file.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace podpath;
using namespace podpath::remote;

namespace {

// "alias=hostname/user/port" per alias, for one-line comparisons.
QStringList describe(const std::vector<SshConfigHost> &hosts)
{
    QStringList out;
    for (const auto &h : hosts)
        out << QString::fromStdString(h.alias + "=" + h.hostName + "/" + h.user + "/" +
                                      (h.port ? std::to_string(h.port->value()) : std::string()));
    return out;
}

void write(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

} // namespace

class TestSshConfigHosts : public QObject {
    Q_OBJECT
private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("hosts");
        QTest::addColumn<QStringList>("includes");
        QTest::addColumn<QList<int>>("unread");
        QTest::newRow("debian 12 /etc/ssh/ssh_config") << "debian12_etc_ssh_config" << QStringList{}
                                                       << QStringList{"19:/etc/ssh/ssh_config.d/*.conf"} << QList<int>{};
        QTest::newRow("an engineer's config")
            << "user_config"
            << QStringList{"bastion=198.51.100.1/ops/2222",       "k8s-node1=198.51.100.11/root/",
                           "node1=198.51.100.11/root/",           "k8s-node2=198.51.100.12/admin/22",
                           "k8s-node3=198.51.100.13//",           "k8s-node4=198.51.100.13/wrong/",
                           "prod-web_01=198.51.100.20//"}
            << QStringList{"2:config.d/*.conf"} << QList<int>{};
        QTest::newRow("unbalanced quote") << "unbalanced_quote"
                                          << QStringList{"good1=198.51.100.11//", "good2=198.51.100.13//"}
                                          << QStringList{} << QList<int>{4};
        QTest::newRow("the lab's ssh_config")
            << "lab_ssh_config" << QStringList{"pplab-node1=198.51.100.11/root/", "pplab-node2=198.51.100.12/root/"}
            << QStringList{} << QList<int>{};
    }
    void fixtures()
    {
        QFETCH(QString, file);
        const std::string text = test::fixtureText("remote/ssh_config/" + file);
        auto parsed = parseSshConfigHosts(text);
        QVERIFY(parsed.ok());
        QTEST(describe(parsed->hosts), "hosts");
        QStringList includes;
        for (const auto &i : parsed->includes)
            for (const auto &p : i.patterns)
                includes << QString::number(i.line) + ":" + QString::fromStdString(p);
        QTEST(includes, "includes");
        QTEST(QList<int>(parsed->unreadLines.begin(), parsed->unreadLines.end()), "unread");
        QVERIFY(!parsed->truncated);

        // Total on every prefix (a file cut while an editor saves it).
        for (std::size_t n = 0; n <= text.size(); ++n) {
            if (!test::worthCutting(text, n))
                continue;
            auto cut = parseSshConfigHosts(std::string_view(text).substr(0, n));
            QVERIFY(cut.ok());
            QVERIFY(cut->hosts.size() <= parsed->hosts.size() + 1);
        }
    }

    void lines_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("hosts");
        QTest::newRow("empty") << "" << QStringList{};
        QTest::newRow("comments and blanks") << "# Host a\n\n   \n\t# x\n" << QStringList{};
        QTest::newRow("crlf") << "Host a\r\n  HostName 198.51.100.1\r\n" << QStringList{"a=198.51.100.1//"};
        QTest::newRow("keyword=value") << "Host=a\nHostName=h\nUser = u\nPort= 2200\n" << QStringList{"a=h/u/2200"};
        QTest::newRow("keyword case") << "hOsT a\nhostname h\nUSER u\n" << QStringList{"a=h/u/"};
        QTest::newRow("several aliases") << "Host a b\tc\n  User u\n" << QStringList{"a=/u/", "b=/u/", "c=/u/"};
        QTest::newRow("patterns are not aliases") << "Host * web-? a*b ?x\n" << QStringList{};
        QTest::newRow("negation") << "Host a !b\nUser u\nHost b\nHostName hb\n" << QStringList{"a=/u/", "b=hb//"};
        QTest::newRow("pattern block applies") << "Host a\nHost a*\nUser star\nHost *\nPort 2222\n"
                                               << QStringList{"a=/star/2222"};
        QTest::newRow("negated pattern keeps block away") << "Host a\nHost * !a\nUser other\n" << QStringList{"a=//"};
        QTest::newRow("first value wins") << "Host a\nUser first\nUser second\nHost a\nUser third\n"
                                          << QStringList{"a=/first/"};
        QTest::newRow("options before any Host apply to all") << "User everyone\nHost a\nUser mine\n"
                                                              << QStringList{"a=/everyone/"};
        QTest::newRow("match blocks are not evaluated") << "Host a\nMatch all\nUser m\n" << QStringList{"a=//"};
        QTest::newRow("quoted alias") << "Host \"a\" 'b'\n" << QStringList{"a=//", "b=//"};
        QTest::newRow("quoted with a space") << "Host \"my node\"\n" << QStringList{};
        QTest::newRow("escaped quote") << "Host a\\\"b c\n" << QStringList{"c=//"};
        QTest::newRow("comment after a word") << "Host a #b c\n" << QStringList{"a=//"};
        QTest::newRow("hash inside a word") << "Host a#b\n" << QStringList{};
        QTest::newRow("address alias") << "Host 198.51.100.5\n" << QStringList{"198.51.100.5=//"};
        QTest::newRow("option injection") << "Host -oProxyCommand=id ok\n" << QStringList{"ok=//"};
        QTest::newRow("shell characters") << "Host a;id $(id) `id` b|c ok\n" << QStringList{"ok=//"};
        QTest::newRow("duplicate alias") << "Host a\nHostName one\nHost a b\nHostName two\n"
                                         << QStringList{"a=one//", "b=two//"};
        QTest::newRow("bad port") << "Host a\nPort 99999\nHost b\nPort ssh\n" << QStringList{"a=//", "b=//"};
        QTest::newRow("host without patterns") << "Host\nHost a\n" << QStringList{"a=//"};
        QTest::newRow("no newline at end") << "Host a" << QStringList{"a=//"};
        QTest::newRow("nul byte") << QString::fromLatin1("Host a\0b c\n", 11) << QStringList{"c=//"};
        QTest::newRow("long pattern ignored") << "Host " + QString(600, 'x') + " a\n" << QStringList{"a=//"};
    }
    void lines()
    {
        QFETCH(QString, text);
        const QByteArray bytes = text.toLatin1();
        auto parsed = parseSshConfigHosts(std::string_view(bytes.constData(), std::size_t(bytes.size())));
        QVERIFY(parsed.ok());
        QTEST(describe(parsed->hosts), "hosts");
        for (const auto &h : parsed->hosts)
            QVERIFY(isValidHostName(h.alias));
    }

    void oversized()
    {
        std::string big(text::kMaxInputBytes + 1, '#');
        auto parsed = parseSshConfigHosts(big);
        QVERIFY(!parsed.ok());
        QVERIFY(!parsed.error().message.empty());
    }

    void manyHostsAreBounded()
    {
        std::string text;
        for (int i = 0; i < 5000; ++i)
            text += "Host n" + std::to_string(i) + " n" + std::to_string(i) + "-*\n  User u\n";
        QElapsedTimer t;
        t.start();
        auto parsed = parseSshConfigHosts(text);
        QVERIFY(parsed.ok());
        QVERIFY(parsed->truncated);
        QCOMPARE(parsed->hosts.size(), std::size_t(1024));
        QCOMPARE(QString::fromStdString(parsed->hosts.back().user), QStringLiteral("u"));
        QVERIFY2(t.elapsed() < 5000, "resolving options must stay bounded");
    }

    // Include as ssh follows it: relative to the include folder (~/.ssh), "~/" from
    // home, globs sorted, each file's aliases where its Include line stands, each alias
    // once, loops and missing files harmless.
    void includes()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString home = dir.filePath("home"), ssh = home + "/.ssh";
        write(ssh + "/config", "Host first\n"
                               "Include conf.d/*.conf\n"
                               "Host middle\n"
                               "Include ~/extra.conf /nonexistent/ppnd-missing.conf\n"
                               "Include config\n"  // itself: a loop ends at the depth bound
                               "Host last b1\n");
        write(ssh + "/conf.d/b.conf", "Host b1 b2\n  HostName 198.51.100.2\n");
        write(ssh + "/conf.d/a.conf", "Host a1\n");
        write(ssh + "/conf.d/ignored.txt", "Host ignored\n");
        QDir().mkpath(ssh + "/conf.d/dir.conf");  // a folder matching the glob
        write(home + "/extra.conf", "Host extra\n");
        const auto hosts = loadSshConfigHosts((ssh + "/config").toStdString(), home.toStdString(), ssh.toStdString());
        QStringList names;
        for (const auto &h : hosts)
            names << QString::fromStdString(h.alias);
        QCOMPARE(names, (QStringList{"first", "a1", "b1", "b2", "middle", "extra", "last"}));
        QCOMPARE(QString::fromStdString(hosts[2].hostName), QStringLiteral("198.51.100.2"));

        QVERIFY(loadSshConfigHosts(dir.filePath("nothing").toStdString(), home.toStdString(), ssh.toStdString()).empty());
        QVERIFY(loadSshConfigHosts(home.toStdString(), home.toStdString(), ssh.toStdString()).empty());  // a folder
    }
};

QTEST_GUILESS_MAIN(TestSshConfigHosts)
#include "tst_ssh_config_hosts.moc"
