#include "port_probe.h"

#include "parse/text.h"

#include <algorithm>

namespace podpath::diagnose {

using remote::RemoteCommand;

std::string_view toString(Transport t)
{
    switch (t) {
    case Transport::Icmp: return "icmp";
    case Transport::Tcp: return "tcp";
    case Transport::Udp: return "udp";
    }
    return "icmp";
}

std::optional<Transport> parseTransport(std::string_view text)
{
    for (Transport t : {Transport::Icmp, Transport::Tcp, Transport::Udp})
        if (text == toString(t))
            return t;
    return std::nullopt;
}

std::string portWords(Transport t, std::optional<remote::Port> port)
{
    if (t == Transport::Icmp || !port)
        return t == Transport::Icmp ? "ICMP" : t == Transport::Tcp ? "TCP" : "UDP";
    return std::string(t == Transport::Tcp ? "TCP " : "UDP ") + port->toString();
}

std::string toolWords(ProbeTool t, Transport over)
{
    if (t == ProbeTool::Netcat)
        return "nc";
    return over == Transport::Udp ? "bash /dev/udp" : "bash /dev/tcp";
}

RemoteCommand connectCommand(ProbeTool tool, const remote::Word &netns, Transport t, Ipv4 to, remote::Port port,
                             remote::Seconds wait)
{
    auto cmd = RemoteCommand("ip").flag("netns").flag("exec").arg(netns);
    if (tool == ProbeTool::Bash) {
        // The address and port reach the fixed script as $0 and $1, never as its text.
        cmd.flag("bash").flag("-c");
        if (t == Transport::Udp)
            cmd.script(R"(exec 3<>"/dev/udp/$0/$1" && printf podpath >&3)");
        else
            cmd.script(R"(exec 3<>"/dev/tcp/$0/$1")");
        return cmd.arg(to).arg(port);
    }
    cmd.flag("nc").flag("-z").flag("-v").flag("-w").arg(wait);
    if (t == Transport::Udp)
        cmd.flag("-u");
    return cmd.arg(to).arg(port);
}

ConnectAttempt classifyAttempt(Transport t, std::optional<int> exitStatus, bool timedOut, std::string_view err)
{
    ConnectAttempt a;
    std::vector<std::string_view> lines;
    for (std::string_view rest = err; !rest.empty();) {
        const auto nl = rest.find('\n');
        if (const std::string_view line = text::trim(rest.substr(0, nl)); !line.empty())
            lines.push_back(line);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    }
    // The last line says it best: bash prints "connect: ..." then the redirection's failure.
    const std::string_view last = lines.empty() ? std::string_view() : lines.back();
    a.words = std::string(last.substr(0, 200));
    const auto says = [&](std::string_view w) { return err.find(w) != std::string_view::npos; };
    if (exitStatus == 127 || (says("No such file or directory") && (says("exec of") || says("failed to run command")))) {
        a.outcome = ConnectOutcome::ToolMissing;
    } else if (says("invalid option") || says("illegal option") || says("unrecognized option") ||
               says("unknown option") ||
               (says("No such file or directory") && (says("/dev/tcp/") || says("/dev/udp/")))) {
        // Before any network words: a tool that refused its options, or a bash without
        // /dev/tcp, sent nothing; its failure says nothing about the path. The first line
        // is the complaint (BusyBox prints its usage after it).
        a.outcome = ConnectOutcome::ToolUnusable;
        a.words = std::string(lines.front().substr(0, 200));
    } else if (says("Connection refused")) {
        a.outcome = ConnectOutcome::Refused;
    } else if (says("No route to host")) {
        a.outcome = ConnectOutcome::Unreachable;
    } else if (says("Network is unreachable")) {
        a.outcome = ConnectOutcome::NoRoute;
    } else if (timedOut || exitStatus == 124 || says("timed out")) {
        a.outcome = ConnectOutcome::NoAnswer;
    } else if (t == Transport::Udp && exitStatus == 1 && last.empty()) {
        a.outcome = ConnectOutcome::Refused;  // nc -u: an ICMP port unreachable came back
    } else if (exitStatus == 0) {
        a.outcome = t == Transport::Udp ? ConnectOutcome::Sent : ConnectOutcome::Connected;
    } else {
        a.outcome = ConnectOutcome::Failed;
    }
    return a;
}

int PortProbeOutcome::count(ConnectOutcome o) const
{
    return int(std::count_if(attempts.begin(), attempts.end(), [o](const ConnectAttempt &a) { return a.outcome == o; }));
}

bool PortProbeOutcome::someLost() const
{
    return count(ConnectOutcome::NoAnswer) + count(ConnectOutcome::Unreachable) + count(ConnectOutcome::NoRoute) > 0;
}

std::string probeSentence(const PortProbeOutcome &p, Ipv4 to)
{
    const std::string what = portWords(p.transport, p.port) + " on " + to.toString();
    if (!p.ran())
        return "No " + portWords(p.transport, std::nullopt) + " probe was sent to " + what + ": " + p.problem;
    const int n = int(p.attempts.size());
    const std::string tool = " (" + toolWords(*p.tool, p.transport) + ")";
    if (p.transport == Transport::Udp) {
        const int refused = p.count(ConnectOutcome::Refused), sent = p.count(ConnectOutcome::Sent) + refused;
        return std::to_string(sent) + " of " + std::to_string(n) + (n == 1 ? " datagram" : " datagrams") + " sent to " +
               what + tool +
               (refused > 0 ? "; " + std::to_string(refused) + " came back port unreachable: they reached the pod, where "
                                                               "nothing listens"
                            : "; UDP has no answer to wait for: the policy chains' counters say what became of them");
    }
    std::vector<std::string> parts;
    const auto add = [&](ConnectOutcome o, const char *words) {
        if (const int k = p.count(o))
            parts.push_back(std::to_string(k) + " " + words);
    };
    add(ConnectOutcome::Connected, "connected");
    add(ConnectOutcome::Refused, "refused (a reset came back)");
    add(ConnectOutcome::NoAnswer, "got no answer");
    add(ConnectOutcome::Unreachable, "came back unreachable");
    add(ConnectOutcome::NoRoute, "found no route in the pod");
    add(ConnectOutcome::Failed, "failed");
    add(ConnectOutcome::ToolMissing, "found no tool");
    add(ConnectOutcome::ToolUnusable, "could not be made by the tool");
    std::string s = "Connections to " + what + tool + ": ";
    if (parts.size() == 1) {
        // "3 of 3 connected"
        const auto space = parts.front().find(' ');
        s += parts.front().substr(0, space) + " of " + std::to_string(n) + parts.front().substr(space);
    } else {
        for (std::size_t i = 0; i < parts.size(); ++i)
            s += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
        s += ", of " + std::to_string(n);
    }
    for (const auto &a : p.attempts)
        if (a.outcome == ConnectOutcome::Failed && !a.words.empty())
            return s + " (" + a.words + ")";
    return s;
}

} // namespace podpath::diagnose
