#include "endpoint_policy.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace podpath::diagnose {

namespace {

using parse::CountedRule;
using parse::Verdict;

// iptables joins a rule's comments with "; " (Felix's "cali:<id>" first, then its words);
// nft keeps one comment. The words, without the ids.
std::vector<std::string> commentWords(std::string_view comment)
{
    std::vector<std::string> out;
    while (!comment.empty()) {
        const auto cut = comment.find("; ");
        std::string_view part = comment.substr(0, cut);
        if (!part.empty() && part.rfind("cali:", 0) != 0)
            out.emplace_back(part);
        if (cut == std::string_view::npos)
            break;
        comment.remove_prefix(cut + 2);
    }
    return out;
}

bool contains(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }

// A rule as a reader wants it: its matches and target without the comments, which the
// sentence already quotes ("-p tcp -m multiport --dports 8080 -j DROP").
std::string withoutComments(std::string_view spec)
{
    std::string current(spec);
    for (std::string_view marker : {"-m comment --comment ", "comment "}) {
        std::string out;
        std::string_view rest = current;
        std::size_t at;
        while ((at = rest.find(marker)) != std::string_view::npos) {
            if (at > 0 && rest[at - 1] != ' ') {  // part of a longer word
                out.append(rest.substr(0, at + marker.size()));
                rest.remove_prefix(at + marker.size());
                continue;
            }
            out.append(rest.substr(0, at));
            std::size_t end = at + marker.size();
            if (end < rest.size() && rest[end] == '"') {
                for (++end; end < rest.size() && rest[end] != '"'; ++end)
                    if (rest[end] == '\\')
                        ++end;
                ++end;
            } else {
                end = rest.find(' ', end);
            }
            rest.remove_prefix(std::min(end, rest.size()));
            while (!rest.empty() && rest.front() == ' ')
                rest.remove_prefix(1);
        }
        out.append(rest);
        current = std::move(out);
    }
    while (!current.empty() && current.back() == ' ')
        current.pop_back();
    return current;
}

std::string joined(const std::vector<std::string> &words)
{
    std::string out;
    for (const auto &w : words)
        out += (out.empty() ? "" : "; ") + w;
    return out;
}

// "NetworkPolicy default/allow-web ingress", "Profile kns.default egress": the kind is
// one word ending in "Policy" (NetworkPolicy, GlobalNetworkPolicy, KubernetesNetworkPolicy,
// AdminNetworkPolicy, their Staged forms) or "Profile".
std::optional<std::pair<std::string, std::string>> policyNameIn(std::string_view words)
{
    const auto first = words.find(' ');
    const auto last = words.rfind(' ');
    if (first == std::string_view::npos || last == first)
        return std::nullopt;
    const std::string_view kind = words.substr(0, first);
    const std::string_view dir = words.substr(last + 1);
    const std::string_view name = words.substr(first + 1, last - first - 1);
    const bool policyKind = kind == "Profile" || (kind.size() > 6 && kind.substr(kind.size() - 6) == "Policy");
    if (!policyKind || (dir != "ingress" && dir != "egress") || name.empty() || contains(name, " "))
        return std::nullopt;
    return std::pair{std::string(kind), std::string(name)};
}

struct ChainKey {
    std::string table, chain;
    bool operator<(const ChainKey &o) const { return std::tie(table, chain) < std::tie(o.table, o.chain); }
};

class EndpointWalk {
public:
    EndpointWalk(const std::vector<CountedRule> &before, const std::vector<CountedRule> &after, EndpointPolicyReading &out)
        : m_out(out)
    {
        for (const auto &r : after)
            if (!r.isPolicy)
                m_chains[{r.id.table, r.id.chain}].push_back(&r);
        for (const auto &d : parse::diffCounters(before, after))
            if (!d.isPolicy)
                m_delta[{d.table, d.chain, d.position}] = d.packets;
    }

