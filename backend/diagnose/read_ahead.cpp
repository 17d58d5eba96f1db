#include "read_ahead.h"

namespace podpath::diagnose {

void ReadAhead::fetch(remote::NodeShell &shell, const TaskContext &ctx, const std::vector<AheadRead> &reads,
                      int maxSeconds)
{
    if (ctx.cancelled() || reads.empty())
        return;
    remote::RunOptions opts;
    opts.timeout = nodeBound(ctx, maxSeconds);
    // Both privileges' batches run on the node at the same time.
    struct Started {
        const AheadRead *read;
        remote::CommandHandle handle;
        int batchSize;
    };
    std::vector<Started> started;
    for (bool root : {false, true}) {
        std::vector<remote::RemoteCommand> batch;
        std::vector<const AheadRead *> which;
        for (const auto &r : reads)
            if (r.asRoot == root) {
                batch.push_back(r.command);
                which.push_back(&r);
            }
        if (batch.empty())
            continue;
        opts.asRoot = root;
        auto handles = shell.startAll(batch, opts);
        for (std::size_t i = 0; i < handles.size() && i < which.size(); ++i)
            started.push_back({which[i], handles[i], int(batch.size())});
    }
    for (auto &st : started) {
        const auto &r = st.handle->result();
        std::lock_guard lock(m_mutex);
        auto key = std::make_pair(st.read->command.toString(), st.read->asRoot);
        if (r.ok())
            m_answers[key] = Answer{r.value(), st.batchSize};
        else
            m_answers.erase(key);
    }
}

std::optional<ReadAhead::Answer> ReadAhead::take(const remote::RemoteCommand &command, bool asRoot)
{
    std::lock_guard lock(m_mutex);
    auto it = m_answers.find({command.toString(), asRoot});
    if (it == m_answers.end())
        return std::nullopt;
    auto answer = std::move(it->second);
    m_answers.erase(it);
    return answer;
}

void ReadAhead::recordUnused(const NodeAccess &node)
{
    std::map<std::pair<std::string, bool>, Answer> unused;
    {
        std::lock_guard lock(m_mutex);
        unused.swap(m_answers);
    }
    for (const auto &[key, answer] : unused) {
        CommandRecord rec = ranRecord(node.role, "read ahead", key.first, key.second, answer.result);
        rec.batchSize = answer.batchSize;
        node.log.add(std::move(rec));
    }
}

} // namespace podpath::diagnose
