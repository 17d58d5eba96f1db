// The NODES screen: what a junior types is checked as typed (the reason under the
// field), host fields complete from an ssh config, recent pairs come back from
// QSettings (and nothing secret goes in), and "Test connection" runs off the GUI thread
// over recorded lab sessions and shows the lab's own facts. Screenshots of the page go
// to PODPATH_SCREENSHOTS/nodes-page*.png.

#include "gui_prompter.h"
#include "node_form.h"
#include "nodes_page.h"
#include "probe_result_view.h"
#include "remote/replay_node_shell.h"
#include "replayed.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <thread>

using namespace podpath;
using namespace podpath::widgets;

namespace {

const QString kUserConfig = QStringLiteral(PODPATH_FIXTURES "/remote/ssh_config/user_config");

QString screenshotDir()
{
    QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
    return QStringLiteral(PODPATH_SCREENSHOTS);
}

// "Test connection" over recorded lab sessions: the client form reads SESSION/client.json,
// the server form SESSION/server.json; an unknown host gets an empty recording (the
// session answers nothing). `delayMs` stands in for a slow network.
ConnectionTester::ShellFactory replayFactory(const QString &session, int delayMs = 0)
{
    return [session, delayMs](const remote::SshTarget &t, const remote::ConnectOptions &) -> std::unique_ptr<remote::NodeShell> {
        if (delayMs > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
        const QString node = t.host == "pplab-node1" || t.host == "198.51.100.11" ? "client"
                             : t.host == "pplab-node2" || t.host == "198.51.100.12" ? "server"
                                                                                    : QString();
        if (node.isEmpty())
            return std::make_unique<remote::ReplayNodeShell>(remote::SessionRecording{});
        auto r = remote::ReplayNodeShell::loadRecording(
            (QStringLiteral(PODPATH_FIXTURES "/sessions/") + session + "/" + node + ".json").toStdString());
        return std::make_unique<remote::ReplayNodeShell>(r.ok() ? std::move(r).value() : remote::SessionRecording{});
    };
}

QStringList completions(QCompleter *c, const QString &prefix, int role)
{
    c->setCompletionPrefix(prefix);
    QStringList out;
    for (int i = 0; i < c->completionCount(); ++i) {
        c->setCurrentRow(i);
        out << c->currentIndex().data(role).toString();
    }
    return out;
}

} // namespace

class TestNodesPage : public QObject {
    Q_OBJECT

    QTemporaryDir m_settingsDir;

