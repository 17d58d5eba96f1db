#include "ipset_member.h"

#include "text.h"

#include <array>

namespace podpath::parse::ipset_detail {

void readHeader(Ipset &set, std::string_view header)
{
    // Options without a value; every other header word is followed by its value.
    static constexpr std::array<std::string_view, 4> kFlags{"counters", "comment", "skbinfo", "forceadd"};
    set.header = std::string(header);
    auto w = text::words(header);
    for (std::size_t i = 0; i < w.size(); ++i) {
        bool flag = false;
        for (auto f : kFlags)
            if (w[i] == f)
                flag = true;
        if (flag || i + 1 >= w.size()) {
            set.headerOptions.emplace_back(std::string(w[i]), std::string());
        } else {
            set.headerOptions.emplace_back(std::string(w[i]), std::string(w[i + 1]));
            ++i;
        }
    }
}

Result<IpsetMember> memberOf(const Ipset &set, std::string_view line, int lineNo)
{
    IpsetMember m;
    m.line = lineNo;
    auto w = text::words(line);
    if (w.empty())
        return Error{"empty ipset member", "", "", lineNo};
    m.element = std::string(w[0]);
    auto afterElement = std::size_t(w[0].data() + w[0].size() - line.data());
    m.options = std::string(text::trim(line.substr(afterElement)));
    bool quoted = false;  // a comment's words are not options
    for (std::size_t i = 1; i < w.size(); ++i) {
        bool startsQuoted = quoted;
        for (char c : w[i])
            if (c == '"')
                quoted = !quoted;
        if (startsQuoted || w[i].front() == '"')
            continue;
        if (w[i] == "nomatch")
            m.nomatch = true;
        else if (w[i] == "timeout" && i + 1 < w.size())
            m.timeout = text::toUnsigned(w[i + 1]);
    }
    if (set.holdsAddresses() && set.family() == "inet") {
        auto address = std::string_view(m.element).substr(0, m.element.find(','));
        // bitmap:ip lists ranges as a-b only on input; members print one by one.
        m.prefix = address == "default" ? std::nullopt : Ipv4Prefix::parse(address);
        if (!m.prefix)
            return Error{"ipset member of " + set.name + " is not an IPv4 address or network",
                         std::string(text::excerpt(line)), "the listing may be cut off; list the set again",
                         lineNo};
    }
    return m;
}

} // namespace podpath::parse::ipset_detail
