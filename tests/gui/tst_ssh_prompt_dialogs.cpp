// The SSH questions as dialogs: the host key dialog's three answers (Refuse by default,
// on Enter and on Esc), what it shows (fingerprint in monospace, the command to check
// it on the node, where "Accept and save" writes), the secret dialogs (typed
// text comes back as a Secret once and the fields are emptied), and GuiPrompter
// carrying a worker thread's question to the GUI thread and the answer back.

#include "gui_prompter.h"
#include "host_key_dialog.h"
#include "secret_dialog.h"

#include <QApplication>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace podpath;
using namespace podpath::widgets;

namespace {

remote::HostKeyQuestion question(const std::string &type = "ssh-ed25519")
{
    return {"pplab-node1", "198.51.100.11", 22, type, "SHA256:Vd0mHkNw3Ai9e0rXo1tZlvWl2zZqb2mC3uDzgJ2kq0c",
            "/tmp/ppnd-known_hosts"};
}

QString screenshotDir()
{
    QDir().mkpath(QStringLiteral(PODPATH_SCREENSHOTS));
    return QStringLiteral(PODPATH_SCREENSHOTS);
}

// Answers the next modal dialog from inside its own event loop (exec() blocks the test's
// code, not the timers).
class DialogDriver : public QObject {
public:
    std::function<void(QWidget *)> answer;
    int answered = 0;
    DialogDriver()
    {
        auto *t = new QTimer(this);
        t->setInterval(20);
        connect(t, &QTimer::timeout, this, [this] {
            QWidget *w = QApplication::activeModalWidget();
            if (w && answer && w->isVisible()) {
                ++answered;
                auto a = answer;
                answer = nullptr;
                a(w);
            }
        });
        t->start();
    }
};

} // namespace

