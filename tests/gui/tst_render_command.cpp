// `podpath render` and `podpath diagnose --png/--report`, the real binary, without a
// display: the picture for a ticket from a saved diagnosis, and one-line errors that say
// what to do when it cannot be drawn.

#include "diagram_image.h"
#include "replayed.h"
#include "report/json_report.h"

#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace podpath;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};

// As on a server or in CI: no display of any kind, no platform chosen.
Run runPodpath(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(v));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PODPATH_BINARY), args);
    Run r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TestRenderCommand : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const char *session : {"ipip-ipset-missing-client", "vxlan-tcpdump-missing"}) {
            auto run = testing::replayed(QString::fromLatin1(session));
            QVERIFY(run);
            QVERIFY(writeFile(path(QString::fromLatin1(session) + ".json"), report::toJsonBytes(run->diagnosis)));
        }
        QVERIFY(writeFile(path("garbage.json"), "this is not json {"));
        QVERIFY(writeFile(path("other.json"), R"({"kind": "something else", "items": []})"));
        // A saved file whose words a node filled: the error quoting it must not drive the terminal.
        QVERIFY(writeFile(path("hostile.json"), "{\"schema\": \"podpath-diagnosis\", \"schemaVersion\": 1, \"verdict\": \"\\u001b]0;owned\\u0007\\u001b[2J\"}"));
    }

    void render_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QSize>("size");      // of the PNG written, when exit 0
        QTest::addColumn<QString>("message");  // in the one-line error, when exit 2
        const QString good = path("ipip-ipset-missing-client.json");
        QTest::newRow("2x light") << QStringList{"render", "--json", good, "--png", path("a.png")} << 0 << QSize(2400, 1120) << "";
        QTest::newRow("1x dark") << QStringList{"render", "--json", good, "--png", path("b.png"), "--scale", "1", "--dark"} << 0
                                 << QSize(1200, 560) << "";
        QTest::newRow("could-not-diagnose document")
            << QStringList{"render", "--json", path("vxlan-tcpdump-missing.json"), "--png", path("c.png")} << 0
            << QSize(2400, 1120) << "";
        QTest::newRow("missing file") << QStringList{"render", "--json", path("nope.json"), "--png", path("d.png")} << 2 << QSize()
                                      << "cannot draw " + path("nope.json") + ": cannot read the saved diagnosis: No such file";
        QTest::newRow("not JSON") << QStringList{"render", "--json", path("garbage.json"), "--png", path("e.png")} << 2 << QSize()
                                  << "cannot draw " + path("garbage.json") + ": not JSON";
        QTest::newRow("other JSON") << QStringList{"render", "--json", path("other.json"), "--png", path("f.png")} << 2 << QSize()
                                    << "cannot draw " + path("other.json") + ": not a PodPath diagnosis";
        QTest::newRow("no --png") << QStringList{"render", "--json", good} << 2 << QSize() << "--json and --png are required";
        QTest::newRow("bad scale") << QStringList{"render", "--json", good, "--png", path("g.png"), "--scale", "9"} << 2 << QSize()
                                   << "--scale must be a number from 1 to 4";
        QTest::newRow("unknown option") << QStringList{"render", "--jsn", good} << 2 << QSize() << "try podpath render --help";
        QTest::newRow("endless input") << QStringList{"render", "--json", "/dev/zero", "--png", path("z.png")} << 2 << QSize()
                                       << "cannot draw /dev/zero: the saved diagnosis is larger than PodPath reads";
        QTest::newRow("terminal escapes in the file") << QStringList{"render", "--json", path("hostile.json"), "--png", path("i.png")}
                                                      << 2 << QSize() << "cannot draw";
        QTest::newRow("unwritable output")
            << QStringList{"render", "--json", good, "--png", path("no/such/dir/h.png")} << 2 << QSize() << "cannot write";
    }

    void render()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QSize, size);
        QFETCH(QString, message);
        const Run r = runPodpath(args);
        QVERIFY2(r.exitCode == exitCode, r.err.constData());
        const QString png = args.contains("--png") ? args[args.indexOf("--png") + 1] : QString();
        if (exitCode == 0) {
            QVERIFY2(r.err.isEmpty(), r.err.constData());
            QImage img;
            QVERIFY(img.load(png, "PNG"));
            QCOMPARE(img.size(), size);
        } else {
            const QString err = QString::fromUtf8(r.err);
            QVERIFY2(err.startsWith(QStringLiteral("podpath render: ")), qPrintable(err));
            QVERIFY2(!r.err.contains('\x1b') && !r.err.contains('\x07'), r.err.toPercentEncoding().constData());
            QCOMPARE(err.trimmed().count(QLatin1Char('\n')), 0);  // one line
            QVERIFY2(err.contains(message), qPrintable(err));
            if (!png.isEmpty())
                QVERIFY(!QFile::exists(png));
        }
    }

    // `podpath diagnose` refuses bad arguments before connecting, in one line that names
    // the option at fault.
    void diagnoseArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad --jump") << QStringList{"diagnose", "--client", "a", "--server", "b", "--jump", "root@:x"}
                                    << "podpath diagnose: --jump: ";
        QTest::newRow("bad --client") << QStringList{"diagnose", "--client", "root@:x", "--server", "b"}
                                      << "podpath diagnose: --client: ";
        QTest::newRow("bad --server") << QStringList{"diagnose", "--client", "a", "--server", "b:99999"}
                                      << "podpath diagnose: --server: ";
    }
    void diagnoseArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runPodpath(args);
        QCOMPARE(r.exitCode, 2);
        const QString err = QString::fromUtf8(r.err);
        QCOMPARE(err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY2(err.startsWith(message), qPrintable(err));
    }

    // The same picture from the diagnosis itself: --png, and embedded in --report's HTML.
    void diagnoseWritesPicture()
    {
        const Run r = runPodpath({"diagnose", "--replay", PODPATH_FIXTURES "/sessions/ipip-ipset-missing-client", "--png",
                               path("diag.png"), "--report", path("diag.html"), "--quiet"});
        QVERIFY2(r.exitCode == 1, r.err.constData());  // a hop failed: the diagnosis worked
        QImage img;
        QVERIFY(img.load(path("diag.png"), "PNG"));
        QCOMPARE(img.size(), QSize(2400, 1120));
        QFile html(path("diag.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QByteArray doc = html.readAll();
        const QRegularExpression embedded(QStringLiteral("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\""));
        const auto m = embedded.match(QString::fromUtf8(doc));
        QVERIFY2(m.hasMatch(), "no embedded diagram in the HTML report");
        // The report's own size: narrow enough that its labels stay legible on a page.
        QImage inReport;
        QVERIFY(inReport.loadFromData(QByteArray::fromBase64(m.captured(1).toLatin1()), "PNG"));
        const QSizeF logical = widgets::reportDiagramSize();
        QCOMPARE(inReport.size(), (logical * 2).toSize());
        QVERIFY(doc.contains("width=\"" + QByteArray::number(int(logical.width())) + "\""));
    }

    // Each file written is named on stderr, one line each, with its full path; --quiet
    // says nothing.
    void diagnoseSaysWhereItWrote_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("lines");
        QTest::newRow("html and json") << QStringList{"--report", "r.html", "--json", "d.json"}
                                       << QStringList{"wrote the diagnosis (JSON) to DIR/d.json",
                                                      "wrote the HTML report to DIR/r.html"};
        QTest::newRow("pdf, png, pcap")
            << QStringList{"--report", "r.pdf", "--png", "p.png", "--pcap", "caps"}
            << QStringList{"wrote the PDF report to DIR/r.pdf", "wrote the diagram (PNG) to DIR/p.png",
                           "wrote the client's capture to DIR/caps/client.pcap",
                           "wrote the server's capture to DIR/caps/server.pcap"};
        QTest::newRow("markdown, quiet") << QStringList{"--report", "r.md", "--quiet"} << QStringList{};
    }
    void diagnoseSaysWhereItWrote()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, lines);
        QTemporaryDir dir;
        const QString abs = QFileInfo(dir.path()).absoluteFilePath();
        QStringList full{"diagnose", "--replay", PODPATH_FIXTURES "/sessions/vxlan-mtu-too-small"};
        for (const QString &a : args)
            full << (a.contains('.') || a == QLatin1String("caps") ? dir.filePath(a) : a);
        const Run r = runPodpath(full);
        QCOMPARE(r.exitCode, 1);
        QStringList said;
        for (const QByteArray &l : r.err.split('\n'))
            if (!l.isEmpty())
                said << QString::fromUtf8(l);
        QStringList expected;
        for (const QString &l : lines)
            expected << "podpath diagnose: " + QString(l).replace("DIR", abs);
        QCOMPARE(said, expected);
        for (const QString &a : args)
            if (a.contains('.'))
                QVERIFY2(QFileInfo(dir.filePath(a)).size() > 100, qPrintable(a));
    }

    // A path that cannot be written stops the command before it connects to anything.
    void unwritableOutputStopsFirst_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("why");
        QTest::newRow("report in a missing folder") << "--report" << "missing/r.html" << "does not exist; create it";
        QTest::newRow("pdf in a missing folder") << "--report" << "missing/r.pdf" << "does not exist; create it";
        QTest::newRow("json onto a folder") << "--json" << "" << "is a folder, not a file; choose another path";
        QTest::newRow("png in a missing folder") << "--png" << "missing/d.png" << "does not exist";
        QTest::newRow("pcap under a file") << "--pcap" << "afile/caps" << "is not a folder; choose another folder";
    }
    void unwritableOutputStopsFirst()
    {
        QFETCH(QString, option);
        QFETCH(QString, file);
        QFETCH(QString, why);
        QTemporaryDir dir;
        QFile afile(dir.filePath("afile"));
        QVERIFY(afile.open(QIODevice::WriteOnly));
        afile.close();
        // Nothing listens on port 1 of the loopback: a connection attempt would say so instead.
        const Run r = runPodpath({"diagnose", "--client", "root@127.0.0.1:1", "--server", "root@127.0.0.1:1", option,
                                  file.isEmpty() ? dir.path() : dir.filePath(file)});
        QCOMPARE(r.exitCode, 2);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.startsWith("podpath diagnose: cannot write " + option) && err.contains(why), qPrintable(err));
        QCOMPARE(err.trimmed().count('\n'), 0);
        QVERIFY(r.out.isEmpty());
    }

    void helpWithoutDisplay_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("render") << "render";
        QTest::newRow("diagnose") << "diagnose";
    }
    void helpWithoutDisplay()
    {
        QFETCH(QString, command);
        const Run r = runPodpath({command, "--help"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.startsWith("Usage: podpath " + command.toUtf8() + " [options]"));
        if (command == QLatin1String("diagnose")) {
            QVERIFY(r.out.contains("--png"));
            // What each exit status means is said once for scripts: --help says what the
            // README says, word for word (a help that said "2 could not run" hid that an
            // unproven path exits 2 too).
            QFile readme(QStringLiteral(PODPATH_README));
            QVERIFY(readme.open(QIODevice::ReadOnly));
            const QString said = QString::fromUtf8(readme.readAll()).simplified().remove(QLatin1Char('`'));
            const QString help = QString::fromUtf8(r.out).simplified();
            const qsizetype at = help.indexOf(QLatin1String("Exit status:"));
            QVERIFY2(at >= 0, r.out.constData());
            const QString statuses = help.mid(at, help.indexOf(QLatin1String("why)."), at) + 5 - at);
            QVERIFY2(statuses.size() > 60 && said.contains(statuses), qPrintable(statuses));
        }
    }
};

QTEST_MAIN(TestRenderCommand)
#include "tst_render_command.moc"