    // A page on its own settings file, so tests never touch the user's.
    std::unique_ptr<QSettings> freshSettings(const QString &name)
    {
        return std::make_unique<QSettings>(m_settingsDir.filePath(name + ".ini"), QSettings::IniFormat);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        // The page's default QSettings (no explicit settings) must not be the user's either.
        QCoreApplication::setOrganizationName(QStringLiteral("podpath-test-nd"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_nodes_page"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.filePath("default"));
    }
    void cleanupTestCase() { QVERIFY(ConnectionTester::waitForTestsInFlight(10000)); }

    void fieldChecks_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("identity");
        QTest::addColumn<QString>("jump");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("field");  // the one field with a reason under it
        QTest::addColumn<QString>("says");   // part of that reason; or target's label when valid

        const QString key = QStringLiteral(PODPATH_FIXTURES "/remote/ssh_config/lab_ssh_config");
        QTest::newRow("alias") << "pplab-node1" << "" << "" << "" << "" << true << "" << "pplab-node1";
        QTest::newRow("user@address:port") << "root@198.51.100.11:2222" << "" << "" << "" << "" << true << ""
                                           << "root@198.51.100.11:2222";
        QTest::newRow("fields instead") << "198.51.100.11" << "ppadmin" << "2200" << key << "ops@bastion:2222" << true
                                        << "" << "ppadmin@198.51.100.11:2200";
        QTest::newRow("same user twice") << "root@node1" << "root" << "" << "" << "" << true << "" << "root@node1";
        QTest::newRow("empty host") << "" << "root" << "" << "" << "" << false << "" << "";
        QTest::newRow("space in host") << "node 1" << "" << "" << "" << "" << false << "host" << "Not a host name";
        QTest::newRow("option as host") << "-oProxyCommand=id" << "" << "" << "" << "" << false << "host"
                                        << "[user@]host[:port]";
        QTest::newRow("shell in host") << "node1;reboot" << "" << "" << "" << "" << false << "host"
                                       << "e.g. node1 or root@198.51.100.11";
        QTest::newRow("port word in host") << "node1:ssh" << "" << "" << "" << "" << false << "host" << "Not a port";
        QTest::newRow("bad user") << "node1" << "ro ot" << "" << "" << "" << false << "user" << "Not a user name";
        QTest::newRow("two users") << "root@node1" << "admin" << "" << "" << "" << false << "user"
                                   << "already says user root";
        QTest::newRow("port too big") << "node1" << "" << "70000" << "" << "" << false << "port" << "1 to 65535";
        QTest::newRow("two ports") << "node1:22" << "" << "2222" << "" << "" << false << "port" << "already says port 22";
        QTest::newRow("missing key") << "node1" << "" << "" << "/nonexistent/ppnd/id_ed25519" << "" << false
                                     << "identity" << "No such file";
        QTest::newRow("key is a folder") << "node1" << "" << "" << QStringLiteral(PODPATH_FIXTURES) << "" << false
                                         << "identity" << "is a folder";
        QTest::newRow("bad jump host") << "node1" << "" << "" << "" << "ops@bastion host" << false << "jump"
                                       << "Not a host name";
    }
    void fieldChecks()
    {
        QFETCH(QString, host);
        QFETCH(QString, user);
        QFETCH(QString, port);
        QFETCH(QString, identity);
        QFETCH(QString, jump);
        QFETCH(bool, valid);
        QFETCH(QString, field);
        QFETCH(QString, says);
        NodeForm form(diagnose::NodeRole::Client);
        form.show();
        QSignalSpy validity(&form, &NodeForm::validityChanged);
        QTest::keyClicks(form.hostEdit(), host);
        QTest::keyClicks(form.userEdit(), user);
        QTest::keyClicks(form.portEdit(), port);
        form.identityEdit()->setText(identity);
        QTest::keyClicks(form.jumpEdit(), jump);

        QCOMPARE(form.isValid(), valid);
        QCOMPARE(form.testButton()->isEnabled(), valid);
        for (const QString f : {"host", "user", "port", "identity", "jump"}) {
            const QString error = form.errorText(f);
            QVERIFY2(error.isEmpty() == (f != field), qPrintable(f + ": " + error));
            // The reason is on screen, right under its field.
            const auto labels = form.findChildren<QLabel *>();
            const bool shown = std::any_of(labels.begin(), labels.end(), [&](QLabel *l) {
                return l->isVisible() && !error.isEmpty() && l->text().contains(error);
            });
            QCOMPARE(shown, !error.isEmpty());
        }
        if (!valid && !field.isEmpty())
            QVERIFY2(form.errorText(field).contains(says), qPrintable(form.errorText(field)));
        if (valid) {
            QCOMPARE(QString::fromStdString(form.target().label()), says);
            QVERIFY(!validity.isEmpty() && validity.last().at(0).toBool());
            if (!jump.isEmpty())
                QCOMPARE(QString::fromStdString(form.target().jump->host), QStringLiteral("bastion"));
            if (!identity.isEmpty())
                QCOMPARE(QString::fromStdString(*form.target().identityFile), identity);
            QVERIFY(form.connectOptions().requireRoot);  // the diagnosis needs root
        }
    }

    void readyWhenBothNodesRead()
    {
        auto settings = freshSettings("ready");
        NodesPage page(settings.get());
        QSignalSpy ready(&page, &NodesPage::readyChanged);
        QVERIFY(!page.isReady());
        page.clientForm()->hostEdit()->setText("pplab-node1");
        QVERIFY(!page.isReady());
        page.serverForm()->hostEdit()->setText("pplab-node2");
        QVERIFY(page.isReady());
        QCOMPARE(ready.size(), 1);
        QCOMPARE(ready.last().at(0).toBool(), true);
        page.serverForm()->portEdit()->setText("x");
        QVERIFY(!page.isReady());
        QCOMPARE(ready.last().at(0).toBool(), false);
        page.serverForm()->portEdit()->clear();
        QVERIFY(page.isReady());
        // A shared ssh config that does not exist blocks too, and says so.
        page.advancedToggle()->click();
        page.sshConfigEdit()->setText("/nonexistent/ppnd-config");
        QVERIFY(!page.isReady());
        QVERIFY(page.sshConfigError().contains("No such file"));
        page.sshConfigEdit()->setText(kUserConfig);
        QVERIFY(page.isReady());
        QCOMPARE(QString::fromStdString(*page.clientTarget().configFile), kUserConfig);
        QCOMPARE(QString::fromStdString(page.serverTarget().host), QStringLiteral("pplab-node2"));
    }

    void completerOffersSshConfigAliases_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("offered");
        QTest::newRow("node") << "node" << QStringList{"k8s-node1", "node1", "k8s-node2", "k8s-node3", "k8s-node4", "recent-node.example"};
        QTest::newRow("bast") << "bast" << QStringList{"bastion"};
        QTest::newRow("case") << "PROD" << QStringList{"prod-web_01"};
        QTest::newRow("pattern lines are not offered") << "cluster" << QStringList{};
        QTest::newRow("included file") << "lab-" << QStringList{};  // config.d is relative to ~/.ssh, not here
        QTest::newRow("recent host") << "recent" << QStringList{"recent-node.example"};
    }
    void completerOffersSshConfigAliases()
    {
        QFETCH(QString, typed);
        QFETCH(QStringList, offered);
        auto settings = freshSettings("completer");
        {
            NodesPage seed(settings.get());
            seed.clientForm()->hostEdit()->setText("recent-node.example");
            seed.serverForm()->hostEdit()->setText("node1");
            seed.rememberCurrentPair();
        }
        NodesPage page(settings.get());
        page.sshConfigEdit()->setText(kUserConfig);
        for (NodeForm *f : {page.clientForm(), page.serverForm()})
            QCOMPARE(completions(f->hostCompleter(), typed, Qt::UserRole), offered);
        // The list says where an alias goes.
        if (typed == "node")
            QCOMPARE(completions(page.clientForm()->hostCompleter(), "k8s-node1", Qt::DisplayRole),
                     QStringList{"k8s-node1  → root@198.51.100.11"});
    }

