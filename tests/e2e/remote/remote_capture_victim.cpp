// Plays PodPath being killed mid-capture, for the SIGKILL test: connects to a node,
// starts `sleep MARKER` in its command shell and `tcpdump -i lo -U -w - port MARKER` as a
// stream (as root, through sudo when the login is not root), says "capturing" on stdout
// and waits to be killed.
//
//   remote_capture_victim PORT USER KEY KNOWN_HOSTS MARKER [HOST]

#include "remote/ssh_node_shell.h"

#include <QCoreApplication>

#include <cstdio>
#include <thread>

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
    std::optional<Secret> sudoPassword(const std::string &) override
    {
        const char *pw = getenv("PP_VICTIM_SUDO_PASSWORD");
        return pw ? std::optional<Secret>(Secret(pw)) : std::nullopt;
    }
};
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 6) {
        std::fprintf(stderr, "usage: %s PORT USER KEY KNOWN_HOSTS MARKER [HOST]\n", argv[0]);
        return 2;
    }
    SshTarget t;
    t.host = argc > 6 ? argv[6] : "127.0.0.1";
    t.port = Port::parse(argv[1]);
    t.user = std::string(argv[2]);
    t.identityFile = std::string(argv[3]);
    t.knownHostsFile = std::string(argv[4]);
    t.configFile = "/dev/null";
    auto marker = Port::parse(argv[5]);
    if (!t.port || !marker)
        return 2;
    NoPrompts prompts;
    SshNodeShell node(t, &prompts);
    auto info = node.connectAndWait();
    if (!info) {
        std::fprintf(stderr, "victim: %s\n", info.error().oneLine().c_str());
        return 1;
    }
    RunOptions o;
    o.timeout = *Seconds::of(600);
    o.asRoot = true;
    o.maxOutputBytes = std::size_t(1) << 32;
    // A root job in the command shell too (where sudo needs no password, the shell has
    // taken root for it): it must end with PodPath as the capture does.
    auto held = node.start(RemoteCommand("sleep").arg(*Count::of(marker->value())), o);
    auto h = node.stream(RemoteCommand("tcpdump").flag("-i").flag("lo").flag("-U").flag("-w").flag("-").flag("port").arg(*marker),
                         o, [](std::string_view) {});
    std::this_thread::sleep_for(std::chrono::seconds(1));
    if (h->isFinished()) {
        std::fprintf(stderr, "victim: the capture ended at once: %s\n",
                     h->result().ok() ? h->result()->err.c_str() : h->result().error().oneLine().c_str());
        return 1;
    }
    std::printf("capturing\n");
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::seconds(120));   // bounded, in case nobody kills us
    return 0;
}
