// The cluster matrix as a ticket document (report/matrix_document.h), over the recorded
// six-node lab runs (tests/fixtures/matrix-sessions): every pair that did not pass has its
// section and the table links to it, the headline counts what the matrix counts, hops are
// named by title only, each node's commands are there once, Markdown and HTML say the same
// things in the same order, and the HTML needs nothing from the network. Then the whole
// program: `podpath matrix --replay DIR --report FILE`.

#include "replayed_matrix.h"
#include "core/printable.h"
#include "report/document_markup.h"
#include "report/document_report.h"
#include "report/matrix_document.h"
#include "report/matrix_report.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <span>

using namespace podpath;
using namespace podpath::diagnose;

namespace {

// The recording replayed with node `lost` (from 0) never reached, as a node whose SSH
// failed is given to the engine.
std::optional<ClusterMatrix> withNodeNotReached(const QString &name, std::size_t lost)
{
    const QString dir = testing::matrixSessionDir(name);
    QFile list(dir + QStringLiteral("/nodes.txt"));
    if (!list.open(QIODevice::ReadOnly))
        return std::nullopt;
    std::vector<std::unique_ptr<remote::ReplayNodeShell>> shells;
    std::vector<MatrixTarget> targets;
    for (const QByteArray &line : list.readAll().split('\n')) {
        if (line.trimmed().isEmpty() || line.startsWith('#'))
            continue;
        const std::size_t index = targets.size();
        auto rec = remote::ReplayNodeShell::loadRecording((dir + "/node-" + QString::number(index + 1) + ".json").toStdString());
        if (!rec.ok())
            return std::nullopt;
        shells.push_back(std::make_unique<remote::ReplayNodeShell>(std::move(rec).value()));
        if (index == lost)
            targets.push_back({line.trimmed().toStdString(), nullptr, "connection refused"});
        else
            targets.push_back({line.trimmed().toStdString(), shells.back().get(), {}});
    }
    MatrixEngine engine(std::move(targets));
    return engine.run();
}

std::optional<ClusterMatrix> matrixFor(const QString &recording, int notReached)
{
    if (notReached >= 0)
        return withNodeNotReached(recording, std::size_t(notReached));
    auto r = testing::replayedMatrix(recording);
    return r ? std::optional(std::move(r->matrix)) : std::nullopt;
}

QString qs(const std::string &s) { return QString::fromStdString(s); }

QString unescaped(QString s)
{
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    s.remove(tag);
    return s.replace(QLatin1String("&lt;"), QLatin1String("<"))
        .replace(QLatin1String("&gt;"), QLatin1String(">"))
        .replace(QLatin1String("&quot;"), QLatin1String("\""))
        .replace(QLatin1String("&amp;"), QLatin1String("&"));
}

// "2 Matrix", "3 pplab-node1 → pplab-node2": the headings down to level 3, in order.
QStringList htmlHeadings(const QString &html)
{
    static const QRegularExpression h(QStringLiteral("<h([1-3])[^>]*>(.*?)</h\\1>"));
    QStringList out;
    for (auto it = h.globalMatch(html); it.hasNext();) {
        const auto m = it.next();
        out << m.captured(1) + " " + unescaped(m.captured(2)).trimmed();
    }
    return out;
}

QStringList markdownHeadings(const QString &md)
{
    static const QRegularExpression h(QStringLiteral("^(#{1,3}) (.*)$"));
    static const QRegularExpression fenceLine(QStringLiteral("^(`{3,})"));
    QStringList out;
    QString fence;  // the open fence; a line of it alone closes it
    for (const QString &line : md.split(QLatin1Char('\n'))) {
        if (fence.isEmpty()) {
            if (const auto f = fenceLine.match(line); f.hasMatch()) {
                fence = f.captured(1);
                continue;
            }
            if (const auto m = h.match(line); m.hasMatch())
                out << QString::number(m.captured(1).size()) + " " + m.captured(2).trimmed();
        } else if (line == fence) {
            fence.clear();
        }
    }
    return out;
}

// What a headline counts, as matrixCounts words it.
struct Counts {
    int nodes = 0, pairs = 0, pass = 0, fail = 0, unproven = 0, unjudged = 0, withUnreached = 0, unreachedNodes = 0;
    bool operator==(const Counts &) const = default;
};

Counts countsIn(const QString &headline)
{
    Counts c;
    auto number = [&](const QString &pattern) {
        const auto m = QRegularExpression(pattern).match(headline);
        return m.hasMatch() ? m.captured(1).toInt() : 0;
    };
    c.nodes = number(QStringLiteral("(\\d+) nodes, "));
    c.pairs = number(QStringLiteral("(\\d+) ordered pairs"));
    c.pass = number(QStringLiteral("(\\d+) pass"));
    c.fail = number(QStringLiteral("(\\d+) fail"));
    c.unproven = number(QStringLiteral("(\\d+) not proven"));
    c.unjudged = number(QStringLiteral("(\\d+) could not be judged"));
    c.withUnreached = number(QStringLiteral("(\\d+) with a node not reached"));
    c.unreachedNodes = number(QStringLiteral("; (\\d+) nodes? not reached"));
    return c;
}

Counts countsOf(const ClusterMatrix &m)
{
    Counts c;
    c.nodes = int(m.nodes.size());
    c.pairs = c.nodes * (c.nodes - 1);
    c.pass = m.count(Verdict::Pass);
    c.fail = m.count(Verdict::Fail);
    c.unproven = m.count(Verdict::Incomplete);
    c.unjudged = m.count(Verdict::Error);
    c.withUnreached = c.pairs - int(m.cells.size());
    for (const auto &n : m.nodes)
        c.unreachedNodes += n.problem.empty() ? 0 : 1;
    return c;
}

// Each node's part of the appendix: from its heading to the next node's (or the end).
QStringList appendixParts(const QString &doc, const ClusterMatrix &m, bool html)
{
    const int appendix = doc.indexOf(QString::fromUtf8(report::kAppendixHeading.data(), qsizetype(report::kAppendixHeading.size())));
    QStringList parts;
    int from = appendix;
    std::vector<int> starts;
    for (std::size_t i = 0; i < m.nodes.size(); ++i) {
        const std::string title = std::to_string(i + 1) + " " + printable(nodeName(m.nodes[i].facts));
        const QString heading = html ? qs("<h3>" + report::htmlEscaped(title) + "</h3>") : qs("\n### " + title + "\n");
        from = doc.indexOf(heading, from);
        starts.push_back(from);
    }
    starts.push_back(int(doc.size()));
    for (std::size_t i = 0; i + 1 < starts.size(); ++i)
        parts << (starts[i] < 0 ? QString() : doc.mid(starts[i], starts[i + 1] - starts[i]));
    return parts;
}

QByteArray fakePng(const Diagnosis &d) { return QByteArray("png of ") + nodeName(d.client).c_str() + " to " + nodeName(d.server).c_str(); }

} // namespace

