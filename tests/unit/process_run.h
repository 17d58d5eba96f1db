#pragma once
// One run of a helper program (the lab script, the podpath binary) with both its streams
// kept: a lab test that fails because `lab up` failed must say what the lab said, not
// only that it failed.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace podpath::testing {

struct ProcessRun {
    int exitCode = -1;  // -1: did not start, crashed or timed out
    QByteArray out, err;

    bool ok() const { return exitCode == 0; }
    // For QVERIFY2: the program's last words (stderr, else stdout), one readable block.
    QByteArray failure(const QString &what) const
    {
        const QByteArray said = (err.trimmed().isEmpty() ? out : err).trimmed().right(2000);
        return what.toUtf8() + " (exit " + QByteArray::number(exitCode) + "): " + (said.isEmpty() ? "nothing said" : said);
    }
};

inline ProcessRun runProcess(const QString &program, const QStringList &args, int timeoutMs = 120000)
{
    QProcess p;
    p.start(program, args);
    ProcessRun r;
    if (!p.waitForStarted(10000)) {
        r.err = "could not start " + program.toUtf8() + ": " + p.errorString().toUtf8();
        return r;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(3000);
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError() + "\n(timed out after " + QByteArray::number(timeoutMs / 1000) + " s)";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace podpath::testing
