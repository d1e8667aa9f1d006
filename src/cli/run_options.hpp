#pragma once

#include "userns/idmap.hpp"
#include "userns/spec.hpp"

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace burrow::cli {

// The flags of `run` (and later `create`), as typed.
struct RunOptions {
    std::string rootfs;
    bool interactive = false;
    bool tty = false;
    bool rm = false;
    bool sig_proxy = true;
    std::vector<std::string> env;
    std::vector<std::string> env_files;
    std::string workdir;
    std::string user;
    std::vector<std::string> group_add;
    std::string hostname;
    std::string network;
    std::string pid_mode, ipc_mode, uts_mode;
    std::vector<std::string> cap_add, cap_drop;
    bool privileged = false;
    std::vector<std::string> security_opts;
    std::vector<std::string> ulimits;
    bool read_only = false;
    std::vector<std::string> tmpfs;
    std::vector<std::string> volumes;
    std::string cpu_shares, cpus, memory, pids_limit;
};

void add_run_flags(CLI::App& cmd, RunOptions& o);

// Checks every flag and builds the container's spec: all bad input fails here, before any fork.
// runtime_dir holds caches private to the user (compiled seccomp programs).
userns::ContainerSpec build_spec(const RunOptions& o, const std::vector<std::string>& args,
                                 const std::string& runtime_dir);

// The user's id mappings, with the single-id fallback warned about once.
userns::UserMappings mappings_for_run();

} // namespace burrow::cli
