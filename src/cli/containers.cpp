// burrow create, start, rm, rename, container prune: containers as records in the store.
#include "cli/container_ops.hpp"
#include "cli/global.hpp"
#include "cli/output.hpp"
#include "cli/store_access.hpp"
#include "core/error.hpp"

#include <iostream>

namespace burrow::cli {

void setup_create_command(CLI::App& cmd, GlobalOptions& g) {
    auto opts = std::make_shared<RunOptions>();
    cmd.footer("Usage: burrow create [OPTIONS] IMAGE [COMMAND [ARG...]]\n\nExamples:\n"
               "  burrow create --name web busybox httpd -f\n"
               "  burrow start -a web");
    cmd.prefix_command();
    cmd.set_help_flag("--help", "Print this help message and exit");
    add_run_flags(cmd, *opts);
    CLI::App* self = &cmd;
    cmd.callback([self, opts, &g] {
        auto args = command_args(*self, g);
        if (!opts->rootfs.empty())
            throw Error("create makes containers of images; --rootfs is for run");
        if (args.empty())
            throw Error("no image given: burrow create [OPTIONS] IMAGE [COMMAND [ARG...]]");
        std::string image = args.front();
        args.erase(args.begin());
        check_image_run_flags(*opts, args, g.runtime_root());
        StoreAccess sa = enter_store(g);
        auto c = create_container(sa, *opts, args, image);
        std::cout << c.id << '\n';
    });
}

void setup_start_command(CLI::App& cmd, GlobalOptions& g) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto attach = std::make_shared<bool>(false);
    auto interactive = std::make_shared<bool>(false);
    cmd.footer("Examples:\n"
               "  burrow start -a web\n"
               "  burrow start -ai box");
    cmd.add_flag("-a,--attach", *attach, "Attach to the container's output and wait for it");
    cmd.add_flag("-i,--interactive", *interactive, "Attach the container's STDIN");
    cmd.add_option("CONTAINER", *names, "Containers to start")->required();
    cmd.callback([names, attach, interactive, &g] {
        if (!*attach && !*interactive)
            throw Error("starting a container in the background needs its monitor, which this "
                        "burrow does not have yet: use start -a (or -ai)");
        if (names->size() > 1)
            throw Error("start -a takes one container");
        StoreAccess sa = enter_store(g);
        auto c = find_container(sa.store, names->front());
        if (is_running(c))
            throw Error("container " + c.name + " is already running");
        throw ExitRequest{run_in_foreground(sa, c, g.runtime_root(), *interactive)};
    });
}

void setup_rm_command(CLI::App& cmd, GlobalOptions& g) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto force = std::make_shared<bool>(false);
    auto volumes = std::make_shared<bool>(false);
    auto all = std::make_shared<bool>(false);
    cmd.footer("Examples:\n"
               "  burrow rm web\n"
               "  burrow rm -f $(burrow ps -aq)");
    cmd.add_flag("-f,--force", *force, "Kill a running container and remove it");
    cmd.add_flag("-v,--volumes", *volumes, "Remove the container's anonymous volumes");
    cmd.add_flag("-a,--all", *all, "Remove all containers");
    cmd.add_option("CONTAINER", *names, "Containers to remove");
    cmd.callback([names, force, all, &g] {
        if (names->empty() && !*all)
            throw Error("rm needs at least one container, or --all");
        // names are checked before anything is removed, and before entering the namespace
        storage::Store look = open_store(g);
        std::vector<storage::ContainerRecord> targets;
        if (*all)
            targets = look.containers();
        int rc = 0;
        for (const auto& n : *names) {
            auto c = try_find_container(look, n);
            if (!c) {
                std::cerr << "Error: no container with name or ID \"" << n
                          << "\" found: no such container\n";
                rc = 1;
                continue;
            }
            targets.push_back(*c);
        }
        if (targets.empty())
            throw ExitRequest{rc};
        StoreAccess sa = enter_store(g);
        for (const auto& c : targets) {
            try {
                remove_container(sa, c, *force);
                std::cout << (*all ? c.id : c.name) << '\n';
            } catch (const Error& e) {
                std::cerr << "Error: " << e.what() << '\n';
                rc = 125;
            }
        }
        throw ExitRequest{rc};
    });
}

void setup_rename_command(CLI::App& cmd, GlobalOptions& g) {
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    cmd.add_option("CONTAINER", *from, "The container")->required();
    cmd.add_option("NAME", *to, "Its new name")->required();
    cmd.callback([from, to, &g] {
        storage::Store store = open_store(g);
        auto c = find_container(store, *from);
        auto lock = store.lock();
        if (!store.claim_name(*to, c.id))
            throw Error("the container name \"" + *to + "\" is already in use");
        std::string old = c.name;
        c.name = *to;
        store.save_container(c);
        store.release_name(old, c.id);
    });
}

void setup_container_prune_command(CLI::App& cmd, GlobalOptions& g) {
    auto force = std::make_shared<bool>(false);
    cmd.add_flag("-f,--force", *force, "Do not ask for confirmation");
    cmd.callback([force, &g] {
        if (!*force && !confirm("WARNING! This will remove all stopped containers.\n"
                                "Are you sure you want to continue?"))
            return;
        storage::Store look = open_store(g);
        std::vector<storage::ContainerRecord> stopped;
        for (const auto& c : look.containers())
            if (!is_running(c))
                stopped.push_back(c);
        if (stopped.empty())
            return;
        StoreAccess sa = enter_store(g);
        for (const auto& c : stopped) {
            remove_container(sa, c, false);
            std::cout << c.id << '\n';
        }
    });
}

} // namespace burrow::cli

namespace burrow::cli {

void setup_container_group(CLI::App& cmd, GlobalOptions& g) {
    cmd.require_subcommand(1);
    struct Sub {
        const char* name;
        const char* summary;
        void (*setup)(CLI::App&, GlobalOptions&);
    };
    for (const Sub& s : {
             Sub{"create", "Create a container of an image without starting it",
                 setup_create_command},
             Sub{"start", "Start a created or exited container", setup_start_command},
             Sub{"rm", "Remove containers", setup_rm_command},
             Sub{"rename", "Rename a container", setup_rename_command},
             Sub{"prune", "Remove all stopped containers", setup_container_prune_command},
             Sub{"ls", "List containers", setup_ps_command},
             Sub{"inspect", "Display the configuration of containers",
                 setup_container_inspect_command},
             Sub{"commit", "Create a new image from a container's changes", setup_commit_command},
             Sub{"export", "Export a container's filesystem as a tar archive",
                 setup_export_command},
             Sub{"diff", "Show the changes to a container's filesystem", setup_diff_command},
             Sub{"cp", "Copy files between a container and the host", setup_cp_command},
         }) {
        CLI::App* sub = cmd.add_subcommand(s.name, s.summary);
        if (std::string(s.name) == "ls")
            sub->alias("list")->alias("ps");
        s.setup(*sub, g);
    }
}

} // namespace burrow::cli
