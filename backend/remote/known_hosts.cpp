#include "remote/known_hosts.h"
#include "remote/ssh_pattern.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

namespace podpath::remote {

namespace {

constexpr std::string_view kCertSuffix = "-cert-v01@openssh.com";

bool isBlank(char c) { return c == ' ' || c == '\t'; }

// What OpenSSH's base64 decoder (b64_pton) accepts: whitespace anywhere is skipped,
// padding must be right and the bits past the last byte must be zero.
std::optional<std::string> decodeBase64(std::string_view in)
{
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z')
            return c - 'A';
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 26;
        if (c >= '0' && c <= '9')
            return c - '0' + 52;
        if (c == '+')
            return 62;
        if (c == '/')
            return 63;
        return -1;
    };
    auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    std::string out;
    unsigned bits = 0;
    int state = 0;
    std::size_t i = 0;
    for (; i < in.size(); ++i) {
        const char c = in[i];
        if (space(c))
            continue;
        if (c == '=')
            break;
        const int v = value(c);
        if (v < 0)
            return std::nullopt;
        bits = (bits << 6) | unsigned(v);
        if (++state == 4) {
            out += char((bits >> 16) & 0xff);
            out += char((bits >> 8) & 0xff);
            out += char(bits & 0xff);
            bits = 0;
            state = 0;
        }
    }
    if (i == in.size())
        return state == 0 ? std::optional(out) : std::nullopt;
    // At a '=': two data characters want "==", three want "=".
    if (state < 2)
        return std::nullopt;
    ++i;
    if (state == 2) {
        while (i < in.size() && space(in[i]))
            ++i;
        if (i == in.size() || in[i] != '=')
            return std::nullopt;
        ++i;
    }
    for (; i < in.size(); ++i)
        if (!space(in[i]))
            return std::nullopt;
    if (state == 2) {
        if (bits & 0xf)
            return std::nullopt;
        out += char((bits >> 4) & 0xff);
    } else {
        if (bits & 0x3)
            return std::nullopt;
        out += char((bits >> 10) & 0xff);
        out += char((bits >> 2) & 0xff);
    }
    return out;
}

// The SSH wire format of a public key blob (RFC 4251 strings and mpints).
class BlobReader {
public:
    explicit BlobReader(std::string_view blob) : m_rest(blob) {}
    std::optional<std::string_view> string()
    {
        if (m_rest.size() < 4)
            return std::nullopt;
        const auto *p = reinterpret_cast<const unsigned char *>(m_rest.data());
        const std::uint32_t len = (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) |
                                  (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
        if (len > m_rest.size() - 4)
            return std::nullopt;
        std::string_view s = m_rest.substr(4, len);
        m_rest.remove_prefix(4 + len);
        return s;
    }
    // A positive mpint without its leading zero bytes (OpenSSH reads them so: equal keys
    // written with more zeros are still equal); OpenSSH's limit of 16384 bits.
    std::optional<std::string_view> mpint()
    {
        auto s = string();
        if (!s || (!s->empty() && (static_cast<unsigned char>(s->front()) & 0x80)))
            return std::nullopt;
        if (s->size() > 2049 || (s->size() == 2049 && s->front() != 0))
            return std::nullopt;
        while (!s->empty() && s->front() == 0)
            s->remove_prefix(1);
        return s;
    }
    bool atEnd() const { return m_rest.empty(); }

private:
    std::string_view m_rest;
};

void putField(std::string &out, std::string_view field)
{
    const auto n = std::uint32_t(field.size());
    out += char(n >> 24);
    out += char(n >> 16);
    out += char(n >> 8);
    out += char(n);
    out += field;
}

std::size_t bitLength(std::string_view magnitude)
{
    if (magnitude.empty())
        return 0;
    unsigned top = static_cast<unsigned char>(magnitude.front());
    std::size_t bits = (magnitude.size() - 1) * 8;
    while (top) {
        ++bits;
        top >>= 1;
    }
    return bits;
}

// A public key in one comparable form: its type and its fields, each length-prefixed,
// mpints without leading zeros. Two keys are the same key when these are equal.
struct PublicKey {
    std::string type;
    std::string canonical;
    bool operator==(const PublicKey &) const = default;
};

// A blob as OpenSSH's sshkey_fromb reads it, for the key types of plain host keys.
std::optional<PublicKey> readBlob(std::string_view blob)
{
    BlobReader r(blob);
    const auto type = r.string();
    if (!type)
        return std::nullopt;
    PublicKey key{std::string(*type), std::string(*type)};
    auto point = [&](std::string_view curve, std::size_t coordinateBytes) {
        const auto name = r.string();
        const auto q = r.string();
        if (!name || *name != curve || !q || q->size() != 1 + 2 * coordinateBytes || q->front() != 0x04)
            return false;
        putField(key.canonical, *q);
        return true;
    };
    bool ok = false;
    if (*type == "ssh-ed25519" || *type == "sk-ssh-ed25519@openssh.com") {
        const auto pk = r.string();
        ok = pk && pk->size() == 32;
        if (ok)
            putField(key.canonical, *pk);
    } else if (*type == "ssh-rsa") {
        const auto e = r.mpint();
        const auto n = r.mpint();
        // OpenSSH refuses RSA keys under 1024 bits wherever it reads them.
        ok = e && n && bitLength(*n) >= 1024;
        if (ok) {
            putField(key.canonical, *e);
            putField(key.canonical, *n);
        }
    } else if (*type == "ssh-dss") {
        ok = true;
        for (int i = 0; i < 4 && ok; ++i) {
            const auto v = r.mpint();
            ok = v.has_value();
            if (ok)
                putField(key.canonical, *v);
        }
    } else if (*type == "ecdsa-sha2-nistp256" || *type == "sk-ecdsa-sha2-nistp256@openssh.com") {
        ok = point("nistp256", 32);
    } else if (*type == "ecdsa-sha2-nistp384") {
        ok = point("nistp384", 48);
    } else if (*type == "ecdsa-sha2-nistp521") {
        ok = point("nistp521", 66);
    }
    if (ok && type->rfind("sk-", 0) == 0) {
        const auto application = r.string();
        ok = application.has_value();
        if (ok)
            putField(key.canonical, *application);
    }
    if (!ok || !r.atEnd())
        return std::nullopt;
    return key;
}

// The blob type a key type written on a line stands for; empty for a name OpenSSH does
// not know. The RSA signature names are accepted for ssh-rsa keys, as OpenSSH does.
std::string_view blobTypeOf(std::string_view name)
{
    static constexpr std::array<std::string_view, 8> plain = {
        "ssh-ed25519",         "ssh-rsa",
        "ssh-dss",             "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    };
    for (std::string_view p : plain)
        if (name == p)
            return p;
    if (name == "rsa-sha2-256" || name == "rsa-sha2-512")
        return "ssh-rsa";
    return {};
}

// The key part of a line, after the host names: "TYPE BASE64 [comment]".
struct LineKey {
    std::string typeName;
    std::optional<PublicKey> key;
    std::string why;  // when !key
};

LineKey readLineKey(std::string_view rest)
{
    LineKey out;
    std::size_t typeEnd = 0;
    while (typeEnd < rest.size() && !isBlank(rest[typeEnd]))
        ++typeEnd;
    out.typeName = std::string(rest.substr(0, typeEnd));
    if (typeEnd == rest.size()) {
        out.why = "it has no key after the key type";
        return out;
    }
    const std::string_view blobType = blobTypeOf(out.typeName);
    if (blobType.empty()) {
        const bool cert = out.typeName.size() > kCertSuffix.size() &&
                          out.typeName.compare(out.typeName.size() - kCertSuffix.size(), std::string::npos,
                                               kCertSuffix) == 0;
        out.why = cert ? "it holds a host certificate, which PodPath does not check"
                       : "\"" + out.typeName.substr(0, 64) + "\" is not a key type OpenSSH knows";
        return out;
    }
    std::size_t b = typeEnd;
    while (b < rest.size() && isBlank(rest[b]))
        ++b;
    std::size_t e = b;
    while (e < rest.size() && !isBlank(rest[e]))
        ++e;
    const auto blob = decodeBase64(rest.substr(b, e - b));
    if (!blob) {
        out.why = "its key is not valid base64";
        return out;
    }
    auto key = readBlob(*blob);
    if (!key || key->type != blobType) {
        out.why = "its key is not a valid " + out.typeName + " key";
        return out;
    }
    out.key = std::move(key);
    return out;
}

std::string lowercase(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}


// OpenSSH's match_pattern_list for host names: 1 a pattern matches, 0 none does, -1 a
// negated one does (the line is then not the host's, whatever else it lists).
int matchPatternList(std::string_view name, std::string_view patterns)
{
    constexpr std::size_t kLongest = 1022;  // OpenSSH's buffer: a longer pattern matches nothing
    bool positive = false;
    std::size_t i = 0;
    while (i < patterns.size()) {
        bool negated = false;
        if (patterns[i] == '!') {
            negated = true;
            ++i;
        }
        const std::size_t end = std::min(patterns.find(',', i), patterns.size());
        if (end - i > kLongest)
            return 0;
        const std::string sub = lowercase(patterns.substr(i, end - i));
        i = end < patterns.size() ? end + 1 : end;
        if (sshPatternMatch(name, sub)) {
            if (negated)
                return -1;
            positive = true;
        }
    }
    return positive ? 1 : 0;
}

constexpr std::string_view kHashMagic = "|1|";

// OpenSSH's host_hash over an existing entry: the entry names `name` when hashing
// `name` with the entry's salt gives the entry back, character for character.
std::optional<bool> hashedNameMatches(std::string_view name, std::string_view entry)
{
    if (entry.substr(0, kHashMagic.size()) != kHashMagic)
        return std::nullopt;
    const std::string_view rest = entry.substr(kHashMagic.size());
    const std::size_t bar = rest.find('|');
    if (bar == std::string_view::npos || bar == 0 || bar > 1024)
        return std::nullopt;
    const auto salt = decodeBase64(rest.substr(0, bar));
    if (!salt || salt->size() != 20)
        return std::nullopt;
    return hashedKnownHostsName(name, *salt) == entry;
}

enum class Marker { None, CertAuthority, Revoked, Invalid };

// OpenSSH's check_markers: at most one marker, ended by a blank.
Marker readMarker(std::string_view &cp)
{
    Marker marker = Marker::None;
    while (!cp.empty() && cp.front() == '@') {
        if (marker != Marker::None)
            return Marker::Invalid;
        // OpenSSH ends the marker at the line's first space, else at its first tab.
        std::size_t sp = cp.find(' ');
        if (sp == std::string_view::npos)
            sp = cp.find('\t');
        if (sp == std::string_view::npos || sp <= 1 || sp >= 32)
            return Marker::Invalid;
        const std::string_view word = cp.substr(0, sp);
        if (word == "@cert-authority")
            marker = Marker::CertAuthority;
        else if (word == "@revoked")
            marker = Marker::Revoked;
        else
            return Marker::Invalid;
        cp.remove_prefix(sp);
        while (!cp.empty() && isBlank(cp.front()))
            cp.remove_prefix(1);
    }
    return marker;
}

struct Entry {
    KnownHostsLine where;
    Marker marker = Marker::None;
    PublicKey key;
};

struct Scan {
    std::vector<Entry> entries;       // the readable lines naming the host, in file order
    std::vector<UnreadLine> unread;
};

// Every line of every file that names `name` (lowercase), as OpenSSH's load_hostkeys.
Scan scanFiles(const std::vector<KnownHostsText> &files, std::string_view name)
{
    Scan scan;
    for (const auto &file : files) {
        std::string_view text = file.text;
        int number = 0;
        while (!text.empty()) {
            const std::size_t nl = text.find('\n');
            std::string_view line = text.substr(0, nl);
            text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
            ++number;
            // OpenSSH reads a line as a C string: nothing after a NUL byte counts.
            line = line.substr(0, line.find('\0'));
            while (!line.empty() && isBlank(line.front()))
                line.remove_prefix(1);
            if (line.empty() || line.front() == '#')
                continue;
            auto unread = [&](std::string why) { scan.unread.push_back({file.path, number, std::move(why)}); };
            const Marker marker = readMarker(line);
            if (marker == Marker::Invalid) {
                unread("its marker is neither @cert-authority nor @revoked");
                continue;
            }
            std::size_t hostsEnd = 0;
            while (hostsEnd < line.size() && !isBlank(line[hostsEnd]))
                ++hostsEnd;
            const std::string_view hosts = line.substr(0, hostsEnd);
            bool names = false;
            if (!hosts.empty() && hosts.front() == '|') {
                const auto hashed = hashedNameMatches(name, hosts);
                if (!hashed) {
                    unread("its hashed host name cannot be read");
                    continue;
                }
                names = *hashed;
            } else {
                names = matchPatternList(name, hosts) == 1;
            }
            if (!names)
                continue;
            std::string_view rest = line.substr(hostsEnd);
            while (!rest.empty() && isBlank(rest.front()))
                rest.remove_prefix(1);
            if (rest.empty() || rest.front() == '#') {
                unread("it ends before the key type");
                continue;
            }
            LineKey key = readLineKey(rest);
            if (!key.key) {
                unread(std::move(key.why));
                continue;
            }
            scan.entries.push_back({{file.path, number, std::move(key.typeName)}, marker, std::move(*key.key)});
        }
    }
    return scan;
}

// OpenSSH's check_key_in_hostkeys for a plain key, over the lines naming one name.
HostKeyJudgement judge(const Scan &scan, const PublicKey &presented)
{
    HostKeyJudgement j;
    std::vector<KnownHostsLine> others;
    bool sameTypeDiffers = false;
    for (const auto &e : scan.entries) {
        if (e.marker == Marker::CertAuthority)
            j.certAuthorities.push_back(e.where);
        if (e.marker != Marker::None || j.status == HostKeyStatus::Known)
            continue;
        if (e.key == presented) {
            j.status = HostKeyStatus::Known;
            j.deciding = {e.where};
        } else {
            others.push_back(e.where);
            sameTypeDiffers = sameTypeDiffers || e.key.type == presented.type;
        }
    }
    if (j.status != HostKeyStatus::Known && !others.empty()) {
        j.status = sameTypeDiffers ? HostKeyStatus::Changed : HostKeyStatus::OtherType;
        j.deciding = std::move(others);
    }
    // A revoked key is refused whatever else the files say of it.
    std::vector<KnownHostsLine> revoked;
    for (const auto &e : scan.entries)
        if (e.marker == Marker::Revoked && e.key == presented)
            revoked.push_back(e.where);
    if (!revoked.empty()) {
        j.status = HostKeyStatus::Revoked;
        j.deciding = std::move(revoked);
    }
    j.unread = scan.unread;
    return j;
}

} // namespace

std::string knownHostsName(const std::string &host, int port)
{
    return port == 22 ? host : "[" + host + "]:" + std::to_string(port);
}

std::string hashedKnownHostsName(std::string_view name, std::string_view salt)
{
    const QByteArray key(salt.data(), qsizetype(salt.size()));
    const QByteArray mac = QMessageAuthenticationCode::hash(QByteArray(name.data(), qsizetype(name.size())), key,
                                                            QCryptographicHash::Sha1);
    return std::string(kHashMagic) + key.toBase64().toStdString() + "|" + mac.toBase64().toStdString();
}

Result<HostKeyJudgement> judgeHostKey(const std::vector<KnownHostsText> &files, std::string_view host, int port,
                                      std::string_view presentedKeyBase64)
{
    const auto blob = decodeBase64(presentedKeyBase64);
    const auto presented = blob ? readBlob(*blob) : std::nullopt;
    if (!presented)
        return Error("the node's host key is of a kind PodPath cannot compare with known_hosts",
                     std::string(presentedKeyBase64.substr(0, 64)), "connect once with ssh to check it");

    const std::string plain = lowercase(host);
    HostKeyJudgement j = judge(scanFiles(files, knownHostsName(plain, port)), *presented);
    if (j.status != HostKeyStatus::Unknown || port == 22)
        return j;
    // Nothing names [host]:port: ssh then looks the key up under the bare host name, and
    // only a match there counts (a changed key there leaves the host unknown). A key
    // revoked there is refused here, which is stricter than ssh: it would ask.
    HostKeyJudgement bare = judge(scanFiles(files, plain), *presented);
    for (auto &u : bare.unread)
        if (std::none_of(j.unread.begin(), j.unread.end(),
                         [&](const UnreadLine &seen) { return seen.path == u.path && seen.line == u.line; }))
            j.unread.push_back(std::move(u));
    if (bare.status == HostKeyStatus::Known || bare.status == HostKeyStatus::Revoked) {
        j.status = bare.status;
        j.deciding = std::move(bare.deciding);
        j.withoutPort = bare.status == HostKeyStatus::Known;
    }
    if (j.certAuthorities.empty())
        j.certAuthorities = std::move(bare.certAuthorities);
    return j;
}

} // namespace podpath::remote
