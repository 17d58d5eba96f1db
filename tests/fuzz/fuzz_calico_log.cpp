// Calico, BIRD, kubelet and container-runtime log lines: any text is a log, so the
// parser must return entries for all of it and never fail except on size.
#include "parse/bgp_sessions.h"
#include "parse/calico_log.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace podpath::parse;
    std::string_view s(reinterpret_cast<const char *>(data), size);
    CalicoLogOptions options;
    if (size > 0 && data[0] & 1)
        options.year = 2026;
    auto r = parseCalicoLog(s, options);
    if (!r.ok())
        __builtin_trap();   // only oversized input may fail, and libFuzzer inputs are small
    int previous = 0, unreadable = 0;
    for (const auto &e : r->entries) {
        if (e.line <= previous || e.lastLine < e.line)
            __builtin_trap();
        previous = e.line;
        unreadable += e.format == LogFormat::Unreadable;
        if (!e.time && e.timeSource != TimeSource::None)
            __builtin_trap();
        if (e.raw.size() > 3 * size + 16)   // invalid UTF-8 in docker JSON decodes to U+FFFD
            __builtin_trap();
    }
    if (unreadable != r->unreadableLines)
        __builtin_trap();
    CalicoLogFilter f;
    f.minimumLevel = LogLevel::Warning;
    f.sinceMicros = 0;
    f.text = size > 3 ? std::string(s.substr(0, 3)) : std::string();
    if (filterCalicoLog(*r, f).size() > r->entries.size())
        __builtin_trap();
    // BIRD's sessions from whatever the log holds: only Calico's names, each once.
    const auto sessions = bgpSessions(*r);
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        if (!bgpSessionNamed(sessions[i].name) || sessions[i].peer.empty() || sessions[i].state.empty())
            __builtin_trap();
        for (std::size_t j = i + 1; j < sessions.size(); ++j)
            if (sessions[i].name == sessions[j].name)
                __builtin_trap();
    }
    (void)parseAnyTimestamp(s, 2026);
    return 0;
}
