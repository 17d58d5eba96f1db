#include "tcpdump_text.h"

#include "core/interface_name.h"
#include "tcpdump_fields.h"
#include "text.h"

#include <algorithm>

namespace podpath::parse {

using namespace tcpdump;

namespace {

// Deeper nesting than IPIP-in-VXLAN-in-a-quote is not something tcpdump prints for
// real traffic; the bound keeps hostile input from growing a packet without end.
constexpr std::size_t kMaxLayers = 8;

bool isInterfaceToken(std::string_view s)
{
    return s == "?" || InterfaceName::parse(s).has_value();
}

std::optional<std::uint64_t> countOf(std::string_view s) { return text::toUnsigned<std::uint64_t>(s); }

// "6 packets captured", "1 packet received by filter", "0 packets dropped by kernel".
bool readStatistics(std::string_view t, CaptureSummary &summary)
{
    std::string_view rest = t;
    auto number = text::takeWord(rest);
    auto noun = text::takeWord(rest);
    auto n = countOf(number);
    if (!n || (noun != "packets" && noun != "packet"))
        return false;
    if (rest == "captured")
        summary.packetsCaptured = n;
    else if (rest == "received by filter")
        summary.packetsReceivedByFilter = n;
    else if (rest == "dropped by kernel")
        summary.packetsDroppedByKernel = n;
    else if (rest == "dropped by interface")
        summary.packetsDroppedByInterface = n;
    else
        return false;
    return true;
}

// "any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes" (also
// tcpdump 4.9's "capture size 262144 bytes") and -r's "FILE, link-type ...".
void readLinkDescription(std::string_view s, std::string &name, CaptureSummary &summary)
{
    auto fields = splitFields(s);
    if (fields.empty())
        return;
    name = std::string(fields.front());
    for (std::size_t i = 1; i < fields.size(); ++i) {
        auto f = fields[i];
        if (text::startsWith(f, "link-type ")) {
            auto v = text::trim(f.substr(10));
            auto open = v.find(" (");
            summary.linkType = std::string(v.substr(0, open));
            if (open != std::string_view::npos && text::endsWith(v, ")"))
                summary.linkTypeDescription = std::string(v.substr(open + 2, v.size() - open - 3));
        } else if (text::startsWith(f, "snapshot length ") || text::startsWith(f, "capture size ")) {
            std::string_view v = f.substr(f.find(" ", f.find(' ') + 1) + 1);
            auto number = text::takeWord(v);
            summary.snapshotLength = text::toUnsigned<std::uint32_t>(number);
        }
    }
}

bool readBanner(std::string_view t, int line, CaptureSummary &summary)
{
    // tcpdump explains an error on a second line in parentheses: "(socket: Operation
    // not permitted)", "(No such device exists)".
    if (!summary.messages.empty() && summary.messages.back().line == line - 1 &&
        text::startsWith(t, "(") && text::endsWith(t, ")")) {
        summary.messages.push_back({line, std::string(t)});
        return true;
    }
    // -r of another host's capture: "Warning: interface names might be incorrect".
    if (text::startsWith(t, "Warning: ") || text::startsWith(t, "WARNING: ")) {
        summary.messages.push_back({line, std::string(t)});
        return true;
    }
    std::string_view body = t;
    bool prefixed = text::startsWith(body, "tcpdump: ");
    if (prefixed)
        body = text::trim(body.substr(9));
    if (text::startsWith(body, "listening on ")) {
        readLinkDescription(body.substr(13), summary.interface, summary);
        return true;
    }
    if (text::startsWith(body, "reading from file ")) {
        readLinkDescription(body.substr(18), summary.readingFrom, summary);
        return true;
    }
    if (text::startsWith(body, "dropped privs to ")) {
        summary.droppedPrivsTo = std::string(text::trim(body.substr(17)));
        return true;
    }
    if (!prefixed)
        return false;
    if (text::startsWith(body, "data link type ")) {
        if (summary.linkType.empty())
            summary.linkType = std::string(text::trim(body.substr(15)));
        return true;
    }
    if (text::startsWith(body, "verbose output suppressed")) {
        summary.verboseOutputSuppressed = true;
        return true;
    }
    summary.messages.push_back({line, std::string(t)});
    return true;
}

} // namespace

std::string_view captureDirectionName(CaptureDirection d)
{
    switch (d) {
    case CaptureDirection::In: return "in";
    case CaptureDirection::Out: return "out";
    case CaptureDirection::Broadcast: return "broadcast";
    case CaptureDirection::Multicast: return "multicast";
    case CaptureDirection::OtherHost: return "other-host";
    case CaptureDirection::Unknown: break;
    }
    return "unknown";
}

bool IpHeaderFields::dontFragment() const
{
    return std::find(flags.begin(), flags.end(), "DF") != flags.end();
}

bool IpHeaderFields::moreFragments() const
{
    return std::find(flags.begin(), flags.end(), "+") != flags.end();
}

const IpLayer *CapturedPacket::innermost() const
{
    const IpLayer *deepest = nullptr;
    for (const auto &layer : ip) {
        if (layer.carriedBy == IpCarrier::IcmpQuote)
            break;
        deepest = &layer;
    }
    return deepest;
}

bool CapturedPacket::encapsulated() const
{
    return ip.size() > 1 && (ip[1].carriedBy == IpCarrier::Ipip || ip[1].carriedBy == IpCarrier::Vxlan);
}

const IpLayer *CapturedPacket::quoted() const
{
    for (const auto &layer : ip)
        if (layer.carriedBy == IpCarrier::IcmpQuote)
            return &layer;
    return nullptr;
}

struct TcpdumpTextReader::State {
    enum class Expect {
        Nothing,
        Addresses,   // a -v header line was printed; "SRC > DST: ..." must follow
        VxlanInner,  // a VXLAN header was printed; the inner frame follows at column 0
        Quote,       // an ICMP error with -v: the quoted packet may follow
    };

