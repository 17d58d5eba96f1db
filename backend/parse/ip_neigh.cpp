#include "ip_neigh.h"

#include "ip_json.h"
#include "text.h"

#include <algorithm>
#include <array>

namespace podpath::parse {

namespace {

constexpr const char *kNextStep =
    "Run `ip neigh` on the node and compare; PodPath reads the default, -s and -j forms";

// Flags print_neigh writes as bare words (the JSON keys are the same, with null values).
constexpr std::array<std::string_view, 3> kNeighFlags{"extern_learn", "offload", "managed"};

bool isState(std::string_view w)
{
    return std::all_of(w.begin(), w.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; });
}

bool readAddress(std::string_view text, Neighbour &n)
{
    n.address = std::string(text);
    n.ipv4 = Ipv4::parse(text);
    n.ipv6 = Ipv6::parse(text);
    return n.ipv4 || n.ipv6 || (text::looksLikeIpv6(text) && text.find('/') == std::string_view::npos);
}

} // namespace

bool Neighbour::hasState(std::string_view state) const
{
    return std::find(states.begin(), states.end(), state) != states.end();
}

Result<NeighbourTable> parseIpNeigh(std::string_view output)
{
    return ipjson::looksLikeJson(output) ? parseIpNeighJson(output) : parseIpNeighText(output);
}

Result<NeighbourTable> parseIpNeighText(std::string_view output)
{
    if (output.size() > text::kMaxInputBytes)
        return Error{"ip neigh output is too large to read", std::to_string(output.size()) + " bytes",
                     "Narrow the command (`ip neigh show dev NAME`) and run it again", 0};
    NeighbourTable table;
    text::LineReader reader(output);
    std::string_view line;
    while (reader.next(line)) {
        auto w = text::words(line);
        if (w.empty())
            continue;
        Neighbour n;
        if (!readAddress(w[0], n)) {
            table.unreadable.push_back(
                Error{"not a neighbour: \"" + std::string(text::excerpt(w[0], 60)) + "\" is not an address",
                      std::string(text::excerpt(text::trim(line))), kNextStep, reader.lineNumber()});
            continue;
        }
        for (std::size_t i = 1; i < w.size(); ++i) {
            bool hasValue = i + 1 < w.size();
            auto key = w[i];
            if (key == "dev" && hasValue) {
                n.device = std::string(w[++i]);
            } else if (key == "lladdr" && hasValue) {
                n.lladdr = std::string(w[++i]);
            } else if (key == "router") {
                n.router = true;
            } else if (key == "proxy") {
                n.proxy = true;
            } else if (std::find(kNeighFlags.begin(), kNeighFlags.end(), key) != kNeighFlags.end()) {
                n.flags.emplace_back(key);
            } else if (key == "used" && hasValue) {
                // -s prints "used 3/3/3probes 4": iproute2 leaves out the space.
                if (text::endsWith(w[++i], "probes") && i + 1 < w.size())
                    ++i;
            } else if ((key == "probes" || key == "ref") && hasValue) {
                ++i;
            } else if (isState(key)) {
                n.states.emplace_back(key);
            }
            // Unknown lower-case words carry nothing PodPath uses.
        }
        table.neighbours.push_back(std::move(n));
    }
    // Nothing but lines that are not neighbours: the command printed something else.
    if (table.neighbours.empty() && !table.unreadable.empty())
        return table.unreadable.front();
    return table;
}

Result<NeighbourTable> parseIpNeighJson(std::string_view output)
{
    constexpr const char *kCommand = "ip -j neigh";
    auto doc = ipjson::load(output, kCommand);
    if (!doc)
        return doc.error();
    NeighbourTable table;
    for (std::size_t k = 0; k < doc->elements.size(); ++k) {
        ipjson::Fields f(doc->elements[k], doc->lineOf(k), kCommand);
        Neighbour n;
        auto dst = f.string("dst");
        if (f.isObject() && (!dst || !readAddress(*dst, n)))
            f.fail("a neighbour without a readable \"dst\"");
        n.device = f.string("dev").value_or("");
        n.lladdr = f.string("lladdr").value_or("");
        n.states = f.strings("state");
        // Flags are keys with a null value: "router": null.
        n.router = f.has("router");
        n.proxy = f.has("proxy");
        for (auto flag : kNeighFlags)
            if (f.has(std::string(flag).c_str()))
                n.flags.emplace_back(flag);
        if (f.error())
            table.unreadable.push_back(*f.error());
        else
            table.neighbours.push_back(std::move(n));
    }
    if (table.neighbours.empty() && !table.unreadable.empty())
        return table.unreadable.front();
    return table;
}

} // namespace podpath::parse
