#pragma once
// The diagnosis as JSON (every field: docs/json-schema.md): mode, client/server, verdict,
// firstFailingHop, hops, checks, findings, timings, the commands that ran and the series
// behind the plots. Reading it back is what `podpath render` draws from.

#include "core/result.h"
#include "diagnose/diagnosis.h"

#include <QByteArray>
#include <QJsonObject>

namespace podpath::report {

QJsonObject toJson(const diagnose::Diagnosis &d);
QByteArray toJsonBytes(const diagnose::Diagnosis &d);
// Refuses documents that are not PodPath diagnoses (wrong schema, unknown hop ids) with
// a one-line error; unknown extra fields are ignored so newer files still render.
Result<diagnose::Diagnosis> fromJson(const QByteArray &bytes);

inline constexpr int kSchemaVersion = 1;

} // namespace podpath::report
