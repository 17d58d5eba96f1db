#pragma once
// The host aliases an ssh config file defines, for completing the NODES screen's host
// fields with names `ssh` (and PodPath) accept. parseSshConfigHosts is pure and total
// (text in, aliases and Include lines out); loadSshConfigHosts reads the files and
// follows their Include lines.
//
// Read as OpenSSH reads it (ssh_config(5), readconf.c): one keyword per line, case
// insensitive, "Keyword value" or "Keyword=value"; arguments split on blanks with
// "double" or 'single' quotes; '#' starts a comment at a line's or a word's start.
// A Host line's patterns with '*' or '?' and negated ones ('!name') are not aliases, nor
// are names PodPath cannot pass to ssh (remote::isValidHostName). A line with an
// unbalanced quote (OpenSSH refuses the whole file) is skipped and its number kept, so
// one bad line does not hide every alias. Match blocks define no aliases.

#include "core/result.h"
#include "remote/command_values.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::remote {

struct SshConfigHost {
    std::string alias;         // as written after Host
    // As `ssh -G alias` gives them, as far as this one file decides (Host blocks whose
    // patterns take the alias, first value wins; Match blocks are not evaluated).
    // Empty when the file does not set them.
    std::string hostName;
    std::string user;
    std::optional<Port> port;
    int line = 0;              // of the Host line, 1-based
};

struct SshConfigInclude {
    std::vector<std::string> patterns;  // as written: paths, globs, ~/...
    int line = 0;
};

struct SshConfigHosts {
    std::vector<SshConfigHost> hosts;  // file order, each alias once (the first Host line naming it)
    std::vector<SshConfigInclude> includes;
    std::vector<int> unreadLines;      // lines skipped for an unbalanced quote
    // More than 4096 Host/Match lines, 8192 patterns or 1024 aliases: the rest of the
    // file is not read; Include lines after the 64th are ignored. (Patterns longer than
    // 512 characters are ignored too: no host name is that long.)
    bool truncated = false;
};

Result<SshConfigHosts> parseSshConfigHosts(std::string_view text);

// The aliases of `path` and of the files it includes, in the order ssh reads them, each
// alias once. Relative Include paths are taken from `includeDir` (OpenSSH: ~/.ssh for a
// user's config, /etc/ssh for the system's); "~/" is `homeDir`. Missing or unreadable
// files add nothing; nesting stops at 16 levels and 256 files, as a loop would not.
std::vector<SshConfigHost> loadSshConfigHosts(const std::string &path, const std::string &homeDir,
                                              const std::string &includeDir);

// ~/.ssh/config of the user running PodPath (home from the password database).
std::string defaultUserSshConfig();

} // namespace podpath::remote
