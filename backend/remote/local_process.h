#pragma once
// Runs a short local program to completion (today only OpenSSH's `ssh -G`): argv as
// given, no shell, stdin from /dev/null, stdout and stderr kept (each capped), killed
// when it outlives its time. Blocking: for the node's worker thread, not the GUI's.

#include "core/result.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::remote {

struct LocalRun {
    int exitStatus = -1;  // -1: killed by a signal (see signal)
    int signal = 0;
    bool timedOut = false;
    std::string out;
    std::string err;
};

// nullopt: the program is not installed (not found on PATH). An Error: it could not be
// started, or its output could not be read.
Result<std::optional<LocalRun>> runLocal(const std::vector<std::string> &argv, int timeoutMs,
                                         std::size_t maxOutputBytes = 1u << 20);

} // namespace podpath::remote
