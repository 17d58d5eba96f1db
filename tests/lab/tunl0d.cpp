// tunl0d: Calico's IPIP tunnel device `tunl0`, emulated in user space for the lab.
//
// The lab's kernel has no ipip module, so a TUN device named tunl0 stands in for the
// kernel's fallback tunnel, and this process does the kernel's job:
//   TUN -> wire: ask the kernel which route sent the inner packet to tunl0 (what
//                `ip route get` does) and send it, wrapped in an outer IPv4 header with
//                protocol 4, to that route's gateway. Taking the outer destination from
//                the route is what makes a wrong-gateway route fail as on a real node.
//   wire -> TUN: strip the outer header of every protocol-4 packet the kernel delivers
//                (after INPUT, so iptables and ipset rules act as on a real node) and
//                hand the inner packet to the kernel on tunl0.
// Outer headers copy what the kernel's fallback tunl0 ("ttl inherit", "nopmtudisc")
// copies: the inner TTL, the inner DF bit and the ECN bits; the source address is left
// to the kernel's route lookup, as with "local any".
//
// Bounded: exits on SIGTERM/SIGINT/SIGHUP, when the process given by --watch-pid (the
// node's sshd) exits, and when tunl0 is deleted. No dependencies beyond libc.
//
//   tunl0d [--dev tunl0] [--watch-pid PID]

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

namespace {

constexpr std::size_t kMaxPacket = 65535;
constexpr std::int64_t kRouteCacheMs = 100; // short: a fault changes the route mid-run
constexpr int kRouteCacheSlots = 64;

[[noreturn]] void die(const char *what)
{
    std::fprintf(stderr, "tunl0d: %s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

std::int64_t nowMs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int interfaceIndex(int anySocket, const std::string &name)
{
    ifreq ifr{};
    std::snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name.c_str());
    if (ioctl(anySocket, SIOCGIFINDEX, &ifr) < 0)
        die("SIOCGIFINDEX");
    return ifr.ifr_ifindex;
}

int openTun(const std::string &name)
{
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        die("open /dev/net/tun");
    ifreq ifr{};
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    std::snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name.c_str());
    if (ioctl(fd, TUNSETIFF, &ifr) < 0)
        die("TUNSETIFF");
    // Report the device as an IP tunnel (ARPHRD_TUNNEL), as the kernel's tunl0 is, so
    // `ip link` says link/ipip and captures carry the same hatype. Cosmetic: ignore failure.
    if (ioctl(fd, TUNSETLINK, static_cast<unsigned long>(ARPHRD_TUNNEL)) < 0)
        std::fprintf(stderr, "tunl0d: TUNSETLINK: %s (device stays link/none)\n", std::strerror(errno));
    return fd;
}

int openRaw()
{
    int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_IPIP);
    if (fd < 0)
        die("socket(AF_INET, SOCK_RAW, 4)");
    int on = 1;
    // We write the outer header ourselves (TTL, DF, TOS as the kernel's tunnel would);
    // a zero source and id are filled in by the kernel.
    if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof on) < 0)
        die("IP_HDRINCL");
    int buf = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    return fd;
}

int openSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &set, nullptr) < 0)
        die("sigprocmask");
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        die("signalfd");
    return fd;
}

int openPidWatch(pid_t pid)
{
    if (pid <= 0)
        return -1;
#ifdef SYS_pidfd_open
    int fd = int(syscall(SYS_pidfd_open, pid, 0));
    if (fd >= 0)
        return fd;
#endif
    if (kill(pid, 0) < 0)
        die("watched pid");
    return -1; // no pidfd: fall back to polling kill(pid, 0)
}

// Asks the kernel for the route to an inner destination (RTM_GETROUTE, as `ip route
// get`) and returns its gateway when the route leaves through our tunnel device.
class RouteLookup {
public:
    RouteLookup()
    {
        fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd_ < 0)
            die("netlink socket");
        timeval tv{1, 0};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_nl local{};
        local.nl_family = AF_NETLINK;
        if (bind(fd_, reinterpret_cast<sockaddr *>(&local), sizeof local) < 0)
            die("netlink bind");
    }

    std::optional<std::uint32_t> gatewayFor(std::uint32_t dst, int tunIndex)
    {
        const std::int64_t now = nowMs();
        Slot &slot = cache_[(ntohl(dst) * 2654435761u) % kRouteCacheSlots];
        if (slot.valid && slot.dst == dst && now - slot.at < kRouteCacheMs && slot.oif == tunIndex)
            return slot.gateway ? std::optional(slot.gateway) : std::nullopt;
        int oif = 0;
        std::uint32_t gw = 0;
        if (!ask(dst, oif, gw))
            return std::nullopt;
        slot = Slot{true, dst, gw, oif, now};
        if (oif != tunIndex || gw == 0)
            return std::nullopt; // the route no longer points at tunl0, or has no gateway
        return gw;
    }

