#pragma once
#include <string>

namespace podpath::app {

// Rotating log in the XDG state directory ($XDG_STATE_HOME/podpath or
// ~/.local/state/podpath). Returns the log file path, or an empty string when the
// directory cannot be created (logging then goes to stderr only at warning level).
std::string setupLogging(bool verbose);

} // namespace podpath::app
