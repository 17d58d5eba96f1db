#include "ip_netns.h"

#include "text.h"

namespace podpath::parse {

const NamedNetns *NetnsList::withId(int id) const
{
    for (const auto &n : namespaces)
        if (n.id == id)
            return &n;
    return nullptr;
}

NetnsList parseIpNetnsList(std::string_view input)
{
    NetnsList out;
    text::LineReader reader(input);
    std::string_view line;
    while (reader.next(line)) {
        const int lineNo = reader.lineNumber();
        const auto w = text::words(line);
        if (w.empty())
            continue;
        // "NAME" or "NAME (id: N)"; a name never holds a blank (ip netns add refuses it).
        NamedNetns n;
        n.name = std::string(w[0]);
        bool ok = w.size() == 1;
        if (w.size() == 3 && w[1] == "(id:" && text::endsWith(w[2], ")")) {
            auto id = text::toUnsigned<std::uint32_t>(w[2].substr(0, w[2].size() - 1));
            ok = id && *id <= 0x7fffffffu;
            if (ok)
                n.id = int(*id);
        }
        if (!ok || n.name.find('/') != std::string::npos) {
            out.unreadable.push_back(Error{"not a line of `ip netns list`", std::string(line.substr(0, 80)),
                                           "run `ip netns list` on the node to see it", lineNo});
            continue;
        }
        out.namespaces.push_back(std::move(n));
    }
    return out;
}

} // namespace podpath::parse
