#include "remote/remote_command.h"

#include "injection_strings.h"
#include "shell_roundtrip.h"

#include <QFile>
#include <QtTest>

#include <functional>
#include <optional>

using namespace podpath;
using namespace podpath::remote;

namespace {

// Builds `printf X VALUE` with the value as typed, or nullopt when the type refuses it.
using Builder = std::function<std::optional<RemoteCommand>(const std::string &)>;

template <class T>
Builder typed()
{
    return [](const std::string &s) -> std::optional<RemoteCommand> {
        auto v = T::parse(s);
        if (!v)
            return std::nullopt;
        return RemoteCommand("printf").flag("x").arg(*v);
    };
}

const std::vector<std::pair<const char *, Builder>> &builders()
{
    static const std::vector<std::pair<const char *, Builder>> list = {
        {"Ipv4", typed<Ipv4>()},       {"InterfaceName", typed<InterfaceName>()},
        {"Count", typed<Count>()},     {"Port", typed<Port>()},
        {"Seconds", typed<Seconds>()}, {"RemotePath", typed<RemotePath>()},
        {"Word", typed<Word>()},
    };
    return list;
}

} // namespace

class TestRemoteCommand : public QObject {
    Q_OBJECT
private slots:
    void init() { QFile::remove("/tmp/pp-rm-owned"); }

    void values_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        auto row = [](const char *type, const char *text, bool valid) {
            QTest::newRow(qPrintable(QString("%1 %2").arg(type, text))) << type << text << valid;
        };
        row("Count", "1", true);
        row("Count", "1000000000", true);
        row("Count", "0", false);
        row("Count", "1000000001", false);
        row("Count", "-1", false);
        row("Count", "+3", false);
        row("Count", "3 ", false);
        row("Count", "0x10", false);
        row("Port", "22", true);
        row("Port", "65535", true);
        row("Port", "65536", false);
        row("Port", "0", false);
        row("Seconds", "1", true);
        row("Seconds", "86400", true);
        row("Seconds", "86401", false);
        row("Seconds", "1.5", false);
        row("RemotePath", "/", true);
        row("RemotePath", "/var/log/calico/felix/current", true);
        row("RemotePath", "/var/log/pods/", true);
        row("RemotePath", "/with space/and;semicolon", true);
        row("RemotePath", "relative/path", false);
        row("RemotePath", "-rf", false);
        row("RemotePath", "/a/../etc/shadow", false);
        row("RemotePath", "/a/./b", false);
        row("RemotePath", "/a//b", false);
        row("RemotePath", "/a\nb", false);
        row("RemotePath", "", false);
        row("Word", "felix-calico-hosts-4", true);
        row("Word", "cali-INPUT", true);
        row("Word", "[4]711", true);
        row("Word", "-j", false);
        row("Word", "--output=x", false);
        row("Word", "two words", false);
        row("Word", "tab\there", false);
        row("Word", "", false);
    }
    void values()
    {
        QFETCH(QString, type);
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const std::string s = text.toStdString();
        bool got = false;
        if (type == "Count")
            got = Count::parse(s).has_value();
        else if (type == "Port")
            got = Port::parse(s).has_value();
        else if (type == "Seconds")
            got = Seconds::parse(s).has_value();
        else if (type == "RemotePath")
            got = RemotePath::parse(s).has_value();
        else if (type == "Word")
            got = Word::parse(s).has_value();
        QCOMPARE(got, valid);
    }

    void rendering()
    {
        auto cmd = RemoteCommand("tcpdump")
                       .flag("-n")
                       .flag("-i")
                       .arg(*InterfaceName::parse("vxlan.calico"))
                       .flag("-c")
                       .arg(*Count::of(5))
                       .flag("-w")
                       .flag("-")
                       .flag("host")
                       .arg(*Ipv4::parse("198.51.100.2"))
                       .flag("and")
                       .flag("port")
                       .arg(*Port::of(4789));
        QCOMPARE(QString::fromStdString(cmd.toString()),
                 QString("tcpdump -n -i vxlan.calico -c 5 -w - host 198.51.100.2 and port 4789"));
        QCOMPARE(cmd.argv().size(), std::size_t(13));
        QCOMPARE(cmd.program(), std::string("tcpdump"));
        auto path = RemoteCommand("tail").flag("-n").arg(*Count::of(200)).arg(*RemotePath::parse("/var/log/a b"));
        QCOMPARE(path.toString(), std::string("tail -n 200 '/var/log/a b'"));
    }

    // Every hostile string at every parameter: the type refuses it, or the node's shell
    // receives it as exactly one word, byte for byte, that cannot be an option, and
    // nothing it says runs.
    void injectionAtEveryParameter_data()
    {
        QTest::addColumn<int>("builder");
        QTest::addColumn<int>("index");
        for (int b = 0; b < int(builders().size()); ++b)
            for (int i = 0; i < int(injectionStrings().size()); ++i)
                QTest::newRow(qPrintable(QString("%1 #%2").arg(builders()[std::size_t(b)].first).arg(i))) << b << i;
    }
    void injectionAtEveryParameter()
    {
        QFETCH(int, builder);
        QFETCH(int, index);
        const std::string &hostile = injectionStrings()[std::size_t(index)];
        auto cmd = builders()[std::size_t(builder)].second(hostile);
        if (!cmd)
            return;   // refused: the safest answer
        QVERIFY(hostile.empty() || hostile.front() != '-');
        for (const QString &shell : localShells()) {
            // Replace printf's format: the words after it are what the program would get.
            const std::string line = cmd->toString().substr(std::string("printf x ").size());
            const auto words = shellWords(shell, line);
            QCOMPARE(words.size(), std::size_t(1));
            QCOMPARE(words[0], hostile);
        }
        QVERIFY(!QFile::exists("/tmp/pp-rm-owned"));
    }

    // Values that look like options after a shell split are impossible to build.
    void noValueStartsWithDash()
    {
        for (const auto &hostile : injectionStrings()) {
            if (hostile.empty() || hostile.front() != '-')
                continue;
            for (const auto &[name, build] : builders())
                QVERIFY2(!build(hostile), name);
        }
    }
};

QTEST_GUILESS_MAIN(TestRemoteCommand)
#include "tst_remote_command.moc"