class TestMatrixDocument : public QObject {
    Q_OBJECT
private:
    static void recordings()
    {
        QTest::addColumn<QString>("recording");
        QTest::addColumn<int>("notReached");  // a node (from 0) replayed as never reached; -1 none
        QTest::newRow("vxlan healthy") << "vxlan-healthy" << -1;
        QTest::newRow("vxlan iptables-drop-server-request") << "vxlan-iptables-drop-server-request" << -1;
        QTest::newRow("ipip tunnel-down") << "ipip-tunnel-down" << -1;
        QTest::newRow("ipip tunnel-down, node 4 not reached") << "ipip-tunnel-down" << 3;
    }

private slots:
    void pairsHaveSectionsTheTableLinksTo_data() { recordings(); }
    void pairsHaveSectionsTheTableLinksTo()
    {
        QFETCH(QString, recording);
        QFETCH(int, notReached);
        const auto m = matrixFor(recording, notReached);
        QVERIFY2(m, qPrintable("cannot replay " + recording));
        report::MatrixHtmlOptions pictures;
        pictures.diagram = fakePng;
        const QString html = qs(report::renderMatrixHtml(*m, pictures));
        const QString md = qs(report::renderMatrixMarkdown(*m));
        const auto bad = report::pairsNotPassing(*m);
        for (const MatrixCell *c : bad) {
            const QString a = qs(report::pairAnchor(*c));
            QCOMPARE(html.count("href=\"#" + a + "\""), qsizetype(1));
            QCOMPARE(html.count("id=\"" + a + "\""), qsizetype(1));
            QCOMPARE(md.count("](#" + a + ")"), qsizetype(1));
            QCOMPARE(md.count("<a id=\"" + a + "\"></a>"), qsizetype(1));
            // The link sits on the pair's mark, the section opens on the pair's two names.
            QVERIFY(html.contains("<a href=\"#" + a + "\">" + qs(report::matrixMark(*m, c->client, c->server)) + "</a>"));
            const QString heading = qs(report::htmlEscaped(printable(nodeName(m->nodes[c->client].facts)) + " \u2192 " +
                                                           printable(nodeName(m->nodes[c->server].facts))));
            QVERIFY(html.contains("<h3 id=\"" + a + "\">" + heading + "</h3>"));
        }
        // Sections for those pairs only, failing ones first.
        QCOMPARE(html.count(QLatin1String("id=\"pair-")), qsizetype(bad.size()));
        QCOMPARE(html.count(QLatin1String("<h4>Findings</h4>")), qsizetype(bad.size()));
        QCOMPARE(md.count(QLatin1String("#### Findings")), qsizetype(bad.size()));
        for (std::size_t k = 1; k < bad.size(); ++k)
            QVERIFY(!(bad[k - 1]->diagnosis.verdict != Verdict::Fail && bad[k]->diagnosis.verdict == Verdict::Fail));
        // A failing pair's finding comes with what to do about it.
        for (const MatrixCell *c : bad)
            for (const auto &f : c->diagnosis.findings)
                if (!f.nextStep.empty())
                    QVERIFY2(md.contains(qs("Next step: " + printable(f.nextStep))), f.nextStep.c_str());
        // Every failing pair drawn (here at most ten: under the cap), none other.
        const int failing = m->count(Verdict::Fail);
        QCOMPARE(html.count(QLatin1String("<img ")), qsizetype(std::min<int>(failing, int(report::kMatrixDiagrams))));
        for (const MatrixCell *c : bad)
            if (c->diagnosis.verdict == Verdict::Fail)
                QVERIFY(html.contains(QString::fromLatin1(fakePng(c->diagnosis).toBase64())));
    }

