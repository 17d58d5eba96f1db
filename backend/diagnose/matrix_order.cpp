#include "matrix_order.h"

#include "matrix_engine.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

namespace podpath::diagnose {

namespace {

// What a cell says, for comparing nodes: the four kinds a person tells apart on the map.
enum class Kind : std::uint8_t { None, Pass, Fail, Other };

Kind kindOf(const Diagnosis &d)
{
    switch (d.verdict) {
    case Verdict::Pass: return Kind::Pass;
    case Verdict::Fail: return Kind::Fail;
    case Verdict::Incomplete:
    case Verdict::Error: return Kind::Other;
    }
    return Kind::Other;
}

// The matrix as an N x N grid of kinds, once: the clustering below reads each cell N times.
std::vector<Kind> grid(const ClusterMatrix &m)
{
    const std::size_t n = m.nodes.size();
    std::vector<Kind> g(n * n, Kind::None);
    for (const auto &c : m.cells)
        if (c.client < n && c.server < n && c.client != c.server)
            g[c.client * n + c.server] = kindOf(c.diagnosis);
    return g;
}

bool reached(const MatrixNode &node) { return node.problem.empty(); }

// Cells of the node's row and column that did not pass.
std::vector<long> notPassing(const ClusterMatrix &m)
{
    std::vector<long> bad(m.nodes.size(), 0);
    for (const auto &c : m.cells)
        if (c.diagnosis.verdict != Verdict::Pass && c.client < bad.size() && c.server < bad.size()) {
            ++bad[c.client];
            ++bad[c.server];
        }
    return bad;
}

std::vector<std::size_t> asGiven(std::size_t n)
{
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t(0));
    return order;
}

std::vector<std::size_t> failingFirst(const ClusterMatrix &m)
{
    std::vector<long> bad = notPassing(m);
    // A node not reached fails with everyone, more than any node reached can.
    for (std::size_t i = 0; i < m.nodes.size(); ++i)
        if (!reached(m.nodes[i]))
            bad[i] += long(m.nodes.size()) * 2;
    std::vector<std::size_t> order = asGiven(m.nodes.size());
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return bad[a] > bad[b]; });
    return order;
}

std::vector<std::size_t> byName(const ClusterMatrix &m)
{
    // A node not reached has only the host it was given, "root@node3": by the host, not the login.
    std::vector<std::string> names;
    for (const auto &node : m.nodes) {
        std::string name = nodeName(node.facts);
        if (name.empty())
            name = node.host;
        if (const auto at = name.rfind('@'); at != std::string::npos)
            name.erase(0, at + 1);
        names.push_back(name);
    }
    std::vector<std::size_t> order = asGiven(m.nodes.size());
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return nameBefore(names[a], names[b]); });
    return order;
}

