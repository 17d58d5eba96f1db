#include "remote/host_key_check.h"

#include "remote/error_codes.h"
#include "remote/shell_quote.h"

#include <libssh/libssh.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

namespace podpath::remote {

namespace {

std::string where(const HostKeyContext &c)
{
    std::string s = c.node;
    if (c.host != c.node || c.port != 22)
        s += " (" + c.host + " port " + std::to_string(c.port) + ")";
    return s;
}

struct KeyGuard {
    ssh_key key = nullptr;
    ~KeyGuard() { ssh_key_free(key); }
};

} // namespace

std::string knownHostsName(const std::string &host, int port)
{
    return port == 22 ? host : "[" + host + "]:" + std::to_string(port);
}

std::string sha256Fingerprint(ssh_key key)
{
    unsigned char *hash = nullptr;
    size_t len = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != 0)
        return {};
    char *text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    ssh_clean_pubkey_hash(&hash);
    if (!text)
        return {};
    std::string out(text);
    ssh_string_free_char(text);
    return out;
}

Result<void> verifyHostKey(ssh_session session, const HostKeyContext &c, SshPrompter *prompter)
{
    KeyGuard key;
    if (ssh_get_server_publickey(session, &key.key) != SSH_OK)
        return Error("could not read the host key of " + where(c), ssh_get_error(session),
                     "try again; if it persists, run ssh -v " + c.node, 0, kSshHostKeyError);
    const std::string type = ssh_key_type_to_char(ssh_key_type(key.key));
    const std::string fingerprint = sha256Fingerprint(key.key);
    const std::string removeCmd =
        "ssh-keygen -R " + shellQuote(knownHostsName(c.host, c.port)) + " -f " + shellQuote(c.knownHostsFile);

    const ssh_known_hosts_e state = ssh_session_is_known_server(session);
    switch (state) {
    case SSH_KNOWN_HOSTS_OK:
        return {};
    case SSH_KNOWN_HOSTS_CHANGED:
        return Error("REMOTE HOST IDENTIFICATION HAS CHANGED for " + where(c) + ": it now offers " + type + " key " +
                         fingerprint + ", which does not match " + c.knownHostsFile + "; refusing to connect",
                     c.knownHostsFile,
                     "someone may be intercepting the connection, or the node was reinstalled; only if you know "
                     "it was reinstalled, remove the old key (" + removeCmd + ") and connect again",
                     0, kSshHostKeyChanged);
    case SSH_KNOWN_HOSTS_ERROR:
        return Error("could not check the host key of " + where(c) + " against " + c.knownHostsFile,
                     ssh_get_error(session), "check that the file is readable and in OpenSSH's format", 0,
                     kSshHostKeyError);
    case SSH_KNOWN_HOSTS_OTHER:
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
        break;
    }

    HostKeyQuestion q{c.node, c.host, c.port, type, fingerprint, c.knownHostsFile, state == SSH_KNOWN_HOSTS_OTHER};
    const HostKeyDecision decision = prompter ? prompter->unknownHostKey(q) : HostKeyDecision::Refuse;
    if (decision == HostKeyDecision::Refuse) {
        struct stat st {};
        const bool fileMissing = ::stat(c.knownHostsFile.c_str(), &st) != 0;
        std::string what = state == SSH_KNOWN_HOSTS_OTHER
                               ? "offers a " + type + " host key, but " + c.knownHostsFile +
                                     " only knows keys of another type for it"
                           : fileMissing ? "is not a known host: " + c.knownHostsFile + " does not exist"
                                         : "is not a known host";
        return Error(where(c) + " " + what + " (" + type + " " + fingerprint + "); not accepted", c.knownHostsFile,
                     "compare the fingerprint with the node's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub "
                     "on the node), then accept it or connect once with ssh",
                     0, kSshHostKeyUnknown);
    }
    if (decision == HostKeyDecision::AcceptAndSave) {
        if (ssh_session_update_known_hosts(session) != SSH_OK)
            spdlog::warn("accepted the host key of {} but could not save it to {}: {}", where(c), c.knownHostsFile,
                         ssh_get_error(session));
        else
            spdlog::info("saved the {} host key of {} ({}) to {}", type, where(c), fingerprint, c.knownHostsFile);
    } else {
        spdlog::info("accepted the {} host key of {} ({}) for this session only", type, where(c), fingerprint);
    }
    return {};
}

} // namespace podpath::remote
