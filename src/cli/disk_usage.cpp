// burrow system df: the disk space of images, containers and volumes, as docker shows it.
#include "cli/container_ops.hpp"
#include "cli/global.hpp"
#include "cli/listing.hpp"
#include "cli/store_access.hpp"
#include "core/humanize.hpp"

#include <iostream>
#include <set>

namespace burrow::cli {

namespace {

using json = nlohmann::json;

const std::vector<Field> kFields = {
    {"Type", "TYPE"}, {"TotalCount", "TOTAL"},        {"Active", "ACTIVE"},
    {"Size", "SIZE"}, {"Reclaimable", "RECLAIMABLE"},
};

json usage_row(const char* type, size_t total, size_t active, int64_t size, int64_t reclaimable) {
    // system df keeps go-units' default precision of 4 digits, unlike the listings
    std::string text = human_size(static_cast<double>(reclaimable), 4);
    if (size > 0)
        text += " (" + std::to_string(reclaimable * 100 / size) + "%)";
    return {{"Type", type},
            {"TotalCount", std::to_string(total)},
            {"Active", std::to_string(active)},
            {"Size", human_size(static_cast<double>(size), 4)},
            {"Reclaimable", text},
            {"RawSize", size},
            {"RawReclaimable", reclaimable}};
}

void show_disk_usage(const std::string& format, const GlobalOptions& g) {
    storage::Store store = open_store(g);
    auto images = store.images();
    auto containers = store.containers();

    std::set<std::string> used_images;
    size_t running = 0;
    int64_t containers_size = 0, containers_reclaimable = 0;
    for (const auto& c : containers) {
        used_images.insert(c.image_id);
        int64_t rw =
            tree_size(store.container_dir(c.id) + (c.driver == "vfs" ? "/rootfs" : "/upper"));
        containers_size += rw;
        if (is_running(c))
            ++running;
        else
            containers_reclaimable += rw;
    }

    // layers shared by several images count once, as docker's LayersSize
    std::set<std::string> all_layers, used_layers;
    size_t active_images = 0;
    for (const auto& img : images) {
        all_layers.insert(img.layers.begin(), img.layers.end());
        if (used_images.count(img.id)) {
            ++active_images;
            used_layers.insert(img.layers.begin(), img.layers.end());
        }
    }
    auto sum = [&](const std::set<std::string>& layers) {
        int64_t total = 0;
        for (const auto& l : layers)
            if (auto rec = store.layer(l))
                total += rec->size;
        return total;
    };
    int64_t images_size = sum(all_layers);
    int64_t images_used = sum(used_layers);

    json rows = json::array();
    rows.push_back(
        usage_row("Images", images.size(), active_images, images_size, images_size - images_used));
    rows.push_back(usage_row("Containers", containers.size(), running, containers_size,
                             containers_reclaimable));
    rows.push_back(usage_row("Local Volumes", 0, 0, 0, 0));
    print_rows(format, rows, kFields, {"Type", "TotalCount", "Active", "Size", "Reclaimable"});
}

} // namespace

void setup_system_df_command(CLI::App& cmd, GlobalOptions& g) {
    auto format = std::make_shared<std::string>();
    cmd.footer("Examples:\n"
               "  burrow system df\n"
               "  burrow system df --format '{{.Type}}: {{.Size}}'");
    cmd.add_option("--format", *format,
                   "Format the output: json, a Go template such as '{{.Size}}', or "
                   "'table TEMPLATE'");
    cmd.callback([format, &g] { show_disk_usage(*format, g); });
}

} // namespace burrow::cli
