#include "document_markup.h"

#include "status_palette.h"

#include <algorithm>

namespace podpath::report {

std::string htmlEscaped(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string markdownCell(std::string_view s)
{
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += "<br>";
        else
            out += c;
    }
    return out;
}

std::string markdownHashes(int level) { return std::string(std::size_t(std::clamp(level, 1, 6)), '#'); }

std::string fenceFor(std::string_view s)
{
    std::size_t longest = 0, run = 0;
    for (char c : s) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

// A token too long for a line (a node's JSON, `ip -j` prints one line of it) gets break
// opportunities (zero-width spaces, invisible) after its commas and semicolons, so the
// printed page wraps it there and nowhere inside a word or an address. Only a run that
// has none for 80 characters is given one every 80: it could not be printed whole on
// any line.
std::string withBreaks(std::string_view raw)
{
    static constexpr std::size_t kLongToken = 40, kMaxRun = 80;
    static constexpr std::string_view kZeroWidthSpace = "\u200b";
    std::string out;
    out.reserve(raw.size());
    std::size_t i = 0;
    while (i < raw.size()) {
        const auto isSpace = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
        if (isSpace(raw[i])) {
            out += raw[i++];
            continue;
        }
        std::size_t end = i;
        while (end < raw.size() && !isSpace(raw[end]))
            ++end;
        const std::string_view token = raw.substr(i, end - i);
        if (token.size() <= kLongToken) {
            out += token;
        } else {
            std::size_t run = 0;
            for (std::size_t k = 0; k < token.size(); ++k) {
                const char c = token[k];
                const bool continuation = (static_cast<unsigned char>(c) & 0xC0) == 0x80;
                if (run >= kMaxRun && !continuation) {
                    out += kZeroWidthSpace;
                    run = 0;
                }
                out += c;
                ++run;
                if ((c == ',' || c == ';') && k + 1 < token.size()) {
                    out += kZeroWidthSpace;
                    run = 0;
                }
            }
        }
        i = end;
    }
    return out;
}

std::string documentCss(bool forPrint)
{
    const StatusPalette &l = kLightPalette, &k = kDarkPalette;
    auto tones = [](const StatusPalette &p) {
        return ".pass{color:" + cssColor(p.pass) + "}.fail{color:" + cssColor(p.fail) + "}.unknown{color:" +
               cssColor(p.unknown) + "}.skipped{color:" + cssColor(p.skipped) + "}.warning{color:" + cssColor(p.warning) +
               "}\n";
    };
    std::string out = "body{font-family:sans-serif;color:#1f2328;background:#fff}\n";
    if (!forPrint)
        out += "body{max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.35}\n";
    out += "h1{font-size:16pt;margin:0 0 .3em 0}h2{font-size:13pt;margin:1em 0 .3em 0}h3{font-size:11pt;margin:.8em 0 .2em 0}\n"
           "table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #b8bec5;padding:3px 6px;text-align:left;"
           "vertical-align:top}\n"
           "pre{font-family:monospace;white-space:pre-wrap;background:#f4f6f8;padding:4px;margin:.2em 0}\n"
           "code{font-family:monospace}.muted{color:#57606a}.mark{font-weight:bold}\n"
           ".verdict{font-size:14pt;font-weight:bold;padding:6px;border:2px solid #1f2328;margin:.4em 0}\n"
           ".verdict.fail{background:" + cssColor(l.failTint) + "}.verdict.unknown{background:" + cssColor(l.unknownTint) +
           "}\n.appendix{page-break-before:always}\n";
    out += tones(l);
    if (forPrint)
        return out + "body{font-size:10pt}td,th{font-size:9pt}pre{font-size:8pt}.evidence{font-size:7.5pt}\n";
    return out + "details{margin:.3em 0}summary{cursor:pointer}img{max-width:100%;height:auto}pre{overflow-x:auto}\n"
                 ".verdict{border-left-width:8px}\n"
                 "@media screen and (prefers-color-scheme: dark){body{background:#1c1e21;color:#e8eaed}pre{background:#26292d}"
                 "td,th{border-color:#4a5058}.muted{color:#a3aab2}.verdict{border-color:#e8eaed}.verdict.fail{background:" +
                 cssColor(k.failTint) + "}.verdict.unknown{background:" + cssColor(k.unknownTint) + "}" + tones(k) + "}\n"
                 "@media print{body{max-width:none;margin:0}details{page-break-inside:avoid}}\n";
}

} // namespace podpath::report