    void completerPopupWhileTyping()
    {
        auto settings = freshSettings("popup");
        NodesPage page(settings.get());
        page.sshConfigEdit()->setText(kUserConfig);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.clientForm()->hostEdit()->setFocus();
        QTest::keyClicks(page.clientForm()->hostEdit(), "k8s-node");
        QCompleter *c = page.clientForm()->hostCompleter();
        QTRY_VERIFY(c->popup()->isVisible());
        QCOMPARE(c->completionCount(), 4);
        QTest::keyClick(c->popup(), Qt::Key_Down);
        QTest::keyClick(c->popup(), Qt::Key_Return);
        QCOMPARE(page.clientForm()->hostEdit()->text(), QStringLiteral("k8s-node1"));  // the alias, not its description
    }

    void recentPairsRoundTrip()
    {
        // Through the application's own QSettings (a temporary org/app, see initTestCase).
        QSettings().clear();
        const PairProfile first{{"pplab-node1", "root", "", QStringLiteral(PODPATH_FIXTURES "/remote/README.md"), ""},
                                {"pplab-node2", "ppadmin", "2222", "", "ops@bastion"},
                                "/tmp/ppnd-known_hosts",
                                kUserConfig,
                                {}};
        {
            NodesPage page;
            QVERIFY(!page.recentCombo()->isEnabled());
            page.applyPair(first);
            QVERIFY(page.advancedPanel()->isVisibleTo(&page));  // non-default files are not hidden
            // Typing a password in a dialog of that session must leave no trace in settings.
            page.rememberCurrentPair();
            QCOMPARE(page.recentCombo()->count(), 1);
            QCOMPARE(page.recentCombo()->itemText(0), QStringLiteral("root@pplab-node1 → ppadmin@pplab-node2:2222"));
        }
        {
            NodesPage page;  // the last pair comes back by itself
            QCOMPARE(page.currentPair(), first);
            QCOMPARE(page.clientForm()->userEdit()->text(), QStringLiteral("root"));
            QCOMPARE(page.serverForm()->jumpEdit()->text(), QStringLiteral("ops@bastion"));
            QCOMPARE(page.knownHostsEdit()->text(), QStringLiteral("/tmp/ppnd-known_hosts"));
            // Ten more pairs: the newest eight are kept, newest first, no repeats.
            for (int i = 0; i < 10; ++i) {
                page.clientForm()->setFields({QStringLiteral("c%1").arg(i), {}, {}, {}, {}});
                page.serverForm()->setFields({QStringLiteral("s%1").arg(i), {}, {}, {}, {}});
                page.rememberCurrentPair();
            }
            page.applyPair(first);
            page.rememberCurrentPair();
            page.rememberCurrentPair();
            QCOMPARE(page.recentCombo()->count(), RecentProfiles::kMaxPairs);
            QCOMPARE(page.recentCombo()->itemText(0), first.label());
            QCOMPARE(page.recentCombo()->itemText(1), QStringLiteral("c9 → s9"));
            // Picking a pair from the list fills both forms.
            page.recentCombo()->activated(1);
            QCOMPARE(page.clientForm()->hostEdit()->text(), QStringLiteral("c9"));
            QCOMPARE(page.serverForm()->hostEdit()->text(), QStringLiteral("s9"));
        }
        {
            // The pods asked about belong to the pair: the same nodes with other pods are
            // another entry, and picking one brings its pods, port and protocol back.
            NodesPage page;
            page.applyPair(first);
            page.clientPodEdit()->setText(QStringLiteral("198.18.10.66"));
            page.serverPodEdit()->setText(QStringLiteral("198.18.20.130"));
            page.portEdit()->setText(QStringLiteral("53"));
            QComboBox *protocol = page.protocolCombo();
            protocol->setCurrentIndex(protocol->findData(QStringLiteral("udp")));
            page.rememberCurrentPair();
            QCOMPARE(page.recentCombo()->itemText(0),
                     first.label() + QStringLiteral(" · pods 198.18.10.66 → 198.18.20.130 UDP 53"));
            QCOMPARE(page.recentCombo()->itemText(1), first.label());
            page.recentCombo()->activated(1);
            QVERIFY(page.clientPodEdit()->text().isEmpty());
            QVERIFY(page.portEdit()->text().isEmpty());
            page.recentCombo()->activated(0);
            QCOMPARE(page.serverPodEdit()->text(), QStringLiteral("198.18.20.130"));
            QCOMPARE(page.portEdit()->text(), QStringLiteral("53"));
            QCOMPARE(protocol->currentData().toString(), QStringLiteral("udp"));
            QVERIFY(page.pods().has_value());
            QVERIFY(page.pods()->protocol == diagnose::Transport::Udp);
        }
        QSettings s;
        QStringList keys = s.allKeys();
        QVERIFY(!keys.isEmpty());
        for (const QString &k : keys) {
            QVERIFY2(k.startsWith("profiles/"), qPrintable(k));
            for (const char *word : {"password", "passphrase", "secret", "sudo"})
                QVERIFY2(!k.contains(QLatin1String(word), Qt::CaseInsensitive), qPrintable(k));
        }
        QFile file(s.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll();
        QVERIFY(stored.contains("pplab-node1"));
        s.clear();
    }

    // "Test connection" on recorded lab sessions: the lab's facts as the panel shows them.
    void testConnectionShowsTheNode_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<bool>("server");
        QTest::addColumn<int>("state");
        QTest::addColumn<QStringList>("facts");  // hostname, nodeIp, mode, tunnel, root, tcpdump
        QTest::addColumn<QString>("problem");
        QTest::newRow("ipip client") << "ipip-healthy" << false << int(ProbeResultView::State::Ready)
                                     << QStringList{"pplab-node1", "198.51.100.11 on eth0", "IPIP",
                                                    "tunl0, 198.18.10.64 (up, MTU 1480)", "yes, logged in as root",
                                                    "yes (4.99.3)"}
                                     << "";
        QTest::newRow("vxlan server") << "vxlan-healthy" << true << int(ProbeResultView::State::Ready)
                                      << QStringList{"pplab-node2", "198.51.100.12 on eth0", "VXLAN",
                                                     "vxlan.calico, 198.18.20.128 (up, MTU 1450)",
                                                     "yes, logged in as root", "yes (4.99.3)"}
                                      << "";
        QTest::newRow("server without tcpdump") << "vxlan-tcpdump-missing" << true
                                                << int(ProbeResultView::State::Problems)
                                                << QStringList{"pplab-node2", "198.51.100.12 on eth0", "VXLAN",
                                                               "vxlan.calico, 198.18.20.128 (up, MTU 1450)",
                                                               "yes, logged in as root", "no, not installed"}
                                                << "tcpdump is not installed on pplab-node2";
    }
    void testConnectionShowsTheNode()
    {
        QFETCH(QString, session);
        QFETCH(bool, server);
        QFETCH(int, state);
        QFETCH(QStringList, facts);
        QFETCH(QString, problem);
        auto settings = freshSettings("probe");
        NodesPage page(settings.get());
        page.setShellFactory(replayFactory(session));
        NodeForm *form = server ? page.serverForm() : page.clientForm();
        form->hostEdit()->setText(server ? "198.51.100.12" : "198.51.100.11");
        form->userEdit()->setText("root");
        bool tested = false;
        connect(&page, &NodesPage::connectionTested, this,
                [&](diagnose::NodeRole role, const ConnectionTestOutcome &o) {
                    tested = true;
                    QCOMPARE(role, server ? diagnose::NodeRole::Server : diagnose::NodeRole::Client);
                    QVERIFY(o.ok());
                });
        QTest::mouseClick(form->testButton(), Qt::LeftButton);
        QTRY_VERIFY(tested);
        ProbeResultView *view = form->resultView();
        QCOMPARE(int(view->state()), state);
        const QStringList keys{"hostname", "nodeIp", "mode", "tunnel", "root", "tcpdump"};
        for (int i = 0; i < keys.size(); ++i)
            QCOMPARE(view->fact(keys[i]), facts[i]);
        // (A recording made when a missing tcpdump stopped the run after discovery read no firewall.)
        QCOMPARE(view->fact("firewall").startsWith("iptables-nft"), !testing::kRecordedBeforeDegrading.contains(session));
        if (problem.isEmpty()) {
            QVERIFY(view->problemTexts().isEmpty());
            QVERIFY(view->statusText().contains("ready to diagnose"));
        } else {
            QCOMPARE(view->problemTexts().size(), 1);
            QVERIFY2(view->problemTexts().front().contains(problem), qPrintable(view->problemTexts().front()));
            QVERIFY(view->problemTexts().front().contains("apt-get install tcpdump"));  // the next step
            QVERIFY(view->statusText().contains("one thing would stop or limit a diagnosis"));
        }
        // Editing the node afterwards: what was found no longer applies.
        form->portEdit()->setText("22");
        QCOMPARE(int(view->state()), int(ProbeResultView::State::Idle));
    }

