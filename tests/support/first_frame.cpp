#include "first_frame.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPixmap>
#include <QSaveFile>
#include <QScreen>
#include <QTimer>
#include <QWidget>
#include <QWindow>

#include <cstdio>
#include <ctime>
#include <sys/resource.h>
#include <unistd.h>

namespace podpath::testing {

namespace {

FirstFrameProbe *instance = nullptr;

// The value of one "Name:   123 kB" line of /proc/self/status.
long statusKb(const char *name)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = QByteArray(name) + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLong();
    }
    return 0;
}

bool enabled(const char *name) { return qEnvironmentVariable(name) == QLatin1String("1"); }

} // namespace

double boottimeMs()
{
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

double msSinceProcessStart()
{
    // Field 22 of /proc/self/stat is the start time in clock ticks since boot (the same
    // clock as CLOCK_BOOTTIME); the command name in field 2 may hold spaces, so count
    // fields from its closing parenthesis.
    QFile f(QStringLiteral("/proc/self/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    bool ok = false;
    const double ticks = fields.value(19).toDouble(&ok);   // field 22 = index 19 after field 2
    const long hz = sysconf(_SC_CLK_TCK);
    if (!ok || hz <= 0)
        return -1;
    return boottimeMs() - ticks * 1e3 / double(hz);
}

double cpuMs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval &t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

long residentKb() { return statusKb("VmRSS"); }
long peakResidentKb() { return statusKb("VmHWM"); }

FirstFrameProbe *FirstFrameProbe::install(QWidget *window)
{
    const bool wanted = qEnvironmentVariableIsSet("PODPATH_FIRST_FRAME_REPORT")
        || qEnvironmentVariableIsSet("PODPATH_FIRST_FRAME_SHOT") || enabled("PODPATH_EXIT_AFTER_FIRST_FRAME")
        || enabled("PODPATH_EXIT_AFTER_DIAGNOSIS");
    if (!wanted || !window || instance)
        return instance;
    instance = new FirstFrameProbe(window);
    return instance;
}

FirstFrameProbe::FirstFrameProbe(QWidget *window)
    : QObject(window), window_(window), reportPath_(qEnvironmentVariable("PODPATH_FIRST_FRAME_REPORT")),
      shotPath_(qEnvironmentVariable("PODPATH_FIRST_FRAME_SHOT")),
      exitAfterFirstFrame_(enabled("PODPATH_EXIT_AFTER_FIRST_FRAME")),
      exitAfterDiagnosis_(enabled("PODPATH_EXIT_AFTER_DIAGNOSIS"))
{
    if (shotPath_.endsWith(QLatin1String(".png")))
        shotPath_.chop(4);
    window->installEventFilter(this);
    watchWindowHandle();   // installed after show(): the native window exists already
}

FirstFrameProbe::~FirstFrameProbe()
{
    if (instance == this)
        instance = nullptr;
}

void FirstFrameProbe::watchWindowHandle()
{
    if (handle_ || !window_ || !window_->windowHandle())
        return;
    handle_ = window_->windowHandle();
    handle_->installEventFilter(this);
}

bool FirstFrameProbe::eventFilter(QObject *watched, QEvent *event)
{
    if (firstFrame_)
        return false;
    if (watched == window_ && event->type() == QEvent::Show) {
        // show() creates the native window before the Show event and maps it after.
        watchWindowHandle();
    } else if (watched == window_ && event->type() == QEvent::Paint) {
        painted_ = true;
        maybeSchedule();
    } else if (watched == handle_ && event->type() == QEvent::Expose && handle_->isExposed()) {
        // The window paints and flushes to the screen while it handles this event;
        // maybeSchedule() runs the measurement right after that.
        exposed_ = true;
        maybeSchedule();
    }
    return false;
}

void FirstFrameProbe::maybeSchedule()
{
    // An Expose whose paint has not happened yet (or a paint of a window not yet on
    // screen) is not a frame; wait for both, then let the event being handled finish.
    if (!exposed_ || scheduled_)
        return;
    scheduled_ = true;
    QTimer::singleShot(0, this, [this] {
        if (!painted_) {   // exposed but nothing drawn (an empty region): wait for the paint
            scheduled_ = false;
            return;
        }
        recordFirstFrame();
    });
}

void FirstFrameProbe::recordFirstFrame()
{
    firstFrame_ = Sample{msSinceProcessStart(), boottimeMs(), cpuMs(), residentKb(), peakResidentKb()};
    if (window_)
        window_->removeEventFilter(this);
    if (handle_)
        handle_->removeEventFilter(this);
    if (!writeReport())
        failed_ = true;
    if (!shotPath_.isEmpty() && !saveShot(QString()))
        failed_ = true;
    if (diagnosis_)   // the diagnosis finished before the window was on screen
        diagnosisShot();
    else if (exitAfterFirstFrame_)
        finish();
}

void FirstFrameProbe::diagnosisFinished()
{
    if (instance)
        instance->recordDiagnosis();
}

void FirstFrameProbe::recordDiagnosis()
{
    if (diagnosis_)
        return;
    diagnosis_ = Sample{msSinceProcessStart(), boottimeMs(), cpuMs(), residentKb(), peakResidentKb()};
    if (firstFrame_)
        diagnosisShot();
}

void FirstFrameProbe::diagnosisShot()
{
    if (!writeReport())
        failed_ = true;
    // The widgets were just given the result: lay them out and paint them now, so the
    // screenshot shows the diagnosis and not the frame before it.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    if (window_)
        window_->repaint();
    QTimer::singleShot(0, this, [this] {
        if (!shotPath_.isEmpty() && !saveShot(QStringLiteral("-diagnosis")))
            failed_ = true;
        if (exitAfterDiagnosis_ || exitAfterFirstFrame_)
            finish();
    });
}

bool FirstFrameProbe::writeReport()
{
    if (reportPath_.isEmpty())
        return true;
    QJsonObject o;
    o[QStringLiteral("firstFrameMs")] = firstFrame_->ms;
    o[QStringLiteral("firstFrameBoottimeMs")] = firstFrame_->boottimeMs;
    o[QStringLiteral("cpuMs")] = firstFrame_->cpuMs;
    o[QStringLiteral("rssKb")] = qint64(firstFrame_->rssKb);
    o[QStringLiteral("rssPeakKb")] = qint64(firstFrame_->peakKb);
    o[QStringLiteral("platform")] = QGuiApplication::platformName();
    if (window_) {
        // Device pixels on the screen, as in the screenshot.
        const qreal dpr = window_->devicePixelRatioF();
        const QRect g = window_->geometry();
        o[QStringLiteral("window")] = QJsonObject{{QStringLiteral("x"), qRound(g.x() * dpr)},
                                                  {QStringLiteral("y"), qRound(g.y() * dpr)},
                                                  {QStringLiteral("width"), qRound(g.width() * dpr)},
                                                  {QStringLiteral("height"), qRound(g.height() * dpr)}};
    }
    if (diagnosis_) {
        o[QStringLiteral("diagnosisMs")] = diagnosis_->ms;
        o[QStringLiteral("rssAfterDiagnosisKb")] = qint64(diagnosis_->rssKb);
        o[QStringLiteral("rssPeakAfterDiagnosisKb")] = qint64(diagnosis_->peakKb);
    }
    // Replaced whole, so a process polling for the file never reads half of it.
    QSaveFile f(reportPath_);
    if (f.open(QIODevice::WriteOnly) && f.write(QJsonDocument(o).toJson()) >= 0 && f.commit())
        return true;
    std::fprintf(stderr, "podpath: cannot write the first-frame report %s: %s\n", qPrintable(reportPath_),
                 qPrintable(f.errorString()));
    return false;
}

bool FirstFrameProbe::saveShot(const QString &suffix)
{
    const QString path = shotPath_ + suffix + QStringLiteral(".png");
    QScreen *screen = window_ ? window_->screen() : QGuiApplication::primaryScreen();
    // Window id 0 is the whole screen: on X11 the server's own framebuffer, i.e. what a
    // person would see, decorations and all.
    const QPixmap shot = screen ? screen->grabWindow(0) : QPixmap();
    if (!shot.isNull() && shot.save(path))
        return true;
    std::fprintf(stderr, "podpath: cannot save the screenshot %s\n", qPrintable(path));
    return false;
}

void FirstFrameProbe::finish()
{
    const int status = failed_ ? 1 : 0;
    QTimer::singleShot(0, qApp, [status] { QCoreApplication::exit(status); });
}

} // namespace podpath::testing
