#pragma once
// A value that a worker thread fills in once and any thread may wait for or be called
// back with. Small on purpose: QFuture needs default-constructible results, and
// podpath::Result has no empty state.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace podpath::remote {

template <class T>
class Pending {
public:
    // First call wins; later calls are ignored (a cancel racing a finish). Callbacks
    // run before waiters wake, so whoever waited sees their effects (a recorder has
    // stored the result before the caller saves the recording).
    bool set(T value)
    {
        std::unique_lock lock(m_mutex);
        if (m_value)
            return false;
        m_value.emplace(std::move(value));
        while (!m_callbacks.empty()) {
            std::vector<std::function<void(const T &)>> callbacks;
            callbacks.swap(m_callbacks);
            lock.unlock();
            for (auto &cb : callbacks)
                cb(*m_value);
            lock.lock();
        }
        m_ready = true;
        lock.unlock();
        m_readyChanged.notify_all();
        return true;
    }

    bool isReady() const
    {
        std::lock_guard lock(m_mutex);
        return m_ready;
    }

    bool waitFor(std::chrono::milliseconds max) const
    {
        std::unique_lock lock(m_mutex);
        return m_readyChanged.wait_for(lock, max, [&] { return m_ready; });
    }

    // Blocks until set. Never call from the GUI thread.
    const T &get() const
    {
        std::unique_lock lock(m_mutex);
        m_readyChanged.wait(lock, [&] { return m_ready; });
        return *m_value;
    }

    // Runs `cb` with the value: at once on this thread if it is there, otherwise on the
    // thread that sets it.
    void then(std::function<void(const T &)> cb)
    {
        {
            std::lock_guard lock(m_mutex);
            if (!m_ready) {
                m_callbacks.push_back(std::move(cb));
                return;
            }
        }
        cb(*m_value);
    }

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_readyChanged;
    std::optional<T> m_value;
    bool m_ready = false;   // value set and every callback run
    std::vector<std::function<void(const T &)>> m_callbacks;
};

} // namespace podpath::remote