    // The endpoint's chain: "...tw-IFACE" or "...fw-IFACE", preceded by '-' or nothing.
    std::optional<ChainKey> endpointChain(std::string_view interface, PodSide side) const
    {
        const std::string tail = std::string(side == PodSide::Ingress ? "tw-" : "fw-") + std::string(interface);
        for (const auto &[key, rules] : m_chains) {
            const std::string &n = key.chain;
            if (n.size() >= tail.size() && n.compare(n.size() - tail.size(), tail.size(), tail) == 0 &&
                (n.size() == tail.size() || n[n.size() - tail.size() - 1] == '-'))
                return key;
        }
        return std::nullopt;
    }

    void countEntries(const ChainKey &endpoint)
    {
        for (const auto &[key, rules] : m_chains)
            for (const CountedRule *r : rules)
                if (key.table == endpoint.table && r->target == endpoint.chain) {
                    m_out.enteredCounted = true;
                    m_out.entered += delta(*r);
                }
    }

    void walkEndpoint(const ChainKey &key)
    {
        std::string tier;
        std::vector<PolicyRef> evaluated;
        std::optional<PolicyRef> lastPolicy, lastProfile;
        bool lastWasGroup = false;
        for (const CountedRule *r : m_chains[key]) {
            const auto words = commentWords(r->comment);
            const std::string text = joined(words);
            const std::uint64_t d = delta(*r);
            if (const auto at = text.find("Start of tier "); at != std::string::npos) {
                tier = text.substr(at + 14);
                tier = tier.substr(0, tier.find(';'));
                m_out.tiers.push_back(tier);
                evaluated.clear();
                continue;
            }
            if (const ChainKey target{key.table, r->target}; isChainJump(*r) && m_chains.count(target)) {
                const PolicyRef ref = refOf(target);
                if (ref.profile) {
                    m_out.profiles.push_back(ref);
                    lastProfile = ref;
                    continue;
                }
                lastWasGroup = isGroup(target);
                if (lastWasGroup) {
                    walkGroup(target, tier, evaluated, d > 0);
                } else {
                    m_out.policies.push_back(ref);
                    if (d > 0)
                        evaluated.push_back(ref);
                    walkPolicyDrops(target, ref, tier);
                }
                lastPolicy = ref;
                continue;
            }
            if (d == 0)
                continue;
            PolicyDecision dec;
            dec.packets = d;
            dec.chain = key.chain;
            dec.position = r->position;
            dec.rule = r->id.spec;
            dec.comment = text;
            if (contains(text, "Return if policy accepted")) {
                if (lastWasGroup)
                    continue;  // the group's own returns named the policies
                dec.outcome = PolicyOutcome::AllowedByPolicy;
                dec.tier = tier;
                dec.by = lastPolicy;
            } else if (contains(text, "Return if profile accepted")) {
                dec.outcome = PolicyOutcome::AllowedByProfile;
                dec.by = lastProfile;
            } else if (r->verdict == Verdict::Accept && (contains(r->id.spec, "ESTABLISHED") || contains(r->id.spec, "established"))) {
                dec.outcome = PolicyOutcome::AllowedByConnection;
            } else if (parse::discards(r->verdict)) {
                if (contains(text, "End of tier")) {
                    dec.outcome = PolicyOutcome::DroppedAtEndOfTier;
                    dec.tier = tierOfEnd(text, tier);
                    dec.evaluated = evaluated;
                } else if (contains(text, "no profiles matched")) {
                    dec.outcome = PolicyOutcome::DroppedNoProfile;
                } else if (contains(r->id.spec, "INVALID") || contains(r->id.spec, "invalid")) {
                    dec.outcome = PolicyOutcome::DroppedInvalid;
                } else {
                    dec.outcome = PolicyOutcome::DroppedOther;
                }
            } else {
                continue;  // marks, returns without a verdict of their own
            }
            m_out.decisions.push_back(std::move(dec));
        }
    }

private:
    std::uint64_t delta(const CountedRule &r) const
    {
        const auto it = m_delta.find({r.id.table, r.id.chain, r.position});
        return it == m_delta.end() ? 0 : it->second;
    }
    static bool isChainJump(const CountedRule &r) { return r.verdict == Verdict::Jump || r.verdict == Verdict::Goto; }

    static std::string tierOfEnd(const std::string &text, const std::string &current)
    {
        // "End of tier default. Drop if no policies passed packet"
        const auto at = text.find("End of tier ");
        if (at == std::string::npos)
            return current;
        std::string t = text.substr(at + 12);
        return t.substr(0, t.find_first_of(".;"));
    }

