#include "iptables.h"

#include "text.h"

#include <limits>
#include <string>

namespace podpath::parse {

namespace {

// Which columns the listing has; the header line says, grep'd output does not.
struct Layout {
    bool lineNumbers = false;
    bool counters = true;
    bool interfaces = true;
};

Error lineError(std::string message, std::string_view line, int lineNo, std::string nextStep = {})
{
    return Error{std::move(message), std::string(text::excerpt(line)), std::move(nextStep), lineNo};
}

bool isHeader(const std::vector<std::string_view> &w)
{
    if (w.empty() || (w[0] != "pkts" && w[0] != "num" && w[0] != "target"))
        return false;
    for (auto x : w)
        if (x == "destination")
            return true;
    return false;
}

Layout layoutOf(const std::vector<std::string_view> &header)
{
    Layout l;
    l.lineNumbers = header[0] == "num";
    l.counters = false;
    l.interfaces = false;
    for (auto x : header) {
        if (x == "pkts")
            l.counters = true;
        if (x == "in")
            l.interfaces = true;
    }
    return l;
}

bool isOpt(std::string_view w) { return w == "--" || w == "-f" || w == "!f"; }

IptablesInterface interfaceOf(std::string_view w)
{
    IptablesInterface i;
    if (text::startsWith(w, "!")) {
        i.negated = true;
        w.remove_prefix(1);
    }
    if (w != "*" && w != "any")
        i.name = std::string(w);
    return i;
}

IptablesAddress addressOf(std::string_view w)
{
    IptablesAddress a;
    if (text::startsWith(w, "!")) {
        a.negated = true;
        w.remove_prefix(1);
    }
    a.text = std::string(w);
    a.prefix = w == "anywhere" ? std::optional(Ipv4Prefix(Ipv4(), 0)) : Ipv4Prefix::parse(w);
    if (w == "default")  // a host may be called that; Ipv4Prefix reads it as 0/0
        a.prefix.reset();
    return a;
}

// "/* a */ /* b */ match-set x src" -> comments {a, b}, remainder without them.
std::string takeComments(std::string_view rest, std::vector<std::string> &comments)
{
    std::string remainder;
    while (true) {
        auto open = rest.find("/*");
        if (open == std::string_view::npos)
            break;
        auto close = rest.find("*/", open + 2);
        if (close == std::string_view::npos)
            break;
        remainder += rest.substr(0, open);
        remainder += ' ';
        comments.emplace_back(text::trim(rest.substr(open + 2, close - open - 2)));
        rest.remove_prefix(close + 2);
    }
    remainder += rest;
    return remainder;
}

void takeSetMatches(std::string_view rest, std::vector<IptablesSetMatch> &out)
{
    auto w = text::words(rest);
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
        if (w[i] != "match-set")
            continue;
        IptablesSetMatch m;
        m.name = std::string(w[i + 1]);
        if (i + 2 < w.size())
            m.flags = std::string(w[i + 2]);
        m.negated = i > 0 && w[i - 1] == "!";
        out.push_back(std::move(m));
    }
}

std::string joinWords(const std::vector<std::string_view> &w, std::size_t from)
{
    std::string s;
    for (std::size_t i = from; i < w.size(); ++i) {
        if (!s.empty())
            s += ' ';
        s += w[i];
    }
    return s;
}

bool looksLikeCount(std::string_view w) { return parseIptablesCount(w).has_value(); }

Result<IptablesRule> parseRule(std::string_view line, int lineNo, const Layout &knownLayout, bool haveLayout)
{
    auto w = text::words(line);
    Layout layout = knownLayout;
    if (!haveLayout)  // grep'd: counters and interfaces as -vL prints them; numbered if 3 counts lead
        layout.lineNumbers = w.size() > 3 && looksLikeCount(w[0]) && looksLikeCount(w[1]) &&
                             looksLikeCount(w[2]) && text::toUnsigned(w[0]).has_value();
    IptablesRule r;
    r.line = lineNo;
    std::size_t i = 0;
    if (layout.lineNumbers) {
        auto n = text::toUnsigned<unsigned>(w.empty() ? std::string_view() : w[0]);
        if (!n || *n == 0 || *n > unsigned(std::numeric_limits<int>::max()))
            return lineError("iptables rule line without a rule number", line, lineNo);
        r.position = int(*n);
        ++i;
    }
    if (layout.counters) {
        Counters c;
        auto p = i + 1 < w.size() ? parseIptablesCount(w[i], &c.approximate) : std::nullopt;
        bool approxBytes = false;
        auto b = p ? parseIptablesCount(w[i + 1], &approxBytes) : std::nullopt;
        if (!p || !b)
            return lineError("iptables rule line without packet and byte counters", line, lineNo);
        c.packets = *p;
        c.bytes = *b;
        c.approximate = c.approximate || approxBytes;
        r.counters = c;
        i += 2;
    }
    std::size_t specStart = i;
    // The target column is blank for rules that only count: find the opt column.
    if (i + 2 < w.size() && isOpt(w[i + 2])) {
        r.target = std::string(w[i]);
        ++i;
    } else if (!(i + 1 < w.size() && isOpt(w[i + 1]))) {
        return lineError("iptables rule line has too few columns", line, lineNo,
                         "the listing may be cut off; list the chain again");
    }
    std::string_view proto = w[i];
    if (text::startsWith(proto, "!")) {
        r.protocolNegated = true;
        proto.remove_prefix(1);
    }
    r.protocol = std::string(proto);
    r.protocolNumber = ipProtocolNumber(proto);
    i += 2;  // protocol, opt
    std::size_t needed = layout.interfaces ? 4 : 2;
    if (i + needed > w.size())
        return lineError("iptables rule line has too few columns", line, lineNo,
                         "the listing may be cut off; list the chain again");
    if (layout.interfaces) {
        r.in = interfaceOf(w[i]);
        r.out = interfaceOf(w[i + 1]);
        i += 2;
    }
    r.source = addressOf(w[i]);
    r.destination = addressOf(w[i + 1]);
    std::string_view dest = w[i + 1];
    auto rest = text::trim(line.substr(std::size_t(dest.data() + dest.size() - line.data())));
    r.matches = std::string(rest);
    auto withoutComments = takeComments(rest, r.comments);
    takeSetMatches(withoutComments, r.setMatches);
    for (auto x : text::words(withoutComments))
        if (x == "[goto]")
            r.isGoto = true;
    r.spec = joinWords(w, specStart);
    return r;
}

// "INPUT (policy ACCEPT 0 packets, 0 bytes)", "cali-INPUT (1 references)".
Result<IptablesChain> parseChainLine(std::string_view line, int lineNo)
{
    auto body = text::trim(line.substr(6));  // after "Chain "
    auto open = body.find(" (");
    if (open == std::string_view::npos || body.back() != ')' || open == 0)
        return lineError("iptables Chain line without (policy ...) or (N references)", line, lineNo);
    IptablesChain c;
    c.line = lineNo;
    c.name = std::string(body.substr(0, open));
    auto w = text::words(body.substr(open + 2, body.size() - open - 3));
    if (!w.empty() && w[0] == "policy" && (w.size() == 2 || w.size() == 6)) {
        c.policy = std::string(w[1]);
        if (w.size() == 6) {
            Counters k;
            bool approxBytes = false;
            auto p = parseIptablesCount(w[2], &k.approximate);
            auto b = parseIptablesCount(w[4], &approxBytes);
            if (!p || !b || w[3] != "packets," || w[5] != "bytes")
                return lineError("iptables Chain line with unreadable policy counters", line, lineNo);
            k.packets = *p;
            k.bytes = *b;
            k.approximate = k.approximate || approxBytes;
            c.policyCounters = k;
        }
        return c;
    }
    if (w.size() == 2 && (w[1] == "references" || w[1] == "reference")) {
        auto n = text::toUnsigned<unsigned>(w[0]);
        if (n && *n <= unsigned(std::numeric_limits<int>::max())) {
            c.references = int(*n);
            return c;
        }
    }
    return lineError("iptables Chain line without (policy ...) or (N references)", line, lineNo);
}

} // namespace

