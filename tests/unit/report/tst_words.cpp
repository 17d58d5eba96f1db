// Every word PodPath shows about a recorded diagnosis is checked against the faults a
// reader was misled by: placeholders and blanks, hop ids where a person reads prose,
// counts that do not add up, and health claimed without evidence at every hop. Over
// every recorded lab session (both modes, every fault), through every text renderer.
// tst_window_words checks the window's words by the same rules (words_check.h).

#include "diagnose/hop.h"
#include "replayed.h"
#include "words_check.h"
#include "report/document_report.h"
#include "report/hop_words.h"
#include "report/readable_time.h"
#include "report/terminal_picture.h"

#include <QRegularExpression>
#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

using testing::firstIdIn;
using testing::firstPlaceholderIn;
using testing::prose;
using testing::startsLikeASentence;

namespace {

QString render(const Diagnosis &d, const QString &renderer)
{
    // The terminal as wide as its lines: one row per hop and check (tst_streams checks the folding).
    return QString::fromStdString(renderer == QLatin1String("terminal")   ? report::renderTerminal(d, {false, 1000})
                                  : renderer == QLatin1String("markdown") ? report::renderMarkdown(d)
                                                                          : report::renderHtml(d));
}

// The first thing wrong in what `renderer` writes about `d` (a placeholder, or a hop id in
// its prose); empty when nothing is.
QString renderedTextProblem(const Diagnosis &d, const QString &renderer)
{
    const QString text = render(d, renderer);
    if (text.isEmpty())
        return renderer + " wrote nothing";
    if (const QString placeholder = firstPlaceholderIn(text); !placeholder.isEmpty())
        return "placeholder \"" + placeholder + "\" in the " + renderer;
    if (const QString id = firstIdIn(prose(text)); !id.isEmpty())
        return "hop id " + id + " in the " + renderer + "'s prose";
    return {};
}

// What a person reads as the report's own words: the terminal picture less the packet
// and evidence lines it quotes; a document before its appendix of raw output.
QString body(const QString &text, const QString &renderer)
{
    if (renderer == QLatin1String("terminal"))
        return text;
    const auto appendix = text.indexOf(QString::fromLatin1(report::kAppendixHeading.data(),
                                                           qsizetype(report::kAppendixHeading.size())));
    return appendix < 0 ? text : text.left(appendix);
}

// Headings and titles: the HTML's h1-h3, Markdown's # lines and **bold** leads, the
// terminal's findings lines. With their secondary detail (grey <small>, `code`, [CODE])
// taken out, what is left is what a person reads as the title.
QStringList headings(const QString &text, const QString &renderer)
{
    QStringList out;
    if (renderer == QLatin1String("html")) {
        static const QRegularExpression h(QStringLiteral("<h([1-3])[^>]*>(.*?)</h\\1>"));
        static const QRegularExpression small(QStringLiteral("<small[^>]*>.*?</small>"));
        static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
        for (auto it = h.globalMatch(text); it.hasNext();)
            out << it.next().captured(2).remove(small).remove(tag);
    } else if (renderer == QLatin1String("markdown")) {
        static const QRegularExpression bold(QStringLiteral("\\*\\*(.+?)\\*\\*"));
        for (const QString &l : text.split(QLatin1Char('\n'))) {
            if (l.startsWith(QLatin1Char('#')))
                out << l;
            for (auto it = bold.globalMatch(l); it.hasNext();)
                out << it.next().captured(1);
        }
    } else {
        bool findings = false;
        static const QRegularExpression lead(QStringLiteral("^  (critical|error|warning|info)"));
        for (const QString &l : text.split(QLatin1Char('\n'))) {
            findings = findings || l == QLatin1String("Findings");
            if (findings && lead.match(l).hasMatch())
                out << QString(l).remove(QRegularExpression(QStringLiteral("\\[[A-Z0-9_]+\\]")));
        }
    }
    return out;
}

// The report's own words with the places ids may stand as secondary detail removed:
// [id] (terminal), `id` (Markdown), <code>id</code> (HTML).
QString proseOf(QString text)
{
    static const QRegularExpression detail(QStringLiteral("\\[[a-z.-]+\\]|`[^`]*`|<code>[^<]*</code>"));
    return text.remove(detail);
}

QString firstCheckIdIn(const QString &prose)
{
    for (std::string_view id : kCheckIds) {
        const QRegularExpression re(QStringLiteral("(^|[^a-z.-])") +
                                    QRegularExpression::escape(QString::fromLatin1(id.data(), qsizetype(id.size()))) +
                                    QStringLiteral("($|[^a-z-])"));
        if (re.match(prose).hasMatch())
            return QString::fromLatin1(id.data(), qsizetype(id.size()));
    }
    return {};
}

} // namespace