    void testConnectionFailureSaysWhatToDo()
    {
        auto settings = freshSettings("fail");
        NodesPage page(settings.get());
        page.setShellFactory(replayFactory("ipip-healthy"));
        NodeForm *form = page.clientForm();
        form->hostEdit()->setText("unknown-node");
        QTest::mouseClick(form->testButton(), Qt::LeftButton);
        ProbeResultView *view = form->resultView();
        QTRY_COMPARE(int(view->state()), int(ProbeResultView::State::Failed));
        QVERIFY(view->statusText().contains("Could not connect to unknown-node"));
        QCOMPARE(view->problemTexts().size(), 1);
        QVERIFY(view->fact("hostname").isEmpty());
    }

    // A slow node never holds up the window, and the test can be cancelled.
    void testConnectionNeverBlocks()
    {
        auto settings = freshSettings("slow");
        NodesPage page(settings.get());
        page.setShellFactory(replayFactory("ipip-healthy", 1500));
        NodeForm *form = page.clientForm();
        form->hostEdit()->setText("pplab-node1");
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(form->testButton(), Qt::LeftButton);
        QVERIFY2(clock.elapsed() < 200, "the click must return at once");
        QCOMPARE(form->testButton()->text(), QStringLiteral("Cancel test"));
        QCOMPARE(int(form->resultView()->state()), int(ProbeResultView::State::Running));
        QVERIFY(form->resultView()->statusText().contains("Connecting to pplab-node1"));
        // The event loop keeps turning while the node is slow.
        qint64 longest = 0, last = clock.elapsed();
        while (clock.elapsed() < 600) {
            QTest::qWait(10);
            longest = std::max(longest, clock.elapsed() - last);
            last = clock.elapsed();
        }
        QVERIFY2(longest < 100, qPrintable(QString("the event loop stalled %1 ms").arg(longest)));
        QTest::mouseClick(form->testButton(), Qt::LeftButton);  // Cancel test
        QTRY_COMPARE_WITH_TIMEOUT(int(form->resultView()->state()), int(ProbeResultView::State::Failed), 5000);
        QCOMPARE(form->resultView()->statusText(), QStringLiteral("Test cancelled."));
        QCOMPARE(form->testButton()->text(), QStringLiteral("Test connection"));
        // A second test after a cancel works.
        page.setShellFactory(replayFactory("ipip-healthy"));
        QTest::mouseClick(form->testButton(), Qt::LeftButton);
        QTRY_COMPARE(int(form->resultView()->state()), int(ProbeResultView::State::Ready));
    }

