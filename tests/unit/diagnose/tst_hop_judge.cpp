#include "diagnose/explain.h"
#include "diagnose/finding_codes.h"
#include "diagnose/hop_judge.h"
#include "fixture_file.h"

#include <QtTest>

using namespace podpath;
using namespace podpath::diagnose;

// Synthetic sightings shaped like the lab's captures (tcpdump -i any on both nodes): the
// real-capture cases run in tst_diagnosis_replay; these pin the judging rules one by one.
namespace {

const Ipv4 kClientNode = *Ipv4::parse("198.51.100.11");
const Ipv4 kServerNode = *Ipv4::parse("198.51.100.12");
const Ipv4 kClientTun = *Ipv4::parse("198.18.1.0");
const Ipv4 kServerTun = *Ipv4::parse("198.18.2.0");

PathExpectation expectation(Encapsulation mode)
{
    PathExpectation e;
    e.mode = mode;
    const std::string tun = mode == Encapsulation::Vxlan ? "vxlan.calico" : "tunl0";
    e.client.nodeIp = kClientNode;
    e.client.tunnelIp = kClientTun;
    e.client.tunnelDevice = tun;
    e.client.underlayDevice = "eth0";
    e.server.nodeIp = kServerNode;
    e.server.tunnelIp = kServerTun;
    e.server.tunnelDevice = tun;
    e.server.underlayDevice = "eth0";
    return e;
}

EchoSighting at(HopId hop, std::uint16_t seq, Encapsulation mode, std::uint32_t len = 84)
{
    const HopInfo &h = hopInfo(hop);
    EchoSighting s;
    s.node = h.node;
    s.isReply = h.direction == Direction::Reply;
    s.src = s.isReply ? kServerTun : kClientTun;
    s.dst = s.isReply ? kClientTun : kServerTun;
    s.id = 4242;
    s.seq = seq;
    s.ipLength = len;
    const bool startsHere = (h.direction == Direction::Request) == (h.node == NodeRole::Client);
    s.outgoing = h.place == HopPlace::Egress || (h.place == HopPlace::Tunnel && startsHere);
    const bool direct = mode == Encapsulation::VxlanCrossSubnetDirect;
    if (h.place == HopPlace::Tunnel) {
        s.interface = mode == Encapsulation::Vxlan ? "vxlan.calico" : "tunl0";
    } else {
        s.interface = "eth0";
        if (!direct) {
            s.wrapping = mode == Encapsulation::Vxlan ? Wrapping::Vxlan : Wrapping::IpIp;
            s.outerSrc = s.isReply ? kServerNode : kClientNode;
            s.outerDst = s.isReply ? kClientNode : kServerNode;
        }
    }
    s.summary = std::string(h.key) + " seq " + std::to_string(seq);
    return s;
}

// Every echo 1..n seen at every hop before `lostFrom` (in path order), none after.
std::vector<EchoSighting> pathUpTo(int lostFrom, Encapsulation mode, int n = 5, std::uint32_t len = 84)
{
    std::vector<EchoSighting> out;
    for (int h = 0; h < 8 && h < lostFrom; ++h) {
        if (mode == Encapsulation::VxlanCrossSubnetDirect && kHops[h].place == HopPlace::Tunnel)
            continue;
        for (int q = 1; q <= n; ++q)
            out.push_back(at(kHops[h].id, std::uint16_t(q), mode, len));
    }
    return out;
}

std::vector<EchoStream> burst(int n = 5, std::uint32_t len = 84)
{
    EchoStream s{"burst", std::nullopt, len, {}, 0, {}, std::nullopt, false};
    for (int q = 1; q <= n; ++q)
        s.sentSeqs.push_back(std::uint16_t(q));
    return {s};
}

// The pods of a pod-to-pod run, and the host side of their interfaces.
const Ipv4 kClientPod = *Ipv4::parse("198.18.1.66");
const Ipv4 kServerPod = *Ipv4::parse("198.18.2.130");

PathExpectation podExpectation(std::string clientPodInterface = "cali1c1e", std::string serverPodInterface = "cali5e4e")
{
    PathExpectation e = expectation(Encapsulation::IpIp);
    e.pods = true;
    e.clientPodInterface = std::move(clientPodInterface);
    e.serverPodInterface = std::move(serverPodInterface);
    return e;
}

// An echo from the client pod to the server pod, as the capture sees it at `hop`: the
// pods' addresses inside; on a pod's interface plain, entering the node where it starts.
EchoSighting podAt(HopId hop, std::uint16_t seq)
{
    const HopInfo &h = hopInfo(hop);
    EchoSighting s = at(hop, seq, Encapsulation::IpIp);
    s.src = s.isReply ? kServerPod : kClientPod;
    s.dst = s.isReply ? kClientPod : kServerPod;
    s.id = 777;
    s.summary = "pod " + s.summary;
    if (h.place == HopPlace::Pod) {
        const bool startsHere = (h.direction == Direction::Request) == (h.node == NodeRole::Client);
        s.interface = h.node == NodeRole::Client ? "cali1c1e" : "cali5e4e";
        s.wrapping = Wrapping::Plain;
        s.outerSrc.reset();
        s.outerDst.reset();
        s.outgoing = !startsHere;
    }
    return s;
}

// Every pod echo 1..n seen at the first `lostFrom` hops of the pods' path, none after.
std::vector<EchoSighting> podPathUpTo(int lostFrom, int n = 5)
{
    std::vector<EchoSighting> out;
    for (int p = 0; p < int(kPodPath.size()) && p < lostFrom; ++p)
        for (int q = 1; q <= n; ++q)
            out.push_back(podAt(kPodPath[std::size_t(p)], std::uint16_t(q)));
    return out;
}

std::vector<EchoStream> podPing(int n = 5)
{
    EchoStream s;
    s.label = "pod ping";
    s.ipLength = 84;
    s.target = kServerPod;
    s.fromPod = true;
    for (int q = 1; q <= n; ++q)
        s.sentSeqs.push_back(std::uint16_t(q));
    return {s};
}

// p/f/u/s per hop over all twelve, in the pods' path order.
QString podPathStatuses(const HopJudgement &j)
{
    QString out;
    for (HopId id : kPodPath) {
        const std::size_t h = std::size_t(id);
        const HopVerdict &v = h < kHops.size() ? j.hops[h] : j.podHops[h - kHops.size()];
        out += QString::fromLatin1(toString(v.status).data())[0];
    }
    return out;
}

QString statuses(const HopJudgement &j)
{
    QString out;
    for (const auto &h : j.hops)
        out += QString::fromLatin1(toString(h.status).data())[0];
    return out;
}

} // namespace

