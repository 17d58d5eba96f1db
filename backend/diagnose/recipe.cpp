#include "recipe.h"

#include <optional>
#include <thread>

namespace podpath::diagnose {

RecipeNode task(std::string name, Millis timeout, TaskFunction run)
{
    RecipeNode n;
    n.kind = RecipeNode::Kind::Task;
    n.name = std::move(name);
    n.timeout = timeout;
    n.run = std::move(run);
    return n;
}

static RecipeNode group(RecipeNode::Kind kind, std::string name, std::vector<RecipeNode> children,
                        ErrorPolicy policy, Millis timeout)
{
    RecipeNode n;
    n.kind = kind;
    n.name = std::move(name);
    n.children = std::move(children);
    n.policy = policy;
    n.timeout = timeout;
    return n;
}

RecipeNode sequential(std::string name, std::vector<RecipeNode> children, ErrorPolicy policy, Millis timeout)
{
    return group(RecipeNode::Kind::Sequential, std::move(name), std::move(children), policy, timeout);
}

RecipeNode parallel(std::string name, std::vector<RecipeNode> children, ErrorPolicy policy, Millis timeout)
{
    return group(RecipeNode::Kind::Parallel, std::move(name), std::move(children), policy, timeout);
}

const char *toString(StepState s)
{
    switch (s) {
    case StepState::Started: return "started";
    case StepState::Succeeded: return "ok";
    case StepState::Failed: return "failed";
    case StepState::TimedOut: return "timed out";
    case StepState::Cancelled: return "cancelled";
    case StepState::NotRun: return "not run";
    }
    return "?";
}

void RecipeRunner::report(const StepReport &r)
{
    if (r.state != StepState::Started) {
        std::lock_guard lock(m_mutex);
        m_steps.push_back(r);
    }
    if (m_sink)
        m_sink(r);
}

std::vector<StepReport> RecipeRunner::steps() const
{
    std::lock_guard lock(m_mutex);
    return m_steps;
}

Result<void> RecipeRunner::run(const RecipeNode &root, const TaskContext *within)
{
    m_cancelled = false;
    m_within = within;
    {
        std::lock_guard lock(m_mutex);
        m_steps.clear();
    }
    return runNode(root, {}, within ? within->deadline() : Clock::time_point::max());
}

Result<void> RecipeRunner::runNode(const RecipeNode &node, const std::string &parentPath,
                                   Clock::time_point parentDeadline)
{
    const std::string path = parentPath.empty() ? node.name : parentPath + "/" + node.name;
    const auto start = Clock::now();
    Clock::time_point deadline = parentDeadline;
    if (node.timeout.count() > 0 && start + node.timeout < deadline)
        deadline = start + node.timeout;

    auto finish = [&](Result<void> result) {
        StepReport r{path, StepState::Succeeded, std::chrono::duration_cast<Millis>(Clock::now() - start), {}};
        if (!result.ok()) {
            r.error = result.error().oneLine();
            r.state = cancelRequested() ? StepState::Cancelled
                      : Clock::now() >= deadline ? StepState::TimedOut
                                                 : StepState::Failed;
        }
        report(r);
        return result;
    };

    if (cancelRequested()) {
        report({path, StepState::NotRun, Millis(0), "cancelled before it started"});
        return Error{"cancelled", path, {}, 0};
    }
    report({path, StepState::Started, Millis(0), {}});

    switch (node.kind) {
    case RecipeNode::Kind::Task: {
        TaskContext ctx(m_cancelled, deadline, m_within);
        Result<void> r = node.run ? node.run(ctx) : Result<void>();
        // A task that returns success after its budget still counts: its evidence is real.
        // One that failed after the deadline is reported as timed out, with its own message.
        if (!r.ok() && Clock::now() >= deadline && r.error().message.find("timed out") == std::string::npos) {
            Error e = r.error();
            e.message = "timed out: " + e.message;
            r = e;
        }
        return finish(std::move(r));
    }
    case RecipeNode::Kind::Sequential: {
        std::optional<Error> first;
        for (const auto &child : node.children) {
            if (first && node.policy == ErrorPolicy::StopOnError) {
                report({path + "/" + child.name, StepState::NotRun, Millis(0), "an earlier step failed"});
                continue;
            }
            auto r = runNode(child, path, deadline);
            if (!r.ok() && !first)
                first = r.error();
        }
        return finish(first ? Result<void>(*first) : Result<void>());
    }
    case RecipeNode::Kind::Parallel: {
        std::vector<Result<void>> results(node.children.size());
        {
            std::vector<std::jthread> threads;
            threads.reserve(node.children.size());
            for (std::size_t i = 0; i < node.children.size(); ++i)
                threads.emplace_back([&, i] { results[i] = runNode(node.children[i], path, deadline); });
        }  // joins: every task is bounded by its own deadline
        for (auto &r : results)
            if (!r.ok())
                return finish(r.error());
        return finish({});
    }
    }
    return finish({});
}

static void describeInto(const RecipeNode &n, int depth, std::string &out)
{
    out.append(std::size_t(depth) * 2, ' ');
    switch (n.kind) {
    case RecipeNode::Kind::Task: break;
    case RecipeNode::Kind::Sequential: out += "in order: "; break;
    case RecipeNode::Kind::Parallel: out += "at once: "; break;
    }
    out += n.name;
    if (n.timeout.count() > 0)
        out += " (within " + std::to_string(n.timeout.count()) + " ms)";
    out += '\n';
    for (const auto &c : n.children)
        describeInto(c, depth + 1, out);
}

std::string describe(const RecipeNode &root)
{
    std::string out;
    describeInto(root, 0, out);
    return out;
}

} // namespace podpath::diagnose
