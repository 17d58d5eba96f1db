#include "diagnosis.h"

#include "finding_codes.h"

namespace podpath::diagnose {

template <class E, std::size_t N>
static std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N> &table, std::string_view s)
{
    for (const auto &[value, name] : table)
        if (name == s)
            return value;
    return std::nullopt;
}

template <class E, std::size_t N>
static std::string_view name(const std::array<std::pair<E, std::string_view>, N> &table, E e)
{
    for (const auto &[value, n] : table)
        if (value == e)
            return n;
    return "unknown";
}

static constexpr std::array<std::pair<Encapsulation, std::string_view>, 6> kEncapsulations = {{
    {Encapsulation::Unknown, "unknown"},
    {Encapsulation::IpIp, "ipip"},
    {Encapsulation::Vxlan, "vxlan"},
    {Encapsulation::VxlanCrossSubnetDirect, "vxlan-crosssubnet-direct"},
    {Encapsulation::IpipCrossSubnetDirect, "ipip-crosssubnet-direct"},
    {Encapsulation::None, "none"},
}};
static constexpr std::array<std::pair<Severity, std::string_view>, 4> kSeverities = {{
    {Severity::Info, "info"}, {Severity::Warning, "warning"}, {Severity::Error, "error"}, {Severity::Critical, "critical"},
}};
static constexpr std::array<std::pair<Verdict, std::string_view>, 4> kVerdicts = {{
    {Verdict::Pass, "pass"}, {Verdict::Fail, "fail"}, {Verdict::Error, "error"}, {Verdict::Incomplete, "incomplete"},
}};

std::string_view toString(Encapsulation e) { return name(kEncapsulations, e); }
std::optional<Encapsulation> encapsulationFromString(std::string_view s) { return lookup(kEncapsulations, s); }
std::string_view toString(Severity s) { return name(kSeverities, s); }
std::optional<Severity> severityFromString(std::string_view s) { return lookup(kSeverities, s); }
std::string_view toString(Verdict v) { return name(kVerdicts, v); }
std::optional<Verdict> verdictFromString(std::string_view s) { return lookup(kVerdicts, s); }

std::string nodeName(const NodeFacts &f) { return f.hostname.empty() ? f.host : f.hostname; }
std::string ipText(const std::optional<Ipv4> &a) { return a ? a->toString() : "not known"; }

StreamFate streamFate(const StreamAtHop &s)
{
    if (s.status == Status::Skipped)
        return StreamFate::Skipped;
    if (s.lostHere > 0)
        return StreamFate::LostHere;
    if (s.expected > 0)
        return StreamFate::Seen;
    return s.lostEarlier > 0 ? StreamFate::NotReached : StreamFate::NoEvidence;
}

namespace {

// The hop that carries the most streams: every stream a row or a key must name.
const HopVerdict *widestHop(const Diagnosis &d)
{
    const HopVerdict *widest = nullptr;
    for (const auto &h : d.hops)
        if (!widest || h.streams.size() > widest->streams.size())
            widest = &h;
    return widest;
}

// What a stream is, for a reader who sees only its label.
std::string streamMeaning(std::string_view stream)
{
    if (stream == kBurstStream)
        return "the burst's echoes";
    if (stream == kFullSizeStream)
        return "full-size probes, Don't Fragment set (they must cross without being split)";
    if (stream == kPodStream)
        return "the ping from inside the client pod to the server pod";
    if (stream == kIpv6Stream)
        return "the burst's echoes over IPv6, between the nodes' IPv6 tunnel addresses";
    return std::string(stream);
}

} // namespace

std::vector<std::string> streamLabels(const Diagnosis &d)
{
    std::vector<std::string> out;
    if (const HopVerdict *widest = widestHop(d))
        for (const auto &s : widest->streams)
            out.push_back(streamLabel(s));
    return out;
}

std::string streamsKey(const Diagnosis &d)
{
    const HopVerdict *widest = widestHop(d);
    if (!widest || widest->streams.size() < 2)
        return {};
    std::string key;
    for (const auto &s : widest->streams)
        key += (key.empty() ? "" : "; ") + streamLabel(s) + " = " + streamMeaning(s.stream);
    return key;
}

std::string streamLabel(const StreamAtHop &s)
{
    const bool df = s.stream == kFullSizeStream;
    if (!s.ipLength)
        return s.stream;
    const std::string family = s.stream == kPodStream ? "pod " : s.stream == kIpv6Stream ? "IPv6 " : "";
    return family + std::to_string(s.ipLength) + " B" + (df ? " DF" : "");
}

std::string streamCount(const StreamAtHop &s)
{
    switch (streamFate(s)) {
    case StreamFate::Seen:
    case StreamFate::LostHere: return std::to_string(s.seen) + "/" + std::to_string(s.expected);
    case StreamFate::NotReached: return "did not reach";
    case StreamFate::NoEvidence: return "no evidence";
    case StreamFate::Skipped: return "skipped";
    }
    return "no evidence";
}

std::string commandTiming(const CommandRecord &c)
{
    std::string t = std::to_string(c.duration.count()) + " ms";
    if (c.batchSize > 1)
        t += " for a batch of " + std::to_string(c.batchSize) + " reads";
    return t;
}

Diagnosis::Diagnosis()
{
    for (std::size_t i = 0; i < hops.size(); ++i)
        hops[i].id = kHops[i].id;
    for (std::size_t i = 0; i < podHops.size(); ++i)
        podHops[i].id = kPodHops[i].id;
}

const CheckResult *Diagnosis::check(std::string_view id) const
{
    for (const auto &c : checks)
        if (c.id == id)
            return &c;
    return nullptr;
}

std::optional<std::string> Diagnosis::burstTarget() const
{
    if (server.tunnelIp)
        return server.tunnelIp->toString();
    if (mode == Encapsulation::None && pods)
        return pods->server.ip;
    return std::nullopt;
}

bool Diagnosis::ipv6Judged() const
{
    const CheckResult *c = check("tunnel6.ping");
    return c && (c->status == Status::Pass || c->status == Status::Fail);
}

int Diagnosis::exitStatus() const
{
    switch (verdict) {
    case Verdict::Pass: return 0;
    case Verdict::Fail: return 1;
    case Verdict::Error: return 2;
    case Verdict::Incomplete: return 2;
    }
    return 2;
}

Diagnosis connectionFailure(NodeRole role, const std::string &nodeLabel, const std::string &clientLabel,
                            const std::string &serverLabel, const Error &error)
{
    const std::string c = findingCodeFor(error, kConnectionFailed);
    const std::string who = roleName(role);
    Diagnosis d;
    d.client.host = clientLabel;
    d.server.host = serverLabel;
    d.verdict = Verdict::Error;
    d.error = who + " " + nodeLabel + ": " + error.oneLine();
    d.findings.push_back({c, Severity::Critical, c == kNoPrivilege.name() ? "capture." + who : who, error.message, {},
                          error.nextStep});
    return d;
}

} // namespace podpath::diagnose