    void headlineCountsTheMatrix_data() { recordings(); }
    void headlineCountsTheMatrix()
    {
        QFETCH(QString, recording);
        QFETCH(int, notReached);
        const auto m = matrixFor(recording, notReached);
        QVERIFY(m);
        const QString html = qs(report::renderMatrixHtml(*m));
        const QString md = qs(report::renderMatrixMarkdown(*m));
        static const QRegularExpression htmlVerdict(QStringLiteral("<p class=\"verdict [a-z]+\">(.*?)</p>"));
        const auto hv = htmlVerdict.match(html);
        QVERIFY(hv.hasMatch());
        const QString htmlHeadline = unescaped(hv.captured(1));
        const QString mdHeadline = md.split(QLatin1Char('\n')).value(2);
        QVERIFY2(mdHeadline.startsWith(QLatin1String("**")), qPrintable(mdHeadline));
        QVERIFY2(countsIn(htmlHeadline) == countsOf(*m), qPrintable(htmlHeadline));
        QVERIFY2(countsIn(mdHeadline) == countsOf(*m), qPrintable(mdHeadline));
        // The terminal's own words.
        QVERIFY(htmlHeadline.contains(qs(report::matrixCounts(*m))));
        const char *word = report::matrixExitStatus(*m) == 0 ? "PASS: " : report::matrixExitStatus(*m) == 1 ? "FAIL: " : "NOT PROVEN: ";
        QVERIFY2(htmlHeadline.contains(QLatin1String(word)) && mdHeadline.contains(QLatin1String(word)), qPrintable(htmlHeadline));
        // The title names the cluster, when, and that it was replayed.
        const QString title = qs(report::matrixReportTitle(*m));
        QVERIFY(title.startsWith(QStringLiteral("PodPath cluster matrix: %1 nodes (").arg(m->nodes.size())));
        QVERIFY(title.contains(qs(printable(nodeName(m->nodes[0].facts)))));
        QVERIFY(title.endsWith(QLatin1String(", recorded")));
        QVERIFY(md.startsWith("# " + title + "\n"));
        QVERIFY(html.contains("<title>" + qs(report::htmlEscaped(title.toStdString())) + "</title>"));
        if (notReached >= 0) {
            QVERIFY(html.contains(QLatin1String("<td class=\"fail\">connection refused")));
            QCOMPARE(qs(report::matrixMark(*m, std::size_t(notReached), 0)), QStringLiteral("xx"));
        }
    }

