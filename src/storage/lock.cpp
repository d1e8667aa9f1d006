#include "storage/lock.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>

namespace burrow::storage {

namespace {

UniqueFd open_lock_file(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd)
        throw SysError("open lock", path);
    return fd;
}

void take(int fd, int op, const std::string& path) {
    while (::flock(fd, op) < 0) {
        if (errno != EINTR)
            throw SysError("lock", path);
    }
}

} // namespace

FileLock FileLock::exclusive(const std::string& path) {
    UniqueFd fd = open_lock_file(path);
    take(fd.get(), LOCK_EX, path);
    return FileLock(std::move(fd));
}

FileLock FileLock::shared(const std::string& path) {
    UniqueFd fd = open_lock_file(path);
    take(fd.get(), LOCK_SH, path);
    return FileLock(std::move(fd));
}

std::optional<FileLock> FileLock::try_exclusive(const std::string& path) {
    UniqueFd fd = open_lock_file(path);
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) < 0) {
        if (errno == EWOULDBLOCK)
            return std::nullopt;
        throw SysError("lock", path);
    }
    return FileLock(std::move(fd));
}

} // namespace burrow::storage
