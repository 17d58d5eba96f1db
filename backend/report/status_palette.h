#pragma once
// The status colours of every picture and document PodPath makes: the window's diagram
// and plots (widgets/) and the HTML and PDF reports (report/) read them here, so a hop
// that is blue in the window is blue in the ticket. Okabe-Ito hues, apart for every
// common colour vision deficiency; dark enough on white for small text (pass, fail,
// unknown at 4.5:1 or more). Colour is never the only sign: every status also has a
// shape (diagram) or a mark and a word (reports, plots).

#include "diagnose/diagnosis.h"

#include <cstdint>
#include <string>

namespace podpath::report {

struct StatusPalette {
    std::uint32_t pass;         // echoes seen, a check passed (blue)
    std::uint32_t fail;         // lost there, a check failed, an error (vermillion)
    std::uint32_t unknown;      // no evidence (reddish purple)
    std::uint32_t skipped;      // not on this path (grey)
    std::uint32_t warning;      // a finding that is a warning (ochre)
    std::uint32_t failTint;     // background behind a failure
    std::uint32_t unknownTint;  // background behind a status without evidence
};

// On a white page or a light window.
inline constexpr StatusPalette kLightPalette{0x0072b2, 0xb34700, 0x9c4f96, 0x8c9196, 0x9a6200, 0xfbe2d0, 0xf3e6f2};
// On a dark window: lighter, so the hues keep their contrast.
inline constexpr StatusPalette kDarkPalette{0x56b4e9, 0xff8a3d, 0xe09dd6, 0x8a9097, 0xf0c040, 0x4d2c18, 0x422c40};

std::uint32_t statusColor(const StatusPalette &p, diagnose::Status s);
// "#0072b2", for style sheets.
std::string cssColor(std::uint32_t rgb);

// A status as a reader sees it without colour: a mark ("✓", "✗", "?", "–") and a word
// ("seen", "FAIL", "no evidence", "skipped").
std::string_view statusMark(diagnose::Status s);
std::string_view statusWord(diagnose::Status s);

} // namespace podpath::report
