#pragma once
// Answers fetched before a step asks for them. Each exec costs a node tens of
// milliseconds before the command runs (sshd, login shell, wrapper); a step's first
// reads are known in advance, so they go to the node as one batch per privilege
// (NodeShell::startAll) and runOn hands each reader its answer from here. The readers
// keep their plain one-command-at-a-time logic and fall back to running a command
// themselves when it is not here (not fetched, or the batch did not finish it).

#include "command_log.h"
#include "recipe.h"
#include "remote/node_shell.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace podpath::diagnose {

struct AheadRead {
    remote::RemoteCommand command;
    bool asRoot = false;
};

class ReadAhead {
public:
    // Runs `reads` on the node (bounded by the task's budget and `maxSeconds`) and
    // keeps every answer that came back; replaces earlier answers to the same commands.
    void fetch(remote::NodeShell &shell, const TaskContext &ctx, const std::vector<AheadRead> &reads, int maxSeconds);
    struct Answer {
        remote::CommandResult result;
        int batchSize = 1;  // how many reads ran in the same exec
    };
    // The answer to `command`, once: a second ask runs it again on the node.
    std::optional<Answer> take(const remote::RemoteCommand &command, bool asRoot);
    // Puts the answers no read asked for (a fallback that was not needed) in the log
    // under "read ahead": they ran on the node, so the report lists them.
    void recordUnused(const NodeAccess &node);

private:
    std::mutex m_mutex;
    std::map<std::pair<std::string, bool>, Answer> m_answers;
};

} // namespace podpath::diagnose
