// The window as an engineer uses it on the lab: nodes typed into the Nodes page, one
// click (and the guided mode) over real SSH, with the event loop watched for stalls.

#include "lab_access.h"
#include "diagnosis_session.h"
#include "guided_page.h"
#include "main_window.h"
#include "matrix_page.h"
#include "stall_meter.h"
#include "lab_catalogue.h"
#include "node_form.h"
#include "process_run.h"
#include "nodes_page.h"
#include "recent_profiles.h"
#include "results_view.h"
#include "sanitized.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QStatusBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <unistd.h>

using namespace podpath;

namespace {

const QString kLab = QStringLiteral(PODPATH_LAB_DIR "/lab");

// Kills the SSH session processes ("sshd: root@notty") of one lab node's sshd.
const char *const kKillSessions =
    "for p in $(ip netns pids %1); do "
    "case \"$(tr '\\0' ' ' </proc/$p/cmdline 2>/dev/null)\" in 'sshd: root'*) kill $p;; esac; done";

QByteArray lab(const QStringList &args, int *exitCode = nullptr)
{
    const testing::ProcessRun r = testing::runProcess(kLab, args, 300000);
    if (exitCode)
        *exitCode = r.exitCode;
    if (!r.ok())
        qWarning("%s", r.failure("lab " + args.join(' ')).constData());
    return r.out;
}

// tcpdump or ping processes left in any lab node (the nodes are network namespaces of this machine).
QByteArray leftovers()
{
    QProcess p;
    p.start(QStringLiteral("pgrep"), {"-a", "-x", "tcpdump|ping"});
    p.waitForFinished(10000);
    return p.readAllStandardOutput();
}


} // namespace

class TestGuiLab : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_mode;
    QJsonObject m_env;

    // Shows the window with the lab's two nodes filled in, as a user would pick them;
    // true once the Nodes page is ready to run.
    bool showWithLabNodes(widgets::MainWindow &w)
    {
        w.show();
        const QJsonArray nodes = m_env["nodes"].toArray();
        widgets::PairProfile pair;
        pair.client = {nodes[0].toObject()["host"].toString(), "root", "22", m_env["key"].toString(), {}};
        pair.server = {nodes[1].toObject()["host"].toString(), "root", "22", m_env["key"].toString(), {}};
        pair.knownHostsFile = m_env["knownHosts"].toString();
        w.nodesPage()->applyPair(pair);
        return QTest::qWaitFor([&] { return w.nodesPage()->isReady(); });
    }

    // The lab in `mode` with its logs where an operator install writes them; m_env
    // describes it. oneClick moves between modes; the other functions use whatever mode
    // is up, and bring one up when they run on their own.
    bool labUp(const QString &mode, const QStringList &more = {})
    {
        int rc = 0;
        const QStringList up = QStringList{"up", "--mode", mode, "--logs", "calico"} + more;
        lab(up, &rc);
        // A first `up` from nothing failed once on a loaded CI machine (and the next one
        // worked): the lab's words are printed (lab()) so the cause can be found, and one
        // more try keeps a hiccup of the lab from standing in for the window's results.
        if (rc != 0)
            lab(up, &rc);
        if (rc != 0)
            return false;
        m_mode = mode;
        m_env = QJsonDocument::fromJson(lab({"env", "--json"})).object();
        return !m_env.isEmpty();
    }
    bool ensureLab() { return !m_env.isEmpty() || labUp(QStringLiteral("ipip")); }

private slots:
    void cleanupTestCase()
    {
        if (::geteuid() == 0)
            lab({"down"});
    }

    void oneClick_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("fault");
        QTest::newRow("ipip healthy") << "ipip" << "healthy";
#ifndef PODPATH_SANITIZED
        // Under sanitizers the window's code paths once healthy and once failing; the
        // verdicts in the window are the plain build's to prove.
        QTest::newRow("ipip ipset-missing-client") << "ipip" << "ipset-missing-client";
        QTest::newRow("ipip reply-route-missing") << "ipip" << "reply-route-missing";
        QTest::newRow("vxlan vxlan-fdb-stale") << "vxlan" << "vxlan-fdb-stale";
