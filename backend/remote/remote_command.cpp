#include "remote/remote_command.h"

#include "remote/shell_quote.h"

#include <cstdlib>

namespace podpath::remote {

void Literal::invalidLiteral()
{
    // Only reachable at run time if a Literal were built in a non-constant context,
    // which consteval forbids; kept so the symbol exists.
    std::abort();
}

RemoteCommand::RemoteCommand(Literal program) { m_argv.emplace_back(program.view()); }

RemoteCommand &RemoteCommand::flag(Literal word)
{
    m_argv.emplace_back(word.view());
    return *this;
}

RemoteCommand &RemoteCommand::value(std::string text)
{
    // Every value type already refuses a leading '-'; this is the last line of defence
    // should a new type forget, so that a value can never turn into an option.
    if (!text.empty() && text.front() == '-')
        std::abort();
    m_argv.push_back(std::move(text));
    return *this;
}

RemoteCommand &RemoteCommand::arg(Ipv4 address) { return value(address.toString()); }
RemoteCommand &RemoteCommand::arg(const Ipv6 &address) { return value(address.toString()); }
RemoteCommand &RemoteCommand::arg(const Ipv4Prefix &prefix) { return value(prefix.toString()); }
RemoteCommand &RemoteCommand::arg(const InterfaceName &name) { return value(name.str()); }
RemoteCommand &RemoteCommand::arg(Count count) { return value(count.toString()); }
RemoteCommand &RemoteCommand::arg(Port port) { return value(port.toString()); }
RemoteCommand &RemoteCommand::arg(Seconds seconds) { return value(seconds.toString()); }
RemoteCommand &RemoteCommand::arg(const RemotePath &path) { return value(path.str()); }
RemoteCommand &RemoteCommand::arg(const Word &word) { return value(word.str()); }

RemoteCommand &RemoteCommand::script(FixedScript text)
{
    m_argv.emplace_back(text.view());
    return *this;
}

std::string RemoteCommand::toString() const
{
    std::string line;
    for (const auto &word : m_argv) {
        if (!line.empty())
            line += ' ';
        line += shellQuote(word);
    }
    return line;
}

} // namespace podpath::remote
