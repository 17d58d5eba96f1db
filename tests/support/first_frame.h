#pragma once
// The real-window check and the startup benchmark need to know when the application's
// window first reached the screen, how much memory the process holds then and after a
// diagnosis, and what the screen showed. FirstFrameProbe watches the main window for its
// first frame and reports it. Test code: podpath-probed (podpath with the probe on its
// window) and probe_window install it, the shipped podpath does not. It is inert unless
// one of these variables is set:
//
//   PODPATH_FIRST_FRAME_REPORT=FILE    write JSON to FILE (replaced atomically):
//                                      {"firstFrameMs", "rssKb", "rssPeakKb", "cpuMs",
//                                       "firstFrameBoottimeMs", "platform", "window": {x,y,width,height}}
//                                      and, once a diagnosis finished, "diagnosisMs",
//                                      "rssAfterDiagnosisKb", "rssPeakAfterDiagnosisKb"
//   PODPATH_FIRST_FRAME_SHOT=FILE      screenshot of the whole screen at the first frame to
//                                      FILE.png (".png" added unless FILE ends with it), and
//                                      after a diagnosis to FILE-diagnosis.png
//   PODPATH_EXIT_AFTER_FIRST_FRAME=1   quit once the first frame is reported
//   PODPATH_EXIT_AFTER_DIAGNOSIS=1     quit once a diagnosis finished and the first frame
//                                      is reported (in whichever order they happen)
//
// Times count from the kernel's start of the process (what the user waits for after
// launching it), not from main(). The exit status is 0, or 1 when a report or screenshot
// could not be written.

#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

class QWidget;
class QWindow;

namespace podpath::testing {

// Milliseconds from the kernel's creation of this process to now. The kernel records the
// start in clock ticks (10 ms), so this reads up to 10 ms long.
double msSinceProcessStart();
// CLOCK_BOOTTIME now, in milliseconds: a clock another process can compare against.
double boottimeMs();
// CPU time (user + system) this process has used so far, in milliseconds: unlike the
// wall time, it hardly moves when other programs load the machine.
double cpuMs();
// VmRSS and VmHWM of this process in KiB; 0 when /proc cannot be read.
long residentKb();
long peakResidentKb();

class FirstFrameProbe : public QObject {
    Q_OBJECT
public:
    // Watches `window` (a top-level widget, before or after show()). Returns nullptr and
    // does nothing when none of the variables above is set.
    static FirstFrameProbe *install(QWidget *window);
    ~FirstFrameProbe() override;

    // The program calls this when a diagnosis has finished and its result is in the
    // widgets (podpath-probed on MainWindow::diagnosisFinished, also for a replayed one).
    // No-op without an installed probe.
    static void diagnosisFinished();

    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit FirstFrameProbe(QWidget *window);
    void watchWindowHandle();
    void maybeSchedule();
    void recordFirstFrame();
    void recordDiagnosis();
    void diagnosisShot();
    bool writeReport();
    bool saveShot(const QString &suffix);
    void finish();

    QPointer<QWidget> window_;
    QPointer<QWindow> handle_;
    QString reportPath_, shotPath_;
    bool exitAfterFirstFrame_ = false, exitAfterDiagnosis_ = false;
    bool exposed_ = false, painted_ = false, scheduled_ = false;
    bool failed_ = false;

    struct Sample {
        double ms = 0;
        double boottimeMs = 0;
        double cpuMs = 0;
        long rssKb = 0, peakKb = 0;
    };
    std::optional<Sample> firstFrame_, diagnosis_;
};

} // namespace podpath::testing
