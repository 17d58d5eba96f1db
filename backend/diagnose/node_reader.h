#pragma once
// Reads one node for the diagnosis: its addresses, routes, neighbours and FDB, the
// tools it has, its firewall (before and after the burst), the hosts ipset and the
// Calico logs. Only reading commands, each bounded on the node. Every task fills its
// own part of NodeReading, so the parts can run at once on the node's session.

#include "command_log.h"
#include "firewall_checks.h"
#include "log_checks.h"
#include "read_ahead.h"
#include "topology.h"

#include <optional>
#include <string>

namespace podpath::diagnose {

struct NodeReading {
    NodeSnapshot snapshot;
    bool hasTcpdump = false;
    std::string tcpdumpVersion;  // "4.99.3"
    std::string privilege;       // "root", "sudo", "sudo-password", "none"
    // Node clock minus PodPath's, in seconds: log windows are cut on the node's clock.
    std::optional<std::int64_t> clockOffsetSeconds;
    FirewallReadings firewall;
    LogReadings logs;
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
    // what it failed to read (no addresses, no routes); lesser gaps are noted in the
    // reading and judged as unknown.
    Result<void> readIdentity(const TaskContext &ctx);    // uname -n, SSH_CONNECTION, privilege
    Result<void> readClock(const TaskContext &ctx);       // date +%s: the node's clock against ours
    Result<void> readAddresses(const TaskContext &ctx);   // ip -d addr
    Result<void> readRoutes(const TaskContext &ctx);      // ip route
    Result<void> readNeighbours(const TaskContext &ctx);  // ip neigh, bridge fdb
    Result<void> readTools(const TaskContext &ctx);       // tcpdump --version
    Result<void> readFirewall(const TaskContext &ctx, bool afterBurst);
    Result<void> readIpsets(const TaskContext &ctx, Encapsulation mode);
    Result<void> readLogs(const TaskContext &ctx, Encapsulation mode);

    NodeReading &reading() { return m_reading; }
    const NodeReading &reading() const { return m_reading; }
    const NodeAccess &access() const { return m_node; }

private:
    Result<void> readIptables(const TaskContext &ctx, bool afterBurst);
    void readKubeletLog(const TaskContext &ctx);
    ReadAhead m_ahead;
    NodeAccess m_node;
    NodeReading m_reading;
};

} // namespace podpath::diagnose
