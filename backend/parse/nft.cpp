#include "nft.h"

#include "nft_rule_text.h"
#include "text.h"

#include <algorithm>
#include <string>

namespace podpath::parse {

namespace {

Error lineError(std::string message, std::string_view line, int lineNo, std::string nextStep = {})
{
    return Error{std::move(message), std::string(text::excerpt(line)), std::move(nextStep), lineNo};
}

std::string nextStepFor(std::string_view line)
{
    if (line.find("Operation not permitted") != std::string_view::npos ||
        line.find("ermission denied") != std::string_view::npos)
        return "run nft as root (sudo)";
    if (line.find("not found") != std::string_view::npos)
        return "install nftables on the node, or check PATH for sbin";
    return "check that the output comes from `nft list ruleset`";
}

// "type filter hook input device \"eth0\" priority filter; policy accept;"
void readChainHeader(std::string_view t, NftChain &chain)
{
    std::size_t start = 0;
    while (start <= t.size()) {
        auto end = t.find(';', start);
        auto clause = text::trim(t.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        auto w = text::words(clause);
        for (std::size_t i = 0; i + 1 < w.size(); ++i) {
            if (w[i] == "type")
                chain.type = std::string(w[i + 1]);
            else if (w[i] == "hook")
                chain.hook = std::string(w[i + 1]);
            else if (w[i] == "device")
                chain.device = nft_text::unquote(w[i + 1]);
            else if (w[i] == "policy")
                chain.policy = std::string(w[i + 1]);
            else if (w[i] == "priority") {
                std::string p;
                for (std::size_t k = i + 1; k < w.size(); ++k)
                    p += (p.empty() ? "" : " ") + std::string(w[k]);
                chain.priority = p;
                break;
            }
        }
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
}

enum class Block { Table, Chain, Set, Skip };

// How far a rule may go on over further lines (a comment's newlines).
constexpr int kMaxContinuationLines = 8;

bool quotesOpen(std::string_view s)
{
    return std::count(s.begin(), s.end(), '"') % 2 != 0;
}

// A line that no comment's continuation is: a block's end, a table or a chain.
bool startsBlockLine(std::string_view line)
{
    auto t = text::trim(line);
    return t == "}" || text::startsWith(t, "table ") || text::startsWith(t, "chain ");
}

// The prefixes that make up first..last, largest first, as a range is routed.
std::vector<Ipv4Prefix> rangePrefixes(Ipv4 first, Ipv4 last)
{
    std::vector<Ipv4Prefix> out;
    std::uint64_t start = first.toUint();
    const std::uint64_t end = last.toUint();
    while (start <= end && out.size() < 64) {
        int length = 32;
        while (length > 0) {
            const std::uint64_t size = std::uint64_t(1) << (32 - (length - 1));
            if (start % size != 0 || start + size - 1 > end)
                break;
            --length;
        }
        out.emplace_back(Ipv4(std::uint32_t(start)), length);
        start += std::uint64_t(1) << (32 - length);
    }
    return out;
}

// Pieces of "a, b, c" at top level (a quoted map key may hold a comma).
std::vector<std::string_view> splitElements(std::string_view s)
{
    std::vector<std::string_view> out;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i < s.size() && s[i] == '"')
            quoted = !quoted;
        if (i == s.size() || (s[i] == ',' && !quoted)) {
            auto piece = text::trim(s.substr(start, i - start));
            if (!piece.empty())
                out.push_back(piece);
            start = i + 1;
        }
    }
    return out;
}

// "elements = { a, b timeout 5m, c }" into the set; an element of an address set that
// reads as no address is kept (its text) and reported.
void readElements(std::string_view line, NftSet &set, int lineNo, std::vector<Error> &unreadable)
{
    const auto open = line.find('{');
    const auto close = line.rfind('}');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
        unreadable.push_back(lineError("nft set elements without their braces", line, lineNo));
        return;
    }
    for (auto piece : splitElements(line.substr(open + 1, close - open - 1))) {
        NftSetElement e;
        e.text = std::string(piece);
        std::string_view key = piece;
        if (const auto colon = piece.find(" : "); set.map && colon != std::string_view::npos) {
            key = text::trim(piece.substr(0, colon));
            e.value = std::string(text::trim(piece.substr(colon + 3)));
        }
        const auto keyWords = nft_text::tokens(key);
        e.key = keyWords.empty() ? std::string() : nft_text::unquote(keyWords.front());
        if (set.holdsIpv4()) {
            std::string_view k = e.key;
            if (const auto dash = k.find('-'); dash != std::string_view::npos) {
                auto first = Ipv4::parse(k.substr(0, dash));
                auto last = Ipv4::parse(k.substr(dash + 1));
                if (first && last && *first <= *last)
                    e.prefixes = rangePrefixes(*first, *last);
            } else if (auto p = Ipv4Prefix::parse(k)) {
                e.prefixes.push_back(*p);
            }
            if (e.prefixes.empty())
                unreadable.push_back(lineError("nft set " + set.name + ": element is no IPv4 address, prefix or range",
                                               e.text, lineNo));
        }
        set.elements.push_back(std::move(e));
    }
}

// A line inside a set or map block: its type, flags, elements; the rest (size, timeout,
// policy, counter, comment, auto-merge) is not needed.
void readSetLine(std::string_view t, NftSet &set, int lineNo, std::vector<Error> &unreadable)
{
    auto w = text::words(t);
    if (w.empty())
        return;
    auto rest = [&](std::string_view first) {
        auto r = text::trim(t.substr(first.size()));
        if (text::endsWith(r, ";"))
            r.remove_suffix(1);
        return text::trim(r);
    };
    if (w[0] == "type" || w[0] == "typeof")
        set.type = std::string(rest(w[0]));
    else if (w[0] == "flags")
        for (auto f : splitElements(rest(w[0])))
            set.flags.emplace_back(f);
    else if (w[0] == "elements")
        readElements(t, set, lineNo, unreadable);
}

} // namespace

