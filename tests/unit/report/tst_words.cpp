// Every word PodPath shows about a recorded diagnosis is checked against the faults a
// reader was misled by: placeholders and blanks, hop ids where a person reads prose,
// counts that do not add up, and health claimed without evidence at every hop. Over
// every recorded lab session (both modes, every fault), through every text renderer.
// tst_window_words checks the window's words by the same rules (words_check.h).

#include "diagnose/hop.h"
#include "replayed.h"
#include "words_check.h"
#include "report/document_report.h"
#include "report/terminal_picture.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

using testing::firstIdIn;
using testing::firstPlaceholderIn;
using testing::prose;
using testing::startsLikeASentence;

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
        const Diagnosis &d = run(session);
        const QString text = QString::fromStdString(renderer == QLatin1String("terminal") ? report::renderTerminal(d)
                                                    : renderer == QLatin1String("markdown") ? report::renderMarkdown(d)
                                                                                            : report::renderHtml(d));
        QVERIFY(!text.isEmpty());
        const QString placeholder = firstPlaceholderIn(text);
        QVERIFY2(placeholder.isEmpty(), qPrintable("placeholder \"" + placeholder + "\" in the " + renderer));
        const QString id = firstIdIn(prose(text));
        QVERIFY2(id.isEmpty(), qPrintable("hop id " + id + " in the " + renderer + "'s prose"));
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
