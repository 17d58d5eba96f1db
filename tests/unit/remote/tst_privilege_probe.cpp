// How PodPath gets root on a node, decided from what `id -u` and sudo said. sudo's
// answers are real, captured from sudo 1.9.13p3 on the lab's nodes and dash on Debian
// 12 (tests/fixtures/remote/README.md); the live paths run against the lab in
// tst_ssh_lab.

#include "remote/privilege_probe.h"

#include "remote/shell_quote.h"
#include "scripted_prompter.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <deque>

using namespace podpath;
using namespace podpath::remote;

namespace {

struct Step {
    std::string mustContain;   // in the wire
    int exitStatus;
    std::string out;
    std::string err;
    std::string banner = {};   // what the login shell prints to stdout before the command
};

// `id -u` runs for real, framed as the probe sends it, through /bin/sh with a stand-in
// `id` first in PATH (printing the step's answer) and the login shell's banner first.
Result<CommandResult> runIdForReal(const std::string &wire, const Step &s)
{
    QTemporaryDir dir;
    QFile id(dir.filePath("id"));
    if (!id.open(QIODevice::WriteOnly))
        return Error("cannot write the stand-in id", dir.path().toStdString());
    id.write(("#!/bin/sh\nprintf '%s' " + shellQuote(s.out) + "\nprintf '%s' " + shellQuote(s.err) + " >&2\nexit " +
              std::to_string(s.exitStatus) + "\n").c_str());
    id.close();
    id.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QProcess p;
    p.start("sh", {"-c", QString::fromStdString("printf '%s' " + shellQuote(s.banner) + "; PATH=" +
                                                 shellQuote(dir.path().toStdString()) + ":$PATH; export PATH; " + wire)});
    if (!p.waitForFinished(20000))
        return Error("the framed id -u did not finish", wire);
    CommandResult r;
    r.exitStatus = p.exitCode();
    r.out = p.readAllStandardOutput().toStdString();
    r.err = p.readAllStandardError().toStdString();
    return r;
}

struct ScriptedRunner {
    std::deque<Step> steps;
    std::vector<std::string> wires;
    std::vector<std::string> stdinLines;

    Result<CommandResult> operator()(const RemoteCommand &command, Seconds bound, SudoMode sudo,
                                     const std::optional<Secret> &line)
    {
        const std::string wire = wrapForNode(command, bound, sudo);
        wires.push_back(wire);
        stdinLines.push_back(line ? std::string(line->reveal()) : std::string());
        if (steps.empty())
            return Error("unexpected command", wire);
        Step s = steps.front();
        steps.pop_front();
        if (wire.find(s.mustContain) == std::string::npos)
            return Error("unexpected command", wire);
        if (s.mustContain == "id -u")
            return runIdForReal(wire, s);
        CommandResult r;
        r.exitStatus = s.exitStatus;
        r.out = s.out;
        r.err = s.err;
        return r;
    }
};

std::string fixture(const char *name)
{
    QFile f(QString(PODPATH_FIXTURES) + "/remote/sudo/" + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll().toStdString();
}

const std::string kNeedsPassword = fixture("needs_password.stderr");
const std::string kWrongPassword = fixture("wrong_password.stderr");
const std::string kMissing = fixture("sudo_missing.stderr");
// sudo's wording (plugins/sudoers) for a user it knows but does not allow; the lab
// cannot show it without that user's password, which no lab user has.
const char *kNotInSudoers = "ppnosudo is not in the sudoers file.  This incident will be reported.\n";

// After `sudo -n true` fails, two commands PodPath needs are tried through sudo on their
// own (sudo restricted to named commands); a sudo that wants a password refuses them too.
#define PER_COMMAND_REFUSED {"sudo -n -- tcpdump", 1, "", kNeedsPassword}, {"sudo -n -- iptables-save", 1, "", kNeedsPassword}

} // namespace

class TestPrivilegeProbe : public QObject {
    Q_OBJECT
private slots:
    void classify_data()
    {
        QTest::addColumn<int>("exitStatus");
        QTest::addColumn<QString>("err");
        QTest::addColumn<int>("verdict");
        QTest::newRow("works") << 0 << "" << int(SudoVerdict::Works);
        QTest::newRow("needs password") << 1 << QString::fromStdString(kNeedsPassword) << int(SudoVerdict::NeedsPassword);
        QTest::newRow("wrong password") << 1 << QString::fromStdString(kWrongPassword) << int(SudoVerdict::WrongPassword);
        QTest::newRow("not in sudoers") << 1 << kNotInSudoers << int(SudoVerdict::NotAllowed);
        QTest::newRow("not allowed to run")
            << 1 << "Sorry, user ppx is not allowed to execute '/usr/bin/timeout' as root on node1.\n"
            << int(SudoVerdict::NotAllowed);
        QTest::newRow("missing (dash)") << 127 << QString::fromStdString(kMissing) << int(SudoVerdict::Missing);
        QTest::newRow("unknown failure") << 1 << "sudo: something else\n" << int(SudoVerdict::NotAllowed);
    }
    void classify()
    {
        QFETCH(int, exitStatus);
        QFETCH(QString, err);
        QFETCH(int, verdict);
        QCOMPARE(int(classifySudo(exitStatus, err.toStdString())), verdict);
    }

