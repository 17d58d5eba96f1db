#include "ip_json.h"

#include "text.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <cmath>

namespace podpath::parse::ipjson {

namespace {

int lineAtOffset(std::string_view s, std::size_t offset)
{
    int line = 1;
    for (std::size_t i = 0; i < offset && i < s.size(); ++i)
        line += s[i] == '\n';
    return line;
}

// The text around a byte offset, within its line: compact JSON is one long line.
std::string_view around(std::string_view s, std::size_t offset)
{
    offset = std::min(offset, s.size());
    std::size_t start = 0;
    if (offset > 0) {
        auto nl = s.rfind('\n', offset - 1);
        start = nl == std::string_view::npos ? 0 : nl + 1;
    }
    if (offset - start > 80)
        start = offset - 80;
    auto end = s.find('\n', offset);
    auto line = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return text::excerpt(line);
}

// Where each element of the top-level array starts. QJsonDocument keeps no
// positions, so one pass over the raw text (strings and nesting only) finds them.
std::vector<int> elementLines(std::string_view s)
{
    std::vector<int> lines;
    int line = 1;
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    bool expectValue = false;
    for (char c : s) {
        if (c == '\n')
            ++line;
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (text::isSpace(c))
            continue;
        if (depth == 1 && expectValue && c != ']' && c != ',') {
            lines.push_back(line);
            expectValue = false;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            ++depth;
            if (depth == 1)
                expectValue = true;
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (c == ',' && depth == 1) {
            expectValue = true;
        }
    }
    return lines;
}

std::string compact(const QJsonValue &v)
{
    QByteArray bytes;
    if (v.isObject())
        bytes = QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    else if (v.isArray())
        bytes = QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    else if (v.isString())
        bytes = v.toString().toUtf8();
    else if (v.isDouble())
        bytes = QByteArray::number(v.toDouble());
    else
        bytes = v.isBool() ? (v.toBool() ? "true" : "false") : "null";
    return std::string(text::excerpt(std::string_view(bytes.constData(), std::size_t(bytes.size()))));
}

} // namespace

bool looksLikeJson(std::string_view input)
{
    auto skip = text::leadingSpaces(input);
    return skip < input.size() && (input[skip] == '[' || input[skip] == '{');
}

Result<Document> load(std::string_view input, std::string_view command)
{
    const std::string cmd(command);
    if (input.size() > text::kMaxInputBytes)
        return Error{cmd + " output is too large to read", std::to_string(input.size()) + " bytes",
                     "Narrow the command (for example `show dev NAME`) and run it again", 0};
    Document doc;
    if (text::trim(input).empty())
        return doc;

    QJsonParseError err{};
    auto json = QJsonDocument::fromJson(
        QByteArray::fromRawData(input.data(), qsizetype(input.size())), &err);
    if (err.error != QJsonParseError::NoError) {
        auto offset = std::size_t(std::max(0, err.offset));
        return Error{cmd + " output is not valid JSON: " + err.errorString().toStdString(),
                     std::string(around(input, offset)),
                     "Check that the command finished; a cut-off transfer ends JSON early",
                     lineAtOffset(input, offset)};
    }
    if (json.isObject()) {
        doc.elements.push_back(json.object());
        doc.lines.push_back(lineAtOffset(input, text::leadingSpaces(input)));
        return doc;
    }
    if (!json.isArray())
        return Error{cmd + " output is JSON but not a list", "", "", 1};
    const auto array = json.array();
    doc.elements.assign(array.begin(), array.end());
    doc.lines = elementLines(input);
    return doc;
}

Fields::Fields(const QJsonValue &element, int line, std::string_view command)
    : m_object(element.toObject()), m_isObject(element.isObject()), m_line(line), m_command(command)
{
    if (!m_isObject)
        fail("an element is not an object: " + compact(element));
}

void Fields::fail(std::string message)
{
    if (m_error)
        return;
    m_error = Error{m_command + ": " + message, compact(m_object), "", m_line};
}

void Fields::absorb(const Fields &nested)
{
    if (!m_error && nested.m_error)
        m_error = nested.m_error;
}

std::optional<std::string> Fields::string(const char *key)
{
    auto v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isString()) {
        fail(std::string("field \"") + key + "\" is not a string");
        return std::nullopt;
    }
    return v.toString().toStdString();
}

std::optional<std::uint64_t> Fields::number(const char *key, std::uint64_t max)
{
    auto v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    double d = v.toDouble(-1);
    // Doubles hold every integer up to 2^53 exactly, far beyond any field read here.
    if (!v.isDouble() || !(d >= 0) || d > double(max) || std::floor(d) != d) {
        fail(std::string("field \"") + key + "\" is not a number from 0 to " + std::to_string(max));
        return std::nullopt;
    }
    return std::uint64_t(d);
}

std::optional<Ipv4> Fields::ipv4(const char *key)
{
    auto s = string(key);
    if (!s)
        return std::nullopt;
    if (auto a = Ipv4::parse(*s))
        return a;
    if (!text::looksLikeIpv6(*s))
        fail(std::string("field \"") + key + "\" is not an IPv4 address: " + std::string(text::excerpt(*s)));
    return std::nullopt;
}

std::optional<Ipv6> Fields::ipv6(const char *key)
{
    auto s = string(key);
    if (!s)
        return std::nullopt;
    if (auto a = Ipv6::parse(*s))
        return a;
    if (!Ipv4::parse(*s))
        fail(std::string("field \"") + key + "\" is not an IPv6 address: " + std::string(text::excerpt(*s)));
    return std::nullopt;
}

std::vector<std::string> Fields::strings(const char *key)
{
    std::vector<std::string> out;
    auto v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return out;
    if (!v.isArray()) {
        fail(std::string("field \"") + key + "\" is not a list");
        return out;
    }
    for (const auto &item : v.toArray()) {
        if (!item.isString()) {
            fail(std::string("field \"") + key + "\" holds a non-string");
            return {};
        }
        out.push_back(item.toString().toStdString());
    }
    return out;
}

bool Fields::boolean(const char *key, bool fallback)
{
    auto v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isBool()) {
        fail(std::string("field \"") + key + "\" is not true or false");
        return fallback;
    }
    return v.toBool();
}

Fields Fields::object(const char *key)
{
    auto v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return Fields(QJsonObject(), m_line, m_command);
    Fields nested(v, m_line, m_command);
    if (!v.isObject())
        fail(std::string("field \"") + key + "\" is not an object");
    return nested;
}

QJsonArray Fields::array(const char *key)
{
    auto v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isArray())
        fail(std::string("field \"") + key + "\" is not a list");
    return v.toArray();
}

} // namespace podpath::parse::ipjson