bool NftSet::contains(Ipv4 address) const
{
    if (!holdsIpv4())
        return false;
    for (const auto &e : elements)
        for (const auto &p : e.prefixes)
            if (p.contains(address))
                return true;
    return false;
}

Result<NftRuleset> parseNftRuleset(std::string_view input)
{
    if (input.size() > text::kMaxInputBytes)
        return Error{"nft output is larger than PodPath reads", "", "", 0};
    NftRuleset rs;
    std::vector<Block> stack;
    auto skip = [&rs](Error e) { rs.unreadable.push_back(std::move(e)); };
    text::LineReader reader(input);
    std::string_view raw;
    std::string joined;
    while (reader.next(raw)) {
        const int lineNo = reader.lineNumber();
        auto whole = text::trim(raw);
        if (whole.empty())
            continue;
        // nft prints a comment's newline as it is: the rule goes on, inside its quotes,
        // on the lines below. Joined until the quotes close; a line that closes a block
        // or starts a table or chain ends the attempt (that quote never closes).
        if (quotesOpen(whole)) {
            joined.assign(whole);
            auto ahead = reader;
            std::string_view more;
            for (int k = 0; k < kMaxContinuationLines && ahead.next(more) && !startsBlockLine(more); ++k) {
                joined += '\n';
                joined += more;
                if (!quotesOpen(joined)) {
                    reader = ahead;
                    whole = text::trim(joined);
                    break;
                }
            }
        }
        if (whole.front() == '#') {
            if (text::startsWith(whole, "# Warning"))
                rs.warnings.emplace_back(whole);
            continue;
        }
        std::optional<std::uint64_t> handle;
        std::string logical(nft_text::stripComment(whole, handle));
        // A set's elements continue over several lines until their braces close; those
        // lines must not be mistaken for blocks or rules.
        int balance = nft_text::braceBalance(logical);
        const bool elements = text::startsWith(logical, "elements");
        while (balance > 0 && (elements || logical.back() != '{')) {
            std::string_view more;
            if (!reader.next(more))
                return lineError("nft output ends inside braces", whole, lineNo,
                                 "the output was cut off; list the ruleset again");
            std::optional<std::uint64_t> ignored;
            auto piece = nft_text::stripComment(text::trim(more), ignored);
            balance += nft_text::braceBalance(piece);
            logical += ' ';
            logical += piece;
        }
        std::string_view t = logical;
        if (t.empty())
            continue;
        const bool opens = !elements && t.back() == '{';
        const Block where = stack.empty() ? Block::Skip : stack.back();

        if (t == "}") {
            if (stack.empty())
                skip(lineError("nft '}' without a block to close", t, lineNo));
            else
                stack.pop_back();
            continue;
        }
        if (balance < 0) {
            skip(lineError("nft line closes more braces than it opens", t, lineNo));
            continue;
        }
        auto w = text::words(t);
        if (stack.empty()) {
            if (w.size() == 4 && w[0] == "table" && opens) {
                rs.tables.push_back(NftTable{std::string(w[1]), std::string(w[2]), {}, {}, lineNo});
                stack.push_back(Block::Table);
                continue;
            }
            skip(lineError("not an nft ruleset line", t, lineNo, nextStepFor(t)));
            continue;
        }
        if (where == Block::Skip) {
            if (opens)
                stack.push_back(Block::Skip);
            continue;
        }
        NftTable &table = rs.tables.back();
        if (where == Block::Set) {
            if (opens)
                stack.push_back(Block::Skip);
            else
                readSetLine(t, table.sets.back(), lineNo, rs.unreadable);
            continue;
        }
        if (where == Block::Table) {
            if (opens && w.size() == 3 && w[0] == "chain") {
                NftChain c;
                c.name = nft_text::unquote(w[1]);
                c.handle = handle;
                c.line = lineNo;
                table.chains.push_back(std::move(c));
                stack.push_back(Block::Chain);
            } else if (opens && w.size() == 3 && (w[0] == "set" || w[0] == "map")) {
                NftSet set;
                set.name = nft_text::unquote(w[1]);
                set.map = w[0] == "map";
                set.line = lineNo;
                table.sets.push_back(std::move(set));
                stack.push_back(Block::Set);
            } else if (opens) {
                stack.push_back(Block::Skip);
            }
            continue;  // flowtables, counters, table flags, comments: not needed
        }
        // In a chain.
        NftChain &chain = table.chains.back();
        if (opens) {
            // Skipped with what it holds, so its closing brace closes it and not the chain.
            skip(lineError("nft block inside a chain", t, lineNo));
            stack.push_back(Block::Skip);
            continue;
        }
        if (w[0] == "type" && t.find(" hook ") != std::string_view::npos) {
            readChainHeader(t, chain);
            continue;
        }
        if (w[0] == "policy" && w.size() == 2) {
            auto p = w[1];
            if (text::endsWith(p, ";"))
                p.remove_suffix(1);
            chain.policy = std::string(p);
            continue;
        }
        if (w[0] == "comment" && chain.rules.empty() && w.size() >= 2 && t.back() == '"') {
            chain.comment = nft_text::unquote(text::trim(t.substr(7)));
            continue;
        }
        auto rule = nft_text::analyseRule(t, lineNo);
        if (!rule) {
            skip(rule.error());
            continue;
        }
        rule->handle = handle;
        rule->position = int(chain.rules.size()) + 1;
        chain.rules.push_back(std::move(rule).value());
    }
    if (!stack.empty())
        return Error{"nft output ends inside a block", rs.tables.empty() ? "" : "table " + rs.tables.back().name,
                     "the output was cut off; list the ruleset again", reader.lineNumber()};
    // Nothing but lines that are not a ruleset: nft printed something else instead.
    if (rs.tables.empty() && !rs.unreadable.empty())
        return rs.unreadable.front();
    return rs;
}

const NftChain *NftTable::chain(std::string_view n) const
{
    for (const auto &c : chains)
        if (c.name == n)
            return &c;
    return nullptr;
}

const NftSet *NftTable::set(std::string_view n) const
{
    for (const auto &s : sets)
        if (s.name == n)
            return &s;
    return nullptr;
}

const NftTable *NftRuleset::table(std::string_view family, std::string_view name) const
{
    for (const auto &t : tables)
        if (t.family == family && t.name == name)
            return &t;
    return nullptr;
}

} // namespace podpath::parse
