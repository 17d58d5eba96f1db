#pragma once
// The cluster at a glance: N nodes, one session each, read at once; then one capture per
// node, one burst in which every node pings every other (each node's pings in one exec),
// and every ordered pair judged from the same packets with the two-node judgement
// (pair_judge.h). A node that could not be reached is one row and column saying so.

#include "diagnosis.h"
#include "matrix_patterns.h"
#include "pair_judge.h"
#include "recipe.h"
#include "remote/node_shell.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace podpath::diagnose {

struct MatrixTarget {
    std::string host;                    // as the user named it
    remote::NodeShell *shell = nullptr;  // connected; null when it could not be
    std::string connectError;            // one line, when shell is null
};

struct MatrixOptions {
    int count = 5;  // echoes per pair in the burst (and in its full-size probe)
    int logWindowMinutes = 30;
};

struct MatrixNode {
    std::string host;
    NodeFacts facts;      // as the node itself showed them
    std::string problem;  // why it has no cells (could not connect, could not be read); empty otherwise
    std::vector<CommandRecord> commands;  // every command run on it, once for all its pairs
};

// One ordered pair: its diagnosis as `podpath diagnose` would give it from the same
// packets, without the commands and log lines (its nodes', in MatrixNode, serve all pairs).
struct MatrixCell {
    std::size_t client = 0, server = 0;  // indexes into ClusterMatrix::nodes
    Diagnosis diagnosis;
};

struct ClusterMatrix {
    std::string startedAt;
    std::vector<MatrixNode> nodes;
    // Every ordered pair of nodes that were reached, sorted by (client, server): cell() relies on it.
    std::vector<MatrixCell> cells;
    // What the failing cells have in common (matrix_patterns.h), largest first.
    std::vector<MatrixPattern> patterns;
    std::vector<PhaseTiming> timings;
    bool recorded = false;  // replayed from recordings

    const MatrixCell *cell(std::size_t client, std::size_t server) const;
    // Pairs whose verdict is `v`.
    int count(Verdict v) const;
};

class MatrixEngine {
public:
    MatrixEngine(std::vector<MatrixTarget> nodes, MatrixOptions options = {});
    ~MatrixEngine();

    void setProgressSink(ProgressSink sink);
    // Runs on the calling thread (never the GUI's).
    ClusterMatrix run();
    // From any thread: running commands are cancelled, nodes are left clean.
    void cancel();

private:
    struct State;
    RecipeNode recipe();
    ClusterMatrix judge(const Result<void> &result, Clock::time_point started);
    std::unique_ptr<State> m_state;
    RecipeRunner m_runner;
};

} // namespace podpath::diagnose
