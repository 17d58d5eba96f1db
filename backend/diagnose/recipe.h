#pragma once
// The procedure as data: a tree of sequential and parallel groups of named tasks, each
// with a time budget, in the spirit of Qt Creator's Tasking. A Recipe is a value: it can
// be printed (the wizard shows it), run many times, and tested without a network.

#include "core/result.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace podpath::diagnose {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

// What a running task may ask: has the run been cancelled, how long may it still take.
// Tasks pass remaining() down as the timeout of every remote command they start, so a
// task never outlives its budget by more than one command's own bound.
class TaskContext {
public:
    // `within`: the task whose own recipe this task runs in (RecipeRunner::run): cancelling
    // that task's run reaches this one too.
    TaskContext(const std::atomic<bool> &cancelled, Clock::time_point deadline, const TaskContext *within = nullptr)
        : m_cancelled(cancelled), m_deadline(deadline), m_within(within) {}
    bool cancelled() const { return cancelRequested() || Clock::now() >= m_deadline; }
    // Cancelled by someone, as opposed to out of time.
    bool cancelRequested() const { return m_cancelled.load() || (m_within && m_within->cancelRequested()); }
    Clock::time_point deadline() const { return m_deadline; }
    Millis remaining() const
    {
        auto left = std::chrono::duration_cast<Millis>(m_deadline - Clock::now());
        return left.count() > 0 ? left : Millis(0);
    }

private:
    const std::atomic<bool> &m_cancelled;
    Clock::time_point m_deadline;
    const TaskContext *m_within;
};

using TaskFunction = std::function<Result<void>(const TaskContext &)>;

enum class ErrorPolicy {
    StopOnError,  // a failed child stops the group's later children (sequential) and fails it
    ContinueOnError,  // every child runs; the group reports the first error
};

struct RecipeNode {
    enum class Kind { Task, Sequential, Parallel };
    Kind kind = Kind::Task;
    std::string name;          // shown to the user and used as the timings key
    Millis timeout{0};         // 0: inherit the parent's deadline
    ErrorPolicy policy = ErrorPolicy::StopOnError;
    TaskFunction run;          // Task only
    std::vector<RecipeNode> children;  // groups only
};

// Builders that read like the procedure they describe.
RecipeNode task(std::string name, Millis timeout, TaskFunction run);
RecipeNode sequential(std::string name, std::vector<RecipeNode> children,
                      ErrorPolicy policy = ErrorPolicy::StopOnError, Millis timeout = Millis(0));
RecipeNode parallel(std::string name, std::vector<RecipeNode> children,
                    ErrorPolicy policy = ErrorPolicy::ContinueOnError, Millis timeout = Millis(0));

enum class StepState { Started, Succeeded, Failed, TimedOut, Cancelled, NotRun };
const char *toString(StepState s);

struct StepReport {
    std::string path;   // "diagnose/discover/client", groups joined by '/'
    StepState state = StepState::NotRun;
    Millis duration{0};
    std::string error;  // one line, empty unless failed
};

// Progress arrives from worker threads; the receiver must be thread-safe (the GUI wraps
// it in a queued signal).
using ProgressSink = std::function<void(const StepReport &)>;

class RecipeRunner {
public:
    explicit RecipeRunner(ProgressSink sink = {}) : m_sink(std::move(sink)) {}
    // Not while running.
    void setProgressSink(ProgressSink sink) { m_sink = std::move(sink); }
    // Runs to completion on the calling thread (parallel children on their own threads).
    // Inside a task (`within`): bounded by that task's deadline and cancelled with its run,
    // even when the cancel came before this run started (so no reset can lose it).
    Result<void> run(const RecipeNode &root, const TaskContext *within = nullptr);
    // Safe from any thread; tasks see it through TaskContext::cancelled().
    void cancel() { m_cancelled = true; }
    // Every finished step, in completion order, for the report's timings.
    std::vector<StepReport> steps() const;

private:
    Result<void> runNode(const RecipeNode &node, const std::string &parentPath,
                         Clock::time_point parentDeadline);
    void report(const StepReport &r);
    bool cancelRequested() const { return m_cancelled.load() || (m_within && m_within->cancelRequested()); }

    ProgressSink m_sink;
    std::atomic<bool> m_cancelled{false};
    const TaskContext *m_within = nullptr;
    mutable std::mutex m_mutex;
    std::vector<StepReport> m_steps;
};

// An indented outline of the recipe ("parallel discover (5000 ms)") for the wizard and --verbose.
std::string describe(const RecipeNode &root);

} // namespace podpath::diagnose
