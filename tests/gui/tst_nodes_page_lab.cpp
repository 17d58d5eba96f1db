// "Test connection" on the NODES screen against the lab's real nodes (tests/lab): real
// SSH through the page's own GuiPrompter, its dialogs answered the way a person would
// (host key, sudo password), and the panel must show the lab's own facts (hostname,
// node IP, tunnel device and address, root, tcpdump). Needs root and the lab up; skips
// with the reason otherwise (it does not bring the lab up or down itself).

#include "lab_access.h"
#include "gui_prompter.h"
#include "host_key_dialog.h"
#include "node_form.h"
#include "nodes_page.h"
#include "probe_result_view.h"
#include "process_run.h"
#include "secret_dialog.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <unistd.h>

using namespace podpath;
using namespace podpath::widgets;

namespace {

QByteArray runLab(const QStringList &args, int *exitCode)
{
    const testing::ProcessRun r = testing::runProcess(QStringLiteral(PODPATH_LAB_DIR "/lab"), args, 60000);
    *exitCode = r.exitCode;
    if (!r.ok() && args.value(0) != QLatin1String("status"))
        qWarning("%s", r.failure("lab " + args.join(' ')).constData());
    return r.out;
}

// Answers the modal dialog the prompter opens, from inside the dialog's own loop.
class DialogDriver : public QObject {
public:
    std::function<void(QWidget *)> answer;
    QStringList seen;  // class names of the dialogs answered
    DialogDriver()
    {
        auto *t = new QTimer(this);
        t->setInterval(50);
        connect(t, &QTimer::timeout, this, [this] {
            QWidget *w = QApplication::activeModalWidget();
            if (!w || !w->isVisible())
                return;
            seen << QString::fromLatin1(w->metaObject()->className());
            if (answer)
                answer(w);
            else if (auto *d = qobject_cast<QDialog *>(w))
                d->reject();  // an unexpected question: refuse it
        });
        t->start();
    }
};

} // namespace

class TestNodesPageLab : public QObject {
    Q_OBJECT

    QJsonObject m_env;
    QTemporaryDir m_dir;

    QJsonObject node(int i) const { return m_env["nodes"].toArray().at(i).toObject(); }
    bool m_broughtUp = false;

