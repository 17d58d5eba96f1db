#pragma once
// N nodes' sessions for the cluster matrix: connected over SSH a few at a time, or loaded
// from a folder `podpath matrix --record` wrote (nodes.txt: the nodes in order, one per
// line; node-N.json: the Nth one's session, absent for a node that was not reached).

#include "core/result.h"
#include "remote/node_shell.h"
#include "remote/ssh_prompter.h"
#include "remote/ssh_target.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::remote {

struct ClusterNode {
    std::string host;                    // as the user named it
    std::unique_ptr<NodeShell> shell;    // null when it could not be reached
    std::string error;                   // one line, when shell is null
};

// Nodes as a list names them: one per line, blank lines and lines starting with '#'
// skipped, surrounding spaces trimmed; a line with a space or a control character inside
// is refused (an error naming its line). `source` names the list in errors ("nodes.txt").
Result<std::vector<std::string>> parseNodeList(std::string_view text, const std::string &source);

// Connects every target, `atOnce` at a time (each connection's own time, not their sum,
// and no flood of a bastion or of sshd's MaxStartups); `progress(done, total)` after each
// group, from the calling thread. Blocking: never on the GUI thread.
std::vector<ClusterNode> connectCluster(const std::vector<std::pair<std::string, SshTarget>> &targets,
                                        SshPrompter *prompter, std::size_t atOnce,
                                        const std::function<void(std::size_t, std::size_t)> &progress = {});

// Replays the sessions recorded in `dir`.
Result<std::vector<ClusterNode>> loadClusterRecording(const std::string &dir);
// The recording's files for these nodes (`shells[i]` may be null: not reached).
std::string clusterNodeFile(const std::string &dir, std::size_t index);  // "DIR/node-3.json" for index 2
std::string clusterListText(const std::vector<std::string> &hosts);    // nodes.txt's content

} // namespace podpath::remote
