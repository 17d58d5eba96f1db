#pragma once
// What every parser test needs from tests/fixtures: a file's bytes, and where to cut it
// for truncation rows.

#include <QFile>
#include <QString>
#include <QtGlobal>

#include <string>
#include <string_view>

namespace podpath::test {

// A fixture's bytes (tests/fixtures/RELATIVE); a missing one stops the test at once.
inline std::string fixtureText(const QString &relative)
{
    QFile f(QStringLiteral(PODPATH_FIXTURES "/") + relative);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(relative));
    const QByteArray bytes = f.readAll();
    return std::string(bytes.constData(), std::size_t(bytes.size()));
}

// Cut points for truncation tests: both sides of every line break and every fifth byte
// between them, which keeps the sanitizer run short.
inline bool worthCutting(std::string_view text, std::size_t n)
{
    return n % 5 == 0 || (n > 0 && text[n - 1] == '\n') || (n < text.size() && text[n] == '\n');
}

} // namespace podpath::test
