// The port probe (diagnose/port_probe.h): each outcome read from what the tools really
// left (tests/fixtures/probe, recorded by its generate.sh), the commands as the node
// receives them, and the sentences the checks say.

#include "diagnose/port_probe.h"
#include "fixture_file.h"

#include <QtTest>

using namespace podpath;
using diagnose::ConnectOutcome;
using diagnose::Transport;

Q_DECLARE_METATYPE(ConnectOutcome)
Q_DECLARE_METATYPE(Transport)
Q_DECLARE_METATYPE(diagnose::PortProbeOutcome)

namespace {

// "exit N" or "exit none" (the bound killed it), then stderr.
diagnose::ConnectAttempt classifyFixture(Transport t, const QString &name)
{
    const std::string text = test::fixtureText("probe/" + name + ".txt");
    const auto nl = text.find('\n');
    const std::string first = text.substr(0, nl), err = nl == std::string::npos ? "" : text.substr(nl + 1);
    std::optional<int> exit;
    if (first != "exit none")
        exit = std::stoi(first.substr(5));
    return diagnose::classifyAttempt(t, exit, !exit, err);
}

diagnose::PortProbeOutcome outcome(Transport t, std::initializer_list<ConnectOutcome> attempts)
{
    diagnose::PortProbeOutcome p;
    p.transport = t;
    p.port = remote::Port::of(8080);
    p.tool = diagnose::ProbeTool::Bash;
    for (auto o : attempts)
        p.attempts.push_back({o, {}});
    return p;
}

} // namespace

