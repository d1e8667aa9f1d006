#include "userns/rootfs_mount.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/process.hpp"
#include "core/unique_fd.hpp"

#include <chrono>
#include <csignal>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace burrow::userns {

namespace {

// Overlay splits its options at ',' and lowerdir at ':'; storage paths never hold either, but a
// --root could.
void check_path(const std::string& p) {
    if (p.find_first_of(",:") != std::string::npos)
        throw Error("storage path " + p +
                    " holds ',' or ':', which overlay mounts cannot take; "
                    "choose another --root");
}

struct Chdir {
    explicit Chdir(const std::string& dir) {
        old_ = ::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (::chdir(dir.c_str()) < 0)
            throw SysError("chdir", dir);
    }
    ~Chdir() {
        if (old_ >= 0) {
            (void)::fchdir(old_);
            ::close(old_);
        }
    }
    int old_ = -1;
};

dev_t device_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) < 0)
        throw SysError("stat", path);
    return st.st_dev;
}

} // namespace

std::string overlay_options(const RootfsMount& m, bool fuse) {
    // fuse-overlayfs resolves its paths after libfuse moved it to "/": they must be absolute
    auto path = [&](const std::string& p) {
        check_path(p);
        return fuse && !p.starts_with("/") ? m.base_dir + "/" + p : p;
    };
    std::string lower;
    for (const auto& l : m.lower_dirs)
        lower += (lower.empty() ? "" : ":") + path(l);
    std::string opts =
        "lowerdir=" + lower + ",upperdir=" + path(m.upper_dir) + ",workdir=" + path(m.work_dir);
    // in a user namespace the kernel keeps overlay's own attributes in user.overlay.*
    // (Linux 5.11); fuse-overlayfs reads those too
    if (!fuse)
        opts += ",userxattr";
    return opts;
}

pid_t mount_image_rootfs(const RootfsMount& m) {
    const bool fuse = m.kind == RootfsMount::Kind::fuse_overlayfs;
    std::string opts = overlay_options(m, fuse);
    if (!fuse) {
        Chdir in(m.base_dir);
        if (opts.size() >= 4096)
            throw Error("the image has too many layers for one overlay mount");
        if (::mount("overlay", m.target.c_str(), "overlay", 0, opts.c_str()) < 0)
            throw SysError("mount overlay", m.target);
        return 0;
    }

    std::string program = find_program("fuse-overlayfs");
    if (program.empty())
        throw Error("fuse-overlayfs is not installed: install the fuse-overlayfs package, or use "
                    "--storage-driver vfs");
    const dev_t before = device_of(m.target);
    // its chatter ("unknown argument ignored: lazytime") is shown only when the mount fails
    UniqueFd messages(static_cast<int>(::syscall(SYS_memfd_create, "fuse-overlayfs", MFD_CLOEXEC)));
    pid_t pid = ::fork();
    if (pid < 0)
        throw SysError("fork");
    if (pid == 0) {
        // burrow blocks the signals it forwards; the server must get its parent-death signal
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        // a burrow killed with -9 must not leave the server holding its mount namespace
        if (::prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || ::getppid() == 1 ||
            ::chdir(m.base_dir.c_str()) < 0)
            _exit(125);
        if (messages)
            ::dup2(messages.get(), STDERR_FILENO);
        const char* argv[] = {program.c_str(), "-f", "-o", opts.c_str(), m.target.c_str(), nullptr};
        ::execv(program.c_str(), const_cast<char**>(argv));
        _exit(127);
    }
    Pid server(pid);
    // -f keeps the server in the foreground, so its pid is known; it is ready once the mount
    // point shows another device
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (device_of(m.target) == before) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            server.release();
            std::string said;
            if (messages) {
                ::lseek(messages.get(), 0, SEEK_SET);
                said = read_fd(messages.get());
                while (!said.empty() && (said.back() == '\n' || said.back() == ' '))
                    said.pop_back();
                auto nl = said.rfind('\n');
                if (nl != std::string::npos)
                    said = said.substr(nl + 1); // the last line says why
            }
            throw Error("fuse-overlayfs could not mount the container's root (exit code " +
                        std::to_string(exit_code_of(status)) + (said.empty() ? "" : ": " + said) +
                        ")");
        }
        if (std::chrono::steady_clock::now() > deadline)
            throw Error("fuse-overlayfs did not mount the container's root within 10 seconds");
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    return server.release();
}

} // namespace burrow::userns
