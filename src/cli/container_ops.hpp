#pragma once

#include "cli/run_options.hpp"
#include "cli/store_access.hpp"
#include "core/process.hpp"
#include "userns/spec.hpp"

#include <string>
#include <vector>

namespace burrow::cli {

// Creates a container of an image: its record, its name and its folder with an empty writable
// layer (overlay drivers) or a copy of the image's files (vfs). Visible only once complete.
storage::ContainerRecord create_container(StoreAccess& sa, const RunOptions& o,
                                          const std::vector<std::string>& args,
                                          const std::string& image_name);

// The spec to start the container with: its options, its image's defaults, its root.
userns::ContainerSpec container_spec(const StoreAccess& sa, const storage::ContainerRecord& c,
                                     const std::string& runtime_dir);

// Where the container's root filesystem is, and how it is mounted (kind none for vfs).
userns::RootfsMount container_root(const StoreAccess& sa, const storage::ContainerRecord& c,
                                   const storage::ImageRecord& img);

// The container's files, mounted in burrow's own mount namespace (inside the user namespace)
// for export and cp; a FUSE server, if any, ends with the MountedRoot.
struct MountedRoot {
    std::string path;
    Pid server;
};
MountedRoot mount_container_root(const StoreAccess& sa, const storage::ContainerRecord& c);

// Starts the container in the foreground and waits for it, recording its state; removes it
// after with --rm. Returns its exit code.
int run_in_foreground(StoreAccess& sa, storage::ContainerRecord& c, const std::string& runtime_dir,
                      bool attach_stdin);

// Whether a container recorded as running still is: its pid is alive and is the same process.
bool is_running(const storage::ContainerRecord& c);
// The status as ps shows it: created, running, exited.
std::string current_status(const storage::ContainerRecord& c);
// A record that says running for a container that is gone (its burrow was killed, and the
// container with it) reads as exited, killed by SIGKILL.
void refresh_state(storage::ContainerRecord& c);

// Removes the container's folder, record and name. A running one is refused without force,
// killed with it.
void remove_container(StoreAccess& sa, const storage::ContainerRecord& c, bool force);

// The start time of a process in clock ticks since boot, 0 if it is gone.
uint64_t process_start_time(int64_t pid);

} // namespace burrow::cli
