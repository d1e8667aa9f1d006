#include "core/paths.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow::paths {

namespace {
std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    // XDG base directory spec: relative paths are invalid and must be ignored
    return (v && v[0] == '/') ? std::string(v) : fallback;
}
} // namespace

std::string home_dir() {
    if (const char* h = std::getenv("HOME"); h && h[0] == '/')
        return h;
    if (struct passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir)
        return pw->pw_dir;
    throw Error("cannot find the home directory: HOME is not set and uid " +
                std::to_string(::getuid()) + " has no passwd entry");
}

std::string data_dir() {
    return env_or("XDG_DATA_HOME", home_dir() + "/.local/share") + "/burrow";
}

std::string default_storage_root() {
    return data_dir() + "/storage";
}

std::string xdg_config_home() {
    return env_or("XDG_CONFIG_HOME", home_dir() + "/.config");
}

std::string config_dir() {
    return xdg_config_home() + "/burrow";
}

RuntimeDir default_runtime_dir() {
    if (const char* x = std::getenv("XDG_RUNTIME_DIR"); x && x[0] == '/') {
        struct stat st;
        if (::stat(x, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::getuid() &&
            ::access(x, W_OK) == 0)
            return {std::string(x) + "/burrow", true};
    }
    return {"/tmp/burrow-run-" + std::to_string(::getuid()), false};
}

void ensure_private_dir(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0)
        make_dirs(path.substr(0, slash), 0700);
    if (::mkdir(path.c_str(), 0700) < 0 && errno != EEXIST)
        throw SysError("mkdir", path);
    struct stat st;
    if (::lstat(path.c_str(), &st) < 0)
        throw SysError("stat", path);
    if (!S_ISDIR(st.st_mode))
        throw Error("runtime directory " + path + " is not a directory (a symlink?): remove it");
    if (st.st_uid != ::getuid())
        throw Error("runtime directory " + path + " belongs to uid " + std::to_string(st.st_uid) +
                    ", not to you: remove it or set XDG_RUNTIME_DIR");
    if ((st.st_mode & 0077) != 0 && ::chmod(path.c_str(), 0700) < 0)
        throw SysError("chmod", path);
}

} // namespace burrow::paths
