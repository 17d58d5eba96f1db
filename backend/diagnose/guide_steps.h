#pragma once
// The troubleshooting guide's steps as the wizard walks them: which stage of the engine
// gathers each step's evidence, which checks and hops it settles, and which commands
// belong to it. The words a junior reads about each step live in resources/.

#include "diagnosis.h"
#include "engine.h"

#include <string_view>
#include <vector>

namespace podpath::diagnose {

struct GuideStep {
    std::string_view id;      // "logs", "underlay-ping", ... (keys of resources/guide_steps.json)
    std::string_view title;   // "Read the Calico logs"
    std::vector<Stage> stages;
    std::vector<std::string_view> checks;  // check ids (kCheckIds)
    std::vector<HopId> hops;
    std::vector<std::string_view> commandSteps;  // CommandRecord::step values it shows
    bool podsOnly = false;  // a step of the pod-to-pod question: it runs only when two pods were given
    std::string_view directTitle = {};  // its title on a path without tunnel, when it differs
};

// In the guide's order.
const std::vector<GuideStep> &guideSteps();

// The step's title for a path in `mode`: the tunnel's steps are named for what they do
// where there is no tunnel (BGP without encapsulation, VXLAN CrossSubnet in one subnet).
std::string_view stepTitle(const GuideStep &step, Encapsulation mode);

// A step's outcome: Fail when any of its checks or hops failed, Unknown when one could
// not be told, Skipped when nothing of it has run yet, else Pass.
Status stepStatus(const GuideStep &step, const Diagnosis &d);

// The findings that blame one of the step's checks or hops, in the diagnosis' order.
std::vector<const Finding *> stepFindings(const GuideStep &step, const Diagnosis &d);

// Where the step's commands ran, for the sentence after a run: "the client (pplab-node1)",
// "the server (...)", "both nodes"; empty when none of them has run. A ping runs on the
// client alone: saying "both nodes" there would be untrue.
std::string stepRanOn(const GuideStep &step, const Diagnosis &d);

// The commands the step ran (latest run of each), for "what ran where".
std::vector<const CommandRecord *> stepCommands(const GuideStep &step, const Diagnosis &d);

} // namespace podpath::diagnose
