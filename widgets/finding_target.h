#pragma once
// What a finding points at, for the views around it: the hop to highlight on the
// diagram, the check it comes from, and the log lines it cites.

#include "diagnose/diagnosis.h"

#include <QString>
#include <QVector>
#include <optional>

namespace podpath::widgets {

struct LogLineRef {
    QString node;    // "client", "server"
    QString source;  // "felix", "bird", ...
    QString text;    // the raw line as the node wrote it
};

struct FindingTarget {
    // The hop to highlight: the hop the finding blames, or for the leading finding of
    // a failed diagnosis the first failing hop (the engine puts the finding that
    // explains that hop first; see diagnose/explain.h).
    std::optional<diagnose::HopId> hop;
    bool explainsFirstFailingHop = false;
    QString check;                 // the check id when `blames` names one, else empty
    QVector<LogLineRef> logLines;  // for findings that cite log lines (logs.client/server)
};

FindingTarget findingTarget(const diagnose::Diagnosis &d, int findingIndex);

// A hop id ("request.server.tunnel") or nothing: hopFromString for the views.
std::optional<diagnose::HopId> hopOfBlames(const QString &blames);

// One evidence line of a log finding ("felix: <raw line>") as a line of the log view;
// nullopt when the finding does not cite logs or the line is not in that form.
std::optional<LogLineRef> logLineOf(const diagnose::Finding &f, const std::string &evidenceLine);

} // namespace podpath::widgets