#endif
        QTest::newRow("vxlan mtu-too-small") << "vxlan" << "mtu-too-small";
    }
    void oneClick()
    {
        QFETCH(QString, mode);
        QFETCH(QString, fault);
        int rc = 0;
        if (m_mode != mode)
            QVERIFY2(labUp(mode), "the lab did not come up");
        lab(fault == QLatin1String("healthy") ? QStringList{"fault", "clear"} : QStringList{"fault", fault}, &rc);
        QCOMPARE(rc, 0);
        m_env = QJsonDocument::fromJson(lab({"env", "--json"})).object();
        const QJsonObject expected = testing::catalogueExpectation(mode, fault);
        QVERIFY(!expected.isEmpty());

        QSettings settings(m_dir.filePath("s.ini"), QSettings::IniFormat);
        widgets::MainWindow w(&settings);
        w.resize(1280, 800);
        QVERIFY(showWithLabNodes(w));
        QSignalSpy done(&w, &widgets::MainWindow::diagnosisFinished);
        // The window's first frame is the startup benchmark's business, not this one's.
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTest::qWait(50);
        testing::StallMeter stalls;
        w.diagnose();
        QVERIFY(done.wait(60000));
        // The figure the issue asks for: the GUI thread's longest pause during a real diagnosis.
        qInfo("longest event-loop stall during the lab diagnosis (%s %s): %lld ms wall (GUI thread running %.1f ms, "
              "waiting for a core %.1f ms); longest pause of the GUI thread's own (wall minus waiting for a core): %.1f ms",
              qPrintable(mode), qPrintable(fault), stalls.longest, stalls.busyInLongest, stalls.queuedInLongest,
              stalls.longestOwn);
#ifndef PODPATH_SANITIZED
        // The target (50 ms) is about the GUI's own work; the wall-clock pause also holds
        // the time this VM's cores were busy with the lab's nodes, hence its wider bound.
        QVERIFY2(stalls.longestOwn < 50, "the GUI thread itself was busy or blocked for 50 ms or more");
        QVERIFY2(stalls.longest < 250, "the GUI thread was blocked during the diagnosis");
#endif

        const diagnose::Diagnosis &d = w.results()->diagnosis();
        QCOMPARE(d.exitStatus(), expected["exitStatus"].toInt());
        const QString first = d.firstFailingHop ? QString::fromLatin1(diagnose::hopInfo(*d.firstFailingHop).key.data()) : QString();
        QCOMPARE(first, expected["firstFailingHop"].toString());
        if (!expected["code"].toString().isEmpty())
            QCOMPARE(QString::fromStdString(d.findings.front().code), expected["code"].toString());
        QDir().mkpath(PODPATH_SCREENSHOTS);
        w.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/lab-window-%1-%2.png").arg(mode, fault));
        QTRY_VERIFY_WITH_TIMEOUT(leftovers().isEmpty(), 5000);
    }

    // Cancel in the middle of the burst: the session stops, the nodes keep nothing running.
    void cancelLeavesNodesClean()
    {
        QVERIFY2(ensureLab(), "the lab did not come up");
        QSettings settings(m_dir.filePath("s.ini"), QSettings::IniFormat);
        widgets::MainWindow w(&settings);
        QVERIFY(showWithLabNodes(w));
        QSignalSpy done(&w, &widgets::MainWindow::diagnosisFinished);
        QSignalSpy progress(w.session(), &widgets::DiagnosisSession::progress);
        w.diagnose();
        // Wait until the captures run on the nodes, then cancel.
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(progress.begin(), progress.end(),
                                             [](const QList<QVariant> &a) { return a[0].toString().contains("ping burst"); }),
                                 30000);
        QElapsedTimer t;
        t.start();
        w.cancel();
        QVERIFY(done.wait(30000));
        qInfo("cancel to finished: %lld ms", t.elapsed());
        QTRY_VERIFY_WITH_TIMEOUT(leftovers().isEmpty(), 5000);
    }

    // The server's SSH session dies during the burst: the run still ends with a verdict
    // (that node's hops unknown), the window offers a retry, and the retry reconnects.
    void connectionLostOffersRetry()
    {
        QVERIFY2(ensureLab(), "the lab did not come up");
        int rc = 0;
        lab({"fault", "clear"}, &rc);
        QCOMPARE(rc, 0);
        QSettings settings(m_dir.filePath("s.ini"), QSettings::IniFormat);
        widgets::MainWindow w(&settings);
        QVERIFY(showWithLabNodes(w));
        QSignalSpy done(&w, &widgets::MainWindow::diagnosisFinished);
        QSignalSpy lost(w.session(), &widgets::DiagnosisSession::connectionLost);
        QSignalSpy progress(w.session(), &widgets::DiagnosisSession::progress);
        w.diagnose();
        // Captures run on both nodes, the burst not yet.
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(progress.begin(), progress.end(),
                                             [](const QList<QVariant> &a) { return a[0].toString().contains("underlay ping"); }),
                                 30000);
        // Every SSH session process of the server node's sshd (not the listener).
        const QString ns = m_env["nodes"].toArray()[1].toObject()["namespace"].toString();
        QProcess kill;
        const QString script = QString::fromLatin1(kKillSessions).arg(ns);
        kill.start(QStringLiteral("sh"), {QStringLiteral("-c"), script});
        QVERIFY(kill.waitForFinished(10000));
        QVERIFY(done.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(lost.count() == 1, 5000);
        QVERIFY2(w.statusBar()->currentMessage().isEmpty(), "the message is in the status label, not a transient one");
        // What only the server could tell after the loss (its counters, its sets) is unknown,
        // not passed. (Its hops may still pass: replies seen at the client prove them.)
        const diagnose::Diagnosis &first = w.results()->diagnosis();
        for (const char *id : {"iptables.server", "ipset.server"})
            QVERIFY2(first.check(id) && first.check(id)->status != diagnose::Status::Pass, id);
        done.clear();
        w.diagnose();  // the retry
        QVERIFY(done.wait(60000));
        QCOMPARE(w.results()->diagnosis().exitStatus(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(leftovers().isEmpty(), 5000);
    }

    // The guided mode over SSH, step by step, reaches the catalogued answer.
    // A junior's walk, page by page, on the real lab (in the mode oneClick left it in):
    // faults whose evidence comes from different steps (counters, sets, routes, sizes).
    void guided_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("policy");  // set: the web pods under this policy set, TCP 8080; empty: the nodes alone
#ifdef PODPATH_SANITIZED
        for (const char *f : {"ipset-missing-client"})
#else
        for (const char *f : {"iptables-drop-server-reply", "ipset-missing-client", "route-wrong-gateway", "mtu-too-small"})
#endif
            QTest::newRow(f) << QString::fromLatin1(f) << QString();
        QTest::newRow("pods, port-deny, TCP 8080") << QStringLiteral("clear") << QStringLiteral("port-deny");
    }
    void guided()
    {
        QFETCH(QString, fault);
        QFETCH(QString, policy);
        QVERIFY2(ensureLab(), "the lab did not come up");
        int rc = 0;
        lab({"fault", fault}, &rc);
        QCOMPARE(rc, 0);
        const bool pods = !policy.isEmpty();
        if (pods) {
            lab({"policy", policy}, &rc);
            QCOMPARE(rc, 0);
        }
        auto restore = qScopeGuard([&] {
            lab({"fault", "clear"});
            if (pods)
                lab({"policy", "none"});
        });
        const QJsonObject expected = pods ? QJsonObject() : testing::catalogueExpectation(m_mode, fault);
        QVERIFY(pods || !expected.isEmpty());
        QSettings settings(m_dir.filePath("s.ini"), QSettings::IniFormat);
        widgets::MainWindow w(&settings);
        QVERIFY(showWithLabNodes(w));
        if (pods) {
            const QJsonArray nodes = m_env["nodes"].toArray();
            w.nodesPage()->clientPodEdit()->setText(nodes[0].toObject()["pod"].toObject()["ip"].toString());
            w.nodesPage()->serverPodEdit()->setText(nodes[1].toObject()["pod"].toObject()["ip"].toString());
            w.nodesPage()->portEdit()->setText(QStringLiteral("8080"));
        }
        widgets::GuidedPage *g = w.guidedPage();
        QSignalSpy done(w.session(), &widgets::DiagnosisSession::finished);
        for (int step = 1; step + 1 < g->stepCount(); ++step) {
            g->setCurrentStep(step);
            g->runButton()->click();
            if (!pods && diagnose::guideSteps()[std::size_t(step - 1)].podsOnly) {
                // Without pods the pod pages run nothing (they send the junior to the Nodes page).
                QVERIFY2(!w.session()->busy(), qPrintable(g->pageText()));
                w.tabs()->setCurrentWidget(g);
                continue;
            }
            QVERIFY2(w.session()->busy(), qPrintable(g->pageText()));
            QVERIFY2(done.wait(60000), qPrintable(g->pageText()));
        }
        const diagnose::Diagnosis &d = w.session()->last().diagnosis;
        if (pods) {
            // The ping passes, TCP 8080 is dropped by the server pod's policy: named.
            QCOMPARE(d.exitStatus(), 1);
            QVERIFY(!d.firstFailingHop);
            QVERIFY(!d.findings.empty());
            QCOMPARE(QString::fromStdString(d.findings.front().code), QStringLiteral("POLICY_DROP"));
            QVERIFY2(QString::fromStdString(d.findings.front().message).contains(QStringLiteral("allowed by ICMP but not by TCP 8080")),
                     d.findings.front().message.c_str());
            QVERIFY(d.check("pod.ping")->status == diagnose::Status::Pass);
            QVERIFY(d.check("pod.port")->status == diagnose::Status::Fail);
            return;
        }
        QCOMPARE(d.exitStatus(), expected["exitStatus"].toInt());
        const QString first = d.firstFailingHop ? QString::fromLatin1(diagnose::hopInfo(*d.firstFailingHop).key.data()) : QString();
        QCOMPARE(first, expected["firstFailingHop"].toString());
        if (!expected["code"].toString().isEmpty())
            QCOMPARE(QString::fromStdString(d.findings.front().code), expected["code"].toString());
    }

    // The guide on a path without tunnel (BGP without encapsulation with two pods; VXLAN
    // CrossSubnet in one subnet, the nodes alone): the tunnel's steps say what they do
    // there, in the list and on their pages, and never ask for a tunnel address.
    void guidedWithoutTunnel_data()
    {
        QTest::addColumn<QStringList>("up");  // after `up --mode`
        QTest::addColumn<bool>("pods");
        QTest::addColumn<QString>("mode");    // the diagnosis' mode
        QTest::newRow("BGP, two pods") << QStringList{"none", "--fabric", "mesh"} << true << "none";
        QTest::newRow("VXLAN CrossSubnet, nodes alone")
            << QStringList{"vxlan", "--vxlan-mode", "CrossSubnet"} << false << "vxlan-crosssubnet-direct";
    }
    void guidedWithoutTunnel()
    {
        QFETCH(QStringList, up);
        QFETCH(bool, pods);
        QFETCH(QString, mode);
        m_mode.clear();  // another shape than oneClick's: the next test brings its own up
        QVERIFY2(labUp(up.front(), up.mid(1)), "the lab did not come up");
        QSettings settings(m_dir.filePath("s.ini"), QSettings::IniFormat);
        widgets::MainWindow w(&settings);
        w.resize(1280, 800);
        QVERIFY(showWithLabNodes(w));
        if (pods) {
            const QJsonArray nodes = m_env["nodes"].toArray();
            w.nodesPage()->clientPodEdit()->setText(nodes[0].toObject()["pod"].toObject()["ip"].toString());
            w.nodesPage()->serverPodEdit()->setText(nodes[1].toObject()["pod"].toObject()["ip"].toString());
        }
        widgets::GuidedPage *g = w.guidedPage();
        w.tabs()->setCurrentWidget(g);
        QSignalSpy done(w.session(), &widgets::DiagnosisSession::finished);
        for (int step = 1; step + 1 < g->stepCount(); ++step) {
            g->setCurrentStep(step);
            g->runButton()->click();
            if (!pods && diagnose::guideSteps()[std::size_t(step - 1)].podsOnly)
                continue;
            QVERIFY2(done.wait(60000), qPrintable(g->pageText()));
        }
        const diagnose::Diagnosis &d = w.session()->last().diagnosis;
        QCOMPARE(QString::fromLatin1(diagnose::toString(d.mode).data()), mode);
        QCOMPARE(d.exitStatus(), 0);
        const auto &steps = diagnose::guideSteps();
        for (int step = 1; step + 1 < g->stepCount(); ++step) {
            const diagnose::GuideStep &s = steps[std::size_t(step - 1)];
            g->setCurrentStep(step);
            const QString page = g->pageText();
            QVERIFY2(!page.contains(QLatin1Char('{')) && !page.contains(QLatin1String("<server")), qPrintable(page));
            if (s.id == "tunnel-ping") {
                QVERIFY2(page.contains(QLatin1String("Ping into the server's pod block")) &&
                             !page.contains(QLatin1String("tunnel address")) && !page.contains(QLatin1String("overlay")),
                         qPrintable(page));
                QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
                w.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/gui-lab-guided-%1.png").arg(mode));
            }
            if (s.id == "tunnel-ip" || s.id == "routes")
                QVERIFY2(!page.contains(QLatin1String("onlink")) && !page.contains(QLatin1String("tunnel device that is up")),
                         qPrintable(page));
        }
    }

    // The matrix tab live, as an engineer uses it: four nodes typed into its list, the
    // login from the Nodes page, one pair broken or none. Exactly that pair's cells fail,
    // the pattern is said once, a click into a cell shows that pair, and the GUI thread
    // does not stall while 4 nodes' sessions run.
    void matrixTab_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QStringList>("failing");  // "client>server", nodes from 1
        QTest::addColumn<QString>("pattern");
        QTest::newRow("vxlan, 4 nodes, healthy") << "clear" << QStringList{} << QString();
        QTest::newRow("vxlan, 4 nodes, iptables-drop-server-request")
            << "iptables-drop-server-request" << QStringList{"1>2", "2>1"} << "PAIR_FAILS";
    }
    void matrixTab()
    {
        QFETCH(QString, fault);
        QFETCH(QStringList, failing);
        QFETCH(QString, pattern);
        QVERIFY2(fourNodes(), "the lab did not come up with four nodes");
        int rc = 0;
        lab({"fault", fault}, &rc);
        QCOMPARE(rc, 0);
        QSettings settings(m_dir.filePath("s.ini"), QSettings::IniFormat);
        widgets::MainWindow w(&settings);
        w.resize(1280, 800);
        QVERIFY(showWithLabNodes(w));
        widgets::MatrixPage *page = w.matrixPage();
        w.tabs()->setCurrentWidget(page);
        page->setNodesText(labHosts().join('\n'));
        QSignalSpy done(page, &widgets::MatrixPage::finished);
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTest::qWait(50);
        testing::StallMeter stalls;
        page->run();
        QVERIFY(done.wait(60000));
        qInfo("longest event-loop stall during the lab matrix (%s): %lld ms wall; the GUI thread's own: %.1f ms",
              qPrintable(fault), stalls.longest, stalls.longestOwn);
#ifndef PODPATH_SANITIZED
        QVERIFY2(stalls.longestOwn < 50, "the GUI thread itself was busy or blocked for 50 ms or more");
#endif
        const diagnose::ClusterMatrix &m = page->matrix();
        QCOMPARE(m.nodes.size(), std::size_t(4));
        QCOMPARE(m.cells.size(), std::size_t(12));
        QStringList got;
        for (const auto &c : m.cells)
            if (c.diagnosis.verdict != diagnose::Verdict::Pass)
                got << QStringLiteral("%1>%2%3").arg(c.client + 1).arg(c.server + 1).arg(
                           c.diagnosis.verdict == diagnose::Verdict::Fail ? QString() : QStringLiteral(" (not failed)"));
        QCOMPARE(got, failing);
        const QString counts = QStringLiteral("%1 pass, %2 fail").arg(12 - failing.size()).arg(failing.size());
        QVERIFY2(page->headline().contains(counts), qPrintable(page->headline()));
        if (pattern.isEmpty()) {
            QVERIFY(m.patterns.empty());
        } else {
            QCOMPARE(m.patterns.size(), std::size_t(1));
            QCOMPARE(QString::fromStdString(m.patterns.front().code), pattern);
        }
        // The drill-down: the first failing pair (or the first pair), without running again.
        const std::size_t client = failing.isEmpty() ? 0 : std::size_t(failing.front().section('>', 0, 0).toInt() - 1);
        const std::size_t server = failing.isEmpty() ? 1 : std::size_t(failing.front().section('>', 1, 1).toInt() - 1);
        page->showPair(client, server);
        QVERIFY(page->pairView()->diagnosis().verdict == m.cell(client, server)->diagnosis.verdict);
        for (std::size_t i : {client, server})
            QVERIFY2(page->pairTitle().contains(QString::fromStdString(diagnose::nodeName(m.nodes[i].facts))), qPrintable(page->pairTitle()));
        QDir().mkpath(PODPATH_SCREENSHOTS);
        w.grab().save(QStringLiteral(PODPATH_SCREENSHOTS "/lab-matrix-%1.png").arg(fault));
        QTRY_VERIFY_WITH_TIMEOUT(leftovers().isEmpty(), 5000);
    }

    // Cancel while the nodes capture: the run ends, no tcpdump or ping stays on any node.
    void matrixCancelLeavesNodesClean()
    {
        QVERIFY2(fourNodes(), "the lab did not come up with four nodes");
        QSettings settings(m_dir.filePath("s.ini"), QSettings::IniFormat);
        widgets::MainWindow w(&settings);
        QVERIFY(showWithLabNodes(w));
        widgets::MatrixPage *page = w.matrixPage();
        w.tabs()->setCurrentWidget(page);
        page->setNodesText(labHosts().join('\n'));
        QSignalSpy done(page, &widgets::MatrixPage::finished);
        page->run();
        QTRY_VERIFY_WITH_TIMEOUT(leftovers().contains("tcpdump"), 30000);
        QPushButton *cancel = nullptr;
        for (QPushButton *b : page->findChildren<QPushButton *>())
            if (b->text() == QLatin1String("Cancel"))
                cancel = b;
        QVERIFY(cancel && cancel->isEnabled());
        QElapsedTimer t;
        t.start();
        cancel->click();
        QVERIFY(done.wait(30000));
        qInfo("matrix: cancel to finished: %lld ms", t.elapsed());
        QTRY_VERIFY_WITH_TIMEOUT(leftovers().isEmpty(), 5000);
    }

private:
    bool fourNodes()
    {
        if (m_mode == QLatin1String("vxlan, 4 nodes"))
            return true;
        if (!labUp(QStringLiteral("vxlan"), {"--nodes", "4"}))
            return false;
        m_mode = QStringLiteral("vxlan, 4 nodes");  // not oneClick's lab: a later oneClick brings its own up
        return m_env["nodes"].toArray().size() == 4;
    }
    QStringList labHosts() const
    {
        QStringList hosts;
        for (const auto &n : m_env["nodes"].toArray())
            hosts << n.toObject()["host"].toString();
        return hosts;
    }
};

PODPATH_TEST_MAIN_UNLESS(TestGuiLab, testing::whyNoLab())
#include "tst_gui_lab.moc"
