#pragma once
// Which node to reach and how, as the user named it: a host or ~/.ssh/config alias plus
// explicit overrides. Everything not overridden comes from the ssh config file(s) as
// OpenSSH's `ssh -G` resolves them (openssh_config.h): HostName, User, Port,
// IdentityFile, UserKnownHostsFile, GlobalKnownHostsFile, ProxyJump, ProxyCommand,
// ConnectTimeout.

#include "core/result.h"
#include "remote/command_values.h"

#include <optional>
#include <string>
#include <string_view>

namespace podpath::remote {

// A jump host as `ssh -J` takes it: [user@]host[:port].
struct JumpHost {
    std::string host;
    std::optional<std::string> user;
    std::optional<Port> port;
};

struct SshTarget {
    std::string host;                          // name, address or config alias
    std::optional<std::string> user;
    std::optional<Port> port;
    std::optional<std::string> identityFile;   // local path, tried before the config's
    std::optional<std::string> knownHostsFile; // default ~/.ssh/known_hosts
    std::optional<std::string> configFile;     // default ~/.ssh/config + /etc/ssh/ssh_config
    std::optional<JumpHost> jump;              // overrides the config's ProxyJump
    std::optional<int> connectTimeoutSeconds;  // overrides ConnectTimeout; default 15

    // "[user@]host[:port]" as typed on the command line; host is a name, an IPv4
    // address or an alias: letters, digits, '.', '_' and '-', not starting with '-'.
    static Result<SshTarget> parse(std::string_view spec);
    // For messages: user@host:port with what was given.
    std::string label() const;
};

Result<JumpHost> parseJumpHost(std::string_view spec);

// Host and user names PodPath passes to ssh and to the ProxyCommand shell.
bool isValidHostName(std::string_view host);
bool isValidUserName(std::string_view user);

} // namespace podpath::remote