class TestWords : public QObject {
    Q_OBJECT
    QMap<QString, Diagnosis> m_runs;

    const Diagnosis &run(const QString &session) { return m_runs[session]; }

private slots:
    // The rules themselves catch what they name, and pass what is right: a check that
    // cannot fail proves nothing.
    void rulesCatchWhatTheyName_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("wrong");
        QTest::newRow("literal BLOCK") << "expected BLOCK via 198.51.100.12 dev  proto bird onlink" << true;
        QTest::newRow("lone question mark") << "Node IP ? on eth0" << true;
        QTest::newRow("question") << "Is calico-node running?" << false;
        QTest::newRow("not known as argument") << "On node1: ip route get not known" << true;
        QTest::newRow("ping from not known") << "Ping 198.18.20.128 from not known" << true;
        QTest::newRow("not known as words") << "The peer's tunnel address is not known" << false;
        QTest::newRow("1 lines") << "pplab-node1 printed 1 lines" << true;
        QTest::newRow("1 line") << "pplab-node1 printed 1 line" << false;
        QTest::newRow("1 of 5 replies") << "1 of 5 replies" << false;
        QTest::newRow("finding code in prose") << "Lost because of MTU_TOO_SMALL" << true;
        QTest::newRow("finding code as detail") << "The path cannot carry full-size packets [MTU_TOO_SMALL]" << false;
        QTest::newRow("hop id in prose") << "lost at request.server.ingress" << true;
        QTest::newRow("not a sentence") << "could not read the routes" << true;
    }
    void rulesCatchWhatTheyName()
    {
        QFETCH(QString, text);
        QFETCH(bool, wrong);
        QCOMPARE(!testing::wordsProblem(text, true).isEmpty(), wrong);
    }

    // Each recording is replayed once; every check below reads that diagnosis.
    void initTestCase()
    {
        QVERIFY(testing::recordedSessions().size() >= 40);
        for (const QString &s : testing::recordedSessions()) {
            auto r = testing::replayed(s);
            QVERIFY2(r, qPrintable("cannot replay " + s));
            m_runs.insert(s, r->diagnosis);
        }
    }

    // Every text a renderer writes, per session.
    void renderedTexts_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("renderer");
        for (const QString &s : testing::recordedSessions())
            for (const char *r : {"terminal", "markdown", "html"})
                QTest::newRow(qPrintable(s + " " + r)) << s << QString::fromLatin1(r);
    }
    void renderedTexts()
    {
        QFETCH(QString, session);
        QFETCH(QString, renderer);
        const QString problem = renderedTextProblem(run(session), renderer);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // The same rules over the pod-to-pod recordings (tests/fixtures/pod-sessions): the pods'
    // checks, findings and next steps read as words too.
    void podRenderedTexts_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("renderer");
        const QStringList pods = testing::recordedPodSessions();
        QVERIFY(pods.size() >= 6);
        for (const QString &s : pods)
            for (const char *r : {"terminal", "markdown", "html"})
                QTest::newRow(qPrintable(s + " " + r)) << s << QString::fromLatin1(r);
    }
    void podRenderedTexts()
    {
        QFETCH(QString, session);
        QFETCH(QString, renderer);
        const auto replay = testing::replayedPods(session, testing::recordedPodPort(session));
        QVERIFY(replay);
        wordsOfEveryPart(replay->diagnosis, renderer);
    }

    // And over the recordings in the firewalls besides iptables-nft (nftables mode, the
    // legacy backend, a mixed cluster, eBPF mode): their checks name other tools.
    void dataplaneRenderedTexts_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("renderer");
        const QStringList sessions = testing::recordedDataplaneSessions();
        QVERIFY(sessions.size() >= 7);
        for (const QString &s : sessions)
            for (const char *r : {"terminal", "markdown", "html"})
                QTest::newRow(qPrintable(s + " " + r)) << s << QString::fromLatin1(r);
    }
    void dataplaneRenderedTexts()
    {
        QFETCH(QString, session);
        QFETCH(QString, renderer);
        const auto replay = testing::replayedDataplane(session);
        QVERIFY(replay);
        wordsOfEveryPart(replay->diagnosis, renderer);
    }

