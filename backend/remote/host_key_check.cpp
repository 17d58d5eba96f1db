#include "remote/host_key_check.h"

#include "core/bounded_file.h"
#include "parse/text.h"
#include "remote/error_codes.h"
#include "remote/shell_quote.h"

#include <libssh/libssh.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace podpath::remote {

namespace {

std::string where(const HostKeyContext &c)
{
    std::string s = c.node;
    if (c.host != c.node || c.port != 22)
        s += " (" + c.host + " port " + std::to_string(c.port) + ")";
    if (!c.hostKeyAlias.empty())
        s += " (host key alias " + c.hostKeyAlias + ")";
    return s;
}

// The name the key is looked up and saved under: ssh uses HostKeyAlias as it is,
// without the port, and never falls back to the host's own name.
std::string knownHostsNameOf(const HostKeyContext &c)
{
    return c.hostKeyAlias.empty() ? knownHostsName(c.host, c.port) : c.hostKeyAlias;
}

// Appends "name type key" to the user's known_hosts, as ssh writes an accepted key. For
// a HostKeyAlias only: libssh's own writer names the host it connected to.
Result<void> appendKnownHost(const std::string &file, const std::string &name, ssh_key key)
{
    char *base64 = nullptr;
    if (ssh_pki_export_pubkey_base64(key, &base64) != SSH_OK || !base64)
        return Error("could not write out the key", file, {}, 0);
    const std::string line = name + " " + ssh_key_type_to_char(ssh_key_type(key)) + " " + base64 + "\n";
    ssh_string_free_char(base64);
    const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return Error(std::strerror(errno), file, {}, 0);
    const bool written = ::write(fd, line.data(), line.size()) == ssize_t(line.size());
    const int saved = errno;
    ::close(fd);
    if (!written)
        return Error(std::strerror(saved), file, {}, 0);
    return {};
}

struct KeyGuard {
    ssh_key key = nullptr;
    ~KeyGuard() { ssh_key_free(key); }
};

// "file:3, file:7": where known_hosts said what it said.
std::string lineRefs(const std::vector<KnownHostsLine> &lines)
{
    constexpr std::size_t kShown = 3;
    std::string s;
    for (std::size_t i = 0; i < lines.size() && i < kShown; ++i)
        s += (i ? ", " : "") + lines[i].path + ":" + std::to_string(lines[i].line);
    if (lines.size() > kShown)
        s += " and " + std::to_string(lines.size() - kShown) + " more";
    return s;
}

std::string typesOf(const std::vector<KnownHostsLine> &lines)
{
    std::vector<std::string> types;
    for (const auto &l : lines)
        if (std::find(types.begin(), types.end(), l.keyType) == types.end())
            types.push_back(l.keyType);
    std::string s;
    for (std::size_t i = 0; i < types.size(); ++i)
        s += (i ? ", " : "") + types[i];
    return s;
}

// As ssh does, lines it could not read are reported; they changed nothing.
void reportUnread(const HostKeyJudgement &j, const HostKeyContext &c)
{
    constexpr std::size_t kShown = 5;
    for (std::size_t i = 0; i < j.unread.size() && i < kShown; ++i)
        spdlog::warn("{}:{}: skipped this known_hosts line checking the host key of {}: {}", j.unread[i].path,
                     j.unread[i].line, where(c), j.unread[i].why);
    if (j.unread.size() > kShown)
        spdlog::warn("skipped {} more known_hosts lines checking the host key of {}", j.unread.size() - kShown,
                     where(c));
}

// The file's text; nullopt when it does not exist (a first connection), an Error when it
// exists but cannot be read, or is larger than any known_hosts file has reason to be.
Result<std::optional<std::string>> readKnownHostsFile(const std::string &path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 && errno == ENOENT)
        return std::optional<std::string>();
    auto text = readFileBounded(path, text::kMaxInputBytes, "the known_hosts file", "check that the file is readable");
    if (!text)
        return text.error();
    return std::optional<std::string>(std::move(*text));
}

} // namespace

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
    char *base64 = nullptr;
    if (ssh_pki_export_pubkey_base64(key.key, &base64) != SSH_OK || !base64)
        return Error("could not read the host key of " + where(c), ssh_get_error(session),
                     "try again; if it persists, run ssh -v " + c.node, 0, kSshHostKeyError);
    const std::string presented(base64);
    ssh_string_free_char(base64);

    // The texts must outlive the views judgeHostKey reads.
    std::vector<std::pair<std::string, std::string>> texts;  // path, text
    bool userFileMissing = false;
    auto text = readKnownHostsFile(c.knownHostsFile);
    if (!text)
        return Error("could not read " + c.knownHostsFile + " to check the host key of " + where(c),
                     text.error().message, "check that the file is readable", 0, kSshHostKeyError);
    if (*text)
        texts.emplace_back(c.knownHostsFile, std::move(**text));
    else
        userFileMissing = true;
    for (const auto &path : c.moreKnownHostsFiles) {
        auto more = readKnownHostsFile(path);
        if (!more)
            spdlog::warn("skipped {} checking the host key of {}: {}", path, where(c), more.error().message);
        else if (*more)
            texts.emplace_back(path, std::move(**more));
    }
    std::vector<KnownHostsText> files;
    for (const auto &[path, content] : texts)
        files.push_back({path, content});

    auto judged = c.hostKeyAlias.empty() ? judgeHostKey(files, c.host, c.port, presented)
                                         : judgeHostKey(files, c.hostKeyAlias, 22, presented);
    if (!judged)
        return Error(judged.error().message + " (" + where(c) + ", " + type + " " + fingerprint + ")",
                     c.knownHostsFile, judged.error().nextStep, 0, kSshHostKeyError);
    const HostKeyJudgement &j = *judged;
    reportUnread(j, c);

    const std::string offendingFile = j.deciding.empty() ? c.knownHostsFile : j.deciding.front().path;
    const std::string removeCmd =
        "ssh-keygen -R " + shellQuote(knownHostsNameOf(c)) + " -f " + shellQuote(offendingFile);
    const std::string reinstalled =
        "someone may be intercepting the connection, or the node was reinstalled; only if you know "
        "it was reinstalled, remove the old key (" + removeCmd + ") and connect again";
    switch (j.status) {
    case HostKeyStatus::Known:
        spdlog::debug("host key of {} is known: {} ({}{})", where(c), lineRefs(j.deciding), type,
                      j.withoutPort ? ", listed without the port" : "");
        return {};
    case HostKeyStatus::Revoked:
        return Error("REVOKED HOST KEY DETECTED for " + where(c) + ": its " + type + " key " + fingerprint +
                         " is marked @revoked; refusing to connect",
                     lineRefs(j.deciding),
                     "someone may be posing as the node with a stolen key; do not connect until its admin has "
                     "given it a new host key, then compare the new fingerprint and accept it",
                     0, kSshHostKeyRevoked);
    case HostKeyStatus::Changed:
        return Error("REMOTE HOST IDENTIFICATION HAS CHANGED for " + where(c) + ": it now offers " + type + " key " +
                         fingerprint + ", which does not match the key known_hosts holds for it; refusing to connect",
                     lineRefs(j.deciding), reinstalled, 0, kSshHostKeyChanged);
    case HostKeyStatus::OtherType:
        return Error("REMOTE HOST IDENTIFICATION HAS CHANGED for " + where(c) + ": it now offers " + type + " key " +
                         fingerprint + ", but known_hosts holds only keys of other types for it (" +
                         typesOf(j.deciding) + "); refusing to connect, as ssh does",
                     lineRefs(j.deciding), reinstalled, 0, kSshHostKeyChanged);
    case HostKeyStatus::Unknown:
        break;
    }

    // Only here, with no line for the host holding any key, may a key be accepted or saved.
    const std::string certNote =
        j.certAuthorities.empty()
            ? std::string()
            : "; " + lineRefs(j.certAuthorities) + " trusts a certificate authority for it, but PodPath does not "
                                                   "check host certificates";
    HostKeyQuestion q{c.node, c.host, c.port, type, fingerprint, c.knownHostsFile};
    const HostKeyDecision decision = prompter ? prompter->unknownHostKey(q) : HostKeyDecision::Refuse;
    if (decision == HostKeyDecision::Refuse) {
        const std::string what = userFileMissing
                                     ? "is not a known host: " + c.knownHostsFile + " does not exist"
                                     : "is not a known host";
        return Error(where(c) + " " + what + " (" + type + " " + fingerprint + ")" + certNote + "; not accepted",
                     c.knownHostsFile,
                     "compare the fingerprint with the node's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub "
                     "on the node), then accept it or connect once with ssh",
                     0, kSshHostKeyUnknown);
    }
    if (decision == HostKeyDecision::AcceptAndSave) {
        if (!c.hostKeyAlias.empty()) {
            if (auto saved = appendKnownHost(c.knownHostsFile, c.hostKeyAlias, key.key); !saved)
                spdlog::warn("accepted the host key of {} but could not save it to {}: {}", where(c),
                             c.knownHostsFile, saved.error().message);
            else
                spdlog::info("saved the {} host key of {} ({}) to {}", type, where(c), fingerprint, c.knownHostsFile);
        } else if (ssh_session_update_known_hosts(session) != SSH_OK)
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
