#include "bounded_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace podpath {

Result<std::string> readFileBounded(const std::string &path, std::size_t maxBytes, std::string_view what,
                                    std::string_view nextStep)
{
    const std::string subject(what);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return Error("cannot read " + subject + ": " + std::strerror(errno), path, std::string(nextStep));
    if (S_ISDIR(st.st_mode))
        return Error("cannot read " + subject + ": it is a folder", path, std::string(nextStep));
    // Non-blocking open: a FIFO nobody writes to reads as empty instead of hanging; a
    // pipe with a writer (`--json <(...)`) is read as usual once the flag is cleared.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return Error("cannot read " + subject + ": " + std::strerror(errno), path, std::string(nextStep));
    (void)::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    std::unique_ptr<FILE, int (*)(FILE *)> f(::fdopen(fd, "rb"), &std::fclose);
    if (!f) {
        ::close(fd);
        return Error("cannot read " + subject + ": " + std::strerror(errno), path, std::string(nextStep));
    }
    std::string bytes;
    char buf[64 * 1024];
    for (;;) {
        const std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
        if (n == 0)
            break;
        if (bytes.size() + n > maxBytes)
            return Error(subject + " is larger than PodPath reads (" + std::to_string(maxBytes / (1024 * 1024)) + " MiB)",
                         path, std::string(nextStep));
        bytes.append(buf, n);
    }
    if (std::ferror(f.get()))
        return Error("cannot read " + subject + ": " + std::strerror(errno), path, std::string(nextStep));
    return bytes;
}

} // namespace podpath
