#pragma once

#include "core/unique_fd.hpp"
#include "userns/spec.hpp"

#include <string>

namespace burrow::userns {

// Opens `path` inside the tree of root_fd, resolving every component (symlinks and `..`
// included) as if root_fd were `/`: openat2(RESOLVE_IN_ROOT). A hostile rootfs cannot make
// burrow open or mount over a host path.
UniqueFd open_in_root(int root_fd, const std::string& path, int flags);

// Creates the folder `path` and its parents inside root_fd (each component resolved in the root)
// and returns it opened with O_PATH.
UniqueFd mkdir_in_root(int root_fd, const std::string& path, mode_t mode = 0755);

// Creates an empty file to bind-mount a file over (and its parent folders) inside root_fd.
UniqueFd mkfile_in_root(int root_fd, const std::string& path);

// Child side, in the container's fresh mount namespace: mounts /proc, /dev, /sys, the volumes and
// tmpfs of `spec` under spec.rootfs, then pivots into it and detaches the host's tree. Afterwards
// masks and read-only paths are applied and, with --read-only, the root is made read-only.
// single_id tells whether gid 5 (tty) exists in the namespace for devpts.
void setup_rootfs(const ContainerSpec& spec, bool single_id);

} // namespace burrow::userns
