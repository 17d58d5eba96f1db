// podpath with the first-frame probe on its window: the program the real-window check
// and the startup benchmark start, so the shipped podpath carries no test hook and reads
// no PODPATH_* variable. Everything else is podpath's own code (podpath::app::run).

#include "first_frame.h"
#include "main_window.h"
#include "run.h"

int main(int argc, char *argv[])
{
    using podpath::testing::FirstFrameProbe;
    return podpath::app::run(argc, argv, [](podpath::widgets::MainWindow &window) {
        FirstFrameProbe::install(&window);
        QObject::connect(&window, &podpath::widgets::MainWindow::diagnosisFinished,
                         [] { FirstFrameProbe::diagnosisFinished(); });
    });
}
