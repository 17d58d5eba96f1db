// Time from process start to the first frame of the podpath window on a real X server
// (Xvfb, xcb), and resident memory then, against the floor any Qt Widgets program pays:
// a bare QLabel window of the same size measured by the same probe (probe_window),
// alternating in the same run; also the memory after a replayed diagnosis. podpath runs
// as podpath-probed: its own code (podpath::app::run) with the first-frame probe on the
// window. CPU time to the first frame is printed too: on a shared machine it moves far
// less than the wall time. Targets (issue 6): under 500 ms and under 150 MB.
//
//   bench_gui_startup [N]      N runs of each after one warm-up (default 10)

#include "../gui/xvfb_server.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using podpath::testing::FirstFrameRun;
using podpath::testing::XvfbServer;

namespace {

struct Stats {
    double median = 0, min = 0, max = 0;
};
Stats stats(std::vector<double> v)
{
    if (v.empty())
        return {};
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v.front(), v.back()};
}
double mib(double kib) { return kib / 1024.0; }

const QString kSession = QStringLiteral("ipip-ipset-missing-client");

struct Series {
    std::vector<double> firstFrameMs, fromSpawnMs, cpuMs, rssKb, diagnosisMs, rssAfterDiagnosisKb, peakKb;
    bool add(const FirstFrameRun &r, const char *what)
    {
        if (!r.finished || r.exitCode != 0 || r.report.isEmpty()) {
            std::fprintf(stderr, "bench_gui_startup: %s did not reach its first frame and exit cleanly (exit %d):\n%s\n",
                         what, r.exitCode, qPrintable(r.stderrText));
            return false;
        }
        firstFrameMs.push_back(r.report.value(QStringLiteral("firstFrameMs")).toDouble());
        fromSpawnMs.push_back(r.report.value(QStringLiteral("firstFrameBoottimeMs")).toDouble() - r.spawnBoottimeMs);
        cpuMs.push_back(r.report.value(QStringLiteral("cpuMs")).toDouble());
        rssKb.push_back(r.report.value(QStringLiteral("rssKb")).toDouble());
        if (r.report.contains(QStringLiteral("rssAfterDiagnosisKb"))) {
            diagnosisMs.push_back(r.report.value(QStringLiteral("diagnosisMs")).toDouble());
            rssAfterDiagnosisKb.push_back(r.report.value(QStringLiteral("rssAfterDiagnosisKb")).toDouble());
            peakKb.push_back(r.report.value(QStringLiteral("rssPeakAfterDiagnosisKb")).toDouble());
        }
        return true;
    }
};

void printMs(const char *label, const std::vector<double> &v)
{
    const Stats s = stats(v);
    std::printf("%-44s median %5.0f ms, min %5.0f ms, max %5.0f ms\n", label, s.median, s.min, s.max);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::max(1, atoi(argv[1])) : 10;
    if (!XvfbServer::installed()) {
        std::fprintf(stderr, "bench_gui_startup: Xvfb is not installed (packaging/podpath-dev deps installs xvfb)\n");
        return 2;
    }
    XvfbServer xvfb;
    if (const QString why = xvfb.start(); !why.isEmpty()) {
        std::fprintf(stderr, "bench_gui_startup: %s\n", qPrintable(why));
        return 1;
    }
    QTemporaryDir work;
    const QString podpath = QStringLiteral(PODPATH_PROBED), floor = QStringLiteral(PODPATH_PROBE_WINDOW);
    const QString firstFrame = QStringLiteral("PODPATH_EXIT_AFTER_FIRST_FRAME");
    constexpr int timeoutMs = 30000;

    Series ours, bare;
    for (int i = -1; i < n; ++i) {   // one warm-up round
        const auto a = podpath::testing::runToFirstFrame(xvfb.display(), podpath, {}, work.filePath("p"), firstFrame, timeoutMs);
        const auto b = podpath::testing::runToFirstFrame(xvfb.display(), floor, {}, work.filePath("b"), firstFrame, timeoutMs);
        if (i < 0)
            continue;
        if (!ours.add(a, "podpath") || !bare.add(b, "the bare Qt window"))
            return 1;
    }

    Series replayed;
    const int replays = std::max(1, n / 2);
    const QStringList args{QStringLiteral("--replay"), QStringLiteral(PODPATH_FIXTURES "/sessions/") + kSession,
                           QStringLiteral("--diagnose")};
    for (int i = 0; i < replays; ++i) {
        const auto r = podpath::testing::runToFirstFrame(xvfb.display(), podpath, args, work.filePath("r"),
                                                         QStringLiteral("PODPATH_EXIT_AFTER_DIAGNOSIS"), timeoutMs);
        if (!replayed.add(r, "podpath --replay") || replayed.rssAfterDiagnosisKb.empty()) {
            std::fprintf(stderr, "bench_gui_startup: podpath --replay reported no diagnosis "
                                 "(is FirstFrameProbe::diagnosisFinished() called?)\n");
            return 1;
        }
    }
    xvfb.stop();

    std::printf("Xvfb %dx%dx24, xcb; %d runs of each after one warm-up, alternating\n", XvfbServer::kWidth,
                XvfbServer::kHeight, n);
    printMs("podpath, process start to first frame:", ours.firstFrameMs);
    printMs("bare Qt window (QLabel 900x600), the same:", bare.firstFrameMs);
    printMs("podpath, measured from the parent's spawn:", ours.fromSpawnMs);
    printMs("podpath, CPU time (user+sys) to first frame:", ours.cpuMs);
    printMs("bare Qt window, the same:", bare.cpuMs);
    const double p = stats(ours.firstFrameMs).median, f = stats(bare.firstFrameMs).median;
    std::printf("ratio (podpath / bare Qt, medians): %.2fx; podpath's own share: %+.0f ms (target: first frame < 500 ms)\n",
                p / f, p - f);
    std::printf("resident at first frame: podpath median %.1f MiB, bare Qt %.1f MiB (%.2fx)\n",
                mib(stats(ours.rssKb).median), mib(stats(bare.rssKb).median),
                stats(ours.rssKb).median / stats(bare.rssKb).median);
    std::printf("after a replayed diagnosis (%s, %d runs): resident median %.1f MiB, max %.1f MiB, peak %.1f MiB; "
                "diagnosis shown %.0f ms after the start (target: < 150 MB)\n",
                qPrintable(kSession), replays, mib(stats(replayed.rssAfterDiagnosisKb).median),
                mib(stats(replayed.rssAfterDiagnosisKb).max), mib(stats(replayed.peakKb).max),
                stats(replayed.diagnosisMs).median);
    return 0;
}