    // A login shell that prints to stdout (a banner, a motd, a number) before the command
    // once failed the probe: `id -u` was not framed like the batched reads.
    void chattyLoginShell_data()
    {
        QTest::addColumn<QString>("banner");
        QTest::addColumn<QString>("uidOut");
        QTest::addColumn<int>("privilege");
        QTest::newRow("quiet, root") << "" << "0\n" << int(Privilege::Root);
        QTest::newRow("banner, root") << "Welcome to node-7 (managed by ops)\n" << "0\n" << int(Privilege::Root);
        QTest::newRow("a number first, root") << "1000\n" << "0\n" << int(Privilege::Root);
        QTest::newRow("pyenv noise, sudo user") << "pyenv: shims not on PATH\n0\n" << "1001\n" << int(Privilege::SudoNoPassword);
        QTest::newRow("no newline at the end") << "motd" << "0" << int(Privilege::Root);
    }
    void chattyLoginShell()
    {
        QFETCH(QString, banner);
        QFETCH(QString, uidOut);
        QFETCH(int, privilege);
        ScriptedRunner run;
        run.steps = {{"id -u", 0, uidOut.toStdString(), "", banner.toStdString()}, {"sudo -n", 0, "", ""}};
        ScriptedPrompter p;
        auto s = probePrivilege(std::ref(run), &p, "ops@node7");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        QCOMPARE(int(s->privilege), privilege);
        QCOMPARE(s->uid, uidOut.trimmed().toInt());
    }

