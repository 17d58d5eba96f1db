#pragma once
// wireguard.client / wireguard.server: does the node's WireGuard device hold a peer for the
// other node that can carry the echoes? Read from `wg show` (the pretty form, no keys): the
// peer whose allowed IPs take the other node's tunnel address (cryptokey routing) or whose
// endpoint is the other node, its endpoint an address the other node holds, its allowed
// IPs holding that tunnel address. The latest handshake is evidence, never a failure by
// itself: an idle pair has none, and the check must not fail a healthy node.

#include "diagnosis.h"
#include "topology.h"
#include "parse/wg_show.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::diagnose {

CheckResult checkWireguard(NodeRole role, const std::optional<parse::WireguardDevice> &device, const std::string &problem,
                           const NodeFacts &self, const NodeFacts &peer, const NodeSnapshot &peerNode,
                           std::vector<Finding> &findings);

} // namespace podpath::diagnose
