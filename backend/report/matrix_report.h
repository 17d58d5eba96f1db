#pragma once
// The cluster matrix for the terminal and as JSON: one row per client node, one column per
// server node, a mark per ordered pair (where its echoes stopped), then every failing pair
// in a line. The JSON holds every pair's whole diagnosis (docs/json-schema.md, "Matrix").

#include "diagnose/matrix_engine.h"
#include "diagnose/matrix_order.h"
#include "report/terminal_picture.h"

#include <QByteArray>
#include <QJsonObject>

#include <string>
#include <string_view>

namespace podpath::report {

// "ok", "F3" (the echoes stopped at the third hop of the path), "F*" (failed on a check,
// every hop seen), "??" (not proven: a hop without evidence), "!!" (could not run), "--"
// (the node itself), "xx" (a node not reached): two characters for one cell.
std::string matrixMark(const diagnose::ClusterMatrix &m, std::size_t client, std::size_t server);

// "6 nodes, 30 ordered pairs: 20 pass, 10 fail", then the pairs not proven, not judged
// and with a node not reached, and "; 1 node not reached", each only when there are any:
// the terminal's first line and the matrix document's verdict count the same way.
std::string matrixCounts(const diagnose::ClusterMatrix &m);

// How to read the matrix, in the terminal and in the document (matrix_document.h) alike.
inline constexpr std::string_view kMatrixAxes =
    "Rows send (client), columns answer (server); each cell is that pair's echoes both ways.";
inline constexpr std::string_view kMatrixMarks =
    "ok every hop seen both ways; F1..F8 the echoes stopped at that hop; F* every hop seen, a check failed; ?? not "
    "proven (a hop without evidence); !! could not be judged; xx a node not reached; -- the node itself.";
inline constexpr std::string_view kMatrixHopNumbers =
    "1 client tunnel out, 2 client underlay out, 3 server underlay in, 4 server tunnel in, 5 server tunnel out, 6 server "
    "underlay out, 7 client underlay in, 8 client tunnel in.";

// Rows and columns in `order` (matrix_order.h), each node labelled with its given number
// so a node keeps its number in every order; as given unless asked.
std::string renderMatrixTerminal(const diagnose::ClusterMatrix &m, const TerminalStyle &style = {},
                                 diagnose::MatrixOrder order = diagnose::MatrixOrder::AsGiven);

QJsonObject toJson(const diagnose::ClusterMatrix &m);
QByteArray toJsonBytes(const diagnose::ClusterMatrix &m);

// 0 every pair passed, 1 some pair failed, 2 some pair or node could not be judged (and none failed).
int matrixExitStatus(const diagnose::ClusterMatrix &m);

} // namespace podpath::report