    QString userPassword(const QString &sudo) const
    {
        for (const auto &u : m_env["users"].toArray())
            if (u.toObject()["sudo"].toString() == sudo)
                return u.toObject()["password"].toString();
        return {};
    }

private slots:
    void initTestCase()
    {
        int rc = 0;
        runLab({"status"}, &rc);
        if (rc != 0) {
            // Like the other lab tests: bring it up (and down again at the end).
            runLab({"up"}, &rc);
            QVERIFY2(rc == 0, "tests/lab/lab up failed");
            m_broughtUp = true;
        }
        m_env = QJsonDocument::fromJson(runLab({"env", "--json"}, &rc)).object();
        QVERIFY2(rc == 0 && m_env["nodes"].toArray().size() >= 2, "tests/lab/lab env --json failed");
        if (!m_env["fault"].isNull()) {
            runLab({"fault", "clear"}, &rc);
            QVERIFY2(rc == 0, "tests/lab/lab fault clear failed");
            m_env = QJsonDocument::fromJson(runLab({"env", "--json"}, &rc)).object();
        }
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase()
    {
        QVERIFY(ConnectionTester::waitForTestsInFlight(30000));
        int rc = 0;
        if (m_broughtUp)
            runLab({"down"}, &rc);
    }

    void testConnection_data()
    {
        QTest::addColumn<int>("nodeIndex");
        QTest::addColumn<QString>("how");  // alias | root | sudo | sudo-password | no-sudo | new-key-accept | new-key-refuse
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("root");
        QTest::addColumn<QString>("dialog");  // the dialog that must have been shown, if any
        const int ready = int(ProbeResultView::State::Ready);
        QTest::newRow("node1 by its ssh config alias") << 0 << "alias" << ready << "yes, logged in as root" << "";
        QTest::newRow("node2 as root with the lab key") << 1 << "root" << ready << "yes, logged in as root" << "";
        QTest::newRow("node1 as a sudo user") << 0 << "sudo" << ready << "yes, via sudo" << "";
        QTest::newRow("node2, sudo with a password") << 1 << "sudo-password" << ready << "yes, via sudo with a password"
                                                     << "podpath::widgets::SecretDialog";
        // sudo asks a user it does not allow for a password too; the person, not knowing
        // one, cancels.
        QTest::newRow("node1, user without sudo") << 0 << "no-sudo" << int(ProbeResultView::State::Problems)
                                                  << "no: not root and no sudo" << "podpath::widgets::SecretDialog";
        QTest::newRow("node2, unknown host key accepted once") << 1 << "new-key-accept" << ready
                                                               << "yes, logged in as root"
                                                               << "podpath::widgets::HostKeyDialog";
        QTest::newRow("node1, unknown host key refused") << 0 << "new-key-refuse" << int(ProbeResultView::State::Failed)
                                                         << "" << "podpath::widgets::HostKeyDialog";
    }
    void testConnection()
    {
        QFETCH(int, nodeIndex);
        QFETCH(QString, how);
        QFETCH(int, state);
        QFETCH(QString, root);
        QFETCH(QString, dialog);
        const QJsonObject n = node(nodeIndex);
        QSettings settings(m_dir.filePath("settings.ini"), QSettings::IniFormat);
        NodesPage page(&settings);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        NodeForm *form = nodeIndex == 0 ? page.clientForm() : page.serverForm();

        // An empty known_hosts for the unknown-key rows; the lab's own otherwise.
        const QString emptyKnownHosts = m_dir.filePath(QStringLiteral("known_hosts-%1").arg(QTest::currentDataTag()));
        page.knownHostsEdit()->setText(how.startsWith("new-key") ? emptyKnownHosts : m_env["knownHosts"].toString());
        page.sshConfigEdit()->setText(how == "alias" ? m_env["sshConfig"].toString() : QStringLiteral("/dev/null"));
        QVERIFY2(page.sshConfigError().isEmpty(), qPrintable(page.sshConfigError()));
        if (how == "alias") {
            form->hostEdit()->setText(n["name"].toString());
        } else {
            form->hostEdit()->setText(n["host"].toString());
            form->userEdit()->setText(how == "sudo"            ? "ppadmin"
                                      : how == "sudo-password" ? "pppass"
                                      : how == "no-sudo"       ? "ppnosudo"
                                                               : "root");
            form->identityEdit()->setText(m_env["key"].toString());
        }
        QVERIFY2(form->isValid(), qPrintable(form->errorText("host") + form->errorText("identity")));

        DialogDriver driver;
        QString shownFingerprint;
        driver.answer = [&](QWidget *w) {
            if (auto *hk = qobject_cast<HostKeyDialog *>(w)) {
                shownFingerprint = hk->fingerprintLabel()->text();
                (how == "new-key-accept" ? hk->acceptOnceButton() : hk->refuseButton())->click();
            } else if (auto *sd = qobject_cast<SecretDialog *>(w)) {
                if (how == "no-sudo") {
                    sd->reject();
                    return;
                }
                sd->field(0)->setText(userPassword("password"));
                sd->accept();
            }
        };
        QTest::mouseClick(form->testButton(), Qt::LeftButton);
        ProbeResultView *view = form->resultView();
        QTRY_VERIFY_WITH_TIMEOUT(view->state() != ProbeResultView::State::Running, 60000);
        QCOMPARE(driver.seen, dialog.isEmpty() ? QStringList{} : QStringList{dialog});
        QVERIFY2(int(view->state()) == state, qPrintable(view->statusText() + " | " + view->problemTexts().join(" | ")));
        if (state == int(ProbeResultView::State::Failed)) {
            QVERIFY(view->statusText().contains("Could not connect"));
            QVERIFY2(view->problemTexts().join(' ').contains("host key"), qPrintable(view->problemTexts().join(' ')));
            return;
        }
        if (how.startsWith("new-key")) {
            QVERIFY(shownFingerprint.contains("SHA256:"));
            QVERIFY(QFileInfo(emptyKnownHosts).size() == 0);  // "once" saves nothing
        }
        QCOMPARE(view->fact("hostname"), n["hostname"].toString());
        QCOMPARE(view->fact("nodeIp"), n["nodeIp"].toString() + " on eth0");
        const QString mode = m_env["mode"].toString();
        QCOMPARE(view->fact("mode"), mode == "vxlan" ? QStringLiteral("VXLAN") : QStringLiteral("IPIP"));
        QVERIFY2(view->fact("tunnel").startsWith(n["tunnelDevice"].toString() + ", " + n["tunnelIp"].toString() +
                                                 " (up, MTU " + QString::number(n["tunnelMtu"].toInt()) + ")"),
                 qPrintable(view->fact("tunnel")));
        QCOMPARE(view->fact("root"), root);
        if (how != "no-sudo") {
            QVERIFY(view->fact("tcpdump").startsWith("yes ("));
            QVERIFY(view->fact("firewall").startsWith("iptables"));
        } else {
            QVERIFY(view->problemTexts().join(' ').contains("sudo"));
        }
        if (how == "root" && QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS)))
            QVERIFY(page.grab().save(QStringLiteral(PODPATH_SCREENSHOTS) + "/nodes-page-lab.png"));
    }
};

PODPATH_TEST_MAIN_UNLESS(TestNodesPageLab, testing::whyNoLab())
#include "tst_nodes_page_lab.moc"
