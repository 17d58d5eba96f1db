// The words of the path diagram: header, hop counts and the callout. Kept apart from the
// drawing so tests can read exactly what the picture says.

#include "path_diagram_painter.h"

#include <algorithm>

namespace podpath::widgets {

using namespace diagnose;

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

bool nothingRead(const NodeFacts &f)
{
    return f.hostname.empty() && !f.nodeIp && !f.tunnelIp && f.tunnelDevice.empty() && f.underlayDevice.empty() &&
           !f.podBlock;
}

QString nodeLabel(const Diagnosis &d, const NodeFacts &f, const DiagramState &state)
{
    const std::string name = nodeName(f);
    if (name.empty() && notReadYet(d, f, state))
        return QStringLiteral("not read yet");
    QString s = name.empty() ? QStringLiteral("name not known") : q(name);
    if (f.nodeIp)
        s += QStringLiteral(" (") + q(f.nodeIp->toString()) + QLatin1Char(')');
    return s;
}

QString modeText(const Diagnosis &d, const DiagramState &state)
{
    // Through WireGuard the echoes cross encrypted, whatever the pool's encapsulation.
    if (d.wireguardJudged())
        return QStringLiteral("WireGuard (%1 pool)").arg(d.mode == Encapsulation::IpIp ? QStringLiteral("IPIP") : QStringLiteral("VXLAN"));
    const Encapsulation e = d.mode;
    switch (e) {
    case Encapsulation::IpIp: return QStringLiteral("IPIP");
    case Encapsulation::Vxlan: return QStringLiteral("VXLAN");
    case Encapsulation::VxlanCrossSubnetDirect: return QStringLiteral("VXLAN CrossSubnet (direct, not encapsulated)");
    case Encapsulation::IpipCrossSubnetDirect: return QStringLiteral("IPIP CrossSubnet (direct, not encapsulated)");
    case Encapsulation::None: return QStringLiteral("no encapsulation");
    case Encapsulation::Unknown: break;
    }
    return QStringLiteral("mode ") + notKnownText(d, d.client, state);
}

} // namespace

bool notReadYet(const Diagnosis &d, const NodeFacts &f, const DiagramState &state)
{
    return d.isEmpty() || (state.running && nothingRead(f));
}

QString notKnownText(const Diagnosis &d, const NodeFacts &f, const DiagramState &state)
{
    return notReadYet(d, f, state) ? QStringLiteral("not read yet") : QStringLiteral("not known");
}

QString encapsulationText(const Diagnosis &d, const DiagramState &state)
{
    if (d.wireguardJudged())
        return QStringLiteral("WireGuard (encrypted)");
    switch (d.mode) {
    case Encapsulation::IpIp: return QStringLiteral("IPIP (IP protocol 4)");
    case Encapsulation::Vxlan: {
        // The port the nodes' VXLAN devices use, as they reported it: clusters move it off
        // 4789 (8472 was Linux's default), and a diagram naming the wrong port sends the
        // reader to the wrong firewall rule.
        const int port = d.client.vxlanPort > 0 ? d.client.vxlanPort : d.server.vxlanPort;
        return port > 0 ? QStringLiteral("VXLAN (UDP %1)").arg(port) : QStringLiteral("VXLAN");
    }
    case Encapsulation::VxlanCrossSubnetDirect:
    case Encapsulation::IpipCrossSubnetDirect: return QStringLiteral("not encapsulated (CrossSubnet)");
    case Encapsulation::None: return QStringLiteral("not encapsulated");
    case Encapsulation::Unknown: break;
    }
    return QStringLiteral("encapsulation ") + notKnownText(d, d.client, state);
}

QStringList routerLines(const Diagnosis &d)
{
    QStringList out;
    const auto text = [](const Ipv4 &a) { return QString::fromStdString(a.toString()); };
    if (d.client.underlayGateway)
        out << QStringLiteral("routed via %1").arg(text(*d.client.underlayGateway));
    if (d.server.underlayGateway && d.server.underlayGateway != d.client.underlayGateway)
        out << (out.isEmpty() ? QStringLiteral("routed back via %1") : QStringLiteral("back via %1")).arg(text(*d.server.underlayGateway));
    return out;
}

