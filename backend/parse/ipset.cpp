#include "ipset.h"

#include "ipset_member.h"
#include "text.h"

namespace podpath::parse {

std::optional<std::string> Ipset::headerValue(std::string_view key) const
{
    for (const auto &[k, v] : headerOptions)
        if (k == key)
            return v;
    return std::nullopt;
}

std::string Ipset::family() const { return headerValue("family").value_or("inet"); }

std::optional<std::uint64_t> Ipset::maxelem() const
{
    auto v = headerValue("maxelem");
    return v ? text::toUnsigned(*v) : std::nullopt;
}

std::optional<std::uint64_t> Ipset::timeout() const
{
    auto v = headerValue("timeout");
    return v ? text::toUnsigned(*v) : std::nullopt;
}

bool Ipset::holdsAddresses() const
{
    // "ipv4_addr": an nft set of addresses (nftables-mode Calico), read as the hash:net
    // it replaces.
    return text::startsWith(type, "hash:ip") || text::startsWith(type, "hash:net") ||
           text::startsWith(type, "bitmap:ip") || type == "ipv4_addr";
}

bool Ipset::contains(Ipv4 address) const
{
    if (!holdsAddresses())
        return false;
    // hash:ip with "netmask N" stores each member as its /N network.
    std::optional<int> netmask;
    if (text::startsWith(type, "hash:ip"))
        if (auto v = headerValue("netmask"))
            if (auto n = text::toUnsigned<unsigned>(*v); n && *n <= 32)
                netmask = int(*n);
    const IpsetMember *best = nullptr;
    int bestLength = -1;
    for (const auto &m : members) {
        if (!m.prefix)
            continue;
        Ipv4Prefix p = *m.prefix;
        if (netmask && p.length() == 32)
            p = Ipv4Prefix(p.address(), *netmask);
        if (p.contains(address) && p.length() > bestLength) {
            best = &m;
            bestLength = p.length();
        }
    }
    return best && !best->nomatch;
}

const Ipset *IpsetList::find(std::string_view name) const
{
    for (const auto &s : sets)
        if (s.name == name)
            return &s;
    return nullptr;
}

namespace {

Error lineError(std::string message, std::string_view line, int lineNo, std::string nextStep = {})
{
    return Error{std::move(message), std::string(text::excerpt(line)), std::move(nextStep), lineNo};
}

std::string nextStepFor(std::string_view line)
{
    if (line.find("does not exist") != std::string_view::npos)
        return "the set is not on this node: Calico may use another name (felix-calico-hosts-4, cali40all-hosts-net)";
    if (line.find("not permitted") != std::string_view::npos || line.find("ermission denied") != std::string_view::npos)
        return "run ipset as root (sudo)";
    if (line.find("not found") != std::string_view::npos)
        return "install ipset on the node, or check PATH for sbin";
    return "check that the output comes from `ipset list`";
}

std::optional<std::uint64_t> number(std::string_view v) { return text::toUnsigned(text::trim(v)); }

} // namespace

Result<IpsetList> parseIpsetList(std::string_view input)
{
    if (input.size() > text::kMaxInputBytes)
        return Error{"ipset output is larger than PodPath reads", "", "", 0};
    IpsetList list;
    auto skip = [&list](Error e) { list.unreadable.push_back(std::move(e)); };
    bool inMembers = false;
    text::LineReader reader(input);
    std::string_view line;
    while (reader.next(line)) {
        const int lineNo = reader.lineNumber();
        auto t = text::trim(line);
        if (inMembers && !t.empty() && !text::startsWith(t, "Name: ")) {
            auto m = ipset_detail::memberOf(list.sets.back(), t, lineNo);
            if (!m)
                skip(m.error());
            else
                list.sets.back().members.push_back(std::move(m).value());
            continue;
        }
        inMembers = false;
        if (t.empty())
            continue;
        auto colon = t.find(':');
        if (colon == std::string_view::npos || text::startsWith(t, "ipset v")) {
            skip(lineError("not an ipset list line", t, lineNo, nextStepFor(t)));
            continue;
        }
        auto key = t.substr(0, colon);
        auto value = text::trim(t.substr(colon + 1));
        if (key == "Name") {
            Ipset s;
            s.name = std::string(value);
            s.line = lineNo;
            list.sets.push_back(std::move(s));
            continue;
        }
        if (list.sets.empty()) {
            skip(lineError("ipset field before the first Name:", t, lineNo, nextStepFor(t)));
            continue;
        }
        Ipset &s = list.sets.back();
        std::optional<std::uint64_t> n;
        const bool numeric = key == "Revision" || key == "Size in memory" || key == "References" ||
                             key == "Number of entries";
        if (numeric && !(n = number(value))) {
            skip(lineError("ipset field " + std::string(key) + " is not a number", t, lineNo));
            continue;
        }
        if (key == "Type")
            s.type = std::string(value);
        else if (key == "Revision")
            s.revision = *n <= 1000000 ? std::optional<int>(int(*n)) : std::nullopt;
        else if (key == "Header")
            ipset_detail::readHeader(s, value);
        else if (key == "Size in memory")
            s.sizeInMemory = n;
        else if (key == "References")
            s.references = n;
        else if (key == "Number of entries")
            s.numberOfEntries = n;
        else if (key == "Members") {
            s.membersListed = true;
            inMembers = true;
        }
        // Other "Key: value" lines are fields of newer ipset versions: not needed.
    }
    // Nothing but lines that are not a listing: ipset printed something else instead.
    if (list.sets.empty() && !list.unreadable.empty())
        return list.unreadable.front();
    return list;
}

} // namespace podpath::parse
