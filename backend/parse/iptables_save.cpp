#include "iptables_save.h"

#include "text.h"

#include <limits>

namespace podpath::parse {

namespace {

// How far a rule may go on over further lines (a comment's newlines), and how long the
// comment match lets a comment be.
constexpr int kMaxContinuationLines = 8;
constexpr std::size_t kMaxCommentBytes = 256;

Error lineError(std::string message, std::string_view line, int lineNo, std::string nextStep = {})
{
    return Error{std::move(message), std::string(text::excerpt(line)), std::move(nextStep), lineNo};
}

// "[12:3456]"
std::optional<Counters> parseBracketCounters(std::string_view s)
{
    if (s.size() < 5 || s.front() != '[' || s.back() != ']')
        return std::nullopt;
    s = s.substr(1, s.size() - 2);
    auto colon = s.find(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    auto p = text::toUnsigned(s.substr(0, colon));
    auto b = text::toUnsigned(s.substr(colon + 1));
    if (!p || !b)
        return std::nullopt;
    return Counters{*p, *b};
}

// As iptables-save writes a value back: quoted when it must be, always for comments.
std::string quoted(std::string_view s, bool always)
{
    bool needs = always || s.empty();
    for (char c : s)
        if (text::isSpace(c) || c == '"' || c == '\\' || c == '\'')
            needs = true;
    if (!needs)
        return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

bool isOption(std::string_view t, std::string_view shortName, std::string_view longName)
{
    return t == shortName || t == longName;
}

void append(std::string &s, std::string_view piece)
{
    if (!s.empty())
        s += ' ';
    s += piece;
}

// "# Warning: iptables-legacy tables present, use iptables-legacy[-save] to see them"
bool isLegacyWarning(std::string_view line)
{
    return line.find("iptables-legacy tables present") != std::string_view::npos;
}

// A line iptables-save starts a statement with: a rule, a chain, a table, COMMIT. A
// comment's own next line could start so only by design of an attacker; ending the
// join there keeps a quote that never closes from swallowing the rules below it.
bool startsStatement(std::string_view line)
{
    auto t = text::trim(line);
    if (t.empty())
        return false;
    if (t.front() == '[') {
        auto close = t.find(']');
        if (close == std::string_view::npos || !parseBracketCounters(t.substr(0, close + 1)))
            return false;
        t = text::trim(t.substr(close + 1));
    }
    return text::startsWith(t, "-A ") || text::startsWith(t, "--append ") || t.front() == ':' || t.front() == '*' ||
           t == "COMMIT";
}

// Fills verdict from target once every chain of the table is known.
void resolveVerdicts(IptablesTable &table)
{
    for (auto &chain : table.chains)
        for (auto &rule : chain.rules)
            rule.verdict = verdictOfIptablesTarget(rule.target, rule.isGoto, table.chain(rule.target) != nullptr);
}

// What the reader can do about a line iptables printed instead of its tables
// ("Permission denied (you must be root)", "table ... does not exist", "command not found").
std::string nextStepFor(std::string_view line)
{
    if (line.find("ermission denied") != std::string_view::npos ||
        line.find("Operation not permitted") != std::string_view::npos ||
        line.find("you must be root") != std::string_view::npos)
        return "run the command as root (sudo)";
    if (line.find("not found") != std::string_view::npos)
        return "install iptables on the node, or check PATH for sbin";
    if (line.find("Table does not exist") != std::string_view::npos ||
        line.find("does not exist") != std::string_view::npos)
        return "the table is not loaded on this node; list another table";
    return "check that the output comes from the command PodPath ran";
}

// Fills the rule's fields from `-A CHAIN` arguments; what it does not break out
// stays in matches, in order.
Result<void> readArguments(const std::vector<std::string> &args, IptablesRule &r, std::string_view line, int lineNo)
{
    bool negate = false;
    auto value = [&](std::size_t &i) -> std::optional<std::string> {
        if (i + 1 >= args.size())
            return std::nullopt;
        ++i;
        if (args[i] == "!") {  // pre-1.4.3 form: -p ! tcp
            negate = true;
            if (i + 1 >= args.size())
                return std::nullopt;
            ++i;
        }
        return args[i];
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "!") {
            negate = true;
            continue;
        }
        const bool takesValue = isOption(a, "-p", "--protocol") || isOption(a, "-s", "--source") ||
                                a == "--src" || isOption(a, "-d", "--destination") || a == "--dst" ||
                                isOption(a, "-i", "--in-interface") || isOption(a, "-o", "--out-interface") ||
                                isOption(a, "-j", "--jump") || isOption(a, "-g", "--goto") ||
                                a == "--comment" || a == "--match-set";
        std::optional<std::string> v;
        if (takesValue && !(v = value(i)))
            return lineError("iptables-save rule option " + a + " without a value", line, lineNo,
                             "the output may be cut off; save the table again");
        if (isOption(a, "-p", "--protocol")) {
            r.protocol = *v;
            r.protocolNegated = negate;
            r.protocolNumber = ipProtocolNumber(*v);
        } else if (isOption(a, "-s", "--source") || a == "--src" || isOption(a, "-d", "--destination") || a == "--dst") {
            auto &addr = (a == "-s" || a == "--source" || a == "--src") ? r.source : r.destination;
            addr.text = *v;
            addr.prefix = Ipv4Prefix::parse(*v);
            if (*v == "default")
                addr.prefix.reset();
            addr.negated = negate;
        } else if (isOption(a, "-i", "--in-interface") || isOption(a, "-o", "--out-interface")) {
            auto &itf = (a == "-i" || a == "--in-interface") ? r.in : r.out;
            itf.name = *v;
            itf.negated = negate;
        } else if (isOption(a, "-j", "--jump") || isOption(a, "-g", "--goto")) {
            r.target = *v;
            r.isGoto = a == "-g" || a == "--goto";
            for (std::size_t k = i + 1; k < args.size(); ++k)  // iptables-save puts the target last
                append(r.targetOptions, quoted(args[k], false));
            break;
        } else if (a == "--comment") {
            r.comments.push_back(*v);
            append(r.matches, std::string(negate ? "! " : "") + "--comment " + quoted(*v, true));
        } else if (a == "--match-set") {
            IptablesSetMatch m;
            m.name = *v;
            m.negated = negate;
            if (i + 1 < args.size() && !text::startsWith(args[i + 1], "-") && args[i + 1] != "!")
                m.flags = args[++i];
            append(r.matches, std::string(negate ? "! " : "") + "--match-set " + quoted(m.name, false) +
                                  (m.flags.empty() ? "" : " " + m.flags));
            r.setMatches.push_back(std::move(m));
        } else {
            append(r.matches, std::string(negate ? "! " : "") + quoted(a, false));
        }
        negate = false;
    }
    if (negate)
        return lineError("iptables-save rule ends with '!'", line, lineNo,
                         "the output may be cut off; save the table again");
    return {};
}

Result<IptablesRule> parseRuleLine(std::string_view t, int lineNo, std::string &chainName)
{
    IptablesRule r;
    r.line = lineNo;
    auto rest = t;
    if (rest.front() == '[') {
        auto close = rest.find(']');
        auto c = close == std::string_view::npos ? std::nullopt : parseBracketCounters(rest.substr(0, close + 1));
        if (!c)
            return lineError("iptables-save rule with unreadable [packets:bytes]", t, lineNo);
        r.counters = c;
        rest = text::trim(rest.substr(close + 1));
    }
    if (!text::startsWith(rest, "-A ") && !text::startsWith(rest, "--append "))
        return lineError("iptables-save line is neither a rule (-A) nor a chain, table or COMMIT", t, lineNo,
                         nextStepFor(t));
    rest = text::trim(rest.substr(rest.find(' ') + 1));
    auto space = rest.find_first_of(" \t");
    chainName = std::string(rest.substr(0, space));
    if (chainName.empty())
        return lineError("iptables-save rule without a chain name", t, lineNo);
    auto argText = space == std::string_view::npos ? std::string_view() : text::trim(rest.substr(space));
    r.spec = std::string(argText);
    auto args = splitIptablesArguments(argText);
    if (!args)
        return lineError("iptables-save rule with an unterminated quote", t, lineNo,
                         "the output may be cut off; save the table again");
    auto ok = readArguments(*args, r, t, lineNo);
    if (!ok)
        return ok.error();
    if (r.protocol.empty()) {
        r.protocol = "all";
        r.protocolNumber = 0;
    }
    if (r.source.text.empty()) {
        r.source.text = "0.0.0.0/0";
        r.source.prefix = Ipv4Prefix(Ipv4(), 0);
    }
    if (r.destination.text.empty()) {
        r.destination.text = "0.0.0.0/0";
        r.destination.prefix = Ipv4Prefix(Ipv4(), 0);
    }
    return r;
}

// ":INPUT ACCEPT [12:3456]" / ":cali-INPUT - [0:0]" / ":X - -" (restore input).
Result<IptablesChain> parseChainLine(std::string_view t, int lineNo)
{
    auto w = text::words(t.substr(1));
    if (w.size() < 2 || w.size() > 3)
        return lineError("iptables-save chain line is not ':NAME POLICY [packets:bytes]'", t, lineNo);
    IptablesChain c;
    c.line = lineNo;
    c.name = std::string(w[0]);
    if (w[1] != "-")
        c.policy = std::string(w[1]);
    if (w.size() == 3 && w[2] != "-") {
        auto k = parseBracketCounters(w[2]);
        if (!k)
            return lineError("iptables-save chain line with unreadable [packets:bytes]", t, lineNo);
        if (c.policy)
            c.policyCounters = k;
    }
    return c;
}

} // namespace

std::optional<std::vector<std::string>> splitIptablesArguments(std::string_view s)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && text::isSpace(s[i]))
            ++i;
        if (i >= s.size())
            break;
        std::string word;
        while (i < s.size() && !text::isSpace(s[i])) {
            char q = s[i];
            if (q == '"' || q == '\'') {
                ++i;
                bool closed = false;
                while (i < s.size()) {
                    if (s[i] == q) {
                        closed = true;
                        ++i;
                        break;
                    }
                    if (q == '"' && s[i] == '\\' && i + 1 < s.size())
                        ++i;
                    word += s[i++];
                }
                if (!closed)
                    return std::nullopt;
            } else {
                word += s[i++];
            }
        }
        out.push_back(std::move(word));
    }
    return out;
}

