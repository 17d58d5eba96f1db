#include "terminal_picture.h"

#include <cctype>
#include <cstring>

#include "hop_words.h"
#include "printable_diagnosis.h"
#include "readable_time.h"

#include <algorithm>
#include <optional>

namespace podpath::report {

using namespace diagnose;

std::string_view hopMark(Status s)
{
    switch (s) {
    case Status::Pass: return "[ ok ]";
    case Status::Fail: return "[FAIL]";
    case Status::Unknown: return "[ ?? ]";
    case Status::Skipped: return "[skip]";
    }
    return "[ ?? ]";
}

std::string_view streamMark(StreamFate f)
{
    switch (f) {
    case StreamFate::Seen: return "[ ok ]";
    case StreamFate::LostHere: return "[FAIL]";
    case StreamFate::NotReached: return "[ -- ]";
    case StreamFate::NoEvidence: return "[ ?? ]";
    case StreamFate::Skipped: return "[skip]";
    }
    return "[ ?? ]";
}

namespace {

struct Painter {
    bool color;
    std::string paint(std::string_view text, Status s, bool emphasise = false) const
    {
        if (!color)
            return std::string(text);
        const char *code = s == Status::Pass ? "32" : s == Status::Fail ? "1;31" : s == Status::Unknown ? "33" : "2";
        std::string out = "\x1b[";
        out += emphasise ? "7;" : "";
        out += code;
        out += "m";
        out += text;
        out += "\x1b[0m";
        return out;
    }
    std::string bold(std::string_view text) const
    {
        return color ? "\x1b[1m" + std::string(text) + "\x1b[0m" : std::string(text);
    }
};

std::string orNotKnown(const std::string &s) { return s.empty() ? "not known" : s; }

// "node 198.51.100.11 (eth0)", "tunnel not known", "tunnel 198.18.20.128 (device not known)".
std::string addressOn(const char *what, const std::optional<Ipv4> &ip, const std::string &device)
{
    if (!ip && device.empty())
        return std::string(what) + " not known";
    return std::string(what) + " " + (ip ? ip->toString() : "address not known") + " (" +
           (device.empty() ? "device not known" : device) + ")";
}

// Without encapsulation a node has no tunnel: said so, not "not known".
std::string nodeLine(const char *role, const NodeFacts &n, Encapsulation mode)
{
    const bool none = mode == Encapsulation::None && !n.tunnelIp && n.tunnelDevice.empty();
    return std::string(role) + " " + orNotKnown(n.hostname.empty() ? n.host : n.hostname) + "  " +
           addressOn("node", n.nodeIp, n.underlayDevice) + "  " +
           (n.underlayGateway ? "router " + n.underlayGateway->toString() + "  " : std::string()) +
           (none ? std::string("no tunnel") : addressOn("tunnel", n.tunnelIp, n.tunnelDevice)) +
           // A dual-stack node's second tunnel, where the IPv6 burst goes.
           (n.ipv6TunnelDevice.empty() ? std::string()
                                       : ", " + (n.ipv6TunnelAddress.empty() ? std::string("address not known")
                                                                             : n.ipv6TunnelAddress) +
                                             " (" + n.ipv6TunnelDevice + ")");
}

// The firewall each node runs, "" when neither is known: nodes of one cluster may differ
// (one moved to nft, one still legacy), and each is read with its own tool.
std::string firewallLine(const NodeFacts &client, const NodeFacts &server)
{
    auto name = [](const std::string &b) { return b.empty() ? std::string("not known") : b == "ebpf" ? std::string("eBPF") : b; };
    if (client.firewallBackend.empty() && server.firewallBackend.empty())
        return {};
    if (client.firewallBackend == server.firewallBackend)
        return "firewall " + name(client.firewallBackend) + " on both nodes";
    return "firewall " + name(client.firewallBackend) + " on the client, " + name(server.firewallBackend) +
           " on the server";
}

// WireGuard between the nodes: where the tunnel and underlay columns were watched.
std::string wireguardLine(const Diagnosis &d)
{
    const std::string &c = d.client.encryptionDevice, &s = d.server.encryptionDevice;
    if (c.empty() && s.empty())
        return {};
    if (d.wireguardJudged())
        return "WireGuard " + (c == s ? c + " on both nodes" : c + " on the client, " + s + " on the server") +
               ": the tunnel column is that device (the echoes in the clear), the underlay columns its encrypted "
               "UDP packets";
    return "WireGuard " + (c.empty() ? s + " on the server only" : s.empty() ? c + " on the client only" : c + " and " + s) +
           ": the echoes could not be followed through it (no evidence on the nodes' hops)";
}

std::string pad(std::string s, std::size_t w)
{
    if (s.size() < w)
        s.append(w - s.size(), ' ');
    return s;
}

// `line` in lines of at most `width` columns: the first after `indent`, the rest after
// `hanging` (the same as the first when not given).
std::string fold(const std::string &line, std::size_t width, const std::string &indent,
                 const std::optional<std::string> &hanging = std::nullopt)
{
    if (line.size() + indent.size() <= width)
        return indent + line + "\n";
    // Break at the last space that fits; a word longer than the width is cut.
    std::string out;
    std::size_t i = 0;
    while (i < line.size()) {
        const std::string &lead = i == 0 || !hanging ? indent : *hanging;
        const std::size_t room = width > lead.size() + 10 ? width - lead.size() : 10;
        std::size_t take = std::min(room, line.size() - i);
        if (i + take < line.size()) {
            const std::size_t space = line.rfind(' ', i + take);
            if (space != std::string::npos && space > i)
                take = space - i;
        }
        out += lead + line.substr(i, take) + "\n";
        i += take;
        while (i < line.size() && line[i] == ' ')
            ++i;
    }
    return out;
}

// What the hops' marks mean, one legend for every layout: bracketed as the lanes and rows
// draw them (as many to a line as `width` takes), or bare as the compact lanes do.
std::string markLegend(bool bare, std::size_t width)
{
    struct LegendItem {
        const char *mark, *bareMark, *meaning;
    };
    static constexpr LegendItem kLegend[] = {{"[ ok ]", "ok", "seen"},
                                             {"[FAIL]", "FAIL", "lost here"},
                                             {"[ -- ]", "--", "did not reach: lost before"},
                                             {"[ ?? ]", "??", "no evidence"},
                                             {"[skip]", "skip", "not on this path"}};
    if (bare) {
        std::string marks = "marks:";
        for (const auto &item : kLegend)
            marks += std::string(marks.back() == ':' ? " " : ", ") + item.bareMark + " " + item.meaning;
        return fold(marks, width, "");
    }
    std::string legend = std::string(10, ' ') + "marks:";
    for (const auto &entry : kLegend) {
        const std::string item = std::string(entry.mark) + " " + entry.meaning;
        const std::size_t lineStart = legend.rfind('\n') == std::string::npos ? 0 : legend.rfind('\n') + 1;
        const bool first = legend.back() == ':';
        if (!first && legend.size() - lineStart + 2 + item.size() > width)
            legend += "\n" + std::string(17, ' ') + item;
        else
            legend += std::string(first ? " " : "  ") + item;
    }
    return legend + "\n";
}

Status fateTone(StreamFate f)
{
    switch (f) {
    case StreamFate::Seen: return Status::Pass;
    case StreamFate::LostHere: return Status::Fail;
    case StreamFate::NoEvidence: return Status::Unknown;
    case StreamFate::NotReached:
    case StreamFate::Skipped: break;
    }
    return Status::Skipped;
}

// "burst 5 of 5 seen; full-size probe 0 of 5 seen, 5 lost here": a hop's counts, one stream at a time, each adding up to what was sent.
std::string perStreamCounts(const HopVerdict &h)
{
    std::string out;
    for (const auto &s : h.streams)
        if (streamFate(s) != StreamFate::Skipped)  // the nodes' pings at a pod's end
            out += (out.empty() ? "" : "; ") + s.stream + " " + streamCountText(s, false);
    return out;
}

// One lane per stream per direction: columns are the devices (client tunnel, client
// underlay, server underlay, server tunnel; with pods, each pod's interface at its end),
// so the request reads left to right and the reply right to left, and a stream lost at
// one hop shows where its lane stops.
// "[ ok ]" -> "ok", "[ -- ]" -> "--": the marks without their brackets, for a narrow terminal.
std::string bareMark(StreamFate f)
{
    std::string m(streamMark(f));
    std::string out;
    for (char ch : m)
        if (ch != '[' && ch != ']' && ch != ' ')
            out += ch;
    return out;
}

std::string streamLanes(const Diagnosis &d, const Painter &p, const std::vector<std::string> &labels, std::size_t width)
{
    std::vector<HopId> request{HopId::RequestClientTunnel, HopId::RequestClientEgress, HopId::RequestServerIngress,
                               HopId::RequestServerTunnel};
    std::vector<HopId> reply{HopId::ReplyClientTunnel, HopId::ReplyClientIngress, HopId::ReplyServerEgress,
                             HopId::ReplyServerTunnel};
    std::vector<std::string> heads{"tunnel", "underlay", "underlay", "tunnel"};
    if (d.pods) {
        request.insert(request.begin(), HopId::RequestClientPod);
        request.push_back(HopId::RequestServerPod);
        reply.insert(reply.begin(), HopId::ReplyClientPod);
        reply.push_back(HopId::ReplyServerPod);
        heads.insert(heads.begin(), "pod");
        heads.push_back("pod");
    }
    const std::size_t n = request.size(), middle = n / 2 - 1;  // the underlay crossing follows column `middle`
    std::size_t countW = 3, labelW = 0;
    for (const HopId id : d.path())
        for (const auto &s : d.hop(id).streams)
            if (const StreamFate f = streamFate(s); f == StreamFate::Seen || f == StreamFate::LostHere)
                countW = std::max(countW, streamCount(s).size());
    for (const auto &l : labels)
        labelW = std::max(labelW, l.size());
    // The full layout ("[ ok ] 5/5  >  "), or, where that would not fit the terminal, the
    // same lanes with bare marks, tight arrows and the direction on a line of its own.
    const bool compact = (10 + labelW + 1) + n * (7 + countW) + (n - 2) * 5 + 7 > width;
    const std::size_t cellW = compact ? 5 + countW : 7 + countW, lead = compact ? labelW + 1 : 10 + labelW + 1;
    auto at = [](const HopVerdict &h, std::size_t i) -> const StreamAtHop * {
        return i < h.streams.size() ? &h.streams[i] : nullptr;
    };
    auto cell = [&](HopId id, std::size_t i) {
        const StreamAtHop *s = at(d.hop(id), i);
        const StreamFate f = s ? streamFate(*s) : StreamFate::NoEvidence;
        // The nodes' pings never pass a pod's end: an empty cell, not a mark.
        if (isPodHop(id) && f == StreamFate::Skipped)
            return std::string(cellW, ' ');
        std::string text = compact ? bareMark(f) : std::string(streamMark(f));
        if (s && (f == StreamFate::Seen || f == StreamFate::LostHere))
            text += " " + streamCount(*s);
        const bool first = f == StreamFate::LostHere && d.firstFailingHop && *d.firstFailingHop == id;
        return p.paint(pad(text, cellW), fateTone(f), first);
    };
    // The arrow out of a hop is drawn while the stream still flows from it.
    auto flows = [&](HopId from, std::size_t i) {
        const StreamAtHop *s = at(d.hop(from), i);
        return s && streamFate(*s) == StreamFate::Seen;
    };
    auto skipped = [&](HopId id, std::size_t i) {
        const StreamAtHop *s = at(d.hop(id), i);
        return s && streamFate(*s) == StreamFate::Skipped && isPodHop(id);
    };
    auto gap = [&](std::size_t c) { return std::size_t(c == middle ? 7 : 5) - (compact ? 2 : 0); };
    std::string out;
    const std::string client = "CLIENT " + orNotKnown(d.client.hostname.empty() ? d.client.host : d.client.hostname);
    const std::string server = "SERVER " + orNotKnown(d.server.hostname.empty() ? d.server.host : d.server.hostname);
    std::size_t clientW = 0;
    for (std::size_t c = 0; c <= middle; ++c)
        clientW += cellW + gap(c);
    out += std::string(lead, ' ') + pad(client, clientW) + server + "\n";
    std::string headLine = std::string(lead, ' ');
    for (std::size_t c = 0; c < n; ++c)
        headLine += c + 1 < n ? pad(heads[c], cellW + gap(c)) : heads[c];
    out += headLine + "\n";
    for (const bool req : {true, false}) {
        const std::vector<HopId> &cols = req ? request : reply;
        if (compact)
            out += req ? "request\n" : "reply\n";
        for (std::size_t i = 0; i < labels.size(); ++i) {
            std::string line = (compact ? std::string() : pad(i == 0 ? (req ? "request" : "reply") : "", 10)) +
                               pad(labels[i], labelW + 1);
            for (std::size_t c = 0; c < n; ++c) {
                line += cell(cols[c], i);
                if (c + 1 == n)
                    break;
                // Request: the hop on the left feeds the one on the right; reply: the other way.
                // Nothing flows into or out of a pod's end the stream never passes.
                const bool on = (req ? flows(cols[c], i) : flows(cols[c + 1], i)) && !skipped(cols[c], i) &&
                                !skipped(cols[c + 1], i);
                const std::string arrow = c == middle ? (req ? " >>> " : " <<< ") : (req ? " > " : " < ");
                const std::string drawn = compact ? arrow : " " + arrow + " ";
                line += on ? drawn : std::string(drawn.size(), ' ');
            }
            while (!line.empty() && line.back() == ' ')
                line.pop_back();
            out += line + "\n";
        }
    }
    if (compact) {
        out += markLegend(true, width);
        if (const std::string key = streamsKey(d); !key.empty())
            out += fold("streams: " + key, width, "");
        return out + "\n";
    }
    out += markLegend(false, width);
    if (const std::string key = streamsKey(d); !key.empty())
        out += fold("streams: " + key, width, std::string(10, ' '));
    return out + "\n";
}

} // namespace

std::string renderTerminal(const Diagnosis &fromNodes, const TerminalStyle &style)
{
    // Node text reaches the reader only escaped (a node must not drive their terminal).
    const Diagnosis printableD = printableCopy(fromNodes);
    const Diagnosis &d = printableD;
    const Painter p{style.color};
    const std::size_t width = std::size_t(std::max(style.width, 60));
    std::string out;

    std::string verdict;
    switch (d.verdict) {
    case Verdict::Pass:
        verdict = p.paint(std::string("PASS: ") + (d.pods ? "the pods reach each other, and " : "") +
                              (d.mode == Encapsulation::None ? "the path between the nodes" : "the overlay path") +
                              " works both ways" +
                              (d.ipv6Judged()  ? " (IPv4 and IPv6)"
                               : d.dualStack() ? " (IPv4; the IPv6 path was not judged)"
                                               : ""),
                          Status::Pass);
        break;
    case Verdict::Fail:
        verdict = p.paint("FAIL at " + (d.firstFailingHop ? std::string(hopInfo(*d.firstFailingHop).title)
                                            : d.findings.empty() ? std::string("a check")
                                                                 : blamedName(d.findings.front().blames, tunnelled(d.mode))),
                          Status::Fail);
        break;
    case Verdict::Error: verdict = p.paint("COULD NOT DIAGNOSE: " + d.error, Status::Unknown); break;
    case Verdict::Incomplete: verdict = p.paint("NOT PROVEN: " + d.error, Status::Unknown); break;
    }
    // Header lines fold under their label where the terminal is narrower than they are.
    const std::string title = fold("PodPath  mode " + std::string(toString(d.mode)) + "  " +
                                       (d.startedAt.empty() ? std::string()
                                        : d.recorded      ? "recorded " + readableTime(d.startedAt) + " (replayed from a recording)"
                                                          : "started " + readableTime(d.startedAt)),
                                   width, "", std::string(9, ' '));
    out += p.bold("PodPath") + title.substr(7);
    out += fold(nodeLine("client", d.client, d.mode), width, "", std::string(7, ' '));
    out += fold(nodeLine("server", d.server, d.mode), width, "", std::string(7, ' '));
    if (const std::string fw = firewallLine(d.client, d.server); !fw.empty())
        out += fold(fw, width, "", std::string(9, ' '));
    if (const std::string wg = wireguardLine(d); !wg.empty())
        out += fold(wg, width, "", std::string(10, ' '));
    if (d.pods) {
        auto pod = [](const PodEnd &e) {
            return e.ip + (e.interface.empty() ? std::string(" (not found on its node)") : " (" + e.interface + ")");
        };
        // "ICMP", or "ICMP and TCP 8080": the ping always runs beside the port asked about.
        std::string asked = "ICMP";
        if (d.pods->port > 0 && d.pods->protocol != "icmp") {
            std::string proto = d.pods->protocol;
            for (char &ch : proto)
                ch = char(std::toupper(static_cast<unsigned char>(ch)));
            asked += " and " + proto + " " + std::to_string(d.pods->port) + (d.pods->tool.empty() ? "" : " (" + d.pods->tool + ")");
        }
        out += fold("pods   " + pod(d.pods->client) + " -> " + pod(d.pods->server) + ", " + asked, width, "",
                    std::string(7, ' '));
    }
    out += fold("verdict: " + verdict, width, "", std::string(9, ' ')) + "\n";

    const std::vector<std::string> labels = streamLabels(d);
    const bool perStream = labels.size() > 1;
    auto cell = [&](HopId id) {
        const HopVerdict &h = d.hop(id);
        const StreamFate f = hopFate(h);
        std::string label = std::string(streamMark(f)) + " " + std::string(hopInfo(id).title);
        const bool first = d.firstFailingHop && *d.firstFailingHop == id;
        return p.paint(pad(label, 26), fateTone(f), first);
    };
    // Columns: client tunnel | client underlay | network | server underlay | server tunnel
    // One stream (a ping without -M sends no full-size probe): the hops by name in a
    // row, where they fit; else its lane, which fits anywhere. Without streams (a saved
    // diagnosis from before they were judged) only the row tells the hops' marks.
    const bool lanes = perStream || (!labels.empty() && 10 + 4 * 26 + 11 > width);
    if (lanes)
        out += streamLanes(d, p, labels, width);
    else
        out += "          " + pad("CLIENT " + orNotKnown(d.client.hostname.empty() ? d.client.host : d.client.hostname), 56) +
           "SERVER " + orNotKnown(d.server.hostname.empty() ? d.server.host : d.server.hostname) + "\n";
    if (!lanes) {
        out += "request   " + cell(HopId::RequestClientTunnel) + " > " + cell(HopId::RequestClientEgress) + " >>> " +
               cell(HopId::RequestServerIngress) + " > " + cell(HopId::RequestServerTunnel) + "\n";
        out += "reply     " + cell(HopId::ReplyClientTunnel) + " < " + cell(HopId::ReplyClientIngress) + " <<< " +
               cell(HopId::ReplyServerEgress) + " < " + cell(HopId::ReplyServerTunnel) + "\n";
        out += markLegend(false, width) + "\n";
    }

    // Hops nothing reached after the break share one line: they only repeat where it was.
    std::vector<const HopVerdict *> notReached;
    for (const HopId id : d.path()) {
        const HopVerdict &h = d.hop(id);
        if (h.status == Status::Pass && h.evidence.empty())
            continue;
        if (h.status != Status::Fail && !(d.firstFailingHop && *d.firstFailingHop == h.id) && h.status != Status::Unknown)
            continue;
        if (hopFate(h) == StreamFate::NotReached) {
            notReached.push_back(&h);
            continue;
        }
        // The hop's name as drawn above; its id (JSON's) as secondary detail.
        std::string counts;
        if (const std::string each = perStream ? perStreamCounts(h) : std::string(); !each.empty())
            counts = " (" + each + ")";
        else if (h.status == Status::Pass || h.status == Status::Fail)
            counts = " (" + std::to_string(h.seen) + " of " + std::to_string(h.expected) + " seen)";
        out += fold(std::string(streamMark(hopFate(h))) + " " + std::string(hopInfo(h.id).title) + " [" +
                        std::string(hopInfo(h.id).key) + "]" + counts + ": " + h.explanation,
                    width, "", std::string(4, ' '));
        for (const auto &e : h.evidence)
            out += fold(e, width, "    ");
        if (const std::string cut = evidenceCutNote(d, h); !cut.empty() && !h.evidence.empty())
            out += fold(cut, width, "    ");
    }
    if (!notReached.empty()) {
        std::string names;
        for (const HopVerdict *h : notReached)
            names += (names.empty() ? "" : ", ") + std::string(hopInfo(h->id).title);
        // The same mark as their lanes above.
        out += fold(std::string(streamMark(StreamFate::NotReached)) + " " + names + ": " + notReached.front()->explanation,
                    width, "", std::string(4, ' '));
    }

    if (!d.checks.empty()) {
        out += p.bold("Checks") + "\n";
        // Named as the window and the documents name them; the id (JSON's) as secondary detail.
        std::size_t nameW = 0;
        for (const auto &c : d.checks)
            nameW = std::max(nameW, checkTitle(c.id, tunnelled(d.mode)).size() + c.id.size() + 3);
        // The details in a column of their own where it leaves them room, else under the name.
        const std::size_t column = 2 + 6 + 1 + nameW + 1;
        for (const auto &c : d.checks) {
            const std::string head = "  " + p.paint(std::string(hopMark(c.status)), c.status) + " " + checkTitle(c.id, tunnelled(d.mode)) +
                                     " [" + c.id + "]";
            if (column + 30 <= width)
                out += head + std::string(nameW - (checkTitle(c.id, tunnelled(d.mode)).size() + c.id.size() + 3), ' ') + " " +
                       fold(c.detail, width, std::string(column, ' ')).substr(column);
            else
                out += head + "\n" + fold(c.detail, width, std::string(9, ' '));
        }
        out += "\n";
    }
    if (!d.findings.empty()) {
        out += p.bold("Findings") + "\n";
        for (const auto &f : d.findings) {
            const Status tone = f.severity >= Severity::Error ? Status::Fail
                                : f.severity == Severity::Warning ? Status::Unknown
                                                                  : Status::Pass;
            // The finding in its own words; where it is and its code (for JSON and search) after.
            const std::string heading = f.message.empty() ? "A finding at " + blamedName(f.blames, tunnelled(d.mode)) : f.message;
            const std::string severity(toString(f.severity));
            const std::string folded = fold(severity + ": " + heading + " [" + f.code + "]", width, "  ");
            out += "  " + p.paint(severity, tone) + folded.substr(2 + severity.size());
            out += fold("at " + blamedName(f.blames, tunnelled(d.mode)) + " [" + f.blames + "]", width, "    ");
            for (const auto &e : f.evidence)
                out += fold(e, width, "      | ");
            if (!f.nextStep.empty())
                out += fold("next: " + f.nextStep, width, "    ");
        }
    }
    return out;
}

} // namespace podpath::report
