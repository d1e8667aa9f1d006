#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace burrow::cli {

// Flags that stand before the command (`burrow --root DIR run …`) and reach every command.
struct GlobalOptions {
    std::string log_level = "warn";
    std::string root;                      // --root: storage; empty = the XDG default
    std::string runroot;                   // --runroot: runtime state; empty = the XDG default
    std::string storage_driver;            // --storage-driver: empty = burrow.toml or auto
    std::vector<std::string> command_tail; // what followed a "--" that ended run's flags

    std::string storage_root() const;
    std::string runtime_root() const;
};

// The command line a prefix command (run, unshare) was given after its own flags: what CLI11
// left over plus what followed a "--". A leftover that looks like a flag is an unknown flag.
std::vector<std::string> command_args(CLI::App& cmd, const GlobalOptions& g);

// A top-level command. main.cpp adds every command by name and summary, and sets up the flags
// and subcommands of only the one that runs: building the whole tree would cost every command
// a few hundred microseconds, most of `burrow --version`. Completions set up all of them.
struct CommandInfo {
    const char* name;
    const char* summary;
    void (*setup)(CLI::App& cmd, GlobalOptions& g);
    const char* alias = nullptr;
    bool hidden = false;
};

// Every command file sets up its verbs here; main.cpp lists them in order.
void setup_run_command(CLI::App& cmd, GlobalOptions& g);
void setup_unshare_command(CLI::App& cmd, GlobalOptions& g);
void setup_version_command(CLI::App& cmd, GlobalOptions& g);
void setup_info_command(CLI::App& cmd, GlobalOptions& g);
void setup_completion_command(CLI::App& cmd, GlobalOptions& g);
void setup_create_command(CLI::App& cmd, GlobalOptions& g);
void setup_start_command(CLI::App& cmd, GlobalOptions& g);
void setup_rm_command(CLI::App& cmd, GlobalOptions& g);
void setup_rename_command(CLI::App& cmd, GlobalOptions& g);
void setup_container_prune_command(CLI::App& cmd, GlobalOptions& g);
void setup_container_group(CLI::App& cmd, GlobalOptions& g);
void setup_commit_command(CLI::App& cmd, GlobalOptions& g);
void setup_load_command(CLI::App& cmd, GlobalOptions& g);
void setup_save_command(CLI::App& cmd, GlobalOptions& g);
void setup_import_command(CLI::App& cmd, GlobalOptions& g);
void setup_export_command(CLI::App& cmd, GlobalOptions& g);
void setup_ps_command(CLI::App& cmd, GlobalOptions& g);
void setup_images_command(CLI::App& cmd, GlobalOptions& g);
void setup_history_command(CLI::App& cmd, GlobalOptions& g);
void setup_inspect_command(CLI::App& cmd, GlobalOptions& g);           // container or image
void setup_container_inspect_command(CLI::App& cmd, GlobalOptions& g); // containers only
void setup_image_inspect_command(CLI::App& cmd, GlobalOptions& g);     // images only
void setup_system_df_command(CLI::App& cmd, GlobalOptions& g);
void setup_rmi_command(CLI::App& cmd, GlobalOptions& g);
void setup_tag_command(CLI::App& cmd, GlobalOptions& g);
void setup_image_prune_command(CLI::App& cmd, GlobalOptions& g);
void setup_untag_command(CLI::App& cmd, GlobalOptions& g);
void setup_image_group(CLI::App& cmd, GlobalOptions& g);
void setup_system_group(CLI::App& cmd, GlobalOptions& g);
void setup_diff_command(CLI::App& cmd, GlobalOptions& g);
void setup_cp_command(CLI::App& cmd, GlobalOptions& g);
void setup_pull_command(CLI::App& cmd, GlobalOptions& g);

// Reads $XDG_CONFIG_HOME/burrow/burrow.toml into the global options the command line left unset.
void apply_config_file(CLI::App& app, GlobalOptions& g);

// Thrown by a command callback to end burrow with a code that is not an error of burrow's own
// (the container's exit code, 126, 127).
struct ExitRequest {
    int code;
};

} // namespace burrow::cli
