// burrow.toml: the user's defaults for the global flags (DESIGN.md, "On disk").
//
//   [storage]
//   driver = "overlay"          # overlay, fuse-overlayfs, vfs or auto
//   root = "/scratch/me/burrow" # --root
//   runroot = "/tmp/me-burrow"  # --runroot
//   [engine]
//   log_level = "info"          # --log-level
//
// Flags given on the command line win over the file.
#include "cli/global.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/paths.hpp"

#include <algorithm>

// compiled into burrow rather than linked: a shared library costs every command its loading
#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

namespace burrow::cli {

void apply_config_file(CLI::App& app, GlobalOptions& g) {
    const std::string path = paths::config_dir() + "/burrow.toml";
    auto text = try_read_file(path);
    if (!text)
        return;
    toml::table t;
    try {
        t = toml::parse(*text, path);
    } catch (const toml::parse_error& e) {
        throw Error(path + ":" + std::to_string(e.source().begin.line) + ": " +
                    std::string(e.description()));
    }
    auto take = [&](const char* flag, std::string& field, std::optional<std::string> value,
                    std::initializer_list<const char*> allowed, bool absolute) {
        if (!value || app.count(flag) > 0)
            return;
        if (allowed.size() > 0 && std::none_of(allowed.begin(), allowed.end(),
                                               [&](const char* a) { return *value == a; }))
            throw Error(path + ": invalid " + flag + " value \"" + *value + "\"");
        if (absolute && !value->starts_with("/"))
            throw Error(path + ": " + flag + " must be an absolute path: " + *value);
        field = *value;
    };
    take("--storage-driver", g.storage_driver, t["storage"]["driver"].value<std::string>(),
         {"auto", "overlay", "fuse-overlayfs", "vfs"}, false);
    take("--root", g.root, t["storage"]["root"].value<std::string>(), {}, true);
    take("--runroot", g.runroot, t["storage"]["runroot"].value<std::string>(), {}, true);
    take("--log-level", g.log_level, t["engine"]["log_level"].value<std::string>(),
         {"debug", "info", "warn", "warning", "error"}, false);
}

} // namespace burrow::cli
