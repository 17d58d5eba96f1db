#pragma once
// Runs node commands for the diagnosis and keeps every one with its output, so the
// report can show exactly what ran where and a reader can redo any step by hand.

#include "diagnosis.h"
#include "recipe.h"
#include "remote/node_shell.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace podpath::diagnose {

// The error of a command not run because its node had stopped answering.
inline constexpr std::string_view kNotRunNodeSilent = "not run: the node had stopped answering";

class CommandLog {
public:
    // Bounds what is kept per command in the report; parsers see the whole output.
    static constexpr std::size_t kKeptBytes = 64 * 1024;

    void add(CommandRecord record);
    std::vector<CommandRecord> records() const;

    // A node that let a command's bound pass without answering (its own `timeout -k`
    // would have ended the command seconds earlier) has stopped answering: the session
    // or the path to it is gone. The first such command is kept as the reason; later
    // commands on that node are not run, so a dark node costs one bound, not one each.
    void noteSilence(NodeRole role, std::string what);
    // The same for a command the connection was lost under (the session's keepalives
    // went unanswered, or the transport broke): true when `e` says so.
    bool noteLostConnection(NodeRole role, const std::string &what, const Error &e);
    std::optional<std::string> silence(NodeRole role) const;
    // The command's node stopped answering: it was not run for that, or the connection
    // was lost under it.
    static bool nodeWentDark(const Error &e);

private:
    mutable std::mutex m_mutex;
    std::vector<CommandRecord> m_records;
    std::optional<std::string> m_silence[2];
};

class ReadAhead;

// One node as the diagnosis sees it: its shell, its role, the shared log, and the
// answers fetched ahead for it (may be null).
struct NodeAccess {
    remote::NodeShell &shell;
    NodeRole role;
    CommandLog &log;
    ReadAhead *readAhead = nullptr;
};

// Whole seconds a command of this task may run on the node: the task's remaining
// budget rounded up, at least 1, at most `maxSeconds`.
remote::Seconds nodeBound(const TaskContext &ctx, int maxSeconds);

// A command line as the log shows it: "[root] " marks what ran with root rights.
std::string loggedCommand(const std::string &commandLine, bool asRoot);

// The log's record of a command that ran and answered `r` (duration, batch size and
// notes are the caller's).
CommandRecord ranRecord(NodeRole role, std::string step, const std::string &commandLine, bool asRoot,
                        const remote::CommandResult &r);

// Runs `command` on the node within the task's remaining budget (and at most
// `maxSeconds`), or takes its answer fetched ahead, records it under `step`, and
// returns the result. A command that ran and failed is a CommandResult, not an Error:
// callers judge exit statuses themselves.
Result<remote::CommandResult> runOn(const NodeAccess &node, const TaskContext &ctx, const std::string &step,
                                    const remote::RemoteCommand &command, bool asRoot, int maxSeconds = 10);

// Runs `commands` side by side on the node (NodeShell::startTogether: one exec over SSH),
// each recorded under `step` as runOn records it; stdout and stderr come back merged.
std::vector<Result<remote::CommandResult>> runTogether(const NodeAccess &node, const TaskContext &ctx, const std::string &step,
                                                       const std::vector<remote::RemoteCommand> &commands, bool asRoot,
                                                       int maxSeconds = 10);

} // namespace podpath::diagnose
