#include "firewall_checks.h"

#include "sentence.h"

#include "parse/text.h"

#include "finding_codes.h"

#include <algorithm>
#include <set>

namespace podpath::diagnose {

namespace {

// Calico's names for the set of node addresses allowed to send encapsulated packets,
// newest first. Used only when no rule names the set.
constexpr std::string_view kKnownHostsSets[] = {"cali40all-hosts-net", "cali40all-vxlan-net", "felix-calico-hosts-4"};

// Whether a rule's destination ports include `port`: "--dport 4789", "--dports 4789,8472"
// (multiport), ranges "4789:4790", nft's "udp dport 4789" and "udp dport { 4789, 8472 }".
bool namesDestinationPort(std::string_view text, std::uint16_t port)
{
    for (auto at = text.find("dport"); at != std::string_view::npos; at = text.find("dport", at + 5)) {
        std::string_view rest = text.substr(at + 5);
        if (rest.starts_with('s'))
            rest.remove_prefix(1);
        if (!rest.starts_with(' '))
            continue;
        // The list: numbers, ranges, separators, nft's braces; it ends at the next word.
        const auto end = rest.find_first_not_of(" {},:-0123456789");
        rest = rest.substr(0, end);
        std::size_t from = 0;
        while (from < rest.size()) {
            const auto stop = rest.find_first_of(" {},", from);
            const std::string_view item = rest.substr(from, stop == std::string_view::npos ? rest.npos : stop - from);
            from = stop == std::string_view::npos ? rest.size() : stop + 1;
            if (item.empty())
                continue;
            const auto dash = item.find_first_of(":-");
            const auto low = text::toUnsigned<unsigned>(item.substr(0, dash));
            const auto high = dash == std::string_view::npos ? low : text::toUnsigned<unsigned>(item.substr(dash + 1));
            if (low && high && *low <= port && port <= *high)
                return true;
        }
    }
    return false;
}

bool guardsEncapsulation(const parse::IptablesRule &rule, Encapsulation mode, std::uint16_t vxlanPort)
{
    if (mode == Encapsulation::Vxlan)
        return rule.protocolNumber == 17 && namesDestinationPort(rule.matches, vxlanPort);
    return rule.protocolNumber == 4;
}

bool mentionsSet(const std::string &spec, const std::string &set)
{
    return !set.empty() && spec.find(set) != std::string::npos;
}

// Lines of either snapshot the parser skipped, as evidence; returns how many (a line
// skipped in both snapshots counts once).
std::size_t noteUnreadableLines(const FirewallReadings &r, std::vector<std::string> &evidence)
{
    std::set<std::pair<std::string_view, int>> lines;
    auto note = [&](std::string_view source, const std::vector<Error> &unreadable) {
        for (const auto &e : unreadable)
            if (lines.insert({source, e.line}).second && lines.size() <= 8)
                evidence.push_back("skipped line " + std::to_string(e.line) + " of " + std::string(source) + ": " +
                                   e.message + (e.context.empty() ? "" : ": " + e.context));
    };
    for (const auto *snap : {&r.iptablesBefore, &r.iptablesAfter})
        if (*snap)
            note("iptables-save", (*snap)->unreadable);
    for (const auto *rs : {&r.nftBefore, &r.nftAfter})
        if (*rs)
            note("nft list ruleset", (*rs)->unreadable);
    return lines.size();
}

// The command that lists the chain with its counters, in the tool that wrote it: nft
// names its tables with their family ("ip calico"), iptables does not ("filter").
std::string listingOf(const parse::CounterDelta &d, const std::string &backend)
{
    if (d.table.find(' ') != std::string::npos)
        return "nft -a list chain " + d.table + " " + d.chain;
    return std::string(backend == "iptables-legacy" ? "iptables-legacy-save" : "iptables-save") + " -c -t " + d.table +
           " | grep -n -- '" + d.chain + "'";
}

} // namespace

std::string deltaLine(const parse::CounterDelta &d)
{
    std::string out = "[+" + std::to_string(d.packets) + " packets, +" + std::to_string(d.bytes) + " bytes] " + d.table +
                      " " + d.chain + (d.isPolicy ? " policy" : " #" + std::to_string(d.position)) + ": " + d.spec;
    if (!d.comment.empty() && d.spec.find("comment") == std::string::npos)
        out += "  /* " + d.comment + " */";
    return out;
}

std::vector<parse::CounterDelta> firewallDeltas(const FirewallReadings &r)
{
    std::vector<parse::CounterDelta> out;
    if (r.iptablesBefore && r.iptablesAfter)
        out = parse::diffCounters(*r.iptablesBefore, *r.iptablesAfter);
    if (r.nftBefore && r.nftAfter) {
        auto more = parse::diffCounters(*r.nftBefore, *r.nftAfter);
        out.insert(out.end(), more.begin(), more.end());
    }
    return out;
}

std::string hostsSetName(const FirewallReadings &r, Encapsulation mode)
{
    const parse::IptablesSnapshot *snap = r.iptablesAfter ? &*r.iptablesAfter : r.iptablesBefore ? &*r.iptablesBefore : nullptr;
    if (snap)
        for (const auto &t : snap->tables)
            for (const auto &c : t.chains)
                for (const auto &rule : c.rules)
                    if (guardsEncapsulation(rule, mode, r.vxlanPort))
                        for (const auto &m : rule.setMatches)
                            if (m.flags.starts_with("src"))
                                return m.name;
    const parse::NftRuleset *nft = r.nftAfter ? &*r.nftAfter : r.nftBefore ? &*r.nftBefore : nullptr;
    if (nft)
        for (const auto &t : nft->tables)
            for (const auto &c : t.chains)
                for (const auto &rule : c.rules) {
                    const bool guards = mode == Encapsulation::Vxlan ? namesDestinationPort(rule.text, r.vxlanPort)
                                                                     : rule.text.find("ipip") != std::string::npos ||
                                                                           rule.text.find("ipencap") != std::string::npos ||
                                                                           rule.text.find("protocol 4") != std::string::npos ||
                                                                           rule.text.find("l4proto 4") != std::string::npos;
                    if (guards)
                        for (const auto &ref : rule.setReferences)
                            if (ref.selector.find("saddr") != std::string::npos)
                                return ref.set;
                }
    if (r.ipsets) {
        if (mode == Encapsulation::Vxlan && r.ipsets->find("cali40all-vxlan-net"))
            return "cali40all-vxlan-net";
        for (auto name : kKnownHostsSets)
            if (r.ipsets->find(name))
                return std::string(name);
    }
    return {};
}

CheckResult checkIptables(NodeRole role, const NodeFacts &self, const FirewallReadings &r, bool lostHere,
                          std::vector<Finding> &findings)
{
    CheckResult c;
    c.id = std::string("iptables.") + roleName(role);
    const std::string who = nodeName(self);
    if (!r.problem.empty()) {
        c.status = Status::Unknown;
        c.detail = r.problem;
        return c;
    }
    if (r.backend == "ebpf") {
        c.status = Status::Unknown;
        // Its policy and drops live in BPF programs; the iptables counters it keeps beside
        // them cannot say whether a packet was dropped.
        c.detail = "Calico runs in eBPF mode on " + who + (r.ebpfEvidence.empty() ? "" : " (" + r.ebpfEvidence + ")") +
                   ": its drops are not in iptables counters, so this check cannot run; on " + who +
                   ", `calico-node -bpf counters dump` counts them (run it before and after a ping)";
        return c;
    }
    const auto drops = parse::discardingOnly(firewallDeltas(r));
    if (drops.empty() && !r.afterProblem.empty()) {
        // Without the counters after the burst, "nothing counted" is not known.
        c.status = Status::Unknown;
        c.detail = "The counters after the burst could not be read on " + who + " (" + r.afterProblem +
                   "): whether a rule dropped the echoes there is not known";
        return c;
    }
    if (r.iptablesAfter && r.iptablesAfter->legacyTablesPresent)
        c.evidence.push_back("iptables-nft warns: iptables-legacy tables present (rules there act on packets too)");
    const std::size_t skipped = noteUnreadableLines(r, c.evidence);
    if (drops.empty()) {
        const std::string backend = r.backend.empty() ? "iptables" : r.backend;
        // A line that could not be read may be the DROP: where the echoes were lost on
        // this node, that is not "no DROP".
        c.status = skipped && lostHere ? Status::Unknown : Status::Pass;
        c.detail = "No readable DROP or REJECT rule counted packets during the burst (" + backend + ")";
        if (skipped)
            c.detail += "; " + std::to_string(skipped) + (skipped == 1 ? " line" : " lines") +
                        " of the rules could not be read and " + (skipped == 1 ? "was" : "were") +
                        " skipped (see the evidence)";
        else
            c.detail = "No DROP or REJECT rule counted packets during the burst (" + backend + ")";
        return c;
    }
    for (const auto &d : drops)
        c.evidence.push_back(deltaLine(d));
    c.status = lostHere ? Status::Fail : Status::Pass;
    c.detail = std::to_string(drops.size()) + (drops.size() == 1 ? " DROP/REJECT rule" : " DROP/REJECT rules") +
               " counted packets during the burst" +
               (lostHere ? "" : " (the echoes were not lost on this node: probably other traffic)");
    if (lostHere) {
        const auto &top = *std::max_element(drops.begin(), drops.end(),
                                            [](const auto &a, const auto &b) { return a.packets < b.packets; });
        findings.push_back(makeFinding(
            kIptablesDrop, c.id,
            who + ": " + std::string(top.isPolicy ? "the policy of " : "a rule in ") + top.table + " " +
                top.chain + " dropped " + counted(std::size_t(top.packets), "packet") + " during the burst" +
                (top.comment.empty() ? "" : " (\"" + top.comment + "\")"),
            c.evidence,
            "On " + who + ": " + listingOf(top, r.backend) +
                "; find who added the rule (Calico's own rules carry "
                "a cali: comment; others come from the host's firewall or another agent)"));
    }
    return c;
}

CheckResult checkHostsIpset(NodeRole role, Encapsulation mode, const NodeFacts &self, const NodeFacts &peer,
                            const std::set<Ipv4> &sourcesSeen, const FirewallReadings &r, bool lostHere,
                            std::vector<Finding> &findings)
{
    CheckResult c;
    c.id = std::string("ipset.") + roleName(role);
    const std::string who = nodeName(self);
    if (!tunnelled(mode)) {
        c.status = Status::Skipped;
        c.detail = "no encapsulation on this path: the hosts set is not consulted";
        return c;
    }
    if (r.backend == "ebpf") {
        c.status = Status::Unknown;
        c.detail = "Calico runs in eBPF mode on " + who +
                   ": it keeps the other nodes in a BPF map, not a set, so this check cannot run; on " + who +
                   ", `calico-node -bpf routes dump` lists the hosts it knows";
        return c;
    }
    if (!r.ipsets) {
        c.status = Status::Unknown;
        c.detail = !r.ipsetProblem.empty() ? r.ipsetProblem
                   : !r.problem.empty()    ? r.problem
                                           : "ipset could not be read on " + who;
        return c;
    }
    const std::string setName = hostsSetName(r, mode);
    const parse::Ipset *set = setName.empty() ? nullptr : r.ipsets->find(setName);
    if (!set) {
        c.status = Status::Unknown;
        c.detail = "no Calico hosts set on " + who + (setName.empty() ? "" : " (looked for " + setName + ")");
        return c;
    }
    // Lines of the listing the parser skipped, as evidence, as the firewall check does.
    const bool nftSet = set->header.starts_with("nft set");
    std::vector<std::string> skippedLines;
    for (const auto &e : r.ipsets->unreadable)
        if (skippedLines.size() < 8)
            skippedLines.push_back("skipped line " + std::to_string(e.line) + " of " +
                                   (nftSet ? "nft list ruleset" : "ipset list") + ": " + e.message +
                                   (e.context.empty() ? "" : ": " + e.context));
    const std::size_t skipped = r.ipsets->unreadable.size();
    const std::string skippedNote =
        skipped == 0 ? std::string()
                     : "; " + std::to_string(skipped) + (skipped == 1 ? " line" : " lines") +
                           " of the listing could not be read and " + (skipped == 1 ? "was" : "were") +
                           " skipped (see the evidence)";
    std::set<Ipv4> senders = sourcesSeen;
    const bool fromWire = !senders.empty();
    if (senders.empty() && peer.nodeIp)
        senders.insert(*peer.nodeIp);
    std::vector<Ipv4> missing;
    for (const auto &s : senders)
        if (!set->contains(s))
            missing.push_back(s);
    c.evidence.push_back("Name: " + set->name + " (" + (nftSet ? set->header : set->type) + ", " +
                         counted(set->members.size(), "member") + ")");
    for (std::size_t i = 0; i < set->members.size() && i < 8; ++i)
        c.evidence.push_back("  " + set->members[i].element);
    c.evidence.insert(c.evidence.end(), skippedLines.begin(), skippedLines.end());
    if (missing.empty()) {
        c.status = Status::Pass;
        c.detail = "The peer's " + std::string(fromWire ? "source as seen on the wire" : "node IP") + " is in " + set->name +
                   skippedNote;
        return c;
    }
    std::string list;
    for (const auto &m : missing)
        list += (list.empty() ? "" : ", ") + m.toString();
    // A line that could not be read may be the missing member: not known to be missing.
    if (skipped) {
        c.status = Status::Unknown;
        c.detail = list + (fromWire ? " (source seen on the wire)" : " (peer node IP)") +
                   " is not among the members of " + set->name + " that could be read on " + who + skippedNote +
                   ": it may be on one of them";
        return c;
    }
    // Did a DROP that consults this set count packets? Then this is the cause, as in
    // the guide's closing example.
    bool dropConsultsSet = false;
    for (const auto &d : parse::discardingOnly(firewallDeltas(r)))
        if (mentionsSet(d.spec, set->name)) {
            dropConsultsSet = true;
            c.evidence.push_back(deltaLine(d));
        }
    c.status = Status::Fail;
    c.detail = list + (fromWire ? " (source seen on the wire)" : " (peer node IP)") + " is not in " + set->name +
               " on " + who;
    Finding f = makeFinding(
        kSourceNotInHostsIpset, c.id,
        who + " drops encapsulated packets from " + list + ": that address is not in its Calico hosts set " + set->name +
            (fromWire && peer.nodeIp && !senders.count(*peer.nodeIp)
                 ? "; the peer sends from " + list + " while Calico knows it as " + peer.nodeIp->toString()
                 : ""),
        c.evidence,
        "Calico fills " + set->name + " from each node's IPv4Address (calicoctl get node -o yaml): make the peer's "
        "address there match the address it sends from (IP autodetection method, or the node's source route)");
    // A set that lacks the address but dropped nothing that was lost here is worth
    // fixing, not the cause.
    if (!dropConsultsSet && !lostHere)
        f.severity = Severity::Warning;
    findings.push_back(std::move(f));
    return c;
}

} // namespace podpath::diagnose
