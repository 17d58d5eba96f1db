// `nft -j list ruleset`: the same model as the text form, from nft's JSON schema
// (libnftables-json(5)): a flat "nftables" array of table, chain, set, map and rule
// objects, rules in listing order.
#include "nft.h"

#include "nft_rule_text.h"
#include "text.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace podpath::parse {

namespace {

std::string str(const QJsonValue &v) { return v.toString().toStdString(); }

std::optional<std::uint64_t> count(const QJsonValue &v)
{
    if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 1.8e19)
        return std::nullopt;
    return std::uint64_t(v.toDouble());
}

NftTable *tableFor(NftRuleset &rs, const QJsonObject &o)
{
    const auto family = str(o.value("family"));
    const auto name = str(o.value("table"));
    for (auto &t : rs.tables)
        if (t.family == family && t.name == name)
            return &t;
    return nullptr;
}

// "ip saddr", "meta l4proto": how the text form names the left side of a match.
std::string selectorOf(const QJsonValue &left)
{
    const auto o = left.toObject();
    if (o.contains("payload")) {
        const auto p = o.value("payload").toObject();
        return str(p.value("protocol")) + " " + str(p.value("field"));
    }
    if (o.contains("meta"))
        return "meta " + str(o.value("meta").toObject().value("key"));
    if (o.contains("ct"))
        return "ct " + str(o.value("ct").toObject().value("key"));
    return {};
}

