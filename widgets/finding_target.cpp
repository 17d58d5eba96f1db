#include "finding_target.h"

#include <algorithm>

namespace podpath::widgets {

std::optional<diagnose::HopId> hopOfBlames(const QString &blames) { return diagnose::hopFromString(blames.toStdString()); }

std::optional<LogLineRef> logLineOf(const diagnose::Finding &f, const std::string &line)
{
    // diagnose/log_checks.cpp: blames "logs.<role>", evidence "<source>: <raw line>".
    if (f.blames.rfind("logs.", 0) != 0)
        return std::nullopt;
    const auto colon = line.find(": ");
    if (colon == std::string::npos || colon == 0)
        return std::nullopt;
    const std::string source = line.substr(0, colon);
    if (std::any_of(source.begin(), source.end(), [](char c) { return c == ' '; }))
        return std::nullopt;
    return LogLineRef{QString::fromStdString(f.blames.substr(5)), QString::fromStdString(source),
                      QString::fromStdString(line.substr(colon + 2))};
}

FindingTarget findingTarget(const diagnose::Diagnosis &d, int index)
{
    FindingTarget t;
    if (index < 0 || index >= int(d.findings.size()))
        return t;
    const diagnose::Finding &f = d.findings[std::size_t(index)];
    t.hop = diagnose::hopFromString(f.blames);
    if (!t.hop) {
        if (std::find(diagnose::kCheckIds.begin(), diagnose::kCheckIds.end(), f.blames) != diagnose::kCheckIds.end())
            t.check = QString::fromStdString(f.blames);
        if (index == 0 && d.firstFailingHop && f.severity >= diagnose::Severity::Error)
            t.hop = d.firstFailingHop;
    }
    t.explainsFirstFailingHop = index == 0 && t.hop && t.hop == d.firstFailingHop;
    for (const auto &line : f.evidence)
        if (auto ref = logLineOf(f, line))
            t.logLines << *ref;
    return t;
}

} // namespace podpath::widgets
