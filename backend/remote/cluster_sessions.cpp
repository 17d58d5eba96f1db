#include "remote/cluster_sessions.h"

#include "core/bounded_file.h"
#include "remote/replay_node_shell.h"
#include "remote/ssh_node_shell.h"

#include <algorithm>
#include <filesystem>

namespace podpath::remote {

Result<std::vector<std::string>> parseNodeList(std::string_view text, const std::string &source)
{
    std::vector<std::string> out;
    int line = 0;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view l = text.substr(at, nl - at);
        at = nl + 1;
        ++line;
        while (!l.empty() && (l.front() == ' ' || l.front() == '\t' || l.front() == '\r'))
            l.remove_prefix(1);
        while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r'))
            l.remove_suffix(1);
        if (l.empty() || l.front() == '#')
            continue;
        // A space or a control character inside is two nodes on a line, or not a name at all.
        const bool oneWord = std::none_of(l.begin(), l.end(), [](char c) {
            return c == ' ' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
        });
        if (!oneWord || l.size() > 1024)
            return Error{"one node per line, as [user@]host[:port] or an ssh config alias", source,
                         "write each node on a line of its own", line};
        out.emplace_back(l);
    }
    return out;
}

std::vector<ClusterNode> connectCluster(const std::vector<std::pair<std::string, SshTarget>> &targets,
                                        SshPrompter *prompter, std::size_t atOnce,
                                        const std::function<void(std::size_t, std::size_t)> &progress)
{
    std::vector<ClusterNode> out;
    std::vector<std::unique_ptr<SshNodeShell>> ssh;
    for (const auto &[host, target] : targets) {
        out.push_back({host, nullptr, {}});
        ssh.push_back(std::make_unique<SshNodeShell>(target, prompter));
    }
    atOnce = std::max<std::size_t>(atOnce, 1);
    for (std::size_t from = 0; from < ssh.size(); from += atOnce) {
        const std::size_t to = std::min(ssh.size(), from + atOnce);
        std::vector<std::shared_ptr<SshWorker::ConnectResult>> pending;
        for (std::size_t i = from; i < to; ++i)
            pending.push_back(ssh[i]->connectToNode());
        for (std::size_t i = from; i < to; ++i) {
            if (const auto &r = pending[i - from]->get(); r.ok())
                out[i].shell = std::move(ssh[i]);
            else
                out[i].error = r.error().oneLine();
        }
        if (progress)
            progress(to, ssh.size());
    }
    return out;
}

std::string clusterNodeFile(const std::string &dir, std::size_t index)
{
    return dir + "/node-" + std::to_string(index + 1) + ".json";
}

std::string clusterListText(const std::vector<std::string> &hosts)
{
    std::string list = "# podpath matrix --record: the nodes in order; node-N.json is the Nth one's session\n";
    for (const auto &h : hosts)
        list += h + "\n";
    return list;
}

Result<std::vector<ClusterNode>> loadClusterRecording(const std::string &dir)
{
    const std::string listFile = dir + "/nodes.txt";
    auto text = readFileBounded(listFile, 1024 * 1024, "the recording's node list",
                                "open a folder written by podpath matrix --record");
    if (!text.ok())
        return text.error();
    auto hosts = parseNodeList(*text, listFile);
    if (!hosts.ok())
        return hosts.error();
    std::vector<ClusterNode> out;
    for (std::size_t i = 0; i < hosts->size(); ++i) {
        ClusterNode n{(*hosts)[i], nullptr, {}};
        const std::string file = clusterNodeFile(dir, i);
        std::error_code ec;
        if (!std::filesystem::exists(file, ec)) {
            n.error = "not reached when the matrix was recorded";
        } else {
            auto rec = ReplayNodeShell::loadRecording(file);
            if (!rec.ok())
                return rec.error();
            n.shell = std::make_unique<ReplayNodeShell>(std::move(rec).value());
        }
        out.push_back(std::move(n));
    }
    return out;
}

} // namespace podpath::remote
