#include "parse/bgp_sessions.h"

#include "core/ipv4.h"
#include "parse/text.h"

#include <algorithm>

namespace podpath::parse {

namespace {

using text::startsWith;

// "198_51_100_12" -> "198.51.100.12"; "fd00__2" -> "fd00::2"; nullopt otherwise.
std::optional<std::string> addressFromName(std::string_view s)
{
    if (s.empty() || s.size() > 64)
        return std::nullopt;
    const auto groups = std::count(s.begin(), s.end(), '_') + 1;
    const bool digitsOnly = std::all_of(s.begin(), s.end(), [](char c) { return c == '_' || (c >= '0' && c <= '9'); });
    std::string out(s);
    if (digitsOnly && groups == 4) {
        std::replace(out.begin(), out.end(), '_', '.');
        if (!Ipv4::parse(out))
            return std::nullopt;
        return out;
    }
    const bool hexOnly = std::all_of(s.begin(), s.end(), [](char c) {
        return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
    // IPv6: eight groups of up to four hex digits, or fewer around one "::".
    if (!hexOnly || groups < 3 || groups > 8)
        return std::nullopt;
    std::replace(out.begin(), out.end(), '_', ':');
    const auto gap = out.find("::");
    if ((gap == std::string::npos && groups != 8) || (gap != std::string::npos && out.find("::", gap + 1) != std::string::npos))
        return std::nullopt;
    std::size_t run = 0;
    for (char c : out) {
        run = c == ':' ? 0 : run + 1;
        if (run > 4)
            return std::nullopt;
    }
    return out;
}

} // namespace

std::optional<BgpSession> bgpSessionNamed(std::string_view protocol)
{
    BgpSession s;
    std::string_view rest;
    for (auto [prefix, kind] : {std::pair{std::string_view("Mesh_"), BgpPeerKind::Mesh},
                                std::pair{std::string_view("Global_"), BgpPeerKind::Global},
                                std::pair{std::string_view("Node_"), BgpPeerKind::Node}})
        if (startsWith(protocol, prefix)) {
            s.kind = kind;
            rest = protocol.substr(prefix.size());
            break;
        }
    if (rest.empty())
        return std::nullopt;
    if (auto port = rest.find("_port_"); port != std::string_view::npos) {
        if (!text::toUnsigned<std::uint16_t>(rest.substr(port + 6)))
            return std::nullopt;
        rest = rest.substr(0, port);
    }
    auto address = addressFromName(rest);
    if (!address)
        return std::nullopt;
    s.name = std::string(protocol);
    s.peer = std::move(*address);
    return s;
}

std::vector<BgpSession> bgpSessions(const CalicoLog &log)
{
    constexpr std::string_view changed = "State changed to ";
    std::vector<BgpSession> sessions;
    // Removed by a reconfiguration: BIRD still logs it closing ("stop", "flush", "down"),
    // which is no state of a session it runs. Back when added again ("Initializing").
    std::vector<std::string> removed;
    auto find = [&](std::string_view name) {
        return std::find_if(sessions.begin(), sessions.end(), [&](const BgpSession &s) { return s.name == name; });
    };
    for (const CalicoLogEntry &e : log.entries) {
        if (e.component != LogComponent::Bird && e.component != LogComponent::Bird6)
            continue;
        std::string_view m = text::trim(e.message);
        // A Calico-format line carrying BIRD's keeps "bird: " in its message.
        for (std::string_view p : {std::string_view("bird: "), std::string_view("bird6: ")})
            if (startsWith(m, p))
                m.remove_prefix(p.size());
        if (m == "Shutdown completed") {
            sessions.clear();
            removed.clear();
            continue;
        }
        if (startsWith(m, "Removing protocol ")) {
            const std::string_view name = text::trim(m.substr(18));
            if (auto it = find(name); it != sessions.end())
                sessions.erase(it);
            if (removed.size() < 4096)
                removed.emplace_back(name);
            continue;
        }
        const auto colon = m.find(": ");
        if (colon == std::string_view::npos || colon == 0)
            continue;
        auto named = bgpSessionNamed(m.substr(0, colon));
        if (!named)
            continue;
        const std::string_view said = m.substr(colon + 2);
        if (auto gone = std::find(removed.begin(), removed.end(), named->name); gone != removed.end()) {
            if (said != "Initializing")
                continue;
            removed.erase(gone);
        }
        auto it = find(named->name);
        if (!startsWith(said, changed)) {
            // Why it went (or stays) down, in BIRD's words: said just before it leaves "up",
            // or on each failed attempt after.
            if (it != sessions.end() &&
                (startsWith(said, "Received: ") || startsWith(said, "Error: ") || startsWith(said, "Socket")))
                it->problem = std::string(text::excerpt(said, 120));
            continue;
        }
        const std::string_view state = text::trim(said.substr(changed.size()));
        if (state.empty() || state.find(' ') != std::string_view::npos || state.size() > 16)
            continue;
        if (it == sessions.end()) {
            sessions.push_back(std::move(*named));
            it = sessions.end() - 1;
        }
        if (state == "up") {
            it->seenUp = true;
            it->downSince.reset();
            it->problem.clear();
        } else if (it->state == "up") {
            it->downSince = e.time;
        }
        it->state = std::string(state);
        it->since = e.time;
        it->line = e.line;
    }
    return sessions;
}

std::string_view toString(BgpPeerKind kind)
{
    switch (kind) {
    case BgpPeerKind::Mesh: return "mesh";
    case BgpPeerKind::Global: return "global";
    case BgpPeerKind::Node: return "node";
    }
    return "mesh";
}

} // namespace podpath::parse
