#include "parse/ping.h"

#include "parse/text.h"

#include <algorithm>
#include <set>

namespace podpath::parse {

namespace {

using text::startsWith;
using text::endsWith;

bool contains(std::string_view s, std::string_view what) { return s.find(what) != std::string_view::npos; }

// "198.51.100.12" or "node2 (198.51.100.12)": ping prints the name when a reverse lookup worked.
// A link-local peer prints with its zone ("fe80::1%c0"): kept as text, no address.
void readPeer(std::string_view s, std::string &text, std::optional<IpAddress> &address)
{
    s = text::trim(s);
    text = std::string(s);
    if (auto a = IpAddress::parse(s)) {
        address = a;
        return;
    }
    auto open = s.rfind(" (");
    if (open != std::string_view::npos && endsWith(s, ")"))
        address = IpAddress::parse(s.substr(open + 2, s.size() - open - 3));
}

// "key=value" in a list of words; the value of the first match.
std::optional<std::string_view> field(const std::vector<std::string_view> &ws, std::string_view key)
{
    for (auto w : ws)
        if (w.size() > key.size() && startsWith(w, key) && w[key.size()] == '=')
            return w.substr(key.size() + 1);
    return std::nullopt;
}

// The sizes after the addresses: "56(84) bytes of data." (iputils, IPv4) or
// "56 data bytes" (iputils over IPv6, and busybox).
bool readSizes(std::string_view sizes, PingHeader &h)
{
    sizes = text::trim(sizes);
    if (endsWith(sizes, " data bytes")) {
        auto n = text::toUnsigned<unsigned>(sizes.substr(0, sizes.size() - 11));
        if (!n)
            return false;
        h.payloadBytes = *n;
        return true;
    }
    if (!endsWith(sizes, " bytes of data."))
        return false;
    sizes = sizes.substr(0, sizes.size() - 15);
    auto paren = sizes.find('(');
    auto payload = text::toUnsigned<unsigned>(sizes.substr(0, paren));
    if (!payload)
        return false;
    h.payloadBytes = *payload;
    if (paren != std::string_view::npos) {
        if (!endsWith(sizes, ")"))
            return false;
        h.packetBytes = text::toUnsigned<unsigned>(sizes.substr(paren + 1, sizes.size() - paren - 2));
        if (!h.packetBytes)
            return false;
    }
    return true;
}

// iputils:  "PING 198.18.1.1 (198.18.1.1) from 198.18.0.1 c0: 56(84) bytes of data."
//           "PING 2001:db8::80(2001:db8::80) from 2001:db8::40 : 56 data bytes" (IPv6; 20221126
//           prints no space before "(", later releases do; with -I IFACE "from ADDR IFACE: ...")
// busybox:  "PING 198.51.100.12 (198.51.100.12): 56 data bytes", with -I "... from ADDR: 56 data bytes"
// The two tell apart by the colon: busybox puts it straight after the address, or after
// ")" without -I; iputils after a space or the device name, and never without "from".
std::optional<PingHeader> readHeader(std::string_view line, PingFlavour &flavour)
{
    PingHeader h;
    if (line.size() <= 5)
        return std::nullopt;
    auto rest = line.substr(5);
    auto open = rest.find('(');
    if (open == std::string_view::npos)
        return std::nullopt;
    auto target = rest.substr(0, open);
    if (endsWith(target, " "))
        target.remove_suffix(1);
    if (target.empty() || contains(target, " "))
        return std::nullopt;
    h.target = std::string(target);
    auto close = rest.find(')', open);
    if (close == std::string_view::npos)
        return std::nullopt;
    h.targetAddress = IpAddress::parse(rest.substr(open + 1, close - open - 1));
    if (!h.targetAddress)
        return std::nullopt;
    rest = rest.substr(close + 1);

    bool busybox = false;
    std::string_view sizes;
    if (startsWith(rest, " from ")) {
        // An IPv6 address has colons of its own and may end in "::" ("from 2001:db8:1:: : 56
        // data bytes", busybox "from 2001:db8:1::: 56 data bytes"): the separator is the
        // last ": ", as neither the sizes nor an address hold one.
        auto from = rest.substr(6);
        auto colon = from.rfind(": ");
        if (colon == std::string_view::npos)
            return std::nullopt;
        auto who = from.substr(0, colon);
        auto ws = text::words(who);
        if (ws.empty() || ws.size() > 2)
            return std::nullopt;
        h.source = IpAddress::parse(ws[0]);
        if (!h.source)
            return std::nullopt;
        if (ws.size() == 2)
            h.sourceInterface = std::string(ws[1]);
        busybox = ws.size() == 1 && !endsWith(who, " ");
        sizes = from.substr(colon + 2);
    } else if (startsWith(rest, ": ")) {
        busybox = true;
        sizes = rest.substr(2);
    } else if (startsWith(rest, " ")) {
        sizes = rest.substr(1);
    } else {
        return std::nullopt;
    }
    if (!readSizes(sizes, h))
        return std::nullopt;
    // busybox never prints the packet size.
    if (busybox && h.packetBytes)
        return std::nullopt;
    flavour = busybox ? PingFlavour::Busybox : PingFlavour::Iputils;
    return h;
}

// "64 bytes from 198.51.100.12: icmp_seq=1 ttl=64 time=0.045 ms (DUP!)"
std::optional<PingProbe> readReply(std::string_view line)
{
    PingProbe p;
    p.reply = true;
    auto at = line.find(" bytes from ");
    p.bytes = text::toUnsigned<unsigned>(line.substr(0, at));
    if (!p.bytes)
        return std::nullopt;
    auto rest = line.substr(at + 12);
    // No address or name holds ": ", so the first one ends the peer, even after an IPv6
    // address ending in "::" ("64 bytes from 2001:db8:1::: icmp_seq=1").
    auto colon = rest.find(": ");
    if (colon == std::string_view::npos)
        return std::nullopt;
    readPeer(rest.substr(0, colon), p.from, p.fromAddress);
    auto ws = text::words(rest.substr(colon + 2));
    auto seq = field(ws, "icmp_seq");
    if (!seq)
        seq = field(ws, "seq");
    if (!seq)
        return std::nullopt;
    auto n = text::toUnsigned<std::uint32_t>(*seq);
    if (!n)
        return std::nullopt;
    p.sequence = *n;
    if (auto ttl = field(ws, "ttl")) {
        p.ttl = text::toUnsigned<unsigned>(*ttl);
        if (!p.ttl)
            return std::nullopt;
    }
    if (auto t = field(ws, "time")) {
        p.timeMs = text::toDouble(*t);
        if (!p.timeMs)
            return std::nullopt;
    }
    p.duplicate = std::find(ws.begin(), ws.end(), "(DUP!)") != ws.end();
    return p;
}

// The ICMP (IPv4) and ICMPv6 errors iputils names, mapped so that one fault reads the same
// in either family.
PingProblem classifyIcmpError(std::string_view t, std::optional<unsigned> &mtu)
{
    if (startsWith(t, "Frag needed and DF set")) {
        auto eq = t.find("mtu = ");
        if (eq != std::string_view::npos) {
            auto v = t.substr(eq + 6);
            mtu = text::toUnsigned<unsigned>(v.substr(0, v.find(')')));
        }
        return PingProblem::FragmentationNeeded;
    }
    // IPv6 routers never fragment: Packet Too Big is what frag-needed is to IPv4.
    // "Packet too big: mtu=1280", with ", code=N" when the code is not 0.
    if (startsWith(t, "Packet too big: mtu=")) {
        auto v = t.substr(20);
        mtu = text::toUnsigned<unsigned>(v.substr(0, v.find(',')));
        return PingProblem::FragmentationNeeded;
    }
    if (startsWith(t, "Destination unreachable: ")) {
        auto why = t.substr(25);
        // Neighbour discovery failed (ARP's "Destination Host Unreachable"), and a router's
        // "no route": a Linux router says Host Unreachable for the same route over IPv4, and
        // RFC 7915 translates both to host unreachable.
        if (why == "Address unreachable" || why == "No route")
            return PingProblem::DestinationHostUnreachable;
        if (why == "Port unreachable")
            return PingProblem::DestinationPortUnreachable;
        // Codes 5 and 6 (newer iputils names them): a policy or a reject route, as code 1.
        if (why == "Administratively prohibited" || why == "Source address failed ingress/egress policy" ||
            why == "Reject route to destination")
            return PingProblem::Prohibited;
        return PingProblem::Other;
    }
    if (t == "Time exceeded: Hop limit")
        return PingProblem::TimeToLiveExceeded;
    if (t == "Destination Host Unreachable")
        return PingProblem::DestinationHostUnreachable;
    if (t == "Destination Net Unreachable")
        return PingProblem::DestinationNetUnreachable;
    if (t == "Destination Port Unreachable")
        return PingProblem::DestinationPortUnreachable;
    if (t == "Destination Protocol Unreachable")
        return PingProblem::DestinationProtocolUnreachable;
    if (t == "Packet filtered" || contains(t, "Prohibited"))
        return PingProblem::Prohibited;
    if (startsWith(t, "Time to live exceeded"))
        return PingProblem::TimeToLiveExceeded;
    return PingProblem::Other;
}

// "From 198.51.100.14 icmp_seq=1 Frag needed and DF set (mtu = 1400)"
std::optional<PingProbe> readIcmpError(std::string_view line)
{
    PingProbe p;
    auto at = line.find(" icmp_seq=");
    if (at == std::string_view::npos)
        at = line.find(" seq=");
    if (at == std::string_view::npos || at < 5)
        return std::nullopt;
    readPeer(line.substr(5, at - 5), p.from, p.fromAddress);
    auto rest = line.substr(line.find('=', at) + 1);
    auto sp = rest.find(' ');
    auto n = text::toUnsigned<std::uint32_t>(rest.substr(0, sp));
    if (!n)
        return std::nullopt;
    p.sequence = *n;
    p.text = sp == std::string_view::npos ? std::string() : std::string(text::trim(rest.substr(sp)));
    p.problem = classifyIcmpError(p.text, p.mtu);
    return p;
}

PingFailure classifyFatal(std::string_view t)
{
    if (contains(t, "Network is unreachable"))
        return PingFailure::NetworkUnreachable;
    if (contains(t, "No route to host"))
        return PingFailure::NoRouteToHost;
    if (contains(t, "check your local firewall rules"))
        return PingFailure::BlockedLocally;
    if (contains(t, "unknown host") || contains(t, "Name or service not known") ||
        contains(t, "Temporary failure in name resolution") || contains(t, "No address associated with hostname") ||
        contains(t, "bad address"))
        return PingFailure::UnknownHost;
    if (contains(t, "Cannot assign requested address"))
        return PingFailure::SourceAddressNotLocal;
    // IPv6 checks -I IFACE itself: "unknown iface: eth9".
    if (contains(t, "No such device") || startsWith(t, "unknown iface"))
        return PingFailure::NoSuchDevice;
    // connect() fails with EACCES on a prohibit route; over IPv4 ping prints the firewall
    // hint above for it, over IPv6 only the errno. Not a missing privilege: the socket is open.
    if (startsWith(t, "connect: ") && contains(t, "Permission denied"))
        return PingFailure::BlockedLocally;
    if (contains(t, "Operation not permitted") || contains(t, "Permission denied"))
        return PingFailure::NotPermitted;
    if (startsWith(t, "invalid option") || startsWith(t, "unrecognized option") || startsWith(t, "option requires"))
        return PingFailure::BadOption;
    return PingFailure::Other;
}

// "12 packets transmitted, 0 received, +12 errors, 100% packet loss, time 3049ms"
// "3 packets transmitted, 3 packets received, 0% packet loss" (busybox)
std::optional<PingStatistics> readStatistics(std::string_view line)
{
    PingStatistics s;
    bool haveReceived = false, haveLoss = false;
    bool first = true;
    while (!line.empty()) {
        auto comma = line.find(", ");
        auto part = text::trim(line.substr(0, comma));
        line = comma == std::string_view::npos ? std::string_view() : line.substr(comma + 2);
        auto ws = text::words(part);
        if (ws.empty())
            return std::nullopt;
        if (first) {
            first = false;
            auto n = text::toUnsigned<unsigned>(ws[0]);
            if (!n || ws.size() != 3 || ws[1] != "packets" || ws[2] != "transmitted")
                return std::nullopt;
            s.transmitted = *n;
            continue;
        }
        if (endsWith(ws[0], "%")) {
            auto v = text::toDouble(ws[0].substr(0, ws[0].size() - 1));
            if (!v || ws.size() != 3 || ws[1] != "packet" || ws[2] != "loss")
                return std::nullopt;
            s.lossPercent = *v;
            haveLoss = true;
            continue;
        }
        if (ws[0] == "time" && ws.size() == 2 && endsWith(ws[1], "ms")) {
            s.timeMs = text::toUnsigned<unsigned>(ws[1].substr(0, ws[1].size() - 2));
            if (!s.timeMs)
                return std::nullopt;
            continue;
        }
        auto num = ws[0];
        if (startsWith(num, "+"))
            num.remove_prefix(1);
        auto n = text::toUnsigned<unsigned>(num);
        if (!n || ws.size() < 2)
            return std::nullopt;
        auto what = ws.back();
        if (what == "received") {
            s.received = *n;
            haveReceived = true;
        } else if (what == "errors") {
            s.errors = *n;
        } else if (what == "duplicates") {
            s.duplicates = *n;
        } else if (what == "corrupted") {
            s.corrupted = *n;
        } else {
            return std::nullopt;
        }
    }
    if (!haveReceived || !haveLoss)
        return std::nullopt;
    return s;
}

// "rtt min/avg/max/mdev = 0.058/0.077/0.118/0.022 ms[, pipe 2][, ipg/ewma ...]"
std::optional<PingRtt> readRtt(std::string_view line, std::optional<unsigned> &pipe)
{
    auto eq = line.find(" = ");
    if (eq == std::string_view::npos)
        return std::nullopt;
    auto rest = line.substr(eq + 3);
    auto ms = rest.find(" ms");
    if (ms == std::string_view::npos)
        return std::nullopt;
    auto numbers = rest.substr(0, ms);
    double v[4] = {};
    int count = 0;
    while (count < 4) {
        auto slash = numbers.find('/');
        auto d = text::toDouble(numbers.substr(0, slash));
        if (!d)
            return std::nullopt;
        v[count++] = *d;
        if (slash == std::string_view::npos)
            break;
        numbers = numbers.substr(slash + 1);
        if (count == 4)
            return std::nullopt;
    }
    if (count < 3)
        return std::nullopt;
    PingRtt r{v[0], v[1], v[2], std::nullopt, 0};
    if (count == 4)
        r.mdevMs = v[3];
    auto p = rest.find(", pipe ");
    if (p != std::string_view::npos) {
        auto tail = rest.substr(p + 7);
        pipe = text::toUnsigned<unsigned>(tail.substr(0, tail.find(',')));
    }
    return r;
}

Error lineError(std::string message, int line, std::string_view content)
{
    return Error{std::move(message), std::string(text::excerpt(content)),
                 "Check that the command was iputils or busybox ping and that its output was not cut or mixed",
                 line};
}

void fillUnanswered(PingResult &r)
{
    const std::uint32_t first = r.flavour == PingFlavour::Busybox ? 0 : 1;
    std::set<std::uint32_t> answered;
    std::uint32_t highest = 0;
    bool any = false;
    for (const auto &p : r.probes) {
        if (p.reply && !p.duplicate)
            answered.insert(p.sequence);
        highest = any ? std::max(highest, p.sequence) : p.sequence;
        any = true;
    }
    std::uint64_t count = 0;
    if (r.statistics)
        count = r.statistics->transmitted;
    else if (any && highest >= first)
        count = std::uint64_t(highest) - first + 1;
    if (count > kMaxPingSequences) {
        count = kMaxPingSequences;
        r.unansweredCapped = true;
    }
    for (std::uint64_t i = 0; i < count; ++i) {
        auto seq = std::uint32_t(first + i);
        if (!answered.count(seq))
            r.unanswered.push_back(seq);
    }
}

} // namespace

unsigned PingResult::repliedSequences() const
{
    std::set<std::uint32_t> seqs;
    for (const auto &p : probes)
        if (p.reply && !p.duplicate)
            seqs.insert(p.sequence);
    return unsigned(seqs.size());
}

Result<PingResult> parsePing(std::string_view output)
{
    if (output.size() > text::kMaxInputBytes)
        return Error{"ping output is too large to be real ping output", std::to_string(output.size()) + " bytes",
                     "Run ping with a bounded count (-c) and deadline (-w)", 0};

    PingResult r;
    bool recognisedAny = false;
    const bool endsInNewline = !output.empty() && output.back() == '\n';
    text::LineReader reader(output);
    std::string_view line;
    while (reader.next(line)) {
        const int n = reader.lineNumber();
        // A line cut off by a dropped connection is the last one and lacks its newline.
        const bool mayBeCut = reader.atEnd() && !endsInNewline;
        auto bad = [&](const char *what) -> std::optional<Error> {
            if (mayBeCut) {
                r.truncated = true;
                r.unrecognized.push_back({n, std::string(text::excerpt(line))});
                return std::nullopt;
            }
            return lineError(what, n, line);
        };
        auto trimmed = text::trim(line);
        if (trimmed.empty())
            continue;

        if (startsWith(line, "PING ")) {
            if (r.header)
                return lineError("A second ping header: two ping runs are mixed in one output", n, line);
            if (auto h = readHeader(text::trim(line), r.flavour)) {
                h->line = n;
                r.header = std::move(h);
                recognisedAny = true;
            } else if (auto e = bad("Unreadable ping header line")) {
                return *e;
            }
        } else if (startsWith(line, "--- ") && endsWith(trimmed, " ping statistics ---")) {
            recognisedAny = true;
        } else if (contains(line, " packets transmitted, ")) {
            if (auto s = readStatistics(trimmed)) {
                s->line = n;
                r.statistics = s;
                recognisedAny = true;
            } else if (auto e = bad("Unreadable ping summary line")) {
                return *e;
            }
        } else if (startsWith(line, "rtt ") || startsWith(line, "round-trip ")) {
            if (auto rtt = readRtt(trimmed, r.pipe)) {
                rtt->line = n;
                r.rtt = rtt;
                recognisedAny = true;
            } else if (auto e = bad("Unreadable ping round-trip line")) {
                return *e;
            }
        } else if (startsWith(line, "pipe ")) {
            r.pipe = text::toUnsigned<unsigned>(text::trim(line.substr(5)));
            if (r.pipe) {
                recognisedAny = true;
            } else if (auto e = bad("Unreadable ping pipe line")) {
                return *e;
            }
        } else if (!line.empty() && line[0] >= '0' && line[0] <= '9' && contains(line, " bytes from ")) {
            if (auto p = readReply(trimmed)) {
                p->line = n;
                r.probes.push_back(std::move(*p));
                recognisedAny = true;
            } else if (auto e = bad("Unreadable ping reply line")) {
                return *e;
            }
        } else if (startsWith(line, "From ")) {
            if (auto p = readIcmpError(trimmed)) {
                p->line = n;
                r.probes.push_back(std::move(*p));
                recognisedAny = true;
            } else if (auto e = bad("Unreadable ping error line")) {
                return *e;
            }
        } else if (startsWith(line, "no answer yet for icmp_seq=")) {
            auto seq = text::toUnsigned<std::uint32_t>(text::trim(line.substr(27)));
            if (seq) {
                PingProbe p;
                p.line = n;
                p.sequence = *seq;
                p.problem = PingProblem::NoAnswerYet;
                p.text = "no answer yet";
                r.probes.push_back(std::move(p));
                recognisedAny = true;
            } else if (auto e = bad("Unreadable ping no-answer line")) {
                return *e;
            }
        } else if (startsWith(line, "ping: ")) {
            recognisedAny = true;
            auto t = text::trim(line.substr(6));
            if (startsWith(t, "local error: ")) {
                PingLocalError le{n, PingProblem::Other, std::nullopt, std::string(t)};
                if (startsWith(t, "local error: message too long")) {
                    le.problem = PingProblem::MessageTooLong;
                    // "mtu=1450" over IPv4, "mtu: 1430" over IPv6.
                    auto eq = t.find("mtu");
                    if (eq != std::string_view::npos) {
                        auto v = t.substr(eq + 3);
                        if (startsWith(v, "="))
                            le.mtu = text::toUnsigned<unsigned>(v.substr(1));
                        else if (startsWith(v, ": "))
                            le.mtu = text::toUnsigned<unsigned>(v.substr(2));
                    }
                }
                r.localErrors.push_back(std::move(le));
            } else if (startsWith(t, "sendmsg: ")) {
                r.localErrors.push_back({n, PingProblem::SendFailed, std::nullopt, std::string(t)});
            } else if (startsWith(t, "Warning: ") || startsWith(t, "WARNING: ")) {
                r.warnings.emplace_back(t);
            } else if (!r.fatal) {
                const PingFailure failure = classifyFatal(t);
                // A cut local error ("ping: local err") would read as a failure of its own and
                // stop the reading of the run: unless its words already name a known failure,
                // the cut line is taken as truncation.
                if (mayBeCut && failure == PingFailure::Other) {
                    r.truncated = true;
                    r.unrecognized.push_back({n, std::string(text::excerpt(line))});
                    continue;
                }
                r.fatal = PingFatal{n, failure, std::string(t)};
                // What follows a refused option is the usage text: nothing more to read.
                if (r.fatal->failure == PingFailure::BadOption)
                    break;
            } else {
                r.warnings.emplace_back(t);
            }
        } else if (startsWith(line, "WARNING: ") || startsWith(line, "Warning: ")) {
            r.warnings.emplace_back(trimmed);
            recognisedAny = true;
        } else {
            r.unrecognized.push_back({n, std::string(text::excerpt(line))});
        }
    }

    if (reader.lineNumber() == 0)
        return Error{"ping printed nothing", "", "Check that ping is installed and ran", 0};
    if (!recognisedAny) {
        int first = r.unrecognized.empty() ? 1 : r.unrecognized.front().line;
        std::string ctx = r.unrecognized.empty() ? std::string() : r.unrecognized.front().text;
        return Error{"This is not ping output", ctx, "Check the command that produced it", first};
    }
    if (!r.finished())
        r.truncated = true;
    fillUnanswered(r);
    return r;
}

std::string_view toString(PingProblem problem)
{
    switch (problem) {
    case PingProblem::None: return "reply";
    case PingProblem::DestinationHostUnreachable: return "destination host unreachable";
    case PingProblem::DestinationNetUnreachable: return "destination net unreachable";
    case PingProblem::DestinationPortUnreachable: return "destination port unreachable";
    case PingProblem::DestinationProtocolUnreachable: return "destination protocol unreachable";
    case PingProblem::Prohibited: return "prohibited";
    case PingProblem::FragmentationNeeded: return "fragmentation needed";
    case PingProblem::TimeToLiveExceeded: return "time to live exceeded";
    case PingProblem::MessageTooLong: return "message too long";
    case PingProblem::SendFailed: return "send failed";
    case PingProblem::NoAnswerYet: return "no answer yet";
    case PingProblem::Other: return "other";
    }
    return "other";
}

std::string_view toString(PingFailure failure)
{
    switch (failure) {
    case PingFailure::NetworkUnreachable: return "network unreachable";
    case PingFailure::NoRouteToHost: return "no route to host";
    case PingFailure::BlockedLocally: return "blocked locally";
    case PingFailure::UnknownHost: return "unknown host";
    case PingFailure::SourceAddressNotLocal: return "source address not local";
    case PingFailure::NoSuchDevice: return "no such device";
    case PingFailure::NotPermitted: return "not permitted";
    case PingFailure::BadOption: return "bad option";
    case PingFailure::Other: return "other";
    }
    return "other";
}

} // namespace podpath::parse
