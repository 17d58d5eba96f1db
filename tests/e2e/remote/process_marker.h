#pragma once
// A pgrep -f pattern for the processes a test started with a numeric marker in their
// command line (`sleep 4731`, a capture's count). The lab nodes and the loopback node share
// this machine's process table with every test running beside them, and PodPath's command
// shells carry a random 32-hex-digit nonce in their command line: a bare "4731" matches
// one in about twenty of them (CI once counted a concurrent diagnosis's two shells as
// leftovers). The marker must stand alone, between characters no hex nonce has; the
// bracket keeps pgrep's own command line (and the shell that runs it) from matching.

#include <string>

namespace podpath::testing {

inline std::string markerPattern(int marker)
{
    const std::string d = std::to_string(marker);
    return "(^|[^0-9a-f])" + d.substr(0, d.size() - 1) + "[" + d.back() + "]([^0-9a-f]|$)";
}

} // namespace podpath::testing
