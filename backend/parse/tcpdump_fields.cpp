#include "tcpdump_fields.h"

#include "text.h"

#include <charconv>

namespace podpath::parse::tcpdump {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool allDigits(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (!isDigit(c))
            return false;
    return true;
}

std::optional<std::uint32_t> hexValue(std::string_view s)
{
    if (text::startsWith(s, "0x") || text::startsWith(s, "0X"))
        s.remove_prefix(2);
    std::uint32_t v = 0;
    if (s.empty())
        return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
    if (ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

template <class T>
std::optional<T> bounded(std::string_view s, std::uint64_t max)
{
    auto v = text::toUnsigned<std::uint64_t>(s);
    if (!v || *v > max)
        return std::nullopt;
    return static_cast<T>(*v);
}

// "HH:MM:SS.frac" -> seconds; hours up to 99 so -ttt/-ttttt deltas read too. tcpdump
// always prints the fraction, and requiring it keeps a cut-off MAC ("66:00:00") out.
std::optional<double> clockSeconds(std::string_view s)
{
    if (s.size() < 9 || s.size() > 2 + 6 + 10 || s.find('.') == std::string_view::npos)
        return std::nullopt;
    auto c1 = s.find(':');
    if (c1 == std::string_view::npos || c1 == 0 || c1 > 2)
        return std::nullopt;
    auto hours = s.substr(0, c1);
    auto rest = s.substr(c1 + 1);
    if (rest.size() < 5 || rest[2] != ':')
        return std::nullopt;
    auto minutes = rest.substr(0, 2);
    auto seconds = rest.substr(3);
    auto dot = seconds.find('.');
    if (dot == std::string_view::npos)
        return std::nullopt;
    auto frac = seconds.substr(dot + 1);
    seconds = seconds.substr(0, dot);
    if (frac.empty() || frac.size() > 9 || !allDigits(frac))
        return std::nullopt;
    if (!allDigits(hours) || minutes.size() != 2 || !allDigits(minutes) || seconds.size() != 2 ||
        !allDigits(seconds))
        return std::nullopt;
    auto h = *text::toUnsigned<unsigned>(hours);
    auto m = *text::toUnsigned<unsigned>(minutes);
    auto sec = *text::toUnsigned<unsigned>(seconds);
    if (m > 59 || sec > 60)
        return std::nullopt;
    double value = h * 3600.0 + m * 60.0 + sec;
    double scale = 0.1;
    for (char c : frac) {
        value += (c - '0') * scale;
        scale /= 10;
    }
    return value;
}

bool isDate(std::string_view s)
{
    return s.size() == 10 && s[4] == '-' && s[7] == '-' && allDigits(s.substr(0, 4)) &&
           allDigits(s.substr(5, 2)) && allDigits(s.substr(8, 2));
}

// -tt: "1764065868.284931". At least 9 integer digits so that a count ("6 packets")
// or a stray number is not taken for a time.
std::optional<double> epochSecondsOfDay(std::string_view s)
{
    auto dot = s.find('.');
    if (dot == std::string_view::npos || dot < 9 || dot > 12)
        return std::nullopt;
    auto whole = s.substr(0, dot), frac = s.substr(dot + 1);
    if (!allDigits(whole) || frac.empty() || frac.size() > 9 || !allDigits(frac))
        return std::nullopt;
    auto secs = *text::toUnsigned<std::uint64_t>(whole);
    double value = static_cast<double>(secs % 86400);
    double scale = 0.1;
    for (char c : frac) {
        value += (c - '0') * scale;
        scale /= 10;
    }
    return value;
}

// "198.51.100.11" or "198.51.100.11.52104".
bool parseEndpoint(std::string_view s, std::optional<Ipv4> &addr, std::optional<std::uint16_t> &port)
{
    if (auto a = Ipv4::parse(s)) {
        addr = a;
        port.reset();
        return true;
    }
    auto dot = s.rfind('.');
    if (dot == std::string_view::npos)
        return false;
    auto a = Ipv4::parse(s.substr(0, dot));
    auto p = bounded<std::uint16_t>(s.substr(dot + 1), 65535);
    if (!a || !p)
        return false;
    addr = a;
    port = p;
    return true;
}

// "key value" -> value for the field whose first word is key; tolerates the "key:" of
// tcpdump 3.9/4.0 ("proto: ICMP (1), length: 84").
std::string_view fieldKey(std::string_view field, std::string_view &value)
{
    value = field;
    auto key = text::takeWord(value);
    if (text::endsWith(key, ":"))
        key.remove_suffix(1);
    return key;
}

// "[...]" -> the inside; nullopt when not bracketed.
std::optional<std::string_view> bracketed(std::string_view s)
{
    if (s.size() < 2 || s.front() != '[' || s.back() != ']')
        return std::nullopt;
    return s.substr(1, s.size() - 2);
}

// "length 78: HTTP" and "length 64" both give 78/64.
std::optional<std::uint32_t> leadingNumber(std::string_view s)
{
    std::size_t n = 0;
    while (n < s.size() && isDigit(s[n]))
        ++n;
    if (n == 0 || (n < s.size() && s[n] != ':' && !text::isSpace(s[n])))
        return std::nullopt;
    return bounded<std::uint32_t>(s.substr(0, n), 0xFFFFFFFFu);
}

IcmpMessage parseIcmp(std::string_view body)
{
    IcmpMessage m;
    m.text = std::string(body);
    if (text::startsWith(body, "echo request"))
        m.kind = IcmpKind::EchoRequest;
    else if (text::startsWith(body, "echo reply"))
        m.kind = IcmpKind::EchoReply;
    else if (body.find("unreachable") != std::string_view::npos)
        m.kind = IcmpKind::Unreachable;
    else if (body.find("time exceeded") != std::string_view::npos)
        m.kind = IcmpKind::TimeExceeded;

    auto fields = splitFields(body);
    for (std::size_t i = 1; i < fields.size(); ++i) {
        std::string_view value;
        auto key = fieldKey(fields[i], value);
        if (key == "id")
            m.id = bounded<std::uint16_t>(value, 65535);
        else if (key == "seq")
            m.seq = bounded<std::uint16_t>(value, 65535);
        else if (key == "length")
            m.length = leadingNumber(value);
    }
    if (m.isError() && !fields.empty()) {
        // The address the error is about comes before "unreachable"/"exceeded".
        for (auto w : text::words(fields.front())) {
            if (auto a = Ipv4::parse(w)) {
                m.about = a;
                break;
            }
        }
    }
    m.fragmentationNeeded = body.find("need to frag") != std::string_view::npos ||
                            body.find("frag needed") != std::string_view::npos;
    if (auto at = body.find("(mtu"); at != std::string_view::npos) {
        auto rest = body.substr(at + 4);
        rest = text::trim(rest);
        if (text::startsWith(rest, "="))
            rest = text::trim(rest.substr(1));
        auto close = rest.find(')');
        if (close != std::string_view::npos)
            m.mtu = bounded<std::uint32_t>(text::trim(rest.substr(0, close)), 0xFFFFFFFFu);
    }
    return m;
}

TcpSegment parseTcp(std::string_view s)
{
    TcpSegment t;
    for (auto field : splitFields(s)) {
        std::string_view value;
        auto key = fieldKey(field, value);
        if (key == "Flags") {
            if (auto in = bracketed(value))
                t.flags = std::string(*in);
        } else if (key == "seq") {
            t.seq = std::string(value);
        } else if (key == "ack") {
            t.ack = bounded<std::uint32_t>(value, 0xFFFFFFFFu);
        } else if (key == "win") {
            t.window = bounded<std::uint32_t>(value, 0xFFFFFFFFu);
        } else if (key == "length") {
            t.length = leadingNumber(value);
        } else if (key == "options") {
            if (auto in = bracketed(value))
                t.options = std::string(*in);
        }
    }
    return t;
}

UdpDatagram parseUdp(std::string_view s)
{
    UdpDatagram u;
    if (text::startsWith(s, "[")) {
        auto close = s.find(']');
        if (close != std::string_view::npos) {
            u.checksum = std::string(s.substr(0, close + 1));
            s = text::trim(s.substr(close + 1));
        }
    }
    if (text::startsWith(s, "UDP, length ")) {
        u.length = leadingNumber(s.substr(12));
    } else if (text::startsWith(s, "VXLAN,")) {
        VxlanHeader v;
        for (auto field : splitFields(s)) {
            std::string_view value;
            auto key = fieldKey(field, value);
            if (key == "flags")
                v.flags = std::string(value);
            else if (key == "vni")
                v.vni = bounded<std::uint32_t>(value, 0xFFFFFFu);
        }
        u.vxlan = std::move(v);
    }
    return u;
}

} // namespace

std::optional<CaptureTime> takeCaptureTime(std::string_view &rest)
{
    std::string_view r = rest;
    auto first = text::takeWord(r);
    if (first.empty() || !isDigit(first.front()))
        return std::nullopt;
    if (isDate(first)) {
        std::string_view r2 = r;
        auto clock = text::takeWord(r2);
        auto secs = clockSeconds(clock);
        if (!secs)
            return std::nullopt;
        rest = r2;
        return CaptureTime{std::string(first) + " " + std::string(clock), *secs};
    }
    auto secs = clockSeconds(first);
    if (!secs)
        secs = epochSecondsOfDay(first);
    if (!secs)
        return std::nullopt;
    rest = r;
    return CaptureTime{std::string(first), *secs};
}

std::vector<std::string_view> splitFields(std::string_view s)
{
    std::vector<std::string_view> out;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '(' || c == '[')
            ++depth;
        else if ((c == ')' || c == ']') && depth > 0)
            --depth;
        else if (c == ',' && depth == 0 && i + 1 < s.size() && s[i + 1] == ' ') {
            out.push_back(text::trim(s.substr(start, i - start)));
            start = i + 2;
            ++i;
        }
    }
    auto last = text::trim(s.substr(start));
    if (!last.empty() || !out.empty())
        out.push_back(last);
    return out;
}

