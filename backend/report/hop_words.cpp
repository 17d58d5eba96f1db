#include "hop_words.h"

#include <algorithm>

namespace podpath::report {

using namespace diagnose;

StreamFate hopFate(const HopVerdict &h)
{
    switch (h.status) {
    case Status::Pass: return StreamFate::Seen;
    case Status::Unknown: return StreamFate::NoEvidence;
    case Status::Skipped: return StreamFate::Skipped;
    case Status::Fail: break;
    }
    bool reached = h.streams.empty();  // a hop judged without streams: its status is all there is
    for (const auto &s : h.streams) {
        const StreamFate f = streamFate(s);
        if (f == StreamFate::LostHere)
            return StreamFate::LostHere;
        if (f != StreamFate::NotReached && f != StreamFate::Skipped)
            reached = true;
    }
    return reached ? StreamFate::LostHere : StreamFate::NotReached;
}

std::string streamCountText(const StreamAtHop &s, bool withSeqs)
{
    const std::string before = s.lostEarlier > 0 ? std::to_string(s.lostEarlier) + " lost before" : "";
    switch (streamFate(s)) {
    case StreamFate::Seen:
        return std::to_string(s.seen) + " of " + std::to_string(s.expected) + " seen" +
               (before.empty() ? "" : ", " + before);
    case StreamFate::LostHere: {
        std::string seqs;
        for (auto q : withSeqs ? s.missingHere : std::vector<std::uint16_t>{})
            seqs += (seqs.empty() ? "" : ", ") + std::to_string(q);
        return std::to_string(s.seen) + " of " + std::to_string(s.expected) + " seen, " + std::to_string(s.lostHere) +
               " lost here" + (seqs.empty() ? "" : " (icmp_seq " + seqs + ")") + (before.empty() ? "" : ", " + before);
    }
    case StreamFate::NotReached: return "did not reach: " + before;
    case StreamFate::NoEvidence: return "no evidence";
    case StreamFate::Skipped: return "not on this path";
    }
    return "no evidence";
}

std::string streamHeading(const StreamAtHop &s)
{
    const std::string label = streamLabel(s);
    return label == s.stream ? s.stream : s.stream + " (" + label + ")";
}

std::vector<StreamAtHop> streamsOf(const Diagnosis &d)
{
    std::vector<StreamAtHop> out;
    for (const auto &h : d.hops)
        if (h.streams.size() > out.size())
            out = h.streams;
    return out;
}

std::size_t packetsSeenAt(const Diagnosis &d, HopId hop)
{
    return std::size_t(
        std::count_if(d.sightings.begin(), d.sightings.end(), [&](const HopSighting &s) { return s.hop == hop; }));
}

std::string evidenceCount(const Diagnosis &d, const HopVerdict &h)
{
    const std::size_t seen = packetsSeenAt(d, h.id), listed = h.evidence.size();
    if (seen > listed)
        return "the first " + std::to_string(listed) + " of " + std::to_string(seen) + " packets";
    return std::to_string(listed) + (listed == 1 ? " line" : " lines");
}

std::string evidenceCutNote(const Diagnosis &d, const HopVerdict &h)
{
    const std::size_t seen = packetsSeenAt(d, h.id), listed = h.evidence.size();
    if (seen <= listed || listed == 0)
        return {};
    const std::size_t more = seen - listed;
    return "The first " + std::to_string(listed) + " of the " + std::to_string(seen) + " packets seen here are listed; " +
           (more == 1 ? std::string("the other one is") : "the other " + std::to_string(more) + " are") +
           " in the capture (podpath diagnose --pcap DIR, or Save captures (pcap) in the window).";
}

} // namespace podpath::report
