#include "report/matrix_report.h"

#include "core/printable.h"
#include "report/json_report.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace podpath::report {

using namespace podpath::diagnose;

namespace {

// Position of a hop on the pair's path, from 1.
int hopNumber(const Diagnosis &d, HopId id)
{
    const auto path = d.path();
    const auto at = std::find(path.begin(), path.end(), id);
    return at == path.end() ? 0 : int(at - path.begin()) + 1;
}

std::string fit(std::string s, std::size_t width)
{
    if (s.size() > width)
        s = s.substr(0, width - 1) + "~";
    return s + std::string(width - s.size(), ' ');
}

const char *paint(Verdict v)
{
    switch (v) {
    case Verdict::Pass: return "\x1b[32m";
    case Verdict::Fail: return "\x1b[31;1m";
    case Verdict::Error: return "\x1b[35m";
    case Verdict::Incomplete: return "\x1b[33m";
    }
    return "";
}

std::string pairLine(const ClusterMatrix &m, const MatrixCell &c)
{
    const Diagnosis &d = c.diagnosis;
    std::string line = "  " + nodeName(m.nodes[c.client].facts) + " -> " + nodeName(m.nodes[c.server].facts) + ": ";
    if (d.verdict == Verdict::Fail && d.firstFailingHop)
        line += "stops at " + std::string(hopInfo(*d.firstFailingHop).title);
    else if (d.verdict == Verdict::Fail)
        line += "a check failed";
    else if (d.verdict == Verdict::Error)
        line += "could not be judged";
    else
        line += "not proven";
    const Finding *first = d.findings.empty() ? nullptr : &d.findings.front();
    if (first)
        line += ": " + first->message;
    else if (!d.error.empty())
        line += ": " + d.error;
    return printable(line);
}

} // namespace

std::string matrixMark(const ClusterMatrix &m, std::size_t client, std::size_t server)
{
    if (client == server)
        return "--";
    if (!m.nodes[client].problem.empty() && !m.cell(client, server))
        return "xx";
    if (!m.nodes[server].problem.empty() && !m.cell(client, server))
        return "xx";
    const MatrixCell *c = m.cell(client, server);
    if (!c)
        return "xx";
    const Diagnosis &d = c->diagnosis;
    switch (d.verdict) {
    case Verdict::Pass: return "ok";
    case Verdict::Fail:
        if (d.firstFailingHop)
            if (const int n = hopNumber(d, *d.firstFailingHop); n > 0 && n < 10)
                return "F" + std::to_string(n);
        return "F*";
    case Verdict::Incomplete: return "??";
    case Verdict::Error: return "!!";
    }
    return "??";
}

std::string matrixCounts(const ClusterMatrix &m)
{
    const std::size_t n = m.nodes.size();
    const int pairs = int(n * (n ? n - 1 : 0)), judged = int(m.cells.size());
    const int pass = m.count(Verdict::Pass), fail = m.count(Verdict::Fail);
    const int unproven = m.count(Verdict::Incomplete), error = m.count(Verdict::Error);
    std::string out = std::to_string(n) + " nodes, " + std::to_string(pairs) + " ordered pairs";
    out += ": " + std::to_string(pass) + " pass, " + std::to_string(fail) + " fail";
    if (unproven)
        out += ", " + std::to_string(unproven) + " not proven";
    if (error)
        out += ", " + std::to_string(error) + " could not be judged";
    if (pairs > judged)
        out += ", " + std::to_string(pairs - judged) + " with a node not reached";
    const auto unreached = std::count_if(m.nodes.begin(), m.nodes.end(), [](const MatrixNode &node) { return !node.problem.empty(); });
    if (unreached)
        out += "; " + std::to_string(unreached) + (unreached == 1 ? " node" : " nodes") + " not reached";
    return out;
}

