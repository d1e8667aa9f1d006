#pragma once

#include "userns/seccomp.hpp"

#include <string>
#include <string_view>

namespace burrow::userns {

// compile_seccomp_profile, remembered: libseccomp needs ~10 ms to compile the default profile,
// more than the rest of a container start. A program compiled before for the same profile text,
// capability mask, libseccomp and burrow binary is read back from cache_dir instead (a folder
// private to the user, in the runtime dir). A cache that cannot be read or written is only
// skipped.
SeccompProgram cached_seccomp_program(std::string_view json, uint64_t cap_mask,
                                      const std::string& source, const std::string& cache_dir);

} // namespace burrow::userns
