#include "matrix_patterns.h"

#include "matrix_engine.h"

#include <algorithm>
#include <map>
#include <set>

namespace podpath::diagnose {

namespace {

using Cell = std::pair<std::size_t, std::size_t>;

// Where a cell's echoes stopped, named by the node rather than its role in the pair:
// "pplab-node2 tunnel in" for the server's tunnel in of node1 -> node2 and for the client's
// tunnel in of node2 -> node1 alike.
std::string placeOf(const ClusterMatrix &m, const MatrixCell &c)
{
    if (!c.diagnosis.firstFailingHop)
        return "no hop (every hop saw the echoes, a check failed)";
    const HopInfo &hop = hopInfo(*c.diagnosis.firstFailingHop);
    const std::string_view title = hop.title;
    const auto space = title.find(' ');
    const std::size_t node = hop.node == NodeRole::Client ? c.client : c.server;
    return nodeName(m.nodes[node].facts) + " " + std::string(space == std::string_view::npos ? title : title.substr(space + 1));
}

// "all 10 lead with TUNNEL_DOWN (the first: pplab-node2's tunnel device tunl0 is down);
// where: pplab-node2 tunnel out (5), pplab-node2 tunnel in (5)": the cause most of `cells`
// give first, and where their echoes stopped.
std::string sharedCause(const ClusterMatrix &m, const std::vector<Cell> &cells)
{
    // By code: the same cause words each pair's nodes and addresses its own way; the
    // first pair's words stand for them.
    std::map<std::string, int> causes;
    std::map<std::string, std::string> said;
    std::map<std::string, int> places;
    for (const Cell &c : cells) {
        const MatrixCell *cell = m.cell(c.first, c.second);
        if (!cell)
            continue;
        const Diagnosis &d = cell->diagnosis;
        if (!d.findings.empty()) {
            ++causes[d.findings.front().code];
            said.emplace(d.findings.front().code, d.findings.front().message);
        }
        ++places[placeOf(m, *cell)];
    }
    std::string out;
    if (!causes.empty()) {
        const auto best = std::max_element(causes.begin(), causes.end(), [](const auto &a, const auto &b) { return a.second < b.second; });
        const std::size_t n = std::size_t(best->second);
        out += (n == cells.size() ? (n == 1 ? std::string("it leads") : n == 2 ? "both lead" : "all " + std::to_string(n) + " lead")
                                  : std::to_string(n) + " of them lead") +
               " with " + best->first + " (" + (n == 1 ? "" : "the first: ") + said[best->first] + "); ";
    }
    std::vector<std::pair<std::string, int>> where(places.begin(), places.end());
    std::stable_sort(where.begin(), where.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    out += "where: ";
    for (std::size_t k = 0; k < where.size() && k < 3; ++k)
        out += (k ? ", " : "") + where[k].first + " (" + std::to_string(where[k].second) + ")";
    if (where.size() > 3)
        out += " and " + std::to_string(where.size() - 3) + " other places";
    return out;
}

std::string names(const ClusterMatrix &m, const std::vector<std::size_t> &nodes)
{
    std::string out;
    for (std::size_t k = 0; k < nodes.size(); ++k) {
        if (k)
            out += k + 1 == nodes.size() ? " and " : ", ";
        out += nodeName(m.nodes[nodes[k]].facts);
    }
    return out;
}

std::string pairCount(std::size_t n) { return std::to_string(n) + (n == 1 ? " pair" : " pairs"); }

} // namespace

std::vector<MatrixPattern> findPatterns(const ClusterMatrix &m)
{
    std::vector<MatrixPattern> out;
    std::set<Cell> failing;
    for (const auto &c : m.cells)
        if (c.diagnosis.verdict == Verdict::Fail)
            failing.insert({c.client, c.server});
    if (failing.empty())
        return out;
    const auto passes = [&](std::size_t a, std::size_t b) {
        const MatrixCell *c = m.cell(a, b);
        return c && c->diagnosis.verdict == Verdict::Pass;
    };
    std::set<std::size_t> judged;  // nodes with cells
    for (const auto &c : m.cells)
        judged.insert({c.client, c.server});

    if (failing.size() == m.cells.size()) {
        const std::vector<Cell> all(failing.begin(), failing.end());
        out.push_back({std::string(kEveryPairFails.code), Severity::Critical,
                       "Every one of the " + pairCount(all.size()) + " fails; " + sharedCause(m, all) +
                           ": the cause is shared by the whole cluster, not one node",
                       "look at what every node has in common: the encapsulation the underlay must carry, a firewall "
                       "or policy applied everywhere, Calico's configuration",
                       all});
        return out;
    }

    // Groups: nodes joined where both directions pass. Every pair across groups failing,
    // every pair within passing, is a split of the cluster.
    {
        std::map<std::size_t, std::size_t> group;
        for (std::size_t n : judged)
            group[n] = n;
        const auto root = [&](std::size_t n) {
            while (group[n] != n)
                n = group[n];
            return n;
        };
        for (std::size_t a : judged)
            for (std::size_t b : judged)
                if (a < b && passes(a, b) && passes(b, a))
                    group[root(a)] = root(b);
        std::map<std::size_t, std::vector<std::size_t>> groups;
        for (std::size_t n : judged)
            groups[root(n)].push_back(n);
        bool split = groups.size() >= 2 &&
                     std::all_of(groups.begin(), groups.end(), [](const auto &g) { return g.second.size() >= 2; });
        std::vector<Cell> across;
        for (const auto &c : m.cells) {
            const bool sameGroup = root(c.client) == root(c.server);
            split = split && (sameGroup ? passes(c.client, c.server) : failing.count({c.client, c.server}) > 0);
            if (!sameGroup)
                across.push_back({c.client, c.server});
        }
        if (split && across.size() == failing.size()) {
            std::string parts;
            std::size_t k = 0;
            for (const auto &[_, members] : groups)
                parts += (k++ ? (k == groups.size() ? " and " : ", ") : "") + ("{" + names(m, members) + "}");
            out.push_back({std::string(kClusterSplit.code), Severity::Critical,
                           "The nodes fall into " + std::to_string(groups.size()) + " groups that reach each other only "
                           "within: " + parts + "; every pair across fails (" + pairCount(across.size()) + "), " +
                               sharedCause(m, across),
                           "look at what lies between the groups: a router or firewall between subnets or racks, a cloud "
                           "security group, a different MTU",
                           across});
            return out;
        }
    }

    // Nodes, most failing pairs first: a node failing with several peers explains those
    // cells; a pair failing alone is a pair.
    std::set<Cell> left = failing;
    while (!left.empty()) {
        std::map<std::size_t, std::set<std::size_t>> peers;  // node -> peers it fails with (cells left)
        for (const Cell &c : left) {
            peers[c.first].insert(c.second);
            peers[c.second].insert(c.first);
        }
        const auto most = std::max_element(peers.begin(), peers.end(),
                                           [](const auto &a, const auto &b) { return a.second.size() < b.second.size(); });
        const std::size_t node = most->first;
        std::vector<Cell> cells;
        for (const Cell &c : left)
            if (c.first == node || c.second == node)
                cells.push_back(c);
        for (const Cell &c : cells)
            left.erase(c);
        const std::string name = nodeName(m.nodes[node].facts);
        if (most->second.size() == 1) {
            const std::size_t peer = *most->second.begin();
            out.push_back({std::string(kPairFails.code), Severity::Critical,
                           name + " and " + nodeName(m.nodes[peer].facts) + " fail with each other (" + pairCount(cells.size()) +
                               ") while each passes with its other peers; " + sharedCause(m, cells),
                           "diagnose this pair for the evidence at every hop: podpath diagnose --client " +
                               m.nodes[node].host + " --server " + m.nodes[peer].host,
                           cells});
            continue;
        }
        std::size_t allPeers = 0;
        for (std::size_t other : judged)
            allPeers += other != node ? 1 : 0;
        const std::vector<std::size_t> with(most->second.begin(), most->second.end());
        const bool cutOff = with.size() == allPeers;
        out.push_back({std::string(cutOff ? kNodeCutOff.code : kNodeFailsWithSome.code), Severity::Critical,
                       cutOff ? name + " fails with every peer (" + pairCount(cells.size()) + ", both ways) while pairs without it pass; " +
                                    sharedCause(m, cells)
                              : name + " fails with " + std::to_string(with.size()) + " of its " + std::to_string(allPeers) +
                                    " peers (" + names(m, with) + "; " + pairCount(cells.size()) + ") while the other pairs pass; " +
                                    sharedCause(m, cells),
                       "look at " + name + " first: its own findings in any of these pairs name what to fix there",
                       cells});
    }
    return out;
}

} // namespace podpath::diagnose
