#include "matrix_command.h"

#include "command_output.h"
#include "ssh_options.h"

#include "core/printable.h"
#include "diagnose/matrix_engine.h"
#include "core/bounded_file.h"
#include "diagram_image.h"
#include "remote/cli_prompter.h"
#include "remote/cluster_sessions.h"
#include "remote/one_passphrase_per_key.h"
#include "remote/recording_node_shell.h"
#include "report/matrix_document.h"
#include "report/matrix_report.h"
#include "report/output_file.h"

#include <QCommandLineParser>
#include <QDir>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <unistd.h>

namespace podpath::app {

namespace {

constexpr const char *kCommand = "podpath matrix";
constexpr int kMaxNodes = 100;
// Sessions opened at once: enough to reach a rack in a second or two, few enough that a
// bastion or an sshd's MaxStartups (10 unauthenticated connections) is not flooded.
constexpr std::size_t kConnectAtOnce = 8;

int fail(const std::string &message) { return failWith(kCommand, message); }

} // namespace

int runMatrix(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Every node pings every other in one burst while each node captures, and every ordered pair gets the "
        "diagnosis `podpath diagnose` gives it, from the same packets.\nExit status: 0 every pair works, 1 some pair "
        "failed, 2 some pair or node could not be judged and none failed (one line on stderr says why)."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("node"), QStringLiteral("[user@]host[:port] or ~/.ssh/config alias; two or more."),
                            QStringLiteral("node..."));
    const QCommandLineOption nodesFile(QStringLiteral("nodes-file"), QStringLiteral("Read the nodes from FILE, one per line (# comments)."), QStringLiteral("file"));
    const QCommandLineOption identity(QStringLiteral("identity"), QStringLiteral("Private key file to try first."), QStringLiteral("file"));
    const QCommandLineOption knownHosts(QStringLiteral("known-hosts"), QStringLiteral("known_hosts file (default ~/.ssh/known_hosts)."), QStringLiteral("file"));
    const QCommandLineOption sshConfig(QStringLiteral("ssh-config"), QStringLiteral("ssh config file (default ~/.ssh/config)."), QStringLiteral("file"));
    const QCommandLineOption jump(QStringLiteral("jump"), QStringLiteral("Jump host: [user@]host[:port]."), QStringLiteral("host"));
    const QCommandLineOption acceptKey(QStringLiteral("accept-host-key"), QStringLiteral("Trust and save host keys not yet in known_hosts (a changed or revoked key is always refused)."));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Echoes per pair in the burst (1-100, default 5)."), QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Write the matrix and every pair's diagnosis as JSON to FILE (- for stdout)."), QStringLiteral("file"));
    const QCommandLineOption report(QStringLiteral("report"), QStringLiteral("Write a report for a ticket: FILE.html (self-contained, with the failing pairs' diagrams) or FILE.md."), QStringLiteral("file"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No matrix on stdout, no progress or line per file written on stderr."));
    const QCommandLineOption record(QStringLiteral("record"), QStringLiteral("Also record every node's session in DIR (nodes.txt, node-1.json ...; no secrets)."), QStringLiteral("dir"));
    const QCommandLineOption replay(QStringLiteral("replay"), QStringLiteral("Run from sessions recorded with --record in DIR instead of connecting."), QStringLiteral("dir"));
    const QCommandLineOption order(QStringLiteral("order"), QStringLiteral("Rows and columns of the matrix: given, name, failing (most failing pairs first) or clustered (nodes that fail alike together; the default)."), QStringLiteral("order"), QString::fromStdString(std::string(diagnose::matrixOrderWord(diagnose::kDefaultMatrixOrder))));
    for (const auto &o : {nodesFile, identity, knownHosts, sshConfig, jump, acceptKey, count, json, report, quiet, record, replay, order})
        p.addOption(o);
    if (!p.parse(arguments))
        return fail(p.errorText().toStdString() + " (try podpath matrix --help)");
    if (p.isSet(QStringLiteral("help"))) {
        const QString help = p.helpText();
        std::fputs(qPrintable(QStringLiteral("Usage: podpath matrix [options] node...") + help.mid(help.indexOf(QLatin1Char('\n')))), stdout);
        return 0;
    }
    diagnose::MatrixOptions options;
    bool countOk = false;
    options.count = p.value(count).toInt(&countOk);
    if (!countOk || options.count < 1 || options.count > 100)
        return fail("--count must be a number from 1 to 100");
    const auto shownOrder = diagnose::matrixOrderFromWord(p.value(order).toStdString());
    if (!shownOrder)
        return fail("--order must be given, name, failing or clustered");
    const bool beQuiet = p.isSet(quiet);
    // No PDF: the two-node PDF is laid out around one diagram; print the HTML instead.
    if (p.isSet(report) && !p.value(report).endsWith(QLatin1String(".html")) && !p.value(report).endsWith(QLatin1String(".md")))
        return fail("--report must name a .html or .md file (a PDF: print the HTML report)");
    // Before connecting: a run whose result cannot be saved is a run wasted.
    for (const QCommandLineOption *o : {&json, &report}) {
        if (!p.isSet(*o) || p.value(*o) == QLatin1String("-"))
            continue;
        if (auto why = report::whyNotWritable(p.value(*o)))
            return fail("cannot write --" + o->names().front().toStdString() + " " + p.value(*o).toStdString() + ": " +
                        *why + (why->ends_with("does not exist") ? "; create it or choose another path" : "; choose another path"));
    }
    for (const QCommandLineOption *o : {&record})
        if (p.isSet(*o))
            if (auto why = report::whyNotWritableFolder(p.value(*o)))
                return fail("cannot write --record " + p.value(*o).toStdString() + ": " + *why + "; choose another folder");

    std::vector<std::string> hosts;
    std::vector<remote::ClusterNode> cluster;
    std::unique_ptr<remote::CliPrompter> prompter;
    std::unique_ptr<remote::OnePassphrasePerKey> onePassphrase;
    const auto started = std::chrono::steady_clock::now();
    if (p.isSet(replay)) {
        auto loaded = remote::loadClusterRecording(p.value(replay).toStdString());
        if (!loaded.ok())
            return fail("--replay: " + loaded.error().oneLine());
        cluster = std::move(loaded).value();
        for (const auto &n : cluster)
            hosts.push_back(n.host);
    } else {
        if (p.isSet(nodesFile)) {
            auto text = readFileBounded(p.value(nodesFile).toStdString(), 1024 * 1024, "the nodes file",
                                        "name a file with one node per line");
            if (!text.ok())
                return fail("--nodes-file: " + text.error().oneLine());
            auto list = remote::parseNodeList(*text, p.value(nodesFile).toStdString());
            if (!list.ok())
                return fail("--nodes-file: " + list.error().oneLine());
            hosts = *list;
        }
        for (const QString &a : p.positionalArguments())
            hosts.push_back(a.toStdString());
        SshChoices choices = sshChoices(p, identity, knownHosts, sshConfig);
        if (p.isSet(jump)) {
            auto j = remote::parseJumpHost(p.value(jump).toStdString());
            if (!j.ok())
                return fail("--jump: " + j.error().oneLine());
            choices.jump = *j;
        }
        if (hosts.size() < 2 || hosts.size() > std::size_t(kMaxNodes))
            return fail("name 2 to " + std::to_string(kMaxNodes) + " nodes (e.g. podpath matrix root@node1 root@node2 "
                        "root@node3, or --nodes-file nodes.txt)");
        std::vector<std::pair<std::string, remote::SshTarget>> targets;
        std::set<std::string> seen;
        for (const auto &h : hosts) {
            auto t = sshTarget(h, choices);
            if (!t.ok())
                return fail(h + ": " + t.error().oneLine());
            if (!seen.insert(t->label()).second)
                return fail(h + " is named twice: name each node once");
            targets.emplace_back(h, *t);
        }
        remote::CliPrompter::Options promptOptions;
        if (p.isSet(acceptKey))
            promptOptions.unknownHostKeys = remote::HostKeyDecision::AcceptAndSave;
        prompter = std::make_unique<remote::CliPrompter>(promptOptions);
        onePassphrase = std::make_unique<remote::OnePassphrasePerKey>(prompter.get());
        const bool showProgress = !beQuiet && ::isatty(STDERR_FILENO) == 1;
        cluster = remote::connectCluster(targets, onePassphrase.get(), kConnectAtOnce, [&](std::size_t done, std::size_t all) {
            if (showProgress)
                std::fprintf(stderr, "%s: connected to %zu of %zu nodes%s", kCommand, done, all, done == all ? "\n" : "\r");
        });
    }
    if (hosts.size() < 2)
        return fail("name 2 to " + std::to_string(kMaxNodes) + " nodes");

    std::vector<std::unique_ptr<remote::RecordingNodeShell>> recorders(cluster.size());
    std::vector<diagnose::MatrixTarget> targets;
    for (std::size_t i = 0; i < cluster.size(); ++i) {
        remote::NodeShell *use = cluster[i].shell.get();
        if (use && p.isSet(record)) {
            recorders[i] = std::make_unique<remote::RecordingNodeShell>(*use);
            use = recorders[i].get();
        }
        targets.push_back({cluster[i].host, use, cluster[i].error});
    }
    diagnose::MatrixEngine engine(std::move(targets), options);
    engine.setProgressSink([](const diagnose::StepReport &r) {
        spdlog::debug("step {} {} ({} ms) {}", r.path, diagnose::toString(r.state), r.duration.count(), r.error);
    });
    diagnose::ClusterMatrix m = engine.run();
    m.timings.insert(m.timings.begin(),
                     {"connect", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started) -
                                     (m.timings.empty() ? std::chrono::milliseconds(0) : m.timings.back().duration)});

    std::string error;
    if (p.isSet(record)) {
        const QString dir = p.value(record);
        if (!QDir().mkpath(dir))
            return fail("cannot create the recording folder " + dir.toStdString());
        for (std::size_t i = 0; i < hosts.size(); ++i)
            if (recorders[i])
                if (auto r = recorders[i]->save(remote::clusterNodeFile(dir.toStdString(), i)); !r.ok())
                    return fail("--record: " + r.error().oneLine());
        if (!writeFile(dir + QStringLiteral("/nodes.txt"), QByteArray::fromStdString(remote::clusterListText(hosts)), error))
            return fail(error);
        sayWrote(kCommand, beQuiet, "the recording (nodes.txt, node-N.json)", dir);
    }
    if (p.isSet(json)) {
        if (!writeFile(p.value(json), report::toJsonBytes(m), error))
            return fail(error);
        sayWrote(kCommand, beQuiet, "the matrix (JSON)", p.value(json));
    }
    if (p.isSet(report)) {
        const QString file = p.value(report);
        const bool markdown = file.endsWith(QLatin1String(".md"));
        report::MatrixHtmlOptions pictures;
        // At 1x: up to twelve pictures at 2x (the two-node report's) would make the file
        // several megabytes, more than many tickets take.
        pictures.diagram = [](const diagnose::Diagnosis &d) { return widgets::renderReportDiagramPng(d, 1.0); };
        pictures.diagramWidth = int(widgets::reportDiagramSize().width());
        const std::string doc = markdown ? report::renderMatrixMarkdown(m) : report::renderMatrixHtml(m, pictures);
        if (!writeFile(file, QByteArray::fromStdString(doc), error))
            return fail(error);
        sayWrote(kCommand, beQuiet, markdown ? "the Markdown report" : "the HTML report", file);
    }
    const bool jsonOnStdout = p.isSet(json) && p.value(json) == QLatin1String("-");
    if (!beQuiet && !jsonOnStdout) {
        report::TerminalStyle style;
        style.color = ::isatty(STDOUT_FILENO) == 1;
        style.width = terminalColumns();
        std::fputs(report::renderMatrixTerminal(m, style, *shownOrder).c_str(), stdout);
    }
    const int status = report::matrixExitStatus(m);
    if (status == 2)
        std::fprintf(stderr, "%s: %s\n", kCommand,
                     m.cells.empty() ? "no pair could be judged (see the nodes above)"
                                     : "not every pair could be judged, and none failed: the matrix does not show the cluster healthy");
    return status;
}

} // namespace podpath::app
