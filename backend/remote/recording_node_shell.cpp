#include "remote/recording_node_shell.h"

namespace podpath::remote {

RecordingNodeShell::RecordingNodeShell(NodeShell &inner) : m_inner(inner) {}

std::shared_ptr<RecordingNodeShell::Slot> RecordingNodeShell::reserve(const RemoteCommand &command,
                                                                      const RunOptions &options, bool streamed)
{
    auto slot = std::make_shared<Slot>();
    slot->command.commandLine = command.toString();
    slot->command.asRoot = options.asRoot;
    slot->command.streamed = streamed;
    std::lock_guard lock(m_mutex);
    m_slots.push_back(slot);
    return slot;
}

void RecordingNodeShell::watch(const CommandHandle &handle, const std::shared_ptr<Slot> &slot)
{
    handle->onFinished([this, slot](const Result<CommandResult> &r) {
        std::lock_guard lock(m_mutex);
        if (r.ok()) {
            CommandResult copy = r.value();
            if (slot->command.streamed)
                copy.out = std::move(slot->streamed);
            slot->command.result = std::move(copy);
        } else {
            slot->command.error = r.error();
        }
        slot->done = true;
    });
}

CommandHandle RecordingNodeShell::start(const RemoteCommand &command, const RunOptions &options)
{
    auto slot = reserve(command, options, false);
    auto handle = m_inner.start(command, options);
    watch(handle, slot);
    return handle;
}

CommandHandle RecordingNodeShell::stream(const RemoteCommand &command, const RunOptions &options, ChunkSink sink)
{
    auto slot = reserve(command, options, true);
    auto tee = [this, slot, sink = std::move(sink)](std::string_view chunk) {
        {
            std::lock_guard lock(m_mutex);
            slot->streamed.append(chunk);
        }
        if (sink)
            sink(chunk);
    };
    auto handle = m_inner.stream(command, options, tee);
    watch(handle, slot);
    return handle;
}

std::vector<CommandHandle> RecordingNodeShell::startAll(const std::vector<RemoteCommand> &commands,
                                                        const RunOptions &options)
{
    return recordEach(commands, options, &NodeShell::startAll);
}

std::vector<CommandHandle> RecordingNodeShell::startTogether(const std::vector<RemoteCommand> &commands,
                                                             const RunOptions &options)
{
    return recordEach(commands, options, &NodeShell::startTogether);
}

std::vector<CommandHandle> RecordingNodeShell::recordEach(const std::vector<RemoteCommand> &commands, const RunOptions &options,
                                                          StartMany start)
{
    // Each command is kept as its own, whatever the inner shell makes of them together.
    std::vector<std::shared_ptr<Slot>> slots;
    for (const auto &c : commands)
        slots.push_back(reserve(c, options, false));
    auto handles = (m_inner.*start)(commands, options);
    for (std::size_t i = 0; i < handles.size() && i < slots.size(); ++i)
        watch(handles[i], slots[i]);
    return handles;
}

SessionRecording RecordingNodeShell::recording() const
{
    SessionRecording rec;
    rec.node = m_inner.info();
    std::lock_guard lock(m_mutex);
    for (const auto &slot : m_slots)
        if (slot->done)
            rec.commands.push_back(slot->command);
    return rec;
}

} // namespace podpath::remote
