#pragma once
// What every headless command does with its output the same way: the terminal's width,
// files written whole (or stdout for "-"), one line on stderr per file written, and the
// one-line error that ends a run.

#include <QByteArray>
#include <QString>

#include <string>

namespace podpath::app {

// The width the picture must fit: the terminal's own when stdout is one, else $COLUMNS
// (a pager, a script that sets it), else 100 columns.
int terminalColumns();

// `path` "-" writes to stdout. On failure `error` says why, with a next step.
bool writeFile(const QString &path, const QByteArray &bytes, std::string &error);

// "podpath diagnose: wrote the diagnosis (JSON) to /abs/path", unless quiet or stdout.
void sayWrote(const char *command, bool quiet, const char *what, const QString &path);

// "podpath diagnose: MESSAGE" on stderr (node text escaped); returns 2, the status of a
// run that could not be done.
int failWith(const char *command, const std::string &message);

} // namespace podpath::app
