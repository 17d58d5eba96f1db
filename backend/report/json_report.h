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
// Bounded like everything PodPath reads: a document larger than kMaxDiagnosisBytes, a
// string longer than kMaxDiagnosisString (what a node printed) or kMaxDiagnosisLine (a
// name, message or step), or a list longer than kMaxDiagnosisItems is refused, so a crafted file cannot stall the window or exhaust memory.
Result<diagnose::Diagnosis> fromJson(const QByteArray &bytes);
// Reads and checks a saved diagnosis file (bounded read, then fromJson).
Result<diagnose::Diagnosis> loadDiagnosis(const std::string &path);

// What PodPath itself writes stays far below: command output is kept to 64 KiB, stderr
// to 1 MiB, logs to the newest lines per source.
inline constexpr std::size_t kMaxDiagnosisBytes = 64u * 1024u * 1024u;
inline constexpr qsizetype kMaxDiagnosisString = 1024 * 1024 + 4096;  // what a node printed
inline constexpr qsizetype kMaxDiagnosisLine = 64 * 1024;               // names, messages, steps
inline constexpr qsizetype kMaxDiagnosisItems = 100000;

inline constexpr int kSchemaVersion = 1;

} // namespace podpath::report