    PolicyRef refOf(const ChainKey &key) const
    {
        PolicyRef ref;
        ref.chain = key.chain;
        const auto &rules = m_chains.at(key);
        if (!rules.empty())
            for (const auto &w : commentWords(rules.front()->comment))
                if (auto named = policyNameIn(w)) {
                    ref.kind = named->first;
                    ref.name = named->second;
                    break;
                }
        // Profiles: Felix names the chain after the profile when it fits ("cali-pri-kns.default").
        for (std::string_view pfx : {"-pri-", "-pro-"})
            if (const auto at = key.chain.find(pfx); at != std::string::npos) {
                ref.profile = true;
                if (!ref.named() && key.chain[at + pfx.size()] != '_') {
                    ref.kind = "Profile";
                    ref.name = key.chain.substr(at + pfx.size());
                }
            }
        if (ref.kind == "Profile")
            ref.profile = true;
        return ref;
    }

    // A policy group (Felix's cali-gi-/cali-go-): a chain that only jumps to policies and
    // returns when one accepted; its first rule names no policy.
    bool isGroup(const ChainKey &key) const
    {
        const auto &rules = m_chains.at(key);
        if (rules.empty() || refOf(key).named())
            return false;
        for (const CountedRule *r : rules)
            if (isChainJump(*r) && m_chains.count({key.table, r->target}))
                return true;
        return false;
    }

    void walkGroup(const ChainKey &group, const std::string &tier, std::vector<PolicyRef> &evaluated, bool entered)
    {
        if (!m_seen.insert(group.chain).second) {
            m_out.notes.push_back("chain " + group.chain + " is reached twice; followed once");
            return;
        }
        std::optional<PolicyRef> last;
        for (const CountedRule *r : m_chains.at(group)) {
            const ChainKey target{group.table, r->target};
            if (isChainJump(*r) && m_chains.count(target)) {
                last = refOf(target);
                m_out.policies.push_back(*last);
                if (entered && delta(*r) > 0)
                    evaluated.push_back(*last);
                walkPolicyDrops(target, *last, tier);
                continue;
            }
            if (delta(*r) > 0 && contains(r->comment, "Return if policy accepted")) {
                PolicyDecision dec;
                dec.outcome = PolicyOutcome::AllowedByPolicy;
                dec.packets = delta(*r);
                dec.tier = tier;
                dec.by = last;
                dec.chain = group.chain;
                dec.position = r->position;
                dec.rule = r->id.spec;
                m_out.decisions.push_back(std::move(dec));
            }
        }
    }

    // A policy's own Deny rules that counted.
    void walkPolicyDrops(const ChainKey &chain, const PolicyRef &ref, const std::string &tier)
    {
        if (!m_seen.insert(chain.chain).second)
            return;
        for (const CountedRule *r : m_chains.at(chain)) {
            const std::uint64_t d = delta(*r);
            if (d == 0 || !parse::discards(r->verdict))
                continue;
            PolicyDecision dec;
            dec.outcome = PolicyOutcome::DeniedByRule;
            dec.packets = d;
            dec.tier = ref.profile ? std::string() : tier;
            dec.by = ref;
            dec.chain = chain.chain;
            dec.position = r->position;
            dec.rule = withoutComments(r->id.spec);
            dec.comment = joined(commentWords(r->comment));
            m_out.decisions.push_back(std::move(dec));
        }
    }

    EndpointPolicyReading &m_out;
    std::map<ChainKey, std::vector<const CountedRule *>> m_chains;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> m_delta;
    std::set<std::string> m_seen;
};

std::string packets(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " packet" : " packets"); }
const char *way(PodSide side) { return side == PodSide::Ingress ? "into the pod" : "out of the pod"; }

} // namespace

bool PolicyDecision::drops() const
{
    switch (outcome) {
    case PolicyOutcome::AllowedByPolicy:
    case PolicyOutcome::AllowedByProfile:
    case PolicyOutcome::AllowedByConnection:
        return false;
    default:
        return true;
    }
}

