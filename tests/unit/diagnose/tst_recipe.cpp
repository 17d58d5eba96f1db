#include "diagnose/recipe.h"

#include <QtTest>

#include <thread>

using namespace podpath;
using namespace podpath::diagnose;
using namespace std::chrono_literals;

namespace {

// A task whose outcome a data row chooses: "ok", "fail", or "hang" (waits for its
// deadline or cancel, as a well-behaved remote command does).
TaskFunction behaviour(const QString &what, std::atomic<int> *runs)
{
    return [what, runs](const TaskContext &ctx) -> Result<void> {
        ++*runs;
        if (what == "fail")
            return Error{"no route to host", "test", {}, 0};
        if (what == "hang") {
            while (!ctx.cancelled())
                std::this_thread::sleep_for(1ms);
            return Error{"timed out waiting for the node", "test", {}, 0};
        }
        return {};
    };
}

QString states(const RecipeRunner &runner)
{
    QStringList out;
    for (const auto &s : runner.steps())
        out << QString::fromStdString(s.path) + "=" + toString(s.state);
    out.sort();
    return out.join(' ');
}

} // namespace

class TestRecipe : public QObject {
    Q_OBJECT
private slots:
    void groups_data()
    {
        QTest::addColumn<bool>("isParallel");
        QTest::addColumn<bool>("stopOnError");
        QTest::addColumn<QStringList>("outcomes");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("runs");
        QTest::addColumn<QString>("expectedStates");

        QTest::newRow("sequential all ok") << false << true << QStringList{"ok", "ok"} << true << 2
            << "g/t0=ok g/t1=ok g=ok";
        QTest::newRow("sequential stops after failure") << false << true << QStringList{"fail", "ok"} << false << 1
            << "g/t0=failed g/t1=not run g=failed";
        QTest::newRow("sequential continue policy runs all") << false << false << QStringList{"fail", "ok"} << false << 2
            << "g/t0=failed g/t1=ok g=failed";
        QTest::newRow("parallel runs every child") << true << false << QStringList{"ok", "fail", "ok"} << false << 3
            << "g/t0=ok g/t1=failed g/t2=ok g=failed";
        QTest::newRow("parallel all ok") << true << false << QStringList{"ok", "ok"} << true << 2
            << "g/t0=ok g/t1=ok g=ok";
        QTest::newRow("hang is bounded by its timeout") << false << true << QStringList{"hang", "ok"} << false << 1
            << "g/t0=timed out g/t1=not run g=failed";
        QTest::newRow("parallel hang does not block siblings") << true << false << QStringList{"hang", "ok"} << false << 2
            << "g/t0=timed out g/t1=ok g=failed";
        QTest::newRow("empty group succeeds") << true << false << QStringList{} << true << 0 << "g=ok";
    }
    void groups()
    {
        QFETCH(bool, isParallel);
        QFETCH(bool, stopOnError);
        QFETCH(QStringList, outcomes);
        QFETCH(bool, ok);
        QFETCH(int, runs);
        QFETCH(QString, expectedStates);

        std::atomic<int> count{0};
        std::vector<RecipeNode> children;
        for (int i = 0; i < outcomes.size(); ++i)
            children.push_back(task("t" + std::to_string(i), 30ms, behaviour(outcomes[i], &count)));
        auto policy = stopOnError ? ErrorPolicy::StopOnError : ErrorPolicy::ContinueOnError;
        RecipeNode root = isParallel ? parallel("g", children, policy) : sequential("g", children, policy);

        RecipeRunner runner;
        auto result = runner.run(root);
        QCOMPARE(result.ok(), ok);
        QCOMPARE(count.load(), runs);
        QCOMPARE(states(runner), expectedStates);
    }

    void groupTimeoutBoundsChildren()
    {
        // The group's budget is shorter than the child's: the child sees the group deadline.
        std::atomic<int> count{0};
        RecipeRunner runner;
        auto r = runner.run(sequential("g", {task("t", 10s, behaviour("hang", &count))},
                                       ErrorPolicy::StopOnError, 20ms));
        QVERIFY(!r.ok());
        QCOMPARE(states(runner), QString("g/t=timed out g=timed out"));
    }

    void cancelStopsRunningAndPendingTasks()
    {
        std::atomic<int> count{0};
        RecipeRunner runner;
        std::atomic<bool> started{false};
        auto waitForStart = [&](const TaskContext &ctx) -> Result<void> {
            started = true;
            while (!ctx.cancelled())
                std::this_thread::sleep_for(1ms);
            return Error{"cancelled by the user", "test", {}, 0};
        };
        std::jthread canceller([&] {
            while (!started)
                std::this_thread::sleep_for(1ms);
            runner.cancel();
        });
        auto r = runner.run(sequential("g", {task("a", 10s, waitForStart), task("b", 10s, behaviour("ok", &count))}));
        QVERIFY(!r.ok());
        QCOMPARE(count.load(), 0);
        QCOMPARE(states(runner), QString("g/a=cancelled g/b=not run g=cancelled"));
    }

    // A recipe run inside a task (the matrix's per-node discovery): the outer run's cancel
    // reaches it, even when it came before the inner run began (run() starts uncancelled),
    // and the outer task's deadline bounds it.
    void innerRunFollowsItsTask_data()
    {
        QTest::addColumn<bool>("cancelFirst");  // cancel the outer run before the inner one starts
        QTest::addColumn<int>("outerMs");       // the outer task's budget
        QTest::addColumn<QString>("innerStates");
        QTest::newRow("cancelled before it began") << true << 10000 << "in=not run";
        QTest::newRow("bounded by the task's deadline") << false << 30 << "in/first=timed out in=timed out";
    }
    void innerRunFollowsItsTask()
    {
        QFETCH(bool, cancelFirst);
        QFETCH(int, outerMs);
        QFETCH(QString, innerStates);
        std::atomic<int> count{0};
        RecipeRunner outer, inner;
        const auto began = Clock::now();
        auto r = outer.run(task("outer", Millis(outerMs), [&](const TaskContext &c) -> Result<void> {
            if (cancelFirst)
                outer.cancel();
            return inner.run(sequential("in", {task("first", 10s, behaviour("hang", &count))}), &c);
        }));
        QVERIFY(!r.ok());
        QVERIFY2(Clock::now() - began < 5s, "the inner run outlived its task");
        QCOMPARE(count.load(), cancelFirst ? 0 : 1);
        QCOMPARE(states(inner), innerStates);
    }

    void progressReportsStartAndEnd()
    {
        std::mutex m;
        QStringList seen;
        RecipeRunner runner([&](const StepReport &s) {
            std::lock_guard lock(m);
            seen << QString::fromStdString(s.path) + ":" + toString(s.state);
        });
        std::atomic<int> count{0};
        QVERIFY(runner.run(sequential("g", {task("t", 1s, behaviour("ok", &count))})).ok());
        QCOMPARE(seen, (QStringList{"g:started", "g/t:started", "g/t:ok", "g:ok"}));
    }

    void describeReadsLikeTheProcedure()
    {
        auto r = sequential("diagnose", {parallel("discover", {task("client", 5s, {}), task("server", 5s, {})}),
                                         task("ping burst", 3s, {})});
        QCOMPARE(QString::fromStdString(describe(r)),
                 QString("in order: diagnose\n  at once: discover\n    client (within 5000 ms)\n"
                         "    server (within 5000 ms)\n  ping burst (within 3000 ms)\n"));
    }
};

QTEST_GUILESS_MAIN(TestRecipe)
#include "tst_recipe.moc"
