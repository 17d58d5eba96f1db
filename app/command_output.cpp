#include "command_output.h"

#include "core/printable.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <sys/ioctl.h>
#include <unistd.h>

namespace podpath::app {

int terminalColumns()
{
    winsize ws{};
    if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col;
    bool ok = false;
    const int columns = qEnvironmentVariableIntValue("COLUMNS", &ok);
    return ok && columns >= 40 && columns <= 1000 ? columns : 100;
}

bool writeFile(const QString &path, const QByteArray &bytes, std::string &error)
{
    if (path == QLatin1String("-")) {
        std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
        return true;
    }
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size()) {
        error = "cannot write " + path.toStdString() + ": " + f.errorString().toStdString() + "; choose another path";
        return false;
    }
    return true;
}

void sayWrote(const char *command, bool quiet, const char *what, const QString &path)
{
    if (quiet || path == QLatin1String("-"))
        return;
    std::fprintf(stderr, "%s: wrote %s to %s\n", command, what,
                 printable(QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath()).toStdString()).c_str());
}

int failWith(const char *command, const std::string &message)
{
    // Messages may quote a node (its hostname, a line it printed): escaped for the terminal.
    std::fprintf(stderr, "%s: %s\n", command, printable(message).c_str());
    return 2;
}

} // namespace podpath::app
