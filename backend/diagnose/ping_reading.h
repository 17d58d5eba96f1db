#pragma once
// What a ping run on a node tells: its parsed output, or in the reader's words why there
// is none (the node went dark, ping is missing, sudo refused it, it refused its options).

#include "explain.h"
#include "remote/command_result.h"

#include <string>

namespace podpath::diagnose {

// sudo's first line when it refused the command (restricted to named commands): it prints
// nothing on stdout. Empty when sudo did not refuse.
std::string sudoRefusal(const remote::CommandResult &r);

// `role`: the node the ping ran on, as the messages name it.
PingOutcome readPing(NodeRole role, const Result<remote::CommandResult> &r);

} // namespace podpath::diagnose
