#pragma once
// What the failing cells of a cluster matrix have in common, said once: a node cut off
// from its peers is one finding, not N-1; nodes that fall into groups reaching each other
// only within are one finding; a pair that fails alone is named as a pair. Each pattern
// quotes the cause its pairs' own diagnoses found most often, with the hop they stop at.

#include "diagnosis.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace podpath::diagnose {

struct ClusterMatrix;

struct MatrixPattern {
    std::string code;  // one of kMatrixPatternCodes
    Severity severity = Severity::Critical;
    std::string message;   // one sentence, nodes by name, hops by their titles
    std::string nextStep;
    std::vector<std::pair<std::size_t, std::size_t>> cells;  // the (client, server) pairs it explains
};

struct MatrixPatternCode {
    std::string_view code;
    std::string_view meaning;  // one line, for the docs
};
// The codes' table (docs/json-schema.md, "Matrix pattern codes", kept true by tst_docs).
inline constexpr MatrixPatternCode kEveryPairFails{"EVERY_PAIR_FAILS",
                                                   "every judged pair fails: the cause is shared by the whole cluster"};
inline constexpr MatrixPatternCode kClusterSplit{"CLUSTER_SPLIT",
                                                 "the nodes fall into groups that reach each other only within their group"};
inline constexpr MatrixPatternCode kNodeCutOff{"NODE_CUT_OFF",
                                               "one node fails with every peer, both ways, while pairs without it pass"};
inline constexpr MatrixPatternCode kNodeFailsWithSome{
    "NODE_FAILS_WITH_SOME", "one node fails with several of its peers (not all), the other pairs pass"};
inline constexpr MatrixPatternCode kPairFails{
    "PAIR_FAILS", "two nodes fail with each other (one way or both) while each passes with the rest"};
inline constexpr MatrixPatternCode kMatrixPatternCodes[] = {kEveryPairFails, kClusterSplit, kNodeCutOff, kNodeFailsWithSome,
                                                            kPairFails};

// Patterns among the matrix's failing cells (verdict fail), largest first; every failing
// cell is in at most one. Empty when nothing failed.
std::vector<MatrixPattern> findPatterns(const ClusterMatrix &m);

} // namespace podpath::diagnose
