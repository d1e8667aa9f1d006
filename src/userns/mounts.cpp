#include "userns/mounts.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace burrow::userns {

std::vector<std::string> default_masked_paths() {
    return {"/proc/acpi",       "/proc/kcore",       "/proc/keys",        "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware",    "/sys/fs/selinux",   "/sys/dev/block",    "/proc/interrupts"};
}

std::vector<std::string> default_readonly_paths() {
    return {"/proc/asound", "/proc/bus", "/proc/fs",
            "/proc/irq",    "/proc/sys", "/proc/sysrq-trigger"};
}

namespace {

std::string fd_path(int fd) {
    return "/proc/self/fd/" + std::to_string(fd);
}

void do_mount(const std::string& source, const std::string& target, const char* fstype,
              unsigned long flags, const std::string& data, const std::string& what) {
    if (::mount(source.empty() ? nullptr : source.c_str(), target.c_str(), fstype, flags,
                data.empty() ? nullptr : data.c_str()) < 0)
        throw SysError("mount " + what, "");
}

// Flags the kernel locks on mounts inherited from a more privileged mount namespace: a
// remount inside a user namespace must keep them or fail with EPERM (mount_namespaces(7)).
unsigned long locked_flags(const std::string& path) {
    struct statvfs sv;
    if (::statvfs(path.c_str(), &sv) < 0)
        return 0;
    unsigned long f = 0;
    if (sv.f_flag & ST_NOSUID)
        f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV)
        f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC)
        f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME)
        f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME)
        f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME)
        f |= MS_RELATIME;
    return f;
}

void remount_read_only(const std::string& target, const std::string& what) {
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | locked_flags(target);
    if (::mount(nullptr, target.c_str(), nullptr, flags, nullptr) < 0)
        throw SysError("remount read-only " + what, "");
}

// Makes a mount and every mount below it read-only (mount_setattr(2), Linux 5.12): the host's
// /sys carries cgroup and other file systems that a plain remount of its top would leave writable.
void remount_tree_read_only(int fd, const std::string& what) {
    struct mount_attr attr {};
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (::syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) == 0)
        return;
    if (errno != ENOSYS)
        throw SysError("remount read-only " + what, "");
    remount_read_only(fd_path(fd), what);
}

void bind_host_path(int root_fd, const std::string& host, const std::string& dest, bool recursive,
                    bool read_only) {
    struct stat st;
    if (::stat(host.c_str(), &st) < 0)
        throw SysError("stat", host);
    UniqueFd target =
        S_ISDIR(st.st_mode) ? mkdir_in_root(root_fd, dest) : mkfile_in_root(root_fd, dest);
    std::string tpath = fd_path(target.get());
    do_mount(host, tpath, nullptr, MS_BIND | (recursive ? MS_REC : 0), "", host + " on " + dest);
    if (read_only) {
        // reopen: the fd above points at the folder under the new mount, not at the mount
        UniqueFd mounted = open_in_root(root_fd, dest, O_PATH);
        remount_read_only(fd_path(mounted.get()), dest);
    }
}

void make_dev(int root_fd) {
    UniqueFd dev = mkdir_in_root(root_fd, "/dev");
    do_mount("tmpfs", fd_path(dev.get()), "tmpfs", MS_NOSUID | MS_STRICTATIME,
             "mode=755,size=65536k", "tmpfs on /dev");
    for (const char* node : {"null", "zero", "full", "random", "urandom", "tty"}) {
        std::string host = std::string("/dev/") + node;
        UniqueFd target = mkfile_in_root(root_fd, host);
        // device nodes cannot be created in a user namespace: bind the host's
        do_mount(host, fd_path(target.get()), nullptr, MS_BIND, "", host);
    }
    struct Link {
        const char* target;
        const char* name;
    };
    for (Link l : {Link{"/proc/self/fd", "fd"}, Link{"/proc/self/fd/0", "stdin"},
                   Link{"/proc/self/fd/1", "stdout"}, Link{"/proc/self/fd/2", "stderr"},
                   Link{"/proc/kcore", "core"}, Link{"pts/ptmx", "ptmx"}}) {
        UniqueFd devdir = open_in_root(root_fd, "/dev", O_PATH | O_DIRECTORY);
        if (::symlinkat(l.target, devdir.get(), l.name) < 0)
            throw SysError("symlink", std::string("/dev/") + l.name);
    }
}

void make_devpts(int root_fd, bool single_id) {
    UniqueFd pts = mkdir_in_root(root_fd, "/dev/pts");
    // gid 5 (tty) only exists in the namespace when the subordinate range is mapped
    std::string data = "newinstance,ptmxmode=0666,mode=0620";
    if (!single_id)
        data += ",gid=5";
    do_mount("devpts", fd_path(pts.get()), "devpts", MS_NOSUID | MS_NOEXEC, data,
             "devpts on /dev/pts");
}

} // namespace

