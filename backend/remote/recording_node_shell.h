#pragma once
// Records every command run through another NodeShell, with its result, into a
// SessionRecording that ReplayNodeShell plays back: how fixtures for the diagnosis and
// the GUI are made from a real node. Commands are kept in the order they were started.

#include "remote/node_shell.h"
#include "remote/session_recording.h"

#include <memory>
#include <mutex>

namespace podpath::remote {

class RecordingNodeShell : public NodeShell {
public:
    explicit RecordingNodeShell(NodeShell &inner);

    NodeInfo info() const override { return m_inner.info(); }
    CommandHandle start(const RemoteCommand &command, const RunOptions &options) override;
    CommandHandle stream(const RemoteCommand &command, const RunOptions &options, ChunkSink sink) override;
    // Each command of a batch is recorded on its own, so a replay needs no batches.
    std::vector<CommandHandle> startAll(const std::vector<RemoteCommand> &commands, const RunOptions &options) override;
    std::vector<CommandHandle> startTogether(const std::vector<RemoteCommand> &commands, const RunOptions &options) override;

    // What has finished so far (commands still running are left out).
    SessionRecording recording() const;
    Result<void> save(const std::string &path) const { return recording().save(path); }

private:
    using StartMany = std::vector<CommandHandle> (NodeShell::*)(const std::vector<RemoteCommand> &, const RunOptions &);
    std::vector<CommandHandle> recordEach(const std::vector<RemoteCommand> &commands, const RunOptions &options,
                                          StartMany start);
    struct Slot {
        RecordedCommand command;
        bool done = false;
        std::string streamed;
    };
    std::shared_ptr<Slot> reserve(const RemoteCommand &command, const RunOptions &options, bool streamed);
    void watch(const CommandHandle &handle, const std::shared_ptr<Slot> &slot);

    NodeShell &m_inner;
    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<Slot>> m_slots;
};

} // namespace podpath::remote
