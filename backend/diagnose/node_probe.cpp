#include "node_probe.h"

#include "finding_codes.h"
#include "node_reader.h"
#include "recipe.h"
#include "topology.h"

#include <optional>

namespace podpath::diagnose {

using namespace std::chrono_literals;

namespace {

// A task that keeps its own error: the probe reports every problem, not just the first
// one the recipe hands up.
RecipeNode keeping(std::string name, std::optional<Error> &slot, std::function<Result<void>(const TaskContext &)> read)
{
    return task(std::move(name), 5s, [&slot, read = std::move(read)](const TaskContext &ctx) {
        Result<void> r = read(ctx);
        if (!r.ok())
            slot = r.error();
        return r;
    });
}

// A read that failed for the session's own reasons (a timeout, a lost channel) is
// named for what the diagnosis then lacks.
Error asProblem(Error e, const char *code, const char *nextStep)
{
    if (e.code != kTcpdumpMissing.name())
        e.code = code;
    if (e.nextStep.empty())
        e.nextStep = nextStep;
    return e;
}

} // namespace

Result<NodeProbe> probeNode(remote::NodeShell &shell, const std::string &host, const ProbeOptions &options)
{
    CommandLog log;
    NodeReader reader(NodeAccess{shell, options.role, log}, host);
    std::optional<Error> identity, addresses, routes, tools;
    std::vector<RecipeNode> reads = {
        keeping("identity", identity, [&](const TaskContext &c) { return reader.readIdentity(c); }),
        keeping("addresses", addresses, [&](const TaskContext &c) { return reader.readAddresses(c); }),
        keeping("routes", routes, [&](const TaskContext &c) { return reader.readRoutes(c); }),
        keeping("tools", tools, [&](const TaskContext &c) { return reader.readTools(c); }),
    };
    if (options.readFirewall)
        reads.push_back(task("firewall", 5s, [&](const TaskContext &c) { return reader.readFirewall(c, false); }));
    RecipeRunner runner;
    // One batch for the first command of every read, as the diagnosis does: the probe
    // answers while the user waits.
    (void)runner.run(sequential("probe",
                                {task("read ahead", 6s, [&](const TaskContext &c) { return reader.readAheadDiscovery(c, options.readFirewall); }),
                                 parallel("reads", std::move(reads), ErrorPolicy::ContinueOnError)},
                                ErrorPolicy::ContinueOnError, options.budget));
    reader.recordUnusedReads();

    // Without a name or addresses there is nothing to show: the session is the problem.
    if (identity && identity->code != kNoPrivilege.name())
        return *identity;
    if (addresses)
        return *addresses;

    const NodeReading &r = reader.reading();
    NodeProbe p;
    p.facts = nodeFacts(r.snapshot);
    p.facts.privilege = r.privilege;
    p.facts.hasTcpdump = r.hasTcpdump;
    p.facts.firewallBackend = r.firewall.backend;
    p.user = shell.info().user;
    p.tcpdumpVersion = r.tcpdumpVersion;
    p.encapsulation = p.facts.tunnelDevice.empty() ? Encapsulation::None
                                                   : deviceEncapsulation(r.snapshot, p.facts.tunnelDevice);
    p.facts.hostsIpset = hostsSetName(r.firewall, p.encapsulation);

    if (identity)
        p.problems.push_back(*identity);
    if (tools)
        p.problems.push_back(asProblem(*tools, kToolsUnreadable, "run `tcpdump --version` as root on the node by hand"));
    // A diagnosis goes on without these, but without what they would have shown: the
    // user hears it before starting one.
    if (r.tcpdumpMissing)
        p.problems.push_back(Error(missingToolSentence(*r.tcpdumpMissing, nodeName(p.facts)) +
                                       ": the diagnosis cannot watch packets there",
                                   roleName(options.role), missingToolNextStep(*r.tcpdumpMissing, nodeName(p.facts)), 0,
                                   std::string(kTcpdumpMissing.name())));
    else if (r.tcpdumpUnread)
        p.problems.push_back(asProblem(*r.tcpdumpUnread, kToolsUnreadable, "run `tcpdump --version` as root on the node by hand"));
    if (routes)
        p.problems.push_back(asProblem(*routes, kNoRoutes, "run `ip route` on the node by hand"));
    else if (!r.snapshot.routesProblem.empty())
        p.problems.push_back(Error("could not read the routing table of " + nodeName(p.facts) + ": " +
                                       r.snapshot.routesProblem,
                                   roleName(options.role), "run `ip route` on the node by hand", 0, kNoRoutes));
    if (p.facts.tunnelDevice.empty())
        p.problems.push_back(Error("no Calico tunnel device on " + nodeName(p.facts) +
                                       ": no ipip or vxlan device, and no device the routes to other nodes' pod "
                                       "blocks go through",
                                   roleName(options.role),
                                   "check that calico-node runs on the node and that the IP pool uses IPIP or VXLAN "
                                   "(calicoctl get ippool -o wide)",
                                   0, kNoTunnelDevice));
    p.commands = log.records();
    return p;
}

} // namespace podpath::diagnose