UniqueFd open_in_root(int root_fd, const std::string& path, int flags) {
    open_how how{};
    how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    std::string rel = path;
    while (!rel.empty() && rel.front() == '/')
        rel.erase(0, 1);
    if (rel.empty())
        rel = ".";
    long fd;
    do {
        fd = ::syscall(SYS_openat2, root_fd, rel.c_str(), &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN);
    if (fd < 0)
        throw SysError("open", path);
    return UniqueFd(static_cast<int>(fd));
}

UniqueFd mkdir_in_root(int root_fd, const std::string& path, mode_t mode) {
    UniqueFd dir = open_in_root(root_fd, "/", O_PATH | O_DIRECTORY);
    std::string done;
    size_t pos = 0;
    while (pos < path.size()) {
        size_t end = path.find('/', pos);
        if (end == std::string::npos)
            end = path.size();
        std::string comp = path.substr(pos, end - pos);
        pos = end + 1;
        if (comp.empty() || comp == ".")
            continue;
        done += "/" + comp;
        if (::mkdirat(dir.get(), comp.c_str(), mode) < 0 && errno != EEXIST)
            throw SysError("mkdir", done);
        // re-resolve from the root: the component may be a symlink, which must stay inside
        dir = open_in_root(root_fd, done, O_PATH | O_DIRECTORY);
    }
    return dir;
}

UniqueFd mkfile_in_root(int root_fd, const std::string& path) {
    auto slash = path.rfind('/');
    std::string parent = slash == std::string::npos ? "/" : path.substr(0, slash);
    std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1);
    UniqueFd dir = mkdir_in_root(root_fd, parent);
    try {
        return open_in_root(root_fd, path, O_PATH);
    } catch (const SysError& e) {
        if (e.error() != ENOENT)
            throw;
    }
    // O_PATH cannot create: open the folder for real to create the file in it
    UniqueFd real_dir = open_in_root(root_fd, parent, O_RDONLY | O_DIRECTORY);
    UniqueFd f(
        ::openat(real_dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!f && errno != EEXIST)
        throw SysError("create", path);
    return open_in_root(root_fd, path, O_PATH);
}

void setup_rootfs(const ContainerSpec& spec, bool single_id) {
    // nothing mounted from here on may propagate back to the host
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
        throw SysError("make / private");
    // pivot_root needs the new root to be a mount point
    do_mount(spec.rootfs, spec.rootfs, nullptr, MS_BIND | MS_REC, "", "rootfs " + spec.rootfs);
    UniqueFd root(::open(spec.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root)
        throw SysError("open", spec.rootfs);
    int rfd = root.get();

    {
        UniqueFd proc = mkdir_in_root(rfd, "/proc");
        if (spec.new_pid)
            do_mount("proc", fd_path(proc.get()), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "",
                     "proc on /proc");
        else // a proc of the host's pid namespace can only be bound, not mounted anew
            do_mount("/proc", fd_path(proc.get()), nullptr, MS_BIND | MS_REC, "", "/proc");
    }
    make_dev(rfd);
    make_devpts(rfd, single_id);
    {
        UniqueFd shm = mkdir_in_root(rfd, "/dev/shm");
        do_mount("shm", fd_path(shm.get()), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                 "mode=1777,size=65536k", "tmpfs on /dev/shm");
        UniqueFd mq = mkdir_in_root(rfd, "/dev/mqueue");
        if (spec.new_ipc)
            do_mount("mqueue", fd_path(mq.get()), "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, "",
                     "mqueue on /dev/mqueue");
        else if (path_exists("/dev/mqueue/.")) // the host may not have mounted one at all
            do_mount("/dev/mqueue", fd_path(mq.get()), nullptr, MS_BIND | MS_REC, "",
                     "/dev/mqueue");
    }
    {
        UniqueFd sys = mkdir_in_root(rfd, "/sys");
        // sysfs may be mounted only by the owner of the network namespace: with --network host,
        // bind the host's read-only instead, as podman does
        bool mounted = false;
        if (spec.new_net && !spec.privileged)
            mounted = ::mount("sysfs", fd_path(sys.get()).c_str(), "sysfs",
                              MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, nullptr) == 0;
        else if (spec.new_net)
            mounted = ::mount("sysfs", fd_path(sys.get()).c_str(), "sysfs",
                              MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0;
        if (!mounted) {
            do_mount("/sys", fd_path(sys.get()), nullptr, MS_BIND | MS_REC, "", "/sys");
            if (!spec.privileged) {
                UniqueFd bound = open_in_root(rfd, "/sys", O_PATH);
                remount_tree_read_only(bound.get(), "/sys");
            }
        }
    }
    for (const auto& b : spec.binds)
        bind_host_path(rfd, b.source, b.destination, true, b.read_only);
    for (const auto& t : spec.tmpfs) {
        UniqueFd target = mkdir_in_root(rfd, t.destination);
        do_mount("tmpfs", fd_path(target.get()), "tmpfs", t.flags, t.options,
                 "tmpfs on " + t.destination);
    }

    // pivot_root(".", "."): the old root ends up stacked under the new one and is detached at
    // once, so no path of the host stays reachable: pivot_root(2)
    if (::fchdir(rfd) < 0)
        throw SysError("chdir", spec.rootfs);
    if (::syscall(SYS_pivot_root, ".", ".") < 0)
        throw SysError("pivot_root", spec.rootfs);
    if (::umount2(".", MNT_DETACH) < 0)
        throw SysError("detach the host root");
    if (::chdir("/") < 0)
        throw SysError("chdir", "/");
    root.reset();

    if (!spec.privileged) {
        for (const auto& p : spec.masked_paths) {
            struct stat st;
            if (::stat(p.c_str(), &st) < 0)
                continue;
            if (S_ISDIR(st.st_mode))
                do_mount("tmpfs", p, "tmpfs", MS_RDONLY, "size=0", "mask " + p);
            else
                do_mount("/dev/null", p, nullptr, MS_BIND, "", "mask " + p);
        }
        for (const auto& p : spec.readonly_paths) {
            if (!path_exists(p))
                continue;
            do_mount(p, p, nullptr, MS_BIND | MS_REC, "", p);
            remount_read_only(p, p);
        }
    }
    if (spec.read_only)
        remount_read_only("/", "/");
}

} // namespace burrow::userns
