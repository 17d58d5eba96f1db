#include "counter_diff.h"

#include <map>
#include <tuple>

namespace podpath::parse {

std::vector<CountedRule> countedRules(const IptablesSnapshot &snapshot)
{
    std::vector<CountedRule> out;
    for (const auto &table : snapshot.tables) {
        for (const auto &chain : table.chains) {
            if (chain.policy && chain.policyCounters) {
                CountedRule p;
                p.id = {table.name, chain.name, "policy"};
                p.counters = *chain.policyCounters;
                p.target = *chain.policy;
                p.verdict = verdictOfIptablesTarget(*chain.policy, false, false);
                p.isPolicy = true;
                p.line = chain.line;
                out.push_back(std::move(p));
            }
            for (const auto &rule : chain.rules) {
                if (!rule.counters)
                    continue;
                CountedRule c{};
                c.id = {table.name, chain.name, rule.spec};
                c.position = rule.position;
                c.counters = *rule.counters;
                c.target = rule.target;
                c.comment = rule.comment();
                c.verdict = rule.verdict;
                c.line = rule.line;
                out.push_back(std::move(c));
            }
        }
    }
    return out;
}

std::vector<CountedRule> countedRules(const NftRuleset &ruleset)
{
    std::vector<CountedRule> out;
    for (const auto &table : ruleset.tables) {
        const std::string tableName = table.family + " " + table.name;
        for (const auto &chain : table.chains) {
            for (const auto &rule : chain.rules) {
                if (!rule.counters)
                    continue;
                CountedRule c{};
                c.id = {tableName, chain.name, rule.spec};
                c.position = rule.position;
                c.counters = *rule.counters;
                c.target = rule.target.empty() ? rule.verdictText : rule.target;
                c.comment = rule.comment;
                c.verdict = rule.verdict;
                c.line = rule.line;
                out.push_back(std::move(c));
            }
        }
    }
    return out;
}

std::vector<CounterDelta> diffCounters(const std::vector<CountedRule> &before, const std::vector<CountedRule> &after)
{
    using Key = std::tuple<std::string_view, std::string_view, std::string_view, bool>;
    auto keyOf = [](const CountedRule &r) { return Key{r.id.table, r.id.chain, r.id.spec, r.isPolicy}; };
    // Occurrences of each identity in the earlier snapshot, consumed in order.
    std::map<Key, std::vector<const CountedRule *>> earlier;
    for (const auto &r : before)
        earlier[keyOf(r)].push_back(&r);
    std::map<Key, std::size_t> used;

    std::vector<CounterDelta> out;
    for (const auto &r : after) {
        const Key key = keyOf(r);
        const CountedRule *old = nullptr;
        if (auto it = earlier.find(key); it != earlier.end()) {
            auto &n = used[key];
            if (n < it->second.size())
                old = it->second[n++];
        }
        const bool newRule = old == nullptr;
        bool counterReset = false;
        if (old && (r.counters.packets < old->counters.packets || r.counters.bytes < old->counters.bytes)) {
            counterReset = true;
            old = nullptr;
        }
        const Counters base = old ? old->counters : Counters{};
        if (r.counters.packets <= base.packets && r.counters.bytes <= base.bytes)
            continue;
        // Built in one go: member-wise assignment trips a g++ 12 -O2 false
        // maybe-uninitialized warning on the std::string members.
        out.push_back(CounterDelta{r.id.table, r.id.chain, r.position, r.id.spec, r.target, r.comment, r.verdict,
                                   r.counters.packets - base.packets, r.counters.bytes - base.bytes, r.isPolicy,
                                   newRule, counterReset, r.line});
    }
    return out;
}

std::vector<CounterDelta> diffCounters(const IptablesSnapshot &before, const IptablesSnapshot &after)
{
    return diffCounters(countedRules(before), countedRules(after));
}

std::vector<CounterDelta> diffCounters(const NftRuleset &before, const NftRuleset &after)
{
    return diffCounters(countedRules(before), countedRules(after));
}

std::vector<CounterDelta> discardingOnly(const std::vector<CounterDelta> &deltas)
{
    std::vector<CounterDelta> out;
    for (const auto &d : deltas)
        if (d.discards())
            out.push_back(d);
    return out;
}

} // namespace podpath::parse
