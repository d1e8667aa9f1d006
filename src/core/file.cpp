#include "core/file.hpp"

#include "core/error.hpp"
#include "core/unique_fd.hpp"

#include <cerrno>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow {

std::string read_fd(int fd) {
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw SysError("read");
        }
        if (n == 0)
            return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

std::optional<std::string> try_read_file(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT)
            return std::nullopt;
        throw SysError("open", path);
    }
    return with_context("read " + path, [&] { return read_fd(fd.get()); });
}

std::string read_file(const std::string& path) {
    auto content = try_read_file(path);
    if (!content)
        throw SysError("open", path, ENOENT);
    return *content;
}

void write_all(int fd, const void* data, size_t len) {
    auto* p = static_cast<const char*>(data);
    while (len > 0) {
        ssize_t n = ::write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw SysError("write");
        }
        p += n;
        len -= static_cast<size_t>(n);
    }
}

void atomic_write_file(const std::string& path, const std::string& data, mode_t mode) {
    std::random_device rd;
    std::string tmp = path + ".tmp-" + std::to_string(rd());
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (!fd)
        throw SysError("create", tmp);
    try {
        write_all(fd.get(), data.data(), data.size());
        if (::fsync(fd.get()) < 0)
            throw SysError("fsync", tmp);
        fd.reset();
        if (::rename(tmp.c_str(), path.c_str()) < 0)
            throw SysError("rename", tmp + " to " + path);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
}

void make_dirs(const std::string& path, mode_t mode) {
    if (path.empty())
        return;
    for (size_t pos = 1;; ++pos) {
        pos = path.find('/', pos);
        std::string part = path.substr(0, pos);
        if (::mkdir(part.c_str(), mode) < 0 && errno != EEXIST)
            throw SysError("mkdir", part);
        if (pos == std::string::npos)
            break;
    }
}

bool path_exists(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

} // namespace burrow
