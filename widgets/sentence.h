#pragma once
// The engine's one-line errors start as clauses ("cannot read the saved diagnosis: ..."),
// to follow "podpath diagnose: " on a terminal; the window shows them as sentences. This
// is the one place it turns them into sentences, at the display boundary.

#include <QString>

namespace podpath::widgets {

// TEXT with its first letter capitalised when its first word is a plain lower-case word
// ("connection refused" -> "Connection refused", "cannot read x: y" -> "Cannot read x: y").
// A first word that is a command, id, hostname, address or path ("tcpdump", "ssh:",
// "request.server.ingress", "node-1", "eth0", "/usr/bin") stays as written: changing it
// would make it untrue.
QString asSentence(const QString &text);

// As asSentence, ending in a full stop: a line under a form field.
QString asFullSentence(const QString &text);

} // namespace podpath::widgets
