#pragma once

#include "cli/store_access.hpp"

#include <CLI/CLI.hpp>
#include <string>

namespace burrow::cli {

// The registry flags pull, run and create share.
struct PullFlags {
    std::string platform;
    std::string tls_verify; // "", "true", "false"
    std::string authfile;
    std::string creds;
    int max_parallel = 6;
};
void add_pull_flags(CLI::App& cmd, PullFlags& f);

// Pulls the image a user named into the store, printing docker's lines unless quiet.
// With to_stderr, the lines go to stderr (run and create keep stdout for the container).
storage::ImageRecord pull_into_store(StoreAccess& sa, const std::string& typed,
                                     const PullFlags& flags, bool quiet, bool to_stderr = false);

} // namespace burrow::cli
