#include "bgp_evidence.h"

#include "finding_codes.h"
#include "sentence.h"

#include "parse/log_time.h"

#include <algorithm>

namespace podpath::diagnose {

namespace {

// "2026-12-06 21:50:54": as the node's clock wrote it (" UTC" when the line says so).
std::string timeOf(const parse::LogTimestamp &t)
{
    return parse::formatTimestamp(t.micros, 0) + (t.zoneKnown ? " UTC" : "");
}

std::string lineOf(const parse::BgpSession &s)
{
    return "bird: " + s.name + ": State changed to " + s.state + (s.since ? " (" + s.since->text + ")" : "");
}

// BIRD's protocol states, in a reader's words.
std::string stateMeaning(const std::string &state)
{
    if (state == "start")
        return "BIRD is trying to reach the peer (TCP port 179) and gets no session";
    if (state == "down")
        return "BIRD has it shut down on this side (disabled, or dropped from its configuration)";
    if (state == "stop" || state == "flush")
        return "BIRD is closing it";
    if (state == "feed")
        return "it is coming up";
    return "its state is '" + state + "'";
}

// "with pplab-node2" (the peer node), "with the BGP peer 198.51.100.254" (a BGPPeer: a
// router, a reflector), "with 198.51.100.13" (another node of the mesh)
std::string withWhom(const parse::BgpSession &s, bool isPeerNode, const std::string &peerName)
{
    if (isPeerNode)
        return "with " + peerName;
    return std::string(s.kind == parse::BgpPeerKind::Global ? "with the BGP peer " : "with ") + s.peer;
}

} // namespace

void sessionCauseFirst(std::vector<Finding> &findings)
{
    // The evidence lines are lineOf's: "bird: NAME: State changed to down (...)".
    auto closedHere = [](const Finding &f) {
        return hasCode(f, kBgpSessionDown) && std::any_of(f.evidence.begin(), f.evidence.end(), [](const std::string &e) {
                   return e.starts_with("bird: ") && e.find(": State changed to down") != std::string::npos;
               });
    };
    const auto first = std::find_if(findings.begin(), findings.end(), [](const Finding &f) { return hasCode(f, kBgpSessionDown); });
    if (first == findings.end() || closedHere(*first))
        return;
    const auto cause = std::find_if(first + 1, findings.end(), closedHere);
    if (cause != findings.end())
        std::rotate(first, cause, cause + 1);
}

std::vector<parse::BgpSession> bgpSessionsOf(const LogReadings &logs)
{
    std::vector<parse::BgpSession> all;
    for (const LogSource &src : logs.sources) {
        if (!src.log)
            continue;
        for (parse::BgpSession &s : parse::bgpSessions(*src.log)) {
            auto it = std::find_if(all.begin(), all.end(), [&](const parse::BgpSession &o) { return o.name == s.name; });
            if (it == all.end())
                all.push_back(std::move(s));
            else if (s.since && (!it->since || s.since->micros > it->since->micros))
                *it = std::move(s);
        }
    }
    return all;
}

std::optional<BgpAccount> accountForMissingRoute(const std::vector<parse::BgpSession> &sessions,
                                                  const NodeFacts &self, const NodeFacts &peer)
{
    const std::string peerIp = peer.nodeIp ? peer.nodeIp->toString() : std::string();
    const std::string peerName = nodeName(peer);
    std::vector<const parse::BgpSession *> carriers;
    for (const auto &s : sessions)
        if (!peerIp.empty() && s.peer == peerIp)
            carriers.push_back(&s);
    const bool direct = !carriers.empty();
    if (!direct)
        for (const auto &s : sessions)
            if (!self.nodeIp || s.peer != self.nodeIp->toString())
                carriers.push_back(&s);
    if (carriers.empty())
        return std::nullopt;
    BgpAccount a;
    for (const auto *s : carriers)
        a.evidence.push_back(lineOf(*s));
    std::vector<const parse::BgpSession *> down;
    std::copy_if(carriers.begin(), carriers.end(), std::back_inserter(down),
                 [](const parse::BgpSession *s) { return !s->established(); });
    const std::string who = nodeName(self);
    if (!down.empty() && (direct || down.size() == carriers.size())) {
        // Down: the routes learned over it were withdrawn with it.
        const parse::BgpSession &s = *down.front();
        a.sessionDown = true;
        a.closedHere = s.state == "down";
        a.sentence = "BIRD's BGP session " + withWhom(s, direct, peerName) + " (" + s.name + ") is not established" +
                     (s.downSince ? ": it went down at " + timeOf(*s.downSince) + " (" + who + "'s clock) and " : " and ") +
                     stateMeaning(s.state) + (s.problem.empty() ? "" : " (BIRD: \"" + s.problem + "\")") +
                     (down.size() > 1 ? " (" + counted(down.size(), "session") + " down in all)" : "") +
                     "; the routes it brought were withdrawn with it";
        return a;
    }
    // Up: the block did not come over it, or was dropped on the way in.
    auto up = std::find_if(carriers.begin(), carriers.end(), [](const parse::BgpSession *c) { return c->established(); });
    const parse::BgpSession &s = **(up != carriers.end() ? up : carriers.begin());
    a.sentence = "BIRD's BGP session " + withWhom(s, direct, peerName) + " (" + s.name + ") is up" +
                 (s.since && s.established() ? " since " + timeOf(*s.since) + " (" + who + "'s clock)" : "") +
                 ", yet the block did not come over it: " +
                 (direct ? peerName + " does not advertise it"
                         : "the peer does not pass it on (is " + peerName + "'s own session with it down?)") +
                 " or a filter drops it (a BGPFilter, an IP pool that is disabled or not advertised)";
    return a;
}

} // namespace podpath::diagnose