private:
    struct Slot {
        bool valid = false;
        std::uint32_t dst = 0;
        std::uint32_t gateway = 0;
        int oif = 0;
        std::int64_t at = 0;
    };

    bool ask(std::uint32_t dst, int &oif, std::uint32_t &gw)
    {
        struct {
            nlmsghdr nh;
            rtmsg rt;
            char attrs[64];
        } req{};
        req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(rtmsg));
        req.nh.nlmsg_type = RTM_GETROUTE;
        req.nh.nlmsg_flags = NLM_F_REQUEST;
        req.nh.nlmsg_seq = ++seq_;
        req.rt.rtm_family = AF_INET;
        req.rt.rtm_dst_len = 32;
        auto *rta = reinterpret_cast<rtattr *>(reinterpret_cast<char *>(&req) + NLMSG_ALIGN(req.nh.nlmsg_len));
        rta->rta_type = RTA_DST;
        rta->rta_len = RTA_LENGTH(4);
        std::memcpy(RTA_DATA(rta), &dst, 4);
        req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);

        sockaddr_nl kernel{};
        kernel.nl_family = AF_NETLINK;
        if (sendto(fd_, &req, req.nh.nlmsg_len, 0, reinterpret_cast<sockaddr *>(&kernel), sizeof kernel) < 0)
            return false;
        alignas(nlmsghdr) char buf[8192];
        for (int attempt = 0; attempt < 4; ++attempt) {
            ssize_t n = recv(fd_, buf, sizeof buf, 0);
            if (n < 0)
                return false;
            for (auto *nh = reinterpret_cast<nlmsghdr *>(buf); NLMSG_OK(nh, std::size_t(n)); nh = NLMSG_NEXT(nh, n)) {
                if (nh->nlmsg_seq != seq_)
                    continue;
                if (nh->nlmsg_type == NLMSG_ERROR)
                    return false; // e.g. ENETUNREACH: no route at all
                if (nh->nlmsg_type != RTM_NEWROUTE)
                    continue;
                auto *rt = static_cast<rtmsg *>(NLMSG_DATA(nh));
                int len = int(RTM_PAYLOAD(nh));
                oif = 0;
                gw = 0;
                for (auto *a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
                    if (a->rta_type == RTA_OIF)
                        std::memcpy(&oif, RTA_DATA(a), sizeof oif);
                    else if (a->rta_type == RTA_GATEWAY)
                        std::memcpy(&gw, RTA_DATA(a), sizeof gw);
                }
                return true;
            }
        }
        return false;
    }

    int fd_ = -1;
    std::uint32_t seq_ = 0;
    Slot cache_[kRouteCacheSlots];
};

