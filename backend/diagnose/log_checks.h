#pragma once
// The guide's first step: read the Calico components' logs on the node. Errors and
// warnings from the time window before the diagnosis are evidence; a component that
// does not run in this mode (BIRD and confd in VXLAN-only clusters) is not applicable,
// not failed.

#include "diagnosis.h"
#include "parse/calico_log.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::diagnose {

struct LogSource {
    std::string name;      // "felix", "bird", "confd", "calico-node (crictl logs)", "kubelet"
    std::string location;  // the file or command it came from
    std::optional<parse::CalicoLog> log;
    std::string problem;   // why it could not be read; empty when read
};

struct LogReadings {
    std::vector<LogSource> sources;
    std::string problem;  // no log found at all: why
};

struct LogWindow {
    std::optional<std::int64_t> sinceMicros;  // entries older than this are not evidence
    std::size_t maxEvidence = 12;
};

CheckResult checkLogs(NodeRole role, Encapsulation mode, const NodeFacts &self, const LogReadings &logs,
                      const LogWindow &window, std::vector<Finding> &findings);

} // namespace podpath::diagnose
