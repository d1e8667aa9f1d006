#include "userns/container.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/log.hpp"
#include "userns/caps.hpp"
#include "userns/cgroups.hpp"
#include "userns/enter.hpp"
#include "userns/handshake.hpp"
#include "userns/mounts.hpp"
#include "userns/pty.hpp"
#include "userns/rootfs_mount.hpp"
#include "userns/user.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace burrow::userns {

namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The child's last words: never throws, then _exit. An exception must not cross the fork.
[[noreturn]] void child_fail(const SyncChannel& ch, uint32_t type, const std::string& text, int err,
                             int code) {
    ch.try_send({type, err, 0, text});
    _exit(code);
}

void wait_for(const SyncChannel& ch, uint32_t type) {
    auto m = ch.receive();
    if (!m || m->type != type)
        _exit(125); // the parent gave up: it reports the reason itself
}

void bring_up_loopback() {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!s)
        throw SysError("socket for loopback");
    struct ifreq ifr {};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(s.get(), SIOCGIFFLAGS, &ifr) < 0)
        throw SysError("get flags of lo");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (::ioctl(s.get(), SIOCSIFFLAGS, &ifr) < 0)
        throw SysError("bring up lo");
}

// Takes the container out of burrow's process group and off the caller's controlling terminal:
// a process without a controlling terminal can neither inject input into it (TIOCSTI) nor take it
// over (TIOCSCTTY), and terminal signals no longer reach it behind burrow's back. Unlike
// setsid(), this creates no new scheduler autogroup, which costs milliseconds.
void detach_from_terminal() {
    if (::setpgid(0, 0) < 0)
        throw SysError("setpgid");
    UniqueFd tty(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (tty && ::ioctl(tty.get(), TIOCNOTTY) < 0)
        throw SysError("give up the controlling terminal");
}

// setgroups, setresgid, setresuid to the container's user, keeping the permitted capabilities
// across the change of uid (PR_SET_KEEPCAPS) for the steps that follow.
void switch_user(const ExecUser& user, bool single_id) {
    auto unmapped = [](const char* what, unsigned long id) {
        int err = errno;
        if (err != EINVAL)
            throw SysError(what, std::to_string(id), err);
        throw Error(std::string(what) + " " + std::to_string(id) +
                    ": the id is not mapped in the container (ids 1 and up are your /etc/subuid "
                    "and /etc/subgid range; in single-id mode only 0 exists)");
    };
    // setgroups is denied in single-id mode; run warns about --group-add there
    if (!single_id && ::setgroups(user.additional_gids.size(), user.additional_gids.data()) < 0)
        unmapped("setgroups", user.additional_gids.empty() ? 0 : user.additional_gids.front());
    if (::setresgid(user.gid, user.gid, user.gid) < 0)
        unmapped("setresgid", user.gid);
    if (user.uid != 0 && ::prctl(PR_SET_KEEPCAPS, 1) < 0)
        throw SysError("prctl PR_SET_KEEPCAPS");
    if (::setresuid(user.uid, user.uid, user.uid) < 0)
        unmapped("setresuid", user.uid);
}

bool has_env(const std::vector<std::string>& env, const std::string& key) {
    for (const auto& e : env)
        if (e.compare(0, key.size() + 1, key + "=") == 0)
            return true;
    return false;
}

std::string env_value(const std::vector<std::string>& env, const std::string& key) {
    for (const auto& e : env)
        if (e.compare(0, key.size() + 1, key + "=") == 0)
            return e.substr(key.size() + 1);
    return {};
}

// The command's path as execvp would find it, but with the container's PATH, not burrow's.
std::string find_command(const std::string& cmd, const std::vector<std::string>& env) {
    if (cmd.find('/') != std::string::npos)
        return cmd;
    std::string path = has_env(env, "PATH") ? env_value(env, "PATH") : kDefaultPath;
    std::string found = find_program(cmd, path.c_str());
    if (found.empty())
        throw Error(cmd, 127);
    return found;
}

// Every fd burrow inherited beyond stdio is closed at exec: the container must not see its
// caller's pipes, sockets or files.
void close_inherited_fds_on_exec() {
    if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    // kernels before 5.11: mark them one by one
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir)
        throw SysError("open", "/proc/self/fd");
    const int own = ::dirfd(dir);
    while (struct dirent* e = ::readdir(dir)) {
        int fd = std::atoi(e->d_name);
        if (fd >= 3 && fd != own)
            ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    ::closedir(dir);
}

[[noreturn]] void exec_command(const SyncChannel& ch, const ContainerSpec& spec,
                               std::vector<std::string> env, const std::string& path) {
    close_inherited_fds_on_exec();
    std::vector<char*> argv, envp;
    for (const auto& a : spec.args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (auto& e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execve(path.c_str(), argv.data(), envp.data());
    child_fail(ch, kExecError, spec.args[0], errno, errno == ENOENT ? 127 : 126);
}

// The container starts with every signal at its default and none blocked, whatever burrow
// inherited: a shell starts background jobs with SIGINT ignored, and an ignored signal would
// stay ignored across exec.
void reset_signals() {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP)
            ::sigaction(sig, &dfl, nullptr); // EINVAL for the few glibc reserves: fine
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// pid 1 of the container. One list of steps, in the order the kernel's rules require.
[[noreturn]] void init_main(const ContainerSpec& spec, bool single_id, const SyncChannel& ch) {
    try {
        // a foreground container must not outlive a burrow that was killed
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        reset_signals();

        log::debug("init: started");
        setup_rootfs(spec, single_id);
        log::debug("init: root filesystem ready");
        if (spec.new_uts && ::sethostname(spec.hostname.data(), spec.hostname.size()) < 0)
            throw SysError("sethostname", spec.hostname);
        if (spec.new_net)
            bring_up_loopback();

        if (spec.terminal) {
            PtyPair pty = open_container_pty(spec.winsize);
            ch.send({kPtyMaster, 0, 0, {}}, pty.master.get());
            pty.master.reset();
            become_session_leader_on(pty.slave.get());
        } else {
            detach_from_terminal();
            if (!spec.stdin_open) {
                UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
                if (!null || ::dup2(null.get(), STDIN_FILENO) < 0)
                    throw SysError("open", "/dev/null");
            }
        }
        ExecUser user = resolve_user_in_root(spec.user, spec.group_add);
        std::vector<std::string> env = spec.env;
        if (!has_env(env, "PATH"))
            env.insert(env.begin(), std::string("PATH=") + kDefaultPath);
        if (!has_env(env, "HOSTNAME"))
            env.push_back("HOSTNAME=" + spec.hostname);
        if (spec.terminal && !has_env(env, "TERM"))
            env.push_back("TERM=xterm");
        if (!has_env(env, "HOME"))
            env.push_back("HOME=" + user.home);
        if (::chdir(spec.cwd.c_str()) < 0) {
            make_dirs(spec.cwd);
            if (::chdir(spec.cwd.c_str()) < 0)
                throw SysError("chdir", spec.cwd);
        }
        std::string path;
        try {
            path = find_command(spec.args.at(0), env);
        } catch (const Error&) {
            child_fail(ch, kExecError, spec.args[0], ENOENT, 127);
        }
        // after the lookups above: a low --ulimit nofile limits the command, not burrow
        apply_ulimits(spec.ulimits);

        CapSets caps = cap_sets_for(spec.cap_mask, spec.cap_explicit, user.uid == 0);
        drop_bounding_set(caps.bounding);
        switch_user(user, single_id);
        // The filter goes last. Without no_new_privs the kernel takes one only from a holder of
        // CAP_SYS_ADMIN (seccomp(2)), which the switch of user cleared from the effective set:
        // raise it again from the permitted set that PR_SET_KEEPCAPS kept, load, then drop to
        // the container's own sets (capset and prctl are in every profile's allowlist).
        if (user.uid != 0)
            set_process_caps(all_caps_mask(), all_caps_mask(), 0, 0);
        if (spec.no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
            throw SysError("prctl PR_SET_NO_NEW_PRIVS");
        install_seccomp(spec.seccomp);
        set_process_caps(caps.effective, caps.permitted, caps.inheritable, caps.ambient);
        // a change of uid clears the parent-death signal: set it again, and stop here if burrow
        // is already gone (its end of the channel hung up)
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        struct pollfd pf {
            ch.fd(), 0, 0
        };
        if (::poll(&pf, 1, 0) > 0 && (pf.revents & (POLLHUP | POLLERR)))
            _exit(125);
        log::debug("init: exec " + path);
        exec_command(ch, spec, std::move(env), path);
    } catch (const SysError& e) {
        child_fail(ch, kSetupError, e.what(), e.error(), 125);
    } catch (const Error& e) {
        child_fail(ch, kSetupError, e.what(), 0, e.exit_code());
    } catch (const std::exception& e) {
        child_fail(ch, kSetupError, e.what(), 0, 125);
    }
}

// The first child: owns the user namespace, creates the others, and hands pid 1 to burrow.
// Inside the user namespace of enter_user_namespace() already, it makes no new one.
[[noreturn]] void child_main(const ContainerSpec& spec, bool single_id, bool inside,
                             const SyncChannel& ch) {
    try {
        if (!inside && ::unshare(CLONE_NEWUSER) < 0)
            throw SysError("create user namespace");
        ch.send({kUsernsReady, 0, 0, {}});
        wait_for(ch, kMapsWritten);
        if (!inside && (::setresgid(0, 0, 0) < 0 || ::setresuid(0, 0, 0) < 0))
            throw SysError("become root in the user namespace");
        // drop the host's supplementary groups; impossible (and unneeded) once setgroups is denied
        if (!single_id && ::setgroups(0, nullptr) < 0)
            throw SysError("setgroups");
        int flags = CLONE_NEWNS;
        if (spec.rootfs_mount.kind == RootfsMount::Kind::overlay) {
            // the image's root is mounted in the container's mount namespace only
            if (::unshare(CLONE_NEWNS) < 0)
                throw SysError("create mount namespace");
            flags = 0;
            mount_image_rootfs(spec.rootfs_mount);
        } else if (spec.rootfs_mount.kind != RootfsMount::Kind::none) {
            throw Error("a FUSE root must be mounted before the container starts");
        }
        if (spec.new_uts)
            flags |= CLONE_NEWUTS;
        if (spec.new_ipc)
            flags |= CLONE_NEWIPC;
        if (spec.new_net)
            flags |= CLONE_NEWNET;
        if (spec.new_cgroup)
            flags |= CLONE_NEWCGROUP;
        if (spec.new_pid)
            flags |= CLONE_NEWPID;
        if (::unshare(flags) < 0)
            throw SysError("create container namespaces");
        // CLONE_PARENT: pid 1 becomes burrow's own child, so burrow waits for it directly and no
        // middle process stays around
        long pid = ::syscall(SYS_clone, CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
        if (pid < 0)
            throw SysError("clone container init");
        if (pid == 0)
            init_main(spec, single_id, ch);
        ch.send({kInitPid, 0, pid, {}});
        _exit(0);
    } catch (const SysError& e) {
        child_fail(ch, kSetupError, e.what(), e.error(), 125);
    } catch (const std::exception& e) {
        child_fail(ch, kSetupError, e.what(), 0, 125);
    }
}

} // namespace

StartedContainer start_container(const ContainerSpec& spec, const UserMappings& maps) {
    if (spec.args.empty())
        throw Error("no command given");
    auto [parent_ch, child_ch] = SyncChannel::make_pair();

    log::debug("start: fork");
    pid_t child = ::fork();
    if (child < 0)
        throw SysError("fork");
    if (child == 0) {
        parent_ch.close();
        child_main(spec, maps.single_id, is_inside_user_namespace(), child_ch);
    }
    Pid setup(child);
    child_ch.close();

    StartedContainer started;
    StartHandshake hs;
    auto next = hs.on_frame(parent_ch.receive());
    while (next == StartHandshake::Next::write_maps || next == StartHandshake::Next::receive) {
        if (next == StartHandshake::Next::write_maps) {
            try {
                log::debug("start: user namespace made, writing maps");
                started.cgroup = place_in_cgroup(spec.id, spec.resources, child);
                if (!is_inside_user_namespace())
                    write_id_maps(child, maps);
                log::debug("start: maps written");
                parent_ch.send({kMapsWritten, 0, 0, {}});
            } catch (const Error& e) {
                next = hs.fail(e);
                break;
            }
        }
        UniqueFd fd;
        auto frame = parent_ch.receive(&fd);
        next = hs.on_frame(frame, std::move(fd));
    }
    log::debug("start: command started");
    if (hs.init_pid() > 0)
        started.init = Pid(hs.init_pid());

    started.pty = hs.take_pty();
    // closing our end releases a child still waiting for its maps
    parent_ch.close();
    setup.wait();
    if (next == StartHandshake::Next::failed) {
        started.init = Pid(); // kills and reaps pid 1 if it is still there
        remove_cgroup(started.cgroup);
        throw *hs.failure();
    }
    return started;
}

} // namespace burrow::userns