std::string renderMatrixTerminal(const ClusterMatrix &m, const TerminalStyle &style, MatrixOrder order)
{
    const std::size_t n = m.nodes.size();
    std::string out = "PodPath cluster matrix: " + matrixCounts(m);
    out += m.recorded ? " (replayed from a recording)\n" : "\n";
    out += std::string(kMatrixAxes) + "\n";
    const std::vector<std::size_t> shown = orderNodes(m, order);
    // Said only when the rows moved: a node keeps the number it was given in every order.
    if (!std::is_sorted(shown.begin(), shown.end())) {
        if (order == MatrixOrder::Clustered)
            out += "Clustered: nodes whose pairs fail alike side by side, the worst first; numbered as given.\n";
        else if (order == MatrixOrder::FailingFirst)
            out += "Failing first: the nodes with the most pairs that did not pass first; numbered as given.\n";
        else
            out += "By name; numbered as given.\n";
    }
    out += "\n";

    std::size_t nameWidth = 4;
    for (const auto &node : m.nodes)
        nameWidth = std::max(nameWidth, std::min<std::size_t>(printable(nodeName(node.facts)).size(), 24));
    const std::string indent(nameWidth + 7, ' ');
    out += indent;
    for (std::size_t j : shown)
        out += fit(std::to_string(j + 1), 4);
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    out += "\n";
    for (std::size_t i : shown) {
        out += fit(std::to_string(i + 1), 3) + "  " + fit(printable(nodeName(m.nodes[i].facts)), nameWidth) + "  ";
        for (std::size_t j : shown) {
            const std::string mark = matrixMark(m, i, j);
            const MatrixCell *c = m.cell(i, j);
            if (style.color && c)
                out += std::string(paint(c->diagnosis.verdict)) + mark + "\x1b[0m  ";
            else
                out += mark + "  ";
        }
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        out += "\n";
    }
    out += "\nNodes:\n";
    for (std::size_t i = 0; i < n; ++i) {
        const MatrixNode &node = m.nodes[i];
        std::string line = "  " + std::to_string(i + 1) + " " + nodeName(node.facts);
        if (node.facts.nodeIp)
            line += " " + node.facts.nodeIp->toString();
        if (!node.facts.tunnelDevice.empty())
            line += ", " + node.facts.tunnelDevice + (node.facts.tunnelIp ? " " + node.facts.tunnelIp->toString() : "");
        if (!node.problem.empty())
            line += ": " + node.problem;
        out += printable(line) + "\n";
    }
    out += "\nMarks: " + std::string(kMatrixMarks) + "\n";
    out += "Hops: " + std::string(kMatrixHopNumbers) + "\n";

    if (!m.patterns.empty()) {
        out += "\nWhat the failing pairs have in common:\n";
        for (const auto &pt : m.patterns)
            out += printable("  " + pt.message) + "\n    Next: " + printable(pt.nextStep) + "\n";
    }

    std::vector<const MatrixCell *> bad;
    for (const auto &c : m.cells)
        if (c.diagnosis.verdict != Verdict::Pass)
            bad.push_back(&c);
    if (!bad.empty()) {
        out += "\nPairs that did not pass (" + std::to_string(bad.size()) + "):\n";
        constexpr std::size_t kListed = 30;
        for (std::size_t k = 0; k < bad.size() && k < kListed; ++k)
            out += pairLine(m, *bad[k]) + "\n";
        if (bad.size() > kListed)
            out += "  ... and " + std::to_string(bad.size() - kListed) + " more (--json has every pair's diagnosis)\n";
    }
    return out;
}

