#pragma once
// The lab's fault catalogue (tests/lab/faults.json): the ground truth every diagnosis
// test compares against, whether it ran on the lab or on a recording of it.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace podpath::testing {

// The expected outcome (exitStatus, firstFailingHop, code, ...) of FAULT in MODE;
// "healthy" is the same in both modes. Empty when the catalogue has no such row.
inline QJsonObject catalogueExpectation(const QString &mode, const QString &fault)
{
    QFile f(QStringLiteral(PODPATH_SOURCE_DIR "/tests/lab/faults.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject cat = QJsonDocument::fromJson(f.readAll()).object();
    if (fault == QLatin1String("healthy"))
        return cat["healthy"].toObject();
    for (const auto &v : cat["faults"].toArray())
        if (v.toObject()["name"].toString() == fault)
            return v.toObject()["expected"].toObject()[mode].toObject();
    return {};
}

// The hop statuses PodPath reports for an expectation: `diagnosisHops` where the catalogue
// gives them apart from `hops` (what the lab's single probe shows): the diagnosis judges
// the small burst and the full-size probe together, and a hop every small echo passed is
// not failed by a probe lost before it (mtu-too-small).
inline QJsonObject diagnosisHops(const QJsonObject &expected)
{
    return expected.contains("diagnosisHops") ? expected["diagnosisHops"].toObject() : expected["hops"].toObject();
}

} // namespace podpath::testing