// The element value as the text form prints it; "prefix" and "range" as a/n, a-b.
std::string elementText(const QJsonValue &v)
{
    if (v.isString())
        return str(v);
    if (v.isDouble())
        return std::to_string(std::int64_t(v.toDouble()));
    const auto o = v.toObject();
    if (o.contains("prefix")) {
        const auto p = o.value("prefix").toObject();
        return str(p.value("addr")) + "/" + std::to_string(p.value("len").toInt());
    }
    if (o.contains("range")) {
        const auto r = o.value("range").toArray();
        return elementText(r.at(0)) + "-" + elementText(r.at(1));
    }
    if (o.contains("concat")) {
        std::string s;
        for (const auto &part : o.value("concat").toArray())
            s += (s.empty() ? "" : " . ") + elementText(part);
        return s;
    }
    if (o.contains("elem")) {
        const auto e = o.value("elem").toObject();
        std::string s = elementText(e.value("val"));
        for (auto it = e.begin(); it != e.end(); ++it)
            if (it.key() != "val")
                s += " " + it.key().toStdString() + " " + elementText(it.value());
        return s;
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

NftSet readSet(const QJsonObject &o, bool isMap)
{
    NftSet s;
    s.name = str(o.value("name"));
    s.isMap = isMap;
    const auto type = o.value("type");
    if (type.isArray()) {  // concatenation: ["ipv4_addr", "inet_service"]
        for (const auto &t : type.toArray())
            s.type += (s.type.empty() ? "" : " . ") + str(t);
    } else {
        s.type = str(type);
    }
    for (const auto &f : o.value("flags").toArray())
        s.flags.push_back(str(f));
    if (o.value("flags").isString())
        s.flags.push_back(str(o.value("flags")));
    for (const auto &e : o.value("elem").toArray()) {
        // Maps list [key, value] pairs; the key decides membership.
        const auto key = e.isArray() ? e.toArray().at(0) : e;
        s.elements.push_back(nft_text::elementOf(elementText(key)));
    }
    return s;
}

void readRule(const QJsonObject &o, NftRule &r)
{
    r.handle = count(o.value("handle"));
    r.comment = str(o.value("comment"));
    QJsonArray spec;
    for (const auto &item : o.value("expr").toArray()) {
        auto e = item.toObject();
        const auto key = e.isEmpty() ? QString() : e.begin().key();
        if (key == "counter" && e.value("counter").isObject()) {
            const auto c = e.value("counter").toObject();
            auto p = count(c.value("packets"));
            auto b = count(c.value("bytes"));
            if (p && b)
                r.counters = Counters{*p, *b, false};
            e = QJsonObject{{"counter", QJsonObject{{"packets", 0}, {"bytes", 0}}}};
        } else if (key == "match") {
            const auto m = e.value("match").toObject();
            const auto right = m.value("right");
            if (right.isString() && right.toString().startsWith('@')) {
                NftSetReference ref;
                ref.set = right.toString().mid(1).toStdString();
                ref.negated = m.value("op").toString() == "!=";
                ref.selector = selectorOf(m.value("left"));
                r.setReferences.push_back(std::move(ref));
            }
        } else if (key == "accept" || key == "drop" || key == "return" || key == "reject" || key == "jump" ||
                   key == "goto" || key == "queue" || key == "masquerade" || key == "snat" || key == "dnat" ||
                   key == "redirect" || key == "vmap") {
            const auto k = key.toStdString();
            r.verdict = k == "accept" ? Verdict::Accept
                        : k == "drop" ? Verdict::Drop
                        : k == "return" ? Verdict::Return
                        : k == "reject" ? Verdict::Reject
                        : k == "jump" ? Verdict::Jump
                        : k == "goto" ? Verdict::Goto
                                      : Verdict::Other;
            r.verdictText = k;
            const auto arg = e.value(key).toObject();
            if (r.verdict == Verdict::Jump || r.verdict == Verdict::Goto) {
                r.target = str(arg.value("target"));
                r.verdictText += " " + r.target;
            } else if (r.verdict == Verdict::Reject && arg.contains("type")) {
                r.verdictText += " with " + str(arg.value("type"));
            }
        }
        spec.append(e);
    }
    r.spec = QJsonDocument(spec).toJson(QJsonDocument::Compact).toStdString();
    if (!r.comment.empty())
        r.spec += " comment \"" + r.comment + "\"";
    r.text = r.spec;
}

} // namespace

Result<NftRuleset> parseNftJson(std::string_view input)
{
    if (input.size() > text::kMaxInputBytes)
        return Error{"nft JSON is larger than PodPath reads", "", "", 0};
    NftRuleset rs;
    if (text::trim(input).empty())
        return rs;
    QJsonParseError err{};
    const auto doc = QJsonDocument::fromJson(QByteArray(input.data(), qsizetype(input.size())), &err);
    if (err.error != QJsonParseError::NoError) {
        // Report the line the parser stopped on, as the text parsers do.
        int line = 1;
        for (int i = 0; i < err.offset && std::size_t(i) < input.size(); ++i)
            line += input[std::size_t(i)] == '\n';
        return Error{"nft JSON does not read: " + err.errorString().toStdString(), "",
                     "the output may be cut off; list the ruleset again", line};
    }
    if (!doc.isObject() || !doc.object().value("nftables").isArray())
        return Error{"nft JSON has no \"nftables\" array", "", "check that the output comes from `nft -j list ruleset`", 1};
    for (const auto &item : doc.object().value("nftables").toArray()) {
        const auto entry = item.toObject();
        if (entry.contains("table")) {
            const auto o = entry.value("table").toObject();
            rs.tables.push_back(NftTable{str(o.value("family")), str(o.value("name")), {}, {}, 0});
        } else if (entry.contains("chain")) {
            const auto o = entry.value("chain").toObject();
            auto *t = tableFor(rs, o);
            if (!t)
                return Error{"nft JSON chain " + str(o.value("name")) + " of a table not listed before it", "", "", 0};
            NftChain c;
            c.name = str(o.value("name"));
            c.type = str(o.value("type"));
            c.hook = str(o.value("hook"));
            if (o.contains("prio"))
                c.priority = o.value("prio").isDouble() ? std::to_string(o.value("prio").toInt()) : str(o.value("prio"));
            c.policy = str(o.value("policy"));
            c.device = str(o.value("dev"));
            c.comment = str(o.value("comment"));
            c.handle = count(o.value("handle"));
            t->chains.push_back(std::move(c));
        } else if (entry.contains("set") || entry.contains("map")) {
            const bool isMap = entry.contains("map");
            const auto o = entry.value(isMap ? "map" : "set").toObject();
            auto *t = tableFor(rs, o);
            if (!t)
                return Error{"nft JSON set " + str(o.value("name")) + " of a table not listed before it", "", "", 0};
            t->sets.push_back(readSet(o, isMap));
        } else if (entry.contains("rule")) {
            const auto o = entry.value("rule").toObject();
            auto *t = tableFor(rs, o);
            NftChain *chain = nullptr;
            if (t)
                for (auto &c : t->chains)
                    if (c.name == str(o.value("chain")))
                        chain = &c;
            if (!chain)
                return Error{"nft JSON rule of a chain not listed before it", str(o.value("chain")), "", 0};
            NftRule r;
            readRule(o, r);
            r.position = int(chain->rules.size()) + 1;
            chain->rules.push_back(std::move(r));
        }
        // metainfo, flowtables, counters, quotas...: not needed.
    }
    return rs;
}

} // namespace podpath::parse
