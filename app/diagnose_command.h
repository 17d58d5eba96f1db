#pragma once
// `podpath diagnose`: the headless contract (docs/architecture.md). Exit 0 path healthy,
// 1 a hop failed, 2 the diagnosis could not run (with a one-line reason on stderr).

#include <QStringList>

namespace podpath::app {

int runDiagnose(const QStringList &arguments);

} // namespace podpath::app
