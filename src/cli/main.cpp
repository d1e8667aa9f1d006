#include "cli/build_info.hpp"
#include "cli/global.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace burrow::cli {

std::string GlobalOptions::storage_root() const {
    return root.empty() ? paths::default_storage_root() : root;
}

std::string GlobalOptions::runtime_root() const {
    return runroot.empty() ? paths::default_runtime_dir().path : runroot;
}

std::vector<std::string> command_args(CLI::App& cmd, const GlobalOptions& g) {
    auto args = cmd.remaining();
    args.insert(args.end(), g.command_tail.begin(), g.command_tail.end());
    if (!args.empty() && args.front() == "--")
        args.erase(args.begin());
    else if (!args.empty() && args.front().starts_with("-"))
        throw Error("unknown flag: " + args.front());
    return args;
}

namespace {

void print_error(const std::string& msg) {
    std::string line = "Error: " + msg + "\n";
    std::fputs(line.c_str(), stderr);
}

// Whether the option `name` of cmd (with its dashes) needs a value in the next argument.
bool takes_value(CLI::App& cmd, const std::string& name) {
    const CLI::Option* opt = cmd.get_option_no_throw(name);
    if (!opt && cmd.get_parent())
        opt = cmd.get_parent()->get_option_no_throw(name);
    return opt && opt->get_items_expected_min() > 0;
}

// `burrow run [FLAGS] -- CMD…`: CLI11 would hand what follows "--" back to the top level, so
// the command after a "--" that ends the flags is cut off here and given to the command itself.
// A "--" after the command's first word belongs to the command.
std::vector<std::string> split_command_tail(CLI::App& app, std::vector<std::string>& args) {
    size_t i = 0;
    CLI::App* sub = nullptr;
    for (; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.starts_with("-")) {
            if (a.find('=') == std::string::npos && takes_value(app, a))
                ++i;
            continue;
        }
        for (CLI::App* c : app.get_subcommands([&](CLI::App* c) { return c->check_name(a); }))
            sub = c;
        break;
    }
    if (!sub || !sub->get_prefix_command())
        return {};
    for (++i; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--") {
            std::vector<std::string> tail(args.begin() + static_cast<long>(i) + 1, args.end());
            args.resize(i);
            return tail;
        }
        if (!a.starts_with("-"))
            return {};
        if (a.starts_with("--")) {
            if (a.find('=') == std::string::npos && takes_value(*sub, a))
                ++i;
            continue;
        }
        // a group of short flags: the first one that takes a value ends it, its value attached
        // or in the next argument
        for (size_t k = 1; k < a.size(); ++k) {
            if (takes_value(*sub, std::string("-") + a[k])) {
                if (k + 1 == a.size())
                    ++i;
                break;
            }
        }
    }
    return {};
}

const CommandInfo kCommands[] = {
    {"run", "Run a command in a new container", setup_run_command},
    {"create", "Create a container of an image without starting it", setup_create_command},
    {"start", "Start a created or exited container", setup_start_command},
    {"rm", "Remove containers", setup_rm_command},
    {"rename", "Rename a container", setup_rename_command},
    {"container", "Manage containers", setup_container_group},
    {"commit", "Create a new image from a container's changes", setup_commit_command},
    {"load", "Load images from a docker-archive or oci-archive", setup_load_command},
    {"save", "Save images to an archive", setup_save_command},
    {"import", "Create an image from a root filesystem tarball", setup_import_command},
    {"export", "Export a container's filesystem as a tar archive", setup_export_command},
    {"unshare", "Run a command as root in the user namespace with your id mappings",
     setup_unshare_command},
    {"pull", "Pull an image from a registry", setup_pull_command},
    {"ps", "List containers", setup_ps_command},
    {"images", "List images in local storage", setup_images_command},
    {"inspect", "Display the configuration of a container or image", setup_inspect_command},
    {"history", "Show the history of an image", setup_history_command},
    {"rmi", "Remove images", setup_rmi_command},
    {"tag", "Add a name to an image", setup_tag_command},
    {"diff", "Show the changes to a container's filesystem", setup_diff_command},
    {"cp", "Copy files between a container and the host", setup_cp_command},
    {"image", "Manage images", setup_image_group},
    {"system", "Manage burrow's storage", setup_system_group},
    {"version", "Display the burrow version information", setup_version_command},
    {"info", "Display system information and check the host for rootless containers",
     setup_info_command},
    {"completion", "Print the shell completion script for bash, zsh or fish",
     setup_completion_command, nullptr, true},
};

