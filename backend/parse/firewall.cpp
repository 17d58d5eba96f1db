#include "firewall.h"

#include "text.h"

#include <array>
#include <utility>

namespace podpath::parse {

std::string_view verdictName(Verdict v)
{
    switch (v) {
    case Verdict::None: return "none";
    case Verdict::Accept: return "accept";
    case Verdict::Drop: return "drop";
    case Verdict::Reject: return "reject";
    case Verdict::Return: return "return";
    case Verdict::Jump: return "jump";
    case Verdict::Goto: return "goto";
    case Verdict::Other: return "other";
    }
    return "none";
}

Verdict verdictOfIptablesTarget(std::string_view target, bool isGoto, bool isChain)
{
    if (target.empty())
        return Verdict::None;
    if (target == "ACCEPT")
        return Verdict::Accept;
    if (target == "DROP")
        return Verdict::Drop;
    if (target == "REJECT")
        return Verdict::Reject;
    if (target == "RETURN")
        return Verdict::Return;
    if (!isChain)
        return Verdict::Other;
    return isGoto ? Verdict::Goto : Verdict::Jump;
}

std::optional<int> ipProtocolNumber(std::string_view name)
{
    if (auto n = text::toUnsigned<unsigned>(name)) {
        if (*n > 255)
            return std::nullopt;
        return int(*n);
    }
    static constexpr std::array<std::pair<std::string_view, int>, 17> kNames{{
        {"all", 0}, {"ip", 0}, {"icmp", 1}, {"igmp", 2}, {"ipencap", 4}, {"ipv4", 4},
        {"ip-encap", 4}, {"tcp", 6}, {"udp", 17}, {"ipv6", 41}, {"gre", 47}, {"esp", 50},
        {"ah", 51}, {"icmpv6", 58}, {"ipip", 94}, {"sctp", 132}, {"udplite", 136},
    }};
    for (const auto &[n, number] : kNames)
        if (n == name)
            return number;
    return std::nullopt;
}

} // namespace podpath::parse
