#pragma once
// Text an attacker (or an unlucky interface, file or set name) could put where PodPath
// expects a value. Shared by the quoting and the command tests.

#include <vector>
#include <string>

inline const std::vector<std::string> &injectionStrings()
{
    static const std::vector<std::string> list = {
        "; rm -rf /tmp/pp-rm-owned",
        "x; touch /tmp/pp-rm-owned",
        "$(touch /tmp/pp-rm-owned)",
        "`touch /tmp/pp-rm-owned`",
        "' ; touch /tmp/pp-rm-owned ; '",
        "\" ; touch /tmp/pp-rm-owned ; \"",
        "a'b",
        "'",
        "''",
        "\\",
        "\\'",
        "x\ntouch /tmp/pp-rm-owned",
        "x\rtouch",
        "--output=/tmp/pp-rm-owned",
        "-w",
        "-",
        "--",
        "&& touch /tmp/pp-rm-owned",
        "| touch /tmp/pp-rm-owned",
        "> /tmp/pp-rm-owned",
        "< /etc/shadow",
        "${IFS}touch${IFS}/tmp/pp-rm-owned",
        "$HOME",
        "~root",
        "*",
        "?",
        "[a-z]",
        "{a,b}",
        "!!",
        "#comment",
        "a b\tc",
        "%s%n",
        "\xc3\xa9t\xc3\xa9",   // UTF-8
        "\x7f\x01",
        " leading space",
        "trailing space ",
        "",
    };
    return list;
}
