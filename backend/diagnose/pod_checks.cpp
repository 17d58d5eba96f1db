#include "pod_checks.h"

#include "finding_codes.h"
#include "sentence.h"

#include <algorithm>
#include <cctype>

namespace podpath::diagnose {

namespace {

std::string podWords(NodeRole role) { return role == NodeRole::Client ? "the client pod" : "the server pod"; }

std::vector<parse::CountedRule> rulesOf(const FirewallReadings &fw, bool after)
{
    std::vector<parse::CountedRule> out;
    const auto &ipt = after ? fw.iptablesAfter : fw.iptablesBefore;
    const auto &nft = after ? fw.nftAfter : fw.nftBefore;
    if (ipt)
        out = parse::countedRules(*ipt);
    if (nft) {
        auto more = parse::countedRules(*nft);
        out.insert(out.end(), more.begin(), more.end());
    }
    return out;
}

// Conntrack judged the pod's packets invalid: Calico's chain drops them before any policy
// is asked, so no policy can be blamed (or mended) for it.
std::string invalidSentence(const PolicyDecision &d, PodSide side, const std::string &pod, bool replies)
{
    const std::string n = counted(std::size_t(d.packets), "packet");
    return "Conntrack held no valid record for " + n + (side == PodSide::Ingress ? " into " : " out of ") + pod +
           (replies ? " (the replies to its own requests)" : "") + ", so rule " + std::to_string(d.position) + " of " +
           d.chain + " dropped them as invalid before any policy was asked.";
}

// Does a rule's text name the pod: its interface (or a wildcard that covers it, iptables
// "cali+", nft "cali*") or one of the pods' addresses?
bool namesThePod(const std::string &spec, const std::string &interface, const std::vector<std::string> &addresses)
{
    if (!interface.empty() && spec.find(interface) != std::string::npos)
        return true;
    for (const auto &a : addresses)
        for (std::size_t at = spec.find(a); at != std::string::npos; at = spec.find(a, at + 1)) {
            const std::size_t end = at + a.size();
            if (end == spec.size() || !std::isdigit(static_cast<unsigned char>(spec[end])))
                return true;  // "198.18.10.66", not "198.18.10.660"
        }
    std::size_t i = 0;
    while (i < spec.size()) {
        const std::size_t start = spec.find_first_not_of(" \"", i);
        if (start == std::string::npos)
            break;
        const std::size_t stop = spec.find_first_of(" \"", start);
        const std::string word = spec.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
        if (word.size() > 1 && (word.back() == '+' || word.back() == '*') &&
            interface.starts_with(std::string_view(word).substr(0, word.size() - 1)))
            return true;
        i = stop == std::string::npos ? spec.size() : stop;
    }
    return false;
}

// How to list the rules of `table` with their counters: iptables' "raw", nft's "ip raw".
std::string listingOf(const std::string &table)
{
    if (table.find(' ') != std::string::npos)
        return "nft -a list table " + table + " | grep -n notrack";
    return "iptables-save -c -t " + table + " | grep -n -i notrack";
}

// How to read the policy that decided, in the tool that owns it.
std::string lookUp(const PolicyRef &p)
{
    if (!p.named())
        return "calicoctl get networkpolicy,globalnetworkpolicy -A -o wide (find the one whose selector matches the pod)";
    if (p.profile)
        return "calicoctl get profile " + p.name + " -o yaml";
    const auto slash = p.name.find('/');
    if (slash == std::string::npos)
        return "calicoctl get globalnetworkpolicy " + p.name + " -o yaml";
    const std::string ns = p.name.substr(0, slash), name = p.name.substr(slash + 1);
    return "kubectl get networkpolicy -n " + ns + " " + name + " -o yaml (a Kubernetes policy), or calicoctl get "
           "networkpolicy -n " + ns + " " + name + " -o yaml (a Calico one)";
}

// Some finding already says why the pod's probes were lost (a policy's counted drop, the
// pod's interface or route, the pod not on its node, the pod's own routing): a second
// "lost, no reason known" would contradict it.
bool podLossExplained(const std::vector<Finding> &findings)
{
    return std::any_of(findings.begin(), findings.end(), [](const Finding &f) {
        return f.code == kPolicyDrop.name() || f.code == kConntrackInvalid.name() || f.code == kPodInterfaceDown.name() ||
               f.code == kPodRouteMissing.name() ||
               f.code == kPodNotOnNode.name() || f.code == kPodNoRoute.name() || f.code == kPodRouteWrong.name();
    });
}

// POD_NO_ROUTE, whether the pod's own table said so or ping inside it did: one message and
// one next step. `link` is the pod's end of its veth when known.
Finding podNoRouteFinding(NodeRole role, const PodEndpoint &e, Ipv4 peer, const std::string &link, std::string blames,
                          std::vector<std::string> evidence)
{
    const std::string dev = link.empty() ? std::string("eth0") : link;
    return makeFinding(kPodNoRoute, std::move(blames),
                       "The " + std::string(roleName(role)) + " pod " + e.ip.toString() + " has no route to " +
                           peer.toString() +
                           ": its own routing table sends nothing (Calico gives every pod a default route via "
                           "169.254.1.1 on eth0)",
                       std::move(evidence),
                       "On the " + std::string(roleName(role)) + " node: ip netns exec " + e.netns +
                           " ip route (expect: default via 169.254.1.1 dev " + dev + ", and 169.254.1.1 dev " + dev +
                           " scope link); a pod without them was set up wrong by the CNI: restart it");
}

// Inside the pod: its route towards the other pod must leave by its link to the node.
// The client's carries the requests, the server's the replies.
void judgeOwnRoute(NodeRole role, const PodReadings &r, CheckResult &c, std::vector<Finding> &findings)
{
    const bool client = role == NodeRole::Client;
    const PodEndpoint &e = client ? r.client : r.server;
    const Ipv4 peer = client ? r.server.ip : r.client.ip;
    const PodRouteJudgement j = judgePodRoute(e, peer, client ? r.clientRouting : r.serverRouting);
    const std::string self = std::string(client ? "client" : "server") + " pod " + e.ip.toString();
    const std::string what = client ? "its requests" : "its replies";
    const std::string look = "On the " + std::string(roleName(role)) + " node: ip netns exec " + e.netns +
                             " ip route; ip netns exec " + e.netns + " ip addr";
    if (!j.routeText.empty())
        c.evidence.push_back("inside the pod, route to " + peer.toString() + ": " + j.routeText);
    switch (j.fit) {
    case PodRouteFit::Fits:
        c.detail += "; inside it, " + peer.toString() + " is reached by " + j.link + " (" + j.routeText + ")";
        return;
    case PodRouteFit::Unknown:
        if (!j.why.empty())
            c.evidence.push_back("the pod's own route to " + peer.toString() + " not judged: " + j.why);
        return;
    case PodRouteFit::NoRoute: {
        const PodRouting &own = client ? r.clientRouting : r.serverRouting;
        std::string all;
        for (const auto &route : own.routes.routes)
            all += (all.empty() ? "" : "; ") + podRouteText(route);
        c.evidence.push_back("inside the pod, its whole routing table: " + (all.empty() ? std::string("empty") : all));
        c.status = Status::Fail;
        c.detail = "The " + self + " has no route to " + peer.toString() + " in its own routing table: " + what +
                   " cannot leave it";
        findings.push_back(podNoRouteFinding(role, e, peer, j.link, c.id, c.evidence));
        return;
    }
    case PodRouteFit::Wrong:
        c.status = Status::Fail;
        c.detail = "The " + self + " sends " + what + " to " + peer.toString() + " by \"" + j.routeText + "\", not by " +
                   (j.link.empty() ? "its link to the node" : j.link + ", its link to the node (" + e.interface + ")");
        findings.push_back(makeFinding(kPodRouteWrong, c.id,
                                       c.detail + ": nothing it sends that way reaches Calico's chains or the other pod",
                                       c.evidence,
                                       look + " (Calico gives a pod default via 169.254.1.1 dev " +
                                           (j.link.empty() ? std::string("eth0") : j.link) +
                                           "); a second network (Multus, a sidecar) must not take the cluster's "
                                           "addresses: fix the pod's network attachment, then restart it"));
        return;
    }
}

} // namespace

// The usual reason a reply is invalid; only the pod's own are blamed.
std::vector<parse::CounterDelta> untrackingRules(const std::vector<parse::CountedRule> &before,
                                                 const std::vector<parse::CountedRule> &after, const std::string &interface,
                                                 const std::vector<std::string> &addresses)
{
    std::vector<parse::CounterDelta> out;
    for (auto &d : parse::diffCounters(before, after)) {
        std::string words = d.spec + " " + d.target;
        std::transform(words.begin(), words.end(), words.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
        if (words.find("notrack") != std::string::npos && namesThePod(d.spec, interface, addresses) && out.size() < 3)
            out.push_back(std::move(d));
    }
    return out;
}

bool podEchoesLost(const PodReadings &r)
{
    if (!r.ping.result || !r.ping.result->statistics)
        return false;
    return r.ping.result->statistics->received < r.ping.result->statistics->transmitted;
}

bool podProbeLost(const PodReadings &r)
{
    if (podEchoesLost(r))
        return true;
    return r.port && r.port->ran() && (r.port->someLost() || r.port->transport == Transport::Udp);
}

CheckResult checkPodEnd(NodeRole role, const NodeFacts &node, const PodReadings &r, std::vector<Finding> &findings)
{
    const PodEndpoint &e = role == NodeRole::Client ? r.client : r.server;
    CheckResult c;
    c.id = std::string("pod.") + roleName(role);
    const std::string who = nodeName(node), ip = e.ip.toString();
    if (e.route)
        c.evidence.push_back("on " + who + ", route to " + ip + ": " + podRouteText(*e.route));
    switch (e.place) {
    case PodPlace::Unknown:
        c.status = Status::Unknown;
        c.detail = e.problem;
        return c;
    case PodPlace::Elsewhere:
    case PodPlace::RouteMissing: {
        c.status = Status::Fail;
        c.detail = e.problem;
        const bool missing = e.place == PodPlace::RouteMissing;
        findings.push_back(makeFinding(missing ? kPodRouteMissing : kPodNotOnNode, c.id, e.problem, c.evidence,
                                       missing && !e.downPeers.empty()
                                           ? "On " + who + ": ip -d link show " + e.downPeers.front() +
                                                 " (link-netns names the pod's namespace; ip link set " + e.downPeers.front() +
                                                 " up, or restart the pod, brings the route back)"
                                       : missing ? "On " + who + ": ip route show " + ip +
                                                     "; kubectl get pod -A -o wide | grep -w " + ip +
                                                     " (is the pod running there? calico-node's log says why it did not add the route)"
                                               : "kubectl get pod -A -o wide | grep -w " + ip +
                                                     " names the node the pod runs on: diagnose with that node as the " +
                                                     roleName(role)));
        return c;
    }
    case PodPlace::Here:
        break;
    }
    if (e.interfaceKnown && (!e.up || !e.carrier)) {
        c.status = Status::Fail;
        c.detail = e.problem;
        findings.push_back(makeFinding(kPodInterfaceDown, c.id, e.problem, c.evidence,
                                       "On " + who + ": ip link show " + e.interface +
                                           "; a pod whose end is down is restarting or broken (kubectl describe pod)"));
        return c;
    }
    c.status = e.problem.empty() ? Status::Pass : Status::Unknown;
    c.detail = e.problem.empty() ? ip + " is on " + who + " behind " + e.interface + " (network namespace " + e.netns + ")"
                                 : e.problem;
    if (!e.problem.empty())
        return c;
    judgeOwnRoute(role, r, c, findings);
    return c;
}

CheckResult checkPodPolicy(NodeRole role, const NodeFacts &node, const PodReadings &r, const FirewallReadings &fw,
                           std::vector<Finding> &findings, std::set<std::string> &podChains)
{
    const PodEndpoint &e = role == NodeRole::Client ? r.client : r.server;
    const bool echoesLost = podProbeLost(r);
    CheckResult c;
    c.id = std::string("policy.") + roleName(role);
    const std::string who = nodeName(node);
    if (e.place != PodPlace::Here) {
        c.status = Status::Skipped;
        c.detail = std::string("not judged: ") + podWords(role) + " was not found on " + who;
        return c;
    }
    if (!r.ping.result && !(r.port && r.port->ran())) {
        c.status = Status::Unknown;
        c.detail = "Not judged: nothing was sent from the client pod (see " + checkTitle("pod.ping") + ")";
        return c;
    }
    const auto before = rulesOf(fw, false), after = rulesOf(fw, true);
    if (before.empty() || after.empty()) {
        c.status = Status::Unknown;
        c.detail = "The firewall counters of " + who + " could not be read around the ping" +
                   (fw.problem.empty() ? fw.afterProblem.empty() ? "" : " (" + fw.afterProblem + ")" : " (" + fw.problem + ")");
        return c;
    }
    // Requests leave the client pod and enter the server pod; replies the other way.
    const PodSide requestSide = role == NodeRole::Client ? PodSide::Egress : PodSide::Ingress;
    const PodSide replySide = requestSide == PodSide::Egress ? PodSide::Ingress : PodSide::Egress;
    const EndpointPolicyReading requests = readEndpointPolicy(before, after, e.interface, requestSide);
    const EndpointPolicyReading replies = readEndpointPolicy(before, after, e.interface, replySide);
    for (const EndpointPolicyReading *rd : {&requests, &replies}) {
        if (rd->found())
            podChains.insert(rd->chain);
        for (const auto &d : rd->decisions)
            if (d.drops())
                podChains.insert(d.chain);
    }
    if (!requests.found() && !replies.found()) {
        c.status = Status::Unknown;
        c.detail = "Felix keeps no policy chain for " + e.interface + " on " + who +
                   " (no ...tw-/...fw-" + e.interface + "): its policies could not be read";
        return c;
    }
    const PolicyDecision *worst = nullptr;
    std::uint64_t dropped = 0;
    for (const EndpointPolicyReading *rd : {&requests, &replies}) {
        for (const auto &d : rd->decisions) {
            c.evidence.push_back((rd == &requests ? "requests: " : "replies: ") +
                                 policySentence(d, rd->side, !rd->tiers.empty()));
            if (d.drops()) {
                dropped += d.packets;
                if (!worst || d.packets > worst->packets)
                    worst = &d;
            }
        }
    }
    const EndpointPolicyReading &worstReading =
        worst && std::any_of(requests.decisions.begin(), requests.decisions.end(), [&](const auto &d) { return &d == worst; })
            ? requests
            : replies;
    if (worst && echoesLost && worst->outcome == PolicyOutcome::DroppedInvalid) {
        c.status = Status::Fail;
        c.detail = "On " + who + ": " + invalidSentence(*worst, worstReading.side, podWords(role), worstReading.side == replySide);
        const auto untracking =
            untrackingRules(before, after, e.interface, {r.client.ip.toString(), r.server.ip.toString()});
        for (const auto &u : untracking)
            c.evidence.push_back("untracked: [+" + counted(std::size_t(u.packets), "packet") + "] " + u.table + " " + u.chain +
                                 " #" + std::to_string(u.position) + ": " + u.spec);
        std::string message = who + ": " + invalidSentence(*worst, worstReading.side, podWords(role), worstReading.side == replySide);
        std::string next = "On " + who + ": ";
        if (!untracking.empty()) {
            const auto &u = untracking.front();
            message += " Rule " + std::to_string(u.position) + " of " + u.table + " " + u.chain +
                       " exempted " + counted(std::size_t(u.packets), "packet") +
                       " from conntrack meanwhile (" + u.spec + "): a connection not tracked one way is invalid the other.";
            next += listingOf(u.table) + "; find who added that rule, and take the pod's traffic out of it";
        } else {
            next += "look for what keeps the pod's connection out of conntrack: iptables-save -c -t raw | grep -n -i notrack "
                    "(nft list ruleset | grep -n notrack); "
                    "dmesg | grep 'nf_conntrack: table full' (conntrack -S counts the drops); replies that come back "
                    "by another path than the requests left (asymmetric routing)";
        }
        findings.push_back(makeFinding(kConntrackInvalid, c.id, message, c.evidence, next));
        return c;
    }
    if (worst && echoesLost) {
        c.status = Status::Fail;
        const std::string sentence = policySentence(*worst, worstReading.side, !worstReading.tiers.empty());
        // The ping answered while the port lost: the policies tell the protocols apart.
        const bool portOnly = !podEchoesLost(r) && r.ping.result && r.port && r.port->ran();
        const std::string asked = r.port ? portWords(r.port->transport, r.port->port) : "ICMP";
        c.detail = "On " + who + ": " + (portOnly ? "allowed by ICMP but not by " + asked + ". " : std::string()) + sentence;
        std::string next = "Allow " + (portOnly ? asked : std::string("the ping")) + " in the policy that selects " +
                           podWords(role) + ": ";
        if (worst->by)
            next += lookUp(*worst->by);
        else if (!worst->evaluated.empty())
            next += lookUp(worst->evaluated.front());
        else
            next += "iptables-save -c | grep -n -- '" + worst->chain + "'";
        findings.push_back(makeFinding(kPolicyDrop, c.id,
                                       who + ": " + (portOnly ? "allowed by ICMP but not by " + asked + ". " : std::string()) +
                                           sentence,
                                       c.evidence, next));
        return c;
    }
    c.status = Status::Pass;
    if (dropped > 0)
        c.detail = "Rules of " + podWords(role) + "'s policies on " + who + " dropped " + std::to_string(dropped) +
                   (dropped == 1 ? " packet" : " packets") + ", but the probes got every answer: other traffic";
    else if (!requests.decisions.empty() || !replies.decisions.empty()) {
        // What let the requests through says most: a policy or a profile, else conntrack.
        const EndpointPolicyReading &rd = requests.decisions.empty() ? replies : requests;
        const PolicyDecision *say = &rd.decisions.front();
        for (const auto &d : rd.decisions)
            if (d.outcome == PolicyOutcome::AllowedByPolicy || d.outcome == PolicyOutcome::AllowedByProfile)
                say = &d;
        c.detail = "No rule of " + podWords(role) + "'s policies on " + who + " dropped a packet. " +
                   policySentence(*say, rd.side, !rd.tiers.empty());
    } else {
        c.status = Status::Unknown;
        c.detail = "No packet of the probes went through " + podWords(role) + "'s chains on " + who;
    }
    return c;
}

CheckResult checkPodPing(const PodReadings &r, bool overlayPassed, std::vector<Finding> &findings)
{
    CheckResult c;
    c.id = "pod.ping";
    const std::string from = r.client.ip.toString(), to = r.server.ip.toString();
    if (!r.pingNotRun.empty() || !r.ping.result) {
        c.status = Status::Unknown;
        c.detail = "No ping was sent from the client pod: " + (r.pingNotRun.empty() ? r.ping.problem : r.pingNotRun);
        return c;
    }
    const auto &res = *r.ping.result;
    // The pod's own routing refused to send: its default route (Calico: via 169.254.1.1 on
    // eth0) is missing or wrong. Nothing left the pod, so no hop or chain saw anything.
    if (res.fatal && (res.fatal->failure == parse::PingFailure::NetworkUnreachable ||
                      res.fatal->failure == parse::PingFailure::NoRouteToHost)) {
        c.status = Status::Fail;
        c.detail = "The client pod could not send to " + to + ": ping says \"" + res.fatal->text + "\" inside it (" +
                   from + ", network namespace " + r.client.netns + ")";
        c.evidence.push_back("ping: " + res.fatal->text);
        // pod.client may have said it already, from the pod's own routing table.
        if (podLossExplained(findings))
            return c;
        findings.push_back(podNoRouteFinding(NodeRole::Client, r.client, r.server.ip, {}, c.id, c.evidence));
        return c;
    }
    const unsigned sent = res.statistics ? res.statistics->transmitted : 0;
    const unsigned got = res.statistics ? res.statistics->received : 0;
    c.detail = "Ping " + to + " from inside the client pod (" + from + ", network namespace " + r.client.netns + "): " +
               std::to_string(got) + " of " + std::to_string(sent) + " echoes answered";
    if (sent == 0) {
        c.status = Status::Unknown;
        return c;
    }
    c.status = got == sent ? Status::Pass : Status::Fail;
    if (got == sent)
        return c;
    // A policy that dropped them is the explanation; else the loss is said as it is (and
    // explain() drops it again when a critical finding about the nodes' path explains it).
    if (!podLossExplained(findings))
        findings.push_back(makeFinding(kPodPingLost, c.id,
                                       std::to_string(sent - got) + " of " + std::to_string(sent) + " echoes from the client pod to " +
                                           to + " got no reply, and no policy chain counted them dropped" +
                                           (overlayPassed ? " while the path between the nodes passed every hop" : ""),
                                       {c.detail},
                                       "Ping the server pod from its own node (ip netns exec " + r.server.netns + " ping " + from +
                                           ") and check the pods' default routes (169.254.1.1 via eth0 in Calico)"));
    return c;
}

CheckResult checkPodPort(const PodReadings &r, bool overlayPassed, std::vector<Finding> &findings)
{
    CheckResult c;
    c.id = "pod.port";
    if (!r.port) {
        c.status = Status::Skipped;
        c.detail = "No TCP or UDP port was asked about (--port): the ping alone was sent";
        return c;
    }
    const PortProbeOutcome &p = *r.port;
    const std::string asked = portWords(p.transport, p.port), to = r.server.ip.toString();
    if (!p.ran()) {
        c.status = Status::Unknown;
        c.detail = "No " + asked + " probe was sent from the client pod: " + (r.pingNotRun.empty() ? p.problem : r.pingNotRun);
        return c;
    }
    c.detail = probeSentence(p, r.server.ip);
    for (const auto &a : p.attempts)
        if (!a.words.empty())
            c.evidence.push_back(toolWords(*p.tool, p.transport) + ": " + a.words);
    if (p.transport == Transport::Udp) {
        // Nothing answers UDP: only a policy's counted drop (pod policies) can fail it.
        const bool dropped = std::any_of(findings.begin(), findings.end(), [](const Finding &f) {
            return f.code == kPolicyDrop.name() || f.code == kConntrackInvalid.name();
        });
        c.status = dropped ? Status::Fail : Status::Unknown;
        return c;
    }
    if (p.allConnected()) {
        c.status = Status::Pass;
        return c;
    }
    // A tool that failed in words PodPath cannot read is no evidence about the path.
    if (p.count(ConnectOutcome::Failed) > 0 &&
        p.count(ConnectOutcome::Failed) + p.count(ConnectOutcome::Connected) == int(p.attempts.size())) {
        c.status = Status::Unknown;
        return c;
    }
    c.status = Status::Fail;
    if (podLossExplained(findings))
        return c;
    const std::string server = "ip netns exec " + r.server.netns + " ss -ltn";
    if (p.someLost())
        findings.push_back(makeFinding(kPortNoAnswer, c.id,
                                       c.detail + ", and no policy chain counted them dropped" +
                                           (overlayPassed ? " while the path between the nodes passed every hop" : ""),
                                       c.evidence,
                                       "On the server node: " + server + " (does the pod listen on " + asked +
                                           "?), and iptables-save -c | grep -n -- " + p.port->toString() +
                                           " for a rule outside Calico's chains"));
    else if (p.count(ConnectOutcome::Refused) > 0)
        findings.push_back(makeFinding(kPortRefused, c.id,
                                       "The server pod " + to + " answered " + asked +
                                           " with a reset: the path and the policies let the connection through, but "
                                           "nothing listens on it there",
                                       c.evidence,
                                       "On the server node: " + server + " lists what the pod listens on; check the "
                                       "container's port and the Service's targetPort"));
    return c;
}

} // namespace podpath::diagnose
