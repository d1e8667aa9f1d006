// burrow images (image ls) and history: the images in the store as podman and docker list them.
#include "cli/global.hpp"
#include "cli/listing.hpp"
#include "cli/store_access.hpp"
#include "core/error.hpp"
#include "core/filters.hpp"
#include "core/humanize.hpp"
#include "storage/archive_io.hpp"

#include <algorithm>
#include <iostream>
#include <set>

namespace burrow::cli {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
using Clock = std::chrono::system_clock;
using storage::ImageRecord;

struct ImagesFlags {
    bool all = false;
    bool quiet = false;
    bool digests = false;
    bool no_trunc = false;
    std::vector<std::string> filters;
    std::string format;
};

const std::vector<Field> kImageFields = {
    {"Repository", "REPOSITORY"},
    {"Tag", "TAG"},
    {"Digest", "DIGEST"},
    {"ID", "IMAGE ID"},
    {"CreatedSince", "CREATED"},
    {"Created", "CREATED"},
    {"CreatedAt", "CREATED AT"},
    {"Size", "SIZE"},
    {"VirtualSize", "VIRTUAL SIZE"},
};

// "docker.io/library/busybox:latest" → {"docker.io/library/busybox", "latest"}; a name by
// digest has no tag.
std::pair<std::string, std::string> split_name(const std::string& name) {
    if (auto at = name.find('@'); at != std::string::npos)
        return {name.substr(0, at), "<none>"};
    auto colon = name.rfind(':');
    if (colon == std::string::npos || name.find('/', colon) != std::string::npos)
        return {name, "<none>"};
    return {name.substr(0, colon), name.substr(colon + 1)};
}

Clock::time_point created_of(const ImageRecord& img) {
    return parse_time(img.created).value_or(Clock::time_point{});
}

std::vector<ImageRecord> sorted_images(const storage::Store& store) {
    auto images = store.images();
    std::sort(images.begin(), images.end(), [](const ImageRecord& a, const ImageRecord& b) {
        auto ta = created_of(a), tb = created_of(b);
        return ta != tb ? ta > tb : a.id < b.id;
    });
    return images;
}

// reference= as docker matches it (the short form, with and without the tag), and as podman
// does (the full name, and the name without its registry, each with and without the tag):
// `reference=busy*` finds localhost/busybox:latest as it finds docker.io/library/busybox.
bool reference_matches(const std::string& pattern, const std::string& name) {
    std::string familiar = storage::familiar_image_name(name);
    std::string path = name.substr(name.find('/') + 1);
    std::string last = name.substr(name.rfind('/') + 1);
    for (const std::string& n : {name, familiar, path, last})
        if (glob_matches(pattern, n) || glob_matches(pattern, split_name(n).first))
            return true;
    return false;
}

// One row of the listing: an image under one of its names ("" for an image with none).
struct Row {
    const ImageRecord* image;
    std::string name;
};

std::vector<Row> select_rows(const storage::Store& store, const std::vector<ImageRecord>& images,
                             const std::vector<std::string>& flags, ImageConfigs& configs) {
    Filters filters = parse_filters(flags, {"reference", "dangling", "label", "before", "since"});
    std::vector<Clock::time_point> before, since;
    for (const char* key : {"before", "since"}) {
        if (!filters.count(key))
            continue;
        for (const auto& v : filters[key]) {
            auto img = try_find_image(store, v);
            if (!img)
                throw Error("invalid filter \"" + std::string(key) + "=" + v + "\": no such image");
            (std::string(key) == "before" ? before : since).push_back(created_of(*img));
        }
    }
    std::vector<bool> dangling;
    if (filters.count("dangling"))
        for (const auto& v : filters["dangling"])
            dangling.push_back(parse_filter_bool("dangling", v));

    std::vector<Row> rows;
    for (const auto& img : images) {
        auto t = created_of(img);
        bool keep = std::all_of(before.begin(), before.end(), [&](auto b) { return t < b; }) &&
                    std::all_of(since.begin(), since.end(), [&](auto s) { return t > s; });
        if (!dangling.empty())
            keep = keep &&
                   std::find(dangling.begin(), dangling.end(), img.names.empty()) != dangling.end();
        if (keep && filters.count("label")) {
            const storage::ImageConfig* cfg = configs.get(img.id);
            std::map<std::string, std::string> labels;
            if (cfg)
                labels = cfg->config().labels;
            // every label asked for must be there, as in docker
            for (const auto& l : filters["label"])
                keep = keep && label_matches(labels, l);
        }
        if (!keep)
            continue;
        std::vector<std::string> names = img.names;
        if (names.empty())
            names.push_back("");
        for (const auto& n : names) {
            if (filters.count("reference")) {
                const auto& patterns = filters["reference"];
                if (n.empty() || std::none_of(patterns.begin(), patterns.end(),
                                              [&](auto& p) { return reference_matches(p, n); }))
                    continue;
            }
            rows.push_back({&img, n});
        }
    }
    return rows;
}

std::string image_id_text(const std::string& id, bool no_trunc) {
    return no_trunc ? "sha256:" + id : id.substr(0, 12);
}

// podman's `images --format json` object of one image, in podman's order of keys.
ojson image_json(const ImageRecord& img, const storage::ImageConfig* cfg, int containers) {
    std::vector<std::string> tags, repo_digests = img.digests;
    for (const auto& n : img.names) {
        auto [repo, tag] = split_name(n);
        if (tag != "<none>")
            tags.push_back(n);
        if (!img.manifest_digest.empty()) {
            std::string d = repo + "@" + img.manifest_digest;
            if (std::find(repo_digests.begin(), repo_digests.end(), d) == repo_digests.end())
                repo_digests.push_back(d);
        }
    }
    auto created = parse_time(img.created);
    ojson labels = ojson::object();
    if (cfg)
        for (const auto& [k, v] : cfg->config().labels)
            labels[k] = v;
    return {
        {"Id", img.id},
        {"ParentId", ""},
        {"RepoTags", tags},
        {"RepoDigests", repo_digests},
        {"Size", img.size},
        {"SharedSize", 0},
        {"VirtualSize", img.size},
        {"Labels", labels},
        {"Containers", containers},
        {"Names", img.names},
        {"Digest", img.manifest_digest},
        {"Digests", img.manifest_digest.empty() ? ojson::array() : ojson{img.manifest_digest}},
        {"Created",
         created
             ? std::chrono::duration_cast<std::chrono::seconds>(created->time_since_epoch()).count()
             : 0},
        {"CreatedAt", img.created},
        {"Dangling", img.names.empty()},
    };
}

void list_images(const ImagesFlags& f, const GlobalOptions& g) {
    storage::Store store = open_store(g);
    std::vector<ImageRecord> images = sorted_images(store);
    ImageConfigs configs(store);
    std::vector<Row> rows = select_rows(store, images, f.filters, configs);

    if (f.quiet) {
        std::set<std::string> seen;
        std::string out;
        for (const auto& r : rows)
            if (seen.insert(r.image->id).second)
                out += image_id_text(r.image->id, f.no_trunc) + "\n";
        std::cout << out << std::flush;
        return;
    }
    if (f.format == "json") {
        std::map<std::string, int> users;
        for (const auto& c : store.containers())
            ++users[c.image_id];
        ojson out = ojson::array();
        std::set<std::string> seen;
        for (const auto& r : rows)
            if (seen.insert(r.image->id).second)
                out.push_back(image_json(*r.image, configs.get(r.image->id), users[r.image->id]));
        std::cout << out.dump(4) << '\n';
        return;
    }
    const auto now = Clock::now();
    json table = json::array();
    for (const auto& r : rows) {
        auto [repo, tag] = r.name.empty() ? std::pair<std::string, std::string>{"<none>", "<none>"}
                                          : split_name(r.name);
        std::string ago = time_ago(r.image->created, now);
        auto created = parse_time(r.image->created);
        std::string size = human_size(static_cast<double>(r.image->size));
        table.push_back({
            {"Repository", repo},
            {"Tag", tag},
            {"Digest", r.image->manifest_digest.empty() ? "<none>" : r.image->manifest_digest},
            {"ID", image_id_text(r.image->id, f.no_trunc)},
            {"CreatedSince", ago},
            {"Created", ago},
            {"CreatedAt", created ? go_time_string(*created) : "N/A"},
            {"Size", size},
            {"VirtualSize", size},
        });
    }
    std::vector<std::string> columns = {"Repository", "Tag", "ID", "CreatedSince", "Size"};
    if (f.digests)
        columns.insert(columns.begin() + 2, "Digest");
    print_rows(f.format, table, kImageFields, columns);
}

// ---- history ----------------------------------------------------------------------------------

struct HistoryFlags {
    std::string image;
    bool no_trunc = false;
    bool quiet = false;
    bool human = true;
    std::string format;
};

const std::vector<Field> kHistoryFields = {
    {"ID", "IMAGE"},
    {"CreatedSince", "CREATED"},
    {"CreatedAt", "CREATED AT"},
    {"CreatedBy", "CREATED BY"},
    {"Size", "SIZE"},
    {"Comment", "COMMENT"},
};

void show_history(const HistoryFlags& f, const GlobalOptions& g) {
    storage::Store store = open_store(g);
    ImageRecord img = find_image(store, f.image);
    auto cfg = storage::ImageConfig::parse(store.read_blob("sha256:" + img.id));
    std::vector<storage::HistoryEntry> history = cfg.history();
    if (history.empty()) {
        // an image built without history: one line per layer, as podman shows it
        for (size_t i = 0; i < std::max<size_t>(img.layers.size(), 1); ++i)
            history.push_back({img.created, "", "", "", false});
    }
    std::vector<int64_t> sizes;
    size_t layer = 0;
    for (const auto& h : history) {
        int64_t size = 0;
        if (!h.empty_layer && layer < img.layers.size()) {
            if (auto rec = store.layer(img.layers[layer]))
                size = rec->size;
            ++layer;
        }
        sizes.push_back(size);
    }

    const auto now = Clock::now();
    json rows = json::array();
    for (size_t i = history.size(); i-- > 0;) {
        const auto& h = history[i];
        std::string id = i + 1 == history.size() ? image_id_text(img.id, f.no_trunc) : "<missing>";
        auto created = parse_time(h.created);
        std::string at = created ? rfc3339_local(*created) : "N/A";
        std::string created_by = h.created_by;
        std::replace(created_by.begin(), created_by.end(), '\t', ' ');
        rows.push_back({
            {"ID", id},
            {"CreatedSince", f.human ? time_ago(h.created, now) : at},
            {"CreatedAt", at},
            {"CreatedBy", f.no_trunc ? created_by : ellipsis(created_by, 45)},
            {"Size",
             f.human ? human_size(static_cast<double>(sizes[i])) : std::to_string(sizes[i])},
            {"Comment", h.comment},
        });
    }
    if (f.quiet) {
        std::string out;
        for (const auto& r : rows)
            out += r["ID"].get<std::string>() + "\n";
        std::cout << out << std::flush;
        return;
    }
    print_rows(f.format, rows, kHistoryFields,
               {"ID", "CreatedSince", "CreatedBy", "Size", "Comment"});
}

} // namespace

