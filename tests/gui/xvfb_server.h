#pragma once
// A private X server (Xvfb) for the real-window check and the startup benchmark, and a
// way to run podpath (as podpath-probed) on it as a user would: xcb platform, a clean
// home, the first-frame probe's variables. Xvfb picks a free display itself (-displayfd), dies
// with this process (PDEATHSIG) even if the test is killed, and is stopped with the
// object.

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>

#include <ctime>
#include <signal.h>
#include <sys/prctl.h>

namespace podpath::testing {

// Children started by the tests die with them: nothing is left running after a crash or
// a ctest timeout.
inline void dieWithParent(QProcess &p)
{
    p.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

class XvfbServer {
public:
    static constexpr int kWidth = 1280, kHeight = 800;

    ~XvfbServer() { stop(); }

    static bool installed() { return !QStandardPaths::findExecutable(QStringLiteral("Xvfb")).isEmpty(); }

    // Empty on success, else why Xvfb could not start.
    QString start()
    {
        m_xvfb.setProgram(QStringLiteral("Xvfb"));
        // -displayfd 1: Xvfb finds a free display and writes its number to stdout.
        m_xvfb.setArguments({QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"),
                             QStringLiteral("0"), QStringLiteral("%1x%2x24").arg(kWidth).arg(kHeight),
                             QStringLiteral("-nolisten"), QStringLiteral("tcp"), QStringLiteral("-noreset")});
        dieWithParent(m_xvfb);
        m_xvfb.start();
        if (!m_xvfb.waitForStarted(5000))
            return QStringLiteral("Xvfb did not start: ") + m_xvfb.errorString();
        QElapsedTimer t;
        t.start();
        while (!m_xvfb.canReadLine() && m_xvfb.state() == QProcess::Running && t.elapsed() < 10000)
            m_xvfb.waitForReadyRead(200);
        bool ok = false;
        const int number = m_xvfb.readLine().trimmed().toInt(&ok);
        if (!ok) {
            const QString why = QString::fromLocal8Bit(m_xvfb.readAllStandardError()).trimmed();
            stop();
            return QStringLiteral("Xvfb gave no display number within 10 s: ") + why;
        }
        m_display = QStringLiteral(":%1").arg(number);
        return {};
    }

    QString display() const { return m_display; }
    bool running() const { return m_xvfb.state() == QProcess::Running; }

    void stop()
    {
        if (m_xvfb.state() == QProcess::NotRunning)
            return;
        m_xvfb.terminate();
        if (!m_xvfb.waitForFinished(5000)) {
            m_xvfb.kill();
            m_xvfb.waitForFinished(2000);
        }
    }

private:
    QProcess m_xvfb;
    QString m_display;
};

// One run of a GUI program on the Xvfb display with the first-frame probe's variables.
struct FirstFrameRun {
    bool finished = false;   // exited by itself within the time limit
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QString stderrText;
    QJsonObject report;      // PODPATH_FIRST_FRAME_REPORT, empty if not written
    QString shot;            // PODPATH_FIRST_FRAME_SHOT (without .png)
    double spawnBoottimeMs = 0;   // CLOCK_BOOTTIME just before the process was started
};

inline double boottimeNowMs()
{
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

// Runs `program args` until it exits (killed after `timeoutMs`). `work` holds the report,
// the screenshots and a private HOME / XDG folders, so no user settings or saved window
// geometry leak in or out. `exitAfter`: "PODPATH_EXIT_AFTER_FIRST_FRAME" or
// "PODPATH_EXIT_AFTER_DIAGNOSIS".
inline FirstFrameRun runToFirstFrame(const QString &display, const QString &program, const QStringList &args,
                                     const QString &work, const QString &exitAfter, int timeoutMs)
{
    FirstFrameRun run;
    const QString report = work + QStringLiteral("/first-frame.json");
    run.shot = work + QStringLiteral("/screen");
    QFile::remove(report);
    QFile::remove(run.shot + QStringLiteral(".png"));
    QFile::remove(run.shot + QStringLiteral("-diagnosis.png"));
    for (const char *d : {"home", "config", "state", "cache", "data", "runtime"})
        QDir().mkpath(work + QLatin1Char('/') + QLatin1String(d));
    QFile::setPermissions(work + QStringLiteral("/runtime"), QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                                 | QFileDevice::ExeOwner);

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_SCALE_FACTOR"));
    env.insert(QStringLiteral("DISPLAY"), display);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    env.insert(QStringLiteral("HOME"), work + QStringLiteral("/home"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), work + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_STATE_HOME"), work + QStringLiteral("/state"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), work + QStringLiteral("/cache"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), work + QStringLiteral("/data"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), work + QStringLiteral("/runtime"));
    env.insert(QStringLiteral("PODPATH_FIRST_FRAME_REPORT"), report);
    env.insert(QStringLiteral("PODPATH_FIRST_FRAME_SHOT"), run.shot);
    env.insert(exitAfter, QStringLiteral("1"));

    QProcess p;
    p.setProcessEnvironment(env);
    p.setProgram(program);
    p.setArguments(args);
    p.setStandardOutputFile(QProcess::nullDevice());
    dieWithParent(p);
    run.spawnBoottimeMs = boottimeNowMs();
    p.start();
    run.finished = p.waitForStarted(5000) && p.waitForFinished(timeoutMs);
    if (!run.finished) {
        p.kill();
        p.waitForFinished(2000);
    }
    run.exitCode = p.exitCode();
    run.exitStatus = p.exitStatus();
    run.stderrText = QString::fromLocal8Bit(p.readAllStandardError());
    QFile f(report);
    if (f.open(QIODevice::ReadOnly))
        run.report = QJsonDocument::fromJson(f.readAll()).object();
    return run;
}

} // namespace podpath::testing
