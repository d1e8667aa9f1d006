#pragma once

#include "cli/global.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

// The probes behind `burrow version` and `burrow info`. Each probe reports what it finds and never
// throws: a failed probe is a finding, not an error of the command.
namespace burrow::cli {

// The OCI runtime-spec version of the configs the built-in runtime understands.
inline constexpr const char* kOciSpecVersion = "1.1.0";

// A library burrow is linked with, as it describes itself at run time (which can differ from
// the headers it was built against).
struct LibraryVersion {
    std::string name;
    std::string version;
    // what else it reports, as docker's component details: "Libraries" → "zlib/1.2.13 …"
    std::vector<std::pair<std::string, std::string>> details;
};
std::vector<LibraryVersion> library_versions();

// The compiler burrow was built with, as the command users know: "g++ 12.2.0".
std::string compiler();

// The running kernel's architecture as images name it ("amd64"), and its release.
std::string host_arch();
std::string kernel_release();

// Problems found by the probes, each one line with its fix.
using Warnings = std::vector<std::string>;

// The sections of `burrow info`, as JSON with podman's camelCase keys.
nlohmann::json probe_distribution();
nlohmann::json probe_cgroups(Warnings& warnings);
nlohmann::json probe_user_namespaces(bool userns_usable, const std::string& userns_error,
                                     Warnings& warnings);
nlohmann::json probe_id_mappings(Warnings& warnings);
nlohmann::json probe_fuse();
nlohmann::json probe_security();
nlohmann::json probe_xdg_runtime_dir(Warnings& warnings);
// graph root, run root and the filesystems under them; never creates either
nlohmann::json probe_store(const GlobalOptions& g, Warnings& warnings);

// The filesystem of `path`, or of its nearest existing parent when it does not exist yet.
struct FilesystemInfo {
    std::string checked; // the path that was statfs'd
    std::string type;    // "ext4", "nfs", …, or "" when statfs failed
    bool network = false;
};
FilesystemInfo filesystem_of(const std::string& path);

} // namespace burrow::cli