namespace {

// The burst's name as the underlay box writes it: no tunnel on a direct path.
QString burstLabel(const Diagnosis &d)
{
    return diagnose::tunnelled(d.mode) || d.mode == Encapsulation::Unknown ? QStringLiteral("Tunnel ping: ")
                                                                          : QStringLiteral("Pod-block ping: ");
}

// "2026-11-25T13:14:42Z" reads better as "2026-11-25 13:14:42 UTC" in a ticket.
QString timeText(const std::string &iso)
{
    QString t = q(iso);
    if (t.size() >= 19 && t[10] == QLatin1Char('T')) {
        t[10] = QLatin1Char(' ');
        if (t.endsWith(QLatin1Char('Z')))
            t = t.left(t.size() - 1) + QStringLiteral(" UTC");
    }
    return t;
}

const NodeFacts &facts(const Diagnosis &d, NodeRole r) { return r == NodeRole::Client ? d.client : d.server; }

// Per stream when there are several: "0/10" would add the small echoes and the
// full-size probes, which share their sequence numbers, into one number no ping printed.
QString counted(const HopVerdict &h)
{
    if (h.streams.size() > 1) {
        QStringList parts;
        for (const auto &s : h.streams)
            parts << q(streamLabel(s)) + QLatin1Char(' ') + q(streamCount(s));
        return parts.join(QStringLiteral(", "));
    }
    return QStringLiteral("%1/%2").arg(h.seen).arg(h.expected);
}

// "1 more finding in the Findings tab", "2 more findings under Findings below".
QString moreFindings(std::size_t n, DiagramState::Shown shown)
{
    const QString count = n == 1 ? QStringLiteral("1 more finding") : QStringLiteral("%1 more findings").arg(n);
    switch (shown) {
    case DiagramState::Shown::InWindow: return count + QStringLiteral(" in the Findings tab");
    case DiagramState::Shown::InReport: return count + QStringLiteral(" under Findings below");
    case DiagramState::Shown::Alone: break;
    }
    return count + QStringLiteral(", not in this picture");
}

} // namespace

DiagramHeader diagramHeader(const Diagnosis &d, const DiagramState &state)
{
    DiagramHeader h;
    if (state.running) {
        h.verdict = QStringLiteral("DIAGNOSING");
        if (!state.phase.empty())
            h.verdict += QStringLiteral(": ") + q(state.phase);
    } else if (d.isEmpty()) {
        h.verdict = QStringLiteral("NO DIAGNOSIS YET");
    } else {
        switch (d.verdict) {
        case Verdict::Pass: h.verdict = QStringLiteral("HEALTHY"); break;
        case Verdict::Fail:
            if (d.firstFailingHop)
                h.verdict = QStringLiteral("FAILS at ") + q(hopInfo(*d.firstFailingHop).title);
            else if (!d.findings.empty())
                h.verdict = QStringLiteral("FAILS at ") + q(blamedName(d.findings.front().blames, tunnelled(d.mode)));
            else
                h.verdict = QStringLiteral("FAILS");
            break;
        case Verdict::Error:
            h.verdict = QStringLiteral("COULD NOT DIAGNOSE: ") +
                        (d.error.empty() ? QStringLiteral("no reason given") : q(d.error));
            break;
        case Verdict::Incomplete: h.verdict = QStringLiteral("NOT PROVEN: some hops have no evidence"); break;
        }
    }
    h.nodes = QStringLiteral("client ") + nodeLabel(d, d.client, state) + QStringLiteral("  \u2192  server ") +
              nodeLabel(d, d.server, state);
    // Asked about two pods: the picture names them and what was sent, so the ticket does.
    if (d.pods) {
        QString asked;
        if (d.pods->port > 0 && d.pods->protocol != "icmp")
            asked = QStringLiteral(", ") + q(d.pods->protocol).toUpper() + QLatin1Char(' ') + QString::number(d.pods->port);
        h.nodes += QStringLiteral("  \u00b7  pod ") + q(d.pods->client.ip) + QStringLiteral(" \u2192 pod ") +
                   q(d.pods->server.ip) + QStringLiteral(" (ICMP") + asked + QLatin1Char(')');
    }
    h.details = modeText(d, state);
    // A dual-stack pair: which families the verdict holds for, said where it is read.
    if (d.ipv6Judged())
        h.details += QStringLiteral(", IPv4 and IPv6");
    else if (d.dualStack())
        h.details += QStringLiteral(", IPv4 only (IPv6 not judged)");
    if (!d.startedAt.empty())
        h.details += (d.recorded ? QStringLiteral(" \u00b7 recorded ") : QStringLiteral(" \u00b7 started ")) +
                     timeText(d.startedAt) + (d.recorded ? QStringLiteral(" (replay)") : QString());
    return h;
}

