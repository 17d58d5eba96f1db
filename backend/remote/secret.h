#pragma once
// A password, passphrase or sudo password on its way from a prompt to libssh or to a
// remote stdin. It has no stream operator and no implicit conversion to a string, so it
// cannot drift into a log line, a report or the settings by accident, and its bytes are
// wiped when it goes away.

#include <string>
#include <string_view>

namespace podpath::remote {

class Secret {
public:
    Secret() = default;
    explicit Secret(std::string text) : m_text(std::move(text)) {}
    Secret(const Secret &other) : m_text(other.m_text) {}
    Secret(Secret &&other) noexcept : m_text(other.m_text) { other.wipe(); }
    Secret &operator=(const Secret &other)
    {
        if (this != &other) {
            wipe();
            m_text = other.m_text;
        }
        return *this;
    }
    Secret &operator=(Secret &&other) noexcept
    {
        if (this != &other) {
            wipe();
            m_text = other.m_text;
            other.wipe();
        }
        return *this;
    }
    ~Secret() { wipe(); }

    // Named so that every place a secret leaves this wrapper is easy to find.
    std::string_view reveal() const { return m_text; }
    bool empty() const { return m_text.empty(); }

private:
    void wipe() noexcept
    {
        volatile char *p = m_text.data();
        for (std::size_t i = 0; i < m_text.size(); ++i)
            p[i] = 0;
        m_text.clear();
    }
    std::string m_text;
};

} // namespace podpath::remote
