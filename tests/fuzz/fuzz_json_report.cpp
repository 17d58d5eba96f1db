// `podpath render --json FILE` reads files from anywhere: reading must be total.
#include "report/json_report.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto r = podpath::report::fromJson(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (r.ok()) {
        // Whatever was accepted must serialise and read back.
        auto again = podpath::report::fromJson(podpath::report::toJsonBytes(*r));
        if (!again.ok())
            __builtin_trap();
    }
    return 0;
}
