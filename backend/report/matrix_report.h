#pragma once
// The cluster matrix for the terminal and as JSON: one row per client node, one column per
// server node, a mark per ordered pair (where its echoes stopped), then every failing pair
// in a line. The JSON holds every pair's whole diagnosis (docs/json-schema.md, "Matrix").

#include "diagnose/matrix_engine.h"
#include "report/terminal_picture.h"

#include <QByteArray>
#include <QJsonObject>

#include <string>

namespace podpath::report {

// "ok", "F3" (the echoes stopped at the third hop of the path), "F*" (failed on a check,
// every hop seen), "??" (not proven: a hop without evidence), "!!" (could not run), "--"
// (the node itself), "xx" (a node not reached): two characters for one cell.
std::string matrixMark(const diagnose::ClusterMatrix &m, std::size_t client, std::size_t server);

std::string renderMatrixTerminal(const diagnose::ClusterMatrix &m, const TerminalStyle &style = {});

QJsonObject toJson(const diagnose::ClusterMatrix &m);
QByteArray toJsonBytes(const diagnose::ClusterMatrix &m);

// 0 every pair passed, 1 some pair failed, 2 some pair or node could not be judged (and none failed).
int matrixExitStatus(const diagnose::ClusterMatrix &m);

} // namespace podpath::report
