#include "remote/command_fan_out.h"

#include "remote/command_batch.h"
#include "parse/text.h"

#include <map>

namespace podpath::remote {


CommandFanOut::CommandFanOut(std::vector<RemoteCommand> commands, std::optional<RemoteCommand> via, std::string nonce)
    : m_count(commands.size()), m_nonce(CommandBatch::isNonce(nonce) ? std::move(nonce) : CommandBatch::randomNonce()), m_command("sh")
{
    // t() tags every line of one command, then its status on a line of its own after a
    // newline of the frame's (output without a final newline keeps its last line); each
    // printf writes one line in one write(), shorter than a pipe's atomic size for any
    // line a ping prints, so lines from commands running at once interleave but never mix.
    const std::string before = via ? via->toString() + " " : std::string();
    std::string script = "t() { n=$1; shift; { \"$@\"; printf '\\n%s:end:%s\\n' \"$n\" \"$?\"; } 2>&1 | "
                         "while IFS= read -r l || [ -n \"$l\" ]; do printf '%s %s\\n' \"$n\" \"$l\"; done; }; ";
    for (std::size_t i = 0; i < commands.size(); ++i)
        script += "t " + m_nonce + ":" + std::to_string(i) + " " + before + commands[i].toString() + " & ";
    script += "wait";
    m_command.flag("-c").value(script);
}

std::vector<std::optional<CommandResult>> CommandFanOut::split(const CommandResult &whole) const
{
    std::vector<std::optional<CommandResult>> out(m_count);
    std::vector<std::string> bodies(m_count);
    const std::string head = m_nonce + ":";
    std::size_t at = 0;
    while (at < whole.out.size()) {
        std::size_t nl = whole.out.find('\n', at);
        const bool whole_line = nl != std::string::npos;
        if (!whole_line)
            nl = whole.out.size();
        const std::string_view line = std::string_view(whole.out).substr(at, nl - at);
        at = nl + 1;
        if (!whole_line || !line.starts_with(head))
            continue;  // a login shell's chatter, or a line the exec's end cut
        const std::string_view rest = line.substr(head.size());
        const auto space = rest.find(' ');
        if (space == std::string_view::npos)
            continue;
        const auto index = text::toUnsigned<std::size_t>(rest.substr(0, space));
        if (!index || *index >= m_count || out[*index])
            continue;  // not ours, or after that command's end
        const std::string_view said = rest.substr(space + 1);
        const std::string end = head + std::to_string(*index) + ":end:";
        if (said.starts_with(end)) {
            const std::string_view digits = said.substr(end.size());
            const auto status = digits.size() <= 3 ? text::toUnsigned<int>(digits) : std::nullopt;
            if (!status)
                continue;
            CommandResult r;
            r.exitStatus = *status;
            r.out = std::move(bodies[*index]);
            // The frame's newline before the end made one line more: empty when the
            // output ended with its own newline, else the output's unfinished last line.
            if (r.out.ends_with("\n\n") || r.out == "\n")
                r.out.pop_back();
            r.outBytes = r.out.size();
            r.duration = whole.duration;
            out[*index] = std::move(r);
            continue;
        }
        bodies[*index].append(said).push_back('\n');
    }
    return out;
}

} // namespace podpath::remote
