#include "cli/listing.hpp"

#include "cli/run_options.hpp"
#include "core/error.hpp"
#include "core/humanize.hpp"
#include "core/table.hpp"
#include "core/template.hpp"

#include <ftw.h>
#include <iostream>
#include <set>
#include <utility>

namespace burrow::cli {

using json = nlohmann::json;

namespace {

std::string cell(const json& row, const std::string& key) {
    auto it = row.find(key);
    if (it == row.end() || it->is_null())
        return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

} // namespace

void print_rows(const std::string& format, const json& rows, const std::vector<Field>& fields,
                const std::vector<std::string>& columns) {
    std::string out;
    if (format.empty() || format == "table") {
        std::vector<std::vector<std::string>> table;
        table.reserve(rows.size() + 1);
        std::vector<std::string> header;
        for (const auto& key : columns) {
            std::string h = key;
            for (const auto& f : fields)
                if (key == f.key)
                    h = f.header;
            header.push_back(h);
        }
        table.push_back(std::move(header));
        for (const auto& row : rows) {
            std::vector<std::string> cells;
            cells.reserve(columns.size());
            for (const auto& key : columns)
                cells.push_back(cell(row, key));
            table.push_back(std::move(cells));
        }
        out = format_table(table);
    } else if (format == "json") {
        out = rows.dump(4) + "\n";
    } else if (format.starts_with("table ") || format.starts_with("table\t")) {
        std::string tmpl = format.substr(6);
        json headers = json::object();
        for (const auto& f : fields)
            headers[f.key] = f.header;
        std::string text = render_template(tmpl, headers) + "\n";
        for (const auto& row : rows)
            text += render_template(tmpl, row) + "\n";
        out = format_tabbed(text);
    } else {
        for (const auto& row : rows)
            out += render_template(format, row) + "\n";
    }
    // rendered first: a template error must not leave half a listing on stdout
    std::cout << out << std::flush;
}

const json* json_member(const json& object, const char* key) {
    if (!object.is_object())
        return nullptr;
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const storage::ImageConfig* ImageConfigs::get(const std::string& image_id) {
    if (image_id.empty())
        return nullptr;
    auto [it, added] = configs_.try_emplace(image_id);
    if (added) {
        try {
            it->second = std::make_unique<storage::ImageConfig>(
                storage::ImageConfig::parse(store_.read_blob("sha256:" + image_id)));
        } catch (const Error&) {
            // a removed image leaves its containers listed, with what their records say
        }
    }
    return it->second.get();
}

std::vector<std::string> container_command(const storage::ContainerRecord& c,
                                           const storage::ImageConfig* image) {
    RunOptions o;
    if (const json* options = json_member(c.config, "options")) {
        if (auto it = options->find("entrypoint"); it != options->end() && it->is_string())
            o.entrypoint = it->get<std::string>();
    }
    std::vector<std::string> args;
    if (auto it = c.config.find("args"); it != c.config.end() && it->is_array())
        for (const auto& a : *it)
            if (a.is_string())
                args.push_back(a.get<std::string>());
    ImageDefaults defaults;
    if (image) {
        defaults.entrypoint = image->config().entrypoint;
        defaults.cmd = image->config().cmd;
    } else if (args.empty() && !o.entrypoint) {
        return {};
    }
    try {
        return compose_command(o, args, defaults);
    } catch (const Error&) {
        return {};
    }
}

std::optional<std::chrono::system_clock::time_point> parse_time(const std::string& rfc3339) {
    if (rfc3339.empty())
        return std::nullopt;
    try {
        auto t = storage::parse_rfc3339(rfc3339);
        if (t == std::chrono::system_clock::time_point::min() ||
            t == std::chrono::system_clock::time_point::max())
            return std::nullopt;
        return t;
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::string time_ago(const std::string& rfc3339, std::chrono::system_clock::time_point now) {
    auto t = parse_time(rfc3339);
    if (!t)
        return "N/A";
    return human_duration(now - *t) + " ago";
}

std::string status_text(const storage::ContainerRecord& c, const std::string& state,
                        std::chrono::system_clock::time_point now) {
    if (state == "running") {
        auto started = parse_time(c.started_at);
        return "Up " +
               (started ? human_duration(now - *started) : std::string("Less than a second"));
    }
    if (state == "exited") {
        // a container whose burrow was killed has no finish time: it ended after it started
        const std::string& when = c.finished_at.empty() ? c.started_at : c.finished_at;
        std::string out = "Exited (" + std::to_string(c.exit_code) + ")";
        if (auto t = parse_time(when))
            out += " " + human_duration(now - *t) + " ago";
        return out;
    }
    if (state == "created")
        return "Created";
    std::string s = state;
    if (!s.empty())
        s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

namespace {

// nftw(3) takes no context pointer: the walk in progress keeps its totals here
struct TreeWalk {
    int64_t bytes = 0;
    std::set<std::pair<dev_t, ino_t>> linked;
};
thread_local TreeWalk* current_walk = nullptr;

int add_entry(const char*, const struct stat* st, int type, struct FTW*) {
    if (type != FTW_F && type != FTW_SL)
        return 0;
    if (st->st_nlink > 1 && !current_walk->linked.insert({st->st_dev, st->st_ino}).second)
        return 0;
    current_walk->bytes += st->st_size;
    return 0;
}

} // namespace

int64_t tree_size(const std::string& path) {
    TreeWalk walk;
    current_walk = &walk;
    ::nftw(path.c_str(), add_entry, 32, FTW_PHYS);
    current_walk = nullptr;
    return walk.bytes;
}

std::map<std::string, std::string> labels_of(const json* labels) {
    std::map<std::string, std::string> out;
    if (!labels || !labels->is_object())
        return out;
    for (const auto& [k, v] : labels->items())
        out[k] = v.is_string() ? v.get<std::string>() : v.dump();
    return out;
}

} // namespace burrow::cli
