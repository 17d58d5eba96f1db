#pragma once
// A node played back from a SessionRecording, so the diagnosis and the GUI can be
// tested deterministically without a network. Commands are matched by their rendered
// command line and asRoot; the n-th run of a command gets the n-th recorded result
// for it (counters read before and after a burst differ). A command the recording does
// not have finishes with REPLAY_NO_MATCH ("... was not recorded ...: no evidence from
// it"): the diagnosis treats it as a read that failed, so what needed it is unknown. Results are delivered at once, on the
// calling thread; streams hand their recorded stdout to the sink before returning.

#include "remote/node_shell.h"
#include "remote/session_recording.h"

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace podpath::remote {

class ReplayNodeShell : public NodeShell {
public:
    explicit ReplayNodeShell(SessionRecording recording);
    static Result<SessionRecording> loadRecording(const std::string &path) { return SessionRecording::load(path); }

    NodeInfo info() const override
    {
        NodeInfo i = m_recording.node;
        i.replayed = true;
        return i;
    }
    CommandHandle start(const RemoteCommand &command, const RunOptions &options) override;
    CommandHandle stream(const RemoteCommand &command, const RunOptions &options, ChunkSink sink) override;

    // Command lines asked for that the recording had no (more) result for.
    std::vector<std::string> unmatched() const;

private:
    CommandHandle replay(const RemoteCommand &command, const RunOptions &options, const ChunkSink &sink);

    const SessionRecording m_recording;
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, bool>, std::vector<std::size_t>> m_byKey;   // indexes into commands
    std::map<std::pair<std::string, bool>, std::size_t> m_used;
    std::vector<std::string> m_unmatched;
};

} // namespace podpath::remote