// Why this rule: a fault shows in the matrix as nodes whose rows and columns look the same
// (the members of one side of a split, the peers of a node cut off), so nodes are grouped by
// how alike their rows and columns are, and a group is drawn as one contiguous block.
// Two nodes reached are as far apart as the number of cells in which they fare differently
// (pass, fail, not proven or not judged, nothing) with a third node, as client and as
// server. Their cells with each other and with themselves are left out: no third node sees
// them, and so two nodes that fail only with each other look alike and sit side by side.
// Groups are merged two at a time, the closest first by their average distance (average
// linkage, UPGMA), until one is left: nodes with equal rows and columns merge first, so
// they always end up side by side, and near-equal ones merge next, so one stray pair does
// not tear a block apart. At every merge the group whose nodes fail more pairs on average
// is drawn first, so the failures gather at the top left. Ties, in merging and in drawing,
// go to the group holding the node given first: a healthy cluster keeps the order it was
// given, and the same matrix always draws the same way. Nodes not reached have no row or
// column to compare and come last, as given. Distances are whole numbers and averages are
// compared by cross multiplication, so no rounding tips a tie; 100 nodes take about 10^6 steps.
std::vector<std::size_t> clustered(const ClusterMatrix &m)
{
    const std::size_t n = m.nodes.size();
    const std::vector<Kind> g = grid(m);
    const std::vector<long> bad = notPassing(m);
    std::vector<std::size_t> live;  // nodes reached, as given
    for (std::size_t i = 0; i < n; ++i)
        if (reached(m.nodes[i]))
            live.push_back(i);
    const std::size_t k = live.size();

    // Distance summed over every pair of members, between group slots a and b (k x k). A
    // group lives in the slot of its first given member, so slot order is the tie order.
    std::vector<long> sum(k * k, 0);
    for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = a + 1; b < k; ++b) {
            long d = 0;
            for (std::size_t j = 0; j < n; ++j) {
                if (j == live[a] || j == live[b])
                    continue;
                d += g[live[a] * n + j] != g[live[b] * n + j] ? 1 : 0;  // rows: as clients
                d += g[j * n + live[a]] != g[j * n + live[b]] ? 1 : 0;  // columns: as servers
            }
            sum[a * k + b] = sum[b * k + a] = d;
        }
    struct Group {
        std::vector<std::size_t> members;  // nodes, in drawing order
        long bad = 0;                      // cells not passing, over its members
        bool alive = true;
    };
    std::vector<Group> groups(k);
    for (std::size_t a = 0; a < k; ++a)
        groups[a] = {{live[a]}, bad[live[a]], true};

    for (std::size_t merges = 1; merges < k; ++merges) {
        // The closest two: sum / (size_a * size_b) smallest; the first found wins a tie.
        std::size_t bestA = k, bestB = k;
        for (std::size_t a = 0; a < k; ++a) {
            if (!groups[a].alive)
                continue;
            for (std::size_t b = a + 1; b < k; ++b) {
                if (!groups[b].alive)
                    continue;
                if (bestA == k) {
                    bestA = a, bestB = b;
                    continue;
                }
                const long size = long(groups[a].members.size() * groups[b].members.size());
                const long bestSize = long(groups[bestA].members.size() * groups[bestB].members.size());
                if (sum[a * k + b] * bestSize < sum[bestA * k + bestB] * size)
                    bestA = a, bestB = b;
            }
        }
        Group &first = groups[bestA];
        Group &second = groups[bestB];
        // The group failing more per node is drawn first: bad_a / size_a > bad_b / size_b.
        const bool secondWorse = second.bad * long(first.members.size()) > first.bad * long(second.members.size());
        std::vector<std::size_t> members = secondWorse ? second.members : first.members;
        const auto &after = secondWorse ? first.members : second.members;
        members.insert(members.end(), after.begin(), after.end());
        first.members = std::move(members);
        first.bad += second.bad;
        second.alive = false;
        second.members.clear();
        for (std::size_t c = 0; c < k; ++c)
            if (c != bestA && c != bestB) {
                sum[bestA * k + c] += sum[bestB * k + c];
                sum[c * k + bestA] = sum[bestA * k + c];
            }
    }

    std::vector<std::size_t> order;
    order.reserve(n);
    for (const Group &gr : groups)
        if (gr.alive)
            order.insert(order.end(), gr.members.begin(), gr.members.end());
    for (std::size_t i = 0; i < n; ++i)
        if (!reached(m.nodes[i]))
            order.push_back(i);
    return order;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }
bool digit(char c) { return c >= '0' && c <= '9'; }

} // namespace

bool nameBefore(std::string_view a, std::string_view b)
{
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            // Runs of digits compare as numbers: without their leading zeros, the longer is larger.
            std::size_t ei = i, ej = j;
            while (ei < a.size() && digit(a[ei]))
                ++ei;
            while (ej < b.size() && digit(b[ej]))
                ++ej;
            std::size_t si = i, sj = j;
            while (si + 1 < ei && a[si] == '0')
                ++si;
            while (sj + 1 < ej && b[sj] == '0')
                ++sj;
            const std::string_view na = a.substr(si, ei - si), nb = b.substr(sj, ej - sj);
            if (na.size() != nb.size())
                return na.size() < nb.size();
            if (na != nb)
                return na < nb;
            i = ei, j = ej;
            continue;
        }
        const char ca = lower(a[i]), cb = lower(b[j]);
        if (ca != cb)
            return ca < cb;
        ++i, ++j;
    }
    return a.size() - i < b.size() - j;
}

std::optional<MatrixOrder> matrixOrderFromWord(std::string_view word)
{
    for (const auto &o : kMatrixOrders)
        if (o.word == word)
            return o.order;
    return std::nullopt;
}

std::string_view matrixOrderWord(MatrixOrder order)
{
    for (const auto &o : kMatrixOrders)
        if (o.order == order)
            return o.word;
    return kMatrixOrders[0].word;
}

std::vector<std::size_t> orderNodes(const ClusterMatrix &m, MatrixOrder order)
{
    switch (order) {
    case MatrixOrder::AsGiven: return asGiven(m.nodes.size());
    case MatrixOrder::ByName: return byName(m);
    case MatrixOrder::FailingFirst: return failingFirst(m);
    case MatrixOrder::Clustered: return clustered(m);
    }
    return asGiven(m.nodes.size());
}

} // namespace podpath::diagnose