    // The page is destroyed while a test runs: nothing waits, nothing is delivered to it.
    void closingDuringATest()
    {
        auto settings = freshSettings("closing");
        auto page = std::make_unique<NodesPage>(settings.get());
        page->setShellFactory(replayFactory("ipip-healthy", 300));
        page->clientForm()->hostEdit()->setText("pplab-node1");
        page->clientForm()->testConnection();
        QElapsedTimer clock;
        clock.start();
        page.reset();
        QVERIFY(clock.elapsed() < 100);
        QVERIFY(ConnectionTester::waitForTestsInFlight(5000));
        QTest::qWait(50);  // a late delivery would crash here
    }

    // The pod fields: empty or both pods (IPv4), a port only with them; what they read
    // goes into the run's options, and a bad entry says why and holds the run.
    void podFields_data()
    {
        QTest::addColumn<QString>("clientPod");
        QTest::addColumn<QString>("serverPod");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<bool>("ready");
        QTest::addColumn<QString>("problem");  // a part of what the page says; empty: nothing
        QTest::addColumn<QString>("asked");    // "icmp", "tcp 8080", "udp 53"; empty: no pods
        QTest::newRow("none") << "" << "" << "" << "TCP" << true << "" << "";
        QTest::newRow("two pods") << "10.244.1.7" << "10.244.2.9" << "" << "TCP" << true << "" << "icmp";
        QTest::newRow("tcp port") << "10.244.1.7" << "10.244.2.9" << "8080" << "TCP" << true << "" << "tcp 8080";
        QTest::newRow("udp port") << " 10.244.1.7 " << "10.244.2.9" << "53" << "UDP" << true << "" << "udp 53";
        QTest::newRow("one pod") << "10.244.1.7" << "" << "" << "TCP" << false << "both pods" << "";
        QTest::newRow("a name, not an address") << "web-7f9c" << "10.244.2.9" << "" << "TCP" << false << "not an IPv4" << "";
        QTest::newRow("port without pods") << "" << "" << "8080" << "TCP" << false << "give both pods" << "";
        QTest::newRow("port 0") << "10.244.1.7" << "10.244.2.9" << "0" << "TCP" << false << "1 to 65535" << "";
        QTest::newRow("port too big") << "10.244.1.7" << "10.244.2.9" << "70000" << "TCP" << false << "1 to 65535" << "";
    }
    void podFields()
    {
        QFETCH(QString, clientPod);
        QFETCH(QString, serverPod);
        QFETCH(QString, port);
        QFETCH(QString, protocol);
        QFETCH(bool, ready);
        QFETCH(QString, problem);
        QFETCH(QString, asked);
        auto settings = freshSettings("pods");
        NodesPage page(settings.get());
        page.clientForm()->setFields({"198.51.100.11", "root", "", "", ""});
        page.serverForm()->setFields({"198.51.100.12", "root", "", "", ""});
        page.clientPodEdit()->setText(clientPod);
        page.serverPodEdit()->setText(serverPod);
        page.protocolCombo()->setCurrentText(protocol);
        page.portEdit()->setText(port);
        QCOMPARE(page.isReady(), ready);
        QVERIFY2(problem.isEmpty() ? page.podsError().isEmpty() : page.podsError().contains(problem, Qt::CaseInsensitive),
                 qPrintable(page.podsError()));
        const auto pods = page.pods();
        QCOMPARE(pods.has_value(), !asked.isEmpty());
        if (!pods)
            return;
        QCOMPARE(QString::fromStdString(pods->client.toString()), clientPod.trimmed());
        QCOMPARE(QString::fromStdString(pods->server.toString()), serverPod.trimmed());
        QString got = QString::fromLatin1(diagnose::toString(pods->protocol).data());
        if (pods->port)
            got += " " + QString::number(pods->port->value());
        QCOMPARE(got, asked);
    }

