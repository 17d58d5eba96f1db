#pragma once
// PodPath's main job as one recipe: on both nodes at once, read the node; then start a
// capture on each, snapshot the firewall counters, send one ping burst (plus a
// full-size DF probe and an underlay ping), stop, snapshot again; then judge every hop
// and check. The same engine serves the CLI, the one-click mode and the wizard.

#include "command_log.h"
#include "diagnosis.h"
#include "pair_judge.h"
#include "recipe.h"
#include "remote/node_shell.h"

#include <chrono>
#include <functional>
#include <memory>
#include "port_probe.h"

#include <optional>
#include <set>
#include <vector>
#include <string>

namespace podpath::diagnose {

struct NodeTarget {
    std::string host;  // as the user named it
    remote::NodeShell *shell = nullptr;  // connected
};

// What one tcpdump on a node sent: one per node with `-i any`, one per interface where
// the node's tcpdump is older than 4.99 (its `any` loses the interface).
struct NodeCapture {
    NodeRole role = NodeRole::Client;
    std::string interface;  // "any", "tunl0", "eth0"
    std::string pcap;       // raw pcap bytes, cut short when `truncated`
    bool truncated = false;
};

struct DiagnosisRun {
    Diagnosis diagnosis;
    std::vector<NodeCapture> captures;  // with DiagnoseOptions::keepPcap; in capture order
};

// The files `podpath diagnose --pcap DIR` and "Save captures" write: one per capture that
// kept any bytes, tcpdump's own: "client.pcap" for a node's `-i any` capture,
// "client-tunl0.pcap" and "client-eth0.pcap" for its captures per interface.
struct PcapFile {
    std::string name;                  // "client.pcap", "server-eth0.pcap"
    const std::string *bytes = nullptr;  // into the run
    std::string note;                  // one line when the file holds only the capture's start
    std::string what;                  // "the client's capture", "the server's capture on eth0"
};
std::vector<PcapFile> pcapFiles(const DiagnosisRun &run);

class DiagnosisEngine {
public:
    DiagnosisEngine(NodeTarget client, NodeTarget server, DiagnoseOptions options = {});
    ~DiagnosisEngine();

    // Progress of each step, from worker threads (the GUI queues it to its thread).
    void setProgressSink(ProgressSink sink);
    // What discovery found, as soon as it is known (from a worker thread): the GUI draws
    // the node boxes before the burst has run.
    using FactsSink = std::function<void(const Diagnosis &partial)>;
    void setFactsSink(FactsSink sink) { m_factsSink = std::move(sink); }
    // Runs the whole recipe on the calling thread (never the GUI thread).
    DiagnosisRun run();
    // The wizard's "Run this step": only these stages (plus discovery when needed),
    // then a judgement of everything gathered so far; steps not run yet show as such.
    DiagnosisRun runStages(const std::vector<Stage> &stages);
    bool gathered(Stage stage) const;
    // From any thread: running commands are cancelled, nodes are left clean.
    void cancel();


private:
    struct State;
    struct Steps {
        RecipeNode discover, topology, podRoutes, logs, underlay, tunnelPing, burst;
    };
    Steps steps();
    RecipeNode recipe();
    DiagnosisRun judge(const Result<void> &result, std::chrono::steady_clock::time_point started);
    void stopLeftoverCaptures();
    std::unique_ptr<State> m_state;
    RecipeRunner m_runner;
    FactsSink m_factsSink;
};

} // namespace podpath::diagnose
