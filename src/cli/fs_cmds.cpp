// burrow diff and cp: a container's files, compared with its image's and copied in and out.
#include "cli/container_ops.hpp"
#include "cli/global.hpp"
#include "cli/store_access.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/unique_fd.hpp"
#include "storage/store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <iostream>
#include <map>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

namespace burrow::cli {

namespace {

std::vector<std::string> entries_of(const std::string& dir) {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d)
        return out;
    while (struct dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..")
            out.push_back(n);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

bool lstat_ok(const std::string& path, struct stat& st) {
    return ::lstat(path.c_str(), &st) == 0;
}

bool is_whiteout(const struct stat& st) {
    return S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0;
}

// Whether rel exists in the image below the container, looking through the layers top first.
bool in_lower(const std::vector<std::string>& lowers, const std::string& rel) {
    for (const auto& l : lowers) {
        struct stat st {};
        if (lstat_ok(l + rel, st))
            return !is_whiteout(st);
    }
    return false;
}

void diff_overlay(const std::string& upper, const std::vector<std::string>& lowers,
                  const std::string& rel, std::map<std::string, char>& out) {
    for (const auto& name : entries_of(upper + rel)) {
        std::string path = rel + "/" + name;
        struct stat st {};
        if (!lstat_ok(upper + path, st))
            continue;
        // fuse-overlayfs marks opaque folders and deletions with files of the OCI names
        if (name.starts_with(".wh.")) {
            if (name != ".wh..wh..opq" && name != ".wh..opq" && !is_whiteout(st))
                out[rel + "/" + name.substr(4)] = 'D';
            continue;
        }
        if (is_whiteout(st)) {
            out[path] = 'D';
            continue;
        }
        out[path] = in_lower(lowers, path) ? 'C' : 'A';
        if (S_ISDIR(st.st_mode))
            diff_overlay(upper, lowers, path, out);
    }
}

bool same_entry(const struct stat& a, const struct stat& b) {
    if ((a.st_mode & S_IFMT) != (b.st_mode & S_IFMT) || a.st_mode != b.st_mode ||
        a.st_uid != b.st_uid || a.st_gid != b.st_gid)
        return false;
    if (S_ISDIR(a.st_mode))
        return true;
    return a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
           a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

// vfs: the container's full copy against the image's top layer, which is a full tree too.
bool diff_trees(const std::string& lower, const std::string& upper, const std::string& rel,
                std::map<std::string, char>& out) {
    bool changed = false;
    auto up = entries_of(upper + rel);
    for (const auto& name : up) {
        std::string path = rel + "/" + name;
        struct stat su {
        }, sl{};
        if (!lstat_ok(upper + path, su))
            continue;
        if (!lstat_ok(lower + path, sl)) {
            out[path] = 'A';
            changed = true;
            if (S_ISDIR(su.st_mode))
                diff_trees("/nonexistent", upper, path, out);
            continue;
        }
        bool child_changed =
            S_ISDIR(su.st_mode) && S_ISDIR(sl.st_mode) && diff_trees(lower, upper, path, out);
        if (!same_entry(su, sl) || child_changed) {
            out[path] = 'C';
            changed = true;
        }
    }
    for (const auto& name : entries_of(lower + rel)) {
        if (!std::binary_search(up.begin(), up.end(), name)) {
            out[rel + "/" + name] = 'D';
            changed = true;
        }
    }
    return changed;
}

// --- cp ---------------------------------------------------------------------------------------

struct CpSide {
    std::string container; // empty: the host
    std::string path;
};

CpSide parse_cp_arg(const std::string& arg) {
    // a host path with ':' can be given as ./a:b
    auto colon = arg.find(':');
    if (colon == std::string::npos || arg.starts_with("/") || arg.starts_with("."))
        return {"", arg};
    return {arg.substr(0, colon), arg.substr(colon + 1)};
}

void copy_data(int in, int out, const std::string& what) {
    char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(in, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw SysError("read", what);
        }
        if (n == 0)
            return;
        write_all(out, buf, static_cast<size_t>(n));
    }
}

// Copies the entry name of src_dir to dst_name in dst_dir without following symlinks on either
// side; owners are not kept: what is created belongs to the one who copies, as docker cp does.
void copy_entry(int src_dir, const std::string& name, int dst_dir, const std::string& dst_name,
                const std::string& shown) {
    struct stat st {};
    if (::fstatat(src_dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
        throw SysError("stat", shown);
    if (S_ISDIR(st.st_mode)) {
        if (::mkdirat(dst_dir, dst_name.c_str(), 0700) < 0 && errno != EEXIST)
            throw SysError("mkdir", shown);
        UniqueFd from(
            ::openat(src_dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        UniqueFd to(
            ::openat(dst_dir, dst_name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!from || !to)
            throw SysError("open", shown);
        DIR* d = ::fdopendir(::dup(from.get()));
        if (!d)
            throw SysError("read", shown);
        std::vector<std::string> names;
        while (struct dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..")
                names.push_back(n);
        }
        ::closedir(d);
        for (const auto& n : names)
            copy_entry(from.get(), n, to.get(), n, shown + "/" + n);
        ::fchmod(to.get(), st.st_mode & 07777);
    } else if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = ::readlinkat(src_dir, name.c_str(), target, sizeof target - 1);
        if (n < 0)
            throw SysError("readlink", shown);
        target[n] = 0;
        ::unlinkat(dst_dir, dst_name.c_str(), 0);
        if (::symlinkat(target, dst_dir, dst_name.c_str()) < 0)
            throw SysError("symlink", shown);
    } else if (S_ISREG(st.st_mode)) {
        UniqueFd from(::openat(src_dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!from)
            throw SysError("open", shown);
        // replace, never write through, what is at the destination (a symlink, say)
        ::unlinkat(dst_dir, dst_name.c_str(), 0);
        UniqueFd to(::openat(dst_dir, dst_name.c_str(),
                             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!to)
            throw SysError("create", shown);
        copy_data(from.get(), to.get(), shown);
        ::fchmod(to.get(), st.st_mode & 07777);
        struct timespec times[2] = {st.st_atim, st.st_mtim};
        ::futimens(to.get(), times);
    } else {
        throw Error("cp " + shown + ": only files, folders and symlinks can be copied");
    }
}

std::pair<std::string, std::string> split_parent(std::string path) {
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return {".", path};
    return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// docker cp's rules: to an existing folder, the source goes inside it; "SRC/." copies the
// contents; otherwise the destination is the copy's new name.
void do_copy(int src_root, const std::string& src, int dst_root, const std::string& dst) {
    auto rel = [](const std::string& p) {
        std::string r = p;
        while (r.starts_with("/"))
            r.erase(0, 1);
        return r.empty() ? std::string(".") : r;
    };
    bool contents = src.ends_with("/.") || src == ".";
    std::string src_path = contents ? src.substr(0, src.size() - 1) : src;
    auto [src_parent, src_name] = split_parent(src_path.empty() ? "/" : src_path);
    UniqueFd sp(::openat(src_root, rel(src_parent).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!sp)
        throw SysError("cp: open", src_parent);
    struct stat st {};
    if (::fstatat(sp.get(), src_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
        throw SysError("cp: stat", src);

    struct stat dt {};
    bool dst_is_dir = ::fstatat(dst_root, rel(dst).c_str(), &dt, 0) == 0 && S_ISDIR(dt.st_mode);
    if (dst_is_dir) {
        UniqueFd dd(::openat(dst_root, rel(dst).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!dd)
            throw SysError("cp: open", dst);
        if (contents && S_ISDIR(st.st_mode)) {
            UniqueFd from(::openat(sp.get(), src_name.c_str(),
                                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!from)
                throw SysError("cp: open", src);
            for (const auto& n : entries_of("/proc/self/fd/" + std::to_string(from.get())))
                copy_entry(from.get(), n, dd.get(), n, src + "/" + n);
        } else {
            copy_entry(sp.get(), src_name, dd.get(), src_name, src);
        }
        return;
    }
    if (dst.ends_with("/"))
        throw Error("cp: destination folder " + dst + " does not exist");
    auto [dst_parent, dst_name] = split_parent(dst);
    UniqueFd dp(::openat(dst_root, rel(dst_parent).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dp)
        throw SysError("cp: open", dst_parent);
    copy_entry(sp.get(), src_name, dp.get(), dst_name, src);
}

} // namespace

void setup_diff_command(CLI::App& cmd, GlobalOptions& g) {
    auto name = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>();
    cmd.add_option("CONTAINER", *name, "The container")->required();
    cmd.add_option("--format", *format, "json for a JSON object of Changed, Added, Deleted");
    cmd.callback([name, format, &g] {
        StoreAccess sa = enter_store(g);
        auto c = find_container(sa.store, *name);
        auto img = sa.store.image(c.image_id);
        if (!img)
            throw Error("the image of container " + c.name + " is gone");
        std::map<std::string, char> changes;
        std::string dir = sa.store.container_dir(c.id);
        if (c.driver == "vfs") {
            std::string lower = img->layers.empty()
                                    ? std::string("/nonexistent")
                                    : sa.store.layer_dir(img->layers.back()) + "/diff";
            diff_trees(lower, dir + "/rootfs", "", changes);
        } else {
            std::vector<std::string> lowers;
            for (auto it = img->layers.rbegin(); it != img->layers.rend(); ++it)
                lowers.push_back(sa.store.layer_dir(*it) + "/diff");
            diff_overlay(dir + "/upper", lowers, "", changes);
        }
        // the mount points the runtime made for /proc, /sys and /dev: docker keeps those in a
        // layer of their own that diff leaves out
        for (const char* stub : {"/proc", "/sys", "/dev"}) {
            auto it = changes.find(stub);
            if (it != changes.end() && it->second == 'A') {
                std::string base = c.driver == "vfs" ? dir + "/rootfs" : dir + "/upper";
                auto inside = entries_of(base + stub);
                std::erase_if(inside, [](const std::string& n) { return n.starts_with(".wh."); });
                if (inside.empty())
                    changes.erase(it);
            }
        }
        if (*format == "json") {
            nlohmann::json j = {{"changed", nlohmann::json::array()},
                                {"added", nlohmann::json::array()},
                                {"deleted", nlohmann::json::array()}};
            for (const auto& [path, kind] : changes)
                j[kind == 'C' ? "changed" : kind == 'A' ? "added" : "deleted"].push_back(path);
            std::cout << j.dump(4) << '\n';
            return;
        }
        if (!format->empty())
            throw Error("invalid --format \"" + *format + "\": use json");
        for (const auto& [path, kind] : changes)
            std::cout << kind << ' ' << path << '\n';
    });
}

void setup_cp_command(CLI::App& cmd, GlobalOptions& g) {
    auto src = std::make_shared<std::string>();
    auto dst = std::make_shared<std::string>();
    cmd.footer("Examples:\n"
               "  burrow cp box:/etc/hosts ./hosts\n"
               "  burrow cp ./config.yml box:/etc/app/\n"
               "  burrow cp box:/var/log/. ./logs");
    cmd.add_option("SRC", *src, "CONTAINER:PATH or a host path")->required();
    cmd.add_option("DEST", *dst, "CONTAINER:PATH or a host path")->required();
    cmd.callback([src, dst, &g] {
        CpSide from = parse_cp_arg(*src), to = parse_cp_arg(*dst);
        if (from.container.empty() == to.container.empty())
            throw Error("cp copies between a container and the host: name the container on "
                        "one side, CONTAINER:PATH");
        // the host side is opened here, as the user, before anything changes identity
        const CpSide& host = from.container.empty() ? from : to;
        UniqueFd host_root(
            ::open(host.path.starts_with("/") ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!host_root)
            throw SysError("open", ".");
        StoreAccess sa = enter_store(g);
        const CpSide& side = from.container.empty() ? to : from;
        auto c = find_container(sa.store, side.container);
        MountedRoot root = mount_container_root(sa, c);
        // the container's side is resolved chrooted in its root, so that no symlink in it
        // reaches a file of the host
        pid_t pid = ::fork();
        if (pid < 0)
            throw SysError("fork");
        if (pid == 0) {
            try {
                if (::chroot(root.path.c_str()) < 0 || ::chdir("/") < 0)
                    throw SysError("chroot", root.path);
                UniqueFd croot(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
                if (from.container.empty())
                    do_copy(host_root.get(), from.path, croot.get(), to.path);
                else
                    do_copy(croot.get(), from.path, host_root.get(), to.path);
            } catch (const std::exception& e) {
                std::cerr << "Error: " << e.what() << '\n';
                _exit(125);
            }
            _exit(0);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw ExitRequest{125};
    });
}

} // namespace burrow::cli