std::optional<std::uint64_t> parseIptablesCount(std::string_view s, bool *approximate)
{
    std::uint64_t scale = 1;
    if (!s.empty()) {
        switch (s.back()) {
        case 'K': scale = 1000ull; break;
        case 'M': scale = 1000ull * 1000; break;
        case 'G': scale = 1000ull * 1000 * 1000; break;
        case 'T': scale = 1000ull * 1000 * 1000 * 1000; break;
        case 'P': scale = 1000ull * 1000 * 1000 * 1000 * 1000; break;
        default: break;
        }
    }
    if (scale != 1)
        s.remove_suffix(1);
    auto n = text::toUnsigned(s);
    if (!n || *n > std::numeric_limits<std::uint64_t>::max() / scale)
        return std::nullopt;
    if (approximate && scale != 1)
        *approximate = true;
    return *n * scale;
}

Result<IptablesSnapshot> parseIptablesList(std::string_view input, std::string_view tableName)
{
    if (input.size() > text::kMaxInputBytes)
        return Error{"iptables listing is larger than PodPath reads", "", "", 0};
    IptablesSnapshot snap;
    IptablesTable table;
    table.name = std::string(tableName);
    IptablesChain *chain = nullptr;
    Layout layout;
    bool haveLayout = false;
    bool sawListing = false;
    // Verdicts can tell jumps from target extensions only when every chain was
    // listed whole, i.e. each had its column header (grep drops those).
    bool chainsKnown = true;
    text::LineReader reader(input);
    std::string_view line;
    while (reader.next(line)) {
        const int lineNo = reader.lineNumber();
        auto t = text::trim(line);
        if (t.empty())
            continue;
        if (t.front() == '#') {
            snap.warnings.emplace_back(t);
            if (iptables_detail::isLegacyWarning(t))
                snap.legacyTablesPresent = true;
            continue;
        }
        if (text::startsWith(t, "Chain ")) {
            auto c = parseChainLine(t, lineNo);
            if (!c)
                return c.error();
            table.chains.push_back(std::move(c).value());
            if (chain && !haveLayout)
                chainsKnown = false;
            chain = &table.chains.back();
            haveLayout = false;
            sawListing = true;
            continue;
        }
        auto w = text::words(t);
        if (isHeader(w)) {
            layout = layoutOf(w);
            haveLayout = true;
            continue;
        }
        // A rule starts with a count (-v), a rule number, or the target (-L alone).
        bool ruleLike = looksLikeCount(w[0]) || (haveLayout && !layout.counters && !layout.lineNumbers);
        if (!ruleLike)
            return lineError("not an iptables -L line", t, lineNo, iptables_detail::nextStepFor(t));
        auto r = parseRule(line, lineNo, layout, haveLayout);
        if (!r)
            return r.error();
        if (!chain) {  // grep'd lines before any Chain header
            chainsKnown = false;
            table.chains.push_back(IptablesChain{});
            chain = &table.chains.back();
            chain->line = lineNo;
        }
        if (r->position == 0)
            r->position = int(chain->rules.size()) + 1;
        chain->rules.push_back(std::move(r).value());
        sawListing = true;
    }
    if (!sawListing)
        return Error{input.empty() ? "iptables printed nothing" : "iptables printed no chain and no rule",
                     snap.warnings.empty() ? "" : snap.warnings.front(),
                     "run iptables -vnxL on the node and check it lists the built-in chains", 0};
    if (chain && !haveLayout)
        chainsKnown = false;
    iptables_detail::resolveVerdicts(table, chainsKnown);
    snap.tables.push_back(std::move(table));
    return snap;
}

} // namespace podpath::parse
