#pragma once

#include "userns/idmap.hpp"
#include "userns/rlimits.hpp"
#include "userns/seccomp.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <sys/ioctl.h>
#include <vector>

namespace burrow::userns {

// A bind mount from the host (-v HOST:CTR[:ro]).
struct BindMount {
    std::string source; // absolute host path
    std::string destination;
    bool read_only = false;
};

// A tmpfs mount (--tmpfs PATH[:OPTIONS]).
struct TmpfsMount {
    std::string destination;
    std::string options; // mount data, e.g. "size=64m,mode=1777"
    unsigned long flags = 0;
};

// The image's root filesystem, mounted for the container in its own mount namespace. Paths are
// relative to base_dir, which keeps the mount options within a page for images of many layers.
struct RootfsMount {
    enum class Kind { none, overlay, fuse_overlayfs };
    Kind kind = Kind::none;
    std::string base_dir;                // absolute; the folder the paths below are relative to
    std::vector<std::string> lower_dirs; // top layer first
    std::string upper_dir;
    std::string work_dir;
    std::string target; // absolute; becomes ContainerSpec::rootfs
};

struct ResourceLimits {
    std::optional<uint64_t> cpu_shares;
    std::optional<double> cpus;
    std::optional<int64_t> memory; // bytes
    std::optional<int64_t> pids;
    bool any() const { return cpu_shares || cpus || memory || pids; }
};

// Everything the container's processes need, decided in the parent before any fork so that bad
// input fails early and the child has nothing left to parse.
struct ContainerSpec {
    std::string id;
    std::string rootfs; // absolute
    RootfsMount rootfs_mount;
    std::vector<std::string> args;
    std::vector<std::string> env;
    std::string cwd = "/";
    std::string user; // -u spec, resolved inside the root
    std::vector<std::string> group_add;
    std::string hostname;

    bool new_pid = true;
    bool new_net = true;
    bool new_ipc = true;
    bool new_uts = true;
    bool new_cgroup = true;

    bool terminal = false;
    bool stdin_open = false;
    struct winsize winsize {};

    bool read_only = false;
    bool privileged = false;
    bool no_new_privs = false;
    uint64_t cap_mask = 0;
    uint64_t cap_explicit = 0; // caps named in --cap-add: granted to a non-root user too
    SeccompProgram seccomp;    // empty: unconfined
    std::vector<Ulimit> ulimits;
    std::vector<BindMount> binds;
    std::vector<TmpfsMount> tmpfs;
    std::vector<std::string> masked_paths;
    std::vector<std::string> readonly_paths;
    ResourceLimits resources;
};

// podman's defaults: kernel interfaces that leak host information or allow host-wide changes.
std::vector<std::string> default_masked_paths();
std::vector<std::string> default_readonly_paths();

} // namespace burrow::userns
