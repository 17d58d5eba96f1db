#include "printable_diagnosis.h"

#include "core/printable.h"

namespace podpath::report {

namespace {

void fix(std::string &s)
{
    if (!isPrintable(s))
        s = printable(s);
}

void fix(std::vector<std::string> &lines)
{
    for (auto &s : lines)
        fix(s);
}

void fix(diagnose::NodeFacts &f)
{
    for (auto *s : {&f.host, &f.hostname, &f.underlayDevice, &f.ipv6TunnelDevice, &f.ipv6TunnelAddress, &f.tunnelDevice, &f.firewallBackend, &f.hostsIpset,
                    &f.privilege})
        fix(*s);
}

} // namespace

diagnose::Diagnosis printableCopy(const diagnose::Diagnosis &in)
{
    diagnose::Diagnosis d = in;
    fix(d.startedAt);
    fix(d.error);
    fix(d.client);
    fix(d.server);
    auto fixHop = [](diagnose::HopVerdict &h) {
        fix(h.evidence);
        fix(h.explanation);
        for (auto &s : h.streams)
            fix(s.stream);
    };
    for (auto &h : d.hops)
        fixHop(h);
    for (auto &h : d.podHops)
        fixHop(h);
    for (auto &c : d.checks) {
        fix(c.detail);
        fix(c.evidence);
    }
    for (auto &f : d.findings) {
        for (auto *s : {&f.code, &f.blames, &f.message, &f.nextStep})
            fix(*s);
        fix(f.evidence);
    }
    for (auto &t : d.timings)
        fix(t.phase);
    for (auto &c : d.commands) {
        for (auto *s : {&c.node, &c.step, &c.command})
            fix(*s);
        c.output = printableLines(c.output);
        c.errors = printableLines(c.errors);
    }
    for (auto &e : d.echoes)
        fix(e.stream);
    for (auto &s : d.sightings)
        fix(s.stream);
    for (auto &c : d.counterChanges)
        for (auto *s : {&c.node, &c.table, &c.chain, &c.rule, &c.target, &c.comment})
            fix(*s);
    for (auto &l : d.logs)
        for (auto *s : {&l.node, &l.source, &l.location, &l.time, &l.level, &l.text})
            fix(*s);
    return d;
}

} // namespace podpath::report
