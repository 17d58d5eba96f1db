#pragma once
// Every code the remote layer puts on an Error (Error::code), with what it means. Callers
// branch on them, and a diagnosis that cannot run hands the one that stopped it to the
// user as its finding's code (diagnose/finding_codes.h), so they are a public contract:
// never rename one. The table is the only place a code is spelt: the constants below are
// looked up in it when compiling, and tst_docs checks that docs/hops-and-checks.md lists
// the same codes and that no other remote source spells one.

#include <array>
#include <string_view>

namespace podpath::remote {

struct ErrorCodeInfo {
    std::string_view code;     // UPPER_SNAKE
    std::string_view meaning;  // one line, for the docs
};

inline constexpr auto kErrorCodes = std::to_array<ErrorCodeInfo>({
    {"SSH_BAD_TARGET", "a node is not [user@]host[:port]: the user, port or host name is not valid"},
    {"SSH_CONFIG_ERROR", "the ssh configuration could not be used: the file is missing, `ssh -G` refused it or "
                         "gave a value PodPath cannot use, or libssh refused one of its options"},
    {"SSH_CONNECT_FAILED", "no SSH session: the host or port could not be reached (directly or through the jump "
                           "host), or the session could not be set up"},
    {"SSH_HOST_KEY_UNKNOWN", "no line of known_hosts for the node holds a key (a @cert-authority line does not "
                             "count: PodPath does not check host certificates), and its key was not accepted"},
    {"SSH_HOST_KEY_CHANGED", "known_hosts holds other keys for the node than the one it offers (of its type or "
                             "only of other types); always refused, never saved"},
    {"SSH_HOST_KEY_REVOKED", "known_hosts marks the key the node offers @revoked; always refused, never saved"},
    {"SSH_HOST_KEY_ERROR", "the host key could not be read, or checked against known_hosts"},
    {"SSH_AUTH_FAILED", "the node refused every authentication method tried (agent, keys, password, "
                        "keyboard-interactive)"},
    {"SSH_CONNECTION_LOST", "the session went away while logging in, checking privileges or running a command"},
    {"SSH_CHANNEL_FAILED", "the session is up but the node refused a channel or a command on it (sshd's "
                           "MaxSessions, for example)"},
    {"SSH_NOT_CONNECTED", "a command was asked of a node that is not connected"},
    {"PRIVILEGE_PROBE_FAILED", "`id -u` on the node did not say which user the login is"},
    {"ROOT_UNAVAILABLE", "the login is not root and cannot use sudo, and the connection asked for root"},
    {"SUDO_PASSWORD_REJECTED", "sudo on the node did not accept the password given"},
    {"BATCH_UNFINISHED", "a batch of reads ended (cancelled, out of time or output) before this command's part; "
                         "it may be run on its own"},
    {"REPLAY_NO_MATCH", "the session recording has no (more) answer for this command"},
    {"REPLAY_BAD_FILE", "the session recording cannot be read or is not a PodPath recording"},
});

// A code of the table, checked when compiling: a code missing from kErrorCodes does not
// build (the evaluation reaches the throw, which no constant expression may).
consteval const char *errorCode(std::string_view code)
{
    for (const auto &e : kErrorCodes)
        if (e.code == code)
            return e.code.data();
    throw "not in kErrorCodes: add the code and its meaning there";
}

inline constexpr const char *kSshBadTarget = errorCode("SSH_BAD_TARGET");
inline constexpr const char *kSshConfigError = errorCode("SSH_CONFIG_ERROR");
inline constexpr const char *kSshConnectFailed = errorCode("SSH_CONNECT_FAILED");
inline constexpr const char *kSshHostKeyUnknown = errorCode("SSH_HOST_KEY_UNKNOWN");
inline constexpr const char *kSshHostKeyChanged = errorCode("SSH_HOST_KEY_CHANGED");
inline constexpr const char *kSshHostKeyRevoked = errorCode("SSH_HOST_KEY_REVOKED");
inline constexpr const char *kSshHostKeyError = errorCode("SSH_HOST_KEY_ERROR");
inline constexpr const char *kSshAuthFailed = errorCode("SSH_AUTH_FAILED");
inline constexpr const char *kSshConnectionLost = errorCode("SSH_CONNECTION_LOST");
inline constexpr const char *kSshChannelFailed = errorCode("SSH_CHANNEL_FAILED");
inline constexpr const char *kSshNotConnected = errorCode("SSH_NOT_CONNECTED");
inline constexpr const char *kPrivilegeProbeFailed = errorCode("PRIVILEGE_PROBE_FAILED");
inline constexpr const char *kRootUnavailable = errorCode("ROOT_UNAVAILABLE");
inline constexpr const char *kSudoPasswordRejected = errorCode("SUDO_PASSWORD_REJECTED");
inline constexpr const char *kBatchUnfinished = errorCode("BATCH_UNFINISHED");
inline constexpr const char *kReplayNoMatch = errorCode("REPLAY_NO_MATCH");
inline constexpr const char *kReplayBadFile = errorCode("REPLAY_BAD_FILE");

// The entry of `code`, or null for a code the remote layer does not make.
constexpr const ErrorCodeInfo *errorCodeInfo(std::string_view code)
{
    for (const auto &e : kErrorCodes)
        if (e.code == code)
            return &e;
    return nullptr;
}

} // namespace podpath::remote
