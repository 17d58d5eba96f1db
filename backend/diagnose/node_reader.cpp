#include "node_reader.h"

#include "finding_codes.h"
#include "topology.h"
#include "parse/iptables_save.h"
#include "parse/text.h"
#include "remote/privilege_probe.h"

#include <ctime>

namespace podpath::diagnose {

using remote::RemoteCommand;

namespace {

Error nodeError(const NodeAccess &n, std::string message, std::string next, std::string code = {})
{
    return Error{std::move(message), roleName(n.role), std::move(next), 0, std::move(code)};
}

bool ran(const Result<remote::CommandResult> &r) { return r.ok() && r->exitStatus == 0 && !r->timedOut; }

// Why a command gave nothing to read, as the end of "`cmd` ...": never empty.
std::string failureReason(const Result<remote::CommandResult> &r)
{
    if (!r.ok())
        return r.error().message == kNotRunNodeSilent ? "was not run: the node had stopped answering"
               : CommandLog::nodeWentDark(r.error()) ? "got no answer (the node stopped answering)"
                                                     : "failed: " + r.error().oneLine();
    if (r->timedOut)
        return r->exitStatus ? "ran out of time on the node" : "got no answer (the node stopped answering)";
    if (!r->exitStatus)
        return "was stopped before it finished";
    if (*r->exitStatus == 127)
        return "is not installed";
    const std::string said(text::firstLine(r->err));
    return "exited with status " + std::to_string(*r->exitStatus) + (said.empty() ? "" : ": " + said);
}

// Syslog and klog stamps carry no year: the logs read are the latest, so this year's.
// (A line from late December read in early January lands a year ahead and counts as
// recent; the window is a filter for the reader, not a verdict.)
int currentYear()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

// The first command of each read: what the read-ahead fetches is what the reads ask.
RemoteCommand hostnameCommand() { return RemoteCommand("uname").flag("-n"); }
RemoteCommand sshConnectionCommand() { return RemoteCommand("printenv").flag("SSH_CONNECTION"); }
RemoteCommand clockCommand() { return RemoteCommand("date").flag("+%s%n%z"); }
RemoteCommand addressesCommand() { return RemoteCommand("ip").flag("-d").flag("-j").flag("addr").flag("show"); }
RemoteCommand routesCommand() { return RemoteCommand("ip").flag("-j").flag("route").flag("show"); }
RemoteCommand neighboursCommand() { return RemoteCommand("ip").flag("-j").flag("neigh").flag("show"); }
RemoteCommand fdbCommand() { return RemoteCommand("bridge").flag("-j").flag("fdb").flag("show"); }
RemoteCommand tcpdumpVersionCommand() { return RemoteCommand("tcpdump").flag("--version"); }
RemoteCommand iptablesVersionCommand() { return RemoteCommand("iptables").flag("-V"); }
RemoteCommand tailCommand(std::uint64_t lines, const remote::RemotePath &path)
{
    return RemoteCommand("tail").flag("-n").arg(*remote::Count::of(lines)).arg(path);
}
// The kubelet's systemd units as the distributions name them: kubeadm's kubelet, k3s
// (server and agent run the kubelet inside), RKE2, MicroK8s' kubelite. journalctl takes
// them all at once and prints nothing for a unit the node does not have.
RemoteCommand journalCommand()
{
    return RemoteCommand("journalctl")
        .flag("-u").flag("kubelet")
        .flag("-u").flag("k3s")
        .flag("-u").flag("k3s-agent")
        .flag("-u").flag("rke2-server")
        .flag("-u").flag("rke2-agent")
        .flag("-u").flag("snap.microk8s.daemon-kubelite")
        .flag("--no-pager").flag("-n").arg(*remote::Count::of(1000));
}
// Where a kubelet without a journal writes: kubeadm-style hosts, RKE2's agent.
constexpr const char *kKubeletLogFiles[] = {"/var/log/kubelet.log", "/var/lib/rancher/rke2/agent/logs/kubelet.log"};

struct LogFileCandidate {
    const char *name;
    std::vector<const char *> paths;
    parse::LogComponent component;
};

const std::vector<LogFileCandidate> &calicoLogFiles()
{
    static const std::vector<LogFileCandidate> files = {
        {"felix", {"/var/log/calico/felix/current", "/var/log/calico/felix.log"}, parse::LogComponent::Felix},
        {"bird", {"/var/log/calico/bird/current"}, parse::LogComponent::Bird},
        {"confd", {"/var/log/calico/confd/current"}, parse::LogComponent::Confd},
    };
    return files;
}

} // namespace

NodeReader::NodeReader(NodeAccess node, std::string host) : m_node(node)
{
    m_node.readAhead = &m_ahead;
    m_reading.snapshot.host = std::move(host);
}

Result<void> NodeReader::readAheadDiscovery(const TaskContext &ctx, bool withFirewall)
{
    std::vector<AheadRead> reads = {{hostnameCommand(), false},   {sshConnectionCommand(), false},
                                    {clockCommand(), false},      {addressesCommand(), false},
                                    {routesCommand(), false},     {neighboursCommand(), false},
                                    {fdbCommand(), false},        {tcpdumpVersionCommand(), true}};
    if (withFirewall)
        reads.push_back({iptablesVersionCommand(), false});
    m_ahead.fetch(m_node.shell, ctx, reads, 5);
    return {};  // whatever did not come back is read on its own
}

Result<void> NodeReader::readIdentity(const TaskContext &ctx)
{
    auto name = runOn(m_node, ctx, "identity", hostnameCommand(), false);
    if (!name.ok())
        return name.error();
    m_reading.snapshot.hostname = std::string(text::firstLine(name->out));
    // "client_ip client_port server_ip server_port": the node's address this session
    // reached, the best witness of which address is the node's own.
    auto conn = runOn(m_node, ctx, "identity", sshConnectionCommand(), false);
    if (conn.ok()) {
        auto words = text::words(conn->out);
        if (words.size() >= 3)
            m_reading.snapshot.sshLocalAddress = Ipv4::parse(words[2]);
    }
    switch (m_node.shell.info().privilege) {
    case remote::Privilege::Root: m_reading.privilege = "root"; break;
    case remote::Privilege::SudoNoPassword: m_reading.privilege = "sudo"; break;
    case remote::Privilege::SudoPassword: m_reading.privilege = "sudo-password"; break;
    case remote::Privilege::SudoRestricted: m_reading.privilege = "sudo-restricted"; break;
    case remote::Privilege::None: m_reading.privilege = "none"; break;
    case remote::Privilege::Unknown: m_reading.privilege = "unknown"; break;
    }
    if (m_reading.privilege == "none") {
        // The connection's own words for it, so both say the same and advise the sudoers
        // line README documents.
        const Error e = remote::rootUnavailable(m_node.shell.info().user + "@" + m_reading.snapshot.host,
                                                remote::PrivilegeState{}, {"tcpdump", "iptables", "ipset"});
        return nodeError(m_node, e.message, e.nextStep, std::string(kNoPrivilege.name()));
    }
    return {};
}

Result<void> NodeReader::readClock(const TaskContext &ctx)
{
    const std::int64_t before = std::int64_t(std::time(nullptr));
    auto clock = runOn(m_node, ctx, "identity", clockCommand(), false);
    if (ran(clock)) {
        const auto words = text::words(clock->out);
        if (!words.empty())
            if (auto epoch = text::toSigned<std::int64_t>(words[0])) {
                m_reading.clockOffsetSeconds = *epoch - (before + std::int64_t(std::time(nullptr))) / 2;
                m_reading.clockEpoch = *epoch;
            }
        // "+0530", "-0800"; a `date` without %z prints it back as written and is ignored.
        if (words.size() >= 2 && words[1].size() == 5 && (words[1][0] == '+' || words[1][0] == '-'))
            if (auto hhmm = text::toUnsigned<unsigned>(words[1].substr(1)); hhmm && *hhmm % 100 < 60 && *hhmm / 100 < 24)
                m_reading.utcOffsetSeconds = (words[1][0] == '-' ? -1 : 1) * std::int64_t(*hhmm / 100 * 3600 + *hhmm % 100 * 60);
    }
    return {};  // without it the window is cut on PodPath's clock
}

Result<void> NodeReader::readNetns(const TaskContext &ctx)
{
    // Unprivileged: /var/run/netns is world-readable. Without it the pod's namespace is
    // not named and nothing is sent from inside it; the pod checks say so.
    auto list = runOn(m_node, ctx, "pods", RemoteCommand("ip").flag("netns").flag("list"), false);
    if (ran(list))
        m_reading.netns = parse::parseIpNetnsList(list->out);
    return {};
}

Result<void> NodeReader::readAddresses(const TaskContext &ctx)
{
    // iproute2 before 4.13 has no -j; BusyBox's `ip` has neither -j nor -d, and its plain
    // form lacks the tunnel's kind, VNI and port (the link type still tells VXLAN).
    const RemoteCommand forms[] = {addressesCommand(), RemoteCommand("ip").flag("-d").flag("addr").flag("show"),
                                   RemoteCommand("ip").flag("addr").flag("show")};
    std::optional<Result<remote::CommandResult>> last;
    std::optional<Error> unparsed;
    for (const RemoteCommand &form : forms) {
        last = runOn(m_node, ctx, "addresses", form, false);
        if (!ran(*last)) {
            if (!last->ok() && &form != &forms[0])
                return last->error();
            if (last->ok() && last->value().exitStatus == 127)
                break;  // no `ip` at all: no other form will do
            continue;
        }
        auto parsed = parse::parseIpAddr(last->value().out);
        if (!parsed.ok()) {
            unparsed = parsed.error();
            continue;
        }
        m_reading.snapshot.interfaces = std::move(parsed->interfaces);
        m_reading.snapshot.interfacesUnreadable = std::move(parsed->unreadable);
        return {};
    }
    if (unparsed)
        return nodeError(m_node, "could not read `ip addr` of " + m_reading.snapshot.host + ": " + unparsed->oneLine(),
                         "report this output to PodPath's developers (it is in the report)");
    return nodeError(m_node, "`ip addr` on " + m_reading.snapshot.host + " " + failureReason(*last),
                     "check that iproute2 is installed on the node");
}

Result<void> NodeReader::readRoutes(const TaskContext &ctx)
{
    auto json = runOn(m_node, ctx, "routes", routesCommand(), false);
    std::optional<parse::RouteTable> table;
    if (ran(json))
        if (auto parsed = parse::parseIpRoute(json->out); parsed.ok())
            table = std::move(parsed).value();
    if (!table) {
        auto text = runOn(m_node, ctx, "routes", RemoteCommand("ip").flag("route").flag("show"), false);
        auto parsed = text.ok() ? parse::parseIpRoute(text->out) : Result<parse::RouteTable>(text.error());
        if (!ran(text) || !parsed.ok()) {
            // The checks of this node's routes become unknown; the rest of the
            // diagnosis needs the peer's routes, not these.
            m_reading.snapshot.routesProblem =
                !text.ok()         ? "`ip route` could not be read (" + text.error().oneLine() + ")"
                : !ran(text)       ? "`ip route` " + failureReason(text)
                                   : "`ip route` printed what PodPath cannot read (" + parsed.error().oneLine() + ")";
            return {};
        }
        table = std::move(parsed).value();
    }
    m_reading.snapshot.routes = std::move(*table);
    return {};
}

Result<void> NodeReader::readRoutes6(const TaskContext &ctx)
{
    std::string why;
    for (const RemoteCommand &form : {RemoteCommand("ip").flag("-j").flag("-6").flag("route").flag("show"),
                                      RemoteCommand("ip").flag("-6").flag("route").flag("show")}) {
        auto r = runOn(m_node, ctx, "routes", form, false);
        if (!ran(r)) {
            why = !r.ok() ? "`ip -6 route` could not be read (" + r.error().oneLine() + ")" : "`ip -6 route` " + failureReason(r);
            continue;
        }
        auto parsed = parse::parseIpRoute(r->out);
        if (!parsed.ok()) {
            why = "`ip -6 route` printed what PodPath cannot read (" + parsed.error().oneLine() + ")";
            continue;
        }
        // Only the IPv6 routes: an old `ip` that ignored -6 printed IPv4 ones too.
        m_reading.snapshot.routes.routes6 = std::move(parsed->routes6);
        m_reading.snapshot.routes6Problem.clear();
        return {};
    }
    m_reading.snapshot.routes6Problem = why;
    return {};
}

Result<void> NodeReader::readWireguard(const TaskContext &ctx, const std::string &device)
{
    const auto name = InterfaceName::parse(device);
    if (!name) {
        m_reading.wireguardProblem = "the WireGuard device's name cannot be used in a command";
        return {};
    }
    auto r = runOn(m_node, ctx, "wireguard", RemoteCommand("wg").flag("show").arg(*name), true, 5);
    if (!ran(r)) {
        m_reading.wireguardProblem = !r.ok() ? "`wg show` could not be read (" + r.error().oneLine() + ")"
                                             : "`wg show " + device + "` " + failureReason(r);
        return {};
    }
    auto parsed = parse::parseWgShow(r->out);
    if (!parsed.ok()) {
        m_reading.wireguardProblem = "`wg show " + device + "` printed what PodPath cannot read (" + parsed.error().oneLine() + ")";
        return {};
    }
    m_reading.wireguard = std::move(parsed).value();
    return {};
}

Result<void> NodeReader::readNeighbours(const TaskContext &ctx)
{
    // Neighbours and FDB matter in VXLAN mode only; their absence is judged there.
    // `bridge` lives in /sbin on Debian, outside a non-root user's PATH: a command the
    // login cannot find is asked again as root.
    auto read = [&](const RemoteCommand &cmd) {
        auto r = runOn(m_node, ctx, "routes", cmd, false);
        if (r.ok() && r->exitStatus == 127)
            r = runOn(m_node, ctx, "routes", cmd, true);
        return r;
    };
    // Fills `table` from the first of `forms` (-j, then the text BusyBox and old iproute2
    // print) that reads, or says in `problem` why none did.
    auto readTable = [&](std::initializer_list<RemoteCommand> forms, const std::string &name, auto parse,
                         auto &table, std::string &problem) {
        for (const RemoteCommand &form : forms) {
            auto r = read(form);
            problem = "`" + name + "` could not be read";
            if (!ran(r)) {
                problem = "`" + name + "` " + failureReason(r);
                if (!r.ok() || r->exitStatus == 127 || r->timedOut)
                    return;
                continue;
            }
            if (auto parsed = parse(r->out); parsed.ok()) {
                table = std::move(parsed).value();
                problem.clear();
                return;
            }
        }
    };
    NodeSnapshot &snap = m_reading.snapshot;
    parse::NeighbourTable neighbours;
    parse::FdbTable fdb;
    readTable({neighboursCommand(), RemoteCommand("ip").flag("neigh").flag("show")}, "ip neigh", parse::parseIpNeigh,
              neighbours, snap.neighboursProblem);
    readTable({fdbCommand(), RemoteCommand("bridge").flag("fdb").flag("show")}, "bridge fdb", parse::parseBridgeFdb,
              fdb, snap.fdbProblem);
    snap.neighbours = std::move(neighbours.neighbours);
    snap.neighboursUnreadable = std::move(neighbours.unreadable);
    snap.fdb = std::move(fdb.entries);
    snap.fdbUnreadable = std::move(fdb.unreadable);
    return {};
}

Result<void> NodeReader::readTools(const TaskContext &ctx)
{
    // As root: tcpdump lives in /usr/sbin on many distributions, outside a user's PATH.
    auto r = runOn(m_node, ctx, "tools", tcpdumpVersionCommand(), true);
    if (!r.ok() || r->timedOut) {
        m_reading.tcpdumpUnread = r.ok() ? nodeError(m_node, "`tcpdump --version` ran out of time", {}) : r.error();
        return {};
    }
    const std::string all = r->out + r->err;
    auto pos = all.find("tcpdump version ");
    m_reading.hasTcpdump = r->exitStatus == 0 && pos != std::string::npos;
    if (m_reading.hasTcpdump) {
        m_reading.tcpdumpVersion = std::string(text::firstLine(std::string_view(all).substr(pos + 16)));
        return {};
    }
    // 127: the shell (or `timeout`, which wraps every command) found no such program;
    // sudo says "command not found" with its own status.
    MissingTool missing;
    missing.tool = "tcpdump";
    missing.installed = r->exitStatus != 127 && all.find("not found") == std::string::npos &&
                        all.find("No such file") == std::string::npos;
    std::string answer = "[root] " + tcpdumpVersionCommand().toString() + ": exit " +
                         std::to_string(r->exitStatus.value_or(-1));
    if (!text::firstLine(all).empty())
        answer += ": " + std::string(text::firstLine(all));
    missing.evidence.push_back(std::move(answer));
    m_reading.tcpdumpMissing = std::move(missing);
    return {};
}

std::string missingToolSentence(const MissingTool &m, const std::string &node)
{
    return m.tool + (m.installed ? " does not run on " : " is not installed on ") + node;
}

std::string missingToolNextStep(const MissingTool &m, const std::string &node)
{
    if (m.installed)
        return "On " + node + ", run `" + m.tool + " --version` as root and repair what it says (reinstall the " +
               m.tool + " package if it cannot start)";
    return "Install " + m.tool + " on " + node + " (apt-get install " + m.tool + ", or dnf install " + m.tool +
           "), then diagnose again";
}

Result<void> NodeReader::readIptables(const TaskContext &ctx, bool afterBurst)
{
    FirewallReadings &fw = m_reading.firewall;
    std::string why;
    auto read = [&](remote::RemoteCommand cmd) -> std::optional<parse::IptablesSnapshot> {
        auto r = runOn(m_node, ctx, afterBurst ? "firewall after" : "firewall before", cmd, true);
        if (!ran(r)) {
            why = "`" + cmd.toString() + "` " + failureReason(r);
            if (!afterBurst)
                m_firewallTried.push_back(why);
            return std::nullopt;
        }
        auto parsed = parse::parseIptablesSave(r->out);
        if (!parsed.ok())
            why = "`" + cmd.toString() + "` could not be read: " + parsed.error().oneLine();
        else if (!afterBurst)
            why = "`" + cmd.toString() + "` shows no Calico chains";
        if (!afterBurst)
            m_firewallTried.push_back(why);
        return parsed.ok() ? std::optional(std::move(parsed).value()) : std::nullopt;
    };
    auto hasCalico = [](const parse::IptablesSnapshot &s) {
        for (const auto &t : s.tables)
            for (const auto &c : t.chains)
                if (c.name.starts_with("cali-"))
                    return true;
        return false;
    };
    // The backend seen before the burst is read again after it, so the two compare.
    if (afterBurst) {
        if (fw.backend == "iptables-legacy")
            fw.iptablesAfter = read(RemoteCommand("iptables-legacy-save").flag("-c"));
        else if (fw.backend != "nftables")
            fw.iptablesAfter = read(RemoteCommand("iptables-save").flag("-c"));
        if (fw.iptablesBefore && !fw.iptablesAfter && fw.backend != "nftables")
            fw.afterProblem = why;
        return {};
    }
    fw.iptablesBefore = read(RemoteCommand("iptables-save").flag("-c"));
    if (fw.iptablesBefore && hasCalico(*fw.iptablesBefore)) {
        auto v = runOn(m_node, ctx, "firewall before", iptablesVersionCommand(), false);
        fw.backend = v.ok() && v->out.find("legacy") != std::string::npos ? "iptables-legacy" : "iptables-nft";
        return {};
    }
    // Calico may have written its rules with the other iptables: iptables-nft warns
    // about legacy tables, and a legacy host has no nft at all.
    if (!fw.iptablesBefore || fw.iptablesBefore->legacyTablesPresent) {
        if (auto legacy = read(RemoteCommand("iptables-legacy-save").flag("-c")); legacy && hasCalico(*legacy)) {
            fw.iptablesBefore = std::move(legacy);
            fw.backend = "iptables-legacy";
            return {};
        }
    }
    return {};
}

namespace {

// Felix in eBPF mode makes a veth pair for its NAT and host traffic: bpfin.cali and
// bpfout.cali (bpfnatin / bpfnatout before 3.24). It keeps cali- iptables chains too
// (projectcalico/calico#6522), so the devices, not the absence of rules, tell the mode.
std::string ebpfDevicesOf(const NodeSnapshot &node)
{
    std::vector<std::string> seen;
    for (const auto &i : node.interfaces)
        if (i.name == "bpfin.cali" || i.name == "bpfout.cali" || i.name == "bpfnatin" || i.name == "bpfnatout")
            seen.push_back(i.name);
    if (seen.empty())
        return {};
    std::string out;
    for (std::size_t k = 0; k < seen.size(); ++k)
        out += (k == 0 ? "" : k + 1 == seen.size() ? " and " : ", ") + seen[k];
    return out + (seen.size() == 1 ? " is" : " are") + " present";
}

} // namespace

Result<void> NodeReader::readFirewall(const TaskContext &ctx, bool afterBurst)
{
    FirewallReadings &fw = m_reading.firewall;
    if (!afterBurst) {
        fw.ebpfEvidence = ebpfDevicesOf(m_reading.snapshot);
        if (!fw.ebpfEvidence.empty()) {
            fw.backend = "ebpf";
            return {};
        }
    } else if (fw.backend == "ebpf") {
        return {};
    }
    // The port the node's rules guard is its tunnel device's, the device the topology
    // found from the routes (whatever it is named), as the diagram and capture use it.
    if (const int port = nodeFacts(m_reading.snapshot).vxlanPort; port > 0)
        fw.vxlanPort = std::uint16_t(port);
    if (!afterBurst || fw.backend != "nftables")
        if (auto r = readIptables(ctx, afterBurst); !r.ok())
            return r;
    if (!afterBurst && !fw.backend.empty())
        return {};
    if (afterBurst && fw.backend != "nftables")
        return {};
    // nftables mode: Calico's rules live in `table ip calico`.
    auto r = runOn(m_node, ctx, afterBurst ? "firewall after" : "firewall before",
                   RemoteCommand("nft").flag("list").flag("ruleset"), true);
    std::string nftSaid = "shows no Calico table";
    if (ran(r)) {
        if (auto parsed = parse::parseNftRuleset(r->out); !parsed.ok()) {
            nftSaid = "could not be read: " + parsed.error().oneLine();
        } else {
            bool calico = false;
            for (const auto &t : parsed->tables)
                calico = calico || t.name == "calico" || t.name.starts_with("calico");
            if (afterBurst) {
                fw.nftAfter = std::move(parsed).value();
                return {};
            } else if (calico) {
                fw.nftBefore = std::move(parsed).value();
                fw.backend = "nftables";
            }
        }
    }
    if (afterBurst) {
        fw.afterProblem = "`nft list ruleset` " + (r.ok() && ran(r) ? std::string("could not be read") : failureReason(r));
        return {};
    }
    if (!afterBurst && fw.backend.empty()) {
        // eBPF mode keeps its state in pinned maps, not in rules.
        auto bpf = runOn(m_node, ctx, "firewall before", RemoteCommand("ls").flag("/sys/fs/bpf/tc/globals"), true);
        if (ran(bpf) && bpf->out.find("cali_") != std::string::npos) {
            fw.backend = "ebpf";
            fw.ebpfEvidence = "Calico's BPF maps are pinned under /sys/fs/bpf/tc/globals";
        }
        else if (!fw.iptablesBefore) {
            // Say what each dump answered: "nft failed" where nft ran fine and showed no
            // Calico table would send the reader after the wrong tool.
            m_firewallTried.push_back("`nft list ruleset` " + (ran(r) ? nftSaid : failureReason(r)));
            std::string tried;
            for (const auto &t : m_firewallTried)
                tried += (tried.empty() ? "" : "; ") + t;
            fw.problem = "could not read the firewall: " + tried + " (the commands and what the node answered are in "
                         "the report)";
        }
    }
    return {};
}

namespace {

// An nft set of addresses read as the ipset it replaces, so one check judges both: each
// element's prefixes are members (a range is the prefixes that make it up); an element
// that is no address is a line that could not be read, as in an ipset listing.
parse::IpsetList hostsSetsOf(const parse::NftRuleset &rs)
{
    parse::IpsetList out;
    for (const auto &t : rs.tables) {
        if (!t.name.starts_with("calico"))
            continue;
        for (const auto &set : t.sets) {
            if (!set.holdsIpv4())
                continue;
            parse::Ipset s;
            s.name = set.name;
            s.type = set.type;
            s.header = "nft set in table " + t.family + " " + t.name;
            for (const auto &f : set.flags)
                s.header += ", " + f;
            s.membersListed = true;
            s.line = set.line;
            for (const auto &e : set.elements)
                for (const auto &p : e.prefixes)
                    s.members.push_back(parse::IpsetMember{e.key, {}, p, std::nullopt, false, set.line});
            // An element the parser could not read is its skipped line, said once, where it stands.
            const std::string mine = "nft set " + set.name + ":";
            for (const auto &e : rs.unreadable)
                if (e.message.starts_with(mine))
                    out.unreadable.push_back(e);
            s.numberOfEntries = s.members.size();
            out.sets.push_back(std::move(s));
        }
    }
    return out;
}

} // namespace

Result<void> NodeReader::readIpsets(const TaskContext &ctx, Encapsulation mode)
{
    FirewallReadings &fw = m_reading.firewall;
    if (fw.backend == "ebpf")
        return {};  // eBPF mode keeps its hosts in maps, not sets
    if (fw.backend == "nftables") {
        // nftables mode keeps the hosts sets in Calico's table, read with the rules
        // before the burst: the members the burst met.
        if (fw.nftBefore)
            fw.ipsets = hostsSetsOf(*fw.nftBefore);
        return {};
    }
    // Only the set(s) that matter: Calico's other sets list every pod and can be huge.
    std::string name = hostsSetName(fw, mode);
    bool installed = true;
    auto readSet = [&](const remote::Word &set) -> std::optional<parse::IpsetList> {
        auto r = runOn(m_node, ctx, "ipset", RemoteCommand("ipset").flag("list").arg(set), true);
        installed = installed && !(r.ok() && r->exitStatus == 127);
        if (!ran(r))
            return std::nullopt;
        auto parsed = parse::parseIpsetList(r->out);
        return parsed.ok() ? std::optional(std::move(parsed).value()) : std::nullopt;
    };
    // The rules named the set: read it at once. Only when that fails is the list of
    // sets asked, to tell a missing set from an ipset that cannot be read.
    if (auto word = remote::Word::parse(name))
        if (auto direct = readSet(*word)) {
            fw.ipsets = std::move(*direct);
            return {};
        }
    const std::string node = m_reading.snapshot.hostname.empty() ? m_reading.snapshot.host : m_reading.snapshot.hostname;
    if (!installed) {
        fw.ipsetProblem = "ipset is not installed on " + node + " (install the ipset package to check the hosts set)";
        return {};
    }
    auto names = runOn(m_node, ctx, "ipset", RemoteCommand("ipset").flag("list").flag("-n"), true);
    if (!ran(names)) {
        fw.ipsetProblem = names.ok() && names->exitStatus == 127 ? "ipset is not installed on " + node +
                                                           " (install the ipset package to check the hosts set)"
                                                     : "`ipset list -n` " + failureReason(names);
        return {};
    }
    std::vector<std::string> wanted;
    for (auto line : text::words(names->out)) {
        std::string n(line);
        if (n == name || (name.empty() && (n == "cali40all-hosts-net" || n == "felix-calico-hosts-4" ||
                                           n == "cali40all-vxlan-net")))
            wanted.push_back(n);
    }
    parse::IpsetList all;
    for (const auto &n : wanted) {
        if (n == name)
            continue;  // read above, and it failed
        if (auto word = remote::Word::parse(n))
            if (auto one = readSet(*word)) {
                for (auto &s : one->sets)
                    all.sets.push_back(std::move(s));
                for (auto &e : one->unreadable)
                    all.unreadable.push_back(std::move(e));
            }
    }
    fw.ipsets = std::move(all);
    return {};
}

Result<void> NodeReader::readLogs(const TaskContext &ctx, Encapsulation mode)
{
    // Where the logs usually are, fetched at once; the other places are tried after.
    std::vector<AheadRead> ahead;
    for (const auto &c : calicoLogFiles())
        ahead.push_back({tailCommand(2000, *remote::RemotePath::parse(c.paths.front())), true});
    ahead.push_back({journalCommand(), true});
    ahead.push_back({tailCommand(1000, *remote::RemotePath::parse(kKubeletLogFiles[0])), true});
    m_ahead.fetch(m_node.shell, ctx, ahead, 8);

    LogReadings &logs = m_reading.logs;
    logs = {};  // read again (the wizard's step may run twice): fresh, not appended
    for (const auto &c : calicoLogFiles()) {
        LogSource src;
        src.name = c.name;
        for (const char *p : c.paths) {
            auto path = remote::RemotePath::parse(p);
            auto r = runOn(m_node, ctx, "logs", tailCommand(2000, *path), true);
            if (!ran(r)) {
                src.problem = r.ok() && !text::firstLine(r->err).empty() ? std::string(text::firstLine(r->err)) : "`tail` " + failureReason(r);
                continue;
            }
            parse::CalicoLogOptions opts;
            opts.defaultComponent = c.component;
            opts.year = currentYear();
            if (auto parsed = parse::parseCalicoLog(r->out, opts); parsed.ok()) {
                src.location = p;
                src.log = std::move(parsed).value();
                src.problem.clear();
                break;
            }
        }
        if (src.log || mode != Encapsulation::Vxlan || src.name == "felix")
            logs.sources.push_back(std::move(src));
    }
    bool anyFile = std::any_of(logs.sources.begin(), logs.sources.end(), [](const auto &s) { return s.log.has_value(); });
    if (!anyFile) {
        // Operator and manifest installs log to stdout: the kubelet keeps it under
        // /var/log/pods/NAMESPACE_POD_UID/calico-node/N.log (N counts restarts), the pod
        // being calico-node-ID, or canal-ID (rke2-canal-ID) where Canal runs Calico beside
        // flannel: the container's name is what they share.
        auto found = runOn(m_node, ctx, "logs",
                           RemoteCommand("find").flag("/var/log/pods").flag("-mindepth").flag("3").flag("-maxdepth").flag("3")
                               .flag("-type").flag("f"),
                           true);
        std::string newest;
        long newestRestart = -1;
        if (found.ok())
            for (auto line : text::words(found->out)) {
                // Filtered here: the node gets no glob pattern from PodPath.
                if (line.find("/calico-node/") == std::string_view::npos || !text::endsWith(line, ".log"))
                    continue;
                const auto slash = line.rfind('/');
                const auto restart = text::toUnsigned(line.substr(slash + 1, line.size() - slash - 5));
                if (slash != std::string_view::npos && restart && long(*restart) > newestRestart) {
                    newestRestart = long(*restart);
                    newest = std::string(line);
                }
            }
        if (auto path = remote::RemotePath::parse(newest)) {
            auto r = runOn(m_node, ctx, "logs", RemoteCommand("tail").flag("-n").arg(*remote::Count::of(3000)).arg(*path), true);
            if (ran(r))
                if (auto parsed = parse::parseCalicoLog(r->out); parsed.ok()) {
                    LogSource src;
                    src.name = "calico-node";
                    src.location = newest;
                    src.log = std::move(parsed).value();
                    logs.sources.clear();
                    logs.sources.push_back(std::move(src));
                    anyFile = true;
                }
        }
    }
    if (!anyFile) {
        // Manifest installs log to stdout only: the container runtime keeps it.
        auto ids = runOn(m_node, ctx, "logs",
                         RemoteCommand("crictl").flag("ps").flag("-q").flag("--name").flag("calico-node"), true);
        auto words = ids.ok() ? text::words(ids->out) : std::vector<std::string_view>{};
        if (ran(ids) && !words.empty()) {
            if (auto id = remote::Word::parse(words.front())) {
                auto r = runOn(m_node, ctx, "logs",
                               RemoteCommand("crictl").flag("logs").flag("--tail").arg(*remote::Count::of(3000)).arg(*id), true);
                if (r.ok()) {
                    // crictl logs writes the container's stdout and stderr to its own.
                    if (auto parsed = parse::parseCalicoLog(r->out + r->err); parsed.ok()) {
                        LogSource src;
                        src.name = "calico-node";
                        src.location = "crictl logs " + id->str();
                        src.log = std::move(parsed).value();
                        logs.sources.clear();
                        logs.sources.push_back(std::move(src));
                    }
                }
            }
        }
        if (logs.sources.empty() || !logs.sources.front().log)
            logs.problem = "no Calico log on the node: none under /var/log/calico or /var/log/pods, and no calico-node "
                           "container via crictl";
    }
    readKubeletLog(ctx);
    return {};
}

void NodeReader::readKubeletLog(const TaskContext &ctx)
{
    // The kubelet runs the CNI plugin: its journal (systemd nodes) or its file says when
    // Calico's plugin failed to set up a pod. Not finding it is not a problem.
    LogSource src;
    src.name = "kubelet";
    parse::CalicoLogOptions opts;
    opts.defaultComponent = parse::LogComponent::Kubelet;
    opts.year = currentYear();
    opts.zonelessUtcOffsetSeconds = m_reading.utcOffsetSeconds;
    // A log with something readable in it: journalctl's "-- No entries --" is none.
    auto readable = [&](const std::string &out) -> std::optional<parse::CalicoLog> {
        auto parsed = parse::parseCalicoLog(out, opts);
        if (!parsed.ok() || parsed->entries.size() <= std::size_t(parsed->unreadableLines))
            return std::nullopt;
        return std::move(parsed).value();
    };
    const RemoteCommand journalCmd = journalCommand();
    if (auto journal = runOn(m_node, ctx, "logs", journalCmd, true); ran(journal))
        if (auto log = readable(journal->out)) {
            src.location = journalCmd.toString();
            src.log = std::move(log);
        }
    for (const char *path : kKubeletLogFiles) {
        if (src.log)
            break;
        if (auto file = runOn(m_node, ctx, "logs", tailCommand(1000, *remote::RemotePath::parse(path)), true); ran(file))
            if (auto log = readable(file->out)) {
                src.location = path;
                src.log = std::move(log);
            }
    }
    if (src.log)
        m_reading.logs.sources.push_back(std::move(src));
}

RecipeNode discoveryRecipe(NodeReader &r, std::string name, bool podNamespaces)
{
    using namespace std::chrono_literals;
    std::vector<RecipeNode> reads{
        task("identity", 5s, [&r](const TaskContext &c) { return r.readIdentity(c); }),
        task("addresses", 5s, [&r](const TaskContext &c) { return r.readAddresses(c); }),
        task("routes", 5s, [&r](const TaskContext &c) { return r.readRoutes(c); }),
        task("neighbours", 5s, [&r](const TaskContext &c) { return r.readNeighbours(c); }),
        task("clock", 5s, [&r](const TaskContext &c) { return r.readClock(c); }),
        task("tools", 5s, [&r](const TaskContext &c) { return r.readTools(c); })};
    if (podNamespaces)
        reads.push_back(task("pod namespaces", 5s, [&r](const TaskContext &c) { return r.readNetns(c); }));
    return sequential(std::move(name),
                      {task("read ahead", 6s, [&r](const TaskContext &c) { return r.readAheadDiscovery(c); }),
                       parallel("reads", std::move(reads), ErrorPolicy::ContinueOnError)},
                      ErrorPolicy::ContinueOnError);
}

} // namespace podpath::diagnose
