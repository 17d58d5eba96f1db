#include "remote/ssh_config_hosts.h"
#include "remote/ssh_pattern.h"

#include "parse/text.h"
#include "remote/session_opener.h"
#include "remote/ssh_target.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include <glob.h>
#include <sys/stat.h>

namespace podpath::remote {

namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool sameKeyword(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

// OpenSSH's argv_split(..., terminate_on_comment = 1): blanks separate words, quotes
// group, a backslash escapes a quote, a backslash or (outside quotes) a blank, and an
// unquoted '#' at a word's start ends the line. nullopt: a quote is not closed.
std::optional<std::vector<std::string>> splitArguments(std::string_view s)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (blank(s[i])) {
            ++i;
            continue;
        }
        if (s[i] == '#')
            break;
        std::string word;
        char quote = 0;
        for (; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '\\' && i + 1 < s.size() &&
                (s[i + 1] == '\'' || s[i + 1] == '"' || s[i + 1] == '\\' || (quote == 0 && s[i + 1] == ' '))) {
                word += s[++i];
            } else if (quote == 0 && blank(c)) {
                break;
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else {
                word += c;
            }
        }
        if (quote != 0)
            return std::nullopt;
        out.push_back(std::move(word));
    }
    return out;
}

// Resolving options is patterns x aliases: both bounded, so a huge file stays quick.
constexpr std::size_t kMaxBlocks = 4096;
constexpr std::size_t kMaxHosts = 1024;
constexpr std::size_t kMaxPatterns = 8192;
constexpr std::size_t kMaxIncludes = 64;

bool isAlias(const std::string &pattern)
{
    return pattern.find_first_of("*?!") == std::string::npos && isValidHostName(pattern);
}

} // namespace

namespace {

// One Host or Match line and the options under it (the lines before the first one
// form a block that applies to every host).
struct Block {
    std::vector<std::string> patterns;
    bool everyHost = false;
    bool match = false;  // Match criteria need the connection itself: never applied here
    std::string hostName, user;
    std::optional<Port> port;
};


bool applies(const Block &b, const std::string &alias)
{
    if (b.everyHost)
        return true;
    if (b.match)
        return false;
    bool positive = false;
    for (const auto &p : b.patterns) {
        if (p.starts_with("!")) {
            if (sshPatternMatch(alias, std::string_view(p).substr(1)))
                return false;
        } else if (sshPatternMatch(alias, p)) {
            positive = true;
        }
    }
    return positive;
}

} // namespace

Result<SshConfigHosts> parseSshConfigHosts(std::string_view input)
{
    if (input.size() > text::kMaxInputBytes)
        return Error("the ssh config file is larger than " + std::to_string(text::kMaxInputBytes) + " bytes", {},
                     "name a smaller ssh config file", 0);
    SshConfigHosts out;
    std::set<std::string, std::less<>> seen;
    std::vector<Block> blocks(1);
    std::size_t patterns = 0;
    blocks.front().everyHost = true;
    text::LineReader lines(input);
    std::string_view line;
    while (lines.next(line)) {
        while (!line.empty() && text::isSpace(line.back()))
            line.remove_suffix(1);
        std::size_t i = 0;
        while (i < line.size() && blank(line[i]))
            ++i;
        std::size_t k = i;
        while (k < line.size() && !blank(line[k]) && line[k] != '=')
            ++k;
        const std::string_view keyword = line.substr(i, k - i);
        if (keyword.empty() || keyword.front() == '#')
            continue;
        while (k < line.size() && blank(line[k]))
            ++k;
        if (k < line.size() && line[k] == '=') {
            ++k;
            while (k < line.size() && blank(line[k]))
                ++k;
        }
        auto args = splitArguments(line.substr(k));
        if (!args) {
            out.unreadLines.push_back(lines.lineNumber());
            continue;
        }
        const bool opensBlock = sameKeyword(keyword, "host") || sameKeyword(keyword, "match");
        if (opensBlock && (blocks.size() > kMaxBlocks || out.hosts.size() >= kMaxHosts || patterns >= kMaxPatterns)) {
            out.truncated = true;
            break;
        }
        if (sameKeyword(keyword, "host")) {
            Block b;
            for (const auto &pattern : *args) {
                // No host name is longer than 253 characters, so neither is a pattern
                // that could take one (bar a run of '*').
                if (pattern.size() > 512)
                    continue;
                if (++patterns > kMaxPatterns) {
                    out.truncated = true;
                    break;
                }
                b.patterns.push_back(pattern);
            }
            for (const auto &pattern : b.patterns) {
                if (out.hosts.size() >= kMaxHosts) {
                    out.truncated = true;
                    break;
                }
                if (!isAlias(pattern) || !seen.insert(pattern).second)
                    continue;
                out.hosts.push_back({pattern, {}, {}, std::nullopt, lines.lineNumber()});
            }
            blocks.push_back(std::move(b));
        } else if (sameKeyword(keyword, "match")) {
            Block b;
            b.match = true;
            blocks.push_back(std::move(b));
        } else if (sameKeyword(keyword, "include")) {
            if (out.includes.size() >= kMaxIncludes)
                out.truncated = true;
            else if (!args->empty())
                out.includes.push_back({std::move(*args), lines.lineNumber()});
        } else if (!args->empty()) {
            // ssh takes the first value it reads for each option.
            Block &b = blocks.back();
            if (sameKeyword(keyword, "hostname") && b.hostName.empty())
                b.hostName = args->front();
            else if (sameKeyword(keyword, "user") && b.user.empty())
                b.user = args->front();
            else if (sameKeyword(keyword, "port") && !b.port)
                b.port = Port::parse(args->front());
        }
    }
    // What `ssh -G alias` would say, as far as this file decides it: every block whose
    // patterns take the alias, in file order, the first value of each option winning.
    for (auto &h : out.hosts) {
        for (const Block &b : blocks) {
            if (!applies(b, h.alias))
                continue;
            if (h.hostName.empty())
                h.hostName = b.hostName;
            if (h.user.empty())
                h.user = b.user;
            if (!h.port)
                h.port = b.port;
        }
    }
    return out;
}

