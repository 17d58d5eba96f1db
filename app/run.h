#pragma once
// Everything `podpath` does, behind main(): the subcommands headless, else the window.
// A library function so the tests can start the very same program with a hook on its
// window (tests/gui/podpath_probed.cpp); the shipped main() passes none.

#include <functional>

namespace podpath::widgets {
class MainWindow;
}

namespace podpath::app {

// Called once with the main window, before it is shown.
using WindowHook = std::function<void(widgets::MainWindow &)>;

int run(int argc, char *argv[], const WindowHook &onWindow = {});

} // namespace podpath::app