    TcpdumpCapture cap;
    std::size_t bytes = 0;
    bool overflow = false;
    bool open = false;  // cap.packets.back() may still take continuation lines
    Expect expect = Expect::Nothing;
    std::size_t layer = 0;  // which layer `expect` is about

    CapturedPacket &packet() { return cap.packets.back(); }

    void problem(std::string message, std::string_view line, std::string nextStep = {})
    {
        cap.problems.push_back(Error{std::move(message), std::string(text::excerpt(line)),
                                     std::move(nextStep), cap.lines});
    }

    void unparsed(std::string_view line, std::string reason)
    {
        cap.unparsed.push_back({cap.lines, std::string(line), std::move(reason),
                                open ? static_cast<int>(cap.packets.size()) - 1 : -1});
    }

    void attach(std::string_view line)
    {
        packet().rawLines.emplace_back(line);
        packet().lastLine = cap.lines;
    }

    void close()
    {
        if (!open)
            return;
        auto &p = packet();
        if (expect == Expect::Addresses || expect == Expect::VxlanInner) {
            p.complete = false;
            cap.problems.push_back(Error{
                "packet at line " + std::to_string(p.line) + " ends before its " +
                    (expect == Expect::Addresses ? "\"SRC > DST\" line" : "inner VXLAN frame"),
                std::string(text::excerpt(p.rawLines.back())),
                "the capture was cut short; the packet is kept without it", p.lastLine});
        }
        open = false;
        expect = Expect::Nothing;
    }