namespace {

struct Loader {
    std::string home, includeDir;
    std::set<std::string, std::less<>> seen;
    std::vector<SshConfigHost> hosts;
    int files = 0;
    int globs = 0;

    static constexpr int kMaxDepth = 16;
    static constexpr int kMaxFiles = 256;
    static constexpr int kMaxGlobs = 1024;

    std::optional<std::string> read(const std::string &path)
    {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || std::uint64_t(st.st_size) > text::kMaxInputBytes)
            return std::nullopt;
        std::ifstream f(path, std::ios::binary);
        if (!f)
            return std::nullopt;
        std::ostringstream s;
        s << f.rdbuf();
        return std::move(s).str();
    }

    std::vector<std::string> expand(const std::string &pattern)
    {
        if (++globs > kMaxGlobs || files >= kMaxFiles)
            return {};
        std::string full = pattern;
        if (full.starts_with("~/"))
            full = home + full.substr(1);
        else if (!full.starts_with("/"))
            full = includeDir + "/" + full;
        std::vector<std::string> out;
        glob_t g{};
        if (::glob(full.c_str(), 0, nullptr, &g) == 0)
            for (std::size_t i = 0; i < g.gl_pathc; ++i)
                out.emplace_back(g.gl_pathv[i]);
        ::globfree(&g);
        return out;
    }

    void load(const std::string &path, int depth)
    {
        if (depth > kMaxDepth || files >= kMaxFiles)
            return;
        ++files;
        auto text = read(path);
        if (!text)
            return;
        auto parsed = parseSshConfigHosts(*text);
        if (!parsed.ok())
            return;
        // Interleaved by line: an included file's aliases come where its Include stands.
        auto include = parsed->includes.begin();
        auto takeIncludesBefore = [&](int line) {
            for (; include != parsed->includes.end() && include->line < line; ++include)
                for (const auto &pattern : include->patterns)
                    for (const auto &file : expand(pattern))
                        load(file, depth + 1);
        };
        for (auto &h : parsed->hosts) {
            takeIncludesBefore(h.line);
            if (seen.insert(h.alias).second)
                hosts.push_back(std::move(h));
        }
        takeIncludesBefore(std::numeric_limits<int>::max());
    }
};

} // namespace

std::vector<SshConfigHost> loadSshConfigHosts(const std::string &path, const std::string &homeDir,
                                              const std::string &includeDir)
{
    Loader l{homeDir, includeDir, {}, {}, 0, 0};
    l.load(path, 0);
    return std::move(l.hosts);
}

std::string defaultUserSshConfig() { return userHomeDir() + "/.ssh/config"; }

} // namespace podpath::remote
