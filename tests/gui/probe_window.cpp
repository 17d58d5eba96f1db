// A bare Qt window, one QLabel the size of PodPath's main window, with the same
// first-frame probe as podpath-probed. It is the floor the startup benchmark compares
// podpath against (what any Qt Widgets program pays), and it stands in for the GUI's
// diagnosis in the real-window check, so FirstFrameProbe::diagnosisFinished() is tested
// in both orders (before and after the first frame) on its own.
//
//   probe_window [--diagnosis-after MS]   MS = 0: the "diagnosis" finishes before the
//                                         window is shown; default: never

#include "first_frame.h"

#include <QApplication>
#include <QLabel>
#include <QTimer>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QLabel label(QStringLiteral("Hello from Qt"));
    label.setAlignment(Qt::AlignCenter);
    label.resize(900, 600);
    podpath::testing::FirstFrameProbe::install(&label);

    const QStringList args = app.arguments();
    const int at = args.indexOf(QStringLiteral("--diagnosis-after"));
    const int afterMs = at > 0 ? args.value(at + 1).toInt() : -1;
    const auto finish = [&label] {
        label.setText(QStringLiteral("Diagnosis finished:\nthe path breaks at the server's tunnel device"));
        podpath::testing::FirstFrameProbe::diagnosisFinished();
    };
    if (afterMs == 0)
        finish();
    else if (afterMs > 0)
        QTimer::singleShot(afterMs, &label, finish);

    label.show();
    return app.exec();
}
