#pragma once
// The port probe of a pod-to-pod diagnosis (issue #15): connections to the server pod's
// TCP port (or datagrams to its UDP port) sent from inside the client pod's network
// namespace, with whatever the client node has. bash's /dev/tcp is tried first (on
// nearly every node), OpenBSD's nc second; which one ran is said with the result.
// ICMP needs no probe of its own: the pod ping is it.

#include "remote/command_result.h"
#include "remote/command_values.h"
#include "remote/remote_command.h"

#include "core/ipv4.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::diagnose {

enum class Transport { Icmp, Tcp, Udp };
std::string_view toString(Transport t);  // "icmp", "tcp", "udp"
std::optional<Transport> parseTransport(std::string_view text);

// "TCP 8080", "UDP 53", "ICMP": as an engineer says it.
std::string portWords(Transport t, std::optional<remote::Port> port);

enum class ProbeTool { Bash, Netcat };
std::string toolWords(ProbeTool t, Transport over);  // "bash /dev/tcp", "bash /dev/udp", "nc"

// What one attempt came to, from the tool's exit and words.
enum class ConnectOutcome {
    Connected,    // TCP: the handshake completed
    Refused,      // TCP: a reset came back (nothing listens, or a rule rejects with a reset);
                  // UDP (nc): an ICMP port unreachable came back
    NoAnswer,     // nothing came back within the attempt's time
    Unreachable,  // an ICMP unreachable came back ("No route to host")
    NoRoute,      // the pod itself has no route ("Network is unreachable")
    Sent,         // UDP: the datagram left; UDP has no answer to wait for
    ToolMissing,  // exit 127: this tool is not on the node
    ToolUnusable, // the tool is there but cannot make this probe: it refused the options
                  // (BusyBox's nc has no -z) or the bash has no /dev/tcp; nothing was sent
    Failed,       // anything else: the tool's own words say what
};

struct ConnectAttempt {
    ConnectOutcome outcome = ConnectOutcome::Failed;
    std::string words;  // the tool's first line of error output, when it printed one
};

// The command for one attempt, bounded on the node by the caller (runOn's timeout).
remote::RemoteCommand connectCommand(ProbeTool tool, const remote::Word &netns, Transport t, Ipv4 to, remote::Port port,
                                     remote::Seconds wait);
// One attempt's outcome from what the tool left. timedOut: the node's bound killed it.
ConnectAttempt classifyAttempt(Transport t, std::optional<int> exitStatus, bool timedOut, std::string_view err);

struct PortProbeOutcome {
    Transport transport = Transport::Tcp;
    std::optional<remote::Port> port;
    std::optional<ProbeTool> tool;        // what ran; nullopt when nothing could
    std::vector<ConnectAttempt> attempts;
    std::string problem;                  // why no attempt was made or could be read

    bool ran() const { return tool.has_value() && !attempts.empty(); }
    int count(ConnectOutcome o) const;
    // TCP: every attempt connected. UDP never "succeeds": nothing answers.
    bool allConnected() const { return ran() && count(ConnectOutcome::Connected) == int(attempts.size()); }
    // Some attempt was lost on the way (no answer, unreachable, no route): a path or
    // policy fault, unlike a refusal, which the server pod itself sent.
    bool someLost() const;
};

// "3 of 3 connections to TCP 8080 got no answer (bash /dev/tcp)": one sentence.
std::string probeSentence(const PortProbeOutcome &p, Ipv4 to);

} // namespace podpath::diagnose