    void readerWordsOnly_data() { recordings(); }
    void readerWordsOnly()
    {
        QFETCH(QString, recording);
        QFETCH(int, notReached);
        const auto m = matrixFor(recording, notReached);
        QVERIFY(m);
        report::MatrixHtmlOptions pictures;
        pictures.diagram = fakePng;
        for (const QString &text : {qs(report::renderMatrixHtml(*m, pictures)), qs(report::renderMatrixMarkdown(*m))}) {
            for (const auto &hops : {std::span<const HopInfo>(kHops), std::span<const HopInfo>(kPodHops)})
                for (const HopInfo &h : hops)
                    QVERIFY2(!text.contains(QString::fromUtf8(h.key.data(), qsizetype(h.key.size()))),
                             qPrintable(QStringLiteral("hop id %1 in the document").arg(QString::fromUtf8(h.key.data()))));
            QVERIFY(!text.contains(QLatin1Char('\x1b')));
        }
    }

    void eachNodesCommandsOnce_data() { recordings(); }
    void eachNodesCommandsOnce()
    {
        QFETCH(QString, recording);
        QFETCH(int, notReached);
        const auto m = matrixFor(recording, notReached);
        QVERIFY(m);
        for (const bool html : {true, false}) {
            const QString doc = qs(html ? report::renderMatrixHtml(*m) : report::renderMatrixMarkdown(*m));
            const QString opening = html ? QStringLiteral("<pre>$ ") : QStringLiteral("\n$ ");
            const int appendix = doc.indexOf(QString::fromUtf8(report::kAppendixHeading.data()));
            QVERIFY(appendix > 0);
            // No command in the body: the pairs share their nodes' commands.
            QCOMPARE(doc.left(appendix).count(opening), 0);
            const QStringList parts = appendixParts(doc, *m, html);
            std::size_t all = 0;
            for (std::size_t i = 0; i < m->nodes.size(); ++i) {
                const QString &part = parts[qsizetype(i)];
                QVERIFY2(!part.isEmpty(), qPrintable(QStringLiteral("no appendix for node %1").arg(i + 1)));
                const auto &commands = m->nodes[i].commands;
                all += commands.size();
                QCOMPARE(part.count(opening), qsizetype(commands.size()));
                for (const auto &c : commands) {
                    const std::string said = printable(c.command);
                    const QString line = opening + qs(html ? report::htmlEscaped(said) : said) + "\n";
                    const auto times = std::count_if(commands.begin(), commands.end(),
                                                     [&](const CommandRecord &o) { return o.command == c.command; });
                    QCOMPARE(part.count(line), qsizetype(times));
                }
            }
            QCOMPARE(doc.count(opening), qsizetype(all));
        }
    }

    void markdownAndHtmlSayTheSame_data() { recordings(); }
    void markdownAndHtmlSayTheSame()
    {
        QFETCH(QString, recording);
        QFETCH(int, notReached);
        const auto m = matrixFor(recording, notReached);
        QVERIFY(m);
        const QStringList html = htmlHeadings(qs(report::renderMatrixHtml(*m)));
        const QStringList md = markdownHeadings(qs(report::renderMatrixMarkdown(*m)));
        QCOMPARE(md, html);
        const QStringList top = html.filter(QRegularExpression(QStringLiteral("^2 ")));
        QCOMPARE(top, (QStringList{"2 Matrix", "2 What the failing pairs have in common", "2 Nodes",
                                   QStringLiteral("2 Pairs that did not pass (%1)").arg(report::pairsNotPassing(*m).size()),
                                   "2 " + QString::fromUtf8(report::kAppendixHeading.data())}));
    }

    void htmlIsSelfContained_data() { recordings(); }
    void htmlIsSelfContained()
    {
        QFETCH(QString, recording);
        QFETCH(int, notReached);
        const auto m = matrixFor(recording, notReached);
        QVERIFY(m);
        report::MatrixHtmlOptions pictures;
        pictures.diagram = fakePng;
        const QString html = qs(report::renderMatrixHtml(*m, pictures));
        static const QRegularExpression src(QStringLiteral("(?:src|href)\\s*=\\s*\"([^\"]*)\""));
        for (auto it = src.globalMatch(html); it.hasNext();) {
            const QString target = it.next().captured(1);
            QVERIFY2(target.startsWith(QLatin1String("data:image/png;base64,")) || target.startsWith(QLatin1Char('#')),
                     qPrintable(target));
        }
        QVERIFY(!html.contains(QLatin1String("<link")) && !html.contains(QLatin1String("<script")));
    }

