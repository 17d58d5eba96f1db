#pragma once
// What the `ip -j` and `bridge -j` readers share: telling JSON from text, loading the
// top-level array, and typed field access that remembers the first bad field so the
// per-command readers stay straight-line code.

#include "core/ipv4.h"
#include "core/ipv6.h"
#include "core/result.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse::ipjson {

// iproute2 prints JSON only with -j; its first non-space character is then '[' (or
// '{' for a lone object). Text output never starts with either.
bool looksLikeJson(std::string_view input);

// The elements of the top-level array (a lone object counts as one element), each
// with the 1-based line it starts on, so errors point into pretty-printed input too.
struct Document {
    std::vector<QJsonValue> elements;
    std::vector<int> lines;
    int lineOf(std::size_t index) const { return index < lines.size() ? lines[index] : 0; }
};

// `command` names the output in messages, e.g. "ip -j route". Refuses oversized,
// non-JSON and non-array documents; empty (or all-space) input is an empty array.
Result<Document> load(std::string_view input, std::string_view command);

// Reads the fields of one element. A field that is absent reads as nullopt/empty;
// one that is present with the wrong type or range reads the same but records an
// Error, of which the first is kept. The readers skip an element with an Error and
// keep it among their unreadable lines: one element a newer iproute2 prints
// differently must not hide the others. Only a document that is no JSON list at all
// (load's Errors) is refused as a whole.
class Fields {
public:
    Fields(const QJsonValue &element, int line, std::string_view command);

    bool isObject() const { return m_isObject; }
    bool has(const char *key) const { return m_object.contains(QLatin1String(key)); }
    std::optional<std::string> string(const char *key);
    std::optional<std::uint64_t> number(const char *key, std::uint64_t max);
    std::optional<Ipv4> ipv4(const char *key);  // nullopt, no error, for IPv6 text
    std::optional<Ipv6> ipv6(const char *key);  // nullopt, no error, for IPv4 text
    std::vector<std::string> strings(const char *key);
    bool boolean(const char *key, bool fallback);
    // A nested object, e.g. "linkinfo"; an empty one when absent.
    Fields object(const char *key);
    QJsonArray array(const char *key);
    const QJsonObject &raw() const { return m_object; }

    // Adopt the first error of a nested reader.
    void absorb(const Fields &nested);
    void fail(std::string message);
    const std::optional<Error> &error() const { return m_error; }

private:
    QJsonObject m_object;
    bool m_isObject = false;
    int m_line = 0;
    std::string m_command;
    std::optional<Error> m_error;
};

} // namespace podpath::parse::ipjson
