#pragma once
// Errors are values across layer boundaries (std::expected is C++23; g++ 12 lacks it).

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace podpath {

struct Error {
    // A constructor (not an aggregate) so that `code` can follow without every
    // Error{message, context, nextStep, line} in the tree warning about it.
    Error() = default;
    Error(std::string message_, std::string context_ = {}, std::string nextStep_ = {}, int line_ = 0,
          std::string code_ = {})
        : message(std::move(message_)), context(std::move(context_)), nextStep(std::move(nextStep_)),
          line(line_), code(std::move(code_))
    {
    }

    std::string message;   // one line: what went wrong, in the user's words
    std::string context;   // where: the input line, host, command or file
    std::string nextStep;  // what the reader can do about it; may be empty
    int line = 0;          // 1-based input line for parsers, 0 when not applicable
    std::string code;      // stable upper-snake id callers branch on (e.g.
                           // SSH_CONNECTION_LOST); empty when none is needed

    std::string oneLine() const
    {
        std::string s = message;
        if (line > 0)
            s += " (line " + std::to_string(line) + ")";
        if (!context.empty())
            s += ": " + context;
        if (!nextStep.empty())
            s += " - " + nextStep;
        return s;
    }

    // Parsed tables keep the lines they skipped as Errors and compare as values.
    bool operator==(const Error &) const = default;
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { assert(ok()); return std::get<0>(m_v); }
    const T &value() const & { assert(ok()); return std::get<0>(m_v); }
    T &&value() && { assert(ok()); return std::get<0>(std::move(m_v)); }
    T valueOr(T fallback) const { return ok() ? std::get<0>(m_v) : std::move(fallback); }
    const Error &error() const { assert(!ok()); return std::get<1>(m_v); }

    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}
    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error &error() const { assert(!m_ok); return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

} // namespace podpath
