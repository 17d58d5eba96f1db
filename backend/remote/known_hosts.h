#pragma once
// PodPath's own reading of known_hosts files, so that a node's host key is judged as
// OpenSSH's `ssh` judges it (hostfile.c and sshconnect.c of OpenSSH 9): which lines name
// the host (plain, wildcard and negated patterns, comma lists, `[host]:port`, hashed
// `|1|salt|hash` names), `@revoked` keys, `@cert-authority` lines, and lines that cannot
// be read, which are reported and skipped without changing what the other lines decide.
// Pure: the files' text goes in, a decision and the lines that made it come out.
//
// PodPath does not check host certificates (libssh does not negotiate them): a
// `@cert-authority` line never makes a plain key known, as for `ssh` presented with a
// plain key, and a line holding a certificate is skipped as unreadable.

#include "core/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace podpath::remote {

enum class HostKeyStatus {
    Known,      // a line for the host holds the presented key
    Unknown,    // no line for the host holds a key (ssh: "No ... host key is known")
    Changed,    // a line for the host holds another key of the same type
    OtherType,  // lines for the host hold keys of other types only (ssh calls it changed too)
    Revoked,    // a @revoked line for the host holds the presented key
};

struct KnownHostsText {
    std::string path;       // for the lines reported
    std::string_view text;  // the whole file
};

struct KnownHostsLine {
    std::string path;
    int line = 0;          // 1-based
    std::string keyType;   // as written on the line ("ssh-ed25519")
};

struct UnreadLine {
    std::string path;
    int line = 0;
    std::string why;       // "the key does not decode", in the user's words
};

struct HostKeyJudgement {
    HostKeyStatus status = HostKeyStatus::Unknown;
    // Known: the line holding the key. Changed / OtherType: the lines holding other keys.
    // Revoked: the @revoked lines holding it.
    std::vector<KnownHostsLine> deciding;
    // Known through the host's name without the port, as ssh falls back to when nothing
    // names `[host]:port` (a node first reached on port 22).
    bool withoutPort = false;
    // @cert-authority lines naming the host: they cannot make a plain key known.
    std::vector<KnownHostsLine> certAuthorities;
    // Lines naming the host (or whose name or marker cannot be read) that were skipped.
    std::vector<UnreadLine> unread;
};

// The host key sent by the node, as OpenSSH writes it: the base64 of its public blob.
// An Error when it is not a key PodPath can compare (never the case for libssh's keys).
// `files` are read in order, the user's before the system's, as ssh reads them.
Result<HostKeyJudgement> judgeHostKey(const std::vector<KnownHostsText> &files, std::string_view host, int port,
                                      std::string_view presentedKeyBase64);

// The name known_hosts holds a host under: "host" on port 22, else "[host]:port"; also
// the ssh-keygen -R argument.
std::string knownHostsName(const std::string &host, int port);

// The hashed form of `name` with `salt` (20 bytes), as `ssh-keygen -H` writes it: for tests.
std::string hashedKnownHostsName(std::string_view name, std::string_view salt);

} // namespace podpath::remote
