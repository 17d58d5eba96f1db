#pragma once
// Reads one node for the diagnosis: its addresses, routes, neighbours and FDB, the
// tools it has, its firewall (before and after the burst), the hosts ipset and the
// Calico logs. Only reading commands, each bounded on the node. Every task fills its
// own part of NodeReading, so the parts can run at once on the node's session.

#include "parse/wg_show.h"
#include "command_log.h"
#include "firewall_checks.h"
#include "parse/ip_netns.h"
#include "log_checks.h"
#include "read_ahead.h"
#include "topology.h"

#include <optional>
#include <string>

namespace podpath::diagnose {

// A tool the node lacks, or that is there and does not run: only what needs it goes
// without evidence, and the report says what to install.
struct MissingTool {
    std::string tool;                   // "tcpdump"
    bool installed = false;             // found, but it does not run
    std::vector<std::string> evidence;  // the command as it ran and what the node answered
};

// "tcpdump is not installed on pplab-node2": one sentence, the node as the user knows it.
std::string missingToolSentence(const MissingTool &m, const std::string &node);
// What to do about it, in the words of the node's package manager.
std::string missingToolNextStep(const MissingTool &m, const std::string &node);

struct NodeReading {
    NodeSnapshot snapshot;
    bool hasTcpdump = false;
    std::string tcpdumpVersion;  // "4.99.3"
    // tcpdump surely cannot capture here: its capture is not started, its hops have no
    // evidence, and everything else is still read.
    std::optional<MissingTool> tcpdumpMissing;
    // `tcpdump --version` did not answer (the session failed, the read ran out of time):
    // whether tcpdump is there is not known, so the capture is tried all the same.
    std::optional<Error> tcpdumpUnread;
    std::string privilege;       // "root", "sudo", "sudo-password", "none"
    // Node clock minus PodPath's, in seconds: log windows are cut on the node's clock.
    std::optional<std::int64_t> clockOffsetSeconds;
    std::optional<std::int64_t> clockEpoch;  // the node's clock as `date` printed it (a replay's "recorded" time)
    // The node's time zone (east of UTC, seconds), from `date +%z`: the journal and the
    // kubelet write local time without a zone.
    std::optional<std::int64_t> utcOffsetSeconds;
    FirewallReadings firewall;
    LogReadings logs;
    // `wg show DEVICE` (pairs judged through WireGuard only), or why it could not be read.
    std::optional<parse::WireguardDevice> wireguard;
    std::string wireguardProblem;
    // `ip netns list` (pod to pod only): the named namespaces a pod's veth may lead to.
    std::optional<parse::NetnsList> netns;
};

class NodeReader {
public:
    NodeReader(NodeAccess node, std::string host);
    NodeReader(const NodeReader &) = delete;  // access() points at this reader's ReadAhead
    NodeReader &operator=(const NodeReader &) = delete;

    // Fetches the first command of every discovery read (identity, clock, addresses,
    // routes, neighbours, tools, and the iptables flavour `withFirewall`) in one batch
    // per privilege, so the reads below find their answers waiting.
    Result<void> readAheadDiscovery(const TaskContext &ctx, bool withFirewall = true);
    // After a run: answers fetched ahead that no read needed go to the log as they are.
    void recordUnusedReads() { m_ahead.recordUnused(m_node); }

    // Recipe tasks. Each returns an Error only when the diagnosis cannot go on without
    // what it failed to read (no name, no addresses, no privilege); lesser gaps (no
    // routes, no tcpdump, no firewall, ipset or logs) are noted in the reading and judged
    // as unknown, so one missing tool costs only what needed it.
    Result<void> readIdentity(const TaskContext &ctx);    // uname -n, SSH_CONNECTION, privilege
    Result<void> readClock(const TaskContext &ctx);       // date +%s: the node's clock against ours
    Result<void> readAddresses(const TaskContext &ctx);   // ip -d addr
    Result<void> readRoutes(const TaskContext &ctx);      // ip route
    // ip -6 route, into snapshot.routes.routes6: asked for dual-stack pairs only, so an
    // IPv4-only node runs nothing more.
    Result<void> readRoutes6(const TaskContext &ctx);
    // `wg show DEVICE` as root (never `dump` or `showconf`: they print the private key).
    Result<void> readWireguard(const TaskContext &ctx, const std::string &device);
    Result<void> readNeighbours(const TaskContext &ctx);  // ip neigh, bridge fdb
    Result<void> readTools(const TaskContext &ctx);       // tcpdump --version
    Result<void> readFirewall(const TaskContext &ctx, bool afterBurst);
    Result<void> readIpsets(const TaskContext &ctx, Encapsulation mode);
    Result<void> readLogs(const TaskContext &ctx, Encapsulation mode);
    Result<void> readNetns(const TaskContext &ctx);       // ip netns list (pod to pod)

    NodeReading &reading() { return m_reading; }
    const NodeReading &reading() const { return m_reading; }
    const NodeAccess &access() const { return m_node; }

private:
    Result<void> readIptables(const TaskContext &ctx, bool afterBurst);
    void readKubeletLog(const TaskContext &ctx);
    ReadAhead m_ahead;
    NodeAccess m_node;
    NodeReading m_reading;
    // Why each firewall dump tried before the burst gave nothing Calico's: the problem
    // names them when no dump did.
    std::vector<std::string> m_firewallTried;
};

// Discovery on one node as a recipe group named `name`: the reads' first commands in one
// batch, then the reads at once on the node's session, each filling its own part of the
// reading (fallbacks run then). `podNamespaces`: also `ip netns list` (pod to pod).
RecipeNode discoveryRecipe(NodeReader &reader, std::string name, bool podNamespaces);

} // namespace podpath::diagnose
