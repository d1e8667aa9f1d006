#include "userns/foreground.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/log.hpp"
#include "userns/cgroups.hpp"
#include "userns/pty.hpp"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

namespace burrow::userns {

namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

// Copies what is available from `from` to `to`; false on EOF or error of `from`.
bool pump(int from, int to) {
    char buf[16384];
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return true;
    if (n <= 0)
        return false;
    try {
        write_all(to, buf, static_cast<size_t>(n));
    } catch (const SysError&) {
        return false; // the reader went away (a closed pipe): keep the container running
    }
    return true;
}

} // namespace

sigset_t foreground_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : kForwarded)
        sigaddset(&set, s);
    sigaddset(&set, SIGWINCH);
    sigaddset(&set, SIGCHLD);
    return set;
}

int watch_foreground(StartedContainer& c, bool stdin_open, bool sig_proxy) {
    sigset_t set = foreground_signals();
    UniqueFd sfd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!sfd)
        throw SysError("signalfd");
    std::optional<RawTerminal> raw;
    const int master = c.pty.get();
    bool stdin_live = master >= 0 && stdin_open;
    bool master_live = master >= 0;
    if (master >= 0) {
        if (auto ws = terminal_size())
            ::ioctl(master, TIOCSWINSZ, &*ws);
        if (stdin_open && ::isatty(STDIN_FILENO))
            raw.emplace(STDIN_FILENO);
        ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    }

    std::optional<int> status;
    const pid_t pid = c.init.get();
    while (!status || master_live) {
        if (!status) {
            int st;
            pid_t r = ::waitpid(pid, &st, WNOHANG | __WALL);
            if (r == pid) {
                log::debug("container exited");
                status = st;
                c.init.release();
                stdin_live = false; // nothing reads it any more; drain the output only
                continue;
            }
        }
        pollfd fds[3];
        nfds_t n = 0;
        fds[n++] = {sfd.get(), POLLIN, 0};
        int master_idx = -1, stdin_idx = -1;
        if (master_live) {
            master_idx = static_cast<int>(n);
            fds[n++] = {master, POLLIN, 0};
        }
        if (stdin_live) {
            stdin_idx = static_cast<int>(n);
            fds[n++] = {STDIN_FILENO, POLLIN, 0};
        }
        // after the container's exit only its remaining output is read: do not wait for more
        int timeout = status ? 0 : -1;
        int ready = ::poll(fds, n, timeout);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            throw SysError("poll");
        }
        if (ready == 0 && status)
            break;
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo si;
            while (::read(sfd.get(), &si, sizeof si) == sizeof si) {
                int sig = static_cast<int>(si.ssi_signo);
                if (sig == SIGWINCH && c.pty) {
                    if (auto ws = terminal_size())
                        ::ioctl(master, TIOCSWINSZ, &*ws);
                } else if (sig != SIGCHLD && sig != SIGWINCH && sig_proxy && !status) {
                    ::kill(pid, sig);
                }
            }
        }
        if (master_idx >= 0 && fds[master_idx].revents & (POLLIN | POLLHUP | POLLERR)) {
            // EIO once every slave fd is closed: the container and its children are gone. A
            // failed write (our reader went away) hangs the terminal up instead, as closing a
            // terminal window does, so the container is not left blocked on a full pty.
            if (!pump(master, STDOUT_FILENO)) {
                master_live = false;
                stdin_live = false;
                c.pty.reset();
            }
        }
        if (stdin_idx >= 0 && fds[stdin_idx].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!pump(STDIN_FILENO, master)) {
                stdin_live = false;
                // a terminal's EOF is ^D: let the container's line discipline see it
                char eot = 4;
                [[maybe_unused]] auto w = ::write(master, &eot, 1);
            }
        }
    }
    raw.reset();
    remove_cgroup(c.cgroup);
    return exit_code_of(*status);
}

} // namespace burrow::userns