private:
    // The rendered text, every check's detail and every finding's message, as words.
    void wordsOfEveryPart(const Diagnosis &d, const QString &renderer)
    {
        const QString problem = renderedTextProblem(d, renderer);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (const auto &c : d.checks)
            QVERIFY2(testing::wordsProblem(QString::fromStdString(c.detail), false).isEmpty(),
                     qPrintable(QString::fromStdString(c.id) + ": " + testing::wordsProblem(QString::fromStdString(c.detail), false)));
        for (const auto &f : d.findings)
            QVERIFY2(testing::wordsProblem(QString::fromStdString(f.message), true).isEmpty(),
                     qPrintable(QString::fromStdString(f.code) + ": " + testing::wordsProblem(QString::fromStdString(f.message), true)));
    }

private slots:

    // A finding's heading or title is words (its message), never its code: the code
    // stands only as secondary detail (grey, in brackets or backticks) after them.
    void findingHeadingsAreWords_data() { renderedTexts_data(); }
    void findingHeadingsAreWords()
    {
        QFETCH(QString, session);
        QFETCH(QString, renderer);
        const Diagnosis &d = run(session);
        const QString text = body(render(d, renderer), renderer);
        const QStringList titles = headings(text, renderer);
        for (const QString &t : titles) {
            const QString code = testing::firstFindingCodeIn(t);
            QVERIFY2(code.isEmpty(), qPrintable("finding code " + code + " as the " + renderer + "'s title: " + t));
        }
        for (const auto &f : d.findings) {
            // Each finding is titled by its message, and its code is there as detail.
            const QString message = QString::fromStdString(f.message);
            QVERIFY2(std::any_of(titles.begin(), titles.end(), [&](const QString &t) {
                         return t.simplified().contains(message.left(40).simplified().toHtmlEscaped()) ||
                                t.simplified().contains(message.left(40).simplified());
                     }),
                     qPrintable("no " + renderer + " title says: " + message));
            QVERIFY2(text.contains(QString::fromStdString(f.code)), f.code.c_str());
        }
    }

    // Checks are named as a person names them ("client route to the peer's block"); the
    // id ("route.client") only as secondary detail beside the name.
    void checksByName_data() { renderedTexts_data(); }
    void checksByName()
    {
        QFETCH(QString, session);
        QFETCH(QString, renderer);
        const Diagnosis &d = run(session);
        const QString text = body(render(d, renderer), renderer);
        const QString id = firstCheckIdIn(proseOf(text));
        QVERIFY2(id.isEmpty(), qPrintable("check id " + id + " in the " + renderer + "'s prose"));
        for (const auto &c : d.checks) {
            const QString name = QString::fromStdString(checkTitle(c.id));
            QVERIFY2(text.contains(name.toHtmlEscaped()) || text.contains(name),
                     qPrintable("the " + renderer + " does not name the check " + name));
        }
    }

    // One time format in a report: the start as "2026-12-04 12:48:36 UTC", never the
    // JSON's ISO "2026-12-04T12:48:36Z" in the reader's part of it.
    void oneTimeFormat_data() { renderedTexts_data(); }
    void oneTimeFormat()
    {
        QFETCH(QString, session);
        QFETCH(QString, renderer);
        Diagnosis d = run(session);
        QVERIFY(!d.startedAt.empty());
        for (const bool recorded : {false, true}) {
            d.recorded = recorded;
            const QString text = body(render(d, renderer), renderer);
            static const QRegularExpression iso(QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d"));
            const auto m = iso.match(text);
            QVERIFY2(!m.hasMatch(), qPrintable("ISO time " + m.captured(0) + " in the " + renderer));
            QVERIFY2(text.contains(QString::fromStdString(report::readableTime(d.startedAt))),
                     qPrintable("the " + renderer + " does not say when: " + QString::fromStdString(d.startedAt)));
        }
    }

    // A hop's mark and the words beside it agree: a fail mark only where echoes were lost
    // at that hop; a hop nothing reached reads "did not reach" under the mark of that;
    // every status cell's mark and word are one status's.
    void marksAgreeWithWords_data() { renderedTexts_data(); }
    void marksAgreeWithWords()
    {
        QFETCH(QString, session);
        QFETCH(QString, renderer);
        const Diagnosis &d = run(session);
        const QString text = body(render(d, renderer), renderer);
        const bool perStream = streamLabels(d).size() > 1;
        if (renderer == QLatin1String("html")) {
            static const QRegularExpression cell(
                QStringLiteral("<td class=\"status (\\w+)\"><span class=\"mark\">([^<]*)</span>&nbsp;([^<]*)</td>"));
            const QMap<QString, QStringList> agree = {
                {QStringLiteral("pass"), {QStringLiteral("\u2713 ok")}},
                {QStringLiteral("fail"), {QStringLiteral("\u2717 FAIL")}},
                {QStringLiteral("unknown"), {QStringLiteral("? no evidence")}},
                {QStringLiteral("skipped"), {QStringLiteral("\u2013 skipped"), QStringLiteral("\u2013 did not reach")}},
            };
            int cells = 0;
            for (auto it = cell.globalMatch(text); it.hasNext(); ++cells) {
                const auto m = it.next();
                QVERIFY2(agree.value(m.captured(1)).contains(m.captured(2) + QLatin1Char(' ') + m.captured(3)),
                         qPrintable(m.captured(0)));
            }
            QCOMPARE(cells, int(d.hops.size() + d.checks.size()));
        }
        // Per hop: a hop marked as failed has a stream lost there.
        for (const QString &row : text.split(QLatin1Char('\n'))) {
            const bool hopRow = row.contains(QLatin1String("<small><code>request.")) ||
                                row.contains(QLatin1String("<small><code>reply."));
            const bool failedHop =
                (renderer == QLatin1String("html") && hopRow && row.contains(QLatin1String("<td class=\"status fail\">"))) ||
                (renderer == QLatin1String("markdown") && row.startsWith(QLatin1String("| ")) &&
                 row.contains(QLatin1String(" | [FAIL] | ")) && !firstIdIn(row).isEmpty()) ||
                (renderer == QLatin1String("terminal") && row.startsWith(QLatin1String("[FAIL] ")));
            if (failedHop && perStream)
                QVERIFY2(row.contains(QLatin1String("lost here")), qPrintable("a fail mark without a loss: " + row));
        }
        // A hop every echo was lost before is never marked as failed.
        for (const auto &h : d.hops) {
            if (report::hopFate(h) != StreamFate::NotReached)
                continue;
            const QString title = QString::fromLatin1(hopInfo(h.id).title.data());
            for (const QString &row : text.split(QLatin1Char('\n')))
                if (row.startsWith(QStringLiteral("| ") + title + QStringLiteral(" `")) ||
                    row.startsWith(QStringLiteral("<tr><td>") + title + QStringLiteral("<br>")))
                    QVERIFY2(!row.contains(QLatin1String("[FAIL]")) && !row.contains(QLatin1String("status fail")),
                             qPrintable("a hop nothing reached marked as failed: " + row));
        }
    }

    // Per stream, every hop's cell accounts for every echo sent: "seen" and "lost here"
    // make up those that reached it, "lost before" the rest, the same total at every hop.
    void streamCellsAddUp_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("renderer");
        for (const QString &s : testing::recordedSessions())
            for (const char *r : {"markdown", "html"})
                QTest::newRow(qPrintable(s + " " + r)) << s << QString::fromLatin1(r);
    }
    void streamCellsAddUp()
    {
        QFETCH(QString, session);
        QFETCH(QString, renderer);
        const Diagnosis &d = run(session);
        const std::size_t streams = streamLabels(d).size();
        if (streams < 2)
            return;
        const QString text = body(render(d, renderer), renderer);
        static const QRegularExpression counted(QStringLiteral(
            "^\\[(?: ok |FAIL)\\] (\\d+) of (\\d+) seen(?:, (\\d+) lost here(?: \\(icmp_seq [0-9, ]+\\))?)?(?:, (\\d+) lost before)?$"));
        static const QRegularExpression notReached(QStringLiteral("^\\[ -- \\] did not reach: (\\d+) lost before$"));
        static const QRegularExpression uncounted(QStringLiteral("^\\[( \\?\\? |skip)\\] (no evidence|not on this path)$"));
        static const QRegularExpression htmlCell(QStringLiteral("<td class=\"(?:pass|fail|unknown|skipped)\">([^<]*)</td>"));
        std::vector<int> sent(streams, -1);
        int rows = 0;
        for (const QString &row : text.split(QLatin1Char('\n'))) {
            if (firstIdIn(row).isEmpty() || !(row.startsWith(QLatin1String("| ")) || row.startsWith(QLatin1String("<tr><td>"))))
                continue;
            QStringList cells;
            if (renderer == QLatin1String("markdown"))
                cells = row.split(QLatin1String(" | ")).mid(2, qsizetype(streams));
            else
                for (auto it = htmlCell.globalMatch(row); it.hasNext();)
                    cells << it.next().captured(1);
            QCOMPARE(cells.size(), qsizetype(streams));
            ++rows;
            for (std::size_t i = 0; i < streams; ++i) {
                const QString c = cells[qsizetype(i)].trimmed();
                int total = -1;
                if (const auto m = counted.match(c); m.hasMatch()) {
                    const int seen = m.captured(1).toInt(), reached = m.captured(2).toInt(),
                              here = m.captured(3).toInt(), before = m.captured(4).toInt();
                    QVERIFY2(seen + here == reached, qPrintable(c));
                    total = reached + before;
                } else if (const auto n = notReached.match(c); n.hasMatch()) {
                    total = n.captured(1).toInt();
                } else {
                    QVERIFY2(uncounted.match(c).hasMatch(), qPrintable("a stream cell that says no count: " + c));
                    continue;
                }
                if (sent[i] < 0)
                    sent[i] = total;
                QVERIFY2(total == sent[i], qPrintable(QStringLiteral("%1 sent here, %2 at an earlier hop: %3").arg(total).arg(sent[i]).arg(c)));
            }
        }
        QCOMPARE(rows, 8);
    }

    // Packet lines cut to the first few say so, with how many were seen.
    void cutEvidenceIsSaid_data() { sentences_data(); }
    void cutEvidenceIsSaid()
    {
        QFETCH(QString, session);
        const Diagnosis &d = run(session);
        const QString html = QString::fromStdString(report::renderHtml(d));
        const QString terminal = QString::fromStdString(report::renderTerminal(d));
        for (const auto &h : d.hops) {
            const std::size_t seen = report::packetsSeenAt(d, h.id);
            if (h.evidence.empty() || seen <= h.evidence.size())
                continue;
            const QString said = QStringLiteral("The first %1 of the %2 packets seen here are listed")
                                     .arg(h.evidence.size()).arg(seen);
            const QString title = QString::fromLatin1(hopInfo(h.id).title.data());
            const auto start = html.indexOf(QStringLiteral("<tr><td>") + title + QStringLiteral("<br>"));
            QVERIFY(start >= 0);
            const QString row = html.mid(start, html.indexOf(QLatin1String("</tr>"), start) - start);
            QVERIFY2(row.contains(said), qPrintable(title + ": " + row.left(300)));
            // The terminal lists the packets of the hops it explains: there too.
            if (terminal.contains(QLatin1Char(' ') + title + QStringLiteral(" [")) && h.status != Status::Pass)
                QVERIFY2(terminal.contains(said), qPrintable(title));
        }
    }

    // What the engine itself says: hop explanations, check details, findings.
    void sentences_data()
    {
        QTest::addColumn<QString>("session");
        for (const QString &s : testing::recordedSessions())
            QTest::newRow(qPrintable(s)) << s;
    }
    void sentences()
    {
        QFETCH(QString, session);
        const Diagnosis &d = run(session);
        QStringList texts;
        for (const auto &h : d.hops) {
            const QString e = QString::fromStdString(h.explanation);
            QVERIFY2(!e.isEmpty(), qPrintable(QString::fromLatin1(hopInfo(h.id).key.data()) + " has no explanation"));
            QVERIFY2(e[0].isUpper(), qPrintable("not a sentence: " + e));
            texts << e;
        }
        for (const auto &c : d.checks)
            texts << QString::fromStdString(c.detail);
        for (const auto &f : d.findings) {
            QVERIFY2(!f.message.empty(), f.code.c_str());
            texts << QString::fromStdString(f.message) << QString::fromStdString(f.nextStep);
        }
        texts << QString::fromStdString(d.error);
        for (const QString &t : texts) {
            if (t.isEmpty())
                continue;
            QVERIFY2(startsLikeASentence(t), qPrintable("not a sentence: " + t));

            const QString placeholder = firstPlaceholderIn(t);
            QVERIFY2(placeholder.isEmpty(), qPrintable("placeholder \"" + placeholder + "\" in: " + t));
            const QString id = firstIdIn(t);
            QVERIFY2(id.isEmpty(), qPrintable("hop id " + id + " in: " + t));
            const QString code = testing::firstFindingCodeIn(t);
            QVERIFY2(code.isEmpty(), qPrintable("finding code " + code + " in: " + t));
        }
    }

    // Counts add up: per hop, its streams sum to its totals; per stream, what was seen,
    // lost here and lost earlier is what was sent, the same at every hop.
    void countsAddUp_data() { sentences_data(); }
    void countsAddUp()
    {
        QFETCH(QString, session);
        const Diagnosis &d = run(session);
        for (const auto &h : d.hops) {
            const QString at = QString::fromLatin1(hopInfo(h.id).key.data());
            int seen = 0, sent = 0;
            for (const auto &s : h.streams) {
                QVERIFY2(s.seen <= s.expected || s.expected == 0, qPrintable(at));
                QCOMPARE(std::size_t(s.lostHere), s.missingHere.size());
                QCOMPARE(s.seen + s.lostHere, s.expected);
                seen += s.seen;
                sent += s.seen + s.lostHere + s.lostEarlier;
            }
            if (h.status == Status::Pass || h.status == Status::Fail) {
                QCOMPARE(h.seen, seen);
                QCOMPARE(h.expected, sent);
            }
        }
        // Every stream was sent as often at every judged hop.
        for (std::size_t i = 0; i < d.hops.front().streams.size(); ++i) {
            int sent = -1;
            for (const auto &h : d.hops) {
                if (i >= h.streams.size() || (h.status != Status::Pass && h.status != Status::Fail))
                    continue;
                const auto &s = h.streams[i];
                if (s.status == Status::Unknown || s.status == Status::Skipped)
                    continue;
                const int here = s.seen + s.lostHere + s.lostEarlier;
                if (sent < 0)
                    sent = here;
                QCOMPARE(here, sent);
            }
        }
    }

    // Health only with evidence at every hop on the path.
    void noHealthWithoutEvidence_data() { sentences_data(); }
    void noHealthWithoutEvidence()
    {
        QFETCH(QString, session);
        const Diagnosis &d = run(session);
        if (d.verdict != Verdict::Pass)
            return;
        for (const auto &h : d.hops)
            QVERIFY2(h.status == Status::Pass || h.status == Status::Skipped,
                     qPrintable(QString::fromLatin1(hopInfo(h.id).key.data()) + " has no evidence in a passing run"));
        QVERIFY(report::renderTerminal(d).find("PASS") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestWords)
#include "tst_words.moc"
