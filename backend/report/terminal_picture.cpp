#include "terminal_picture.h"

#include "printable_diagnosis.h"

#include <algorithm>

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

std::string orDash(const std::string &s) { return s.empty() ? "-" : s; }
std::string ipOrDash(const std::optional<Ipv4> &a) { return a ? a->toString() : "-"; }

std::string nodeLine(const char *role, const NodeFacts &n)
{
    return std::string(role) + " " + orDash(n.hostname.empty() ? n.host : n.hostname) + "  node " +
           ipOrDash(n.nodeIp) + " (" + orDash(n.underlayDevice) + ")  tunnel " + ipOrDash(n.tunnelIp) + " (" +
           orDash(n.tunnelDevice) + ")";
}

std::string pad(std::string s, std::size_t w)
{
    if (s.size() < w)
        s.append(w - s.size(), ' ');
    return s;
}

std::string fold(const std::string &line, std::size_t width, const std::string &indent)
{
    if (line.size() + indent.size() <= width)
        return indent + line + "\n";
    // Break at the last space that fits; a word longer than the width is cut.
    const std::size_t room = width - indent.size();
    std::string out;
    std::size_t i = 0;
    while (i < line.size()) {
        std::size_t take = std::min(room, line.size() - i);
        if (i + take < line.size()) {
            const std::size_t space = line.rfind(' ', i + take);
            if (space != std::string::npos && space > i)
                take = space - i;
        }
        out += indent + line.substr(i, take) + "\n";
        i += take;
        while (i < line.size() && line[i] == ' ')
            ++i;
    }
    return out;
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
    case Verdict::Pass: verdict = p.paint("PASS: the overlay path works both ways", Status::Pass); break;
    case Verdict::Fail:
        verdict = p.paint("FAIL at " + (d.firstFailingHop ? std::string(hopInfo(*d.firstFailingHop).title)
                                            : d.findings.empty() ? std::string("a check")
                                                                 : blamedName(d.findings.front().blames)),
                          Status::Fail);
        break;
    case Verdict::Error: verdict = p.paint("COULD NOT DIAGNOSE: " + d.error, Status::Unknown); break;
    case Verdict::Incomplete: verdict = p.paint("NOT PROVEN: " + d.error, Status::Unknown); break;
    }
    out += p.bold("PodPath") + "  mode " + std::string(toString(d.mode)) + "  " +
           (d.recorded ? "recorded " + d.startedAt + " (replayed from a recording)" : d.startedAt) + "\n";
    out += nodeLine("client", d.client) + "\n";
    out += nodeLine("server", d.server) + "\n";
    out += "verdict: " + verdict + "\n\n";

    auto cell = [&](HopId id) {
        const HopVerdict &h = d.hop(id);
        std::string label = std::string(hopMark(h.status)) + " " + std::string(hopInfo(id).title);
        const bool first = d.firstFailingHop && *d.firstFailingHop == id;
        return p.paint(pad(label, 26), h.status, first);
    };
    // Columns: client tunnel | client underlay | network | server underlay | server tunnel
    out += "          " + pad("CLIENT " + orDash(d.client.hostname.empty() ? d.client.host : d.client.hostname), 56) +
           "SERVER " + orDash(d.server.hostname.empty() ? d.server.host : d.server.hostname) + "\n";
    out += "request   " + cell(HopId::RequestClientTunnel) + " > " + cell(HopId::RequestClientEgress) + " >>> " +
           cell(HopId::RequestServerIngress) + " > " + cell(HopId::RequestServerTunnel) + "\n";
    out += "reply     " + cell(HopId::ReplyClientTunnel) + " < " + cell(HopId::ReplyClientIngress) + " <<< " +
           cell(HopId::ReplyServerEgress) + " < " + cell(HopId::ReplyServerTunnel) + "\n";
    out += "          marks: [ ok ] seen  [FAIL] lost here  [ ?? ] no evidence  [skip] not run\n\n";

    for (const auto &h : d.hops) {
        if (h.status == Status::Pass && h.evidence.empty())
            continue;
        if (h.status != Status::Fail && !(d.firstFailingHop && *d.firstFailingHop == h.id) && h.status != Status::Unknown)
            continue;
        // The hop's name as drawn above; its id (JSON's) as secondary detail.
        out += std::string(hopMark(h.status)) + " " + std::string(hopInfo(h.id).title) + " [" +
               std::string(hopInfo(h.id).key) + "] (" + std::to_string(h.seen) + "/" + std::to_string(h.expected) +
               " seen): " + h.explanation + "\n";
        for (const auto &e : h.evidence)
            out += fold(e, width, "    ");
    }

    if (!d.checks.empty()) {
        out += p.bold("Checks") + "\n";
        for (const auto &c : d.checks)
            out += "  " + p.paint(std::string(hopMark(c.status)), c.status) + " " + pad(c.id, 16) + " " + c.detail + "\n";
        out += "\n";
    }
    if (!d.findings.empty()) {
        out += p.bold("Findings") + "\n";
        for (const auto &f : d.findings) {
            const Status tone = f.severity >= Severity::Error ? Status::Fail
                                : f.severity == Severity::Warning ? Status::Unknown
                                                                  : Status::Pass;
            out += "  " + p.paint(std::string(toString(f.severity)), tone) + " " + f.code + " at " + blamedName(f.blames) + " [" + f.blames + "]\n";
            out += fold(f.message, width, "    ");
            for (const auto &e : f.evidence)
                out += fold(e, width, "      | ");
            if (!f.nextStep.empty())
                out += fold("next: " + f.nextStep, width, "    ");
        }
    }
    return out;
}

} // namespace podpath::report
