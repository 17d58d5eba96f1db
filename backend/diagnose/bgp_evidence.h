#pragma once
// What BIRD's log says about a peer's block missing from a node's routing table: the BGP
// session that should have brought it is down (the route was withdrawn with it), or it
// is up and the block never came over it (not advertised, or filtered). Without
// encapsulation, and for IPIP before Calico 3.33, BIRD is what programs these routes.

#include "diagnosis.h"
#include "log_checks.h"

#include "parse/bgp_sessions.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::diagnose {

// The Calico BGP sessions of every log of the node that shows them; when two logs name
// the same session (felix/current and the CRI file of one calico-node), the later word.
std::vector<parse::BgpSession> bgpSessionsOf(const LogReadings &logs);

struct BgpAccount {
    bool sessionDown = false;         // a session that carries the block is not established
    bool closedHere = false;          // ... and this node's BIRD shut it down (disabled, or dropped from its config)
    std::string sentence;             // "BIRD's BGP session with the server (Mesh_...) is down: ..."
    std::vector<std::string> evidence;  // the log lines' words, "bird: Mesh_...: State changed to start (21:44:35)"
};

// The sessions that would carry the peer's block: the one with the peer node itself
// (full mesh, a per-node peer), else every other (route reflectors, top-of-rack routers).
// nullopt when the log shows none of them: nothing is then known of BGP.
std::optional<BgpAccount> accountForMissingRoute(const std::vector<parse::BgpSession> &sessions,
                                                  const NodeFacts &self, const NodeFacts &peer);

// Both ends of a session report it down (each side's route check): the end whose BIRD
// shut it down (its log's state "down") is the cause, the other only saw its peer close
// it. Moves the cause's BGP_SESSION_DOWN in front of the other's; nothing else moves.
void sessionCauseFirst(std::vector<Finding> &findings);

} // namespace podpath::diagnose
