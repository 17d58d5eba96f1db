#include "hop_judge.h"
#include "sentence.h"

#include "parse/text.h"

#include <algorithm>
#include <map>

namespace podpath::diagnose {

namespace {

constexpr std::size_t kEvidencePerHop = 6;

bool isDirect(Encapsulation m) { return !tunnelled(m); }

// What a hop should see. The table's words are the overlay's; an unencapsulated path's
// underlay hops carry the pods' (or the nodes') own packets.
std::string_view expectedAt(const HopInfo &hop, Encapsulation mode, bool wireguard)
{
    if (wireguard) {
        switch (hop.id) {
        case HopId::RequestClientTunnel: return "the echo request enters the client's WireGuard device in the clear";
        case HopId::RequestClientEgress:
            return "the request leaves the client's underlay interface sealed in a WireGuard data packet, to the server node IP";
        case HopId::RequestServerIngress:
            return "the same WireGuard packet (same receiver index and counter) arrives on the server";
        case HopId::RequestServerTunnel: return "the decrypted echo request appears on the server's WireGuard device";
        case HopId::ReplyServerTunnel: return "the server's echo reply enters its WireGuard device in the clear";
        case HopId::ReplyServerEgress:
            return "the reply leaves the server's underlay interface sealed in a WireGuard data packet, to the client node IP";
        case HopId::ReplyClientIngress:
            return "the same WireGuard packet (same receiver index and counter) arrives on the client";
        case HopId::ReplyClientTunnel: return "the decrypted echo reply appears on the client's WireGuard device";
        default: return hop.expected;
        }
    }
    if (!isDirect(mode))
        return hop.expected;
    switch (hop.id) {
    case HopId::RequestClientEgress:
        return "the request leaves the client's underlay interface unencapsulated, to the server node or the router that "
               "carries its block";
    case HopId::RequestServerIngress: return "the request arrives on the server's underlay interface, unencapsulated";
    case HopId::ReplyServerEgress:
        return "the reply leaves the server's underlay interface unencapsulated, to the client node or the router that "
               "carries its block";
    case HopId::ReplyClientIngress: return "the reply arrives on the client's underlay interface, unencapsulated";
    default: return hop.expected;
    }
}

const NodeFacts &factsOf(const PathExpectation &e, NodeRole r) { return r == NodeRole::Client ? e.client : e.server; }
const NodeFacts &peerOf(const PathExpectation &e, NodeRole r) { return r == NodeRole::Client ? e.server : e.client; }

// The IPv4 tunnel device, or Calico's IPv6 one for IPv6 echoes; through WireGuard, its
// device (Felix routes the peer's block and tunnel address there).
bool onTunnel(const EchoSighting &s, const NodeFacts &node, bool wireguard)
{
    if (wireguard && !s.src.isV6())
        return !node.encryptionDevice.empty() && s.interface == node.encryptionDevice;
    const std::string &device = s.src.isV6() ? node.ipv6TunnelDevice : node.tunnelDevice;
    return !device.empty() && s.interface == device;
}

// The address a stream's echoes went to: its own, else the server's tunnel address.
std::optional<IpAddress> targetOf(const EchoStream &st, const PathExpectation &e)
{
    if (st.target)
        return st.target;
    if (e.server.tunnelIp)
        return IpAddress(*e.server.tunnelIp);
    return std::nullopt;
}

// The nodes' IPv4 streams differ in size only, so their fates tell an MTU fault.
bool sizeComparable(const EchoStream &st) { return st.ipLength && !st.fromPod && !(st.target && st.target->isV6()); }

// The pods' ends are on the path of the echoes sent from the client pod only.
bool onPath(const HopInfo &hop, const EchoStream &st) { return hop.place != HopPlace::Pod || st.fromPod; }

const std::string &podInterface(const PathExpectation &e, NodeRole r)
{
    return r == NodeRole::Client ? e.clientPodInterface : e.serverPodInterface;
}

// Is this sighting an echo of `hop` sent to `target`, ignoring which stream it belongs to?
bool sameEcho(const HopInfo &hop, const EchoSighting &s, const std::optional<IpAddress> &target)
{
    if (s.node != hop.node || s.isReply != (hop.direction == Direction::Reply) || !target)
        return false;
    // Requests go to the target; replies come from it.
    return hop.direction == Direction::Request ? s.dst == *target : s.src == *target;
}

// Does the packet leave or enter at the hop's place? Tunnel hops: on the tunnel device,
// decapsulated. Egress/ingress: anywhere else, encapsulated (plain in direct modes).
// Pod hops: on the pod's interface, plain, entering the node where the echo starts.
bool atPlace(const HopInfo &hop, const EchoSighting &s, const PathExpectation &e)
{
    const NodeFacts &node = factsOf(e, hop.node);
    // Leaving: egress, and the tunnel where the echo starts its trip (request on the
    // client, reply on the server). Arriving: ingress, and the tunnel where it ends.
    const bool startsHere = (hop.direction == Direction::Request) == (hop.node == NodeRole::Client);
    const std::string &pod = podInterface(e, hop.node);
    const bool onPod = !pod.empty() && s.interface == pod;
    if (hop.place == HopPlace::Pod)
        return onPod && s.wrapping == Wrapping::Plain && s.outgoing != startsHere;
    if (onPod)
        return false;
    const bool expectOut = hop.place == HopPlace::Egress || (hop.place == HopPlace::Tunnel && startsHere);
    if (s.outgoing != expectOut)
        return false;
    if (hop.place == HopPlace::Tunnel)
        return onTunnel(s, node, e.wireguard) && s.wrapping == Wrapping::Plain;
    if (onTunnel(s, node, e.wireguard))
        return false;
    if (e.wireguard)
        return s.wrapping == Wrapping::Wireguard;
    return isDirect(e.mode) ? s.wrapping == Wrapping::Plain : s.wrapping != Wrapping::Plain;
}

bool inStream(const EchoStream &st, const EchoSighting &s)
{
    if (st.id && s.id != *st.id)
        return false;
    if (st.ipLength && s.ipLength != st.ipLength)
        return false;
    return std::find(st.sentSeqs.begin(), st.sentSeqs.end(), s.seq) != st.sentSeqs.end();
}

bool capturedOn(const PathExpectation &e, NodeRole r) { return r == NodeRole::Client ? e.clientCaptured : e.serverCaptured; }

// A node hop whose packets WireGuard hides: no evidence there, whatever was captured.
bool hiddenByEncryption(const PathExpectation &e, const HopInfo &hop)
{
    return !e.encryptedBy.empty() && !e.wireguard && hop.place != HopPlace::Pod;
}

std::string seqList(const std::set<std::uint16_t> &seqs)
{
    std::string out;
    int n = 0;
    for (auto s : seqs) {
        if (n++ == 8) {
            out += ", ...";
            break;
        }
        out += (out.empty() ? "" : ", ") + std::to_string(s);
    }
    return out;
}

// "burst of 84 bytes", "full-size probe of 1500 bytes": how a reader tells the streams apart.
std::string streamName(const StreamAtHop &s)
{
    return s.stream + (s.ipLength ? " of " + std::to_string(s.ipLength) + " bytes" : std::string());
}

// "burst 5/5, full-size probe 5/5": echoes seen per stream, out of the ones sent.
std::string streamCounts(const std::vector<StreamAtHop> &streams)
{
    std::string out;
    for (const auto &s : streams)
        if (streamFate(s) == StreamFate::NoEvidence)
            out += (out.empty() ? "" : ", ") + s.stream + " no evidence";
        else if (s.status != Status::Skipped)  // not on this path (the nodes' pings at a pod's end)
            out += (out.empty() ? "" : ", ") + s.stream + " " + std::to_string(s.seen) + "/" +
               std::to_string(s.seen + s.lostHere + s.lostEarlier);
    return out;
}

// Where a stream lost echoes before a hop: "server underlay in", "a and b".
std::string placesText(const std::vector<HopId> &places)
{
    std::vector<std::string> titles;
    for (HopId h : places)
        titles.emplace_back(hopInfo(h).title);
    return text::listed(titles);
}

// One sentence per stream: lost here (how many of those that reached the hop, which),
// all seen, or lost before (where) so that it never reached this hop.
std::string streamStory(const std::vector<StreamAtHop> &streams, const std::vector<std::vector<HopId>> &lostBefore,
                        std::string_view expectedHere)
{
    std::string out;
    // Nothing reached the hop: one sentence for all streams, when they were lost at the same place.
    // Streams not on this path (the nodes' pings at a pod's end) are left out.
    std::vector<std::vector<HopId>> where;
    for (std::size_t i = 0; i < streams.size() && i < lostBefore.size(); ++i)
        if (streams[i].status != Status::Skipped)
            where.push_back(lostBefore[i]);
    const bool noneReached = !where.empty() && std::all_of(streams.begin(), streams.end(), [](const StreamAtHop &s) {
        return streamFate(s) == StreamFate::NotReached || streamFate(s) == StreamFate::Skipped;
    });
    if (noneReached && std::all_of(where.begin(), where.end(), [&](const auto &w) { return w == where.front(); })) {
        int total = 0;
        std::string parts;
        for (const auto &s : streams) {
            if (s.status == Status::Skipped)
                continue;
            total += s.lostEarlier;
            parts += (parts.empty() ? "" : ", ") + streamName(s) + ": " + std::to_string(s.lostEarlier);
        }
        return "Not reached: all " + std::to_string(total) + " echoes (" + parts + ") were lost before" +
               (where.front().empty() ? std::string() : ", at " + placesText(where.front())) + ".";
    }
    for (std::size_t i = 0; i < streams.size(); ++i) {
        const StreamAtHop &s = streams[i];
        if (s.status == Status::Skipped)
            continue;
        const std::string where = i < lostBefore.size() && !lostBefore[i].empty() ? ", at " + placesText(lostBefore[i])
                                                                                  : std::string();
        std::string line = capitalised(streamName(s)) + ": ";
        switch (streamFate(s)) {
        case StreamFate::LostHere:
            line += std::to_string(s.lostHere) + " of " + std::to_string(s.expected) + " not seen here (icmp_seq " +
                    seqList({s.missingHere.begin(), s.missingHere.end()}) + ")";
            if (s.lostEarlier > 0)
                line += "; " + std::to_string(s.lostEarlier) + " more had been lost before" + where;
            break;
        case StreamFate::Seen:
            if (s.lostEarlier > 0)
                line += "all " + std::to_string(s.expected) + " that reached this hop seen; " +
                        std::to_string(s.lostEarlier) + " had been lost before" + where;
            else
                line += "all " + std::to_string(s.seen) + " seen";
            break;
        case StreamFate::NotReached:
            line += "did not reach this hop: " +
                    (s.lostEarlier == 1 ? std::string("the one sent was") : "all " + std::to_string(s.lostEarlier) + " were") +
                    " lost before" + where;
            break;
        case StreamFate::NoEvidence: line += "none sent"; break;
        case StreamFate::Skipped: line += "not on this path"; break;
        }
        out += line + ". ";
    }
    if (!expectedHere.empty())
        out += "Expected: " + std::string(expectedHere) + ".";
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace

void identifyStreams(std::vector<EchoStream> &streams, const PathExpectation &expect,
                     const std::vector<EchoSighting> &sightings)
{
    for (auto &st : streams) {
        if (st.id)
            continue;
        std::map<std::uint16_t, int> votes;
        for (const auto &s : sightings) {
            const std::optional<IpAddress> target = targetOf(st, expect);
            if (s.node != NodeRole::Client || s.isReply || !target || s.dst != *target)
                continue;
            if (st.ipLength && s.ipLength != st.ipLength)
                continue;
            if (std::find(st.sentSeqs.begin(), st.sentSeqs.end(), s.seq) != st.sentSeqs.end())
                ++votes[s.id];
        }
        auto best = std::max_element(votes.begin(), votes.end(),
                                     [](const auto &a, const auto &b) { return a.second < b.second; });
        if (best != votes.end())
            st.id = best->first;
    }
}

HopJudgement judgeHops(const PathExpectation &e, const std::vector<EchoStream> &streams,
                       const std::vector<EchoSighting> &sightings)
{
    HopJudgement j;
    const bool direct = isDirect(e.mode);
    const bool podStream = std::any_of(streams.begin(), streams.end(), [](const EchoStream &st) { return st.fromPod; });
    const bool pods = e.pods || podStream;
    constexpr std::size_t kAll = kAllHopCount;  // arrays below are indexed by hop id

    // seen[stream][hop] = sequences of that stream seen at that hop
    std::vector<std::array<std::set<std::uint16_t>, kAll>> seen(streams.size());
    // Packets quoted per stream and hop; a hop's evidence takes them in turn, so a stream
    // lost there is quoted beside the ones that passed (never crowded out by them).
    std::vector<std::array<std::vector<const EchoSighting *>, kAll>> quoted(streams.size());

    for (const auto &s : sightings) {
        for (std::size_t h = 0; h < kAll; ++h) {
            const HopInfo &hop = hopInfo(HopId(h));
            const bool echoOfAStream = std::any_of(streams.begin(), streams.end(), [&](const EchoStream &st) {
                return onPath(hop, st) && sameEcho(hop, s, targetOf(st, e));
            });
            if (!echoOfAStream)
                continue;
            if (atPlace(hop, s, e)) {
                // Egress must go to the peer node: an encapsulated packet to anyone else
                // is the wrong-gateway symptom, not a pass.
                const std::optional<Ipv4> outerDst = s.outerDst ? s.outerDst->v4() : std::nullopt;
                if (hop.place == HopPlace::Egress && !direct && outerDst && peerOf(e, hop.node).nodeIp &&
                    *outerDst != *peerOf(e, hop.node).nodeIp) {
                    (hop.direction == Direction::Request ? j.wire.requestWrongOuterDst : j.wire.replyWrongOuterDst)
                        .insert(*outerDst);
                    if (j.wire.strayEvidence.size() < kEvidencePerHop)
                        j.wire.strayEvidence.push_back(s.summary);
                    continue;
                }
                if (hop.place == HopPlace::Ingress && s.outerSrc && s.outerSrc->v4())
                    (hop.direction == Direction::Request ? j.wire.requestSourcesAtServer : j.wire.replySourcesAtClient)
                        .insert(*s.outerSrc->v4());
                bool quotedOnce = false;
                for (std::size_t i = 0; i < streams.size(); ++i) {
                    if (onPath(hop, streams[i]) && sameEcho(hop, s, targetOf(streams[i], e)) && inStream(streams[i], s)) {
                        seen[i][h].insert(s.seq);
                        j.timeline.push_back({hop.id, streams[i].label, s.seq, double(s.timeNs) / 1e6});
                        if (!quotedOnce && quoted[i][h].size() < kEvidencePerHop)
                            quoted[i][h].push_back(&s);
                        quotedOnce = true;
                    }
                }
            } else if (hop.place == HopPlace::Egress && !direct && !s.src.isV6() && s.outgoing && s.wrapping == Wrapping::Plain &&
                       !onTunnel(s, factsOf(e, hop.node), e.wireguard) && s.interface != podInterface(e, hop.node) &&
                       s.interface != factsOf(e, hop.node).tunnelDevice) {
                // The echo left on the underlay without encapsulation: routed past the tunnel.
                (hop.direction == Direction::Request ? j.wire.requestLeftPlainOnUnderlay
                                                     : j.wire.replyLeftPlainOnUnderlay) = true;
                if (j.wire.strayEvidence.size() < kEvidencePerHop)
                    j.wire.strayEvidence.push_back(s.summary);
            }
        }
    }

    std::array<HopVerdict, kAll> verdicts{};
    for (std::size_t h = 0; h < kAll; ++h)
        verdicts[h].id = HopId(h);

    // Walk the path per stream: what reached the previous judged hop is what this hop owes.
    // An echo lost at one hop is owed by no hop after it: the full-size probe that dies on
    // the underlay "did not reach" the server's tunnel, which passes on the small echoes.
    std::vector<std::array<StreamAtHop, kAll>> atHop(streams.size());
    std::vector<std::array<std::vector<HopId>, kAll>> lostBefore(streams.size());  // where the stream lost echoes before each hop
    std::array<int, kAll> provenByReply{};  // per hop: echoes its capture missed that ping's replies prove
    auto podHopKnown = [&](const HopInfo &hop) { return hop.place != HopPlace::Pod || !podInterface(e, hop.node).empty(); };
    for (std::size_t i = 0; i < streams.size(); ++i) {
        const std::vector<HopId> path = hopPath(streams[i].fromPod);
        // The nodes' pings never pass the pods' ends: skipped there, so every hop lists
        // the same streams in the same order (the front ends' lanes and columns).
        for (std::size_t h = 0; h < kAll; ++h) {
            atHop[i][h].stream = streams[i].label;
            atHop[i][h].ipLength = streams[i].ipLength;
            if (!onPath(hopInfo(HopId(h)), streams[i]))
                atHop[i][h].status = Status::Skipped;
        }
        std::set<std::uint16_t> reaching(streams[i].sentSeqs.begin(), streams[i].sentSeqs.end());
        int lostEarlier = 0;
        std::vector<HopId> lostAt;
        for (std::size_t p = 0; p < path.size(); ++p) {
            const std::size_t h = std::size_t(path[p]);
            const HopInfo &hop = hopInfo(path[p]);
            StreamAtHop &sh = atHop[i][h];
            lostBefore[i][h] = lostAt;
            sh.stream = streams[i].label;
            sh.ipLength = streams[i].ipLength;
            if (direct && hop.place == HopPlace::Tunnel) {
                sh.status = Status::Skipped;
                continue;
            }
            // A pod not found on its node: nothing tells its packets apart there, and a
            // loss after it could be anywhere from here on. Its stream is judged no further
            // (the pod check says where the pod is not).
            if (!podHopKnown(hop))
                break;
            if (!capturedOn(e, hop.node) || hiddenByEncryption(e, hop))
                continue;  // no evidence here; the next captured hop owes what reached us
            // A later hop that saw an echo proves it passed here, even if this capture
            // missed it (kernel buffer drops): only truly lost echoes count as missing.
            std::set<std::uint16_t> seenLater;
            for (std::size_t k = p + 1; k < path.size(); ++k)
                seenLater.insert(seen[i][std::size_t(path[k])].begin(), seen[i][std::size_t(path[k])].end());
            std::set<std::uint16_t> arrived;
            for (auto q : reaching) {
                if (seen[i][h].count(q) || seenLater.count(q)) {
                    arrived.insert(q);
                } else if (streams[i].answered.count(q)) {
                    arrived.insert(q);
                    ++provenByReply[h];
                }
            }
            if (p == 0 && streams[i].refusedLocally > 0) {
                int refused = streams[i].refusedLocally;
                for (auto it = reaching.begin(); it != reaching.end() && refused > 0;) {
                    if (!arrived.count(*it)) {
                        it = reaching.erase(it);
                        --refused;
                    } else {
                        ++it;
                    }
                }
            }
            sh.expected = int(reaching.size());
            sh.seen = int(arrived.size());
            sh.lostEarlier = lostEarlier;
            for (auto q : reaching)
                if (!arrived.count(q))
                    sh.missingHere.push_back(q);
            sh.lostHere = int(sh.missingHere.size());
            // A stream that never reached this hop has no evidence here, for or against it.
            sh.status = sh.lostHere > 0 ? Status::Fail : sh.expected > 0 ? Status::Pass : Status::Unknown;
            if (sh.lostHere > 0)
                lostAt.push_back(hop.id);
            if (sh.lostHere > 0 && sizeComparable(streams[i]) &&
                (!j.wire.smallestLost || streams[i].ipLength < *j.wire.smallestLost)) {
                j.wire.smallestLost = streams[i].ipLength;
                j.wire.smallestLostAt = hop.id;
            }
            lostEarlier += sh.lostHere;
            reaching = arrived;
        }
        if (!reaching.empty() && sizeComparable(streams[i]) &&
            (!j.wire.largestDelivered || streams[i].ipLength > *j.wire.largestDelivered))
            j.wire.largestDelivered = streams[i].ipLength;
    }

    auto provenNote = [&](std::size_t h) -> std::string {
        const int n = provenByReply[h];
        if (n == 0)
            return {};
        return " " + std::to_string(n) + (n == 1 ? " echo" : " echoes") + " missing from the " +
               std::string(roleName(hopInfo(HopId(h)).node)) + "'s capture crossed here all the same: ping got " +
               (n == 1 ? "its reply." : "their replies.");
    };
    for (std::size_t h = kHops.size(); h < kAll && !pods; ++h) {
        verdicts[h].status = Status::Skipped;
        verdicts[h].explanation = "Not asked: the diagnosis was between two nodes, not two pods.";
    }
    // After a pod whose interface was not found, its echoes are followed no further (the
    // walk above stops there): the hops from it on owe nothing the capture could show.
    const auto podCut = std::find_if(kPodPath.begin(), kPodPath.end(), [&](HopId p) { return !podHopKnown(hopInfo(p)); });
    for (const HopId id : hopPath(pods)) {
        const std::size_t h = std::size_t(id);
        HopVerdict &v = verdicts[h];
        const HopInfo &hop = hopInfo(id);
        std::vector<const EchoSighting *> quotes;
        for (std::size_t k = 0; quotes.size() < kEvidencePerHop && k < kEvidencePerHop; ++k)
            for (std::size_t i = 0; i < streams.size() && quotes.size() < kEvidencePerHop; ++i)
                if (k < quoted[i][h].size())
                    quotes.push_back(quoted[i][h][k]);
        std::stable_sort(quotes.begin(), quotes.end(), [](const EchoSighting *a, const EchoSighting *b) { return a->timeNs < b->timeNs; });
        for (const EchoSighting *q : quotes)
            v.evidence.push_back(q->summary);
        bool lossHere = false, lossEarlier = false, anySeen = false;
        std::vector<std::vector<HopId>> where;
        for (std::size_t i = 0; i < streams.size(); ++i) {
            const StreamAtHop &sh = atHop[i][h];
            v.streams.push_back(sh);
            where.push_back(lostBefore[i][h]);
            if (!onPath(hop, streams[i]))
                continue;
            v.seen += sh.seen;
            v.expected += sh.seen + sh.lostHere + sh.lostEarlier;
            lossHere = lossHere || sh.lostHere > 0;
            lossEarlier = lossEarlier || sh.lostEarlier > 0;
            anySeen = anySeen || sh.expected > 0;
        }
        if (direct && hop.place == HopPlace::Tunnel) {
            v.status = Status::Skipped;
            v.explanation = noTunnelHere(e.mode);
            continue;
        }
        if (hiddenByEncryption(e, hop)) {
            v.status = Status::Unknown;
            v.explanation = "No evidence: " + e.encryptedBy +
                            " encrypts the traffic between the nodes (UDP 51820), so the echoes cannot be told apart "
                            "on this hop; the pings' answers say whether they got through.";
            continue;
        }
        if (!capturedOn(e, hop.node)) {
            v.status = Status::Unknown;
            const std::string &why = hop.node == NodeRole::Client ? e.clientCaptureProblem : e.serverCaptureProblem;
            v.explanation = "No evidence: the " + std::string(roleName(hop.node)) + "'s capture did not run" +
                            (why.empty() ? "." : " (" + why + ").");
            continue;
        }
        if (!podHopKnown(hop)) {
            v.status = Status::Unknown;
            v.explanation = "No evidence: the " + std::string(roleName(hop.node)) +
                            " pod's interface on its node was not found, so its packets could not be told apart there.";
            continue;
        }
        if (v.expected == 0 && podStream && podCut != kPodPath.end() && std::find(podCut, kPodPath.end(), id) != kPodPath.end()) {
            v.status = Status::Unknown;
            v.explanation = "No evidence: the " + std::string(roleName(hopInfo(*podCut).node)) +
                            " pod's interface on its node was not found, so the pod's echoes are followed no further than " +
                            (podCut == kPodPath.begin() ? std::string("the client pod") : std::string(hopInfo(*(podCut - 1)).title)) +
                            ".";
            continue;
        }
        if (v.expected == 0) {
            v.status = Status::Unknown;
            const bool noPodEcho = hop.place == HopPlace::Pod && !podStream;
            const std::string &why = noPodEcho ? e.podNoEchoWhy : e.noEchoWhy;
            v.explanation = noPodEcho && why.empty()
                                ? "No echo was sent from the client pod, so there is nothing to see here."
                            : why.empty() ? "No echo was sent, so there is nothing to see here."
                                          : "No evidence: " + sentenceTail(why) + ".";
            continue;
        }
        if (const std::string &cut = hop.node == NodeRole::Client ? e.clientCaptureCut : e.serverCaptureCut;
            !cut.empty() && (lossHere || !anySeen)) {
            v.status = Status::Unknown;
            for (auto &sh : v.streams)
                if (sh.lostHere > 0 || sh.expected == 0)
                    sh.status = Status::Unknown;
            v.explanation = "No evidence of loss here: " + cut + ", so its capture may lack the last packets (" +
                            streamCounts(v.streams) + ").";
            continue;
        }
        if (!lossHere && !lossEarlier) {
            v.status = Status::Pass;
            v.explanation = capitalised(std::string(expectedAt(hop, e.mode, e.wireguard))) + ": seen for all " + std::to_string(v.seen) +
                            " echoes (" + streamCounts(v.streams) + ")." + provenNote(h);
            continue;
        }
        // Fails only where echoes were lost at this very hop. Every echo that reached it
        // seen passes it, even when one stream was lost before (the full-size probe of an
        // MTU fault): that loss belongs to the hop where it happened. A hop that nothing
        // reached any more fails as "not reached", after the loss that explains it.
        if (lossHere) {
            v.status = Status::Fail;
            if (!j.firstFailing)
                j.firstFailing = hop.id;
        } else {
            v.status = anySeen ? Status::Pass : Status::Fail;
        }
        v.explanation = streamStory(v.streams, where, lossHere ? expectedAt(hop, e.mode, e.wireguard) : std::string_view());
        v.explanation += provenNote(h);
    }
    for (std::size_t h = 0; h < kAll; ++h)
        (h < kHops.size() ? j.hops[h] : j.podHops[h - kHops.size()]) = std::move(verdicts[h]);
    // Times relative to the first sighting; each node stamps with its own clock, so a
    // skew between the nodes shifts the server's points, never their order per node.
    std::sort(j.timeline.begin(), j.timeline.end(), [](const auto &a, const auto &b) { return a.atMs < b.atMs; });
    if (!j.timeline.empty()) {
        const double t0 = j.timeline.front().atMs;
        for (auto &t : j.timeline)
            t.atMs -= t0;
    }
    return j;
}

std::string noTunnelHere(Encapsulation mode)
{
    return crossSubnetDirect(mode)
               ? "No tunnel on this path: the nodes share a subnet and Calico routes pods directly."
               : "No tunnel on this path: Calico routes the pods' packets unencapsulated over the underlay (BGP).";
}

} // namespace podpath::diagnose
