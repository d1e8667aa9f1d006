// burrow ps (container ls): containers as docker lists them.
#include "cli/container_ops.hpp"
#include "cli/global.hpp"
#include "cli/listing.hpp"
#include "cli/store_access.hpp"
#include "core/error.hpp"
#include "core/filters.hpp"
#include "core/humanize.hpp"
#include "core/units.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <regex>

namespace burrow::cli {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::system_clock;
using storage::ContainerRecord;

struct PsFlags {
    bool all = false;
    bool quiet = false;
    bool no_trunc = false;
    bool latest = false;
    bool size = false;
    int last = -1;
    std::vector<std::string> filters;
    std::string format;
};

// docker's fields and headers, so that `--format '{{.Names}}'` and `table` templates written
// for docker work unchanged
const std::vector<Field> kFields = {
    {"ID", "CONTAINER ID"},    {"Image", "IMAGE"},
    {"Command", "COMMAND"},    {"CreatedAt", "CREATED AT"},
    {"RunningFor", "CREATED"}, {"Status", "STATUS"},
    {"State", "STATE"},        {"Ports", "PORTS"},
    {"Names", "NAMES"},        {"Size", "SIZE"},
    {"Labels", "LABELS"},      {"Mounts", "MOUNTS"},
    {"Networks", "NETWORKS"},  {"LocalVolumes", "LOCAL VOLUMES"},
};

const std::vector<std::string_view> kStates = {"created", "restarting", "running", "removing",
                                               "paused",  "exited",     "dead"};

// A container with what ps reads of it more than once.
struct Entry {
    ContainerRecord record;
    std::string state;
    Clock::time_point created;
};

// The filters, resolved once: regexes compiled, images and containers looked up.
class Matcher {
public:
    Matcher(const storage::Store& store, const std::vector<std::string>& flags) {
        filters_ = parse_filters(
            flags, {"status", "name", "id", "ancestor", "label", "exited", "before", "since"});
        for (const auto& s : values("status"))
            if (std::find(kStates.begin(), kStates.end(), s) == kStates.end())
                throw Error("invalid filter \"status=" + s +
                            "\": use created, restarting, running, removing, paused, exited "
                            "or dead");
        for (const auto& n : values("name")) {
            try {
                names_.emplace_back(n);
            } catch (const std::regex_error& e) {
                throw Error("invalid filter \"name=" + n + "\": " + e.what());
            }
        }
        for (const auto& e : values("exited"))
            exit_codes_.push_back(static_cast<int>(parse_integer(e, "filter exited")));
        for (const auto& a : values("ancestor")) {
            try {
                if (auto img = try_find_image(store, a))
                    ancestor_ids_.push_back(img->id);
            } catch (const Error&) {
                // an ambiguous short name matches by the name itself
            }
        }
        for (const char* key : {"before", "since"}) {
            for (const auto& v : values(key)) {
                auto c = try_find_container(store, v);
                if (!c)
                    throw Error("invalid filter \"" + std::string(key) + "=" + v +
                                "\": no such container");
                auto t = parse_time(c->created).value_or(Clock::time_point{});
                (std::string(key) == "before" ? before_ : since_).push_back(t);
            }
        }
    }

    bool has(const std::string& key) const { return filters_.count(key) > 0; }

    bool matches(const Entry& e) const {
        const ContainerRecord& c = e.record;
        auto any = [&](const std::string& key, auto&& pred) {
            auto it = filters_.find(key);
            return it == filters_.end() || std::any_of(it->second.begin(), it->second.end(), pred);
        };
        if (!any("status", [&](const std::string& s) { return s == e.state; }))
            return false;
        if (!any("id", [&](const std::string& id) { return c.id.starts_with(id); }))
            return false;
        if (has("name") && std::none_of(names_.begin(), names_.end(), [&](const std::regex& r) {
                return std::regex_search(c.name, r);
            }))
            return false;
        if (has("exited") &&
            (e.state != "exited" ||
             std::find(exit_codes_.begin(), exit_codes_.end(), c.exit_code) == exit_codes_.end()))
            return false;
        if (!any("ancestor", [&](const std::string& a) {
                return c.image_name == a || std::find(ancestor_ids_.begin(), ancestor_ids_.end(),
                                                      c.image_id) != ancestor_ids_.end();
            }))
            return false;
        if (has("label")) {
            auto labels = labels_of(json_member(c.config, "labels"));
            // unlike other keys, every label asked for must be there, as in docker
            for (const auto& l : values("label"))
                if (!label_matches(labels, l))
                    return false;
        }
        for (auto t : before_)
            if (!(e.created < t))
                return false;
        for (auto t : since_)
            if (!(e.created > t))
                return false;
        return true;
    }

private:
    const std::vector<std::string>& values(const std::string& key) const {
        static const std::vector<std::string> none;
        auto it = filters_.find(key);
        return it == filters_.end() ? none : it->second;
    }

    Filters filters_;
    std::vector<std::regex> names_;
    std::vector<int> exit_codes_;
    std::vector<std::string> ancestor_ids_;
    std::vector<Clock::time_point> before_, since_;
};

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : sep) + p;
    return out;
}

bool is_image_id(const std::string& s) {
    std::string hex = s.starts_with("sha256:") ? s.substr(7) : s;
    return hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string::npos;
}

