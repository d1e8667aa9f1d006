#pragma once

#include "userns/spec.hpp"

#include <string>
#include <sys/types.h>

namespace burrow::userns {

// The mount options of an overlay of m's layers, paths relative to m.base_dir.
std::string overlay_options(const RootfsMount& m, bool fuse);

// Mounts the image's root filesystem at m.target in the calling process's mount namespace.
// Runs as root of the user namespace. For fuse-overlayfs, returns the pid of the FUSE server,
// which runs in the foreground until killed, and dies with the caller; for the kernel's
// overlay, 0. A FUSE server must stay in a mount namespace whose root is not detached later
// (it reaches its layers through /proc/self/fd): mount it in burrow's own, not the container's.
pid_t mount_image_rootfs(const RootfsMount& m);

} // namespace burrow::userns
