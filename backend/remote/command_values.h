#pragma once
// Small validated values that may appear on a remote command line, beside the core
// address types (Ipv4, InterfaceName). Each can only be made through parse()/of(), so a
// command built from them holds nothing a shell or a program's option parser could
// misread: no value renders with a leading '-', none carries a control character.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podpath::remote {

// A positive count (packets, lines, attempts): 1 .. 1,000,000,000.
class Count {
public:
    static std::optional<Count> of(std::uint64_t n);
    static std::optional<Count> parse(std::string_view text);
    std::uint32_t value() const { return m_n; }
    std::string toString() const { return std::to_string(m_n); }
    bool operator==(const Count &) const = default;

private:
    explicit Count(std::uint32_t n) : m_n(n) {}
    std::uint32_t m_n;
};

// A TCP/UDP port, 1 .. 65535.
class Port {
public:
    static std::optional<Port> of(std::uint64_t n);
    static std::optional<Port> parse(std::string_view text);
    std::uint16_t value() const { return m_n; }
    std::string toString() const { return std::to_string(m_n); }
    bool operator==(const Port &) const = default;

private:
    explicit Port(std::uint16_t n) : m_n(n) {}
    std::uint16_t m_n;
};

// A duration in whole seconds, 1 .. 86400: what `timeout` and `tcpdump -G` take.
class Seconds {
public:
    static std::optional<Seconds> of(std::uint64_t n);
    static std::optional<Seconds> parse(std::string_view text);
    std::uint32_t value() const { return m_n; }
    std::string toString() const { return std::to_string(m_n); }
    bool operator==(const Seconds &) const = default;

private:
    explicit Seconds(std::uint32_t n) : m_n(n) {}
    std::uint32_t m_n;
};

// An absolute path on the node: starts with '/', at most 4096 bytes, printable ASCII
// (spaces allowed), no "." or ".." component, no empty component except a trailing '/'.
// Absolute means it can never look like an option.
class RemotePath {
public:
    static std::optional<RemotePath> parse(std::string_view text);
    const std::string &str() const { return m_path; }
    bool operator==(const RemotePath &) const = default;

private:
    explicit RemotePath(std::string p) : m_path(std::move(p)) {}
    std::string m_path;
};

// One word of printable ASCII without spaces (an ipset, chain or table name, a pgrep
// pattern): 1 .. 255 bytes, not starting with '-'. Shell metacharacters are allowed
// because every word is quoted; what a Word cannot do is become an option.
class Word {
public:
    static std::optional<Word> parse(std::string_view text);
    const std::string &str() const { return m_word; }
    bool operator==(const Word &) const = default;

private:
    explicit Word(std::string w) : m_word(std::move(w)) {}
    std::string m_word;
};

} // namespace podpath::remote
