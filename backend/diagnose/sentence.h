#pragma once
// The first letter of a sentence the engine writes: a capital where a sentence starts, a
// small letter where it goes on after a colon. ASCII only: node text is never changed.

#include <string>

namespace podpath::diagnose {

// "burst" -> "Burst"; messages start with a capital.
inline std::string capitalised(std::string s)
{
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
        s[0] = char(s[0] - 'a' + 'A');
    return s;
}

// A sentence continued after a colon: "The ping's ..." reads "the ping's ...". A word in
// capitals ("DROP", "IPIP") keeps them.
inline std::string sentenceTail(std::string s)
{
    if (s.size() > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z')
        s[0] = char(s[0] - 'A' + 'a');
    return s;
}

// "1 member", "3 members": a count with its noun in the right number.
inline std::string counted(std::size_t n, const std::string &noun)
{
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

} // namespace podpath::diagnose
