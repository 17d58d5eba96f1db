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

} // namespace podpath::parse