std::uint16_t checksum(const void *data, std::size_t len)
{
    const auto *p = static_cast<const std::uint8_t *>(data);
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < len; i += 2)
        sum += std::uint32_t(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += std::uint32_t(p[len - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons(std::uint16_t(~sum));
}

struct Stats {
    unsigned long encapsulated = 0, decapsulated = 0, noRoute = 0, sendErrors = 0, malformed = 0;
};

void encapsulate(int tun, int raw, int tunIndex, RouteLookup &routes, Stats &stats)
{
    static std::uint8_t buf[kMaxPacket];
    // The kernel leaves a raw DF packet's id at 0; a real tunnel numbers its packets.
    static std::uint16_t nextId = std::uint16_t(getpid() * 7919u + std::uint32_t(nowMs()));
    for (int burst = 0; burst < 64; ++burst) {
        ssize_t n = read(tun, buf + sizeof(iphdr), sizeof buf - sizeof(iphdr));
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            die("read tunl0"); // EBADFD and friends: the device was deleted
        }
        const auto *inner = reinterpret_cast<const iphdr *>(buf + sizeof(iphdr));
        if (std::size_t(n) < sizeof(iphdr) || inner->version != 4) {
            ++stats.malformed; // IPv6 or garbage: the kernel's tunl0 drops it too
            continue;
        }
        auto gw = routes.gatewayFor(inner->daddr, tunIndex);
        if (!gw) {
            ++stats.noRoute;
            continue;
        }
        auto *outer = reinterpret_cast<iphdr *>(buf);
        std::memset(outer, 0, sizeof *outer);
        outer->version = 4;
        outer->ihl = 5;
        outer->tos = inner->tos & 0x3; // ECN only: the fallback tunnel's tos is 0
        outer->tot_len = htons(std::uint16_t(n + sizeof(iphdr)));
        outer->frag_off = inner->frag_off & htons(IP_DF);
        outer->ttl = inner->ttl;
        outer->id = htons(nextId++ | 1); // never 0, which would ask the kernel to choose
        outer->protocol = IPPROTO_IPIP;
        outer->daddr = *gw;
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = *gw;
        if (sendto(raw, buf, std::size_t(n) + sizeof(iphdr), 0, reinterpret_cast<sockaddr *>(&to), sizeof to) < 0)
            ++stats.sendErrors; // EPERM from an OUTPUT DROP, EMSGSIZE, ...: a lost packet, as on a node
        else
            ++stats.encapsulated;
    }
}

void decapsulate(int raw, int tun, Stats &stats)
{
    static std::uint8_t buf[kMaxPacket];
    for (int burst = 0; burst < 64; ++burst) {
        ssize_t n = recv(raw, buf, sizeof buf, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            die("recv raw");
        }
        const auto *outer = reinterpret_cast<const iphdr *>(buf);
        const std::size_t outerLen = std::size_t(outer->ihl) * 4;
        if (std::size_t(n) < outerLen + sizeof(iphdr) || outer->protocol != IPPROTO_IPIP) {
            ++stats.malformed;
            continue;
        }
        const auto *inner = reinterpret_cast<const iphdr *>(buf + outerLen);
        const std::size_t innerLen = std::size_t(n) - outerLen;
        if (inner->version != 4 || ntohs(inner->tot_len) > innerLen || checksum(inner, inner->ihl * 4u) != 0) {
            ++stats.malformed;
            continue;
        }
        if (write(tun, inner, ntohs(inner->tot_len)) < 0)
            ++stats.sendErrors; // EIO while tunl0 is down: dropped, as the kernel would
        else
            ++stats.decapsulated;
    }
}

} // namespace

int main(int argc, char **argv)
{
    std::string dev = "tunl0";
    pid_t watch = 0;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--dev" && i + 1 < argc)
            dev = argv[++i];
        else if (arg == "--watch-pid" && i + 1 < argc)
            watch = pid_t(std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "usage: tunl0d [--dev NAME] [--watch-pid PID]\n");
            return 2;
        }
    }
    if (dev.empty() || dev.size() >= IFNAMSIZ) {
        std::fprintf(stderr, "tunl0d: bad device name\n");
        return 2;
    }

    const int sig = openSignals();
    const int pidfd = openPidWatch(watch);
    const int tun = openTun(dev);
    const int raw = openRaw();
    RouteLookup routes;
    Stats stats;
    const int tunIndex = interfaceIndex(raw, dev);
    std::fprintf(stderr, "tunl0d: %s ready (ifindex %d, watching pid %d)\n", dev.c_str(), tunIndex, int(watch));

    pollfd fds[4] = {{tun, POLLIN, 0}, {raw, POLLIN, 0}, {sig, POLLIN, 0}, {pidfd, POLLIN, 0}};
    const nfds_t count = pidfd >= 0 ? 4 : 3;
    for (;;) {
        int ready = poll(fds, count, 1000);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            die("poll");
        }
        if (fds[2].revents) {
            signalfd_siginfo si{};
            if (read(sig, &si, sizeof si) > 0)
                std::fprintf(stderr, "tunl0d: signal %u, exiting\n", si.ssi_signo);
            break;
        }
        if ((count == 4 && fds[3].revents) || (watch > 0 && pidfd < 0 && kill(watch, 0) < 0 && errno == ESRCH)) {
            std::fprintf(stderr, "tunl0d: watched pid %d is gone, exiting\n", int(watch));
            break;
        }
        if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            std::fprintf(stderr, "tunl0d: %s went away, exiting\n", dev.c_str());
            break;
        }
        if (fds[0].revents & POLLIN)
            encapsulate(tun, raw, tunIndex, routes, stats);
        if (fds[1].revents & POLLIN)
            decapsulate(raw, tun, stats);
    }
    std::fprintf(stderr, "tunl0d: encapsulated %lu, decapsulated %lu, no route %lu, send errors %lu, malformed %lu\n",
                 stats.encapsulated, stats.decapsulated, stats.noRoute, stats.sendErrors, stats.malformed);
    return 0;
}
