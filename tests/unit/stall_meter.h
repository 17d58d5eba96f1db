#pragma once
// The longest time the event loop went without serving a 1 ms timer since construction:
// how long the GUI thread was blocked (the "never freezes", measured).
//
// A pause has three parts, told apart with the kernel's per-thread accounting
// (/proc/thread-self/schedstat): the GUI thread running its own work (a freeze PodPath
// causes), waiting on a run queue for a core (other processes hold the CPU: on the lab
// the nodes' sshd, tcpdump and ping share this machine's cores, on a real cluster they
// run elsewhere), and sleeping (waiting on a lock or I/O: also PodPath's doing).
// `longest` is the wall-clock pause; `busyInLongest`, `queuedInLongest` its parts;
// `longestOwn` the longest pause without the run-queue wait, i.e. what the GUI
// thread itself spent (running or sleeping) between two ticks.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>

#include "sanitized.h"  // stall limits are the plain build's figures

namespace podpath::testing {

struct StallMeter {
    QTimer timer;
    QElapsedTimer clock;
    qint64 last = 0, longest = 0;
    double busyInLongest = 0, queuedInLongest = 0, longestOwn = 0;  // milliseconds
    double lastRun = 0, lastQueued = 0;

    // Nanoseconds on a core and waiting for one, for the calling thread; zeros where
    // the kernel does not keep them (schedstats off): then everything counts as own.
    static void threadTimes(double &runMs, double &queuedMs)
    {
        runMs = queuedMs = 0;
        if (FILE *f = std::fopen("/proc/thread-self/schedstat", "r")) {
            unsigned long long run = 0, queued = 0;
            if (std::fscanf(f, "%llu %llu", &run, &queued) == 2) {
                runMs = double(run) / 1e6;
                queuedMs = double(queued) / 1e6;
            }
            std::fclose(f);
        }
    }

    StallMeter()
    {
        timer.setInterval(1);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            const qint64 now = clock.elapsed();
            double run = 0, queued = 0;
            threadTimes(run, queued);
            const double wall = double(now - last);
            const double waited = queued - lastQueued;
            if (now - last > longest) {
                longest = now - last;
                busyInLongest = run - lastRun;
                queuedInLongest = waited;
            }
            longestOwn = std::max(longestOwn, wall - waited);
            last = now;
            lastRun = run;
            lastQueued = queued;
        });
        clock.start();
        threadTimes(lastRun, lastQueued);
        timer.start();
    }
};

} // namespace podpath::testing
