#pragma once
// Reads a local file the user named (a saved diagnosis, a session recording) without
// trusting its size: at most `maxBytes` are read, so /dev/zero, a FIFO that never ends
// or a huge file gives a one-line error instead of exhausting memory.

#include "result.h"

#include <string>
#include <string_view>

namespace podpath {

// `what` names the file in the error ("the saved diagnosis"); `nextStep` says what to
// give instead.
Result<std::string> readFileBounded(const std::string &path, std::size_t maxBytes, std::string_view what,
                                    std::string_view nextStep);

} // namespace podpath