    void rootLogin()
    {
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "0\n", ""}};
        ScriptedPrompter p;
        auto s = probePrivilege(std::ref(run), &p, "root@node1");
        QVERIFY(s.ok());
        QCOMPARE(s->privilege, Privilege::Root);
        QCOMPARE(p.sudoQuestions.load(), 0);
    }

    void sudoWithoutPassword()
    {
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "1001\n", ""}, {"sudo -n", 0, "", ""}};
        ScriptedPrompter p;
        auto s = probePrivilege(std::ref(run), &p, "ppadmin@node1");
        QVERIFY(s.ok());
        QCOMPARE(s->privilege, Privilege::SudoNoPassword);
        QCOMPARE(s->uid, 1001);
        QCOMPARE(p.sudoQuestions.load(), 0);
    }

    // With a command shell to turn into root's: where that works nothing else is asked
    // (one sudo, not two); where sudo refuses, the probe goes on as before to say why.
    void rootTakenFirst_data()
    {
        QTest::addColumn<bool>("taken");
        QTest::addColumn<int>("privilege");
        QTest::addColumn<int>("wires");   // commands the probe ran besides taking root
        QTest::newRow("taken") << true << int(Privilege::SudoNoPassword) << 1;
        QTest::newRow("refused, then sudo -n true works") << false << int(Privilege::SudoNoPassword) << 2;
    }
    void rootTakenFirst()
    {
        QFETCH(bool, taken);
        QFETCH(int, privilege);
        QFETCH(int, wires);
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "1001\n", ""}, {"sudo -n", 0, "", ""}};
        ScriptedPrompter p;
        int asked = 0;
        auto s = probePrivilege(std::ref(run), &p, "ppadmin@node1", [&]() -> Result<bool> {
            ++asked;
            return taken;
        });
        QVERIFY(s.ok());
        QCOMPARE(asked, 1);
        QCOMPARE(int(s->privilege), privilege);
        QCOMPARE(s->rootTaken, taken);
        QCOMPARE(int(run.wires.size()), wires);
    }

    void sudoWithPasswordAskedOnceAndSentOnStdinOnly()
    {
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "1002\n", ""}, {"sudo -n", 1, "", kNeedsPassword}, PER_COMMAND_REFUSED, {"sudo -S", 0, "", ""}};
        ScriptedPrompter p;
        p.sudoAnswer = "pp-rm-sudo-secret";
        auto s = probePrivilege(std::ref(run), &p, "pppass@node1");
        QVERIFY(s.ok());
        QCOMPARE(s->privilege, Privilege::SudoPassword);
        QCOMPARE(p.sudoQuestions.load(), 1);
        QVERIFY(s->sudoPassword.has_value());
        for (const auto &w : run.wires)
            QVERIFY(w.find("pp-rm-sudo-secret") == std::string::npos);
        QCOMPARE(run.stdinLines.back(), std::string("pp-rm-sudo-secret"));
    }

    // Least-privilege sudo: `timeout` and `true` are refused, the commands PodPath names
    // are not; each then runs through sudo on its own. The wording is sudo 1.9's.
    void sudoRestrictedToNamedCommands_data()
    {
        QTest::addColumn<int>("tcpdumpStatus");
        QTest::addColumn<int>("iptablesStatus");
        QTest::addColumn<int>("privilege");
        QTest::newRow("tcpdump allowed") << 0 << -1 << int(Privilege::SudoRestricted);
        QTest::newRow("only iptables-save allowed") << 1 << 0 << int(Privilege::SudoRestricted);
        QTest::newRow("neither") << 1 << 1 << int(Privilege::None);
    }
    void sudoRestrictedToNamedCommands()
    {
        QFETCH(int, tcpdumpStatus);
        QFETCH(int, iptablesStatus);
        QFETCH(int, privilege);
        const std::string refused =
            "Sorry, user ppsudo is not allowed to execute '/usr/bin/timeout -k 2 15 env LC_ALL=C true' as root on node1.\n";
        const std::string notThis = "Sorry, user ppsudo is not allowed to execute '/usr/bin/x' as root on node1.\n";
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "1005\n", ""}, {"sudo -n -- timeout", 1, "", refused},
                     {"sudo -n -- tcpdump --version", tcpdumpStatus, "", tcpdumpStatus ? notThis : ""}};
        if (iptablesStatus >= 0)
            run.steps.push_back({"sudo -n -- iptables-save --version", iptablesStatus, "", iptablesStatus ? notThis : ""});
        ScriptedPrompter p;
        auto s = probePrivilege(std::ref(run), &p, "ppsudo@node1");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        QCOMPARE(int(s->privilege), privilege);
        QVERIFY(run.steps.empty());
        QCOMPARE(p.sudoQuestions.load(), 0);
        // The named command is what sudo runs: `timeout` bounds sudo from outside.
        QVERIFY2(run.wires[2].find("timeout -k 2 15 sudo -n -- tcpdump --version") != std::string::npos,
                 run.wires[2].c_str());
    }

    void wrongSudoPassword()
    {
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "1002\n", ""}, {"sudo -n", 1, "", kNeedsPassword}, PER_COMMAND_REFUSED, {"sudo -S", 1, "", kWrongPassword}};
        ScriptedPrompter p;
        p.sudoAnswer = "wrong";
        auto s = probePrivilege(std::ref(run), &p, "pppass@node1");
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, std::string("SUDO_PASSWORD_REJECTED"));
        QVERIFY(s.error().oneLine().find("wrong") == std::string::npos);
    }

    // Named commands only, with a password (the lab's ppsudopw): the password is right
    // but `true` is not among the commands; tcpdump with the password is. Every later
    // privileged command gets the password on its own sudo -S.
    void restrictedWithPassword()
    {
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "1012\n", ""},
                     {"sudo -n", 1, "", kNeedsPassword},
                     PER_COMMAND_REFUSED,
                     {"sudo -S", 1, "", "Sorry, user ppsudopw is not allowed to execute '/usr/bin/timeout -k 2 15 env LC_ALL=C true' as root on node1.\n"},
                     {"timeout -k 2 15 sudo -S", 0, "", "tcpdump version 4.99.3\n"}};
        ScriptedPrompter p;
        p.sudoAnswer = "pp-rm-sudo-secret";
        auto s = probePrivilege(std::ref(run), &p, "ppsudopw@node1");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().oneLine().c_str());
        QCOMPARE(s->privilege, Privilege::SudoRestricted);
        QVERIFY(s->sudoPassword.has_value());
        QCOMPARE(p.sudoQuestions.load(), 1);
        QCOMPARE(run.stdinLines.back(), std::string("pp-rm-sudo-secret"));
        for (const auto &w : run.wires)
            QVERIFY(w.find("pp-rm-sudo-secret") == std::string::npos);
    }

    void passwordDeclined()
    {
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "1002\n", ""}, {"sudo -n", 1, "", kNeedsPassword}, PER_COMMAND_REFUSED};
        ScriptedPrompter p;
        auto s = probePrivilege(std::ref(run), &p, "pppass@node1");
        QVERIFY(s.ok());
        QCOMPARE(s->privilege, Privilege::None);
    }

    void notInSudoersAfterPassword()
    {
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "1003\n", ""}, {"sudo -n", 1, "", kNeedsPassword}, PER_COMMAND_REFUSED, {"sudo -S", 1, "", kNotInSudoers}};
        ScriptedPrompter p;
        p.sudoAnswer = "pw";
        auto s = probePrivilege(std::ref(run), &p, "ppnosudo@node1");
        QVERIFY(s.ok());
        QCOMPARE(s->privilege, Privilege::None);
        QVERIFY(s->detail.find("sudoers") != std::string::npos);
    }

    void sudoMissing()
    {
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "1003\n", ""}, {"sudo -n", 127, "", kMissing}};
        ScriptedPrompter p;
        auto s = probePrivilege(std::ref(run), &p, "ppnosudo@node1");
        QVERIFY(s.ok());
        QCOMPARE(s->privilege, Privilege::None);
        QCOMPARE(s->detail, std::string("sudo is not installed"));
    }

    // `Defaults requiretty`: sudo's own words (the lab's pptty, sudo 1.9.13p3). One line
    // naming the sudoers change, and no per-command or password probe after it.
    void requiresATerminal_data()
    {
        QTest::addColumn<QString>("said");
        QTest::newRow("pptty as ppadmin's sudoers line with requiretty") << "sudo: sorry, you must have a tty to run sudo\n";
    }
    void requiresATerminal()
    {
        QFETCH(QString, said);
        ScriptedRunner run;
        run.steps = {{"id -u", 0, "4011\n", ""}, {"sudo -n", 1, "", said.toStdString()}};
        ScriptedPrompter p;
        auto s = probePrivilege(std::ref(run), &p, "pptty@node1");
        QVERIFY(s.ok());
        QCOMPARE(s->privilege, Privilege::None);
        QCOMPARE(run.wires.size(), std::size_t(2));
        QVERIFY2(s->detail.find("requires a terminal (Defaults requiretty)") != std::string::npos &&
                     s->detail.find('\n') == std::string::npos,
                 s->detail.c_str());
        // The error the connection ends with gives the sudoers change as the next step, not
        // "give the user sudo rights" (it may have them) nor "cannot use sudo".
        QVERIFY(s->sudoNeedsTerminal);
        const Error e = rootUnavailable("pptty@node1", *s, {"tcpdump"});
        QVERIFY2(e.message.find("cannot use sudo") == std::string::npos &&
                     e.message.find("only from a terminal") != std::string::npos,
                 e.message.c_str());
        QVERIFY2(e.nextStep.find("Defaults:pptty !requiretty") != std::string::npos &&
                     e.nextStep.find("sudo rights") == std::string::npos,
                 e.nextStep.c_str());
    }

    void rootUnavailableNamesTheCommands()
    {
        PrivilegeState none;
        none.privilege = Privilege::None;
        none.detail = "sudo is not installed";
        Error e = rootUnavailable("ppnosudo@node1", none, {"tcpdump", "iptables", "ipset"});
        QCOMPARE(e.code, std::string("ROOT_UNAVAILABLE"));
        QVERIFY(e.message.find("tcpdump, iptables and ipset need root") != std::string::npos);
        QVERIFY(!e.nextStep.empty());
    }

    void idFailureIsAnError()
    {
        ScriptedRunner run;
        run.steps = {{"id -u", 127, "", "sh: 1: id: not found\n"}};
        auto s = probePrivilege(std::ref(run), nullptr, "x@node1");
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, std::string("PRIVILEGE_PROBE_FAILED"));
    }
};

QTEST_GUILESS_MAIN(TestPrivilegeProbe)
#include "tst_privilege_probe.moc"
