#pragma once

#include "userns/spec.hpp"

#include <string>
#include <sys/types.h>

namespace burrow::userns {

// Where resource limits can be enforced for this user: a cgroup v2 subtree that is delegated to
// the user with the controllers enabled for its children. Anything else (cgroup v1 or hybrid, no
// delegation, as on many HPC nodes) cannot enforce limits rootless.
struct CgroupSupport {
    bool usable = false;
    std::string path;   // the user's own cgroup folder under /sys/fs/cgroup, when usable
    std::string reason; // why not, when not usable
};
CgroupSupport probe_cgroup_support(const std::string& cgroup_root = "/sys/fs/cgroup");

// Puts `pid` into a new cgroup for container `id` with the limits applied, when limits were asked
// and the cgroup tree allows it; otherwise prints one warning saying the limits are not enforced
// and why. Returns the cgroup folder created (to remove after the container exits) or "".
std::string place_in_cgroup(const std::string& id, const ResourceLimits& limits, pid_t pid);

// Removes a cgroup folder made by place_in_cgroup, once it is empty. Never throws.
void remove_cgroup(const std::string& path) noexcept;

// cpu.weight from docker's --cpu-shares, as crun converts it (shares 2..262144 to weight 1..10000).
uint64_t cpu_shares_to_weight(uint64_t shares);

} // namespace burrow::userns
