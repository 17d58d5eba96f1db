#pragma once
// "Test connection" on the NODES screen: one node read the way the diagnosis' discovery
// reads it (NodeReader, nodeFacts), without touching the peer, so the user learns
// before diagnosing what PodPath will find there (hostname, node IP, tunnel, root,
// tcpdump) and what would stop it.

#include "command_log.h"
#include "diagnosis.h"
#include "hop.h"
#include "remote/node_shell.h"

#include <chrono>
#include <string>
#include <vector>

namespace podpath::diagnose {

struct NodeProbe {
    NodeFacts facts;  // host, hostname, node IP, underlay, tunnel device/IP/MTU, privilege, tcpdump, firewall
    // What the node's tunnel device carries: IpIp or Vxlan; None when the node has no
    // Calico tunnel device. The mode between two nodes is the diagnosis' to judge.
    Encapsulation encapsulation = Encapsulation::None;
    std::string user;            // the login user
    std::string tcpdumpVersion;  // "4.99.3"; empty when tcpdump is missing
    // What would stop a diagnosis from this node, as the diagnosis would say it (codes
    // NO_PRIVILEGE, TCPDUMP_MISSING, NO_TUNNEL_DEVICE, NO_ROUTES, ...), in that order.
    std::vector<Error> problems;
    std::vector<CommandRecord> commands;  // what ran, for "show the commands"

    bool ready() const { return problems.empty(); }
};

struct ProbeOptions {
    NodeRole role = NodeRole::Client;  // names the node in messages and command records
    bool readFirewall = true;          // which backend holds Calico's rules (one iptables-save)
    std::chrono::milliseconds budget{10000};
};

// Reads the node on `shell` (connected). An Error only when the node could not be read
// at all (the session is gone, `uname`/`ip addr` did not run); everything lesser is a
// problem in the NodeProbe next to what could be read. Runs on the calling thread,
// the node's reads at once: never call it on the GUI thread.
Result<NodeProbe> probeNode(remote::NodeShell &shell, const std::string &host, const ProbeOptions &options = {});

} // namespace podpath::diagnose
