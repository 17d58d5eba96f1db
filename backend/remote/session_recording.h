#pragma once
// A recorded node session: every command PodPath ran on one node and what came back,
// in order. ReplayNodeShell plays it back; RecordingNodeShell writes it. JSON, one
// file per node:
//
//   {"format": "podpath-session", "version": 1,
//    "node": {"label": "root@node1", "user": "root", "uid": 0, "privilege": "root"},
//    "commands": [{"command": "ip -o -4 addr show", "asRoot": false, "stream": false,
//                  "exitStatus": 0, "stdout": "...", "stderr": "", "durationMs": 12,
//                  "timedOut": false, "truncated": false, "cancelled": false}, ...]}
//
// "stdout"/"stderr" hold UTF-8 text; bytes that are not (pcap) go in "stdoutBase64" /
// "stderrBase64" instead. A command that could not run has "error": {"message", "context",
// "nextStep", "code"} instead of the result fields. Secrets are never part of it: the
// sudo password travels on stdin, which is not recorded.

#include "core/result.h"
#include "remote/command_result.h"
#include "remote/node_shell.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::remote {

struct RecordedCommand {
    std::string commandLine;   // RemoteCommand::toString(), the replay key with asRoot
    bool asRoot = false;
    bool streamed = false;
    std::optional<CommandResult> result;   // streams keep their stdout in result->out
    std::optional<Error> error;
};

struct SessionRecording {
    NodeInfo node;
    std::vector<RecordedCommand> commands;

    std::string toJson() const;
    static Result<SessionRecording> fromJson(std::string_view json);
    Result<void> save(const std::string &path) const;
    static Result<SessionRecording> load(const std::string &path);
};

} // namespace podpath::remote
