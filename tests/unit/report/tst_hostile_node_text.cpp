// A node cannot write to the engineer's terminal (issue #13): real recorded sessions with
// escape sequences put where a hostile or broken node can put them (its hostname, a
// Calico log line, a firewall comment, a command's error output) go through the real
// engine, and no output PodPath prints carries them: the terminal picture (with and
// without colour), Markdown and HTML show them escaped.

#include "core/printable.h"
#include "remote/replay_node_shell.h"
#include "report/document_report.h"
#include "report/json_report.h"
#include "report/terminal_picture.h"

#include "diagnose/engine.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace podpath;

namespace {

constexpr std::string_view kTitle = "\x1b]0;owned\x07";     // sets the window title
constexpr std::string_view kErase = "\x1b[1A\x1b[2K";        // erases the line above
constexpr std::string_view kClear = "\x1b[2J\x1b[H";         // clears the screen
constexpr std::string_view kBidi = "\xe2\x80\xae";           // right-to-left override
constexpr std::string_view kC1Csi = "\xc2\x9b" "2J";         // 8-bit CSI as UTF-8

std::optional<remote::SessionRecording> load(const QString &session, const char *node)
{
    auto r = remote::ReplayNodeShell::loadRecording(
        (QStringLiteral(PODPATH_FIXTURES "/sessions/") + session + "/" + node + ".json").toStdString());
    return r.ok() ? std::optional(std::move(r).value()) : std::nullopt;
}

// Puts the sequences where a node's own text goes; returns how many places it changed.
int poison(remote::SessionRecording &rec)
{
    int changed = 0;
    const std::string all = std::string(kTitle) + std::string(kErase) + std::string(kBidi) + std::string(kC1Csi);
    for (auto &c : rec.commands) {
        if (!c.result)
            continue;
        std::string &out = c.result->out;
        if (c.commandLine == "uname -n" && !out.empty()) {
            out.insert(out.find('\n') == std::string::npos ? out.size() : out.find('\n'), all);
            ++changed;
        } else if (c.commandLine.find("felix") != std::string::npos && !out.empty()) {
            out += "2026-11-25_17:08:03.00000 2026-11-25 17:08:03.000 [ERROR][61] felix/x.go 1: " + std::string(kClear) +
                   "verdict: PASS " + all + "\n";
            ++changed;
        } else if (c.commandLine.starts_with("iptables-save")) {
            for (std::size_t at = out.find(" -j DROP"); at != std::string::npos; at = out.find(" -j DROP", at + 60)) {
                out.insert(at, " -m comment --comment \"" + std::string(kErase) + std::string(kBidi) + "\"");
                ++changed;
            }
        }
        if (!c.result->err.empty()) {
            c.result->err += std::string(kClear);
            ++changed;
        }
        // The tunnel device's name: the kernel refuses only '/', ':' and blanks in one,
        // so an ESC fits (15 bytes at most). ip -j escapes it as JSON does.
        if (c.commandLine.starts_with("ip ")) {
            const bool json = c.commandLine.find(" -j ") != std::string::npos;
            for (const std::string dev : {"tunl0", "vxlan.calico"}) {
                const std::string named = dev + (json ? "\\u001b[J" : "\x1b[J");
                for (std::size_t at = out.find(dev); at != std::string::npos; at = out.find(dev, at + named.size())) {
                    if (out.compare(at + dev.size(), named.size() - dev.size(), named, dev.size()) == 0)
                        continue;
                    out.replace(at, dev.size(), named);
                    ++changed;
                }
            }
        }
    }
    return changed;
}

// Every byte below 0x20 but newline, and every DEL, C1 control or bidi override.
QString firstUnsafe(const std::string &text, bool colour)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b == 0x1b && colour) {
            // PodPath's own colours: SGR sequences "ESC [ digits;... m", nothing else.
            std::size_t k = i + 1;
            if (k < text.size() && text[k] == '[') {
                ++k;
                while (k < text.size() && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == ';'))
                    ++k;
                if (k < text.size() && text[k] == 'm') {
                    i = k;
                    continue;
                }
            }
        }
        if ((b < 0x20 && b != '\n') || b == 0x7f)
            return QStringLiteral("byte 0x%1 at %2: %3").arg(b, 2, 16, QLatin1Char('0')).arg(i).arg(QString::fromStdString(printable(text.substr(i > 40 ? i - 40 : 0, 80))));
    }
    for (auto bad : {kBidi, std::string_view("\xc2\x9b")})
        if (auto at = text.find(bad); at != std::string::npos)
            return QStringLiteral("a bidi override or C1 control at %1").arg(at);
    return {};
}

} // namespace