    void addLine(std::string_view line);
    void startPacket(CaptureTime time, std::string_view rest, std::string_view line);
    void beginLayer(IpCarrier carrier, std::string_view text, std::string_view line,
                    std::string_view linkSrc = {}, std::string_view linkDst = {});
    void readAddresses(std::size_t index, std::string_view text, std::string_view line);
    bool readVxlanInner(std::string_view t, std::string_view line);
};

void TcpdumpTextReader::State::addLine(std::string_view line)
{
    ++cap.lines;
    bytes += line.size() + 1;
    if (overflow)
        return;
    if (bytes > text::kMaxInputBytes) {
        overflow = true;
        close();
        problem("capture output larger than " + std::to_string(text::kMaxInputBytes >> 20) +
                    " MiB; the rest is not read",
                line, "capture fewer packets (tcpdump -c) or filter more narrowly");
        return;
    }
    auto t = text::trim(line);
    if (t.empty()) {
        // Indented and blank: part of a payload tcpdump decodes (HTTP's empty line);
        // otherwise the blank line tcpdump prints before its statistics.
        if (open && !line.empty())
            attach(line);
        return;
    }

    if (text::leadingSpaces(line) > 0) {
        if (!open) {
            problem("continuation line with no packet before it", line,
                    "the output does not start at a packet line; capture again from the start");
            return;
        }
        attach(line);
        if (expect == Expect::Addresses) {
            readAddresses(layer, t, line);
        } else if (expect == Expect::Quote && text::startsWith(t, "IP ")) {
            beginLayer(IpCarrier::IcmpQuote, t.substr(3), line);
        } else if (expect == Expect::VxlanInner && readVxlanInner(t, line)) {
            // an indented inner frame means the same; accept it
        } else {
            expect = Expect::Nothing;
            const auto &ip = packet().ip;
            bool payload = !ip.empty() && (ip.back().transport == IpTransport::Tcp ||
                                           ip.back().transport == IpTransport::Udp);
            unparsed(line, payload ? "application payload as tcpdump decodes it (not modelled)"
                                   : "continuation line not understood");
        }
        return;
    }

    // A terminal's echo of the Ctrl-C that stopped tcpdump: "^C6 packets captured".
    if (text::startsWith(t, "^C")) {
        t = text::trim(t.substr(2));
        if (t.empty())
            return;
    }
    if (readStatistics(t, cap.summary)) {
        close();
        return;
    }
    std::string_view rest = t;
    if (auto time = takeCaptureTime(rest)) {
        close();
        startPacket(std::move(*time), rest, line);
        return;
    }
    if (readBanner(t, cap.lines, cap.summary))
        return;  // may come between packet lines (stderr), so the packet stays open
    if (open && expect == Expect::VxlanInner) {
        attach(line);
        if (readVxlanInner(t, line))
            return;
        expect = Expect::Nothing;
        unparsed(line, "line after a VXLAN header is not an inner frame");
        return;
    }
    // tcpdump prints nothing else at column 0 inside a packet, so whatever this is,
    // the packet before it is over.
    close();
    unparsed(line, "not a tcpdump packet, banner or statistics line");
}

void TcpdumpTextReader::State::startPacket(CaptureTime time, std::string_view rest, std::string_view line)
{
    CapturedPacket p;
    p.line = p.lastLine = cap.lines;
    p.time = std::move(time);
    p.rawLines.emplace_back(line);

    // 4.99 with -i any (LINUX_SLL2): "eth0  Out IP ..."; "?" when unnamed.
    {
        std::string_view r = rest;
        auto first = text::takeWord(r);
        std::string_view r2 = r;
        auto second = text::takeWord(r2);
        if (isInterfaceToken(first) && directionFromToken(second)) {
            p.interfaceName = std::string(first);
            p.directionText = std::string(second);
            p.direction = *directionFromToken(second);
            rest = r2;
        } else if (directionFromToken(first) && isMacAddress(second)) {
            // tcpdump before 4.99, -i any -e (LINUX_SLL): "Out 02:..:01 ethertype ..."
            p.directionText = std::string(first);
            p.direction = *directionFromToken(first);
            rest = r;
        }
    }
    if (text::startsWith(rest, "ifindex ")) {
        std::string_view r = rest;
        text::takeWord(r);
        if (auto index = text::toUnsigned<std::uint32_t>(text::takeWord(r))) {
            p.ifIndex = index;
            rest = r;
        }
    }
    // -e: "MAC > MAC, ethertype ..." (Ethernet) or "MAC ethertype ..." (cooked).
    {
        std::string_view r = rest;
        auto first = text::takeWord(r);
        if (isMacAddress(first)) {
            std::string_view r2 = r;
            auto arrow = text::takeWord(r2);
            std::string_view dst;
            if (arrow == ">") {
                dst = text::takeWord(r2);
                if (text::endsWith(dst, ","))
                    dst.remove_suffix(1);
                if (isMacAddress(dst))
                    r = r2;
                else
                    dst = {};
            }
            std::string etherType;
            if (takeEtherTypePrefix(r, etherType)) {
                p.linkSrc = std::string(first);
                p.linkDst = std::string(dst);
                p.etherType = std::move(etherType);
                rest = r;
            }
        }
    }

    std::string_view ipText;
    bool isIpv4 = false;
    if (!p.etherType.empty()) {
        if (text::startsWith(p.etherType, "IPv4 ")) {
            isIpv4 = true;
            ipText = rest;  // "(tos ..." or, without -v, "SRC > DST: ..."
        } else if (text::startsWith(p.etherType, "ARP ")) {
            p.payload = LinkPayload::Arp;
        } else if (text::startsWith(p.etherType, "IPv6 ")) {
            p.payload = LinkPayload::Ipv6;
        }
    } else if (text::startsWith(rest, "IP ")) {
        isIpv4 = true;
        ipText = text::trim(rest.substr(3));
    } else if (text::startsWith(rest, "IP6 ")) {
        p.payload = LinkPayload::Ipv6;
    } else if (text::startsWith(rest, "ARP,")) {
        p.payload = LinkPayload::Arp;
    }
    if (isIpv4)
        p.payload = LinkPayload::Ipv4;
    p.text = std::string(rest);

    cap.packets.push_back(std::move(p));
    open = true;
    expect = Expect::Nothing;
    if (isIpv4)
        beginLayer(IpCarrier::None, ipText, line);
}

void TcpdumpTextReader::State::beginLayer(IpCarrier carrier, std::string_view text, std::string_view line,
                                          std::string_view linkSrc, std::string_view linkDst)
{
    auto &p = packet();
    expect = Expect::Nothing;
    if (p.ip.size() >= kMaxLayers) {
        problem("more than " + std::to_string(kMaxLayers) + " nested IPv4 headers in one packet", line);
        return;
    }
    IpLayer layer;
    layer.carriedBy = carrier;
    layer.line = cap.lines;
    layer.linkSrc = std::string(linkSrc);
    layer.linkDst = std::string(linkDst);
    text = text::trim(text);
    if (text::startsWith(text, "(")) {
        auto close = matchingParen(text);
        std::string error;
        if (close == std::string_view::npos) {
            problem("IPv4 header is not closed by ')'", line);
        } else if (auto header = parseIpHeader(text.substr(1, close - 1), error)) {
            auto trailing = text::trim(text.substr(close + 1));
            if (!trailing.empty())
                header->other.emplace_back(trailing);
            layer.header = std::move(header);
        } else {
            problem("IPv4 header not understood: " + error, line);
        }
        p.ip.push_back(std::move(layer));
        expect = Expect::Addresses;
        this->layer = p.ip.size() - 1;
        return;
    }
    p.ip.push_back(std::move(layer));
    readAddresses(p.ip.size() - 1, text, line);
}

void TcpdumpTextReader::State::readAddresses(std::size_t index, std::string_view text, std::string_view line)
{
    // Without -v, IP-in-IP is one line ("A > B: IP C > D: ICMP ..."): walk it here
    // instead of recursing, so no input can run the stack deep. `text` views the
    // input line throughout, never a layer's string, which p.ip may move.
    while (true) {
        auto &p = packet();
        expect = Expect::Nothing;
        std::string error;
        std::string_view rest;
        if (!parseAddresses(text, p.ip[index], rest, error)) {
            p.complete = false;
            problem("packet at line " + std::to_string(p.line) + ": " + error, line,
                    error.find("-n") != std::string::npos ? "run tcpdump with -n" : "");
            return;
        }
        classifyTransport(p.ip[index]);
        const IpLayer &layer = p.ip[index];
        if (layer.transport == IpTransport::Ipip && text::startsWith(rest, "IP ")) {
            auto inner = text::trim(rest.substr(3));
            if (text::startsWith(inner, "(")) {
                beginLayer(IpCarrier::Ipip, inner, line);
                return;
            }
            if (p.ip.size() >= kMaxLayers) {
                problem("more than " + std::to_string(kMaxLayers) + " nested IPv4 headers in one packet", line);
                return;
            }
            IpLayer next;
            next.carriedBy = IpCarrier::Ipip;
            next.line = cap.lines;
            p.ip.push_back(std::move(next));
            index = p.ip.size() - 1;
            text = inner;
            continue;
        }
        if (layer.udp && layer.udp->vxlan) {
            expect = Expect::VxlanInner;
            this->layer = index;
        } else if (layer.icmp && layer.icmp->isError() && layer.header) {
            expect = Expect::Quote;
            this->layer = index;
        }
        return;
    }
}

bool TcpdumpTextReader::State::readVxlanInner(std::string_view t, std::string_view line)
{
    const std::size_t vxlanIndex = layer;
    auto keepOther = [&] {
        packet().ip[vxlanIndex].udp->vxlan->innerOther = std::string(t);
        expect = Expect::Nothing;
    };
    if (text::startsWith(t, "IP ")) {
        beginLayer(IpCarrier::Vxlan, t.substr(3), line);
        return true;
    }
    std::string_view rest = t;
    auto src = text::takeWord(rest);
    if (isMacAddress(src)) {
        auto arrow = text::takeWord(rest);
        auto dst = text::takeWord(rest);
        if (text::endsWith(dst, ","))
            dst.remove_suffix(1);
        std::string etherType;
        if (arrow != ">" || !isMacAddress(dst) || !takeEtherTypePrefix(rest, etherType))
            return false;
        if (text::startsWith(etherType, "IPv4 "))
            beginLayer(IpCarrier::Vxlan, rest, line, src, dst);
        else
            keepOther();
        return true;
    }
    if (text::startsWith(t, "ARP,") || text::startsWith(t, "IP6 ")) {
        keepOther();
        return true;
    }
    return false;
}

TcpdumpTextReader::TcpdumpTextReader() : m_state(std::make_unique<State>()) {}
TcpdumpTextReader::~TcpdumpTextReader() = default;

void TcpdumpTextReader::addLine(std::string_view line) { m_state->addLine(line); }

const TcpdumpCapture &TcpdumpTextReader::capture() const { return m_state->cap; }

TcpdumpCapture TcpdumpTextReader::finish()
{
    m_state->close();
    TcpdumpCapture out = std::move(m_state->cap);
    m_state = std::make_unique<State>();
    return out;
}

namespace {

bool looksLikePcap(std::string_view s)
{
    if (s.size() < 4)
        return false;
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    std::uint32_t magic = (std::uint32_t(b(0)) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
    return magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d || magic == 0x4d3cb2a1 ||
           magic == 0x0a0d0d0a;
}

bool recognisedAnything(const TcpdumpCapture &c)
{
    const auto &s = c.summary;
    return !c.packets.empty() || s.hasStatistics() || s.packetsReceivedByFilter ||
           s.packetsDroppedByKernel || s.packetsDroppedByInterface || !s.interface.empty() ||
           !s.linkType.empty() || !s.readingFrom.empty() || !s.droppedPrivsTo.empty() ||
           s.verboseOutputSuppressed || !s.messages.empty();
}

} // namespace

Result<TcpdumpCapture> parseTcpdumpText(std::string_view input)
{
    if (input.size() > text::kMaxInputBytes)
        return Error{"tcpdump output larger than " + std::to_string(text::kMaxInputBytes >> 20) + " MiB",
                     std::to_string(input.size()) + " bytes",
                     "capture fewer packets (tcpdump -c) or filter more narrowly", 0};
    if (looksLikePcap(input))
        return Error{"this is a pcap file, not tcpdump's text output", "", "read it with the pcap reader", 1};

    TcpdumpTextReader reader;
    text::LineReader lines(input);
    std::string_view line;
    while (lines.next(line))
        reader.addLine(line);
    TcpdumpCapture capture = reader.finish();

    if (!recognisedAnything(capture)) {
        if (!capture.problems.empty())
            return capture.problems.front();
        if (!capture.unparsed.empty())
            return Error{"no tcpdump output found", std::string(text::excerpt(capture.unparsed.front().text)),
                         "expected the text of `tcpdump -n -v`: timestamped packet lines", capture.unparsed.front().line};
    }
    return capture;
}

} // namespace podpath::parse
