#include "userns/pty.hpp"

#include "core/error.hpp"

#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace burrow::userns {

PtyPair open_container_pty(const struct winsize& ws) {
    UniqueFd master(::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!master)
        throw SysError("open", "/dev/ptmx");
    int unlock = 0;
    if (::ioctl(master.get(), TIOCSPTLCK, &unlock) < 0)
        throw SysError("unlock pty");
    // TIOCGPTPEER opens the peer of this very master, with no path lookup to race against
    int slave = ::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        throw SysError("open pty peer");
    if (ws.ws_row != 0 || ws.ws_col != 0)
        ::ioctl(master.get(), TIOCSWINSZ, &ws);
    return {std::move(master), UniqueFd(slave)};
}

void become_session_leader_on(int slave) {
    if (::setsid() < 0)
        throw SysError("setsid");
    if (::ioctl(slave, TIOCSCTTY, 0) < 0)
        throw SysError("set controlling terminal");
    for (int fd = 0; fd < 3; ++fd)
        if (::dup2(slave, fd) < 0)
            throw SysError("dup2 pty");
}

RawTerminal::RawTerminal(int fd) {
    struct termios t;
    if (::tcgetattr(fd, &t) < 0)
        return;
    fd_ = fd;
    saved_ = t;
    ::cfmakeraw(&t);
    ::tcsetattr(fd, TCSANOW, &t);
}

RawTerminal::~RawTerminal() {
    if (saved_)
        ::tcsetattr(fd_, TCSANOW, &*saved_);
}

std::optional<struct winsize> window_size(int fd) {
    struct winsize ws {};
    if (::ioctl(fd, TIOCGWINSZ, &ws) < 0)
        return std::nullopt;
    return ws;
}

std::optional<struct winsize> terminal_size() {
    for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO})
        if (auto ws = window_size(fd))
            return ws;
    return std::nullopt;
}

} // namespace burrow::userns