bool is_global_option_with_value(const std::string& a) {
    return a == "--log-level" || a == "--root" || a == "--runroot" || a == "--storage-driver";
}

// The word that names the command: the first argument that is neither a global flag nor the
// value of one. Empty when there is none (`burrow --help`).
std::string command_name(const std::vector<std::string>& args) {
    for (size_t i = 0; i < args.size(); ++i) {
        if (is_global_option_with_value(args[i]))
            ++i;
        else if (!args[i].starts_with("-"))
            return args[i];
    }
    return {};
}

int run_main(int argc, char** argv) {
    CLI::App app{"burrow: rootless, daemonless containers", "burrow"};
    app.require_subcommand(1);
    app.fallthrough(false);
    app.set_version_flag("-v,--version", std::string("burrow version ") + build::kVersion);
    app.footer("Examples:\n"
               "  burrow run --rootfs ~/rootfs /bin/echo hi\n"
               "  burrow run -it --rootfs ~/rootfs /bin/sh\n"
               "  burrow --log-level debug run --rootfs ~/rootfs true\n"
               "  burrow info\n\n"
               "Run 'burrow COMMAND --help' for more information on a command.");

    GlobalOptions g;
    const auto absolute = CLI::Validator(
        [](std::string& path) {
            return path.starts_with("/") ? std::string() : "must be an absolute path: " + path;
        },
        "PATH");
    app.add_option("--log-level", g.log_level,
                   "Log messages at and above: debug, info, warn, error")
        ->capture_default_str()
        ->check(CLI::IsMember({"debug", "info", "warn", "warning", "error"}));
    app.add_option("--root", g.root, "Storage root (default: $XDG_DATA_HOME/burrow/storage)")
        ->check(absolute);
    app.add_option(
           "--runroot", g.runroot,
           "Runtime state directory (default: $XDG_RUNTIME_DIR/burrow or /tmp/burrow-run-UID)")
        ->check(absolute);
    app.add_option("--storage-driver", g.storage_driver,
                   "Storage driver: overlay, fuse-overlayfs, vfs")
        ->check(CLI::IsMember({"auto", "overlay", "fuse-overlayfs", "vfs"}));

    std::vector<std::pair<CLI::App*, const CommandInfo*>> commands;
    for (const CommandInfo& info : kCommands) {
        CLI::App* cmd = app.add_subcommand(info.name, info.summary);
        if (info.alias)
            cmd->alias(info.alias);
        if (info.hidden)
            cmd->group(""); // left out of --help and of completions
        commands.emplace_back(cmd, &info);
    }

    app.parse_complete_callback([&] {
        apply_config_file(app, g);
        log::set_level(log::parse_level(g.log_level));
    });

    std::vector<std::string> args(argv + 1, argv + argc);
    const std::string chosen = command_name(args);
    for (auto& [cmd, info] : commands) {
        if (chosen == "completion" || cmd->check_name(chosen))
            info->setup(*cmd, g);
    }
    g.command_tail = split_command_tail(app, args);
    std::reverse(args.begin(), args.end()); // CLI11 takes them last first
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp&) {
        return app.exit(CLI::CallForHelp());
    } catch (const CLI::CallForAllHelp&) {
        return app.exit(CLI::CallForAllHelp());
    } catch (const CLI::CallForVersion& e) {
        std::cout << e.what() << '\n';
        return 0;
    } catch (const CLI::RequiredError& e) {
        if (argc == 1) {
            std::cout << app.help();
            return 125;
        }
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            if (is_global_option_with_value(a)) {
                ++i;
            } else if (!a.starts_with("-")) {
                // the command word; what follows it is the command's own
                if (app.get_subcommands([&](CLI::App* c) { return c->check_name(a); }).empty()) {
                    print_error("unrecognized command `burrow " + a +
                                "`: run 'burrow --help' for the list of commands");
                    return 125;
                }
                break;
            }
        }
        print_error(e.what());
        return 125;
    } catch (const CLI::ParseError& e) {
        print_error(e.what());
        return 125;
    }
    return 0;
}

} // namespace
} // namespace burrow::cli

int main(int argc, char** argv) {
    using namespace burrow;
    // a closed output pipe is an error to handle where burrow writes, not a death that would
    // leave the terminal in raw mode; containers start with every signal at its default
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return cli::run_main(argc, argv);
    } catch (const cli::ExitRequest& e) {
        return e.code;
    } catch (const Error& e) {
        cli::print_error(e.what());
        return e.exit_code();
    } catch (const std::exception& e) {
        cli::print_error(e.what());
        return 125;
    }
}
