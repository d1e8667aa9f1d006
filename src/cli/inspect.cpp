// burrow inspect, container inspect, image inspect: records as docker's JSON.
#include "cli/container_ops.hpp"
#include "cli/global.hpp"
#include "cli/listing.hpp"
#include "cli/run_options.hpp"
#include "cli/store_access.hpp"
#include "core/envfile.hpp"
#include "core/error.hpp"
#include "core/template.hpp"
#include "core/units.hpp"
#include "userns/rlimits.hpp"

#include <iostream>

namespace burrow::cli {

namespace {

// docker's key order, Id first, so that the output reads as docker's does
using ojson = nlohmann::ordered_json;
using json = nlohmann::json;
using storage::ContainerRecord;
using storage::ImageRecord;

// docker's zero time, for a start or finish that never happened
constexpr const char* kZeroTime = "0001-01-01T00:00:00Z";

ojson list_or_null(const std::vector<std::string>& v) {
    return v.empty() ? ojson() : ojson(v);
}

ojson to_ordered(const json& j) {
    return ojson::parse(j.dump());
}

std::string driver_name(const storage::Store& store) {
    auto d = store.recorded_driver();
    return d ? storage::to_string(*d) : "";
}

// ---- containers -------------------------------------------------------------------------------

ojson ulimits_json(const std::vector<std::string>& ulimits) {
    ojson out = ojson::array();
    for (const auto& u : ulimits) {
        try {
            auto parsed = userns::parse_ulimit(u);
            auto value = [](rlim_t v) {
                return v == RLIM_INFINITY ? int64_t{-1} : static_cast<int64_t>(v);
            };
            out.push_back({{"Name", parsed.name},
                           {"Hard", value(parsed.hard)},
                           {"Soft", value(parsed.soft)}});
        } catch (const Error&) {
            // checked when the container was made; a burrow that knows fewer names shows less
        }
    }
    return out;
}

int64_t number_or_zero(const std::string& text, auto parse) {
    if (text.empty())
        return 0;
    try {
        return parse(text);
    } catch (const Error&) {
        return 0;
    }
}

ojson host_config(const RunOptions& o) {
    ojson tmpfs = ojson::object();
    for (const auto& t : o.tmpfs) {
        auto colon = t.find(':');
        tmpfs[t.substr(0, colon)] = colon == std::string::npos ? "" : t.substr(colon + 1);
    }
    auto host_or = [](const std::string& mode, const char* other) {
        return mode == "host" ? std::string("host") : std::string(other);
    };
    return {
        {"Binds", list_or_null(o.volumes)},
        {"NetworkMode", o.network.empty() ? "none" : o.network},
        {"PortBindings", ojson::object()},
        {"RestartPolicy", {{"Name", "no"}, {"MaximumRetryCount", 0}}},
        {"AutoRemove", o.rm},
        {"CapAdd", list_or_null(o.cap_add)},
        {"CapDrop", list_or_null(o.cap_drop)},
        {"GroupAdd", list_or_null(o.group_add)},
        {"IpcMode", host_or(o.ipc_mode, "private")},
        {"PidMode", host_or(o.pid_mode, "")},
        {"UTSMode", host_or(o.uts_mode, "")},
        {"Privileged", o.privileged},
        {"ReadonlyRootfs", o.read_only},
        {"SecurityOpt", list_or_null(o.security_opts)},
        {"Tmpfs", tmpfs},
        {"CpuShares",
         number_or_zero(o.cpu_shares, [](const std::string& s) { return parse_integer(s, ""); })},
        {"NanoCpus", number_or_zero(o.cpus,
                                    [](const std::string& s) {
                                        return static_cast<int64_t>(parse_decimal(s, "") * 1e9);
                                    })},
        {"Memory",
         number_or_zero(o.memory, [](const std::string& s) { return parse_byte_size(s, ""); })},
        {"PidsLimit",
         number_or_zero(o.pids_limit, [](const std::string& s) { return parse_integer(s, ""); })},
        {"Ulimits", ulimits_json(o.ulimits)},
    };
}

ojson mounts_json(const RunOptions& o) {
    ojson out = ojson::array();
    for (const auto& v : o.volumes) {
        auto first = v.find(':');
        if (first == std::string::npos)
            continue; // an anonymous volume: burrow makes none yet
        auto second = v.find(':', first + 1);
        std::string mode = second == std::string::npos ? "" : v.substr(second + 1);
        bool ro = mode == "ro" || mode.starts_with("ro,") || mode.find(",ro") != std::string::npos;
        out.push_back({{"Type", "bind"},
                       {"Source", v.substr(0, first)},
                       {"Destination", v.substr(first + 1, second - first - 1)},
                       {"Mode", mode},
                       {"RW", !ro},
                       {"Propagation", "rprivate"}});
    }
    return out;
}

ojson container_graph_driver(const storage::Store& store, const ContainerRecord& c) {
    std::string dir = store.container_dir(c.id);
    if (c.driver == "vfs")
        return {{"Name", "vfs"}, {"Data", {{"Dir", dir + "/rootfs"}}}};
    std::string lower;
    if (auto img = store.image(c.image_id))
        for (auto it = img->layers.rbegin(); it != img->layers.rend(); ++it)
            lower += (lower.empty() ? "" : ":") + store.layer_dir(*it) + "/diff";
    return {{"Name", c.driver},
            {"Data",
             {{"LowerDir", lower},
              {"UpperDir", dir + "/upper"},
              {"WorkDir", dir + "/work"},
              {"MergedDir", dir + "/merged"}}}};
}

ojson container_json(const storage::Store& store, const ContainerRecord& c, ImageConfigs& configs,
                     bool size) {
    RunOptions o = run_options_from_json(c.config.value("options", json::object()));
    auto args = c.config.value("args", std::vector<std::string>{});
    const storage::ImageConfig* image = configs.get(c.image_id);
    storage::ContainerConfig defaults = image ? image->config() : storage::ContainerConfig{};
    std::vector<std::string> command = container_command(c, image);
    std::string state = current_status(c);
    bool running = state == "running";

    // the environment as the container got it, but for bare -e KEY and --env-file, which took
    // their values from the files and the environment of the burrow that made it
    std::vector<std::string> env = merge_env(defaults.env, {"container=burrow"});
    for (const auto& e : o.env)
        if (e.find('=') != std::string::npos)
            env = merge_env(env, {e});
    std::vector<std::string> entrypoint =
        o.entrypoint ? (o.entrypoint->empty() ? std::vector<std::string>{}
                                              : std::vector<std::string>{*o.entrypoint})
                     : defaults.entrypoint;
    std::vector<std::string> cmd = !args.empty() ? args : o.entrypoint ? args : defaults.cmd;

    ojson config = {
        {"Hostname", !o.hostname.empty()    ? o.hostname
                     : o.uts_mode == "host" ? std::string()
                                            : c.id.substr(0, 12)},
        {"Domainname", ""},
        {"User", o.user.empty() ? defaults.user : o.user},
        {"AttachStdin", o.interactive},
        {"AttachStdout", true},
        {"AttachStderr", true},
        {"Tty", o.tty},
        {"OpenStdin", o.interactive},
        {"StdinOnce", false},
        {"Env", env},
        {"Cmd", list_or_null(cmd)},
        {"Image", c.image_name},
        {"WorkingDir", o.workdir.empty() ? defaults.working_dir : o.workdir},
        {"Entrypoint", list_or_null(entrypoint)},
        {"Labels", to_ordered(c.config.value("labels", json::object()))},
    };
    if (!defaults.exposed_ports.empty()) {
        config["ExposedPorts"] = ojson::object();
        for (const auto& p : defaults.exposed_ports)
            config["ExposedPorts"][p] = ojson::object();
    }
    if (!defaults.volumes.empty()) {
        config["Volumes"] = ojson::object();
        for (const auto& v : defaults.volumes)
            config["Volumes"][v] = ojson::object();
    }
    if (!defaults.stop_signal.empty())
        config["StopSignal"] = defaults.stop_signal;

    ojson out = {
        {"Id", c.id},
        {"Created", c.created},
        {"Path", command.empty() ? "" : command.front()},
        {"Args", command.empty()
                     ? ojson::array()
                     : ojson(std::vector<std::string>(command.begin() + 1, command.end()))},
        {"State",
         {{"Status", state},
          {"Running", running},
          {"Paused", false},
          {"Restarting", false},
          {"OOMKilled", false},
          {"Dead", false},
          {"Pid", running ? c.pid : 0},
          {"ExitCode", state == "exited" ? c.exit_code : 0},
          {"Error", ""},
          {"StartedAt", c.started_at.empty() ? kZeroTime : c.started_at},
          {"FinishedAt", c.finished_at.empty() ? kZeroTime : c.finished_at}}},
        {"Image", c.image_id.empty() ? "" : "sha256:" + c.image_id},
        {"ImageName", c.image_name},
        {"Name", c.name},
        {"RestartCount", 0},
        {"Driver", c.driver},
        {"Platform", "linux"},
        {"MountLabel", ""},
        {"ProcessLabel", ""},
        {"AppArmorProfile", ""},
        {"HostConfig", host_config(o)},
        {"GraphDriver", container_graph_driver(store, c)},
        {"Mounts", mounts_json(o)},
        {"Config", config},
        {"NetworkSettings",
         {{"Bridge", ""},
          {"SandboxID", ""},
          {"Ports", ojson::object()},
          {"Gateway", ""},
          {"IPAddress", ""},
          {"IPPrefixLen", 0},
          {"MacAddress", ""},
          {"Networks", ojson::object()}}},
    };
    if (size) {
        int64_t rw =
            tree_size(store.container_dir(c.id) + (c.driver == "vfs" ? "/rootfs" : "/upper"));
        auto img = store.image(c.image_id);
        out["SizeRw"] = rw;
        out["SizeRootFs"] = rw + (img ? img->size : 0);
    }
    return out;
}

// ---- images -----------------------------------------------------------------------------------

ojson image_json(const storage::Store& store, const ImageRecord& img) {
    auto cfg = storage::ImageConfig::parse(store.read_blob("sha256:" + img.id));
    const auto& raw = cfg.json();
    std::vector<std::string> tags, repo_digests = img.digests;
    for (const auto& n : img.names) {
        if (n.find('@') == std::string::npos)
            tags.push_back(n);
        if (!img.manifest_digest.empty()) {
            std::string repo = n.substr(0, n.find('@'));
            if (auto colon = repo.rfind(':');
                colon != std::string::npos && repo.find('/', colon) == std::string::npos)
                repo.resize(colon);
            std::string d = repo + "@" + img.manifest_digest;
            if (std::find(repo_digests.begin(), repo_digests.end(), d) == repo_digests.end())
                repo_digests.push_back(d);
        }
    }
    std::string driver = driver_name(store);
    ojson graph_data = ojson::object();
    if (!img.layers.empty()) {
        std::string top = store.layer_dir(img.layers.back()) + "/diff";
        if (driver == "vfs") {
            graph_data["Dir"] = top;
        } else {
            std::string lower;
            for (size_t i = img.layers.size() - 1; i-- > 0;)
                lower += (lower.empty() ? "" : ":") + store.layer_dir(img.layers[i]) + "/diff";
            if (!lower.empty())
                graph_data["LowerDir"] = lower;
            graph_data["UpperDir"] = top;
        }
    }
    auto text = [&](const char* key) {
        auto it = raw.find(key);
        return it != raw.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    ojson out = {
        {"Id", "sha256:" + img.id},
        {"Digest", img.manifest_digest},
        {"RepoTags", tags},
        {"RepoDigests", repo_digests},
        {"Parent", ""},
        {"Comment", text("comment")},
        {"Created", cfg.created().empty() ? img.created : cfg.created()},
        {"DockerVersion", text("docker_version")},
        {"Author", cfg.author()},
        {"Config",
         raw.contains("config") && raw["config"].is_object() ? raw["config"] : ojson::object()},
        {"Architecture", cfg.architecture()},
    };
    if (!cfg.variant().empty())
        out["Variant"] = cfg.variant();
    out["Os"] = cfg.os();
    out["Size"] = img.size;
    out["VirtualSize"] = img.size;
    out["GraphDriver"] = {{"Name", driver}, {"Data", graph_data}};
    out["RootFS"] = {{"Type", "layers"}, {"Layers", cfg.diff_ids()}};
    out["History"] = raw.contains("history") ? raw["history"] : ojson::array();
    ojson labels = ojson::object();
    for (const auto& [k, v] : cfg.config().labels)
        labels[k] = v;
    out["Labels"] = labels;
    out["Metadata"] = {{"LastTagTime", kZeroTime}};
    return out;
}

// ---- the commands -----------------------------------------------------------------------------

enum class Kind { any, container, image };

struct InspectFlags {
    std::vector<std::string> names;
    std::string format;
    std::string type;
    bool size = false;
};

std::string not_found(Kind kind, const std::string& name) {
    switch (kind) {
    case Kind::container:
        return "no such container: \"" + name + "\"";
    case Kind::image:
        return "no such image: \"" + name + "\"";
    default:
        return "no such object: \"" + name + "\"";
    }
}

void inspect(Kind kind, const InspectFlags& f, const GlobalOptions& g) {
    if (!f.type.empty()) {
        if (kind != Kind::any)
            throw Error("--type is for `burrow inspect`");
        if (f.type == "container")
            kind = Kind::container;
        else if (f.type == "image")
            kind = Kind::image;
        else
            throw Error("invalid --type \"" + f.type + "\": use container or image");
    }
    storage::Store store = open_store(g);
    ImageConfigs configs(store);
    ojson found = ojson::array();
    std::vector<std::string> errors;
    for (const auto& name : f.names) {
        try {
            std::optional<ContainerRecord> c;
            if (kind != Kind::image)
                c = try_find_container(store, name);
            if (c) {
                refresh_state(*c);
                found.push_back(container_json(store, *c, configs, f.size));
                continue;
            }
            std::optional<ImageRecord> img;
            if (kind != Kind::container)
                img = try_find_image(store, name);
            if (img) {
                found.push_back(image_json(store, *img));
                continue;
            }
            errors.push_back(not_found(kind, name));
        } catch (const Error& e) {
            errors.push_back(e.what());
        }
    }
    std::string out;
    if (f.format.empty() || f.format == "json") {
        out = found.dump(4) + "\n";
    } else {
        // rendered first: a template error must not leave half the output on stdout
        for (const auto& obj : found)
            out += render_template(f.format, json::parse(obj.dump())) + "\n";
    }
    std::cout << out << std::flush;
    if (errors.empty())
        return;
    for (size_t i = 0; i + 1 < errors.size(); ++i)
        std::cerr << "Error: " << errors[i] << '\n';
    throw Error(errors.back());
}

void setup(CLI::App& cmd, GlobalOptions& g, Kind kind, const char* examples) {
    auto f = std::make_shared<InspectFlags>();
    cmd.footer(examples);
    const char* what = kind == Kind::container ? "CONTAINER"
                       : kind == Kind::image   ? "IMAGE"
                                               : "NAME";
    cmd.add_option(what, f->names, "Names or ids to inspect")->required();
    cmd.add_option("-f,--format", f->format,
                   "Format the output: json, or a Go template such as '{{.State.Status}}'");
    if (kind != Kind::image)
        cmd.add_flag("-s,--size", f->size, "Add the size of the containers' files");
    if (kind == Kind::any)
        cmd.add_option("--type", f->type, "Inspect only objects of this type: container or image")
            ->type_name("TYPE");
    cmd.callback([f, kind, &g] { inspect(kind, *f, g); });
}

} // namespace

void setup_inspect_command(CLI::App& cmd, GlobalOptions& g) {
    setup(cmd, g, Kind::any,
          "Containers are looked up first, then images, as in docker.\n\nExamples:\n"
          "  burrow inspect web\n"
          "  burrow inspect --format '{{.State.ExitCode}}' web\n"
          "  burrow inspect --type image busybox");
}

void setup_container_inspect_command(CLI::App& cmd, GlobalOptions& g) {
    setup(cmd, g, Kind::container,
          "Examples:\n"
          "  burrow container inspect web\n"
          "  burrow container inspect --format '{{.State.Status}}' web");
}

void setup_image_inspect_command(CLI::App& cmd, GlobalOptions& g) {
    setup(cmd, g, Kind::image,
          "Examples:\n"
          "  burrow image inspect busybox\n"
          "  burrow image inspect --format '{{.Config.Cmd}}' busybox");
}

} // namespace burrow::cli
