// The wizard's steps judged from real recorded diagnoses: the step a fault lives in
// fails, steps before it pass, and each step's commands are the ones it ran.

#include "diagnose/guide_steps.h"
#include "replayed.h"

#include <QtTest>

using namespace podpath;
using diagnose::Status;

namespace {


const diagnose::GuideStep &step(std::string_view id)
{
    for (const auto &s : diagnose::guideSteps())
        if (s.id == id)
            return s;
    qFatal("no step %s", std::string(id).c_str());
}

} // namespace

class TestGuideSteps : public QObject {
    Q_OBJECT
private slots:
    void everyCheckAndHopBelongsToOneStep()
    {
        // The wizard covers the whole guide: nothing the engine judges is left off a page.
        std::map<std::string, int> owners;
        for (const auto &s : diagnose::guideSteps()) {
            for (auto c : s.checks)
                ++owners[std::string(c)];
            for (auto h : s.hops)
                ++owners[std::string(diagnose::hopInfo(h).key)];
        }
        for (auto c : diagnose::kCheckIds)
            QCOMPARE(owners[std::string(c)], 1);
        for (const auto &h : diagnose::kHops)
            QCOMPARE(owners[std::string(h.key)], 1);
    }

    // The tunnel's steps are named for what they do on a path without tunnel; every
    // other step, and every step of a tunnelled or not yet known path, keeps its title.
    void titles_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("step");
        QTest::addColumn<QString>("title");
        for (const char *mode : {"ipip", "vxlan", "unknown"}) {
            QTest::addRow("%s tunnel-ip", mode) << mode << "tunnel-ip" << "Find the tunnel addresses";
            QTest::addRow("%s tunnel-ping", mode) << mode << "tunnel-ping" << "Ping the server's tunnel address";
        }
        for (const char *mode : {"none", "vxlan-crosssubnet-direct", "ipip-crosssubnet-direct"}) {
            QTest::addRow("%s tunnel-ip", mode) << mode << "tunnel-ip" << "Look for a tunnel (none on this path)";
            QTest::addRow("%s tunnel-ping", mode) << mode << "tunnel-ping" << "Ping into the server's pod block";
            QTest::addRow("%s routes", mode) << mode << "routes" << "Check the routes";
            // No hosts set guards a path without tunnel.
            QTest::addRow("%s firewall", mode) << mode << "firewall" << "Check the firewall counters";
        }
        QTest::newRow("ipip firewall") << "ipip" << "firewall" << "Check firewall counters and hosts set";
    }
    void titles()
    {
        QFETCH(QString, mode);
        QFETCH(QString, step);
        QFETCH(QString, title);
        const auto m = diagnose::encapsulationFromString(mode.toStdString());
        QVERIFY(m);
        QCOMPARE(QString::fromLatin1(diagnose::stepTitle(::step(step.toStdString()), *m).data()), title);
    }

    void statuses_data()
    {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("failingStep");
        QTest::addColumn<QStringList>("passingSteps");
        QTest::newRow("ipip healthy") << "ipip-healthy" << ""
                                      << QStringList{"underlay-ping", "tunnel-ip", "tunnel-ping", "routes",
                                                     "request-path", "reply-path", "firewall"};
        // The client's address missing from the server's hosts set: the request dies on
        // the server, and the firewall step holds the explanation.
        QTest::newRow("ipset missing client: request path") << "ipip-ipset-missing-client" << "request-path"
                                                            << QStringList{"underlay-ping", "routes", "tunnel-ip"};
        QTest::newRow("ipset missing client: firewall") << "ipip-ipset-missing-client" << "firewall" << QStringList{};
        QTest::newRow("reply route missing") << "ipip-reply-route-missing" << "routes"
                                             << QStringList{"underlay-ping", "tunnel-ip", "request-path"};
        // Small echoes cross, the full-size probe does not: step 4 fails on its full-size
        // check, the reply's path passes on the small echoes.
        QTest::newRow("mtu too small: tunnel ping") << "vxlan-mtu-too-small" << "tunnel-ping"
                                                    << QStringList{"underlay-ping", "routes", "reply-path"};
        QTest::newRow("mtu too small: request path") << "ipip-mtu-too-small" << "request-path"
                                                     << QStringList{"underlay-ping", "routes", "reply-path"};
        QTest::newRow("server drops the request") << "ipip-iptables-drop-server-request" << "request-path"
                                                  << QStringList{"underlay-ping", "routes", "tunnel-ip"};
    }
    void statuses()
    {
        QFETCH(QString, session);
        QFETCH(QString, failingStep);
        QFETCH(QStringList, passingSteps);
        const auto run = testing::replayed(session);
        QVERIFY(run);
        const diagnose::Diagnosis &d = run->diagnosis;
        if (!failingStep.isEmpty())
            QCOMPARE(QString::fromLatin1(diagnose::toString(diagnose::stepStatus(step(failingStep.toStdString()), d)).data()),
                     QStringLiteral("fail"));
        for (const QString &id : passingSteps)
            QCOMPARE(id + "=" + QString::fromLatin1(diagnose::toString(diagnose::stepStatus(step(id.toStdString()), d)).data()),
                     id + "=pass");
    }

    void notRunYet()
    {
        const auto run = testing::replayed("ipip-ipset-missing-client", {diagnose::Stage::Logs});
        QVERIFY(run);
        const diagnose::Diagnosis &d = run->diagnosis;
        QVERIFY(diagnose::stepStatus(step("firewall"), d) == Status::Skipped);
        QVERIFY(diagnose::stepStatus(step("request-path"), d) == Status::Skipped);
        QVERIFY(diagnose::stepStatus(step("logs"), d) != Status::Skipped);
        QVERIFY(diagnose::stepFindings(step("firewall"), d).empty());
    }

    // The sentence after a step says where its commands ran: a ping on the client alone,
    // captures and reads on both.
    void ranOn_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("where");
        QTest::newRow("logs") << "logs" << "both nodes";
        QTest::newRow("underlay ping") << "underlay-ping" << "the client (pplab-node1)";
        QTest::newRow("tunnel ping") << "tunnel-ping" << "the client (pplab-node1)";
        QTest::newRow("request path") << "request-path" << "both nodes";
        QTest::newRow("firewall") << "firewall" << "both nodes";
    }
    void ranOn()
    {
        QFETCH(QString, id);
        QFETCH(QString, where);
        const auto run = testing::replayed("ipip-ipset-missing-client");
        QVERIFY(run);
        QCOMPARE(QString::fromStdString(diagnose::stepRanOn(step(id.toStdString()), run->diagnosis)), where);
        const auto early = testing::replayed("ipip-ipset-missing-client", {diagnose::Stage::Logs});
        QVERIFY(early);
        if (id != QLatin1String("logs"))
            QCOMPARE(QString::fromStdString(diagnose::stepRanOn(step(id.toStdString()), early->diagnosis)), QString());
    }

    void commandsOfAStep()
    {
        const auto run = testing::replayed("ipip-ipset-missing-client");
        QVERIFY(run);
        const diagnose::Diagnosis &d = run->diagnosis;
        const auto cmds = diagnose::stepCommands(step("firewall"), d);
        QVERIFY(!cmds.empty());
        bool client = false, server = false;
        for (const auto *c : cmds) {
            client |= c->node == "client";
            server |= c->node == "server";
            QVERIFY(c->step == "firewall before" || c->step == "firewall after" || c->step == "ipset");
        }
        QVERIFY(client && server);
        const auto findings = diagnose::stepFindings(step("firewall"), d);
        QVERIFY(!findings.empty());
        QCOMPARE(QString::fromStdString(findings.front()->code), QStringLiteral("SOURCE_NOT_IN_HOSTS_IPSET"));
    }
};

QTEST_GUILESS_MAIN(TestGuideSteps)
#include "tst_guide_steps.moc"
