#pragma once

#include <string>
#include <string_view>
#include <sys/resource.h>
#include <vector>

namespace burrow::userns {

// One --ulimit: resource is an RLIMIT_* number, name its docker name ("nofile").
struct Ulimit {
    int resource = 0;
    rlim_t soft = 0;
    rlim_t hard = 0;
    std::string name;
    bool operator==(const Ulimit&) const = default;
};

// Parses docker's `name=soft[:hard]`: names as `ulimit` knows them (core cpu data fsize locks
// memlock msgqueue nice nproc rss rtprio rttime sigpending stack nofile as, also in upper case or
// with an RLIMIT_ prefix); `-1` or `unlimited` for no limit; the hard limit defaults to the soft
// one and may not be below it. Throws Error with a one-line reason.
Ulimit parse_ulimit(std::string_view arg);

// Child side: setrlimit for each, in order. Unprivileged, a hard limit can be lowered but never
// raised above the one burrow was started with (CAP_SYS_RESOURCE in the host's user namespace);
// that failure says so. Throws SysError naming the limit.
void apply_ulimits(const std::vector<Ulimit>& ulimits);

} // namespace burrow::userns
