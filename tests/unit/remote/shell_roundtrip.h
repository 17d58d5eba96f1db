#pragma once
// Asks a real shell how it splits a command line: runs `SHELL -c "printf '%s\0' LINE"`
// and returns the words printf received. What the shell did is the only judge of quoting.

#include <QFile>
#include <QProcess>
#include <QStringList>

#include <string>
#include <vector>

inline std::vector<std::string> shellWords(const QString &shell, const std::string &line)
{
    QProcess p;
    p.start(shell, {"-c", QString::fromStdString("printf '%s\\0' " + line)});
    p.closeWriteChannel();
    if (!p.waitForFinished(10000))
        return {"<shell hung>"};
    const QByteArray out = p.readAllStandardOutput();
    std::vector<std::string> words;
    std::string cur;
    for (char c : out) {
        if (c == '\0') {
            words.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    return words;
}

inline QStringList localShells()
{
    QStringList shells;
    for (const char *s : {"/bin/sh", "/bin/bash", "/bin/dash", "/usr/bin/zsh"})
        if (QFile::exists(s))
            shells << s;
    return shells;
}
