#include "iptables_snapshot.h"

namespace podpath::parse {

std::string IptablesRule::comment() const
{
    std::string out;
    for (const auto &c : comments) {
        if (!out.empty())
            out += "; ";
        out += c;
    }
    return out;
}

const IptablesChain *IptablesTable::chain(std::string_view name) const
{
    for (const auto &c : chains)
        if (c.name == name)
            return &c;
    return nullptr;
}

IptablesChain *IptablesTable::chain(std::string_view name)
{
    for (auto &c : chains)
        if (c.name == name)
            return &c;
    return nullptr;
}

const IptablesTable *IptablesSnapshot::table(std::string_view name) const
{
    for (const auto &t : tables)
        if (t.name == name)
            return &t;
    return nullptr;
}

const IptablesChain *IptablesSnapshot::chain(std::string_view tableName, std::string_view chainName) const
{
    const auto *t = table(tableName);
    return t ? t->chain(chainName) : nullptr;
}

namespace iptables_detail {

bool isLegacyWarning(std::string_view line)
{
    return line.find("iptables-legacy tables present") != std::string_view::npos;
}

void resolveVerdicts(IptablesTable &table, bool chainsKnown)
{
    for (auto &chain : table.chains) {
        for (auto &rule : chain.rules) {
            std::optional<bool> isChain;
            if (chainsKnown)
                isChain = table.chain(rule.target) != nullptr;
            rule.verdict = verdictOfIptablesTarget(rule.target, rule.isGoto, isChain);
        }
    }
}

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

} // namespace iptables_detail
} // namespace podpath::parse