Result<IptablesSnapshot> parseIptablesSave(std::string_view input)
{
    if (input.size() > text::kMaxInputBytes)
        return Error{"iptables-save output is larger than PodPath reads", "", "", 0};
    IptablesSnapshot snap;
    IptablesTable *table = nullptr;
    auto skip = [&snap](Error e) { snap.unreadable.push_back(std::move(e)); };
    auto close = [&table] {
        resolveVerdicts(*table);
        table = nullptr;
    };
    text::LineReader reader(input);
    std::string_view line;
    std::string joined;
    while (reader.next(line)) {
        const int lineNo = reader.lineNumber();
        auto t = text::trim(line);
        if (t.empty())
            continue;
        if (t.front() == '#') {
            if (isLegacyWarning(t))
                snap.legacyTablesPresent = true;
            if (text::startsWith(t, "# Warning"))
                snap.warnings.emplace_back(t);
            continue;
        }
        if (t.front() == '*') {
            if (table) {
                skip(lineError("iptables-save table " + table->name + " has no COMMIT before the next table", t,
                               lineNo, "the output may be mixed; save the tables again"));
                close();
            }
            auto name = text::trim(t.substr(1));
            if (name.empty() || text::words(name).size() != 1) {
                skip(lineError("iptables-save table line is not '*NAME'", t, lineNo));
                continue;
            }
            snap.tables.push_back(IptablesTable{std::string(name), {}, lineNo});
            table = &snap.tables.back();
            continue;
        }
        if (t == "COMMIT") {
            if (!table)
                skip(lineError("iptables-save COMMIT outside a table", t, lineNo));
            else
                close();
            continue;
        }
        if (!table) {
            skip(lineError("not an iptables-save line", t, lineNo, nextStepFor(t)));
            continue;
        }
        if (t.front() == ':') {
            auto c = parseChainLine(t, lineNo);
            if (!c)
                skip(c.error());
            else if (table->chain(c->name))
                skip(lineError("iptables-save declares chain " + c->name + " twice", t, lineNo));
            else
                table->chains.push_back(std::move(c).value());
            continue;
        }
        // A comment with a newline in it: the rule goes on, inside its quotes, on the
        // lines below. Joined until the quotes close (a comment is at most 256 bytes).
        if (!splitIptablesArguments(t)) {
            joined.assign(t);
            auto ahead = reader;
            std::string_view more;
            for (int k = 0; k < kMaxContinuationLines && joined.size() <= kMaxCommentBytes * 2 && ahead.next(more) &&
                            !startsStatement(more);
                 ++k) {
                joined += '\n';
                joined += more;
                if (splitIptablesArguments(joined)) {
                    reader = ahead;
                    t = text::trim(joined);
                    break;
                }
            }
        }
        std::string chainName;
        auto r = parseRuleLine(t, lineNo, chainName);
        if (!r) {
            skip(r.error());
            continue;
        }
        auto *chain = table->chain(chainName);
        if (!chain) {
            table->chains.push_back(IptablesChain{chainName, std::nullopt, std::nullopt, {}, lineNo});
            chain = &table->chains.back();
        }
        r->position = int(chain->rules.size()) + 1;
        chain->rules.push_back(std::move(r).value());
    }
    if (table)
        return Error{"iptables-save output ends inside table " + table->name + " (no COMMIT)",
                     "*" + table->name, "the output was cut off; save the table again", table->line};
    // Nothing but lines that are not iptables-save: the command printed something else
    // instead ("Permission denied", "command not found").
    if (snap.tables.empty() && !snap.unreadable.empty())
        return snap.unreadable.front();
    return snap;
}

} // namespace podpath::parse
