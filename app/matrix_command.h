#pragma once
// `podpath matrix`: every ordered pair of N nodes in one burst (diagnose/matrix_engine.h).
// Exit 0 every pair works, 1 some pair failed, 2 some pair or node could not be judged.

#include <QStringList>

namespace podpath::app {

int runMatrix(const QStringList &arguments);

} // namespace podpath::app