class TestSshPromptDialogs : public QObject {
    Q_OBJECT
private slots:
    void hostKeyButtons_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<int>("decision");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("Refuse") << "refuse" << int(remote::HostKeyDecision::Refuse) << false;
        QTest::newRow("Accept once") << "once" << int(remote::HostKeyDecision::AcceptOnce) << true;
        QTest::newRow("Accept and save") << "save" << int(remote::HostKeyDecision::AcceptAndSave) << true;
        QTest::newRow("Enter refuses") << "enter" << int(remote::HostKeyDecision::Refuse) << false;
        QTest::newRow("Esc refuses") << "esc" << int(remote::HostKeyDecision::Refuse) << false;
        QTest::newRow("closing refuses") << "close" << int(remote::HostKeyDecision::Refuse) << false;
    }
    void hostKeyButtons()
    {
        QFETCH(QString, action);
        HostKeyDialog d(question());
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QCOMPARE(d.refuseButton()->text(), QStringLiteral("Refuse"));
        QCOMPARE(d.acceptOnceButton()->text(), QStringLiteral("Accept once"));
        QCOMPARE(d.acceptAndSaveButton()->text(), QStringLiteral("Accept and save"));
        QVERIFY(d.refuseButton()->isDefault());
        QVERIFY(!d.acceptOnceButton()->isDefault() && !d.acceptAndSaveButton()->isDefault());
        if (action == "refuse")
            QTest::mouseClick(d.refuseButton(), Qt::LeftButton);
        else if (action == "once")
            QTest::mouseClick(d.acceptOnceButton(), Qt::LeftButton);
        else if (action == "save")
            QTest::mouseClick(d.acceptAndSaveButton(), Qt::LeftButton);
        else if (action == "enter")
            QTest::keyClick(&d, Qt::Key_Return);
        else if (action == "esc")
            QTest::keyClick(&d, Qt::Key_Escape);
        else
            d.close();
        QTRY_VERIFY(!d.isVisible());
        QTEST(int(d.decision()), "decision");
        QTEST(d.result() == QDialog::Accepted, "accepted");
    }

    void hostKeyShows_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("command");
        QTest::newRow("ed25519") << "ssh-ed25519" << "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub";
        QTest::newRow("ecdsa") << "ecdsa-sha2-nistp256" << "ssh-keygen -lf /etc/ssh/ssh_host_ecdsa_key.pub";
        QTest::newRow("rsa") << "rsa-sha2-512" << "ssh-keygen -lf /etc/ssh/ssh_host_rsa_key.pub";
        QTest::newRow("unknown type") << "sk-ssh-ed25519@openssh.com"
                                      << "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub";
    }
    void hostKeyShows()
    {
        QFETCH(QString, type);
        QFETCH(QString, command);
        HostKeyDialog d(question(type.toStdString()));
        QVERIFY(d.windowTitle().contains("pplab-node1"));
        QVERIFY(d.fingerprintLabel()->text().contains("SHA256:Vd0mHkNw3Ai9e0rXo1tZlvWl2zZqb2mC3uDzgJ2kq0c"));
        QCOMPARE(d.fingerprintLabel()->font().family(), QFontDatabase::systemFont(QFontDatabase::FixedFont).family());
        QVERIFY(d.fingerprintLabel()->textInteractionFlags() & Qt::TextSelectableByMouse);
        QStringList texts;
        for (auto *l : d.findChildren<QLabel *>())
            texts << l->text();
        const QString all = texts.join('\n');
        QVERIFY2(all.contains(command), qPrintable(all));
        QVERIFY(all.contains("198.51.100.11") && all.contains("port 22"));
        QVERIFY(all.contains("/tmp/ppnd-known_hosts"));  // where "Accept and save" writes
    }

    void hostKeyScreenshot()
    {
        HostKeyDialog d(question("ssh-ed25519"));
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.adjustSize();
        QVERIFY(d.grab().save(screenshotDir() + "/nodes-host-key-dialog.png"));
        SecretDialog *p = SecretDialog::forSudoPassword("ppadmin@pplab-node2");
        p->show();
        QVERIFY(QTest::qWaitForWindowExposed(p));
        QVERIFY(p->grab().save(screenshotDir() + "/nodes-sudo-dialog.png"));
        delete p;
    }

    void secretDialogs_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("explains");  // a phrase the explanation must hold
        QTest::newRow("passphrase") << "passphrase" << "/home/ops/.ssh/id_ed25519";
        QTest::newRow("password, first try") << "password1" << "root@pplab-node1";
        QTest::newRow("password, second try") << "password2" << "not accepted";
        QTest::newRow("sudo") << "sudo" << "sudo";
    }
    void secretDialogs()
    {
        QFETCH(QString, kind);
        QFETCH(QString, explains);
        for (bool ok : {true, false}) {
            std::unique_ptr<SecretDialog> d(
                kind == "passphrase"  ? SecretDialog::forPassphrase("/home/ops/.ssh/id_ed25519")
                : kind == "password1" ? SecretDialog::forPassword("root@pplab-node1", 1)
                : kind == "password2" ? SecretDialog::forPassword("root@pplab-node1", 2)
                                      : SecretDialog::forSudoPassword("ppadmin@pplab-node2"));
            QVERIFY(d->explanationLabel()->text().contains(explains));
            QCOMPARE(d->fieldCount(), 1);
            QCOMPARE(d->field(0)->echoMode(), QLineEdit::Password);
            d->show();
            QVERIFY(QTest::qWaitForWindowExposed(d.get()));
            QTest::keyClicks(d->field(0), "pp s3cret!");
            QCOMPARE(d->field(0)->text(), QStringLiteral("pp s3cret!"));
            QTest::keyClick(d->field(0), ok ? Qt::Key_Return : Qt::Key_Escape);
            QVERIFY(!d->isVisible());
            // The typed text is gone from the widget either way.
            QVERIFY(d->field(0)->text().isEmpty());
            QVERIFY(!d->field(0)->isUndoAvailable());
            auto answers = d->takeAnswers();
            QCOMPARE(answers.has_value(), ok);
            if (ok) {
                QCOMPARE(answers->size(), std::size_t(1));
                QCOMPARE(QString::fromUtf8(answers->front().reveal()), QStringLiteral("pp s3cret!"));
                QVERIFY(!d->takeAnswers());  // once
            }
        }
    }

    void keyboardInteractive()
    {
        std::unique_ptr<SecretDialog> d(SecretDialog::forKeyboardInteractive(
            "pppass@pplab-node1", "Two-step login", "Answer both.", {{"Password: ", false}, {"Favourite pod: ", true}}));
        QCOMPARE(d->windowTitle(), QStringLiteral("Two-step login"));
        QVERIFY(d->explanationLabel()->text().contains("Answer both."));
        QCOMPARE(d->fieldCount(), 2);
        QCOMPARE(d->field(0)->echoMode(), QLineEdit::Password);
        QCOMPARE(d->field(1)->echoMode(), QLineEdit::Normal);
        QCOMPARE(d->field(0)->accessibleName(), QStringLiteral("Password:"));
        d->show();
        QVERIFY(QTest::qWaitForWindowExposed(d.get()));
        QTest::keyClicks(d->field(0), "one");
        QTest::keyClicks(d->field(1), "two");
        d->accept();
        auto answers = d->takeAnswers();
        QVERIFY(answers && answers->size() == 2);
        QCOMPARE(std::string((*answers)[0].reveal()), std::string("one"));
        QCOMPARE(std::string((*answers)[1].reveal()), std::string("two"));
        QVERIFY(d->field(0)->text().isEmpty() && d->field(1)->text().isEmpty());
    }

    // A worker thread asks; the GUI thread shows the dialog; the answer goes back.
    void prompterAcrossThreads_data()
    {
        QTest::addColumn<QString>("question");
        QTest::addColumn<QString>("answer");  // what the "user" does
        QTest::addColumn<QString>("expected");
        QTest::newRow("host key: accept and save") << "hostkey" << "save" << "AcceptAndSave";
        QTest::newRow("host key: accept once") << "hostkey" << "once" << "AcceptOnce";
        QTest::newRow("host key: refuse") << "hostkey" << "esc" << "Refuse";
        QTest::newRow("password typed") << "password" << "type" << "s3cret";
        QTest::newRow("password cancelled") << "password" << "esc" << "declined";
        QTest::newRow("sudo typed") << "sudo" << "type" << "s3cret";
        QTest::newRow("passphrase typed") << "passphrase" << "type" << "s3cret";
        QTest::newRow("keyboard-interactive") << "kbd" << "type" << "s3cret";
    }
    void prompterAcrossThreads()
    {
        QFETCH(QString, question);
        QFETCH(QString, answer);
        QFETCH(QString, expected);
        QWidget window;
        window.show();
        GuiPrompter prompter(&window);
        DialogDriver driver;
        QString seenParentTitle;
        driver.answer = [&](QWidget *w) {
            QVERIFY(w->parentWidget() == &window);
            if (auto *hk = qobject_cast<HostKeyDialog *>(w)) {
                if (answer == "save")
                    hk->acceptAndSaveButton()->click();
                else if (answer == "once")
                    hk->acceptOnceButton()->click();
                else
                    QTest::keyClick(hk, Qt::Key_Escape);
            } else if (auto *sd = qobject_cast<SecretDialog *>(w)) {
                if (answer == "type") {
                    for (int i = 0; i < sd->fieldCount(); ++i)
                        sd->field(i)->setText("s3cret");
                    sd->accept();
                } else {
                    sd->reject();
                }
            }
        };
        std::atomic<bool> done{false};
        QString got;
        QThread *gui = QThread::currentThread();
        std::atomic<bool> offGuiThread{false};
        std::thread worker([&] {
            offGuiThread = QThread::currentThread() != gui;
            auto text = [](const std::optional<remote::Secret> &s) {
                return s ? QString::fromUtf8(s->reveal()) : QStringLiteral("declined");
            };
            if (question == "hostkey") {
                const auto d = prompter.unknownHostKey(::question());
                got = d == remote::HostKeyDecision::AcceptAndSave ? "AcceptAndSave"
                      : d == remote::HostKeyDecision::AcceptOnce  ? "AcceptOnce"
                                                                  : "Refuse";
            } else if (question == "password") {
                got = text(prompter.password("root@pplab-node1", 1));
            } else if (question == "sudo") {
                got = text(prompter.sudoPassword("ppadmin@pplab-node2"));
            } else if (question == "passphrase") {
                got = text(prompter.keyPassphrase("/tmp/key"));
            } else {
                auto a = prompter.keyboardInteractive("u@h", "", "", {{"Code: ", true}});
                got = a && a->size() == 1 ? QString::fromUtf8(a->front().reveal()) : QStringLiteral("declined");
            }
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 10000);
        worker.join();
        QVERIFY(offGuiThread.load());
        QCOMPARE(driver.answered, 1);
        QCOMPARE(got, expected);
    }

    // On the GUI thread a blocking question would deadlock: it is declined at once.
    void prompterOnGuiThreadDeclines()
    {
        GuiPrompter prompter;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("on the GUI thread; declined"));
        QCOMPARE(prompter.unknownHostKey(question()), remote::HostKeyDecision::Refuse);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("on the GUI thread; declined"));
        QVERIFY(!prompter.password("root@x", 1));
        QVERIFY(QApplication::topLevelWidgets().isEmpty() ||
                std::none_of(QApplication::topLevelWidgets().begin(), QApplication::topLevelWidgets().end(),
                             [](QWidget *w) { return qobject_cast<QDialog *>(w) && w->isVisible(); }));
    }

    // Closing the window while a question is open: the worker gets "declined", and
    // every later question is declined without a dialog.
    void shutdownReleasesTheWorker()
    {
        GuiPrompter prompter;
        DialogDriver driver;
        driver.answer = [&](QWidget *) { prompter.shutdown(); };
        std::atomic<bool> done{false};
        std::optional<remote::Secret> first, second;
        std::thread worker([&] {
            first = prompter.sudoPassword("u@h");
            second = prompter.sudoPassword("u@h");
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 10000);
        worker.join();
        QCOMPARE(driver.answered, 1);
        QVERIFY(!first && !second);
    }
};

QTEST_MAIN(TestSshPromptDialogs)
#include "tst_ssh_prompt_dialogs.moc"
