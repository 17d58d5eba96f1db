// The ping parser reads whatever came back over SSH: it must be total, and what it
// reports must add up. The port probe's reading of a connect attempt (bash, nc) too.
#include "diagnose/port_probe.h"
#include "parse/ping.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view s(reinterpret_cast<const char *>(data), size);
    using podpath::diagnose::ConnectOutcome;
    for (auto t : {podpath::diagnose::Transport::Tcp, podpath::diagnose::Transport::Udp}) {
        const auto a = podpath::diagnose::classifyAttempt(t, size % 3 ? std::optional<int>(int(size % 256)) : std::nullopt,
                                                          size % 2, s);
        if (a.words.size() > 200 || a.words.find('\n') != std::string::npos)
            __builtin_trap();
        // A datagram is "sent", a connection "connected": never the other's word.
        if (t == podpath::diagnose::Transport::Tcp && a.outcome == ConnectOutcome::Sent)
            __builtin_trap();
        if (t == podpath::diagnose::Transport::Udp && a.outcome == ConnectOutcome::Connected)
            __builtin_trap();
    }
    auto r = podpath::parse::parsePing(s);
    if (!r.ok()) {
        if (r.error().message.empty() || r.error().line < 0)
            __builtin_trap();
        return 0;
    }
    const auto &p = *r;
    if (p.unanswered.size() > podpath::parse::kMaxPingSequences)
        __builtin_trap();
    for (std::size_t i = 1; i < p.unanswered.size(); ++i)
        if (p.unanswered[i] <= p.unanswered[i - 1])
            __builtin_trap();
    if (p.statistics && !p.unansweredCapped && p.unanswered.size() > p.statistics->transmitted)
        __builtin_trap();
    int previous = 0;
    for (const auto &probe : p.probes) {
        if (probe.line <= previous)
            __builtin_trap();
        previous = probe.line;
        if (probe.reply != (probe.problem == podpath::parse::PingProblem::None))
            __builtin_trap();
    }
    if (!p.finished() && !p.truncated)
        __builtin_trap();
    (void)p.repliedSequences();
    return 0;
}
