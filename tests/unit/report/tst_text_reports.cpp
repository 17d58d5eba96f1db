#include "report/document_report.h"
#include "report/terminal_picture.h"

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
