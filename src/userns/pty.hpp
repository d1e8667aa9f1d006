#pragma once

#include "core/unique_fd.hpp"

#include <optional>
#include <sys/ioctl.h>
#include <termios.h>

namespace burrow::userns {

struct PtyPair {
    UniqueFd master;
    UniqueFd slave;
};

// Child side: a new pty from the container's own devpts instance (/dev/ptmx after pivot_root), so
// the host's devpts is never touched.
PtyPair open_container_pty(const struct winsize& ws);

// Makes `slave` the controlling terminal of a new session and the stdio of the calling process.
// A new session also means the container can never reach the host terminal with TIOCSTI.
void become_session_leader_on(int slave);

// Puts a terminal in raw mode and restores its settings on destruction, whatever the exit path.
class RawTerminal {
public:
    explicit RawTerminal(int fd);
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;
    ~RawTerminal();

private:
    int fd_ = -1;
    std::optional<struct termios> saved_;
};

// The window size of fd, or nullopt when it is not a terminal.
std::optional<struct winsize> window_size(int fd);
// The window size of burrow's terminal: the first of stdin, stdout, stderr that is one (a
// background job's stdin is /dev/null, its output still the terminal).
std::optional<struct winsize> terminal_size();

} // namespace burrow::userns
