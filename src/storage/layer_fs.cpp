#include "core/error.hpp"
#include "storage/layer_tar.hpp"
#include "storage/layer_tar_internal.hpp"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace burrow::storage {

UniqueFd try_open_dir_at(int dirfd, const std::string& name) {
    return UniqueFd(::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

std::vector<std::string> list_dir(int dirfd, const std::string& path) {
    int dup = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
    if (dup < 0)
        throw SysError("dup", path);
    DIR* dir = ::fdopendir(dup);
    if (!dir) {
        int err = errno;
        ::close(dup);
        throw SysError("opendir", path, err);
    }
    // the duplicate shares its offset with dirfd, which may have been listed before
    ::rewinddir(dir);
    std::vector<std::string> names;
    for (;;) {
        errno = 0;
        struct dirent* d = ::readdir(dir);
        if (!d) {
            int err = errno;
            ::closedir(dir);
            if (err != 0)
                throw SysError("readdir", path, err);
            break;
        }
        std::string_view name = d->d_name;
        if (name != "." && name != "..")
            names.emplace_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

void remove_all_at(int dirfd, const std::string& name, const std::string& path) {
    struct stat st;
    if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno == ENOENT)
            return;
        throw SysError("stat", path);
    }
    if (S_ISDIR(st.st_mode)) {
        UniqueFd sub = try_open_dir_at(dirfd, name);
        if (!sub)
            throw SysError("open", path);
        for (const auto& child : list_dir(sub.get(), path))
            remove_all_at(sub.get(), child, path + "/" + child);
        if (::unlinkat(dirfd, name.c_str(), AT_REMOVEDIR) < 0 && errno != ENOENT)
            throw SysError("rmdir", path);
        return;
    }
    if (::unlinkat(dirfd, name.c_str(), 0) < 0 && errno != ENOENT)
        throw SysError("unlink", path);
}

std::optional<std::string> read_xattr(int fd, const char* name) {
    for (;;) {
        ssize_t len = ::fgetxattr(fd, name, nullptr, 0);
        if (len < 0)
            return std::nullopt;
        std::string value(static_cast<size_t>(len), '\0');
        len = ::fgetxattr(fd, name, value.data(), value.size());
        if (len >= 0) {
            value.resize(static_cast<size_t>(len));
            return value;
        }
        // ERANGE: it grew between the two calls
        if (errno != ERANGE)
            return std::nullopt;
    }
}

std::map<std::string, std::string> read_layer_xattrs(int fd, const std::string& path) {
    std::map<std::string, std::string> out;
    std::string names;
    for (;;) {
        ssize_t len = ::flistxattr(fd, nullptr, 0);
        if (len < 0) {
            if (errno == ENOTSUP)
                return out;
            throw SysError("listxattr", path);
        }
        names.assign(static_cast<size_t>(len), '\0');
        len = ::flistxattr(fd, names.data(), names.size());
        if (len >= 0) {
            names.resize(static_cast<size_t>(len));
            break;
        }
        if (errno != ERANGE)
            throw SysError("listxattr", path);
    }
    for (size_t pos = 0; pos < names.size();) {
        std::string name = names.c_str() + pos;
        pos += name.size() + 1;
        if (name.empty() || !is_layer_xattr(name))
            continue;
        if (auto value = read_xattr(fd, name.c_str()))
            out.emplace(name, std::move(*value));
    }
    return out;
}

std::string read_link_at(int dirfd, const std::string& name, const std::string& path) {
    std::string target(256, '\0');
    for (;;) {
        ssize_t len = ::readlinkat(dirfd, name.c_str(), target.data(), target.size());
        if (len < 0)
            throw SysError("readlink", path);
        if (static_cast<size_t>(len) < target.size()) {
            target.resize(static_cast<size_t>(len));
            return target;
        }
        target.resize(target.size() * 2);
    }
}

} // namespace burrow::storage
