#include "bounded_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>

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
    std::unique_ptr<FILE, int (*)(FILE *)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f)
        return Error("cannot read " + subject + ": " + std::strerror(errno), path, std::string(nextStep));
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
