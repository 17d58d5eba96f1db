#include "remote/command_batch.h"

#include "parse/text.h"

#include <random>

namespace podpath::remote {

bool CommandBatch::isNonce(const std::string &s)
{
    if (s.size() < 16 || s.size() > 64)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

namespace {

std::string tag(const std::string &nonce, std::size_t i) { return nonce + ":" + std::to_string(i); }

// The text between `begin` (searched from `from`) and `end`; npos-free on success.
struct Frame {
    std::string body;
    std::size_t next = 0;  // just past `end`
};

std::optional<Frame> frame(std::string_view all, std::size_t from, std::string_view begin, std::string_view end)
{
    const auto b = all.find(begin, from);
    if (b == std::string_view::npos)
        return std::nullopt;
    const auto start = b + begin.size();
    const auto e = all.find(end, start);
    if (e == std::string_view::npos)
        return std::nullopt;
    return Frame{std::string(all.substr(start, e - start)), e + end.size()};
}

} // namespace

std::string CommandBatch::randomNonce()
{
    std::random_device rd;
    static constexpr char hex[] = "0123456789abcdef";
    std::string n;
    for (int i = 0; i < 32; ++i)
        n += hex[rd() & 15u];
    return n;
}

CommandBatch::CommandBatch(std::vector<RemoteCommand> commands, std::string nonce)
    : m_commands(std::move(commands)), m_nonce(isNonce(nonce) ? std::move(nonce) : randomNonce()), m_command("sh")
{
    // Each command's output sits between a begin line and an end line carrying its exit
    // status; the newline written before the end line is the frame's, not the output's,
    // so output without a final newline comes back as it was.
    std::string script;
    for (std::size_t i = 0; i < m_commands.size(); ++i) {
        const std::string t = tag(m_nonce, i);
        script += "printf '%s\\n' " + t + "; printf '%s\\n' " + t + " >&2; " + m_commands[i].toString() +
                  "; printf '\\n%s:%s\\n' " + t + ":end \"$?\"; printf '\\n%s\\n' " + t + ":end >&2; ";
    }
    m_command.flag("-c").value(script.empty() ? std::string("true") : script);
}

std::vector<std::optional<CommandResult>> CommandBatch::split(const CommandResult &whole) const
{
    std::vector<std::optional<CommandResult>> out(m_commands.size());
    std::size_t atOut = 0, atErr = 0;
    for (std::size_t i = 0; i < m_commands.size(); ++i) {
        const std::string t = tag(m_nonce, i);
        auto o = frame(whole.out, atOut, t + "\n", "\n" + t + ":end:");
        if (!o)
            break;
        const auto nl = whole.out.find('\n', o->next);
        if (nl == std::string::npos)
            break;
        // An exit status is at most three digits; anything else is not our frame's end.
        const std::string_view digits = std::string_view(whole.out).substr(o->next, nl - o->next);
        const auto status = digits.size() <= 3 ? text::toUnsigned<int>(digits) : std::nullopt;
        if (!status)
            break;
        atOut = nl + 1;
        CommandResult r;
        r.exitStatus = *status;
        r.out = std::move(o->body);
        r.outBytes = r.out.size();
        r.duration = whole.duration;
        // Stderr is capped on its own: a command whose stderr frame was cut keeps what came.
        if (auto e = frame(whole.err, atErr, t + "\n", "\n" + t + ":end\n")) {
            r.err = std::move(e->body);
            atErr = e->next;
        } else if (auto b = whole.err.find(t + "\n", atErr); b != std::string::npos) {
            r.err = whole.err.substr(b + t.size() + 1);
            atErr = whole.err.size();
        }
        out[i] = std::move(r);
    }
    return out;
}

} // namespace podpath::remote
