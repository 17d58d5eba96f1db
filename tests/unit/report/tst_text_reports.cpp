#include "report/document_report.h"
#include "replayed.h"
#include "report/status_palette.h"
#include "report/terminal_picture.h"

#include <QRegularExpression>

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

namespace {

// A diagnosis where every hop up to `failAt` passed and the rest are unknown.
Diagnosis failingAt(std::optional<HopId> failAt)
{
    Diagnosis d;
    d.mode = Encapsulation::Vxlan;
    d.client.hostname = "worker-a";
    d.server.hostname = "worker-b";
    d.verdict = failAt ? Verdict::Fail : Verdict::Pass;
    d.firstFailingHop = failAt;
    bool failed = false;
    for (auto &h : d.hops) {
        if (failAt && h.id == *failAt) {
            h.status = Status::Fail;
            h.explanation = "the request never reached this point";
            failed = true;
        } else {
            h.status = failed ? Status::Unknown : Status::Pass;
        }
    }
    return d;
}

} // namespace

class TestTextReports : public QObject {
    Q_OBJECT
private slots:
    void lanes_data()
    {
        QTest::addColumn<int>("failAt");  // -1: healthy
        QTest::addColumn<QString>("requestLane");
        QTest::addColumn<QString>("replyLane");
        QTest::newRow("healthy") << -1 << "[ ok ] client tunnel out" << "[ ok ] client tunnel in";
        QTest::newRow("server ingress") << int(HopId::RequestServerIngress) << "[FAIL] server underlay in"
                                        << "[ ?? ] server tunnel out";
        QTest::newRow("reply egress") << int(HopId::ReplyServerEgress) << "[ ok ] server tunnel in"
                                      << "[FAIL] server underlay out";
        QTest::newRow("client tunnel") << int(HopId::RequestClientTunnel) << "[FAIL] client tunnel out"
                                       << "[ ?? ] client underlay in";
    }
    void lanes()
    {
        QFETCH(int, failAt);
        QFETCH(QString, requestLane);
        QFETCH(QString, replyLane);
        auto d = failingAt(failAt < 0 ? std::nullopt : std::optional<HopId>(HopId(failAt)));
        const QString text = QString::fromStdString(report::renderTerminal(d));
        const QStringList lines = text.split('\n');
        QString request, reply;
        for (const auto &l : lines) {
            if (l.startsWith("request "))
                request = l;
            if (l.startsWith("reply "))
                reply = l;
        }
        QVERIFY2(request.contains(requestLane), qPrintable(request));
        QVERIFY2(reply.contains(replyLane), qPrintable(reply));
        QCOMPARE(text.contains("FAIL at"), failAt >= 0);
        // Plain style carries no escape codes: safe for tickets and logs.
        QVERIFY(!text.contains('\x1b'));
        QVERIFY(QString::fromStdString(report::renderTerminal(d, {true, 100})).contains('\x1b'));
    }

    void hostileOutputIsEscaped_data()
    {
        QTest::addColumn<QString>("output");
        QTest::newRow("script tag") << "<script>alert(1)</script>";
        QTest::newRow("fence in output") << "```\n# injected heading";
        QTest::newRow("table pipe") << "a | b | c";
    }
    void hostileOutputIsEscaped()
    {
        QFETCH(QString, output);
        auto d = failingAt(HopId::RequestServerTunnel);
        d.commands.push_back({"server", "logs", "tail felix", 0, output.toStdString(), "", {}});
        d.findings.push_back({"IPTABLES_DROP", Severity::Error, "iptables.server", output.toStdString(),
                              {output.toStdString()}, "look"});
        const QString htmlDoc = QString::fromStdString(report::renderHtml(d));
        QVERIFY(!htmlDoc.contains("<script>"));
        const QString md = QString::fromStdString(report::renderMarkdown(d));
        // The raw output stays inside a fence longer than any backtick run it contains.
        QVERIFY(!md.contains("\n# injected heading\n```\nexit"));
        QCOMPARE(md.contains("````"), output.contains("```"));
        QVERIFY(!md.contains("| a | b | c"));
    }

