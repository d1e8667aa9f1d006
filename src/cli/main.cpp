#include "cli/build_info.hpp"
#include "cli/global.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

namespace burrow::cli {

std::string GlobalOptions::storage_root() const {
    return root.empty() ? paths::default_storage_root() : root;
}

std::string GlobalOptions::runtime_root() const {
    return runroot.empty() ? paths::default_runtime_dir().path : runroot;
}

namespace {

void print_error(const std::string& msg) {
    std::string line = "Error: " + msg + "\n";
    std::fputs(line.c_str(), stderr);
}

int run_main(int argc, char** argv) {
    CLI::App app{"burrow: rootless, daemonless containers", "burrow"};
    app.require_subcommand(1);
    app.fallthrough(false);
    app.set_version_flag("-v,--version", std::string("burrow version ") + build::kVersion);
    app.footer("Run 'burrow COMMAND --help' for more information on a command.");

    GlobalOptions g;
    app.add_option("--log-level", g.log_level, "Log messages at and above: debug, info, warn, error")
        ->capture_default_str();
    app.add_option("--root", g.root, "Storage root (default: $XDG_DATA_HOME/burrow/storage)");
    app.add_option("--runroot", g.runroot,
                   "Runtime state directory (default: $XDG_RUNTIME_DIR/burrow or /tmp/burrow-run-UID)");
    app.add_option("--storage-driver", g.storage_driver, "Storage driver: overlay, fuse-overlayfs, vfs");

    set_run_command(app, g);
    set_unshare_command(app, g);
    set_version_command(app, g);
    set_info_command(app, g);
    set_completion_command(app, g);

    app.parse_complete_callback([&] { log::set_level(log::parse_level(g.log_level)); });

    try {
        app.parse(argc, argv);
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
