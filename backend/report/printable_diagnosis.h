#pragma once
// A copy of a diagnosis with every text that came from a node made safe to print
// (core/printable.h): the terminal picture, Markdown and HTML render this copy, so no
// output of PodPath's can carry a node's escape sequences to the reader. JSON needs no
// such copy: its encoder escapes control characters itself.

#include "diagnose/diagnosis.h"

namespace podpath::report {

diagnose::Diagnosis printableCopy(const diagnose::Diagnosis &d);

} // namespace podpath::report
