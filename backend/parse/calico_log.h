#pragma once
// Logs of the Calico components on a node, in every shape PodPath meets them:
//   /var/log/calico/{felix,bird,bird6,confd}/current (svlogd, with or without its stamp),
//   `crictl logs` / /var/log/pods/*calico-node*/calico-node/*.log (CRI wrapper, P/F lines),
//   docker's json-file wrapper, `journalctl -u kubelet` (syslog + klog), bare klog,
//   the older confd/syslog and logrus forms.
// One stream may mix felix, BIRD and confd lines: each line's component is detected.

#include "core/result.h"
#include "parse/log_time.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse {

// Ordered: a filter keeps entries at or above a level.
enum class LogLevel { Unknown, Debug, Info, Warning, Error, Fatal, Panic };

enum class LogComponent { Unknown, Felix, Bird, Bird6, Confd, Kubelet, CalicoNode, Other };

// The shape of the line once any wrapper is removed.
enum class LogFormat {
    Calico,      // "2026-11-23 08:00:01.205 [INFO][61] felix/route_table.go 903: msg"
    Bird,        // "bird: Mesh_198_51_100_2: State changed to up"
    Syslog,      // "Nov 23 08:00:01 node1 kubelet[812]: ..." and "2016-...Z host confd[74]: INFO ..."
    Klog,        // "E1123 08:00:01.205123     812 pod_workers.go:1298] msg"
    Logrus,      // time="..." level=info msg="..."
    Unreadable,  // none of the above; kept as it is
};

enum class LogWrapper { None, Cri, DockerJson, Svlogd };

enum class TimeSource { None, Line, Wrapper };

struct CalicoLogEntry {
    int line = 0;                      // 1-based; for joined partial lines, the first one
    int lastLine = 0;                  // last physical line that contributed
    LogFormat format = LogFormat::Unreadable;
    LogWrapper wrapper = LogWrapper::None;
    std::string stream;                // CRI/docker: "stdout" or "stderr"
    // The line's own time when it has one, else the wrapper's (CRI, docker, svlogd).
    // Absent: no time here; nothing is inherited from neighbouring lines.
    std::optional<LogTimestamp> time;
    TimeSource timeSource = TimeSource::None;
    LogLevel level = LogLevel::Unknown;
    bool levelInferred = false;        // BIRD prints no level: inferred from its words
    LogComponent component = LogComponent::Unknown;
    std::string process;               // program as printed: "kubelet", "confd", "bird"
    std::string pid;                   // "61"; older felix printed "1692/4"
    std::string sourceFile;            // "felix/route_table.go", "pod_workers.go"
    std::optional<unsigned> sourceLine;
    std::string message;               // text after the prefix (Calico: including its key=value fields)
    std::string raw;                   // the line as the component printed it (wrapper removed)
    bool incomplete = false;           // partial (CRI "P") line whose closing line never came
};

struct CalicoLog {
    std::vector<CalicoLogEntry> entries;   // one per logical line, in input order
    int blankLines = 0;
    int unreadableLines = 0;               // entries with format Unreadable
};

struct CalicoLogOptions {
    // What the caller knows about the source (e.g. it read felix/current): used for
    // lines that do not name their component themselves.
    LogComponent defaultComponent = LogComponent::Unknown;
    // Year for syslog/klog stamps, which have none. Without it, the year of the latest
    // dated line before is used, else 1970; either way the stamp says yearAssumed.
    std::optional<int> year;
    // Offset east of UTC, in seconds, of the clock that wrote the stamps without a zone
    // (the node's time zone for the journal and the kubelet's klog lines). Applied to
    // them, so they compare with every other stamp; unset: taken as written (UTC).
    std::optional<std::int64_t> zonelessUtcOffsetSeconds;
};

// Error only for input beyond text::kMaxInputBytes: any text is a log, lines that are
// not understood become Unreadable entries with their line numbers.
Result<CalicoLog> parseCalicoLog(std::string_view input, const CalicoLogOptions &options = {});

struct CalicoLogFilter {
    LogLevel minimumLevel = LogLevel::Unknown;     // Unknown: any level, including none
    std::optional<std::int64_t> sinceMicros;       // compare with LogTimestamp::micros
    bool keepUntimed = false;                      // with sinceMicros: keep entries that have no time
    std::string text;                              // substring of the raw line (or message); empty: any
    bool caseSensitive = false;
    std::optional<LogComponent> component;
};

// The entries that pass, in order; pointers into `log`.
std::vector<const CalicoLogEntry *> filterCalicoLog(const CalicoLog &log, const CalicoLogFilter &filter);

std::string_view toString(LogLevel level);         // "DEBUG", "INFO", ...; "" for Unknown
std::string_view toString(LogComponent component); // "felix", "bird", ..., "calico-node", "other", "unknown"
std::optional<LogLevel> logLevelFromString(std::string_view text); // any case; WARN, CRITICAL, klog letters

} // namespace podpath::parse