namespace {

QJsonObject pairJson(const MatrixCell &c)
{
    QJsonObject j;
    j["client"] = int(c.client);
    j["server"] = int(c.server);
    j["verdict"] = QString::fromUtf8(toString(c.diagnosis.verdict).data(), qsizetype(toString(c.diagnosis.verdict).size()));
    j["firstFailingHop"] = c.diagnosis.firstFailingHop
                               ? QJsonValue(QString::fromUtf8(hopInfo(*c.diagnosis.firstFailingHop).key.data(),
                                                              qsizetype(hopInfo(*c.diagnosis.firstFailingHop).key.size())))
                               : QJsonValue();
    j["diagnosis"] = report::toJson(c.diagnosis);
    return j;
}

// Everything but the pairs.
QJsonObject matrixJson(const ClusterMatrix &m)
{
    QJsonObject o;
    o["schema"] = "podpath-matrix";
    o["schemaVersion"] = 1;
    o["startedAt"] = QString::fromStdString(m.startedAt);
    o["recorded"] = m.recorded;
    QJsonArray nodes;
    for (const auto &node : m.nodes) {
        QJsonObject j;
        j["host"] = QString::fromStdString(node.host);
        j["hostname"] = QString::fromStdString(node.facts.hostname);
        j["nodeIp"] = node.facts.nodeIp ? QString::fromStdString(node.facts.nodeIp->toString()) : QJsonValue();
        j["tunnelDevice"] = QString::fromStdString(node.facts.tunnelDevice);
        j["tunnelIp"] = node.facts.tunnelIp ? QString::fromStdString(node.facts.tunnelIp->toString()) : QJsonValue();
        j["problem"] = QString::fromStdString(node.problem);
        // Every command run on the node, once for all its pairs, as a diagnosis writes them.
        Diagnosis carrier;
        carrier.commands = node.commands;
        j["commands"] = report::toJson(carrier)["commands"];
        nodes.append(j);
    }
    o["nodes"] = nodes;
    QJsonObject summary;
    summary["pairs"] = int(m.nodes.size() * (m.nodes.size() ? m.nodes.size() - 1 : 0));
    summary["judged"] = int(m.cells.size());
    for (Verdict v : {Verdict::Pass, Verdict::Fail, Verdict::Incomplete, Verdict::Error})
        summary[QString::fromUtf8(toString(v).data(), qsizetype(toString(v).size()))] = m.count(v);
    o["summary"] = summary;
    QJsonArray patterns;
    for (const auto &pt : m.patterns) {
        QJsonArray cells;
        for (const auto &[c, v] : pt.cells)
            cells.append(QJsonArray{int(c), int(v)});
        patterns.append(QJsonObject{{"code", QString::fromStdString(pt.code)},
                                    {"severity", QString::fromUtf8(toString(pt.severity).data(), qsizetype(toString(pt.severity).size()))},
                                    {"message", QString::fromStdString(pt.message)},
                                    {"nextStep", QString::fromStdString(pt.nextStep)},
                                    {"cells", cells}});
    }
    o["patterns"] = patterns;
    QJsonArray timings;
    for (const auto &t : m.timings)
        timings.append(QJsonObject{{"phase", QString::fromStdString(t.phase)}, {"ms", qint64(t.duration.count())}});
    o["timings"] = timings;
    return o;
}

} // namespace

QJsonObject toJson(const ClusterMatrix &m)
{
    QJsonObject o = matrixJson(m);
    QJsonArray pairs;
    for (const auto &c : m.cells)
        pairs.append(pairJson(c));
    o["pairs"] = pairs;
    return o;
}

QByteArray toJsonBytes(const ClusterMatrix &m)
{
    // Pair by pair: the whole document as one tree would take several times its own size
    // (30 nodes: 870 diagnoses), so each pair's tree lives only while it is written.
    QByteArray out = QJsonDocument(matrixJson(m)).toJson(QJsonDocument::Compact);
    out.chop(1);  // the closing brace: the pairs follow
    out += out.endsWith('{') ? "\"pairs\":[" : ",\"pairs\":[";
    for (std::size_t k = 0; k < m.cells.size(); ++k) {
        if (k)
            out += ",\n";
        out += QJsonDocument(pairJson(m.cells[k])).toJson(QJsonDocument::Compact);
    }
    out += "]}\n";
    return out;
}

int matrixExitStatus(const ClusterMatrix &m)
{
    if (m.count(Verdict::Fail) > 0)
        return 1;
    const bool everyNode = std::all_of(m.nodes.begin(), m.nodes.end(), [](const MatrixNode &n) { return n.problem.empty(); });
    return everyNode && m.count(Verdict::Pass) == int(m.cells.size()) && !m.cells.empty() ? 0 : 2;
}

} // namespace podpath::report
