// tcpdump's text comes from a remote node over SSH: whatever it holds, the parser
// returns a capture or an Error, and line-by-line reading agrees with the whole.
#include "parse/tcpdump_text.h"
#include "parse/text.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace podpath::parse;

namespace {

void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view input(reinterpret_cast<const char *>(data), size);
    auto result = parseTcpdumpText(input);
    if (!result) {
        check(!result.error().message.empty());
        return 0;
    }
    const TcpdumpCapture &c = *result;
    int previous = 0;
    for (const auto &p : c.packets) {
        check(p.line > previous && p.lastLine >= p.line && p.lastLine <= c.lines);
        check(!p.rawLines.empty() && p.ip.size() <= 8);
        check(p.payload == LinkPayload::Ipv4 || p.ip.empty());
        for (std::size_t i = 0; i < p.ip.size(); ++i)
            check((p.ip[i].carriedBy == IpCarrier::None) == (i == 0));
        if (const auto *inner = p.innermost())
            check(inner >= &p.ip.front() && inner <= &p.ip.back());
        previous = p.line;
    }
    for (const auto &u : c.unparsed)
        check(u.line >= 1 && u.line <= c.lines && u.packetIndex < int(c.packets.size()));
    for (const auto &e : c.problems)
        check(e.line >= 1 && e.line <= c.lines && !e.message.empty());

    TcpdumpTextReader reader;
    podpath::text::LineReader lines(input);
    std::string_view line;
    while (lines.next(line))
        reader.addLine(line);
    auto streamed = reader.finish();
    check(streamed.packets == c.packets && streamed.unparsed == c.unparsed &&
          streamed.problems.size() == c.problems.size());
    return 0;
}
