// burrow info: the preflight a user runs when something fails. Every probe reports what it found;
// a failed probe is printed as a warning with its fix and never fails the command. Read-only:
// it creates neither the storage root nor the runtime folder.
#include "cli/build_info.hpp"
#include "cli/global.hpp"
#include "cli/host_info.hpp"
#include "cli/output.hpp"
#include "cli/overlay_probe.hpp"
#include "core/error.hpp"
#include "core/format.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace burrow::cli {

namespace {

using json = nlohmann::json;

bool is_writable_dir(const std::string& path) {
    struct stat st;
    return !path.empty() && path[0] == '/' && ::stat(path.c_str(), &st) == 0 &&
           S_ISDIR(st.st_mode) && ::access(path.c_str(), W_OK) == 0;
}

// Next to the storage root when its parent folder already exists, so that the probe tests the
// filesystem the layers will live on; otherwise in $TMPDIR or /tmp. Never creates a folder of
// burrow's own.
std::string overlay_probe_parent(const GlobalOptions& g) {
    try {
        std::string root = g.storage_root();
        auto slash = root.rfind('/');
        if (slash != std::string::npos && slash > 0 && is_writable_dir(root.substr(0, slash)))
            return root.substr(0, slash);
    } catch (const Error&) {
    }
    if (const char* t = std::getenv("TMPDIR"); t && is_writable_dir(t))
        return t;
    return "/tmp";
}

bool kernel_older_than(int major, int minor) {
    struct utsname u;
    int ma = 0, mi = 0;
    if (::uname(&u) != 0 || std::sscanf(u.release, "%d.%d", &ma, &mi) != 2)
        return false;
    return ma < major || (ma == major && mi < minor);
}

// Which overlay the storage can use, from the probe, /dev/fuse and fuse-overlayfs; the warning
// comes only when neither kind works, or when --storage-driver asks for one that does not.
void storage_driver(const GlobalOptions& g, bool userns_ok, const OverlayProbe& probe, json& host,
                    json& store, Warnings& warnings) {
    json overlay = {{"supported", probe.overlay_ok}, {"testedIn", probe.dir}};
    overlay["testedFilesystem"] = filesystem_of(probe.dir).type;
    std::string overlay_error = probe.error;
    if (!probe.overlay_ok && probe.userns_ok && kernel_older_than(5, 11))
        overlay_error += " (overlay in a user namespace needs Linux 5.11 or newer)";
    if (!probe.overlay_ok)
        overlay["error"] = overlay_error;
    host["nativeOverlay"] = overlay;
    if (!probe.cleanup_error.empty())
        warnings.push_back(probe.cleanup_error);

    json fuse = probe_fuse();
    host["fuse"] = fuse["fuse"];
    host["fuseOverlayfs"] = fuse["fuseOverlayfs"];
    bool fuse_ok = fuse["fuse"]["usable"].get<bool>() &&
                   !fuse["fuseOverlayfs"]["path"].get<std::string>().empty();
    std::string fuse_problem, fuse_fix;
    if (fuse["fuseOverlayfs"]["path"].get<std::string>().empty()) {
        fuse_problem = "fuse-overlayfs is not installed";
        fuse_fix = "install it (Debian/Ubuntu: apt install fuse-overlayfs; Fedora/RHEL: dnf "
                   "install fuse-overlayfs)";
    } else if (!fuse["fuse"]["usable"].get<bool>()) {
        fuse_problem = fuse["fuse"].value("error", std::string("/dev/fuse is not usable"));
        fuse_fix = "ask an admin to make /dev/fuse usable (modprobe fuse; in a container: "
                   "--device /dev/fuse)";
    }

    // without a user namespace no driver works: naming one would send the user the wrong way
    std::string chosen = !userns_ok         ? "none"
                         : probe.overlay_ok ? "overlay"
                         : fuse_ok          ? "fuse-overlayfs"
                                            : "vfs";
    store["graphDriverName"] = g.storage_driver.empty() ? chosen : g.storage_driver;
    store["graphDriverSource"] = g.storage_driver.empty() ? "auto" : "--storage-driver";
    if (!userns_ok)
        return; // the user namespace warning says it all

    if (g.storage_driver == "overlay" && !probe.overlay_ok)
        warnings.push_back("--storage-driver overlay: native overlay does not work here (" +
                           overlay_error + "); use --storage-driver fuse-overlayfs or vfs");
    else if (g.storage_driver == "fuse-overlayfs" && !fuse_ok)
        warnings.push_back("--storage-driver fuse-overlayfs: " + fuse_problem + "; " + fuse_fix +
                           ", or use --storage-driver vfs");
    else if (g.storage_driver.empty() && chosen == "vfs")
        warnings.push_back(
            "neither native overlay (" + overlay_error + ") nor fuse-overlayfs (" + fuse_problem +
            ") works here: burrow falls back to the vfs driver, which copies every layer in full "
            "(slow, uses much disk); for fuse-overlayfs, " +
            fuse_fix);
}

json version_summary() {
    return {{"Version", build::kVersion},       {"APIVersion", build::kVersion},
            {"GitCommit", build::kGitCommit},   {"Built", build::kBuilt},
            {"Compiler", compiler()},           {"OsArch", "linux/" + host_arch()},
            {"OciRuntimeSpec", kOciSpecVersion}};
}

json collect(const GlobalOptions& g, Warnings& warnings) {
    json host;
    host["arch"] = host_arch();
    host["os"] = "linux";
    host["kernel"] = kernel_release();
    char hostname[256] = {};
    ::gethostname(hostname, sizeof hostname - 1);
    host["hostname"] = hostname;
    host["distribution"] = probe_distribution();

    // probes that depend on each other run first; the warnings keep the order a fix needs:
    // user namespaces, then id maps, then storage, then the rest
    OverlayProbe userns = probe_user_namespace();
    host["userNamespaces"] =
        probe_user_namespaces(userns.userns_ok, userns.userns_ok ? "" : userns.error, warnings);
    OverlayProbe probe = probe_native_overlay(overlay_probe_parent(g));
    host["idMappings"] = probe_id_mappings(warnings);
    json store = probe_store(g, warnings);
    storage_driver(g, userns.userns_ok, probe, host, store, warnings);
    host["xdgRuntimeDir"] = probe_xdg_runtime_dir(warnings);
    host.update(probe_cgroups(warnings));
    host["ociRuntime"] = {{"name", "burrow"},
                          {"package", "built in"},
                          {"specVersion", kOciSpecVersion},
                          {"version", build::kVersion}};
    host["security"] = probe_security();
    for (const auto& lib : library_versions())
        if (lib.name == "libslirp")
            host["network"] = {{"backend", "slirp"}, {"libslirp", lib.version}};

    json data = {{"host", host}, {"store", store}, {"version", version_summary()}};
    data["warnings"] = warnings;
    return data;
}

} // namespace

void setup_info_command(CLI::App& command, GlobalOptions& g) {
    CLI::App* cmd = &command;
    cmd->footer("Examples:\n"
                "  burrow info                     # the report; problems and fixes on stderr\n"
                "  burrow info --format json\n"
                "  burrow info --format '{{.Host.Kernel}}'");
    auto format = std::make_shared<std::string>();
    cmd->add_option("-f,--format", *format,
                    "Format the output: json, or a Go template such as '{{.Host.Kernel}}'");
    cmd->callback([format, &g] {
        Warnings warnings;
        json data = collect(g, warnings);
        if (print_with_format(*format, data))
            return;
        json shown = data;
        shown.erase("warnings");
        std::cout << to_yaml(shown) << std::flush;
        // stderr, as docker prints them: a script that parses the report does not see them
        for (const auto& w : warnings)
            std::cerr << "WARNING: " << w << '\n';
    });
}

} // namespace burrow::cli
