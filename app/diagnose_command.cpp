#include "diagnose_command.h"

#include "command_output.h"
#include "ssh_options.h"

#include "core/printable.h"
#include "diagram_image.h"
#include "pdf_report.h"
#include "diagnose/engine.h"
#include "remote/cli_prompter.h"
#include "remote/one_passphrase_per_key.h"
#include "remote/recording_node_shell.h"
#include "remote/replay_node_shell.h"
#include "remote/ssh_node_shell.h"
#include "report/document_report.h"
#include "report/json_report.h"
#include "report/output_file.h"
#include "report/terminal_picture.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <sys/ioctl.h>
#include <unistd.h>

namespace podpath::app {

namespace {

constexpr const char *kCommand = "podpath diagnose";

int fail(const std::string &message) { return failWith(kCommand, message); }

void sayWrote(bool quiet, const char *what, const QString &path) { app::sayWrote(kCommand, quiet, what, path); }

const char *reportKind(const QString &file)
{
    return file.endsWith(QLatin1String(".md")) ? "the Markdown report"
           : file.endsWith(QLatin1String(".pdf")) ? "the PDF report"
                                                   : "the HTML report";
}

} // namespace

int runDiagnose(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Runs the Calico overlay troubleshooting procedure on two nodes at once and reports where the packet path "
        "breaks.\nExit status: 0 the path works (every hop seen), 1 a hop failed, 2 the diagnosis could not run or could "
        "not prove the path (a hop without evidence; one line on stderr says why)."));
    p.addHelpOption();
    const QCommandLineOption client(QStringLiteral("client"), QStringLiteral("Client node: [user@]host[:port] or ~/.ssh/config alias."), QStringLiteral("node"));
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Server node: [user@]host[:port] or alias."), QStringLiteral("node"));
    const QCommandLineOption identity(QStringLiteral("identity"), QStringLiteral("Private key file to try first."), QStringLiteral("file"));
    const QCommandLineOption knownHosts(QStringLiteral("known-hosts"), QStringLiteral("known_hosts file (default ~/.ssh/known_hosts)."), QStringLiteral("file"));
    const QCommandLineOption sshConfig(QStringLiteral("ssh-config"), QStringLiteral("ssh config file (default ~/.ssh/config)."), QStringLiteral("file"));
    const QCommandLineOption jump(QStringLiteral("jump"), QStringLiteral("Jump host: [user@]host[:port]."), QStringLiteral("host"));
    const QCommandLineOption mode(QStringLiteral("mode"), QStringLiteral("auto, ipip or vxlan (default auto: detected)."), QStringLiteral("mode"), QStringLiteral("auto"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Echoes in the burst (1-100, default 5)."), QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption acceptKey(QStringLiteral("accept-host-key"), QStringLiteral("Trust and save host keys not yet in known_hosts (a changed or revoked key is always refused)."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Write the diagnosis as JSON to FILE (- for stdout)."), QStringLiteral("file"));
    const QCommandLineOption report(QStringLiteral("report"), QStringLiteral("Write a report: FILE.html (self-contained), FILE.md or FILE.pdf (A4)."), QStringLiteral("file"));
    const QCommandLineOption png(QStringLiteral("png"), QStringLiteral("Write the path diagram as a PNG (2x, for tickets)."), QStringLiteral("file"));
    const QCommandLineOption pcap(QStringLiteral("pcap"), QStringLiteral("Write each node's capture as DIR/client.pcap and DIR/server.pcap (one file per interface, DIR/client-eth0.pcap ..., where tcpdump is older than 4.99)."), QStringLiteral("dir"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No path picture on stdout, no line per file written on stderr."));
    const QCommandLineOption record(QStringLiteral("record"), QStringLiteral("Also record both sessions as DIR/client.json and DIR/server.json (for replay and bug reports; no secrets)."), QStringLiteral("dir"));
    const QCommandLineOption clientPod(QStringLiteral("client-pod"), QStringLiteral("Pod to pod: the IPv4 address of a pod on the client node; it pings --server-pod from inside its network namespace, and both pods' policies are read around it (needs root or sudo for ip netns exec)."), QStringLiteral("ip"));
    const QCommandLineOption serverPod(QStringLiteral("server-pod"), QStringLiteral("Pod to pod: the IPv4 address of a pod on the server node."), QStringLiteral("ip"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Pod to pod: also connect from the client pod to this port of the server pod (TCP unless --protocol udp); the ping runs beside it."), QStringLiteral("n"));
    const QCommandLineOption protocol(QStringLiteral("protocol"), QStringLiteral("Pod to pod: icmp, tcp or udp (default: tcp with --port, else icmp)."), QStringLiteral("name"));
    const QCommandLineOption replay(QStringLiteral("replay"), QStringLiteral("Diagnose from recorded sessions DIR/client.json and DIR/server.json instead of connecting."), QStringLiteral("dir"));
    for (const auto &o : {client, server, clientPod, serverPod, port, protocol, identity, knownHosts, sshConfig, jump, mode, count, acceptKey, json, report, png, pcap, quiet, record, replay})
        p.addOption(o);
    if (!p.parse(arguments))
        return fail(p.errorText().toStdString() + " (try podpath diagnose --help)");
    if (p.isSet(QStringLiteral("help"))) {
        // Qt names the program by its path; the usage line names the command.
        const QString help = p.helpText();
        std::fputs(qPrintable(QStringLiteral("Usage: podpath diagnose [options]") + help.mid(help.indexOf(QLatin1Char('\n')))), stdout);
        return 0;
    }
    if (!p.isSet(replay) && (!p.isSet(client) || !p.isSet(server)))
        return fail("--client and --server are required (e.g. --client root@node1 --server root@node2)");

    diagnose::DiagnoseOptions options;
    const QString m = p.value(mode);
    if (m == QLatin1String("ipip"))
        options.mode = diagnose::Encapsulation::IpIp;
    else if (m == QLatin1String("vxlan"))
        options.mode = diagnose::Encapsulation::Vxlan;
    else if (m != QLatin1String("auto"))
        return fail("--mode must be auto, ipip or vxlan, not '" + m.toStdString() + "'");
    bool countOk = false;
    options.count = p.value(count).toInt(&countOk);
    if (!countOk || options.count < 1 || options.count > 100)
        return fail("--count must be a number from 1 to 100");
    if (p.isSet(clientPod) || p.isSet(serverPod)) {
        if (!p.isSet(clientPod) || !p.isSet(serverPod))
            return fail("--client-pod and --server-pod go together (e.g. --client-pod 10.244.1.7 --server-pod 10.244.2.9)");
        const auto c = Ipv4::parse(p.value(clientPod).toStdString());
        const auto s = Ipv4::parse(p.value(serverPod).toStdString());
        if (!c || !s)
            return fail("--client-pod and --server-pod take a pod's IPv4 address (kubectl get pod -o wide shows it), not '" +
                        p.value(c ? serverPod : clientPod).toStdString() + "'");
        options.pods = diagnose::DiagnoseOptions::Pods{*c, *s, diagnose::Transport::Icmp, std::nullopt};
        const QString proto = p.isSet(protocol) ? p.value(protocol).toLower() : p.isSet(port) ? QStringLiteral("tcp") : QStringLiteral("icmp");
        const auto t = diagnose::parseTransport(proto.toStdString());
        if (!t)
            return fail("--protocol must be icmp, tcp or udp, not '" + p.value(protocol).toStdString() + "'");
        options.pods->protocol = *t;
        if (*t == diagnose::Transport::Icmp && p.isSet(port))
            return fail("--port goes with --protocol tcp or udp (ICMP has no port)");
        if (*t != diagnose::Transport::Icmp) {
            if (!p.isSet(port))
                return fail("--protocol " + proto.toStdString() + " needs --port (e.g. --port 8080)");
            const auto n = remote::Port::parse(p.value(port).toStdString());
            if (!n || n->value() == 0)
                return fail("--port must be a port number from 1 to 65535, not '" + p.value(port).toStdString() + "'");
            options.pods->port = *n;
        }
    } else if (p.isSet(port) || p.isSet(protocol)) {
        return fail("--port and --protocol go with --client-pod and --server-pod (they probe from pod to pod)");
    }
    if (p.isSet(report)) {
        const QString r = p.value(report);
        if (!r.endsWith(QLatin1String(".html")) && !r.endsWith(QLatin1String(".md")) && !r.endsWith(QLatin1String(".pdf")))
            return fail("--report must name a .html, .md or .pdf file");
    }
    // Before connecting: a run whose result cannot be saved is a run wasted.
    for (const QCommandLineOption *o : {&json, &report, &png}) {
        if (!p.isSet(*o) || p.value(*o) == QLatin1String("-"))
            continue;
        if (auto why = report::whyNotWritable(p.value(*o)))
            return fail("cannot write --" + o->names().front().toStdString() + " " + p.value(*o).toStdString() + ": " +
                        *why + (why->ends_with("does not exist") ? "; create it or choose another path" : "; choose another path"));
    }
    for (const QCommandLineOption *o : {&pcap, &record}) {
        if (!p.isSet(*o))
            continue;
        if (auto why = report::whyNotWritableFolder(p.value(*o)))
            return fail("cannot write --" + o->names().front().toStdString() + " " + p.value(*o).toStdString() + ": " +
                        *why + "; choose another folder");
    }
    const bool beQuiet = p.isSet(quiet);

    std::unique_ptr<remote::NodeShell> clientShell, serverShell;
    std::unique_ptr<remote::CliPrompter> prompter;
    std::unique_ptr<remote::OnePassphrasePerKey> onePassphrase;
    std::string clientHost = p.value(client).toStdString(), serverHost = p.value(server).toStdString();
    if (p.isSet(replay)) {
        const std::string dir = p.value(replay).toStdString();
        auto c = remote::ReplayNodeShell::loadRecording(dir + "/client.json");
        if (!c.ok())
            return fail("--replay: " + c.error().oneLine());
        auto s = remote::ReplayNodeShell::loadRecording(dir + "/server.json");
        if (!s.ok())
            return fail("--replay: " + s.error().oneLine());
        if (clientHost.empty())
            clientHost = c->node.label;
        if (serverHost.empty())
            serverHost = s->node.label;
        clientShell = std::make_unique<remote::ReplayNodeShell>(std::move(c).value());
        serverShell = std::make_unique<remote::ReplayNodeShell>(std::move(s).value());
    } else {
        // Parsed once, before either node, so its error says --jump.
        std::optional<remote::JumpHost> jumpHost;
        if (p.isSet(jump)) {
            auto j = remote::parseJumpHost(p.value(jump).toStdString());
            if (!j.ok())
                return fail("--jump: " + j.error().oneLine());
            jumpHost = *j;
        }
        SshChoices choices = sshChoices(p, identity, knownHosts, sshConfig);
        choices.jump = jumpHost;
        auto makeTarget = [&](const QCommandLineOption &which) { return sshTarget(p.value(which).toStdString(), choices); };
        auto clientTarget = makeTarget(client);
        if (!clientTarget.ok())
            return fail("--client: " + clientTarget.error().oneLine());
        auto serverTarget = makeTarget(server);
        if (!serverTarget.ok())
            return fail("--server: " + serverTarget.error().oneLine());

        remote::CliPrompter::Options promptOptions;
        if (p.isSet(acceptKey))
            promptOptions.unknownHostKeys = remote::HostKeyDecision::AcceptAndSave;
        prompter = std::make_unique<remote::CliPrompter>(promptOptions);
        // One passphrase question per key for both nodes (they connect at once).
        onePassphrase = std::make_unique<remote::OnePassphrasePerKey>(prompter.get());
        auto cs = std::make_unique<remote::SshNodeShell>(*clientTarget, onePassphrase.get());
        auto ss = std::make_unique<remote::SshNodeShell>(*serverTarget, onePassphrase.get());
        // Both connections at once: the slower node sets the pace, not their sum.
        auto c = cs->connectToNode();
        auto s = ss->connectToNode();
        const auto &cr = c->get();
        const auto &sr = s->get();
        for (auto [res, role, label] : {std::tuple{&cr, "client", clientTarget->label()},
                                        std::tuple{&sr, "server", serverTarget->label()}}) {
            if (res->ok())
                continue;
            // Still a diagnosis document: scripts read the verdict and the code.
            const Error &e = res->error();
            const diagnose::Diagnosis d = diagnose::connectionFailure(
                std::string_view(role) == "client" ? diagnose::NodeRole::Client : diagnose::NodeRole::Server, label,
                clientTarget->label(), serverTarget->label(), e);
            std::string ignored;
            if (p.isSet(json) && writeFile(p.value(json), report::toJsonBytes(d), ignored))
                sayWrote(beQuiet, "the diagnosis (JSON)", p.value(json));
            if (p.isSet(png) && writeFile(p.value(png), widgets::renderDiagramPng(d), ignored))
                sayWrote(beQuiet, "the diagram (PNG)", p.value(png));
            return fail(d.error);
        }
        clientShell = std::move(cs);
        serverShell = std::move(ss);
    }
    std::unique_ptr<remote::RecordingNodeShell> clientRec, serverRec;
    remote::NodeShell *clientUse = clientShell.get(), *serverUse = serverShell.get();
    if (p.isSet(record)) {
        if (!QDir().mkpath(p.value(record)))
            return fail("cannot create the recording folder " + p.value(record).toStdString());
        clientRec = std::make_unique<remote::RecordingNodeShell>(*clientShell);
        serverRec = std::make_unique<remote::RecordingNodeShell>(*serverShell);
        clientUse = clientRec.get();
        serverUse = serverRec.get();
    }

    diagnose::DiagnosisEngine engine({clientHost, clientUse}, {serverHost, serverUse}, options);
    engine.setProgressSink([](const diagnose::StepReport &r) {
        spdlog::debug("step {} {} ({} ms) {}", r.path, diagnose::toString(r.state), r.duration.count(), r.error);
    });
    diagnose::DiagnosisRun run = engine.run();
    const diagnose::Diagnosis &d = run.diagnosis;

    std::string error;
    if (clientRec) {
        const std::string dir = p.value(record).toStdString();
        for (auto [rec, name] : {std::pair{clientRec.get(), "/client.json"}, std::pair{serverRec.get(), "/server.json"}})
            if (auto r = rec->save(dir + name); !r.ok())
                return fail("--record: " + r.error().oneLine());
        sayWrote(beQuiet, "the recording (client.json, server.json)", p.value(record));
    }
    if (p.isSet(json)) {
        if (!writeFile(p.value(json), report::toJsonBytes(d), error))
            return fail(error);
        sayWrote(beQuiet, "the diagnosis (JSON)", p.value(json));
    }
    if (p.isSet(report)) {
        const QString r = p.value(report);
        if (r.endsWith(QLatin1String(".pdf"))) {
            QString why;
            if (!widgets::PdfReport(d).write(r, &why))
                return fail(why.toStdString());
        } else {
            const std::string doc = r.endsWith(QLatin1String(".md"))
                                        ? report::renderMarkdown(d)
                                        : report::renderHtml(d, widgets::reportHtmlOptions(d));
            if (!writeFile(r, QByteArray::fromStdString(doc), error))
                return fail(error);
        }
        sayWrote(beQuiet, reportKind(r), r);
    }
    if (p.isSet(png)) {
        if (!writeFile(p.value(png), widgets::renderDiagramPng(d), error))
            return fail(error);
        sayWrote(beQuiet, "the diagram (PNG)", p.value(png));
    }
    if (p.isSet(pcap)) {
        for (const auto &f : diagnose::pcapFiles(run)) {
            const QString file = p.value(pcap) + QLatin1Char('/') + QString::fromStdString(f.name);
            if (!writeFile(file, QByteArray::fromStdString(*f.bytes), error))
                return fail(error);
            sayWrote(beQuiet, printable(f.what).c_str(), file);
            if (!f.note.empty())
                std::fprintf(stderr, "podpath diagnose: %s\n", printable(f.note).c_str());
        }
    }
    const bool jsonOnStdout = p.isSet(json) && p.value(json) == QLatin1String("-");
    const bool pngOnStdout = p.isSet(png) && p.value(png) == QLatin1String("-");
    if (!p.isSet(quiet) && !jsonOnStdout && !pngOnStdout) {
        report::TerminalStyle style;
        style.color = ::isatty(STDOUT_FILENO) == 1;
        style.width = terminalColumns();
        std::fputs(report::renderTerminal(d, style).c_str(), stdout);
    }
    if (d.verdict == diagnose::Verdict::Error || d.verdict == diagnose::Verdict::Incomplete)
        std::fprintf(stderr, "podpath diagnose: %s\n", printable(d.error).c_str());
    return d.exitStatus();
}

} // namespace podpath::app
