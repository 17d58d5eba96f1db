// Session recordings are files people pass around and PodPath loads for replay; the
// command values and node names come from the command line. None may crash, and what
// loads must survive a save/load round trip unchanged.

#include "remote/command_values.h"
#include "remote/remote_command.h"
#include "remote/session_recording.h"
#include "remote/shell_quote.h"
#include "remote/ssh_target.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace podpath::remote;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);

    auto rec = SessionRecording::fromJson(input);
    if (rec.ok()) {
        auto again = SessionRecording::fromJson(rec->toJson());
        if (!again.ok() || again->commands.size() != rec->commands.size())
            __builtin_trap();
        for (std::size_t i = 0; i < rec->commands.size(); ++i) {
            const auto &a = rec->commands[i];
            const auto &b = again->commands[i];
            if (a.commandLine != b.commandLine || a.result.has_value() != b.result.has_value())
                __builtin_trap();
            if (a.result && (a.result->out != b.result->out || a.result->err != b.result->err))
                __builtin_trap();
        }
    }

    // Typed values: whatever parses can never render as an option.
    const std::string_view head = input.substr(0, 300);
    if (auto w = Word::parse(head); w && (w->str().empty() || w->str().front() == '-'))
        __builtin_trap();
    if (auto p = RemotePath::parse(head); p && p->str().front() != '/')
        __builtin_trap();
    if (auto t = SshTarget::parse(head); t && (t->host.empty() || t->host.front() == '-'))
        __builtin_trap();
    const std::string quoted = shellQuote(head);
    if (quoted.empty())
        __builtin_trap();
    return 0;
}