    // Reports that fit a ticket, on real recordings: the title names both nodes and the
    // time; the HTML stands alone (styles inline, the diagram embedded, nothing fetched),
    // uses the app's colour-blind-safe palette and never colour alone; the body comes
    // before the appendix of raw output.
    void documentsOfRecordings_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("verdictWord");
        // The time is the recording's own (its client's `date`), to the minute.
        auto t = [](const char *session) {
            return QStringLiteral("PodPath: pplab-node1 \u2192 pplab-node2, %1 UTC, recorded")
                .arg(testing::recordedAt(QString::fromLatin1(session)).toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        };
        QTest::newRow("vxlan ipset missing") << "vxlan-ipset-missing-client" << t("vxlan-ipset-missing-client") << "FAIL at server tunnel in";
        QTest::newRow("ipip mtu") << "ipip-mtu-too-small" << t("ipip-mtu-too-small") << "FAIL at server underlay in";
        QTest::newRow("vxlan wrong gateway") << "vxlan-route-wrong-gateway" << t("vxlan-route-wrong-gateway") << "FAIL at";
        QTest::newRow("ipip healthy") << "ipip-healthy" << t("ipip-healthy") << "PASS";
        QTest::newRow("vxlan no tcpdump") << "vxlan-tcpdump-missing" << t("vxlan-tcpdump-missing") << "NOT PROVEN";
        QTest::newRow("ipip drop server request") << "ipip-iptables-drop-server-request"
                                                  << t("ipip-iptables-drop-server-request") << "FAIL at server tunnel in";
    }
    void documentsOfRecordings()
    {
        QFETCH(QString, session);
        QFETCH(QString, title);
        QFETCH(QString, verdictWord);
        auto run = testing::replayed(session);
        QVERIFY2(run, qPrintable(session));
        Diagnosis d = run->diagnosis;
        d.recorded = true;  // as --replay marks it
        QCOMPARE(QString::fromStdString(report::reportTitle(d)), title);

        const QString html = QString::fromStdString(report::renderHtml(d, QByteArray("\x89PNG", 4)));
        QVERIFY(html.contains("<title>" + title + "</title>"));
        QVERIFY(html.contains("<h1>" + title + "</h1>"));
        QVERIFY(html.contains(verdictWord));
        // Self-contained: the diagram inline, no stylesheet, script or picture fetched.
        QVERIFY(html.contains("src=\"data:image/png;base64,"));
        static const QRegularExpression fetched(QStringLiteral("(src|href)=\"(?!data:)"));
        QVERIFY2(!fetched.match(html).hasMatch(), qPrintable(fetched.match(html).captured(0)));
        // The app's palette, for light pages and dark screens; no traffic-light green or red.
        for (const auto &p : {report::kLightPalette, report::kDarkPalette})
            for (std::uint32_t c : {p.pass, p.fail, p.unknown})
                QVERIFY2(html.contains(QString::fromStdString(report::cssColor(c))), report::cssColor(c).c_str());
        for (const char *old : {"#0b6e2e", "#b00020", "#5fd38a", "#ff6b81", "green", "red;"})
            QVERIFY2(!html.contains(QLatin1String(old)), old);
        // Every coloured status also has its mark and word.
        static const QRegularExpression statusCell(QStringLiteral("<td class=\"status (pass|fail|unknown|skipped)\">([^<]*<[^>]*>)*?([^<]+)</td>"));
        int cells = 0;
        for (auto it = statusCell.globalMatch(html); it.hasNext(); ++cells) {
            const auto m = it.next();
            const Status st = m.captured(1) == "pass" ? Status::Pass : m.captured(1) == "fail" ? Status::Fail
                              : m.captured(1) == "unknown" ? Status::Unknown : Status::Skipped;
            // A hop nothing reached is grey like a skipped one, with its own word.
            QVERIFY2(m.captured(0).contains(QString::fromStdString(std::string(report::statusMark(st)))) &&
                         (m.captured(0).contains(QString::fromStdString(std::string(report::statusWord(st)))) ||
                          (st == Status::Skipped && m.captured(0).contains(QLatin1String("did not reach")))),
                     qPrintable(m.captured(0)));
        }
        QCOMPARE(cells, int(d.hops.size() + d.checks.size()));
        // Body first, then the appendix with every command.
        const auto appendix = html.indexOf(QString::fromLatin1(report::kAppendixHeading.data()));
        QVERIFY(appendix > html.indexOf("<h2>Checks</h2>"));
        QVERIFY(html.indexOf("<h2>Findings</h2>") < html.indexOf("<h2>Hops</h2>"));
        if (!d.commands.empty())
            QVERIFY(html.indexOf("<pre>$ ") > appendix);
        QVERIFY(html.contains("page-break-before:always"));  // on paper the appendix starts a page

        const QString md = QString::fromStdString(report::renderMarkdown(d));
        QVERIFY2(md.startsWith("# " + title + "\n"), qPrintable(md.left(120)));
        const auto mdAppendix = md.indexOf("## " + QString::fromLatin1(report::kAppendixHeading.data()));
        QVERIFY(mdAppendix > md.indexOf("## Checks"));
        if (!d.commands.empty())
            QVERIFY(md.indexOf("\n$ ") > mdAppendix);
    }

    // The node table names the router between the nodes only where there is one.
    void routerRowOnlyWhenRouted_data()
    {
        QTest::addColumn<QString>("dataplaneRecording");  // tests/fixtures/dataplane-sessions; "" for sessions/
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("router");  // the row's text, "" when it must be absent
        QTest::newRow("two subnets") << "two-subnets-vxlan-healthy" << "" << "| router to the other node | 198.51.100.126 | 198.51.100.254 |";
        QTest::newRow("one subnet") << "" << "ipip-healthy" << "";
    }
    void routerRowOnlyWhenRouted()
    {
        QFETCH(QString, dataplaneRecording);
        QFETCH(QString, session);
        QFETCH(QString, router);
        const auto run = dataplaneRecording.isEmpty() ? testing::replayed(session) : testing::replayedDataplane(dataplaneRecording);
        QVERIFY(run);
        const QString md = QString::fromStdString(report::renderMarkdown(run->diagnosis));
        const QString html = QString::fromStdString(report::renderHtml(run->diagnosis, QByteArray("\x89PNG", 4)));
        if (router.isEmpty()) {
            QVERIFY(!md.contains(QLatin1String("router to the other node")) && !html.contains(QLatin1String("router to the other node")));
            return;
        }
        QVERIFY2(md.contains(router), qPrintable(md.left(2000)));
        QVERIFY(html.contains(QLatin1String("<tr><th>router to the other node</th><td>198.51.100.126</td><td>198.51.100.254</td></tr>")));
    }

    void htmlEmbedsDiagram()
    {
        const QString doc = QString::fromStdString(report::renderHtml(failingAt(std::nullopt), QByteArray("\x89PNG", 4)));
        QVERIFY(doc.contains("data:image/png;base64,iVBORw=="));
        QVERIFY(doc.startsWith("<!DOCTYPE html>"));
        QVERIFY(doc.contains("PASS: the overlay path works"));
    }
};

QTEST_GUILESS_MAIN(TestTextReports)
#include "tst_text_reports.moc"
