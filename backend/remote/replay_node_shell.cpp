#include "remote/replay_node_shell.h"

#include "remote/error_codes.h"

#include <algorithm>

namespace podpath::remote {

namespace {
constexpr std::size_t kReplayChunk = 64 * 1024;
}

ReplayNodeShell::ReplayNodeShell(SessionRecording recording) : m_recording(std::move(recording))
{
    for (std::size_t i = 0; i < m_recording.commands.size(); ++i) {
        const auto &c = m_recording.commands[i];
        m_byKey[{c.commandLine, c.asRoot}].push_back(i);
    }
}

std::vector<std::string> ReplayNodeShell::unmatched() const
{
    std::lock_guard lock(m_mutex);
    return m_unmatched;
}

CommandHandle ReplayNodeShell::start(const RemoteCommand &command, const RunOptions &options)
{
    return replay(command, options, {});
}

CommandHandle ReplayNodeShell::stream(const RemoteCommand &command, const RunOptions &options, ChunkSink sink)
{
    if (!sink)
        sink = [](std::string_view) {};
    return replay(command, options, sink);
}

CommandHandle ReplayNodeShell::replay(const RemoteCommand &command, const RunOptions &options, const ChunkSink &sink)
{
    const std::string line = command.toString();
    auto handle = std::make_shared<RunningCommand>(line);
    const RecordedCommand *found = nullptr;
    {
        std::lock_guard lock(m_mutex);
        auto key = std::make_pair(line, options.asRoot);
        auto it = m_byKey.find(key);
        std::size_t &used = m_used[key];
        if (it != m_byKey.end() && !it->second.empty())
            // Asked more often than recorded (the wizard runs a step again): the answers
            // start over, so a step that read a command twice (firewall counters before
            // and after the burst) reads before, after again, as on a node.
            found = &m_recording.commands[it->second[used++ % it->second.size()]];
        else
            m_unmatched.push_back(line);
    }
    if (!found) {
        // The recording holds what ran when it was made, nothing else: a command this
        // PodPath asks for and that one did not run has no answer, so no evidence.
        handle->finish(Error("`" + std::string(options.asRoot ? "[root] " : "") + line + "` was not recorded on " +
                                 m_recording.node.label + ": no evidence from it",
                             {}, "record the session again with this version of PodPath", 0, kReplayNoMatch));
        return handle;
    }
    if (found->error) {
        handle->finish(*found->error);
        return handle;
    }
    CommandResult r = found->result.value_or(CommandResult{});
    // The same bound a live run sets: a recording (written by hand, or by a PodPath that
    // asked for more) cannot hand the engine more than this PodPath would have read.
    if (r.out.size() > options.maxOutputBytes) {
        r.out.resize(options.maxOutputBytes);
        r.truncated = true;
        r.exitStatus.reset();  // a live command is stopped at its bound
    }
    if (r.err.size() > kMaxStderrBytes)
        r.err.resize(kMaxStderrBytes);
    if (sink) {
        std::string_view all(r.out);
        for (std::size_t at = 0; at < all.size(); at += kReplayChunk)
            sink(all.substr(at, kReplayChunk));
        r.outBytes = r.out.size();
        r.out.clear();
    }
    handle->finish(std::move(r));
    return handle;
}

} // namespace podpath::remote
