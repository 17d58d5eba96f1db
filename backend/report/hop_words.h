#pragma once
// How every report words a hop and its streams, so the mark beside a hop and the words
// after it always say the same thing (the terminal picture, Markdown, HTML and the PDF).

#include "diagnose/diagnosis.h"

#include <string>

namespace podpath::report {

// How the hop fared as a reader should see it. The engine judges a hop nothing reached
// (every echo was lost before it) as failed, for the JSON's first-failure walk; a reader
// is told it "did not reach", with the mark of that, never a fail mark beside it.
diagnose::StreamFate hopFate(const diagnose::HopVerdict &h);

// "5 of 5 seen", "3 of 3 seen, 2 lost before", "0 of 5 seen, 5 lost here (icmp_seq 1, 2,
// 3, 4, 5)", "did not reach: 5 lost before", "no evidence", "not on this path": one
// stream at one hop, its counts adding up to what was sent.
// `seqs` false leaves the icmp_seq list out (where the hop's explanation follows with it).
std::string streamCountText(const diagnose::StreamAtHop &s, bool seqs = true);

// "burst (84 B)", "full-size probe (1480 B DF)": a stream's column heading.
std::string streamHeading(const diagnose::StreamAtHop &s);
// The streams of the hop that has the most (as streamLabels), for column headings.
std::vector<diagnose::StreamAtHop> streamsOf(const diagnose::Diagnosis &d);

// Packets counted at the hop (one sighting each); its packet lines are the first of them
// (the engine keeps a handful per hop).
std::size_t packetsSeenAt(const diagnose::Diagnosis &d, diagnose::HopId hop);
// "6 lines", or "the first 6 of 10 packets" when more were seen than listed.
std::string evidenceCount(const diagnose::Diagnosis &d, const diagnose::HopVerdict &h);
// "The first 6 of the 10 packets seen here are listed; the other 4 are in the capture
// (...)." when more were seen than listed, else empty.
std::string evidenceCutNote(const diagnose::Diagnosis &d, const diagnose::HopVerdict &h);

} // namespace podpath::report
