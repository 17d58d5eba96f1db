#pragma once
// Runs a RemoteCommand on this machine as the node's wrapper runs it (`exec sh -c LINE`,
// so sh names itself "sh" in its errors): what a batch or a fan-out must match per command.

#include "remote/command_result.h"
#include "remote/remote_command.h"
#include "remote/shell_quote.h"

#include <QProcess>
#include <QStringList>

inline podpath::remote::CommandResult runHere(const podpath::remote::RemoteCommand &cmd)
{
    QProcess p;
    p.start("sh", {"-c", QString::fromStdString("exec sh -c " + podpath::remote::shellQuote(cmd.toString()))});
    p.closeWriteChannel();
    p.waitForFinished(30000);
    podpath::remote::CommandResult r;
    r.exitStatus = p.exitCode();
    r.out = p.readAllStandardOutput().toStdString();
    r.err = p.readAllStandardError().toStdString();
    r.outBytes = r.out.size();
    return r;
}
