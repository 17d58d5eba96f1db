#pragma once
// A real cluster matrix without SSH: the matrix engine run over the node sessions one
// `podpath matrix --record` kept (tests/fixtures/matrix-sessions/NAME: nodes.txt and
// node-N.json).

#include "diagnose/matrix_engine.h"
#include "remote/replay_node_shell.h"

#include <QFile>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace podpath::testing {

struct ReplayedMatrix {
    diagnose::ClusterMatrix matrix;
    std::vector<std::string> unmatched;  // commands the recordings had no answer for, all nodes
};

inline QString matrixSessionDir(const QString &name) { return QStringLiteral(PODPATH_FIXTURES "/matrix-sessions/") + name; }

// Empty when the recording cannot be loaded (the test should fail on it).
inline std::optional<ReplayedMatrix> replayedMatrix(const QString &name)
{
    const QString dir = matrixSessionDir(name);
    QFile list(dir + QStringLiteral("/nodes.txt"));
    if (!list.open(QIODevice::ReadOnly))
        return std::nullopt;
    std::vector<std::unique_ptr<remote::ReplayNodeShell>> shells;
    std::vector<diagnose::MatrixTarget> targets;
    for (const QByteArray &line : list.readAll().split('\n')) {
        if (line.trimmed().isEmpty() || line.startsWith('#'))
            continue;
        const std::string file = (dir + "/node-" + QString::number(shells.size() + 1) + ".json").toStdString();
        auto rec = remote::ReplayNodeShell::loadRecording(file);
        if (!rec.ok())
            return std::nullopt;
        shells.push_back(std::make_unique<remote::ReplayNodeShell>(std::move(rec).value()));
        targets.push_back({line.trimmed().toStdString(), shells.back().get(), {}});
    }
    diagnose::MatrixEngine engine(std::move(targets));
    ReplayedMatrix out{engine.run(), {}};
    for (const auto &s : shells)
        for (const auto &u : s->unmatched())
            out.unmatched.push_back(u);
    return out;
}

} // namespace podpath::testing
