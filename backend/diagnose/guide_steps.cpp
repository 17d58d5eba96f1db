#include "guide_steps.h"

#include <algorithm>

namespace podpath::diagnose {

namespace {

bool contains(const std::vector<std::string_view> &v, std::string_view s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}

bool blamesStep(const GuideStep &step, const std::string &blames)
{
    if (contains(step.checks, blames))
        return true;
    return std::any_of(step.hops.begin(), step.hops.end(), [&](HopId h) { return hopInfo(h).key == blames; });
}

} // namespace

const std::vector<GuideStep> &guideSteps()
{
    using H = HopId;
    static const std::vector<GuideStep> steps = {
        {"logs", "Read the Calico logs", {Stage::Logs}, {"logs.client", "logs.server"}, {}, {"logs"}},
        {"underlay-ping", "Ping the server node", {Stage::UnderlayPing}, {"underlay.ping"}, {}, {"underlay ping"}},
        {"tunnel-ip", "Find the tunnel addresses", {Stage::Discover}, {"tunnel.client", "tunnel.server"}, {},
         {"identity", "addresses"}, false, "Look for a tunnel (none on this path)"},
        {"tunnel-ping", "Ping the server's tunnel address", {Stage::TunnelPing}, {"tunnel.ping", "tunnel.full-size", "tunnel6.ping"}, {},
         {"tunnel ping", "full-size probe", "IPv6 tunnel ping"}, false, "Ping into the server's pod block"},
        {"routes", "Check the routes", {Stage::Discover}, {"route.client", "route.server", "route6.client", "route6.server"}, {}, {"routes"}},
        {"request-path",
         "Follow the request to the server",
         {Stage::Burst},
         {"capture.client", "capture.server"},
         {H::RequestClientTunnel, H::RequestClientEgress, H::RequestServerIngress, H::RequestServerTunnel},
         {"capture", "capture finished", "tunnel ping", "full-size probe", "IPv6 tunnel ping"}},
        {"reply-path",
         "Follow the reply to the client",
         {Stage::Burst},
         {},
         {H::ReplyServerTunnel, H::ReplyServerEgress, H::ReplyClientIngress, H::ReplyClientTunnel},
         {"capture", "capture finished", "tunnel ping", "IPv6 tunnel ping"}},
        {"firewall",
         "Check firewall counters and hosts set",
         {Stage::Burst},
         {"iptables.client", "iptables.server", "ipset.client", "ipset.server"},
         {},
         {"firewall before", "firewall after", "ipset"},
         false,
         "Check the firewall counters"},
        // Pod to pod: what an engineer does next with two pods in hand.
        {"pod-ends",
         "Find the two pods",
         {Stage::Discover},
         {"pod.client", "pod.server"},
         {},
         {"routes", "addresses", "pods", "the pod's routes", "the pod's addresses"},
         true},
        {"pod-probes",
         "Probe from inside the client pod",
         {Stage::Burst},
         {"pod.ping", "pod.port"},
         {H::RequestClientPod, H::RequestServerPod, H::ReplyServerPod, H::ReplyClientPod},
         {"ping from the client pod", "connect from the client pod"},
         true},
        {"pod-policies",
         "Watch the pods' policy counters",
         {Stage::Burst},
         {"policy.client", "policy.server"},
         {},
         {"firewall before", "firewall after"},
         true},
    };
    return steps;
}

std::string_view stepTitle(const GuideStep &step, Encapsulation mode)
{
    return !tunnelled(mode) && !step.directTitle.empty() ? step.directTitle : step.title;
}

Status stepStatus(const GuideStep &step, const Diagnosis &d)
{
    std::vector<Status> all;
    for (auto id : step.checks)
        if (const CheckResult *c = d.check(id))
            all.push_back(c->status);
    for (HopId h : step.hops) {
        // A hop nobody has captured yet is "not run", not "unknown".
        const HopVerdict &v = d.hop(h);
        all.push_back(v.status == Status::Unknown && v.explanation == kNotCapturedYet ? Status::Skipped : v.status);
    }
    auto any = [&](Status s) { return std::find(all.begin(), all.end(), s) != all.end(); };
    if (any(Status::Fail))
        return Status::Fail;
    if (any(Status::Unknown))
        return Status::Unknown;
    if (all.empty() || std::all_of(all.begin(), all.end(), [](Status s) { return s == Status::Skipped; }))
        return Status::Skipped;
    return Status::Pass;
}

std::vector<const Finding *> stepFindings(const GuideStep &step, const Diagnosis &d)
{
    std::vector<const Finding *> out;
    for (const auto &f : d.findings)
        if (blamesStep(step, f.blames))
            out.push_back(&f);
    return out;
}

std::vector<const CommandRecord *> stepCommands(const GuideStep &step, const Diagnosis &d)
{
    // The wizard may run a stage twice: keep the latest run of each command line per node.
    std::vector<const CommandRecord *> out;
    for (auto it = d.commands.rbegin(); it != d.commands.rend(); ++it) {
        if (!contains(step.commandSteps, it->step))
            continue;
        const bool seen = std::any_of(out.begin(), out.end(), [&](const CommandRecord *c) {
            return c->node == it->node && c->command == it->command;
        });
        if (!seen)
            out.push_back(&*it);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::string stepRanOn(const GuideStep &step, const Diagnosis &d)
{
    bool client = false, server = false;
    for (const CommandRecord *c : stepCommands(step, d)) {
        client = client || c->node == roleName(NodeRole::Client);
        server = server || c->node == roleName(NodeRole::Server);
    }
    auto one = [&](NodeRole r) {
        const std::string name = nodeName(r == NodeRole::Client ? d.client : d.server);
        return "the " + std::string(roleName(r)) + (name.empty() ? std::string() : " (" + name + ")");
    };
    return client && server ? "both nodes" : client ? one(NodeRole::Client) : server ? one(NodeRole::Server) : std::string();
}

} // namespace podpath::diagnose
