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

// Every command file registers its verbs here; main.cpp calls them in order.
void set_run_command(CLI::App& app, GlobalOptions& g);
void set_unshare_command(CLI::App& app, GlobalOptions& g);
void set_version_command(CLI::App& app, GlobalOptions& g);
void set_info_command(CLI::App& app, GlobalOptions& g);
void set_completion_command(CLI::App& app, GlobalOptions& g);

// Thrown by a command callback to end burrow with a code that is not an error of burrow's own
// (the container's exit code, 126, 127).
struct ExitRequest {
    int code;
};

} // namespace burrow::cli
