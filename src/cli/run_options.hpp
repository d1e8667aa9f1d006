#pragma once

#include "userns/idmap.hpp"
#include "userns/spec.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace burrow::cli {

// The flags of `run` (and later `create`), as typed.
struct RunOptions {
    std::string rootfs;
    std::string name;
    std::optional<std::string> entrypoint;
    std::vector<std::string> labels; // KEY=VALUE, or KEY for an empty value
    // pulling a missing image (not kept in the container's record)
    std::string pull = "missing"; // missing, always, never, newer
    std::string platform, tls_verify, authfile, creds;
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

// The flags as a container's record keeps them, for `start` to build the same spec again.
nlohmann::json to_json(const RunOptions& o);
RunOptions run_options_from_json(const nlohmann::json& j);

// What an image's config says about running it; the flags override each part.
struct ImageDefaults {
    std::vector<std::string> env;
    std::vector<std::string> entrypoint;
    std::vector<std::string> cmd;
    std::string workdir;
    std::string user;
};

// The command a container of the image runs, as docker composes it: the entrypoint (the
// image's, or --entrypoint) followed by the arguments given, or the image's Cmd when none are
// given and --entrypoint was not.
std::vector<std::string> compose_command(const RunOptions& o, const std::vector<std::string>& args,
                                         const ImageDefaults& image);

// Checks every flag and builds the container's spec: all bad input fails here, before any fork.
// runtime_dir holds caches private to the user (compiled seccomp programs).
// With image, the command and defaults come from it, and the caller sets the root filesystem.
// check_only: every flag is checked but the default seccomp program is not loaded (the spec is
// built again to start the container).
userns::ContainerSpec build_spec(const RunOptions& o, const std::vector<std::string>& args,
                                 const std::string& runtime_dir,
                                 const ImageDefaults* image = nullptr, bool check_only = false);

// Checks every flag of a container of an image before anything is made: the image's own
// command is not known yet, so a stand-in takes its place.
void check_image_run_flags(const RunOptions& o, const std::vector<std::string>& args,
                           const std::string& runtime_dir);

// The user's id mappings, with the single-id fallback warned about once.
userns::UserMappings mappings_for_run();

} // namespace burrow::cli
