#include "cli/host_info.hpp"

#include "cli/build_info.hpp"
#include "core/dynlib.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/paths.hpp"
#include "core/process.hpp"
#include "core/sysinfo.hpp"
#include "userns/caps.hpp"
#include "userns/cgroups.hpp"
#include "userns/idmap.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <pwd.h>
#include <seccomp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace burrow::cli {

namespace {

using json = nlohmann::json;

std::string strip_prefix(std::string s, std::string_view prefix) {
    if (s.starts_with(prefix))
        s.erase(0, prefix.size());
    return s;
}

std::string first_line(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t'))
        s.pop_back();
    return s;
}

// The contents of a one-number /proc/sys file, or nullopt when the kernel does not have it.
std::optional<long> read_sysctl(const std::string& path) {
    try {
        auto text = try_read_file(path);
        if (!text)
            return std::nullopt;
        return std::stol(*text);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        size_t j = s.find_first_of(" \t\n", i);
        if (j == std::string::npos)
            j = s.size();
        if (j > i)
            out.push_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

std::string user_name() {
    if (struct passwd* pw = ::getpwuid(::getuid()))
        return pw->pw_name;
    return std::to_string(::getuid());
}

bool is_dir(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

json id_map_json(const std::vector<userns::IdMapEntry>& map) {
    json out = json::array();
    for (const auto& e : map)
        out.push_back({{"container_id", e.inside}, {"host_id", e.outside}, {"size", e.count}});
    return out;
}

// newuidmap and newgidmap write maps for ids the user does not own, so they need setuid root
// or the file capability cap_setuid / cap_setgid.
json probe_setid_helper(const std::string& name, cap_value_t cap, const char* cap_text, bool needed,
                        Warnings& warnings) {
    json j;
    // the runtime runs them from PATH only
    std::string path = find_program(name);
    j["inPath"] = !path.empty();
    if (path.empty())
        path = find_program(name, "/usr/bin:/usr/sbin:/bin:/sbin");
    j["path"] = path;
    if (path.empty()) {
        j["usable"] = false;
        if (needed)
            warnings.push_back(name +
                               " not found: burrow needs it to map your subordinate ids, so "
                               "containers cannot start; ask an admin to install it "
                               "(Debian/Ubuntu: apt install uidmap; Fedora/RHEL: dnf install "
                               "shadow-utils)");
        return j;
    }
    if (needed && !j["inPath"].get<bool>())
        warnings.push_back(path + " is not in your PATH, where burrow looks for it: add " +
                           path.substr(0, path.rfind('/')) + " to PATH");
    struct stat st;
    bool setuid_root = ::stat(path.c_str(), &st) == 0 && st.st_uid == 0 && (st.st_mode & S_ISUID);
    struct statvfs vfs;
    bool nosuid = ::statvfs(path.c_str(), &vfs) == 0 && (vfs.f_flag & ST_NOSUID);
    j["setuidRoot"] = setuid_root;
    if (setuid_root && nosuid)
        j["mountedNosuid"] = true;
    bool has_cap = false;
    std::string caps_text;
    if (cap_t caps = ::cap_get_file(path.c_str())) {
        cap_flag_value_t v = CAP_CLEAR;
        has_cap = ::cap_get_flag(caps, cap, CAP_PERMITTED, &v) == 0 && v == CAP_SET;
        if (char* t = ::cap_to_text(caps, nullptr)) {
            caps_text = t;
            ::cap_free(t);
        }
        ::cap_free(caps);
    }
    j["fileCapabilities"] = caps_text;
    bool usable = (setuid_root && !nosuid) || has_cap;
    j["usable"] = usable;
    if (needed && !usable) {
        std::string setcap = "setcap " + std::string(cap_text) + "+ep " + path;
        warnings.push_back(
            setuid_root
                ? path +
                      " is setuid root on a filesystem mounted nosuid, so it cannot map your "
                      "subordinate ids and containers cannot start; ask an admin to run: " +
                      setcap
                : path + " is neither setuid root nor has " + cap_text +
                      ", so it cannot map your subordinate ids and containers cannot start; ask "
                      "an admin to run: chmod u+s " +
                      path + " (or: " + setcap + ")");
    }
    return j;
}

} // namespace

std::vector<LibraryVersion> library_versions() {
    std::vector<LibraryVersion> out;
    auto missing = [&](const char* name, const char* soname) {
        out.push_back({name, "not installed", {{"Library", soname}}});
    };
    // opened here rather than linked: see core/dynlib.hpp
    DynLib slirp("libslirp.so.0");
    if (auto f = slirp.function<const char* (*)()>("slirp_version_string"))
        out.push_back({"libslirp", f(), {}});
    else
        missing("libslirp", "libslirp.so.0");
    if (const scmp_version* v = seccomp_version())
        out.push_back({"libseccomp",
                       std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                           std::to_string(v->micro),
                       {{"ApiLevel", std::to_string(seccomp_api_get())}}});
    DynLib archive_lib("libarchive.so.13");
    auto archive_version = archive_lib.function<const char* (*)()>("archive_version_string");
    auto archive_details = archive_lib.function<const char* (*)()>("archive_version_details");
    if (archive_version && archive_details) {
        // "libarchive 3.6.2 zlib/1.2.13 liblzma/5.4.1 …"
        std::string archive = archive_version();
        std::string details = strip_prefix(archive_details(), archive);
        out.push_back({"libarchive",
                       strip_prefix(archive, "libarchive "),
                       {{"Libraries", trimmed(strip_prefix(details, " "))}}});
    } else {
        missing("libarchive", "libarchive.so.13");
    }
    DynLib curl("libcurl.so.4");
    if (auto f = curl.function<char* (*)()>("curl_version")) {
        // "libcurl/7.88.1 OpenSSL/3.0.11 zlib/1.2.13 …"
        std::string all = f();
        auto space = all.find(' ');
        std::string head = all.substr(0, space);
        out.push_back(
            {"libcurl",
             strip_prefix(head, "libcurl/"),
             {{"Libraries", space == std::string::npos ? "" : trimmed(all.substr(space + 1))}}});
    } else {
        missing("libcurl", "libcurl.so.4");
    }
    DynLib crypto("libcrypto.so.3");
    if (auto f = crypto.function<const char* (*)(int)>("OpenSSL_version"))
        // OPENSSL_VERSION_STRING is 6 and OPENSSL_VERSION 0 in OpenSSL 3's ABI
        out.push_back({"OpenSSL", f(6), {{"Release", f(0)}}});
    else
        missing("OpenSSL", "libcrypto.so.3");
    // libcap has no call that reports its version: this is the one burrow was built against
    out.push_back({"libcap",
                   std::to_string(LIBCAP_MAJOR) + "." + std::to_string(LIBCAP_MINOR),
                   {{"Source", "build-time headers"}}});
    return out;
}

std::string compiler() {
    std::string c = build::kCompiler;
    if (c.starts_with("GNU "))
        return "g++ " + c.substr(4);
    if (c.starts_with("Clang "))
        return "clang++ " + c.substr(6);
    return c;
}

std::string host_arch() {
    struct utsname u;
    return ::uname(&u) == 0 ? sysinfo::go_arch(u.machine) : "unknown";
}

std::string kernel_release() {
    struct utsname u;
    return ::uname(&u) == 0 ? u.release : "unknown";
}

json probe_distribution() {
    std::optional<std::string> text;
    try {
        text = try_read_file("/etc/os-release");
        if (!text)
            text = try_read_file("/usr/lib/os-release");
    } catch (const Error&) {
    }
    auto os = sysinfo::parse_os_release(text.value_or(""));
    return {{"distribution", os.count("ID") ? os["ID"] : "unknown"},
            {"version", os["VERSION_ID"]},
            {"codename", os["VERSION_CODENAME"]},
            {"prettyName", os["PRETTY_NAME"]}};
}

json probe_cgroups(Warnings& warnings) {
    json j;
    bool v2 = path_exists("/sys/fs/cgroup/cgroup.controllers");
    j["cgroupVersion"] = v2 ? "v2" : "v1";
    if (!v2) {
        struct statfs fs;
        constexpr long kCgroup2Magic = 0x63677270;
        j["cgroupHybrid"] = ::statfs("/sys/fs/cgroup/unified", &fs) == 0 &&
                            static_cast<long>(fs.f_type) == kCgroup2Magic;
    }
    std::optional<std::string> self;
    try {
        self = try_read_file("/proc/self/cgroup");
    } catch (const Error&) {
    }
    std::string path = sysinfo::cgroup2_path(self.value_or("")).value_or("");
    j["cgroupPath"] = path;
    if (v2) {
        std::string available;
        try {
            available = try_read_file("/sys/fs/cgroup" + path + "/cgroup.controllers").value_or("");
        } catch (const Error&) {
        }
        j["cgroupControllersAvailable"] = words(available);
    }

    // the runtime's own test, so that info and run agree on whether limits work
    userns::CgroupSupport support = userns::probe_cgroup_support();
    j["cgroupLimitsUsable"] = support.usable;
    std::vector<std::string> controllers;
    if (support.usable) {
        std::string enabled;
        try {
            enabled = try_read_file(support.path + "/cgroup.subtree_control").value_or("");
        } catch (const Error&) {
        }
        controllers = words(enabled);
        std::string missing;
        for (const char* want : {"cpu", "memory", "pids"})
            if (std::find(controllers.begin(), controllers.end(), want) == controllers.end())
                missing += (missing.empty() ? "" : ", ") + std::string(want);
        if (!missing.empty())
            warnings.push_back(
                "the " + missing +
                " cgroup controllers are not enabled for your cgroup's children (" + support.path +
                "/cgroup.subtree_control): limits on them are not enforced; ask an admin to "
                "delegate them (Delegate=cpu cpuset io memory pids in "
                "/etc/systemd/system/user@.service.d/delegate.conf, then systemctl daemon-reload)");
    } else {
        j["cgroupLimitsProblem"] = support.reason;
        warnings.push_back(
            "resource limits (--memory, --cpus, --cpu-shares, --pids-limit) will not "
            "be enforced: " +
            support.reason +
            (v2 ? ""
                : "; ask an admin to switch to cgroup v2 (boot with "
                  "systemd.unified_cgroup_hierarchy=1)"));
    }
    j["cgroupControllers"] = controllers;
    return j;
}

json probe_user_namespaces(bool userns_usable, const std::string& userns_error,
                           Warnings& warnings) {
    json j;
    auto max_ns = read_sysctl("/proc/sys/user/max_user_namespaces");
    auto clone = read_sysctl("/proc/sys/kernel/unprivileged_userns_clone");
    auto apparmor = read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
    j["maxUserNamespaces"] = max_ns ? json(*max_ns) : json(nullptr);
    if (clone)
        j["unprivilegedUsernsClone"] = *clone;
    if (apparmor)
        j["apparmorRestrictUnprivilegedUserns"] = *apparmor;
    j["usable"] = userns_usable;
    if (userns_usable)
        return j;
    j["error"] = userns_error;
    std::string what = "cannot create a user namespace (" + userns_error + ")";
    if (max_ns && *max_ns == 0)
        warnings.push_back(what + ": user namespaces are disabled (user.max_user_namespaces = 0); "
                                  "ask an admin to run: sysctl -w user.max_user_namespaces=28633 "
                                  "(and set it in /etc/sysctl.d/ to keep it)");
    else if (clone && *clone == 0)
        warnings.push_back(what + ": unprivileged user namespaces are disabled "
                                  "(kernel.unprivileged_userns_clone = 0); ask an admin to run: "
                                  "sysctl -w kernel.unprivileged_userns_clone=1");
    else if (apparmor && *apparmor == 1)
        warnings.push_back(
            what +
            ": AppArmor restricts unprivileged user namespaces "
            "(kernel.apparmor_restrict_unprivileged_userns = 1); ask an admin to allow them for "
            "burrow with a profile /etc/apparmor.d/burrow containing `abi <abi/4.0>, include "
            "<tunables/global> profile burrow /usr/bin/burrow flags=(unconfined) { userns, }` and "
            "run: apparmor_parser -r /etc/apparmor.d/burrow");
    else
        warnings.push_back(what + ": burrow needs unprivileged user namespaces; when burrow runs "
                                  "inside a container, that container's seccomp and AppArmor "
                                  "policy must allow unshare(CLONE_NEWUSER)");
    return j;
}

json probe_id_mappings(Warnings& warnings) {
    json j;
    userns::UserMappings m;
    try {
        m = userns::user_mappings();
    } catch (const Error& e) {
        j["error"] = e.what();
        warnings.push_back(std::string("cannot read the subordinate id ranges: ") + e.what());
        m.single_id = true;
    }
    j["uidmap"] = id_map_json(m.uid_map);
    j["gidmap"] = id_map_json(m.gid_map);
    j["singleId"] = m.single_id;
    if (m.single_id && !j.contains("error")) {
        std::string name = user_name();
        std::string subuid, subgid;
        try {
            subuid = try_read_file("/etc/subuid").value_or("");
            subgid = try_read_file("/etc/subgid").value_or("");
        } catch (const Error&) {
        }
        bool has_uids = !userns::parse_subid_file(subuid, name, ::getuid()).empty();
        bool has_gids = !userns::parse_subid_file(subgid, name, ::getgid()).empty();
        unsigned long start = sysinfo::suggest_subid_start(subuid, subgid);
        std::string range = std::to_string(start) + "-" + std::to_string(start + 65535);
        std::string cmd = "usermod";
        if (!has_uids)
            cmd += " --add-subuids " + range;
        if (!has_gids)
            cmd += " --add-subgids " + range;
        warnings.push_back(m.reason +
                           ": only your own uid and gid are mapped (images with files owned by "
                           "other users may fail to unpack); ask an admin to run: " +
                           cmd + " " + name);
    }
    j["newuidmap"] =
        probe_setid_helper("newuidmap", CAP_SETUID, "cap_setuid", !m.single_id, warnings);
    j["newgidmap"] =
        probe_setid_helper("newgidmap", CAP_SETGID, "cap_setgid", !m.single_id, warnings);
    return j;
}

json probe_fuse() {
    json fuse;
    fuse["device"] = "/dev/fuse";
    struct stat st;
    fuse["present"] = ::stat("/dev/fuse", &st) == 0 && S_ISCHR(st.st_mode);
    int fd = ::open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        ::close(fd);
        fuse["usable"] = true;
    } else {
        fuse["usable"] = false;
        fuse["error"] = SysError("open", "/dev/fuse").what();
    }
    json fo;
    std::string path = find_program("fuse-overlayfs");
    fo["path"] = path;
    fo["version"] = "";
    if (!path.empty()) {
        try {
            auto r = run_program({path, "--version"});
            // "fuse-overlayfs: version 1.10", after a line about fusermount3 in some builds
            const std::string marker = "fuse-overlayfs: version ";
            auto at = r.output.find(marker);
            fo["version"] = at == std::string::npos
                                ? first_line(r.output)
                                : first_line(r.output.substr(at + marker.size()));
        } catch (const Error& e) {
            fo["error"] = e.what();
        }
    }
    return {{"fuse", fuse}, {"fuseOverlayfs", fo}};
}

json probe_security() {
    json j;
    j["rootless"] = ::geteuid() != 0;
    // PR_GET_SECCOMP fails with EINVAL only in a kernel built without seccomp
    j["seccompEnabled"] = ::prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 || errno != EINVAL;
    j["seccompProfilePath"] = "builtin";
    std::optional<std::string> apparmor;
    try {
        apparmor = try_read_file("/sys/module/apparmor/parameters/enabled");
    } catch (const Error&) {
    }
    j["apparmorEnabled"] = apparmor && apparmor->starts_with("Y");
    j["selinuxEnabled"] = path_exists("/sys/fs/selinux/enforce");
    j["capabilities"] = userns::cap_mask_names(userns::default_cap_mask());
    return j;
}

json probe_xdg_runtime_dir(Warnings& warnings) {
    json j;
    const char* x = std::getenv("XDG_RUNTIME_DIR");
    bool set = x && *x;
    j["set"] = set;
    j["path"] = set ? x : "";
    paths::RuntimeDir rd = paths::default_runtime_dir();
    j["usable"] = rd.from_xdg;
    j["fallbackInUse"] = !rd.from_xdg;
    if (set && !rd.from_xdg) {
        struct stat st;
        std::string why;
        if (x[0] != '/')
            why = "it is not an absolute path";
        else if (::stat(x, &st) < 0)
            why = SysError("stat", x).what();
        else if (!S_ISDIR(st.st_mode))
            why = "it is not a folder";
        else if (st.st_uid != ::getuid())
            why = "it belongs to uid " + std::to_string(st.st_uid) + ", not to you";
        else
            why = "you cannot write to it";
        j["problem"] = why;
        warnings.push_back("XDG_RUNTIME_DIR=" + std::string(x) + " is not usable (" + why +
                           "): burrow keeps its runtime state in " + rd.path +
                           " instead; this happens after su or sudo -u: log in as the user "
                           "(ssh, machinectl shell " +
                           user_name() + "@) or unset XDG_RUNTIME_DIR");
    }
    if (!rd.from_xdg) {
        struct stat st;
        if (::lstat(rd.path.c_str(), &st) == 0 && (!S_ISDIR(st.st_mode) || st.st_uid != ::getuid()))
            warnings.push_back("the runtime folder " + rd.path +
                               (S_ISDIR(st.st_mode) ? " belongs to uid " + std::to_string(st.st_uid)
                                                    : std::string(" is not a folder")) +
                               ": burrow refuses to use it; remove it (ask an admin if it is not "
                               "yours) or set XDG_RUNTIME_DIR to a private folder");
    }
    return j;
}

FilesystemInfo filesystem_of(const std::string& path) {
    FilesystemInfo fi;
    std::string p = path.empty() ? "/" : path;
    for (;;) {
        struct statfs fs;
        if (::statfs(p.c_str(), &fs) == 0) {
            fi.checked = p;
            fi.type = sysinfo::filesystem_name(static_cast<uint64_t>(fs.f_type));
            fi.network = sysinfo::is_network_filesystem(static_cast<uint64_t>(fs.f_type));
            return fi;
        }
        if ((errno != ENOENT && errno != ENOTDIR) || p == "/")
            return fi;
        auto slash = p.rfind('/');
        p = slash == 0 || slash == std::string::npos ? "/" : p.substr(0, slash);
    }
}

json probe_store(const GlobalOptions& g, Warnings& warnings) {
    json j;
    auto describe = [&](const char* key, const std::string& path, const char* flag,
                        const std::string& suggestion) {
        std::string k(key);
        j[k] = path;
        j[k + "Exists"] = is_dir(path);
        FilesystemInfo fi = filesystem_of(path);
        j[k + "Filesystem"] = fi.type;
        struct statvfs vfs;
        if (!fi.checked.empty() && ::statvfs(fi.checked.c_str(), &vfs) == 0) {
            j[k + "Allocated"] = static_cast<uint64_t>(vfs.f_blocks) * vfs.f_frsize;
            j[k + "Used"] = static_cast<uint64_t>(vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize;
        }
        if (fi.network)
            warnings.push_back(
                k + " " + path + " is on " + fi.type +
                ": rootless containers do not work on network filesystems (no user extended "
                "attributes, ids squashed by the server, no overlay upper layer); use a local "
                "disk: burrow " +
                flag + " " + suggestion);
    };
    std::string uid = std::to_string(::getuid());
    try {
        describe("graphRoot", g.storage_root(), "--root", "/var/tmp/burrow-" + uid + "/storage …");
    } catch (const Error& e) {
        j["graphRoot"] = "";
        j["graphRootError"] = e.what();
        warnings.push_back(std::string("cannot find the storage root: ") + e.what());
    }
    describe("runRoot", g.runtime_root(), "--runroot", "/tmp/burrow-run-" + uid + " …");
    try {
        j["volumePath"] = paths::data_dir() + "/volumes";
        std::string config = paths::config_dir() + "/burrow.toml";
        j["configFile"] = config;
        j["configFileExists"] = path_exists(config);
    } catch (const Error& e) {
        j["configFileError"] = e.what();
    }
    return j;
}

} // namespace burrow::cli
