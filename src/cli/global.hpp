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

// Thrown by a command callback to end burrow with a code that is not an error of burrow's own
// (the container's exit code, 126, 127).
struct ExitRequest {
    int code;
};

} // namespace burrow::cli
