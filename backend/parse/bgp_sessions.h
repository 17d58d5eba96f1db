#pragma once
// BIRD's BGP sessions as calico-node's log tells them. Calico's BIRD templates log each
// protocol's state changes ("debug { states }"), so the log holds, per peer, the last
// "bird: Mesh_198_51_100_12: State changed to up": the only account of BGP a node keeps
// outside the calico-node container (birdcl runs inside it).

#include "parse/calico_log.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::parse {

// Calico names each BGP protocol after its peer (confd's bgp_processor):
// Mesh_<ip> (node-to-node mesh), Global_<ip> (a global BGPPeer, e.g. a top-of-rack
// router or a route reflector), Node_<ip> (a per-node BGPPeer), the address's dots (or
// an IPv6 address's colons) as underscores, "_port_<n>" after it for another port.
enum class BgpPeerKind { Mesh, Global, Node };

struct BgpSession {
    std::string name;           // the protocol as BIRD logs it: "Mesh_198_51_100_12"
    BgpPeerKind kind = BgpPeerKind::Mesh;
    std::string peer;           // the peer's address from the name: "198.51.100.12", "fd00::2"
    std::string state;          // the last "State changed to X": up, start, stop, flush, down, feed
    std::optional<LogTimestamp> since;  // that line's time, when it has one
    int line = 0;               // that line's number in its log
    // For a session not up now that the log saw up: when it left "up" (it may have gone
    // through stop, flush, down and start since). Unset while up, or never seen up.
    std::optional<LogTimestamp> downSince;
    bool seenUp = false;        // the log shows it established at some point
    // What BIRD last said went wrong with it, since it was last up: "Received: Administrative
    // shutdown" (the peer closed it), "Error: Hold timer expired", "Socket: Connection refused".
    std::string problem;

    bool established() const { return state == "up"; }
};

// The peer address and kind a Calico protocol name stands for; nullopt for BIRD's own
// protocols (device1, kernel1, direct1, static) and any name Calico does not write.
std::optional<BgpSession> bgpSessionNamed(std::string_view protocol);

// Every Calico BGP session BIRD runs as far as the log tells, with its last state, in the
// order first seen. A session BIRD removed ("Removing protocol X": a peer dropped from the
// configuration) or ran before it shut down ("Shutdown completed") is gone. A log without
// such lines (rotated, BIRD quiet since it started) gives none: the sessions are then not
// known, never "down".
std::vector<BgpSession> bgpSessions(const CalicoLog &log);

std::string_view toString(BgpPeerKind kind);  // "mesh", "global", "node"

} // namespace podpath::parse
