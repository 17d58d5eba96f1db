#pragma once
// Judging like an expert: given the hops settled from the captures and the checks run
// beside them, name why the first failing hop failed. A check that explains the hop
// (the DROP rule that counted the lost echoes, the missing hosts-set member, the wrong
// route) leads the findings; when no check explains it, the hop itself is the finding,
// with what the wire showed and where to look next.

#include "wireguard_path.h"
#include "diagnosis.h"
#include "hop_judge.h"
#include "parse/ping.h"

#include <optional>
#include <vector>

namespace podpath::diagnose {

struct PingOutcome {
    std::optional<parse::PingResult> result;
    std::string problem;  // could not run or not be read
    bool refusedOptions = false;  // ping ran but refused its options (BusyBox: no -M): nothing sent
    std::string sudoRefused;      // sudo's own words when it refused the command ("sudo: ...")
};

struct ExplainInput {
    HopJudgement judgement;
    PingOutcome underlayPing;
    PingOutcome tunnelPing;
    PingOutcome fullSizeProbe;
    std::uint32_t fullSizeLength = 0;  // IPv4 total length of the probe
    std::uint16_t vxlanPort = 4789;    // the client's VXLAN device's UDP port
    WireguardWire wireguard;           // judged through WireGuard: what its own messages said
};

// A ping's check: pass when every echo sent was answered; the ping's own words as evidence.
CheckResult pingCheck(const std::string &id, const PingOutcome &p, const std::string &what);

// Adds underlay.ping, tunnel.ping and tunnel.full-size to the checks, the hop-level finding when no
// check explains the first failing hop, orders findings (the explanation first), and
// sets hops, firstFailingHop and the verdict.
void explain(Diagnosis &d, const ExplainInput &in);

// A pass needs evidence at every hop on the path: a run where nothing failed but some
// hop saw nothing either way (its capture did not run, the step has not run yet) becomes
// Incomplete, with the hops it lacks and why in `error`.
void requireEvidence(Diagnosis &d);

// A node that stopped answering part-way (`why`: the first command that got no answer)
// leaves a finding, and a run that would have passed is incomplete: health is not
// claimed for a node PodPath lost sight of. A hop that failed on what did arrive stands.
void noteNodeStoppedAnswering(Diagnosis &d, NodeRole role, const std::string &why);

} // namespace podpath::diagnose
