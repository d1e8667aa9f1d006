#pragma once

#include "storage/store.hpp"

#include <string>

namespace burrow::storage {

// The driver for this store: the one it was made with, else the one asked for ("" or "auto":
// the kernel's overlay where a test mount in the user namespace works, else fuse-overlayfs
// when installed and /dev/fuse opens, else vfs), recorded for the next commands. Asking for
// another driver than the recorded one is an error: layers are kept in the driver's format.
// Must run as root of the user's user namespace.
Driver choose_driver(Store& store, const std::string& requested);

// Whether the kernel's overlay mounts here, in a test folder under the store's tmp/.
bool kernel_overlay_works(const Store& store, std::string* why = nullptr);

} // namespace burrow::storage
