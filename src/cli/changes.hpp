#pragma once

#include "storage/image_format.hpp"

#include <string>
#include <vector>

namespace burrow::cli {

// Applies Dockerfile instructions given with --change (commit, import) to a config, as docker
// does: CMD, ENTRYPOINT (JSON array or shell form), ENV, LABEL, WORKDIR, USER, EXPOSE, VOLUME,
// STOPSIGNAL. Anything else is an error naming the instruction.
storage::ContainerConfig apply_changes(storage::ContainerConfig config,
                                       const std::vector<std::string>& changes);

} // namespace burrow::cli
