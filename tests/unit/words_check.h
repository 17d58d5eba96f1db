#pragma once
// What "every word true" means for a text a person reads, shared by the checks over the
// engine's and the reports' words (tst_words) and over the window's (tst_window_words):
// no placeholders or blanks, no hop ids in prose, sentences that start like sentences.

#include "diagnose/hop.h"

#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace podpath::testing {

// Words that stand for a value nobody filled in.
inline const QList<QRegularExpression> &placeholderPatterns()
{
    static const QList<QRegularExpression> patterns = {
        QRegularExpression(QStringLiteral("\\bBLOCK\\b")),          // "expected BLOCK via ..."
        QRegularExpression(QStringLiteral("\\bdev  ")),             // a blank device
        QRegularExpression(QStringLiteral("\\(\\)")),               // an empty parenthesis
        QRegularExpression(QStringLiteral("no reason given")),
        QRegularExpression(QStringLiteral("\\b(TODO|FIXME|XXX)\\b")),
        QRegularExpression(QStringLiteral("%[0-9]")),               // an unfilled QString::arg
        QRegularExpression(QStringLiteral("(^|[\\s(:])\\?($|[\\s),])")),   // "?" for a value nobody read
        // An unknown value where a command wants an argument: "ip route get not known".
        QRegularExpression(QStringLiteral("\\b(get|from|show|via|dev|Ping)\\s+not known")),
        // One of a thing, written as many: "1 lines", "1 echoes".
        QRegularExpression(QStringLiteral("(^|[^/\\d.])\\b1 (echoes|packets|lines|members|replies|hops|findings|errors|"
                                          "warnings|probes|rules|routes|entries|addresses|commands|streams)\\b")),
    };
    return patterns;
}

inline QString firstPlaceholderIn(const QString &text)
{
    for (const auto &re : placeholderPatterns())
        if (const auto m = re.match(text); m.hasMatch())
            return m.captured(0);
    return {};
}

// "error(s)": a plural nobody counted. Not among the placeholders: the engine's log
// check still words its detail so, and that is another piece of work.
inline QString firstUncountedPluralIn(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("\\w+\\(s\\)"));
    const auto m = re.match(text);
    return m.hasMatch() ? m.captured(0) : QString();
}

// A finding's code (ROUTE_MISSING) is for JSON and the findings list's label; in a
// sentence a person reads it is jargon.
inline QString firstFindingCodeIn(const QString &text)
{
    // As secondary detail it is written in brackets, after the words ("... [MTU_TOO_SMALL]").
    static const QRegularExpression detail(QStringLiteral("\\[[A-Z0-9_]+\\]"));
    static const QRegularExpression re(QStringLiteral("\\b[A-Z][A-Z0-9]+(_[A-Z0-9]+)+\\b"));
    const auto m = re.match(QString(text).remove(detail));
    return m.hasMatch() ? m.captured(0) : QString();
}

inline QStringList hopIds()
{
    QStringList ids;
    for (const auto &h : diagnose::kHops)
        ids << QString::fromLatin1(h.key.data(), qsizetype(h.key.size()));
    return ids;
}

// `text` with the places ids may stand removed: as secondary detail they are written
// in brackets (terminal, the window), backticks (Markdown) or <code> (HTML).
inline QString prose(QString text)
{
    static const QRegularExpression detail(QStringLiteral("\\[[a-z.]+\\]|`[^`]*`|<code>[^<]*</code>|<tt>[^<]*</tt>"));
    return text.remove(detail);
}

inline QString firstIdIn(const QString &prose)
{
    for (const QString &id : hopIds())
        if (prose.contains(id))
            return id;
    return {};
}

// A sentence starts with a capital, a number or a name: a node, a device or a set keeps
// its own case ("pplab-node1 has no route", "tunl0 up"), an English word does not.
inline bool startsLikeASentence(const QString &t)
{
    static const QRegularExpression lowerWord(QStringLiteral("^[a-z]+(?=[ ,:;']|$)"));
    static const QStringList commands = {"tcpdump", "ping", "ipset", "iptables", "nft", "ip", "sudo", "timeout"};
    const auto m = lowerWord.match(t);
    return !m.hasMatch() || commands.contains(m.captured(0));
}

// Everything wrong with one text a person reads, or empty. `sentence`: it must also
// start like one (a label such as "client tunnel out" need not).
inline QString wordsProblem(const QString &text, bool sentence)
{
    if (text.trimmed().isEmpty())
        return QStringLiteral("empty text");
    if (const QString p = firstPlaceholderIn(text); !p.isEmpty())
        return QStringLiteral("placeholder \"") + p + QStringLiteral("\" in: ") + text;
    if (const QString id = firstIdIn(prose(text)); !id.isEmpty())
        return QStringLiteral("hop id ") + id + QStringLiteral(" in: ") + text;
    if (const QString code = firstFindingCodeIn(text); sentence && !code.isEmpty())
        return QStringLiteral("finding code ") + code + QStringLiteral(" in: ") + text;
    if (sentence && !startsLikeASentence(text.trimmed()))
        return QStringLiteral("not a sentence: ") + text;
    return {};
}

} // namespace podpath::testing