class TestPortProbe : public QObject {
    Q_OBJECT
private slots:
    void recorded_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<Transport>("transport");
        QTest::addColumn<ConnectOutcome>("expected");
        QTest::addColumn<QString>("words");
        const auto tcp = Transport::Tcp, udp = Transport::Udp;
        QTest::newRow("bash: connected") << "bash-tcp-connected" << tcp << ConnectOutcome::Connected << "";
        QTest::newRow("bash: nothing listens") << "bash-tcp-refused" << tcp << ConnectOutcome::Refused
                                               << "198.18.99.2: line 1: /dev/tcp/198.18.99.2/8081: Connection refused";
        QTest::newRow("bash: a rule resets") << "bash-tcp-reset-by-rule" << tcp << ConnectOutcome::Refused << "";
        QTest::newRow("bash: dropped (the bound ran out)") << "bash-tcp-dropped" << tcp << ConnectOutcome::NoAnswer << "";
        QTest::newRow("bash: host unreachable") << "bash-tcp-host-unreachable" << tcp << ConnectOutcome::Unreachable << "";
        QTest::newRow("bash: no route in the pod") << "bash-tcp-no-route" << tcp << ConnectOutcome::NoRoute << "";
        QTest::newRow("bash: udp sent to a closed port") << "bash-udp-port-unreachable" << udp << ConnectOutcome::Sent << "";
        QTest::newRow("no bash") << "bash-missing" << tcp << ConnectOutcome::ToolMissing << "";
        QTest::newRow("nc: connected") << "nc-tcp-connected" << tcp << ConnectOutcome::Connected << "";
        QTest::newRow("nc: nothing listens") << "nc-tcp-refused" << tcp << ConnectOutcome::Refused
                                             << "nc: connect to 198.18.99.2 port 8081 (tcp) failed: Connection refused";
        QTest::newRow("nc: dropped (its own -w ran out)") << "nc-tcp-dropped" << tcp << ConnectOutcome::NoAnswer << "";
        QTest::newRow("nc: host unreachable") << "nc-tcp-host-unreachable" << tcp << ConnectOutcome::Unreachable << "";
        QTest::newRow("nc: no route in the pod") << "nc-tcp-no-route" << tcp << ConnectOutcome::NoRoute << "";
        QTest::newRow("nc: udp to a closed port") << "nc-udp-port-unreachable" << udp << ConnectOutcome::Refused << "";
        // nc says "succeeded" for a datagram a rule dropped: sent is all it knows.
        QTest::newRow("nc: udp dropped, 'succeeded'") << "nc-udp-dropped" << udp << ConnectOutcome::Sent << "";
        // Exit 1 like a failed connection, but nothing was sent: not a port failure.
        QTest::newRow("busybox nc: no -z") << "busybox-nc-tcp" << tcp << ConnectOutcome::ToolUnusable
                                          << "nc: invalid option -- 'z'";
    }
    // A bash built without network redirections opens /dev/tcp/... as a file. No such bash
    // can be had here (Debian's has them): the text is bash's own for a file it cannot open.
    void bashWithoutDevTcp()
    {
        const auto a = diagnose::classifyAttempt(
            Transport::Tcp, 1, false, "bash: line 1: /dev/tcp/198.18.99.2/8080: No such file or directory\n");
        QCOMPARE(a.outcome, ConnectOutcome::ToolUnusable);
    }
    void recorded()
    {
        QFETCH(QString, fixture);
        QFETCH(Transport, transport);
        QFETCH(ConnectOutcome, expected);
        QFETCH(QString, words);
        const auto a = classifyFixture(transport, fixture);
        QCOMPARE(a.outcome, expected);
        if (!words.isEmpty())
            QCOMPARE(QString::fromStdString(a.words), words);
    }

    void commands_data()
    {
        QTest::addColumn<int>("tool");
        QTest::addColumn<Transport>("transport");
        QTest::addColumn<QString>("line");
        QTest::newRow("bash tcp") << int(diagnose::ProbeTool::Bash) << Transport::Tcp
                                  << R"(ip netns exec cni-1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' 198.18.20.130 8080)";
        QTest::newRow("bash udp") << int(diagnose::ProbeTool::Bash) << Transport::Udp
                                  << R"(ip netns exec cni-1 bash -c 'exec 3<>"/dev/udp/$0/$1" && printf podpath >&3' 198.18.20.130 8080)";
        QTest::newRow("nc tcp") << int(diagnose::ProbeTool::Netcat) << Transport::Tcp
                                << "ip netns exec cni-1 nc -z -v -w 2 198.18.20.130 8080";
        QTest::newRow("nc udp") << int(diagnose::ProbeTool::Netcat) << Transport::Udp
                                << "ip netns exec cni-1 nc -z -v -w 2 -u 198.18.20.130 8080";
    }
    void commands()
    {
        QFETCH(int, tool);
        QFETCH(Transport, transport);
        QFETCH(QString, line);
        const auto cmd = diagnose::connectCommand(diagnose::ProbeTool(tool), *remote::Word::parse("cni-1"), transport,
                                                  *Ipv4::parse("198.18.20.130"), *remote::Port::of(8080),
                                                  *remote::Seconds::of(2));
        QCOMPARE(QString::fromStdString(cmd.toString()), line);
    }

    void sentences_data()
    {
        QTest::addColumn<diagnose::PortProbeOutcome>("probe");
        QTest::addColumn<QString>("sentence");
        QTest::addColumn<bool>("lost");
        using O = ConnectOutcome;
        QTest::newRow("all connected") << outcome(Transport::Tcp, {O::Connected, O::Connected, O::Connected})
                                       << "Connections to TCP 8080 on 198.18.20.130 (bash /dev/tcp): 3 of 3 connected" << false;
        QTest::newRow("all dropped") << outcome(Transport::Tcp, {O::NoAnswer, O::NoAnswer, O::NoAnswer})
                                     << "Connections to TCP 8080 on 198.18.20.130 (bash /dev/tcp): 3 of 3 got no answer" << true;
        QTest::newRow("mixed") << outcome(Transport::Tcp, {O::Connected, O::NoAnswer, O::Refused})
                               << "Connections to TCP 8080 on 198.18.20.130 (bash /dev/tcp): 1 connected, 1 refused (a reset "
                                  "came back) and 1 got no answer, of 3"
                               << true;
        QTest::newRow("refused is not lost") << outcome(Transport::Tcp, {O::Refused})
                                             << "Connections to TCP 8080 on 198.18.20.130 (bash /dev/tcp): 1 of 1 refused (a "
                                                "reset came back)"
                                             << false;
        QTest::newRow("udp") << outcome(Transport::Udp, {O::Sent, O::Sent})
                             << "2 of 2 datagrams sent to UDP 8080 on 198.18.20.130 (bash /dev/udp); UDP has no answer to "
                                "wait for: the policy chains' counters say what became of them"
                             << false;
    }
    void sentences()
    {
        QFETCH(diagnose::PortProbeOutcome, probe);
        QFETCH(QString, sentence);
        QFETCH(bool, lost);
        QCOMPARE(QString::fromStdString(diagnose::probeSentence(probe, *Ipv4::parse("198.18.20.130"))), sentence);
        QCOMPARE(probe.someLost(), lost);
    }

    void transports_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("known");
        QTest::newRow("tcp") << "tcp" << true;
        QTest::newRow("udp") << "udp" << true;
        QTest::newRow("icmp") << "icmp" << true;
        QTest::newRow("sctp") << "sctp" << false;
        QTest::newRow("empty") << "" << false;
    }
    void transports()
    {
        QFETCH(QString, text);
        QFETCH(bool, known);
        const auto t = diagnose::parseTransport(text.toStdString());
        QCOMPARE(t.has_value(), known);
        if (t)
            QCOMPARE(QString::fromUtf8(diagnose::toString(*t).data(), int(diagnose::toString(*t).size())), text);
    }
};

QTEST_APPLESS_MAIN(TestPortProbe)
#include "tst_port_probe.moc"
