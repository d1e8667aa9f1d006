// burrow rmi, tag, image prune, and the `image` group.
#include "cli/container_ops.hpp"
#include "cli/global.hpp"
#include "cli/output.hpp"
#include "cli/store_access.hpp"
#include "core/error.hpp"
#include "registry/reference.hpp"
#include "storage/images.hpp"

#include <algorithm>
#include <iostream>
#include <set>

namespace burrow::cli {

namespace {

std::vector<storage::ContainerRecord> users_of(const storage::Store& store, const std::string& id) {
    std::vector<storage::ContainerRecord> out;
    for (auto& c : store.containers())
        if (c.image_id == id)
            out.push_back(std::move(c));
    return out;
}

// Deletes an image and prints what docker prints. Under the lock; containers of it are
// removed first with force, else refused.
void delete_with_report(StoreAccess& sa, const storage::ImageRecord& img, bool force) {
    auto users = users_of(sa.store, img.id);
    if (!users.empty()) {
        if (!force)
            throw Error("image " + display_image_name(img) + " (" + img.id.substr(0, 12) +
                        ") is in use by container " + users.front().name +
                        ": remove the container first, or use rmi -f");
        for (const auto& c : users)
            remove_container(sa, c, true);
    }
    auto lock = sa.store.lock();
    for (const auto& n : img.names)
        std::cout << "Untagged: " << n << '\n';
    storage::delete_image(sa.store, img.id);
    std::cout << "Deleted: sha256:" << img.id << '\n';
}

} // namespace

void setup_rmi_command(CLI::App& cmd, GlobalOptions& g) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto force = std::make_shared<bool>(false);
    auto all = std::make_shared<bool>(false);
    cmd.footer("Examples:\n"
               "  burrow rmi busybox\n"
               "  burrow rmi -f 3f57d9401f8d\n"
               "  burrow rmi -a");
    cmd.add_flag("-f,--force", *force, "Remove the containers that use the image too");
    cmd.add_flag("-a,--all", *all, "Remove all images");
    cmd.add_option("IMAGE", *names, "Images to remove: names or ids");
    cmd.callback([names, force, all, &g] {
        if (names->empty() && !*all)
            throw Error("rmi needs at least one image, or --all");
        // names are resolved before anything is removed, and before entering the namespace
        storage::Store look = open_store(g);
        struct Target {
            storage::ImageRecord image;
            std::string name; // the name typed, when it is one of several: untag only
        };
        std::vector<Target> targets;
        int rc = 0;
        if (*all)
            for (auto& img : look.images())
                targets.push_back({img, ""});
        for (const auto& typed : *names) {
            std::optional<storage::ImageRecord> img;
            try {
                img = try_find_image(look, typed);
            } catch (const Error& e) {
                std::cerr << "Error: " << e.what() << '\n';
                rc = 125;
                continue;
            }
            if (!img) {
                std::cerr << "Error: " << typed << ": image not known\n";
                rc = 1;
                continue;
            }
            std::string name;
            for (const auto& n : img->names)
                if (n == typed || registry::matches_short_name(typed, n))
                    name = n;
            targets.push_back({*img, img->names.size() > 1 ? name : ""});
        }
        if (targets.empty())
            throw ExitRequest{rc};
        StoreAccess sa = enter_store(g);
        std::set<std::string> done;
        for (const auto& t : targets) {
            if (done.count(t.image.id))
                continue;
            try {
                if (!t.name.empty()) {
                    auto lock = sa.store.lock();
                    storage::untag_image(sa.store, t.name);
                    std::cout << "Untagged: " << t.name << '\n';
                    continue;
                }
                auto current = sa.store.image(t.image.id);
                if (!current)
                    continue;
                delete_with_report(sa, *current, *force);
                done.insert(t.image.id);
            } catch (const Error& e) {
                std::cerr << "Error: " << e.what() << '\n';
                rc = 125;
            }
        }
        throw ExitRequest{rc};
    });
}

