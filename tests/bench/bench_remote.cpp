// Round trip of a short command over PodPath's open SSH session against OpenSSH's
// `ssh host true` with a new connection each time, in the same run, alternating so
// both see the same machine load. PodPath's side includes everything a real command
// pays: a job in the command shell, the node wrapper (timeout, watchdog) and the exit status.
//
//   bench_remote [N]          against a private loopback sshd (default N = 30)
//   against a lab node: set PODPATH_BENCH_HOST, PODPATH_BENCH_PORT, PODPATH_BENCH_USER,
//   PODPATH_BENCH_KEY and PODPATH_BENCH_KNOWN_HOSTS

#include "remote/ssh_node_shell.h"

#include "../e2e/remote/loopback_sshd.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <vector>

using namespace podpath;
using namespace podpath::remote;

namespace {

class NoPrompts : public SshPrompter {
public:
    HostKeyDecision unknownHostKey(const HostKeyQuestion &) override { return HostKeyDecision::Refuse; }
    std::optional<Secret> keyPassphrase(const std::string &) override { return std::nullopt; }
    std::optional<Secret> password(const std::string &, int) override { return std::nullopt; }
    std::optional<std::vector<Secret>> keyboardInteractive(const std::string &, const std::string &, const std::string &,
                                                           const std::vector<KeyboardPrompt> &) override
    {
        return std::nullopt;
    }
    std::optional<Secret> sudoPassword(const std::string &) override { return std::nullopt; }
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}
double mean(const std::vector<double> &v) { return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }

QString env(const char *name, const QString &fallback) { return qEnvironmentVariable(name, fallback); }

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::max(1, atoi(argv[1])) : 30;

    LoopbackSshd sshd;
    const bool lab = qEnvironmentVariableIsSet("PODPATH_BENCH_HOST");
    if (!lab) {
        const QString why = sshd.start();
        if (!why.isEmpty()) {
            std::fprintf(stderr, "bench_remote: cannot start a loopback sshd: %s\n", qPrintable(why));
            return 1;
        }
    }
    const QString host = env("PODPATH_BENCH_HOST", "127.0.0.1");
    const QString port = env("PODPATH_BENCH_PORT", QString::number(sshd.port()));
    const QString user = env("PODPATH_BENCH_USER", LoopbackSshd::user());
    const QString key = env("PODPATH_BENCH_KEY", sshd.clientKey());
    const QString knownHosts = env("PODPATH_BENCH_KNOWN_HOSTS", sshd.knownHosts());

    SshTarget t;
    t.host = host.toStdString();
    t.port = Port::parse(port.toStdString());
    t.user = user.toStdString();
    t.identityFile = key.toStdString();
    t.knownHostsFile = knownHosts.toStdString();
    t.configFile = "/dev/null";
    NoPrompts prompts;
    ConnectOptions co;
    co.requireRoot = false;
    SshNodeShell node(t, &prompts, co);
    QElapsedTimer connectTimer;
    connectTimer.start();
    auto info = node.connectAndWait();
    if (!info) {
        std::fprintf(stderr, "bench_remote: %s\n", info.error().oneLine().c_str());
        return 1;
    }
    const double connectMs = double(connectTimer.nsecsElapsed()) / 1e6;

    const QStringList sshArgs = {"-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                                 "-o", "UserKnownHostsFile=" + knownHosts, "-i", key, "-p", port,
                                 user + "@" + host, "true"};
    RunOptions o;
    o.timeout = *Seconds::of(30);
    std::vector<double> ours, openssh;
    for (int i = -2; i < n; ++i) {   // two warm-up rounds
        QElapsedTimer a;
        a.start();
        auto r = node.run(RemoteCommand("true"), o);
        const double oursMs = double(a.nsecsElapsed()) / 1e6;
        if (!r || !r->succeeded()) {
            std::fprintf(stderr, "bench_remote: true failed over the session\n");
            return 1;
        }
        QElapsedTimer b;
        b.start();
        const int rc = QProcess::execute("ssh", sshArgs);
        const double sshMs = double(b.nsecsElapsed()) / 1e6;
        if (rc != 0) {
            std::fprintf(stderr, "bench_remote: ssh exited %d\n", rc);
            return 1;
        }
        if (i >= 0) {
            ours.push_back(oursMs);
            openssh.push_back(sshMs);
        }
    }
    std::printf("target: %s@%s:%s (%s), %d round trips each, alternating\n", qPrintable(user), qPrintable(host),
                qPrintable(port), lab ? "lab node" : "loopback sshd", n);
    std::printf("podpath: one connection + login + privilege probe: %.1f ms\n", connectMs);
    std::printf("podpath open session, `true` (one job in the command shell, under timeout and watchdog): median %.1f ms, mean %.1f ms\n",
                median(ours), mean(ours));
    std::printf("ssh host true (OpenSSH, new connection each time):      median %.1f ms, mean %.1f ms\n",
                median(openssh), mean(openssh));
    std::printf("ratio (ssh / podpath, medians): %.1fx\n", median(openssh) / median(ours));
    return 0;
}