class TestHopJudge : public QObject {
    Q_OBJECT
private slots:
    void lostAtEachHop_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("lostFrom");  // 8: healthy
        QTest::addColumn<QString>("expected");  // p/f/u per hop in path order
        for (auto [mode, name] : {std::pair{Encapsulation::IpIp, "ipip"}, std::pair{Encapsulation::Vxlan, "vxlan"}}) {
            QTest::addRow("%s healthy", name) << int(mode) << 8 << "pppppppp";
            QTest::addRow("%s nothing leaves the client tunnel", name) << int(mode) << 0 << "ffffffff";
            QTest::addRow("%s not encapsulated out", name) << int(mode) << 1 << "pfffffff";
            QTest::addRow("%s underlay drops", name) << int(mode) << 2 << "ppffffff";
            QTest::addRow("%s dropped after arrival", name) << int(mode) << 3 << "pppfffff";
            QTest::addRow("%s no reply generated", name) << int(mode) << 4 << "ppppffff";
            QTest::addRow("%s reply not encapsulated", name) << int(mode) << 5 << "pppppfff";
            QTest::addRow("%s reply lost on underlay", name) << int(mode) << 6 << "ppppppff";
            QTest::addRow("%s reply dropped on client", name) << int(mode) << 7 << "pppppppf";
        }
        QTest::newRow("crosssubnet direct healthy") << int(Encapsulation::VxlanCrossSubnetDirect) << 8 << "sppsspps"
                                                   ;
    }
    void lostAtEachHop()
    {
        QFETCH(int, mode);
        QFETCH(int, lostFrom);
        QFETCH(QString, expected);
        const auto m = Encapsulation(mode);
        auto streams = burst();
        auto sightings = pathUpTo(lostFrom, m);
        identifyStreams(streams, expectation(m), sightings);
        auto j = judgeHops(expectation(m), streams, sightings);
        QCOMPARE(statuses(j), expected);
        const int firstFail = int(expected.indexOf('f'));
        QCOMPARE(j.firstFailing.has_value(), firstFail >= 0);
        if (firstFail >= 0)
            QCOMPARE(int(*j.firstFailing), firstFail);
    }

    // Dual-stack (issue #16): the IPv6 burst between the IPv6 VTEPs is one more stream on
    // the same hops, seen on vxlan-v6.calico at the tunnel hops and inside VXLAN over IPv6
    // on the underlay. It fails the hop where it dies alone; the IPv4 streams carry the hops
    // after it; its sizes and outer addresses never reach the IPv4 rules (MTU, hosts set).
    void ipv6BurstBesideIpv4_data()
    {
        QTest::addColumn<int>("lostFrom");  // 8: healthy
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("onIpv4Device");  // IPv6 echoes on vxlan.calico: not this path's tunnel
        QTest::newRow("healthy") << 8 << "pppppppp" << false;
        QTest::newRow("no IPv6 route: never on vxlan-v6.calico") << 0 << "fppppppp" << false;
        QTest::newRow("no FDB entry: never encapsulated") << 1 << "pfpppppp" << false;
        QTest::newRow("the underlay drops VXLAN over IPv6") << 2 << "ppfppppp" << false;
        QTest::newRow("reply lost on the way back") << 6 << "ppppppfp" << false;
        // Seen later proves the request left its tunnel; the reply seen nowhere after the
        // underlay is lost at the last hop.
        QTest::newRow("seen on the IPv4 device only") << 8 << "pppppppf" << true;
    }
    void ipv6BurstBesideIpv4()
    {
        QFETCH(int, lostFrom);
        QFETCH(QString, expected);
        QFETCH(bool, onIpv4Device);
        const Ipv6 clientVtep = *Ipv6::parse("2001:db8:1800::40"), serverVtep = *Ipv6::parse("2001:db8:1800::80");
        const Ipv6 clientNode = *Ipv6::parse("2001:db8:100::11"), serverNode = *Ipv6::parse("2001:db8:100::12");
        PathExpectation e = expectation(Encapsulation::Vxlan);
        e.client.ipv6TunnelDevice = e.server.ipv6TunnelDevice = "vxlan-v6.calico";
        auto streams = burst();
        EchoStream v6{std::string(kIpv6Stream), 77, 104, {1, 2, 3, 4, 5}, 0, {}, IpAddress(serverVtep), false};
        streams.push_back(v6);
        auto sightings = pathUpTo(8, Encapsulation::Vxlan);
        for (const EchoSighting &four : pathUpTo(lostFrom, Encapsulation::Vxlan)) {
            EchoSighting s = four;
            s.id = 77;
            s.ipLength = 104;
            s.src = s.isReply ? serverVtep : clientVtep;
            s.dst = s.isReply ? clientVtep : serverVtep;
            if (s.outerSrc) {
                s.outerSrc = s.isReply ? serverNode : clientNode;
                s.outerDst = s.isReply ? clientNode : serverNode;
            }
            if (s.interface == "vxlan.calico" && !onIpv4Device)
                s.interface = "vxlan-v6.calico";
            s.summary = "IPv6 " + s.summary;
            sightings.push_back(s);
        }
        const auto j = judgeHops(e, streams, sightings);
        QCOMPARE(statuses(j), expected);
        const int firstFail = int(expected.indexOf('f'));
        QCOMPARE(j.firstFailing.has_value(), firstFail >= 0);
        if (firstFail >= 0) {
            QCOMPARE(int(*j.firstFailing), firstFail);
            // Lost there by the IPv6 burst alone: the IPv4 burst crossed.
            for (const auto &st : j.hops[std::size_t(firstFail)].streams)
                QCOMPARE(st.stream + (st.lostHere > 0 ? " lost" : " crossed"),
                         st.stream + (st.stream == kIpv6Stream ? " lost" : " crossed"));
        }
        // The IPv4 rules read IPv4 facts only.
        for (const auto &a : j.wire.requestSourcesAtServer)
            QCOMPARE(a, kClientNode);
        QVERIFY(j.wire.requestWrongOuterDst.empty() && j.wire.replyWrongOuterDst.empty());
        QVERIFY(!j.wire.requestLeftPlainOnUnderlay && !j.wire.replyLeftPlainOnUnderlay);
        QVERIFY(!j.wire.smallestLost);
    }

    // WireGuard (issue #16): the echoes cross the node hops inside UDP 51820, where no
    // capture can follow them: those hops have no evidence, never "lost" (a healthy
    // WireGuard cluster was judged lost at the client's first hop) and never "seen".
    void encryptedByWireGuard_data()
    {
        QTest::addColumn<int>("lostFrom");  // 8: every hop saw the echoes
        QTest::newRow("every hop saw them") << 8;
        QTest::newRow("nothing seen on the way") << 0;
        QTest::newRow("seen up to the server") << 3;
    }
    void encryptedByWireGuard()
    {
        QFETCH(int, lostFrom);
        PathExpectation e = expectation(Encapsulation::Vxlan);
        e.encryptedBy = "WireGuard (wireguard.cali on both nodes)";
        auto streams = burst();
        auto sightings = pathUpTo(lostFrom, Encapsulation::Vxlan);
        identifyStreams(streams, e, sightings);
        const auto j = judgeHops(e, streams, sightings);
        QCOMPARE(statuses(j), QStringLiteral("uuuuuuuu"));
        QVERIFY(!j.firstFailing);
        QVERIFY2(j.hops[0].explanation.find("WireGuard (wireguard.cali on both nodes) encrypts") != std::string::npos,
                 j.hops[0].explanation.c_str());
    }

    // The ping from inside the client pod is walked over all twelve hops: a loss at a pod's
    // end fails that end. A pod whose interface was not found leaves its own hops without
    // evidence and the pod's echoes followed no further than the hop before it: never a
    // loss blamed on the hops after it.
    void podEchoesOverTwelveHops_data()
    {
        QTest::addColumn<int>("lostFrom");  // in kPodPath order; 12: healthy
        QTest::addColumn<QString>("clientPodInterface");
        QTest::addColumn<QString>("serverPodInterface");
        QTest::addColumn<QString>("expected");  // p/f/u per hop in the pods' path order
        QTest::addColumn<int>("told");  // the hop (in kPodPath order) whose explanation says
        QTest::addColumn<QString>("explained");
        QTest::newRow("healthy") << 12 << "cali1c1e" << "cali5e4e" << "pppppppppppp" << 11 << "seen for all 5";
        QTest::newRow("never leaves the client pod") << 0 << "cali1c1e" << "cali5e4e" << "ffffffffffff" << 11
                                                     << "lost before, at client pod out";
        QTest::newRow("dropped before the server pod") << 5 << "cali1c1e" << "cali5e4e" << "pppppfffffff" << 11
                                                       << "lost before, at server pod in";
        QTest::newRow("server pod sends no reply") << 6 << "cali1c1e" << "cali5e4e" << "ppppppffffff" << 11
                                                   << "lost before, at server pod out";
        QTest::newRow("reply dropped before the client pod") << 11 << "cali1c1e" << "cali5e4e" << "pppppppppppf" << 11
                                                             << "5 of 5 not seen here";
        QTest::newRow("server pod's interface not found") << 12 << "cali1c1e" << "" << "pppppuuuuuuu" << 7
                                                          << "followed no further than server tunnel in";
        QTest::newRow("server pod's own hop") << 12 << "cali1c1e" << "" << "pppppuuuuuuu" << 5
                                              << "server pod's interface on its node was not found";
        QTest::newRow("client pod's interface not found") << 12 << "" << "cali5e4e" << "uuuuuuuuuuuu" << 4
                                                          << "followed no further than the client pod";
    }
    void podEchoesOverTwelveHops()
    {
        QFETCH(int, lostFrom);
        QFETCH(QString, clientPodInterface);
        QFETCH(QString, serverPodInterface);
        QFETCH(QString, expected);
        QFETCH(int, told);
        QFETCH(QString, explained);
        const PathExpectation e = podExpectation(clientPodInterface.toStdString(), serverPodInterface.toStdString());
        auto streams = podPing();
        auto sightings = podPathUpTo(lostFrom);
        identifyStreams(streams, e, sightings);
        const auto j = judgeHops(e, streams, sightings);
        QCOMPARE(podPathStatuses(j), expected);
        const int firstFail = int(expected.indexOf('f'));
        QCOMPARE(j.firstFailing.has_value(), firstFail >= 0);
        if (firstFail >= 0)
            QCOMPARE(*j.firstFailing, kPodPath[std::size_t(firstFail)]);
        const std::size_t h = std::size_t(kPodPath[std::size_t(told)]);
        const HopVerdict &v = h < kHops.size() ? j.hops[h] : j.podHops[h - kHops.size()];
        QVERIFY2(QString::fromStdString(v.explanation).contains(explained), v.explanation.c_str());
    }

    // A hop crossed by several streams quotes packets of each: the pod's echoes are not
    // crowded out of the evidence by the nodes' own, which come first on the wire.
    void evidenceQuotesEveryStream()
    {
        PathExpectation e = podExpectation();
        auto streams = burst(8);
        const auto pod = podPing();
        streams.insert(streams.end(), pod.begin(), pod.end());
        auto sightings = pathUpTo(8, Encapsulation::IpIp, 8);
        const auto podSightings = podPathUpTo(12);
        sightings.insert(sightings.end(), podSightings.begin(), podSightings.end());
        identifyStreams(streams, e, sightings);
        const auto j = judgeHops(e, streams, sightings);
        const auto &evidence = j.hops[std::size_t(HopId::RequestClientTunnel)].evidence;
        QVERIFY(evidence.size() <= 6);
        const auto pods = std::count_if(evidence.begin(), evidence.end(), [](const std::string &l) { return l.starts_with("pod "); });
        QVERIFY2(pods > 0 && pods < qsizetype(evidence.size()), QByteArray::number(qsizetype(pods)));
    }

    // The full-size probe lost where its direction starts never left its node: the
    // finding says so (with ping's own words when the client's kernel refused it), never
    // that the network between the nodes cannot carry it. Lost further on, it is the path.
    // The pings are real iputils output (tests/fixtures/ping).
    void fullSizeProbeLostWhereItStarts_data()
    {
        QTest::addColumn<int>("lostFrom");       // first hop (path order) the full-size probe is not seen at
        QTest::addColumn<QString>("probePing");  // fixture of the full-size ping's output
        QTest::addColumn<QString>("says");
        QTest::addColumn<QString>("neverSays");
        QTest::newRow("client kernel refused it (learned path MTU)")
            << 0 << "ping/frag_needed_router.txt"
            << "is not seen even at client tunnel out: pplab-node1's kernel refused to send it (ping: local error: "
               "message too long, mtu=1400): a route or a path MTU it learned limits packets to 1400 bytes"
            << "once encapsulated";
        QTest::newRow("client lost it without a word")
            << 0 << "ping/loss_all_tunnel.txt"
            << "is not seen even at client tunnel out: it was lost on pplab-node1 before tunl0" << "once encapsulated";
        QTest::newRow("server sent no full-size reply")
            << 4 << "ping/loss_all_tunnel.txt"
            << "is not seen even at server tunnel out: it was lost on pplab-node2 before tunl0" << "ping:";
        QTest::newRow("the network lost it")
            << 2 << "ping/loss_all_tunnel.txt"
            << "is lost at server underlay in: the path cannot carry full-size packets once encapsulated"
            << "not seen even";
    }
    void fullSizeProbeLostWhereItStarts()
    {
        QFETCH(int, lostFrom);
        QFETCH(QString, probePing);
        QFETCH(QString, says);
        QFETCH(QString, neverSays);
        const auto m = Encapsulation::IpIp;
        const std::uint32_t big = 1480;
        auto streams = burst();
        EchoStream full{"full-size probe", std::nullopt, big, {1, 2, 3, 4, 5}, 0, {}, std::nullopt, false};
        streams.push_back(full);
        auto sightings = pathUpTo(8, m);
        for (const auto &s : pathUpTo(lostFrom, m, 5, big))
            sightings.push_back(s);
        identifyStreams(streams, expectation(m), sightings);
        Diagnosis d;
        d.mode = m;
        d.client.hostname = "pplab-node1";
        d.server.hostname = "pplab-node2";
        for (auto [f, node, tun] : {std::tuple{&d.client, kClientNode, kClientTun}, std::tuple{&d.server, kServerNode, kServerTun}}) {
            f->nodeIp = node;
            f->tunnelIp = tun;
            f->tunnelDevice = "tunl0";
            f->underlayDevice = "eth0";
            f->tunnelMtu = int(big);
            f->underlayMtu = 1500;
        }
        ExplainInput in;
        in.judgement = judgeHops(expectation(m), streams, sightings);
        in.tunnelPing.result = *parse::parsePing(test::fixtureText(QStringLiteral("ping/healthy_tunnel.txt")));
        in.fullSizeProbe.result = *parse::parsePing(test::fixtureText(probePing));
        in.fullSizeLength = big;
        explain(d, in);
        QVERIFY(d.verdict == Verdict::Fail);
        QVERIFY(d.firstFailingHop);
        QCOMPARE(int(*d.firstFailingHop), lostFrom);
        QVERIFY(!d.findings.empty());
        const QString message = QString::fromStdString(d.findings.front().message);
        QCOMPARE(QString::fromStdString(d.findings.front().code), QStringLiteral("MTU_TOO_SMALL"));
        QVERIFY2(message.contains(says), qPrintable(message));
        QVERIFY2(!message.contains(neverSays), qPrintable(message));
        // The full-size check says the same of where it was lost.
        const CheckResult *c = d.check("tunnel.full-size");
        QVERIFY(c && c->status == Status::Fail);
        QVERIFY2(QString::fromStdString(c->detail).contains(lostFrom == 2 ? QStringLiteral("Lost at server underlay in")
                                                                          : QStringLiteral("Not seen even at")),
                 c->detail.c_str());
    }

    void partialLossNamesTheMissingSequences()
    {
        auto sightings = pathUpTo(2, Encapsulation::IpIp);
        for (int q : {1, 2, 4, 5})  // seq 3 never arrives at the server
            sightings.push_back(at(HopId::RequestServerIngress, std::uint16_t(q), Encapsulation::IpIp));
        auto j = judgeHops(expectation(Encapsulation::IpIp), burst(), sightings);
        const auto &h = j.hops[std::size_t(HopId::RequestServerIngress)];
        QVERIFY(h.status == Status::Fail);
        QCOMPARE(h.seen, 4);
        QCOMPARE(h.expected, 5);
        QVERIFY(QString::fromStdString(h.explanation).contains("icmp_seq 3"));
    }

    void captureMissedAPacketThatArrivedLater()
    {
        // The server's capture lost seq 2 at ingress (kernel buffer) but the tunnel saw it:
        // the echo evidently passed, so the hop must not be blamed.
        auto sightings = pathUpTo(8, Encapsulation::IpIp);
        std::erase_if(sightings, [](const EchoSighting &s) {
            return s.seq == 2 && s.summary.starts_with("request.server.ingress");
        });
        auto j = judgeHops(expectation(Encapsulation::IpIp), burst(), sightings);
        QCOMPARE(statuses(j), QString("pppppppp"));
    }

    // A busy node's capture misses echoes at the last hop of a direction (nothing later
    // proves them): ping's own replies do. Answered echoes pass; unanswered ones missing
    // from the capture are still lost.
    void pingRepliesProveWhatACaptureMissed_data()
    {
        QTest::addColumn<int>("hop");         // where the capture missed seq 2 and 4
        QTest::addColumn<QList<int>>("answered");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("note");  // what the hop's explanation says of it
        QTest::newRow("client tunnel in, all answered") << int(HopId::ReplyClientTunnel) << QList<int>{1, 2, 3, 4, 5}
                                                        << "pppppppp" << "2 echoes missing from the client's capture";
        QTest::newRow("client tunnel in, 4 unanswered") << int(HopId::ReplyClientTunnel) << QList<int>{1, 2, 3, 5}
                                                        << "pppppppf" << "icmp_seq 4";
        // A later hop saw them: that proves it already, no word of ping needed.
        QTest::newRow("server tunnel out, all answered") << int(HopId::ReplyServerTunnel) << QList<int>{1, 2, 3, 4, 5}
                                                         << "pppppppp" << "seen for all 5";
        QTest::newRow("no ping result") << int(HopId::ReplyClientTunnel) << QList<int>{} << "pppppppf" << "icmp_seq 2, 4";
    }
    void pingRepliesProveWhatACaptureMissed()
    {
        QFETCH(int, hop);
        QFETCH(QList<int>, answered);
        QFETCH(QString, expected);
        QFETCH(QString, note);
        auto sightings = pathUpTo(8, Encapsulation::IpIp);
        const std::string key(hopInfo(HopId(hop)).key);
        std::erase_if(sightings, [&](const EchoSighting &s) { return (s.seq == 2 || s.seq == 4) && s.summary.starts_with(key + " "); });
        auto streams = burst();
        for (int q : answered)
            streams.front().answered.insert(std::uint16_t(q));
        auto j = judgeHops(expectation(Encapsulation::IpIp), streams, sightings);
        QCOMPARE(statuses(j), expected);
        const auto &h = j.hops[std::size_t(hop)];
        QVERIFY2(QString::fromStdString(h.explanation).contains(note), h.explanation.c_str());
    }

    void wrongGatewayFailsEgress()
    {
        auto sightings = pathUpTo(1, Encapsulation::IpIp);
        for (int q = 1; q <= 5; ++q) {
            auto s = at(HopId::RequestClientEgress, std::uint16_t(q), Encapsulation::IpIp);
            s.outerDst = Ipv4::parse("198.51.100.99");
            sightings.push_back(s);
        }
        auto j = judgeHops(expectation(Encapsulation::IpIp), burst(), sightings);
        QCOMPARE(j.firstFailing, std::optional(HopId::RequestClientEgress));
        QCOMPARE(j.wire.requestWrongOuterDst.size(), std::size_t(1));
        QCOMPARE(j.wire.requestWrongOuterDst.begin()->toString(), std::string("198.51.100.99"));
    }

    void plainOnUnderlayIsFlagged()
    {
        // Route via eth0 instead of the tunnel: the echo leaves unencapsulated and the
        // tunnel never sees it.
        std::vector<EchoSighting> sightings;
        for (int q = 1; q <= 5; ++q) {
            auto s = at(HopId::RequestClientEgress, std::uint16_t(q), Encapsulation::IpIp);
            s.wrapping = Wrapping::Plain;
            s.outerSrc.reset();
            s.outerDst.reset();
            sightings.push_back(s);
        }
        auto j = judgeHops(expectation(Encapsulation::IpIp), burst(), sightings);
        QCOMPARE(j.firstFailing, std::optional(HopId::RequestClientTunnel));
        QVERIFY(j.wire.requestLeftPlainOnUnderlay);
    }

    void sourceSeenAtServerIsRecorded()
    {
        auto sightings = pathUpTo(8, Encapsulation::IpIp);
        for (auto &s : sightings)
            if (s.summary.starts_with("request.server.ingress"))
                s.outerSrc = Ipv4::parse("198.51.100.211");
        auto j = judgeHops(expectation(Encapsulation::IpIp), burst(), sightings);
        QCOMPARE(j.wire.requestSourcesAtServer.size(), std::size_t(1));
        QCOMPARE(j.wire.requestSourcesAtServer.begin()->toString(), std::string("198.51.100.211"));
    }

    void missingServerCaptureLeavesItsHopsUnknown()
    {
        auto sightings = pathUpTo(8, Encapsulation::IpIp);
        std::erase_if(sightings, [](const EchoSighting &s) { return s.node == NodeRole::Server; });
        auto e = expectation(Encapsulation::IpIp);
        e.serverCaptured = false;
        e.serverCaptureProblem = "tcpdump is not installed";
        auto j = judgeHops(e, burst(), sightings);
        QCOMPARE(statuses(j), QString("ppuuuupp"));
        QVERIFY(QString::fromStdString(j.hops[2].explanation).contains("tcpdump is not installed"));
    }

    void mtuProbeDiesWhileSmallEchoesPass()
    {
        auto streams = burst(5, 84);
        streams.push_back({"full-size probe", std::nullopt, 1480, {1, 2}, 0, {}, std::nullopt, false});
        auto sightings = pathUpTo(8, Encapsulation::IpIp, 5, 84);
        for (int h = 0; h < 2; ++h)
            for (std::uint16_t q : {1, 2}) {
                auto s = at(kHops[h].id, q, Encapsulation::IpIp, 1480);
                s.id = 777;
                sightings.push_back(s);
            }
        identifyStreams(streams, expectation(Encapsulation::IpIp), sightings);
        QCOMPARE(streams[1].id, std::optional<std::uint16_t>(777));
        auto j = judgeHops(expectation(Encapsulation::IpIp), streams, sightings);
        QCOMPARE(j.firstFailing, std::optional(HopId::RequestServerIngress));
        QCOMPARE(j.wire.largestDelivered, std::optional<std::uint32_t>(84));
        QCOMPARE(j.wire.smallestLost, std::optional<std::uint32_t>(1480));
        QCOMPARE(j.wire.smallestLostAt, std::optional(HopId::RequestServerIngress));
        // Only the hop that lost the probe fails: every small echo passed the others, and
        // the probe "did not reach" them (no evidence there, not a failure).
        QCOMPARE(statuses(j), QString("ppfppppp"));
        QVERIFY(j.hops[3].streams[1].status == Status::Unknown);
        QCOMPARE(j.hops[3].streams[1].lostEarlier, 2);
        QVERIFY(QString::fromStdString(j.hops[3].explanation).contains("did not reach this hop"));
        QVERIFY(QString::fromStdString(j.hops[3].explanation).contains("at server underlay in"));
    }

    void unrelatedTrafficIsIgnored()
    {
        auto sightings = pathUpTo(8, Encapsulation::IpIp);
        auto other = at(HopId::RequestClientTunnel, 1, Encapsulation::IpIp);
        other.dst = *Ipv4::parse("198.18.9.9");  // someone else's ping
        sightings.push_back(other);
        auto j = judgeHops(expectation(Encapsulation::IpIp), burst(), sightings);
        QCOMPARE(statuses(j), QString("pppppppp"));
        QCOMPARE(j.hops[0].seen, 5);
    }
};

QTEST_GUILESS_MAIN(TestHopJudge)
#include "tst_hop_judge.moc"