json row_of(const Entry& e, const PsFlags& f, ImageConfigs& configs, const storage::Store& store,
            const std::map<std::string, int64_t>& image_sizes, Clock::time_point now) {
    const ContainerRecord& c = e.record;
    static const json no_options = json::object();
    const json* found = json_member(c.config, "options");
    const json& options = found && found->is_object() ? *found : no_options;
    std::string command = join(container_command(c, configs.get(c.image_id)), " ");
    std::string image = c.image_name.empty() ? c.image_id : c.image_name;
    if (!f.no_trunc && is_image_id(image))
        image = (image.starts_with("sha256:") ? image.substr(7) : image).substr(0, 12);

    std::vector<std::string> labels;
    for (const auto& [k, v] : labels_of(json_member(c.config, "labels")))
        labels.push_back(k + "=" + v);
    std::vector<std::string> mounts;
    if (const json* volumes = json_member(options, "volume"); volumes && volumes->is_array()) {
        for (const auto& v : *volumes) {
            if (!v.is_string())
                continue;
            std::string source = v.get<std::string>().substr(0, v.get<std::string>().find(':'));
            mounts.push_back(f.no_trunc ? source : ellipsis(source, 15));
        }
    }
    const json* net = json_member(options, "network");
    std::string network = net && net->is_string() ? net->get<std::string>() : "";

    std::string size;
    if (f.size) {
        std::string dir = store.container_dir(c.id) + (c.driver == "vfs" ? "/rootfs" : "/upper");
        int64_t rw = tree_size(dir);
        auto it = image_sizes.find(c.image_id);
        int64_t image_size = it == image_sizes.end() ? 0 : it->second;
        size = human_size(static_cast<double>(rw)) + " (virtual " +
               human_size(static_cast<double>(rw + image_size)) + ")";
    }
    return {
        {"ID", f.no_trunc ? c.id : c.id.substr(0, 12)},
        {"Image", image},
        {"Command", go_quote(f.no_trunc ? command : ellipsis(command, 20))},
        {"CreatedAt", go_time_string(e.created)},
        {"RunningFor", human_duration(now - e.created) + " ago"},
        {"Status", status_text(c, e.state, now)},
        {"State", e.state},
        {"Ports", ""},
        {"Names", c.name},
        {"Size", size},
        {"Labels", join(labels, ",")},
        {"Mounts", join(mounts, ",")},
        {"Networks", network.empty() ? "none" : network},
        {"LocalVolumes", "0"},
    };
}

void list_containers(const PsFlags& f, const GlobalOptions& g) {
    if (f.last < -1)
        throw Error("invalid --last " + std::to_string(f.last) + ": give a number of containers");
    storage::Store store = open_store(g);
    Matcher matcher(store, f.filters);
    bool all = f.all || f.latest || f.last >= 0 || matcher.has("status") || matcher.has("exited");

    std::vector<Entry> entries;
    for (auto& c : store.containers()) {
        refresh_state(c);
        std::string state = current_status(c);
        if (!all && state != "running")
            continue;
        auto created = parse_time(c.created).value_or(Clock::time_point{});
        entries.push_back({std::move(c), std::move(state), created});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.created != b.created ? a.created > b.created : a.record.id < b.record.id;
    });
    std::erase_if(entries, [&](const Entry& e) { return !matcher.matches(e); });
    size_t limit = f.latest ? 1 : f.last >= 0 ? static_cast<size_t>(f.last) : entries.size();
    if (entries.size() > limit)
        entries.resize(limit);

    if (f.quiet) {
        std::string out;
        for (const auto& e : entries)
            out += (f.no_trunc ? e.record.id : e.record.id.substr(0, 12)) + "\n";
        std::cout << out << std::flush;
        return;
    }
    std::map<std::string, int64_t> image_sizes;
    if (f.size)
        for (const auto& img : store.images())
            image_sizes[img.id] = img.size;
    ImageConfigs configs(store);
    const auto now = Clock::now();
    json rows = json::array();
    for (const auto& e : entries)
        rows.push_back(row_of(e, f, configs, store, image_sizes, now));
    std::vector<std::string> columns = {"ID",     "Image", "Command", "RunningFor",
                                        "Status", "Ports", "Names"};
    if (f.size)
        columns.push_back("Size");
    print_rows(f.format, rows, kFields, columns);
}

} // namespace

void setup_ps_command(CLI::App& cmd, GlobalOptions& g) {
    auto f = std::make_shared<PsFlags>();
    cmd.footer(
        "Filters (--filter KEY=VALUE, repeatable; the values of one key are alternatives, but\n"
        "every label= must match):\n"
        "  status=created|running|exited  name=REGEX  id=PREFIX  ancestor=IMAGE\n"
        "  label=KEY[=VALUE]  exited=CODE  before=CONTAINER  since=CONTAINER\n\n"
        "Examples:\n"
        "  burrow ps -a\n"
        "  burrow ps -aq --filter status=exited\n"
        "  burrow ps -a --format '{{.Names}}\\t{{.Status}}'\n"
        "  burrow ps -a --format 'table {{.ID}}\\t{{.Names}}'");
    cmd.add_flag("-a,--all", f->all, "Show all containers (default: only running ones)");
    cmd.add_flag("-q,--quiet", f->quiet, "Print only the container ids");
    cmd.add_flag("--no-trunc", f->no_trunc, "Do not truncate ids and commands");
    cmd.add_flag("-l,--latest", f->latest, "Show the newest container (of any state)");
    cmd.add_option("-n,--last", f->last, "Show the N newest containers (of any state)")
        ->type_name("N");
    cmd.add_flag("-s,--size", f->size, "Show the size of the files each container changed");
    cmd.add_option("-f,--filter", f->filters, "Filter the containers: KEY=VALUE (see below)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    cmd.add_option("--format", f->format,
                   "Format the output: json, a Go template such as '{{.Names}}', or "
                   "'table TEMPLATE'");
    cmd.callback([f, &g] { list_containers(*f, g); });
}

} // namespace burrow::cli