    // More failing pairs than the cap: the first twelve are drawn, the document says so,
    // and every pair still has its text.
    void diagramsAreCapped()
    {
        auto m = matrixFor(QStringLiteral("ipip-tunnel-down"), -1);
        QVERIFY(m);
        const MatrixCell *failing = report::pairsNotPassing(*m).front();
        const Diagnosis broken = failing->diagnosis;
        for (auto &c : m->cells)
            c.diagnosis = broken;  // every pair fails as the first did
        int asked = 0;
        report::MatrixHtmlOptions pictures;
        pictures.diagram = [&](const Diagnosis &d) {
            ++asked;
            return fakePng(d);
        };
        const QString html = qs(report::renderMatrixHtml(*m, pictures));
        QCOMPARE(asked, int(report::kMatrixDiagrams));
        QCOMPARE(html.count(QLatin1String("<img ")), qsizetype(report::kMatrixDiagrams));
        QVERIFY(html.contains(QStringLiteral("The first %1 of the 30 failing pairs have their path diagram").arg(report::kMatrixDiagrams)));
        QCOMPARE(html.count(QLatin1String("<h4>Findings</h4>")), qsizetype(30));
    }

    // The whole program, from a recording: the report is written and the exit status is
    // the matrix's; a report it cannot write or a kind it does not make stops it first.
    void wholeProgram_data()
    {
        QTest::addColumn<QString>("recording");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("starts");  // the file's first bytes; empty: no file, stderr says why
        QTest::addColumn<QString>("says");    // on stderr
        QTest::newRow("html, one pair fails") << "vxlan-iptables-drop-server-request" << "m.html" << 1 << "<!DOCTYPE html>"
                                              << "wrote the HTML report to";
        QTest::newRow("markdown, one node fails") << "ipip-tunnel-down" << "m.md" << 1 << "# PodPath cluster matrix: 6 nodes ("
                                                  << "wrote the Markdown report to";
        QTest::newRow("html, healthy") << "vxlan-healthy" << "m.html" << 0 << "<!DOCTYPE html>" << "wrote the HTML report to";
        QTest::newRow("pdf refused") << "vxlan-healthy" << "m.pdf" << 2 << ""
                                     << "--report must name a .html or .md file";
        QTest::newRow("text refused") << "vxlan-healthy" << "m.txt" << 2 << "" << "--report must name a .html or .md file";
        QTest::newRow("missing folder") << "vxlan-healthy" << "no/such/folder/m.html" << 2 << ""
                                        << "cannot write --report";
    }
    void wholeProgram()
    {
        QFETCH(QString, recording);
        QFETCH(QString, file);
        QFETCH(int, status);
        QFETCH(QString, starts);
        QFETCH(QString, says);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(file);
        QProcess podpath;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), dir.path() + "/state");
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        podpath.setProcessEnvironment(env);
        podpath.start(QStringLiteral(PODPATH_BINARY),
                      {"matrix", "--replay", testing::matrixSessionDir(recording), "--report", path});
        QVERIFY(podpath.waitForFinished(120000));
        QVERIFY2(podpath.exitStatus() == QProcess::NormalExit, "podpath crashed");
        const QString err = QString::fromUtf8(podpath.readAllStandardError());
        QVERIFY2(err.contains(says), qPrintable(err));
        QCOMPARE(podpath.exitCode(), status);
        QFile written(path);
        if (starts.isEmpty()) {
            QVERIFY(!written.exists());
            QVERIFY2(err.count(QLatin1Char('\n')) == 1, qPrintable(err));  // one line says why
            return;
        }
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray doc = written.readAll();
        QVERIFY2(doc.startsWith(starts.toUtf8()), doc.left(200).constData());
        if (file.endsWith(QLatin1String(".html"))) {
            QVERIFY(doc.contains("<table class=\"matrix\">"));
            // The real diagrams, drawn by the app, for the failing pairs.
            QCOMPARE(doc.count("src=\"data:image/png;base64,iVBOR"), status == 1 ? qsizetype(2) : qsizetype(0));
        }
    }
};

QTEST_GUILESS_MAIN(TestMatrixDocument)
#include "tst_matrix_document.moc"
