#pragma once

#include "userns/spec.hpp"

#include <string_view>

namespace burrow::userns {

// -v/--volume HOST:CONTAINER[:OPTIONS] with an absolute HOST path; OPTIONS is a comma list of
// ro, rw, z, Z (SELinux relabels: accepted and ignored on hosts without SELinux), rbind, bind.
// Relative host paths and named volumes are refused: they need the volume store.
BindMount parse_volume(std::string_view spec);

// --tmpfs PATH[:OPTIONS] as docker: default rw,noexec,nosuid,nodev,size=65536k; OPTIONS are mount
// flags (ro, rw, exec, noexec, suid, nosuid, dev, nodev) and tmpfs data (size=, mode=, …).
TmpfsMount parse_tmpfs(std::string_view spec);

// "/a/b/../c" → "/a/c"; refuses a relative container path.
std::string clean_container_path(std::string_view path, std::string_view what);

} // namespace burrow::userns
