// wireguard.X from real `wg show wireguard.cali` outputs (tests/fixtures/wg-show, recorded
// by its record.sh): the peer for the other node found by cryptokey routing or by its
// endpoint, then judged on what carries the echoes; never failed on what was not read.

#include "diagnose/finding_codes.h"
#include "diagnose/wireguard_checks.h"
#include "fixture_file.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

namespace {

std::optional<parse::WireguardDevice> recorded(const QString &name, const std::string &extraLine = {})
{
    std::string text = podpath::test::fixtureText(QStringLiteral("wg-show/") + name + QStringLiteral(".stdout"));
    text += extraLine;
    auto parsed = parse::parseWgShow(text);
    if (!parsed.ok())
        return std::nullopt;
    return std::move(parsed).value();
}

// The other node: its node address, its tunnel address, and the addresses it holds.
struct Peer {
    NodeFacts facts;
    NodeSnapshot node;
};
Peer peerNode(const char *nodeIp, const char *tunnelIp, std::vector<const char *> holds = {})
{
    Peer p;
    p.facts.hostname = "node-b";
    p.facts.nodeIp = *Ipv4::parse(nodeIp);
    p.facts.tunnelIp = *Ipv4::parse(tunnelIp);
    parse::Interface eth0;
    eth0.name = "eth0";
    holds.push_back(nodeIp);
    for (const char *a : holds) {
        parse::InterfaceAddress addr;
        addr.address = *Ipv4Prefix::parse(std::string(a) + "/24");
        eth0.ipv4.push_back(addr);
    }
    p.node.interfaces.push_back(eth0);
    return p;
}

} // namespace

class TestWireguardChecks : public QObject {
    Q_OBJECT
private slots:
    void judged_data()
    {
        QTest::addColumn<QString>("recording");  // empty: `wg show` not read
        QTest::addColumn<QString>("extraLine");  // appended to the recording
        QTest::addColumn<QString>("nodeIp");
        QTest::addColumn<QString>("tunnelIp");
        QTest::addColumn<QString>("alsoHolds");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("code");  // the finding; empty: none
        QTest::addColumn<QString>("says");

        QTest::newRow("the peer, its block allowed") << "two_peers_after_ping" << "" << "198.51.100.2" << "198.18.1.0" << ""
                                                     << "pass" << "" << "endpoint 198.51.100.2:51820, allows 198.18.1.0";
        QTest::newRow("the other peer, its second block") << "two_peers_after_ping" << "" << "198.51.100.3" << "198.18.2.64"
                                                          << "" << "pass" << "" << "latest handshake 2 s ago";
        QTest::newRow("never handshaken: still passes") << "one_peer_never_handshaken" << "" << "198.51.100.2" << "198.18.1.0"
                                                        << "" << "pass" << "" << "no handshake yet";
        // A management network: the node is reached at one address, WireGuard at another it holds.
        QTest::newRow("endpoint on the peer's second address") << "two_peers_after_ping" << "" << "10.0.0.2" << "198.18.1.0"
                                                               << "198.51.100.2" << "pass" << "" << "endpoint 198.51.100.2";
        QTest::newRow("no peers") << "no_peers" << "" << "198.51.100.2" << "198.18.1.0" << "" << "fail"
                                  << "WIREGUARD_PEER_MISSING" << "has no peer for node-b";
        QTest::newRow("a node nobody peers with") << "two_peers_after_ping" << "" << "198.51.100.9" << "198.18.9.0" << ""
                                                  << "fail" << "WIREGUARD_PEER_MISSING" << "none sends to 198.51.100.9";
        QTest::newRow("the peer, its tunnel address not allowed") << "two_peers_after_ping" << "" << "198.51.100.2"
                                                                  << "198.18.5.0" << "" << "fail"
                                                                  << "WIREGUARD_ALLOWED_IPS_MISSING" << "does not allow 198.18.5.0";
        QTest::newRow("the peer sends to an address the node does not hold")
            << "two_peers_after_ping" << "" << "198.51.100.7" << "198.18.1.0" << "" << "fail" << "WIREGUARD_ENDPOINT_WRONG"
            << "to 198.51.100.2:51820, an address node-b does not hold";
        QTest::newRow("the peer has no endpoint") << "peer_without_endpoint" << "" << "198.51.100.1" << "198.18.0.0" << ""
                                                  << "fail" << "WIREGUARD_ENDPOINT_WRONG" << "has no endpoint";
        // Not read, or not all read: never a failure.
        QTest::newRow("wg not read") << "" << "" << "198.51.100.2" << "198.18.1.0" << "" << "unknown" << ""
                                     << "as root: wg show wireguard.cali";
        QTest::newRow("a line not read, the peer not found") << "no_peers" << "  endpoint: not-an-address\n" << "198.51.100.2"
                                                             << "198.18.1.0" << "" << "unknown" << ""
                                                             << "Among the lines of `wg show wireguard.cali` that could be read";
        QTest::newRow("a line not read, the peer found") << "two_peers_after_ping" << "  transfer: a lot received\n" << "198.51.100.2"
                                                         << "198.18.1.0" << "" << "pass" << "" << "allows 198.18.1.0";
    }
    void judged()
    {
        QFETCH(QString, recording);
        QFETCH(QString, extraLine);
        QFETCH(QString, nodeIp);
        QFETCH(QString, tunnelIp);
        QFETCH(QString, alsoHolds);
        QFETCH(QString, status);
        QFETCH(QString, code);
        QFETCH(QString, says);
        std::optional<parse::WireguardDevice> device;
        if (!recording.isEmpty()) {
            device = recorded(recording, extraLine.toStdString());
            QVERIFY(device);
            QCOMPARE(device->unreadable.empty(), extraLine.isEmpty());
        }
        const std::string holds = alsoHolds.toStdString();
        const Peer peer = peerNode(qPrintable(nodeIp), qPrintable(tunnelIp),
                                   holds.empty() ? std::vector<const char *>{} : std::vector<const char *>{holds.c_str()});
        NodeFacts self;
        self.hostname = "node-a";
        self.encryptionDevice = "wireguard.cali";
        std::vector<Finding> findings;
        const CheckResult c = checkWireguard(NodeRole::Client, device, device ? "" : "`wg show wireguard.cali` is not installed",
                                             self, peer.facts, peer.node, findings);
        QCOMPARE(QString::fromStdString(c.id), QStringLiteral("wireguard.client"));
        QCOMPARE(QString::fromLatin1(toString(c.status).data()), status);
        QVERIFY2(QString::fromStdString(c.detail).contains(says), c.detail.c_str());
        QCOMPARE(findings.size(), std::size_t(code.isEmpty() ? 0 : 1));
        if (!code.isEmpty()) {
            QCOMPARE(QString::fromStdString(findings[0].code), code);
            QCOMPARE(findings[0].blames, std::string("wireguard.client"));
            QVERIFY(!findings[0].evidence.empty());
            QVERIFY2(findings[0].nextStep.find("wg show wireguard.cali") != std::string::npos, findings[0].nextStep.c_str());
        }
        // Keys never reach a report whole: a public key is shortened in the evidence.
        for (const auto &line : c.evidence)
            QVERIFY2(line.find("=") == std::string::npos, line.c_str());
    }
};

QTEST_GUILESS_MAIN(TestWireguardChecks)
#include "tst_wireguard_checks.moc"
