#pragma once
// The order the cluster matrix's nodes are shown in, one order for rows and columns alike
// (the diagonal stays the diagonal, a node's row and column are read as one). The window
// and the terminal draw the same order; the matrix itself (its indexes, its JSON) keeps the
// order the nodes were given, so an order is only ever a permutation of those indexes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::diagnose {

struct ClusterMatrix;

enum class MatrixOrder {
    AsGiven,       // as the user listed the nodes
    ByName,        // by node name, numbers within names as numbers (node2 before node10)
    FailingFirst,  // most pairs that did not pass first; nodes not reached first of all
    Clustered,     // nodes whose pairs fail alike side by side, the worst group first; nodes not reached last
};

// Every order with its command-line word and a few words for people, in the order offered.
struct MatrixOrderName {
    MatrixOrder order;
    std::string_view word;   // `podpath matrix --order WORD`
    std::string_view words;  // "clustered: nodes that fail alike together"
};
inline constexpr MatrixOrderName kMatrixOrders[] = {
    {MatrixOrder::AsGiven, "given", "as given"},
    {MatrixOrder::ByName, "name", "by name"},
    {MatrixOrder::FailingFirst, "failing", "failing first"},
    {MatrixOrder::Clustered, "clustered", "clustered"},
};
// What `podpath matrix` and the window show unless asked otherwise.
inline constexpr MatrixOrder kDefaultMatrixOrder = MatrixOrder::Clustered;

std::optional<MatrixOrder> matrixOrderFromWord(std::string_view word);
std::string_view matrixOrderWord(MatrixOrder order);

// A permutation of 0..m.nodes.size()-1: position k of the display shows node order[k].
std::vector<std::size_t> orderNodes(const ClusterMatrix &m, MatrixOrder order);

// Names compared with runs of digits as numbers ("node2" < "node10"); equal names keep
// their given order in a stable sort.
bool nameBefore(std::string_view a, std::string_view b);

} // namespace podpath::diagnose