void setup_images_command(CLI::App& cmd, GlobalOptions& g) {
    auto f = std::make_shared<ImagesFlags>();
    cmd.footer("Filters (--filter KEY=VALUE, repeatable; every label= must match):\n"
               "  reference=PATTERN  dangling=true|false  label=KEY[=VALUE]  before=IMAGE\n"
               "  since=IMAGE\n\n"
               "Examples:\n"
               "  burrow images\n"
               "  burrow images --filter reference='busy*'\n"
               "  burrow images --format '{{.Repository}}:{{.Tag}} {{.Size}}'\n"
               "  burrow images -q --filter dangling=true");
    cmd.add_flag("-a,--all", f->all, "Show all images (burrow keeps no intermediate ones)");
    cmd.add_flag("-q,--quiet", f->quiet, "Print only the image ids");
    cmd.add_flag("--digests", f->digests, "Show the manifest digests");
    cmd.add_flag("--no-trunc", f->no_trunc, "Do not truncate the image ids");
    cmd.add_option("-f,--filter", f->filters, "Filter the images: KEY=VALUE (see below)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    cmd.add_option("--format", f->format,
                   "Format the output: json, a Go template such as '{{.Repository}}', or "
                   "'table TEMPLATE'");
    cmd.callback([f, &g] { list_images(*f, g); });
}

void setup_history_command(CLI::App& cmd, GlobalOptions& g) {
    auto f = std::make_shared<HistoryFlags>();
    cmd.footer("Examples:\n"
               "  burrow history busybox\n"
               "  burrow history --no-trunc --human=false busybox\n"
               "  burrow history --format '{{.CreatedBy}}' busybox");
    cmd.add_option("IMAGE", f->image, "The image")->required();
    cmd.add_flag("--no-trunc", f->no_trunc, "Do not truncate the ids and commands");
    cmd.add_flag("-q,--quiet", f->quiet, "Print only the ids");
    cmd.add_flag("-H,--human{true}", f->human,
                 "Sizes and dates in human-readable form (--human=false for bytes and times)")
        ->default_str("true");
    cmd.add_option("--format", f->format,
                   "Format the output: json, a Go template such as '{{.CreatedBy}}', or "
                   "'table TEMPLATE'");
    cmd.callback([f, &g] { show_history(*f, g); });
}

} // namespace burrow::cli
