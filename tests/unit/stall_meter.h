#pragma once
// The longest time the event loop went without serving a 1 ms timer since construction:
// how long the GUI thread was blocked (the "never freezes", measured).

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>

// Under AddressSanitizer every paint is several times slower: stall limits are the
// plain build's figures and are not asserted there.
#if defined(__SANITIZE_ADDRESS__)
#define PODPATH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PODPATH_SANITIZED 1
#endif
#endif

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