    void screenshots_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("session");
        QTest::addColumn<bool>("dark");
        QTest::newRow("filled") << "nodes-page-filled" << "" << false;
        QTest::newRow("tested") << "nodes-page" << "ipip-healthy" << false;
        QTest::newRow("problem") << "nodes-page-problem" << "vxlan-tcpdump-missing" << false;
        QTest::newRow("dark") << "nodes-page-dark" << "vxlan-healthy" << true;
    }
    void screenshots()
    {
        QFETCH(QString, name);
        QFETCH(QString, session);
        QFETCH(bool, dark);
        auto settings = freshSettings("shots-" + name);
        {
            NodesPage seed(settings.get());
            seed.applyPair({{"pplab-node1", "root", "", "", ""}, {"pplab-node2", "root", "", "", ""}, "", "", {}});
            seed.rememberCurrentPair();
        }
        NodesPage page(settings.get());
        if (dark) {
            QPalette p;
            p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
            p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
            p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
            p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
            p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
            p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
            p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
            page.setPalette(p);
        }
        page.clientForm()->setFields({"198.51.100.11", "root", "", "", ""});
        page.serverForm()->setFields({"198.51.100.12", "root", "", "", ""});
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        if (!session.isEmpty()) {
            page.setShellFactory(replayFactory(session));
            int done = 0;
            connect(&page, &NodesPage::connectionTested, this, [&] { ++done; });
            page.clientForm()->testConnection();
            page.serverForm()->testConnection();
            QTRY_COMPARE(done, 2);
        } else {
            page.serverForm()->portEdit()->setText("22x");  // one field with its reason
            page.clientPodEdit()->setText("198.18.10.66");
            page.serverPodEdit()->setText("198.18.20.130");
            page.portEdit()->setText("8080");
        }
        QTest::qWait(20);
        // It fits a 1280x800 laptop screen (a window's frame and title take some).
        const QSize need = page.minimumSizeHint();
        QVERIFY2(need.width() <= 1280 && need.height() <= 740,
                 qPrintable(QString("needs %1x%2").arg(need.width()).arg(need.height())));
        QVERIFY(page.grab().save(screenshotDir() + "/" + name + ".png"));
    }
};

QTEST_MAIN(TestNodesPage)
#include "tst_nodes_page.moc"
