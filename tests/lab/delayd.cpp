// delayd: a TCP relay that holds every byte for a fixed time in each direction, so SSH to
// a lab node behaves as over a WAN link (the kernel here has no netem). It also counts
// round trips: a "turn" is the first bytes from the client after bytes came back from the
// node, the exchanges a protocol must wait for one after another.
//
//   delayd --listen ADDR:PORT --to ADDR:PORT --one-way-ms MS --stats FILE [--trace FILE]
//
// --trace appends one line per read: connection, milliseconds since it opened, direction
// ("up": client to node), bytes, and "turn" when the read began a round trip.
//
// Single-threaded poll loop; the stats file is rewritten whenever a connection ends:
//   connections N, turns T, up B bytes, down B bytes
// Exits when its parent's session ends (SIGTERM from `lab wan stop` or `lab down`).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Chunk {
    Clock::time_point due;
    std::string bytes;
};

// One direction of one connection: what was read from `from`, held, then written to `to`.
struct Flow {
    int from = -1, to = -1;
    std::deque<Chunk> held;
    bool eof = false;       // `from` ended; shut `to` down once `held` is empty
    bool shut = false;
    unsigned long long bytes = 0;
};

struct Connection {
    Flow up, down;          // client -> node, node -> client
    unsigned long long id = 0;
    Clock::time_point opened;
    bool lastWasDown = true;
    unsigned long long turns = 0;
    bool done() const { return up.shut && down.shut && up.held.empty() && down.held.empty(); }
};

volatile sig_atomic_t g_stop = 0;

bool parseEndpoint(const char *text, sockaddr_in &out)
{
    std::string s(text);
    const auto colon = s.rfind(':');
    if (colon == std::string::npos)
        return false;
    out = {};
    out.sin_family = AF_INET;
    out.sin_port = htons(static_cast<uint16_t>(std::atoi(s.c_str() + colon + 1)));
    return inet_pton(AF_INET, s.substr(0, colon).c_str(), &out.sin_addr) == 1 && out.sin_port != 0;
}

void setNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

void noDelay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

} // namespace

int main(int argc, char **argv)
{
    sockaddr_in listenAt{}, target{};
    long oneWayMs = -1;
    std::string statsPath;
    FILE *trace = nullptr;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string opt = argv[i];
        if (opt == "--listen" && parseEndpoint(argv[i + 1], listenAt)) continue;
        if (opt == "--to" && parseEndpoint(argv[i + 1], target)) continue;
        if (opt == "--one-way-ms") { oneWayMs = std::atol(argv[i + 1]); continue; }
        if (opt == "--stats") { statsPath = argv[i + 1]; continue; }
        if (opt == "--trace" && (trace = std::fopen(argv[i + 1], "a"))) continue;
        std::fprintf(stderr, "delayd: bad argument %s\n", argv[i]);
        return 2;
    }
    if (oneWayMs < 0 || statsPath.empty() || target.sin_port == 0 || listenAt.sin_port == 0) {
        std::fprintf(stderr, "usage: delayd --listen ADDR:PORT --to ADDR:PORT --one-way-ms MS --stats FILE\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa {};
    sa.sa_handler = [](int) { g_stop = 1; };
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);

    const int lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lfd, reinterpret_cast<sockaddr *>(&listenAt), sizeof listenAt) != 0 || listen(lfd, 16) != 0) {
        std::fprintf(stderr, "delayd: cannot listen: %s\n", std::strerror(errno));
        return 1;
    }
    setNonBlocking(lfd);
    const auto delay = std::chrono::milliseconds(oneWayMs);
    std::vector<std::unique_ptr<Connection>> conns;
    unsigned long long connections = 0, turns = 0, up = 0, down = 0;
    auto writeStats = [&] {
        const std::string tmp = statsPath + ".tmp";
        if (FILE *f = std::fopen(tmp.c_str(), "w")) {
            std::fprintf(f, "connections %llu, turns %llu, up %llu bytes, down %llu bytes\n", connections, turns, up,
                         down);
            std::fclose(f);
            std::rename(tmp.c_str(), statsPath.c_str());
        }
    };
    writeStats();

    while (!g_stop) {
        std::vector<pollfd> fds{{lfd, POLLIN, 0}};
        auto now = Clock::now();
        int timeoutMs = 1000;
        for (auto &c : conns)
            for (Flow *f : {&c->up, &c->down}) {
                if (!f->eof)
                    fds.push_back({f->from, POLLIN, 0});
                if (!f->held.empty()) {
                    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(f->held.front().due - now);
                    timeoutMs = std::min<int>(timeoutMs, std::max<int>(0, int(wait.count()) + 1));
                }
            }
        if (poll(fds.data(), fds.size(), timeoutMs) < 0 && errno != EINTR)
            break;
        now = Clock::now();
        if (fds[0].revents & POLLIN) {
            const int cfd = accept(lfd, nullptr, nullptr);
            if (cfd >= 0) {
                const int nfd = socket(AF_INET, SOCK_STREAM, 0);
                if (connect(nfd, reinterpret_cast<sockaddr *>(&target), sizeof target) == 0) {
                    setNonBlocking(cfd);
                    setNonBlocking(nfd);
                    noDelay(cfd);
                    noDelay(nfd);
                    auto c = std::make_unique<Connection>();
                    c->up.from = c->down.to = cfd;
                    c->up.to = c->down.from = nfd;
                    c->id = connections + 1;
                    c->opened = now;
                    conns.push_back(std::move(c));
                    ++connections;
                } else {
                    close(cfd);
                    close(nfd);
                }
            }
        }
        char buf[65536];
        for (auto &c : conns) {
            for (Flow *f : {&c->up, &c->down}) {
                if (f->eof)
                    continue;
                const ssize_t n = read(f->from, buf, sizeof buf);
                if (n > 0) {
                    f->held.push_back({now + delay, std::string(buf, std::size_t(n))});
                    f->bytes += std::size_t(n);
                    (f == &c->up ? up : down) += std::size_t(n);
                    const bool isUp = f == &c->up;
                    const bool turn = isUp && c->lastWasDown;
                    if (turn) {
                        ++c->turns;
                        ++turns;
                    }
                    if (trace)
                        std::fprintf(trace, "%llu %lld %s %zd%s\n", c->id,
                                     static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(now - c->opened).count()),
                                     isUp ? "up" : "down", n, turn ? " turn" : "");
                    c->lastWasDown = !isUp;
                } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                    f->eof = true;
                }
            }
            for (Flow *f : {&c->up, &c->down}) {
                while (!f->held.empty() && f->held.front().due <= now) {
                    std::string &b = f->held.front().bytes;
                    const ssize_t w = write(f->to, b.data(), b.size());
                    if (w < 0) {
                        if (errno == EAGAIN || errno == EWOULDBLOCK)
                            break;
                        f->held.clear();   // the far end is gone
                        f->eof = true;
                        break;
                    }
                    b.erase(0, std::size_t(w));
                    if (b.empty())
                        f->held.pop_front();
                }
                if (f->eof && f->held.empty() && !f->shut) {
                    shutdown(f->to, SHUT_WR);
                    f->shut = true;
                }
            }
        }
        bool ended = false;
        for (auto it = conns.begin(); it != conns.end();) {
            if ((*it)->done()) {
                close((*it)->up.from);
                close((*it)->up.to);
                it = conns.erase(it);
                ended = true;
            } else {
                ++it;
            }
        }
        if (ended)
            writeStats();
    }
    writeStats();
    if (trace)
        std::fclose(trace);
    return 0;
}