bool isMacAddress(std::string_view s)
{
    if (s.size() != 17)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (i % 3 == 2) {
            if (c != ':')
                return false;
        } else if (!(isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

std::optional<CaptureDirection> directionFromToken(std::string_view s)
{
    if (s == "In")
        return CaptureDirection::In;
    if (s == "Out")
        return CaptureDirection::Out;
    if (s == "B")
        return CaptureDirection::Broadcast;
    if (s == "M")
        return CaptureDirection::Multicast;
    if (s == "P")
        return CaptureDirection::OtherHost;
    if (s == "?")
        return CaptureDirection::Unknown;
    return std::nullopt;
}

bool takeEtherTypePrefix(std::string_view &rest, std::string &etherType)
{
    if (!text::startsWith(rest, "ethertype "))
        return false;
    auto body = rest.substr(10);
    auto lengthAt = body.find(", length ");
    if (lengthAt == std::string_view::npos)
        return false;
    auto afterLength = body.substr(lengthAt + 9);
    auto colon = afterLength.find(':');
    if (colon == std::string_view::npos || !allDigits(afterLength.substr(0, colon)))
        return false;
    etherType = std::string(text::trim(body.substr(0, lengthAt)));
    rest = text::trim(afterLength.substr(colon + 1));
    return true;
}

std::size_t matchingParen(std::string_view s)
{
    if (s.empty() || s.front() != '(')
        return std::string_view::npos;
    int depth = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '(')
            ++depth;
        else if (s[i] == ')' && --depth == 0)
            return i;
    }
    return std::string_view::npos;
}

std::optional<IpHeaderFields> parseIpHeader(std::string_view inside, std::string &error)
{
    IpHeaderFields h;
    bool haveTos = false, haveTtl = false, haveId = false, haveOffset = false, haveFlags = false,
         haveProto = false, haveLength = false;
    for (auto field : splitFields(inside)) {
        std::string_view value;
        auto key = fieldKey(field, value);
        if (key == "tos" && !haveTos) {
            h.tos = std::string(value);
            auto v = hexValue(value.substr(0, value.find(',')));
            if (!v || *v > 0xFF) {
                error = "tos is not a byte in hex";
                return std::nullopt;
            }
            h.tosValue = static_cast<std::uint8_t>(*v);
            haveTos = true;
        } else if (key == "ttl" && !haveTtl) {
            auto v = bounded<std::uint8_t>(value, 255);
            if (!v) {
                error = "ttl is not a number from 0 to 255";
                return std::nullopt;
            }
            h.ttl = *v;
            haveTtl = true;
        } else if (key == "id" && !haveId) {
            auto v = bounded<std::uint16_t>(value, 65535);
            if (!v) {
                error = "id is not a number from 0 to 65535";
                return std::nullopt;
            }
            h.id = *v;
            haveId = true;
        } else if (key == "offset" && !haveOffset) {
            auto v = bounded<std::uint16_t>(value, 65535);
            if (!v) {
                error = "offset is not a number from 0 to 65535";
                return std::nullopt;
            }
            h.offset = *v;
            haveOffset = true;
        } else if (key == "flags" && !haveFlags) {
            auto in = bracketed(value);
            if (!in) {
                error = "flags are not in [brackets]";
                return std::nullopt;
            }
            for (auto f : splitFields(*in))
                if (!f.empty() && f != "none")
                    h.flags.emplace_back(f);
            haveFlags = true;
        } else if (key == "proto" && !haveProto) {
            // "ICMP (1)"
            auto open = value.rfind(" (");
            if (open == std::string_view::npos || !text::endsWith(value, ")")) {
                error = "proto is not \"NAME (NUMBER)\"";
                return std::nullopt;
            }
            auto number = bounded<std::uint8_t>(value.substr(open + 2, value.size() - open - 3), 255);
            if (!number) {
                error = "protocol number is not from 0 to 255";
                return std::nullopt;
            }
            h.protocolName = std::string(text::trim(value.substr(0, open)));
            h.protocol = *number;
            haveProto = true;
        } else if (key == "length" && !haveLength) {
            auto v = bounded<std::uint16_t>(value, 65535);
            if (!v) {
                error = "length is not a number from 0 to 65535";
                return std::nullopt;
            }
            h.length = *v;
            haveLength = true;
        } else if (!field.empty()) {
            h.other.emplace_back(field);
        }
    }
    const char *missing = !haveTos      ? "tos"
                          : !haveTtl    ? "ttl"
                          : !haveId     ? "id"
                          : !haveOffset ? "offset"
                          : !haveFlags  ? "flags"
                          : !haveProto  ? "proto"
                          : !haveLength ? "length"
                                        : nullptr;
    if (missing) {
        error = std::string("IPv4 header without ") + missing;
        return std::nullopt;
    }
    return h;
}

bool parseAddresses(std::string_view s, IpLayer &layer, std::string_view &rest, std::string &error)
{
    rest = s;
    auto from = text::takeWord(rest);
    auto arrow = text::takeWord(rest);
    auto to = text::takeWord(rest);
    if (arrow != ">" || !text::endsWith(to, ":")) {
        error = "expected \"SRC > DST: ...\"";
        return false;
    }
    to.remove_suffix(1);
    if (!parseEndpoint(from, layer.src, layer.srcPort) || !parseEndpoint(to, layer.dst, layer.dstPort)) {
        error = "addresses are not numeric IPv4 (was tcpdump run without -n?)";
        layer.src.reset();
        layer.dst.reset();
        layer.srcPort.reset();
        layer.dstPort.reset();
        return false;
    }
    layer.summary = std::string(rest);
    return true;
}

void classifyTransport(IpLayer &layer)
{
    std::optional<int> proto;
    if (layer.header)
        proto = layer.header->protocol;
    std::string_view s = layer.summary;
    bool ports = layer.srcPort.has_value();

    if (proto == 1 || (!proto && text::startsWith(s, "ICMP "))) {
        layer.transport = IpTransport::Icmp;
        if (text::startsWith(s, "ICMP "))
            layer.icmp = parseIcmp(s.substr(5));
    } else if (proto == 4 || (!proto && !ports && text::startsWith(s, "IP "))) {
        layer.transport = IpTransport::Ipip;
    } else if (proto == 6 || (!proto && ports && text::startsWith(s, "Flags ["))) {
        layer.transport = IpTransport::Tcp;
        if (text::startsWith(s, "Flags ["))
            layer.tcp = parseTcp(s);
    } else if (proto == 17 ||
               (!proto && ports &&
                (text::startsWith(s, "UDP, ") || text::startsWith(s, "VXLAN, ") || text::startsWith(s, "[")))) {
        layer.transport = IpTransport::Udp;
        if (ports)
            layer.udp = parseUdp(s);
    } else {
        layer.transport = proto ? IpTransport::Other : IpTransport::Unknown;
    }
}

} // namespace podpath::parse::tcpdump
