#pragma once
// A command for a node, built from a fixed program name, fixed option words and typed
// values. There is no way to add free text: option words are compile-time literals
// (checked by the compiler), everything else is a validated value, and every word is
// shell-quoted when rendered. The rendered line is also the key a recorded session
// (replay) matches on.
//
//   auto cmd = RemoteCommand("tcpdump").flag("-i").arg(iface).flag("-U").flag("-w")
//                  .flag("-").flag("-c").arg(count).flag("host").arg(peer);

#include "core/interface_name.h"
#include "core/ipv4.h"
#include "core/ipv6.h"
#include "remote/command_values.h"

#include <string>
#include <string_view>
#include <vector>

namespace podpath::remote {

// A word written in PodPath's source: a program name, an option or a keyword.
// consteval: a literal with a character outside [A-Za-z0-9_@%+=:,./-] does not compile.
class Literal {
public:
    template <std::size_t N>
    consteval Literal(const char (&text)[N]) : m_text(text, N - 1)
    {
        if (N < 2)
            invalidLiteral();
        for (std::size_t i = 0; i + 1 < N; ++i) {
            char c = text[i];
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '@' || c == '%' || c == '+' || c == '=' || c == ':' ||
                      c == ',' || c == '.' || c == '/' || c == '-';
            if (!ok)
                invalidLiteral();
        }
    }
    constexpr std::string_view view() const { return m_text; }

private:
    friend class FixedScript;
    // Not constexpr: reaching it during constant evaluation is a compile error.
    static void invalidLiteral();
    std::string_view m_text;
};

// A fixed shell script written in PodPath's source, for the one thing a program's argv
// cannot say (bash's /dev/tcp connect). consteval: printable ASCII only, no quote; it
// takes its values as positional parameters ($0, $1 ...), each a validated arg().
class FixedScript {
public:
    template <std::size_t N>
    consteval FixedScript(const char (&text)[N]) : m_text(text, N - 1)
    {
        if (N < 2)
            Literal::invalidLiteral();
        for (std::size_t i = 0; i + 1 < N; ++i)
            if (text[i] < ' ' || text[i] > '~' || text[i] == '\'' || text[i] == '`')
                Literal::invalidLiteral();
    }
    constexpr std::string_view view() const { return m_text; }

private:
    std::string_view m_text;
};

class RemoteCommand {
public:
    explicit RemoteCommand(Literal program);

    RemoteCommand &flag(Literal word);
    RemoteCommand &arg(Ipv4 address);
    RemoteCommand &arg(const Ipv6 &address);  // RFC 5952 text: hex digits and colons only
    RemoteCommand &arg(const Ipv4Prefix &prefix);
    RemoteCommand &arg(const InterfaceName &name);
    RemoteCommand &arg(Count count);
    RemoteCommand &arg(Port port);
    RemoteCommand &arg(Seconds seconds);
    RemoteCommand &arg(const RemotePath &path);
    RemoteCommand &arg(const Word &word);
    RemoteCommand &script(FixedScript text);  // one argv word, e.g. after `bash -c`

    const std::string &program() const { return m_argv.front(); }
    const std::vector<std::string> &argv() const { return m_argv; }
    // The command line as a POSIX shell reads it: each argv word quoted when needed.
    std::string toString() const;
    bool operator==(const RemoteCommand &) const = default;

private:
    friend class CommandBatch;   // builds `sh -c SCRIPT` from commands built here
    friend class CommandFanOut;  // the same
    RemoteCommand &value(std::string text);
    std::vector<std::string> m_argv;
};

} // namespace podpath::remote
