#include "pod_endpoint.h"

#include <algorithm>

namespace podpath::diagnose {

namespace {

bool isHostRoute(const parse::Route &r, Ipv4 pod)
{
    return r.destination.length() == 32 && r.destination.address() == pod;
}

} // namespace

PodEndpoint findPodEndpoint(Ipv4 pod, const parse::RouteTable &routes, const std::vector<parse::Interface> &interfaces,
                            const parse::NetnsList *netns, const std::string &nodeName)
{
    PodEndpoint out;
    out.ip = pod;
    const std::string ip = pod.toString();
    out.route = routes.routeFor(pod);
    if (!out.route) {
        if (routes.routes.empty()) {
            out.problem = "The routing table of " + nodeName + " could not be read, so where " + ip + " lives is unknown.";
            return out;
        }
        out.place = PodPlace::Elsewhere;
        out.problem = nodeName + " has no route to " + ip + ": the pod is not on this node.";
        return out;
    }
    const parse::Route &r = *out.route;
    if (r.type == parse::RouteType::Unicast && isHostRoute(r, pod) && !r.device.empty() && !r.gateway) {
        out.place = PodPlace::Here;
        out.interface = r.device;
    } else if (r.type == parse::RouteType::Blackhole || r.type == parse::RouteType::Unreachable ||
               r.type == parse::RouteType::Prohibit) {
        // Calico keeps a blackhole for each block it owns: the pod's own /32 goes in front.
        out.place = PodPlace::RouteMissing;
        out.problem = ip + " is in " + r.destination.toString() + ", a block " + nodeName +
                      " holds, but no route leads to a pod with that address: the pod's interface is gone, "
                      "or Calico has not set it up (is the pod running here?).";
        // A pod's interface taken down loses its /32 with it: name the down veths whose
        // other end is in another namespace, the pod's among them if it is one.
        std::vector<std::string> down;
        for (const auto &i : interfaces)
            if (!i.isUp() && (i.linkNetnsId || !i.linkNetns.empty()))
                down.push_back(i.name);
        if (!down.empty()) {
            out.downPeers = down;
            std::string names;
            for (std::size_t k = 0; k < down.size() && k < 5; ++k)
                names += (k == 0 ? "" : ", ") + down[k];
            out.problem += " " + names + (down.size() == 1 ? " is" : " are") + " down, with " +
                           (down.size() == 1 ? "its" : "their") + " other end in another network namespace: the kernel "
                           "drops a route through a down interface, so " + (down.size() == 1 ? "if it is the pod's" : "if one of them is the pod's") +
                           ", that is why.";
        }
        return out;
    } else {
        out.place = PodPlace::Elsewhere;
        out.problem = nodeName + " routes " + ip + " " +
                      (r.gateway ? "via " + r.gateway->toString() + " " : std::string()) +
                      (r.device.empty() ? std::string() : "dev " + r.device + " ") + "(" + r.destination.toString() +
                      "): the pod is not on this node.";
        return out;
    }
    for (const auto &i : interfaces) {
        if (i.name != out.interface)
            continue;
        out.interfaceKnown = true;
        out.interfaceIndex = i.index;
        out.up = i.isUp();
        out.carrier = i.hasCarrier();
        out.netnsId = i.linkNetnsId;
        out.netns = i.linkNetns;
    }
    if (out.netns.empty() && out.netnsId && netns)
        if (const auto *n = netns->withId(*out.netnsId))
            out.netns = n->name;
    if (!out.interfaceKnown)
        out.problem = nodeName + " routes " + ip + " to " + out.interface + ", which `ip addr` does not list.";
    else if (!out.up)
        out.problem = out.interface + ", the pod's interface on " + nodeName + ", is down.";
    else if (!out.carrier)
        out.problem = out.interface + ", the pod's interface on " + nodeName +
                      ", has no carrier: the pod's end of it (eth0 in the pod) is down.";
    else if (out.netns.empty())
        out.problem = "The pod's network namespace on " + nodeName +
                      " has no name under /var/run/netns (`ip netns list`), so nothing can be sent from inside it.";
    return out;
}

std::string podRouteText(const parse::Route &r)
{
    std::string t = r.type == parse::RouteType::Unicast ? std::string() : std::string(parse::toString(r.type)) + " ";
    t += r.destination.length() == 0 ? "default" : r.destination.toString();
    if (r.gateway)
        t += " via " + r.gateway->toString();
    if (!r.device.empty())
        t += " dev " + r.device;
    for (const auto &n : r.nexthops)
        t += " nexthop" + (n.gateway ? " via " + n.gateway->toString() : std::string()) +
             (n.device.empty() ? std::string() : " dev " + n.device);
    return t;
}

PodRouteJudgement judgePodRoute(const PodEndpoint &e, Ipv4 peer, const PodRouting &own)
{
    PodRouteJudgement j;
    if (!own.read) {
        j.why = own.problem;
        return j;
    }
    // The pod's end of the veth names the node's end by index ("eth0@if7"); names and
    // indexes inside pods vary, so nothing else is assumed.
    const std::string peerTag = "if" + std::to_string(e.interfaceIndex);
    for (const auto &i : own.interfaces)
        if (e.interfaceIndex > 0 && i.linkPeer == peerTag)
            j.link = i.name;
    const parse::Route *r = own.routes.routeFor(peer);
    if (r)
        j.routeText = podRouteText(*r);
    if (!r) {
        j.fit = own.routes.routes.empty() && !own.routes.unreadable.empty() ? PodRouteFit::Unknown : PodRouteFit::NoRoute;
        j.why = "its routing table could not be read";
        return j;
    }
    if (r->type != parse::RouteType::Unicast) {
        j.fit = PodRouteFit::Wrong;
        return j;
    }
    if (j.link.empty()) {
        j.why = "no interface in the pod is the other end of " + e.interface;
        return j;
    }
    const bool byLink = r->device == j.link || std::any_of(r->nexthops.begin(), r->nexthops.end(),
                                                             [&](const parse::Nexthop &n) { return n.device == j.link; });
    j.fit = byLink ? PodRouteFit::Fits : PodRouteFit::Wrong;
    return j;
}

} // namespace podpath::diagnose
