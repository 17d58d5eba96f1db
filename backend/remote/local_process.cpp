#include "remote/local_process.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace podpath::remote {

namespace {

struct Fd {
    int fd = -1;
    ~Fd() { reset(); }
    void reset()
    {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
};

} // namespace

Result<std::optional<LocalRun>> runLocal(const std::vector<std::string> &argv, int timeoutMs,
                                         std::size_t maxOutputBytes)
{
    if (argv.empty())
        return Error("no program to run");
    Fd outRead, outWrite, errRead, errWrite;
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0)
        return Error(std::string("cannot run ") + argv.front(), std::strerror(errno));
    outRead.fd = p[0];
    outWrite.fd = p[1];
    if (::pipe2(p, O_CLOEXEC) != 0)
        return Error(std::string("cannot run ") + argv.front(), std::strerror(errno));
    errRead.fd = p[0];
    errWrite.fd = p[1];

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, outWrite.fd, 1);
    posix_spawn_file_actions_adddup2(&actions, errWrite.fd, 2);
    // Its own process group, so that a timeout kills what it started too (Match exec).
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);

    std::vector<char *> args;
    for (const auto &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, args.front(), &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc == ENOENT)
        return std::optional<LocalRun>{};
    if (rc != 0)
        return Error("cannot run " + argv.front(), std::strerror(rc));
    outWrite.reset();
    errWrite.reset();

    LocalRun run;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    char buf[4096];
    while (outRead.fd >= 0 || errRead.fd >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            run.timedOut = true;
            ::kill(-pid, SIGKILL);
            break;
        }
        pollfd fds[2] = {{outRead.fd, POLLIN, 0}, {errRead.fd, POLLIN, 0}};
        const int n = ::poll(fds, 2, int(left.count()));
        if (n < 0 && errno != EINTR) {
            ::kill(-pid, SIGKILL);
            break;
        }
        for (int i = 0; i < 2 && n > 0; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            Fd &fd = i == 0 ? outRead : errRead;
            std::string &into = i == 0 ? run.out : run.err;
            const ssize_t got = ::read(fd.fd, buf, sizeof buf);
            if (got > 0) {
                if (into.size() < maxOutputBytes)
                    into.append(buf, std::size_t(got));
            } else if (got == 0 || errno != EINTR) {
                fd.reset();
            }
        }
    }
    // A program that closed its output may still run: it gets the rest of its time.
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, run.timedOut ? 0 : WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR))
            break;
        if (done == 0 && std::chrono::steady_clock::now() >= deadline) {
            run.timedOut = true;
            ::kill(-pid, SIGKILL);
        } else if (done == 0) {
            ::usleep(10000);
        }
    }
    if (WIFEXITED(status)) {
        run.exitStatus = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        run.signal = WTERMSIG(status);
    }
    return std::optional<LocalRun>{std::move(run)};
}

} // namespace podpath::remote
