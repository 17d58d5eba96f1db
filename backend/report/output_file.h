#pragma once
// Where a report, picture, diagnosis or capture is about to be written: whether it can
// be, asked before any node is touched, and in words a user acts on.

#include <QString>

#include <optional>
#include <string>

namespace podpath::report {

// Why `file` cannot be written ("the folder /tmp/x does not exist"), or nullopt when it
// looks writable. Checks the folder (exists, is one, writable) and the file itself if
// it is there (not a folder, writable); the write itself may still fail (a full disk).
std::optional<std::string> whyNotWritable(const QString &file);
// The same for a folder PodPath will create files in (created first if missing).
std::optional<std::string> whyNotWritableFolder(const QString &dir);

} // namespace podpath::report