std::vector<StreamLine> hopStreamLines(const HopVerdict &h, bool running)
{
    std::vector<StreamLine> out;
    if (running || h.streams.size() < 2)
        return out;
    for (const auto &s : h.streams) {
        const StreamFate f = streamFate(s);
        if (f == StreamFate::Skipped && isPodHop(h.id))
            continue;  // the nodes' pings never pass a pod's end: only the pod's own line
        QString text = q(streamLabel(s)) + QLatin1Char(' ');
        switch (f) {
        case StreamFate::Seen:
        case StreamFate::LostHere: text += q(streamCount(s)); break;
        case StreamFate::NotReached: text += QStringLiteral("not reached"); break;
        case StreamFate::NoEvidence: text += QStringLiteral("no evidence"); break;
        case StreamFate::Skipped: text += QStringLiteral("skipped"); break;
        }
        out.push_back({f, text});
    }
    return out;
}

QString titleFor(const Diagnosis &d, const QString &replayName)
{
    const QString replay = replayName.isEmpty() ? QStringLiteral("replay") : QStringLiteral("replay of ") + replayName;
    if (!d.recorded)
        return replayName.isEmpty() ? QStringLiteral("PodPath") : QStringLiteral("PodPath \u2014 ") + replay;
    if (d.startedAt.empty())
        return QStringLiteral("PodPath \u2014 recorded (") + replay + QStringLiteral(")");
    return QStringLiteral("PodPath \u2014 recorded ") + timeText(d.startedAt) + QStringLiteral(" (") + replay +
           QStringLiteral(")");
}

QString hopCountText(const HopVerdict &h, bool running)
{
    if (!running && h.streams.size() > 1 && (h.status == Status::Pass || h.status == Status::Fail)) {
        QStringList parts;
        for (const auto &s : h.streams) {
            const StreamFate f = streamFate(s);
            parts << q(streamLabel(s)) + QStringLiteral(": ") + q(streamCount(s)) +
                         (f == StreamFate::Seen || f == StreamFate::LostHere ? QStringLiteral(" seen") : QString());
        }
        return parts.join(QStringLiteral(", "));
    }
    switch (h.status) {
    case Status::Pass:
    case Status::Fail: return counted(h) + QStringLiteral(" seen");
    case Status::Skipped: return QStringLiteral("skipped");
    case Status::Unknown: break;
    }
    if (running)
        return QStringLiteral("waiting");
    return QStringLiteral("no evidence");
}

std::optional<NodeRole> blamedNode(const Diagnosis &d)
{
    // An information (two pods needed) is no problem of a node's.
    if (d.findings.empty() || d.findings.front().severity == Severity::Info)
        return std::nullopt;
    const std::string &b = d.findings.front().blames;
    for (NodeRole role : {NodeRole::Client, NodeRole::Server}) {
        const std::string r = roleName(role);
        if (b == r || (b.size() > r.size() && b.compare(b.size() - r.size() - 1, r.size() + 1, "." + r) == 0))
            return role;
    }
    return std::nullopt;
}

