#include "cli/overlay_probe.hpp"

#include "core/error.hpp"
#include "core/process.hpp"
#include "core/sync.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow::cli {

namespace {

enum MessageType : uint32_t { kUsernsReady = 1, kFailed = 2, kDone = 3 };

// A stuck filesystem (a hung NFS server) must not hang `burrow info`.
constexpr int kTimeoutMs = 10000;

bool write_text(const char* path, const std::string& text) {
    int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    int saved = errno;
    ::close(fd);
    errno = saved;
    return ok;
}

bool make_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    bool ok = ::write(fd, "x", 1) == 1;
    ::close(fd);
    return ok;
}

// Overlay leaves its work/work folder with mode 0, so folders are opened up before descending.
bool remove_tree(const std::string& path) {
    struct stat st;
    if (::lstat(path.c_str(), &st) < 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return ::unlink(path.c_str()) == 0;
    ::chmod(path.c_str(), 0700);
    bool ok = true;
    if (DIR* d = ::opendir(path.c_str())) {
        while (struct dirent* e = ::readdir(d)) {
            if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
                ok = remove_tree(path + "/" + e->d_name) && ok;
        }
        ::closedir(d);
    }
    return ::rmdir(path.c_str()) == 0 && ok;
}

// The child: it reports each failed step over the channel and _exits, so no exception and no
// destructor of the parent's state runs in it. `burrow info` starts no threads, so the child may
// allocate.
[[noreturn]] void child_main(const SyncChannel& ch, const std::string& dir,
                             const std::string& uid_map, const std::string& gid_map) {
    auto step = [&](bool ok, const char* what) {
        if (!ok) {
            int err = errno;
            ch.try_send({kFailed, err, 0, what});
            _exit(1);
        }
    };
    // one call, so that the mount namespace is owned by the new user namespace
    step(::unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0, "unshare(CLONE_NEWUSER|CLONE_NEWNS)");
    // deny setgroups before gid_map: user_namespaces(7)
    step(write_text("/proc/self/setgroups", "deny"), "write /proc/self/setgroups");
    step(write_text("/proc/self/uid_map", uid_map), "write /proc/self/uid_map");
    step(write_text("/proc/self/gid_map", gid_map), "write /proc/self/gid_map");
    ch.try_send({kUsernsReady, 0, 0, {}});
    if (dir.empty()) {
        ch.try_send({kDone, 0, 0, {}});
        _exit(0);
    }
    // relative paths: overlay's option parser would split a folder name with a comma or colon
    step(::chdir(dir.c_str()) == 0, "chdir");
    step(::mount("overlay", "merged", "overlay", 0,
                 "lowerdir=lower,upperdir=upper,workdir=work,userxattr") == 0,
         "mount -t overlay -o userxattr");
    int fd = ::open("merged/file", O_WRONLY | O_APPEND | O_CLOEXEC);
    step(fd >= 0 && ::write(fd, "y", 1) == 1, "copy-up of a lower file");
    ::close(fd);
    step(::unlink("merged/gone") == 0, "whiteout of a lower file");
    ::umount2("merged", MNT_DETACH);
    ch.try_send({kDone, 0, 0, {}});
    _exit(0);
}

// Forks the child and reads its reports; dir is "" for the user namespace alone.
void run_child(const std::string& dir, OverlayProbe& r) {
    std::string uid_map = "0 " + std::to_string(::getuid()) + " 1\n";
    std::string gid_map = "0 " + std::to_string(::getgid()) + " 1\n";
    auto [ours, theirs] = SyncChannel::make_pair();
    pid_t pid = ::fork();
    if (pid < 0)
        throw SysError("fork");
    if (pid == 0) {
        ours.close();
        child_main(theirs, dir, uid_map, gid_map);
    }
    Pid child(pid);
    theirs.close();
    for (;;) {
        pollfd pfd{ours.fd(), POLLIN, 0};
        int n = ::poll(&pfd, 1, kTimeoutMs);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            r.error = "the probe did not finish within " + std::to_string(kTimeoutMs / 1000) +
                      "s (a hung filesystem?)";
            return; // the Pid kills the child
        }
        auto msg = ours.receive();
        if (!msg) {
            r.error = "the probe process died";
            return;
        }
        if (msg->type == kUsernsReady) {
            r.userns_ok = true;
        } else if (msg->type == kFailed) {
            r.error = msg->text + ": " + std::strerror(msg->err);
            return;
        } else if (msg->type == kDone) {
            r.overlay_ok = !dir.empty();
            child.wait();
            return;
        }
    }
}

} // namespace

OverlayProbe probe_user_namespace() {
    OverlayProbe r;
    try {
        run_child("", r);
    } catch (const Error& e) {
        r.error = e.what();
    }
    return r;
}

OverlayProbe probe_native_overlay(const std::string& parent_dir) {
    OverlayProbe r;
    r.dir = parent_dir;
    std::string templ = parent_dir + "/burrow-overlay-probe-XXXXXX";
    if (!::mkdtemp(templ.data())) {
        r.error = SysError("mkdtemp", templ).what();
        return r;
    }
    const std::string dir = templ;
    try {
        for (const char* sub : {"/lower", "/upper", "/work", "/merged"})
            if (::mkdir((dir + sub).c_str(), 0700) < 0)
                throw SysError("mkdir", dir + sub);
        for (const char* file : {"/lower/file", "/lower/gone"})
            if (!make_file(dir + file))
                throw SysError("create", dir + file);
        run_child(dir, r);
    } catch (const Error& e) {
        r.error = e.what();
    }
    if (!remove_tree(dir))
        r.cleanup_error = "could not remove " + dir + ": remove it by hand";
    return r;
}

} // namespace burrow::cli