std::uint64_t EndpointPolicyReading::dropped() const
{
    std::uint64_t n = 0;
    for (const auto &d : decisions)
        n += d.drops() ? d.packets : 0;
    return n;
}

std::uint64_t EndpointPolicyReading::allowed() const
{
    std::uint64_t n = 0;
    for (const auto &d : decisions)
        n += d.drops() ? 0 : d.packets;
    return n;
}

EndpointPolicyReading readEndpointPolicy(const std::vector<parse::CountedRule> &before,
                                         const std::vector<parse::CountedRule> &after,
                                         std::string_view interface, PodSide side)
{
    EndpointPolicyReading out;
    out.interface = std::string(interface);
    out.side = side;
    EndpointWalk walk(before, after, out);
    const auto key = walk.endpointChain(interface, side);
    if (!key)
        return out;
    out.chain = key->chain;
    walk.countEntries(*key);
    walk.walkEndpoint(*key);
    return out;
}

std::string describePolicy(const PolicyRef &ref)
{
    if (ref.named())
        return ref.kind + " " + ref.name;
    return std::string(ref.profile ? "the profile" : "the policy") + " in chain " + ref.chain +
           " (this Felix writes no policy names into its rules: `calicoctl get networkpolicy,globalnetworkpolicy -A -o wide` "
           "lists the policies whose selector matches the pod)";
}

namespace {
std::string sentenceOf(const PolicyDecision &d, PodSide side, bool policySelects)
{
    const std::string n = packets(d.packets);
    const std::string who = d.by ? describePolicy(*d.by) : std::string("a policy");
    const std::string inTier = d.tier.empty() ? std::string() : " (tier " + d.tier + ")";
    switch (d.outcome) {
    case PolicyOutcome::AllowedByPolicy:
        return who + inTier + " allowed " + n + " " + way(side) + ".";
    case PolicyOutcome::AllowedByProfile:
        if (!policySelects)
            return std::string("No policy selects the pod for ") + (side == PodSide::Ingress ? "ingress" : "egress") +
                   "; its profile " + (d.by ? d.by->name.empty() ? d.by->chain : d.by->name : std::string("?")) +
                   " allowed " + n + " " + way(side) + ".";
        return "Its profile " + (d.by ? d.by->name : std::string()) + " allowed " + n + " " + way(side) +
               " after the policies passed them.";
    case PolicyOutcome::AllowedByConnection:
        return "Conntrack let " + n + " " + way(side) + " through as part of a connection already allowed.";
    case PolicyOutcome::DeniedByRule:
        return who + inTier + " dropped " + n + " " + way(side) + ": rule " + std::to_string(d.position) + " of " +
               d.chain + " (" + d.rule + ") matched them.";
    case PolicyOutcome::DroppedAtEndOfTier: {
        std::string list;
        for (const auto &p : d.evaluated)
            list += (list.empty() ? "" : ", ") + describePolicy(p);
        return "No policy in tier " + d.tier + " allowed " + n + " " + way(side) + ", so the tier's end dropped them" +
               (list.empty() ? std::string(".") : "; the policies that selected the pod and saw them: " + list + ".");
    }
    case PolicyOutcome::DroppedNoProfile:
        return "No profile allowed " + n + " " + way(side) + ", so the pod's chain dropped them.";
    case PolicyOutcome::DroppedInvalid:
        return "Conntrack judged " + n + " " + way(side) + " invalid, and the pod's chain dropped them.";
    case PolicyOutcome::DroppedOther:
        return "Rule " + std::to_string(d.position) + " of " + d.chain +
               (d.comment.empty() ? std::string() : " (\"" + d.comment + "\")") + " dropped " + n + " " + way(side) + ".";
    }
    return {};
}

} // namespace

std::string policySentence(const PolicyDecision &d, PodSide side, bool policySelects)
{
    // A sentence may open with an unnamed policy ("the policy in chain ..."): capitalised.
    std::string s = sentenceOf(d, side, policySelects);
    if (!s.empty() && s.front() >= 'a' && s.front() <= 'z')
        s.front() = char(s.front() - 'a' + 'A');
    return s;
}

} // namespace podpath::diagnose
