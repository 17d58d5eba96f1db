#include "wireguard_checks.h"

#include "finding_codes.h"

#include <algorithm>

namespace podpath::diagnose {

namespace {

bool holds(const NodeSnapshot &node, const IpAddress &address)
{
    for (const auto &i : node.interfaces) {
        if (address.v4() && std::any_of(i.ipv4.begin(), i.ipv4.end(), [&](const auto &a) { return a.address.address() == *address.v4(); }))
            return true;
        if (address.v6())
            for (const Ipv6Prefix &p : i.ipv6Prefixes())
                if (p.address() == *address.v6())
                    return true;
    }
    return false;
}

// One peer as evidence: its key shortened (a public key, but the reader needs only to
// tell peers apart), endpoint, allowed IPs, latest handshake.
std::string peerLine(const parse::WireguardPeer &p)
{
    std::string out = "peer " + p.publicKey.substr(0, 8) + "...: endpoint " + p.endpoint.value_or("(none)") + ", allowed ips ";
    std::string ips;
    for (const auto &a : p.allowedIps)
        ips += (ips.empty() ? "" : ", ") + a;
    out += ips.empty() ? "(none)" : ips;
    out += p.latestHandshakeAgoSeconds ? ", latest handshake " + std::to_string(*p.latestHandshakeAgoSeconds) + " s ago"
                                       : ", no handshake yet";
    return out;
}

bool allows(const parse::WireguardPeer &p, Ipv4 a)
{
    return std::any_of(p.allowedIpv4.begin(), p.allowedIpv4.end(), [&](const Ipv4Prefix &x) { return x.contains(a); });
}

} // namespace

CheckResult checkWireguard(NodeRole role, const std::optional<parse::WireguardDevice> &device, const std::string &problem,
                           const NodeFacts &self, const NodeFacts &peer, const NodeSnapshot &peerNode,
                           std::vector<Finding> &findings)
{
    CheckResult c;
    c.id = "wireguard." + std::string(roleName(role));
    const std::string who = nodeName(self), other = nodeName(peer), dev = self.encryptionDevice;
    if (!device) {
        c.status = Status::Unknown;
        c.detail = (problem.empty() ? std::string("`wg show` was not read") : problem) + "; on " + who +
                   " as root: wg show " + dev + " (its peer for " + other + ")";
        return c;
    }
    auto fail = [&](FindingCode code, const std::string &message, std::string next) {
        return failCheck(c, findings, code, message, std::move(next));
    };
    const std::string wgShow = "On " + who + ": wg show " + dev;
    // Cryptokey routing decides where the echoes go: the peer whose allowed IPs take the
    // other node's tunnel address. Else the one that sends to the other node's address.
    const parse::WireguardPeer *byRoute = peer.tunnelIp ? device->peerFor(IpAddress(*peer.tunnelIp)) : nullptr;
    const parse::WireguardPeer *byEndpoint = nullptr;
    for (const auto &p : device->peers)
        if (p.endpointAddress && holds(peerNode, *p.endpointAddress))
            byEndpoint = &p;
    const parse::WireguardPeer *found = byRoute ? byRoute : byEndpoint;
    if (!found && !device->unreadable.empty()) {
        // A peer not found among the lines that read may be on one that did not: not known.
        c.status = Status::Unknown;
        c.detail = "Among the lines of `wg show " + dev + "` that could be read, no peer for " + other + " (" +
                   std::to_string(device->unreadable.size()) + " could not be read: " + device->unreadable.front().oneLine() + ")";
        return c;
    }
    if (!found) {
        for (const auto &p : device->peers)
            if (c.evidence.size() < 5)
                c.evidence.push_back(peerLine(p));
        if (device->peers.empty())
            c.evidence.push_back("interface " + device->name + ": no peers");
        return fail(kWireguardPeerMissing,
                    who + "'s " + dev + " has no peer for " + other + " (none sends to " + ipText(peer.nodeIp) +
                        " or allows " + ipText(peer.tunnelIp) + ")",
                    wgShow + "; Felix adds a peer for every node whose Calico Node resource carries a WireGuard "
                             "public key: kubectl get node " + other + " -o yaml (projectcalico.org/WireguardPublicKey)");
    }
    c.evidence.push_back(peerLine(*found));
    if (peer.tunnelIp && !allows(*found, *peer.tunnelIp))
        return fail(kWireguardAllowedIpsMissing,
                    who + "'s peer for " + other + " does not allow " + ipText(peer.tunnelIp) +
                        " (its allowed ips lack the node's block and tunnel address): what " + other +
                        " sends from there is dropped after decryption",
                    wgShow + "; Felix sets a peer's allowed ips to the node's blocks and tunnel addresses: check "
                             "calico-node's log on " + who);
    if (!found->endpointAddress)
        return fail(kWireguardEndpointWrong, who + "'s peer for " + other + " has no endpoint: " + who + " cannot send to it",
                    wgShow + "; the endpoint must be " + ipText(peer.nodeIp) + ":51820 (or the port Felix listens on)");
    if (!holds(peerNode, *found->endpointAddress))
        return fail(kWireguardEndpointWrong,
                    who + " sends " + other + "'s WireGuard packets to " + *found->endpoint + ", an address " + other +
                        " does not hold (" + other + " is " + ipText(peer.nodeIp) + ")",
                    wgShow + "; Felix takes the endpoint from the Node resource's address: kubectl get node " + other +
                        " -o wide; a stale one heals when " + other + " sends first (WireGuard learns its address)");
    c.status = Status::Pass;
    c.detail = "peer for " + other + ": endpoint " + *found->endpoint + ", allows " + ipText(peer.tunnelIp) +
               (found->latestHandshakeAgoSeconds ? ", latest handshake " + std::to_string(*found->latestHandshakeAgoSeconds) + " s ago"
                                                  : ", no handshake yet");
    return c;
}

} // namespace podpath::diagnose