void setup_tag_command(CLI::App& cmd, GlobalOptions& g) {
    auto source = std::make_shared<std::string>();
    auto targets = std::make_shared<std::vector<std::string>>();
    cmd.footer("Examples:\n"
               "  burrow tag busybox mybox:1         # localhost/mybox:1\n"
               "  burrow tag busybox registry.example.org:5000/team/box:1");
    cmd.add_option("IMAGE", *source, "The image")->required();
    cmd.add_option("TARGET", *targets, "New names: NAME[:TAG]")->required();
    cmd.callback([source, targets, &g] {
        std::vector<std::string> full;
        for (const auto& t : *targets)
            full.push_back(registry::normalize_local_name(t));
        storage::Store store = open_store(g);
        auto img = find_image(store, *source);
        auto lock = store.lock();
        for (const auto& n : full)
            storage::tag_image(store, img.id, n);
    });
}

void setup_untag_command(CLI::App& cmd, GlobalOptions& g) {
    auto source = std::make_shared<std::string>();
    auto names = std::make_shared<std::vector<std::string>>();
    cmd.add_option("IMAGE", *source, "The image")->required();
    cmd.add_option("NAME", *names, "Names to take away (default: all)");
    cmd.callback([source, names, &g] {
        storage::Store store = open_store(g);
        auto img = find_image(store, *source);
        auto lock = store.lock();
        std::vector<std::string> drop = img.names;
        if (!names->empty()) {
            drop.clear();
            for (const auto& n : *names) {
                std::string full = registry::normalize_local_name(n);
                if (std::find(img.names.begin(), img.names.end(), full) == img.names.end())
                    throw Error(n + ": the image has no such name");
                drop.push_back(full);
            }
        }
        for (const auto& n : drop)
            storage::untag_image(store, n);
    });
}

void setup_image_prune_command(CLI::App& cmd, GlobalOptions& g) {
    auto all = std::make_shared<bool>(false);
    auto force = std::make_shared<bool>(false);
    cmd.add_flag("-a,--all", *all, "Remove all images no container uses, not only unnamed ones");
    cmd.add_flag("-f,--force", *force, "Do not ask for confirmation");
    cmd.callback([all, force, &g] {
        if (!*force && !confirm(*all ? "WARNING! This will remove all images without at least "
                                       "one container associated to them.\nAre you sure you "
                                       "want to continue?"
                                     : "WARNING! This will remove all dangling images.\nAre "
                                       "you sure you want to continue?"))
            return;
        storage::Store look = open_store(g);
        std::set<std::string> used;
        for (const auto& c : look.containers())
            used.insert(c.image_id);
        std::vector<storage::ImageRecord> victims;
        for (const auto& img : look.images())
            if (!used.count(img.id) && (*all || img.names.empty()))
                victims.push_back(img);
        if (victims.empty())
            return;
        StoreAccess sa = enter_store(g);
        auto lock = sa.store.lock();
        for (const auto& img : victims) {
            storage::delete_image(sa.store, img.id);
            std::cout << img.id << '\n';
        }
    });
}

void setup_image_group(CLI::App& cmd, GlobalOptions& g) {
    cmd.require_subcommand(1);
    struct Sub {
        const char* name;
        const char* summary;
        void (*setup)(CLI::App&, GlobalOptions&);
    };
    for (const Sub& s : {
             Sub{"ls", "List images in local storage", setup_images_command},
             Sub{"rm", "Remove images", setup_rmi_command},
             Sub{"tag", "Add a name to an image", setup_tag_command},
             Sub{"untag", "Take names away from an image", setup_untag_command},
             Sub{"inspect", "Display the configuration of images", setup_image_inspect_command},
             Sub{"history", "Show the history of an image", setup_history_command},
             Sub{"prune", "Remove unused images", setup_image_prune_command},
             Sub{"load", "Load images from a docker-archive or oci-archive", setup_load_command},
             Sub{"save", "Save images to an archive", setup_save_command},
             Sub{"import", "Create an image from a root filesystem tarball", setup_import_command},
         }) {
        CLI::App* sub = cmd.add_subcommand(s.name, s.summary);
        if (std::string(s.name) == "ls")
            sub->alias("list");
        s.setup(*sub, g);
    }
}

} // namespace burrow::cli
