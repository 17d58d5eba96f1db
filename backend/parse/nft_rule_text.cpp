#include "nft_rule_text.h"

#include "text.h"

#include <algorithm>

namespace podpath::parse::nft_text {

std::string_view stripComment(std::string_view line, std::optional<std::uint64_t> &handle)
{
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '"')
            quoted = !quoted;
        else if (line[i] == '#' && !quoted) {
            auto note = text::words(line.substr(i + 1));
            if (note.size() >= 2 && note[0] == "handle")
                handle = text::toUnsigned(note[1]);
            return text::trim(line.substr(0, i));
        }
    }
    return line;
}

int braceBalance(std::string_view s)
{
    int n = 0;
    bool quoted = false;
    for (char c : s) {
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == '{')
            ++n;
        else if (!quoted && c == '}')
            --n;
    }
    return n;
}

std::string unquote(std::string_view s)
{
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"')
        s = s.substr(1, s.size() - 2);
    return std::string(s);
}

std::vector<std::string_view> tokens(std::string_view s)
{
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && text::isSpace(s[i]))
            ++i;
        if (i >= s.size())
            break;
        std::size_t start = i;
        bool quoted = false;
        while (i < s.size() && (quoted || !text::isSpace(s[i]))) {
            if (s[i] == '"')
                quoted = !quoted;
            ++i;
        }
        out.push_back(s.substr(start, i - start));
    }
    return out;
}

namespace {

Verdict verdictOfKeyword(std::string_view w, std::string_view next)
{
    if (w == "accept") return Verdict::Accept;
    if (w == "drop") return Verdict::Drop;
    if (w == "reject") return Verdict::Reject;
    if (w == "return") return Verdict::Return;
    if (w == "jump") return Verdict::Jump;
    if (w == "goto") return Verdict::Goto;
    if (w == "queue" || w == "masquerade" || w == "redirect" || w == "vmap")
        return Verdict::Other;
    // "ct status snat" is a match; the statement reads "snat to ..." / "snat ip to ...".
    if ((w == "snat" || w == "dnat") && (next == "to" || next == "ip" || next == "ip6"))
        return Verdict::Other;
    return Verdict::None;
}

std::string join(const std::vector<std::string_view> &w, std::size_t from, std::size_t to)
{
    std::string s;
    for (std::size_t i = from; i < to && i < w.size(); ++i) {
        if (!s.empty())
            s += ' ';
        s += w[i];
    }
    return s;
}

} // namespace

Result<NftRule> analyseRule(std::string_view text, int lineNo)
{
    NftRule r;
    r.line = lineNo;
    r.text = std::string(text::trim(text));
    auto w = tokens(r.text);
    std::vector<bool> keep(w.size(), true);
    std::size_t verdictAt = w.size();
    std::size_t commentAt = w.size();
    int depth = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        auto t = w[i];
        if (t.front() == '"')
            continue;
        for (char c : t) {
            if (c == '{')
                ++depth;
            else if (c == '}')
                --depth;
        }
        if (t == "counter" && i + 1 < w.size() && w[i + 1] == "packets") {
            auto p = i + 2 < w.size() ? text::toUnsigned(w[i + 2]) : std::nullopt;
            auto b = i + 4 < w.size() && w[i + 3] == "bytes" ? text::toUnsigned(w[i + 4]) : std::nullopt;
            if (!p || !b)
                return Error{"nft counter without packets N bytes M", std::string(text::excerpt(text)),
                             "the output may be cut off; list the ruleset again", lineNo};
            r.counters = Counters{*p, *b};
            for (std::size_t k = i + 1; k <= i + 4; ++k)
                keep[k] = false;
            i += 4;
            continue;
        }
        if (t == "comment" && depth == 0 && i + 1 < w.size() && w[i + 1].front() == '"') {
            r.comment = unquote(w[i + 1]);
            commentAt = std::min(commentAt, i);
            continue;
        }
        if (t.front() == '@') {
            NftSetReference ref;
            ref.set = std::string(t.substr(1));
            while (!ref.set.empty() && (ref.set.back() == ',' || ref.set.back() == '}'))
                ref.set.pop_back();
            std::size_t k = i;
            if (k > 0 && (w[k - 1] == "!=" || w[k - 1] == "==")) {
                ref.negated = w[k - 1] == "!=";
                --k;
            }
            ref.selector = join(w, k >= 2 ? k - 2 : 0, k);
            r.setReferences.push_back(std::move(ref));
            continue;
        }
        if (depth != 0)
            continue;
        auto v = verdictOfKeyword(t, i + 1 < w.size() ? w[i + 1] : std::string_view());
        if (v != Verdict::None) {
            r.verdict = v;
            verdictAt = i;
            r.target = (v == Verdict::Jump || v == Verdict::Goto) && i + 1 < w.size() ? std::string(w[i + 1]) : "";
        }
    }
    if (verdictAt < w.size())
        r.verdictText = join(w, verdictAt, commentAt > verdictAt ? commentAt : w.size());
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (!keep[i])
            continue;
        if (!r.spec.empty())
            r.spec += ' ';
        r.spec += w[i];
    }
    return r;
}

} // namespace podpath::parse::nft_text
