#include "log_checks.h"

#include "finding_codes.h"
#include "sentence.h"

#include <algorithm>
#include <cctype>

namespace podpath::diagnose {

namespace {

// "no errors", "1 error", "3 errors": counts a reader does not have to decode.
std::string countedOrNo(int n, const std::string &noun)
{
    return n == 0 ? "no " + noun + "s" : counted(std::size_t(n), noun);
}

// BIRD and confd serve BGP; a VXLAN-only cluster runs neither.
bool notApplicable(const std::string &source, Encapsulation mode)
{
    return mode == Encapsulation::Vxlan && (source == "bird" || source == "bird6" || source == "confd");
}

// The kubelet logs about everything on the node; only its lines about pod networking
// (the CNI plugin, Calico) are evidence here.
bool aboutPodNetworking(std::string_view line)
{
    std::string lower(line);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (const char *word : {"cni", "calico", "network plugin", "networkplugin", "sandbox"})
        if (lower.find(word) != std::string::npos)
            return true;
    return false;
}

} // namespace

CheckResult checkLogs(NodeRole role, Encapsulation mode, const NodeFacts &self, const LogReadings &logs,
                      const LogWindow &window, std::vector<Finding> &findings)
{
    CheckResult c;
    c.id = std::string("logs.") + roleName(role);
    const std::string who = nodeName(self);
    if (logs.sources.empty()) {
        c.status = Status::Unknown;
        c.detail = logs.problem.empty() ? "no Calico log found on " + who : logs.problem;
        return c;
    }
    parse::CalicoLogFilter filter;
    filter.minimumLevel = parse::LogLevel::Warning;
    filter.sinceMicros = window.sinceMicros;
    int errors = 0, warnings = 0;
    std::vector<std::string> read, unread;
    std::vector<std::string> errorLines;
    for (const auto &src : logs.sources) {
        if (!src.log) {
            if (!notApplicable(src.name, mode))
                unread.push_back(src.name + " (" + src.problem + ")");
            continue;
        }
        read.push_back(src.name);
        for (const parse::CalicoLogEntry *e : parse::filterCalicoLog(*src.log, filter)) {
            if (src.name == "kubelet" && !aboutPodNetworking(e->raw))
                continue;
            const bool isError = e->level >= parse::LogLevel::Error;
            (isError ? errors : warnings)++;
            if (isError && errorLines.size() < window.maxEvidence)
                errorLines.push_back(src.name + ": " + e->raw);
            else if (!isError && c.evidence.size() < window.maxEvidence)
                c.evidence.push_back(src.name + ": " + e->raw);
        }
    }
    // Errors first: they are what a reader came for.
    c.evidence.insert(c.evidence.begin(), errorLines.begin(), errorLines.end());
    if (c.evidence.size() > window.maxEvidence)
        c.evidence.resize(window.maxEvidence);

    std::string readList;
    for (const auto &r : read)
        readList += (readList.empty() ? "" : ", ") + r;
    if (read.empty()) {
        c.status = Status::Unknown;
        c.detail = "No log could be read on " + who;
        for (const auto &u : unread)
            c.detail += "; " + u;
        return c;
    }
    c.detail = capitalised(countedOrNo(errors, "error") + " and " + countedOrNo(warnings, "warning") + " in " + readList);
    if (!unread.empty()) {
        c.detail += "; not read:";
        for (const auto &u : unread)
            c.detail += " " + u;
    }
    if (errors > 0) {
        c.status = Status::Fail;
        findings.push_back(makeFinding(
            kCalicoLogErrors, c.id,
            who + ": " + countedOrNo(errors, "error line") + " from Calico components in the window",
            errorLines,
            "Read them in context on " + who + " (the log view, or the files under /var/log/calico / "
            "crictl logs of calico-node); errors at the time of the failure usually name the cause"));
    } else {
        c.status = Status::Pass;
    }
    return c;
}

} // namespace podpath::diagnose
