#include "wireguard_path.h"

#include <algorithm>
#include <map>

namespace podpath::diagnose {

namespace {

// Long enough for a busy node's WireGuard queue, short enough that a sealed packet is
// never handed to an echo sent half a second earlier whose own packet was never sent.
constexpr std::int64_t kSealWithinNs = 200'000'000;

std::string echoWords(const EchoSighting &e)
{
    return std::string(e.isReply ? "reply" : "request") + " id " + std::to_string(e.id) + " seq " + std::to_string(e.seq);
}

} // namespace

std::vector<EchoSighting> sealedEchoSightings(const WireguardLink &link, const std::vector<EchoSighting> &echoes,
                                              const std::vector<SealedSighting> &sealed)
{
    std::vector<EchoSighting> out;
    for (NodeRole node : {NodeRole::Client, NodeRole::Server}) {
        const NodeRole peer = node == NodeRole::Client ? NodeRole::Server : NodeRole::Client;
        const std::string &device = node == NodeRole::Client ? link.clientDevice : link.serverDevice;
        // What this node sent into its WireGuard device, in order.
        std::vector<const EchoSighting *> clear;
        for (const auto &e : echoes)
            if (e.node == node && e.outgoing && e.wrapping == Wrapping::Plain && e.interface == device)
                clear.push_back(&e);
        std::stable_sort(clear.begin(), clear.end(), [](auto *a, auto *b) { return a->timeNs < b->timeNs; });
        // What it sealed and sent, in order; and what its peer received, by name.
        std::vector<const SealedSighting *> sent;
        std::map<std::pair<std::uint32_t, std::uint64_t>, const SealedSighting *> received;
        for (const auto &s : sealed) {
            if (s.type != 4)
                continue;
            if (s.node == node && s.outgoing)
                sent.push_back(&s);
            else if (s.node == peer && !s.outgoing)
                received.emplace(std::pair(s.receiver, s.counter), &s);
        }
        std::stable_sort(sent.begin(), sent.end(), [](auto *a, auto *b) { return a->timeNs < b->timeNs; });
        std::vector<bool> taken(sent.size(), false);
        for (std::size_t k = 0; k < clear.size(); ++k) {
            const EchoSighting &e = *clear[k];
            const std::uint32_t length = sealedLength(e.ipLength);
            // Before this node's next echo of the same length: a later packet of that
            // length is that echo's (unless this one was never sealed).
            std::int64_t until = e.timeNs + kSealWithinNs;
            for (std::size_t n = k + 1; n < clear.size(); ++n)
                if (sealedLength(clear[n]->ipLength) == length) {
                    until = std::min(until, clear[n]->timeNs);
                    break;
                }
            std::size_t i = 0;
            while (i < sent.size() && (taken[i] || sent[i]->length != length || sent[i]->timeNs < e.timeNs))
                ++i;
            if (i == sent.size() || sent[i]->timeNs >= until)
                continue;
            taken[i] = true;
            auto sighting = [&](const SealedSighting &s) {
                EchoSighting x = e;
                x.node = s.node;
                x.interface = s.interface;
                x.outgoing = s.outgoing;
                x.wrapping = Wrapping::Wireguard;
                x.outerSrc = s.src;
                x.outerDst = s.dst;
                x.timeNs = s.timeNs;
                x.summary = s.summary + " (the echo " + echoWords(e) + ")";
                return x;
            };
            out.push_back(sighting(*sent[i]));
            if (auto it = received.find({sent[i]->receiver, sent[i]->counter}); it != received.end())
                out.push_back(sighting(*it->second));
        }
    }
    return out;
}

WireguardWire wireguardWire(const std::vector<SealedSighting> &sealed)
{
    WireguardWire w;
    for (const auto &s : sealed) {
        const bool client = s.node == NodeRole::Client;
        if (!s.outgoing) {
            if (s.type == 1)
                ++(client ? w.clientInitiationsReceived : w.serverInitiationsReceived);
            continue;  // otherwise each message is counted once, by the node that sent it
        }
        switch (s.type) {
        case 1:
            ++(client ? w.clientInitiations : w.serverInitiations);
            if (!(client ? w.clientPort : w.serverPort))
                (client ? w.clientPort : w.serverPort) = s.dstPort;
            break;
        case 2: ++(client ? w.clientResponses : w.serverResponses); break;
        case 4:
            ++(client ? w.clientDataSent : w.serverDataSent);
            (client ? w.clientPort : w.serverPort) = s.dstPort;
            break;
        default: break;
        }
        if ((s.type == 1 || s.type == 2) && w.handshakeEvidence.size() < 4)
            w.handshakeEvidence.push_back(s.summary);
    }
    return w;
}

} // namespace podpath::diagnose