class TestHostileNodeText : public QObject {
    Q_OBJECT
private slots:
    void outputsCarryNoEscapes_data()
    {
        QTest::addColumn<QString>("session");
        for (const char *s : {"ipip-healthy", "ipip-iptables-drop-server-request", "vxlan-iptables-drop-client-reply",
                              "vxlan-tcpdump-missing", "ipip-node-unreachable"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void outputsCarryNoEscapes()
    {
        QFETCH(QString, session);
        auto client = load(session, "client");
        auto server = load(session, "server");
        QVERIFY(client && server);
        QVERIFY(poison(*client) + poison(*server) >= 2);
        remote::ReplayNodeShell c(std::move(*client)), s(std::move(*server));
        diagnose::DiagnosisEngine engine({"root@198.51.100.11", &c}, {"root@198.51.100.12", &s});
        const diagnose::Diagnosis d = engine.run().diagnosis;

        // The poison did reach the diagnosis (else this test would prove nothing).
        // Interface names reach the route and tunnel findings.
        QVERIFY2(d.server.tunnelDevice.find('\x1b') != std::string::npos, d.server.tunnelDevice.c_str());
        bool poisoned = d.server.hostname.find('\x1b') != std::string::npos ||
                        d.client.hostname.find('\x1b') != std::string::npos;
        for (const auto &l : d.logs)
            poisoned = poisoned || l.text.find('\x1b') != std::string::npos;
        for (const auto &cmd : d.commands)
            poisoned = poisoned || cmd.output.find('\x1b') != std::string::npos || cmd.errors.find('\x1b') != std::string::npos;
        QVERIFY2(poisoned, "no escape sequence reached the diagnosis");

        report::TerminalStyle plain, coloured;
        coloured.color = true;
        const std::pair<const char *, std::string> outputs[] = {
            {"terminal", report::renderTerminal(d, plain)},
            {"terminal in colour", report::renderTerminal(d, coloured)},
            {"markdown", report::renderMarkdown(d)},
            {"html", report::renderHtml(d)},
            {"json", report::toJsonBytes(d).toStdString()},
        };
        for (const auto &[name, text] : outputs) {
            const QString bad = firstUnsafe(text, std::string_view(name) == "terminal in colour");
            QVERIFY2(bad.isEmpty(), qPrintable(QString::fromLatin1(name) + ": " + bad));
        }
        // What the node printed is still there for the reader, escaped.
        if (d.server.hostname.find('\x1b') != std::string::npos)
            QVERIFY(outputs[0].second.find("\\x1b]0;owned\\x07") != std::string::npos);
        QVERIFY2(outputs[0].second.find(printable(d.server.tunnelDevice)) != std::string::npos,
                 "the tunnel device's name is not in the terminal picture, escaped");
    }

    // The whole program, as an engineer runs it: `podpath diagnose --replay` on poisoned
    // recordings with the JSON on stdout, the terminal picture, stderr and the log file
    // (every level), none of which may carry what the node put in its text.
    void wholeProgramPrintsNothingUnsafe_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QStringList>("options");
        QTest::newRow("picture, JSON on stdout") << "ipip-iptables-drop-server-request" << QStringList{"--json", "-"};
        QTest::newRow("picture, verbose log") << "vxlan-tcpdump-missing" << QStringList{"--verbose"};
        QTest::newRow("node unreachable, JSON") << "ipip-node-unreachable" << QStringList{"--json", "-", "--verbose"};
    }
    void wholeProgramPrintsNothingUnsafe()
    {
        QFETCH(QString, session);
        QFETCH(QStringList, options);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const char *node : {"client", "server"}) {
            auto rec = load(session, node);
            QVERIFY(rec);
            poison(*rec);
            QVERIFY(rec->save((dir.path() + "/" + node + ".json").toStdString()).ok());
        }
        QProcess podpath;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_STATE_HOME", dir.path() + "/state");
        env.insert("QT_QPA_PLATFORM", "offscreen");
        podpath.setProcessEnvironment(env);
        podpath.start(PODPATH_BINARY, QStringList{"diagnose", "--replay", dir.path()} + options);
        QVERIFY(podpath.waitForFinished(60000));
        QVERIFY2(podpath.exitStatus() == QProcess::NormalExit, "podpath crashed");
        const std::string out = podpath.readAllStandardOutput().toStdString();
        const std::string err = podpath.readAllStandardError().toStdString();
        QFile log(dir.path() + "/state/podpath/podpath.log");
        QVERIFY2(log.open(QIODevice::ReadOnly), "no log file written");
        const std::string logText = log.readAll().toStdString();
        QVERIFY2(!out.empty(), "nothing on stdout");
        if (options.contains("--verbose"))
            QVERIFY2(!logText.empty(), "the verbose log is empty");
        for (const auto &[name, text] : {std::pair<const char *, const std::string &>{"stdout", out},
                                         {"stderr", err}, {"log file", logText}}) {
            const QString bad = firstUnsafe(text, false);
            QVERIFY2(bad.isEmpty(), qPrintable(QString::fromLatin1(name) + ": " + bad));
        }
        if (options.contains("-")) {
            // What stdout carries after the picture is JSON that still parses and still
            // holds the node's text (escaped, not dropped).
            const auto brace = out.starts_with("{") ? 0 : out.find("\n{");
            QVERIFY2(brace != std::string::npos, "no JSON on stdout");
            QJsonParseError perr{};
            const QJsonDocument doc =
                QJsonDocument::fromJson(QByteArray::fromStdString(out.substr(brace == 0 ? 0 : brace + 1)), &perr);
            QVERIFY2(perr.error == QJsonParseError::NoError && doc.isObject(), qPrintable(perr.errorString()));
            QVERIFY(out.find("\\u202e") != std::string::npos || out.find("\\u001b") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestHostileNodeText)
#include "tst_hostile_node_text.moc"
