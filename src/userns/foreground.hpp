#pragma once

#include "userns/container.hpp"

#include <csignal>

namespace burrow::userns {

// The signals a foreground burrow forwards to its container (and SIGWINCH, SIGCHLD, which it
// handles itself). Block them before start_container so that none arrives unhandled.
sigset_t foreground_signals();

// Relays the terminal or stdin to the container while it runs, forwards signals to its pid 1,
// and returns its exit code (128+N when killed by signal N). With a pty, the host terminal is in
// raw mode meanwhile and restored on every exit path.
int watch_foreground(StartedContainer& c, bool stdin_open, bool sig_proxy = true);

} // namespace burrow::userns
