#pragma once

#include "core/process.hpp"
#include "core/sync.hpp"
#include "core/unique_fd.hpp"
#include "userns/idmap.hpp"
#include "userns/spec.hpp"

namespace burrow::userns {

// A container's first process, started and waiting to be watched.
struct StartedContainer {
    Pid init;           // pid 1 of the container (in burrow's pid namespace); reaped by the caller
    UniqueFd pty;       // the pty master with spec.terminal
    std::string cgroup; // the container's cgroup folder, to remove after it exits ("" if none)
};

// Starts the container described by spec and returns once its command has been exec'd.
//
//   burrow (parent)                 child                              init (pid 1)
//   socketpair, fork ─────────────► unshare(NEWUSER)
//                    ◄── userns ───
//   newuidmap/newgidmap
//                    ─── maps ────► setresuid(0), unshare(NS|UTS|IPC|NET|CGROUP|PID), fork ──►
//                    ◄── init pid ─ _exit (init is adopted: burrow is a subreaper)
//                    ◄── pty master ───────────────────────────────── mounts, pivot_root, pty
//                    ◄── error (errno, message) ────────────────────── on any failure, _exit
//                    EOF ───────────────────────────────────────────── execve succeeded
//
// The user namespace is created alone and the others only after the maps are written, so every
// later namespace and mount is owned by a fully mapped root. Throws Error when anything fails,
// with exit code 126/127 when the command could not be run; nothing is left running then.
// Must be called from a process without threads; the caller should block the signals it wants
// to forward before calling, so none is lost between start and watch.
StartedContainer start_container(const ContainerSpec& spec, const UserMappings& maps);

} // namespace burrow::userns
