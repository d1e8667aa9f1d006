// burrow system reset, and the `system` group.
#include "cli/container_ops.hpp"
#include "cli/global.hpp"
#include "cli/output.hpp"
#include "cli/store_access.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "storage/store.hpp"
#include "userns/enter.hpp"

#include <csignal>
#include <iostream>
#include <unistd.h>

namespace burrow::cli {

void setup_system_reset_command(CLI::App& cmd, GlobalOptions& g) {
    auto force = std::make_shared<bool>(false);
    cmd.add_flag("-f,--force", *force, "Do not ask for confirmation");
    cmd.callback([force, &g] {
        g.root = g.storage_root();
        g.runroot = g.runtime_root();
        if (!*force &&
            !confirm("WARNING! This will remove:\n"
                     "        - all containers (running ones are killed)\n"
                     "        - all images\n"
                     "        - all build cache and state in " +
                     g.root + " and " + g.runroot + "\nAre you sure you want to continue?"))
            return;
        storage::Store look = open_store(g);
        for (const auto& c : look.containers())
            if (is_running(c))
                ::kill(static_cast<pid_t>(c.pid), SIGKILL);
        if (!path_exists(g.root) && !path_exists(g.runroot))
            return;
        if (auto code = userns::enter_user_namespace(mappings_for_run()))
            throw ExitRequest{*code};
        {
            // waits for every command that is changing the store
            auto lock = storage::FileLock::exclusive(g.root + "/storage.lock");
            storage::remove_all(g.root);
        }
        storage::remove_all(g.runroot);
    });
}

void setup_system_group(CLI::App& cmd, GlobalOptions& g) {
    cmd.require_subcommand(1);
    setup_system_reset_command(
        *cmd.add_subcommand("reset", "Remove all containers, images and state of burrow"), g);
    setup_system_df_command(*cmd.add_subcommand("df", "Show the disk space burrow uses"), g);
}

} // namespace burrow::cli
