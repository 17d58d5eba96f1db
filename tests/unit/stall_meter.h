#pragma once
// The longest time the event loop went without serving a 1 ms timer since construction:
// how long the GUI thread was blocked (the "never freezes", measured).

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>

#include "sanitized.h"  // stall limits are the plain build's figures

namespace podpath::testing {

struct StallMeter {
    QTimer timer;
    QElapsedTimer clock;
    qint64 last = 0, longest = 0;
    StallMeter()
    {
        timer.setInterval(1);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            const qint64 now = clock.elapsed();
            longest = std::max(longest, now - last);
            last = now;
        });
        clock.start();
        timer.start();
    }
};

} // namespace podpath::testing