DiagramCallout diagramCallout(const Diagnosis &d, const DiagramState &state)
{
    DiagramCallout c;
    if (state.running) {
        c.title = QStringLiteral("Diagnosis running") + (state.phase.empty() ? QString() : QStringLiteral(": ") + q(state.phase));
        c.why = QStringLiteral("The hops fill in as the captures on both nodes report. Hover a hop to see what it expects.");
        return c;
    }
    if (d.isEmpty()) {
        c.tone = Status::Unknown;
        c.title = QStringLiteral("No diagnosis yet");
        c.why = QStringLiteral("Pick the client and the server node on the Nodes page, then press Diagnose (F5).");
        c.next = QStringLiteral("No cluster at hand? Help ▸ Open demo diagnosis replays a recorded fault; File ▸ Open "
                                "recording… or Open diagnosis (Ctrl+O) shows your own.");
        return c;
    }
    const Finding *lead = d.findings.empty() ? nullptr : &d.findings.front();
    const QString more = d.findings.size() > 1 ? QStringLiteral("  (") + moreFindings(d.findings.size() - 1, state.shown) +
                                                     QLatin1Char(')')
                                               : QString();
    switch (d.verdict) {
    case Verdict::Pass: {
        c.tone = Status::Pass;
        // The last hop the echoes cross: the client's tunnel, or its underlay device when
        // the path has no tunnel (its tunnel hops skipped); the hops counted are those on
        // the path.
        const HopVerdict &tunnelIn = d.hop(HopId::ReplyClientTunnel);
        const HopVerdict &last = tunnelIn.status == Status::Skipped ? d.hop(HopId::ReplyClientIngress) : tunnelIn;
        const auto onPath = std::count_if(d.hops.begin(), d.hops.end(), [](const HopVerdict &h) { return h.status != Status::Skipped; });
        if (d.pods) {
            // The pod's echoes crossed twelve hops, the nodes' eight: counted apart.
            const HopVerdict &home = d.hop(HopId::ReplyClientPod);
            int nodesSeen = 0, nodesSent = 0;
            for (const StreamAtHop &s : last.streams)
                if (s.stream != kPodStream) {
                    nodesSeen += s.seen;
                    nodesSent += s.expected + s.lostEarlier;
                }
            c.title = QStringLiteral("The pods reach each other: the pod's echoes seen at all %1 hops (%2 of %3), the nodes' "
                                     "at all %4 between them (%5 of %6)")
                          .arg(onPath + qsizetype(d.podHops.size()))
                          .arg(home.seen)
                          .arg(home.expected)
                          .arg(onPath)
                          .arg(nodesSeen)
                          .arg(nodesSent);
            for (const char *id : {"pod.ping", "pod.port"})
                if (const CheckResult *pc = d.check(id); pc && pc->status == Status::Pass)
                    c.why += (c.why.isEmpty() ? QString() : QStringLiteral(". ")) + q(pc->detail);
            if (const CheckResult *t = d.check("tunnel.ping"))
                c.next = burstLabel(d) + q(t->detail);
            return c;
        }
        c.title = QStringLiteral("Every echo made it there and back: %1 of %2 seen at all %3 hops")
                      .arg(last.seen)
                      .arg(last.expected)
                      .arg(onPath);
        if (const CheckResult *t = d.check("tunnel.ping"))
            c.why = burstLabel(d) + q(t->detail);
        if (const CheckResult *f = d.check("tunnel.full-size"))
            c.why += (c.why.isEmpty() ? QString() : QStringLiteral(". ")) + q(f->detail);
        if (const CheckResult *u = d.check("underlay.ping"))
            c.next = QStringLiteral("Underlay ping: ") + q(u->detail);
        return c;
    }
    case Verdict::Error:
        c.tone = Status::Unknown;
        c.title = QStringLiteral("Could not diagnose: the path was not tested");
        if (const auto role = blamedNode(d))
            c.title += QStringLiteral(" (the problem is on the ") + q(std::string_view(roleName(*role))) +
                       QStringLiteral(" ") + q(nodeName(facts(d, *role))) + QStringLiteral(")");
        c.why = d.error.empty() ? QStringLiteral("no reason given") : q(d.error);
        if (lead && !lead->nextStep.empty() && d.error.find(lead->nextStep) == std::string::npos)
            c.next = QStringLiteral("Next: ") + q(lead->nextStep);
        return c;
    case Verdict::Incomplete:
        c.tone = Status::Unknown;
        c.title = QStringLiteral("No verdict: nothing failed, but not every hop has been seen");
        c.why = q(d.error);
        if (!c.why.isEmpty())
            c.why[0] = c.why[0].toUpper();   // a sentence of its own here
        return c;
    case Verdict::Fail: break;
    }

    c.tone = Status::Fail;
    if (d.firstFailingHop) {
        const std::vector<HopId> path = d.path();
        const std::size_t k = std::size_t(std::find(path.begin(), path.end(), *d.firstFailingHop) - path.begin());
        const HopInfo &at = hopInfo(*d.firstFailingHop);
        const HopVerdict &hv = d.hop(at.id);
        const QString where = q(nodeName(facts(d, at.node)));
        // When only some streams die here (the full-size probe of an MTU fault), the
        // callout names that stream, counts it alone and says the others crossed.
        std::optional<std::size_t> only;
        QStringList crossed;
        for (std::size_t i = 0; i < hv.streams.size(); ++i) {
            const StreamAtHop &s = hv.streams[i];
            if (s.lostHere > 0 && !only)
                only = i;
            else if (streamFate(s) == StreamFate::Seen)
                crossed << q(streamLabel(s)) + QStringLiteral(" echoes (") + q(streamCount(s)) + QLatin1Char(')');
        }
        // The pod's own echoes are counted alone: the nodes' pings never pass its ends.
        if (crossed.isEmpty() && !(only && hv.streams[*only].stream == kPodStream))
            only.reset();
        auto countAt = [&](const HopVerdict &h) {
            return only && *only < h.streams.size() ? q(streamCount(h.streams[*only])) : counted(h);
        };
        QString what = only ? q(streamLabel(hv.streams[*only])) + QStringLiteral(" echoes lost") : QStringLiteral("Lost");
        what[0] = what[0].toUpper();  // "Pod 84 B echoes lost": the callout's sentence starts here
        if (k == 0 || k >= path.size()) {
            c.title = QStringLiteral("%1 on %2 before %3: it saw %4").arg(what, where, q(at.title), countAt(hv));
        } else {
            // The hop before it on this path: a tunnel hop of a path without tunnel is skipped.
            std::size_t b = k - 1;
            while (b > 0 && d.hop(path[b]).status == Status::Skipped)
                --b;
            const HopInfo &before = hopInfo(path[b]);
            const QString counts = QStringLiteral("%1 saw %2, %3 only %4")
                                       .arg(q(before.title), countAt(d.hop(before.id)), q(at.title), countAt(hv));
            if (before.node == at.node)
                c.title = QStringLiteral("%1 inside %2: ").arg(what, where) + counts;
            else if (lead && lead->blames.starts_with("route."))
                // The sender's (or the peer's) route sent them where nothing carries them:
                // the network did what it was told.
                c.title = QStringLiteral("%1 between %2 and %3 because of a route, not the network: ")
                              .arg(what, q(nodeName(facts(d, before.node))), where) + counts;
            else
                c.title = QStringLiteral("%1 in the network between %2 and %3: ")
                              .arg(what, q(nodeName(facts(d, before.node))), where) + counts;
        }
        if (only && !crossed.isEmpty())
            c.title += QStringLiteral("; ") + crossed.join(QStringLiteral(", ")) + QStringLiteral(" crossed");
        else if (only && std::all_of(d.hops.begin(), d.hops.end(), [](const HopVerdict &h) { return h.status == Status::Pass; }))
            c.title += QStringLiteral("; the nodes' own echoes crossed every hop between the nodes");
    } else {
        const bool allPass = std::all_of(d.hops.begin(), d.hops.end(), [](const HopVerdict &h) { return h.status == Status::Pass; });
        c.title = QStringLiteral("Fails at ") + (lead ? q(blamedName(lead->blames, tunnelled(d.mode))) : QStringLiteral("a check")) +
                  (allPass ? d.pods ? QStringLiteral(", although every hop between the nodes saw their echoes")
                                    : QStringLiteral(", although every hop saw its echoes")
                           : QString());
    }
    if (lead) {
        c.why = QStringLiteral("Why: ") + q(lead->message) + more;
        if (!lead->nextStep.empty())
            c.next = QStringLiteral("Next: ") + q(lead->nextStep);
    } else if (d.firstFailingHop) {
        c.why = QStringLiteral("Why: ") + q(d.hop(*d.firstFailingHop).explanation);
    }
    return c;
}

} // namespace podpath::widgets
