#pragma once
// `podpath render`: draws a saved diagnosis (the JSON of `podpath diagnose --json`) as the
// path diagram PNG, without a display. Exit 0 written, 2 could not (one-line reason).

#include <QStringList>

namespace podpath::app {

int runRender(const QStringList &arguments);

// Subcommands draw pictures (fonts need a QGuiApplication) but never open a window: use
// the offscreen platform unless the user chose one, so they work without a display and
// with a stale DISPLAY, and keep Qt's harmless platform chatter off stderr. Call before
// the QGuiApplication exists.
void prepareHeadlessGui();

} // namespace podpath::app
