#include "cli/container_ops.hpp"

#include "cli/pull.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/log.hpp"
#include "core/process.hpp"
#include "core/units.hpp"
#include "storage/image_format.hpp"
#include "storage/layers.hpp"
#include "userns/container.hpp"
#include "userns/enter.hpp"
#include "userns/foreground.hpp"
#include "userns/pty.hpp"
#include "userns/rootfs_mount.hpp"

#include <cctype>
#include <cerrno>
#include <csignal>
#include <map>
#include <sys/mount.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace burrow::cli {

using storage::ContainerRecord;
using storage::Driver;

namespace {

ImageDefaults defaults_of(const storage::ImageConfig& cfg) {
    ImageDefaults d;
    d.env = cfg.config().env;
    d.entrypoint = cfg.config().entrypoint;
    d.cmd = cfg.config().cmd;
    d.workdir = cfg.config().working_dir;
    d.user = cfg.config().user;
    return d;
}

storage::ImageConfig image_config(const storage::Store& store, const std::string& image_id) {
    return storage::ImageConfig::parse(store.read_blob("sha256:" + image_id));
}

} // namespace

uint64_t process_start_time(int64_t pid) {
    if (pid <= 0)
        return 0;
    auto stat = try_read_file("/proc/" + std::to_string(pid) + "/stat");
    if (!stat)
        return 0;
    // the command name may hold spaces and parentheses: fields start after the last ')'
    auto close = stat->rfind(')');
    if (close == std::string::npos || close + 2 >= stat->size() || (*stat)[close + 2] == 'Z')
        return 0; // a zombie has ended already
    size_t pos = close + 2;
    for (int field = 3; field < 22; ++field) {
        pos = stat->find(' ', pos);
        if (pos == std::string::npos)
            return 0;
        ++pos;
    }
    return std::strtoull(stat->c_str() + pos, nullptr, 10);
}

bool is_running(const ContainerRecord& c) {
    return c.status == "running" && c.pid > 0 && process_start_time(c.pid) == c.pid_start;
}

std::string current_status(const ContainerRecord& c) {
    if (c.status == "running" && !is_running(c))
        return "exited"; // its burrow was killed: the container died with it
    return c.status;
}

void refresh_state(ContainerRecord& c) {
    if (c.status != "running" || is_running(c))
        return;
    // the parent-death signal of a killed burrow is SIGKILL: what the container died of
    c.status = "exited";
    c.exit_code = 128 + SIGKILL;
    c.pid = 0;
}

ContainerRecord create_container(StoreAccess& sa, const RunOptions& o,
                                 const std::vector<std::string>& args,
                                 const std::string& image_name) {
    storage::Store& store = sa.store;
    std::optional<storage::ImageRecord> found =
        o.pull == "always" || o.pull == "newer" ? std::nullopt : try_find_image(store, image_name);
    if (!found && o.pull == "never")
        throw Error(image_name + ": image not known");
    if (!found) {
        PullFlags flags;
        flags.platform = o.platform;
        flags.tls_verify = o.tls_verify;
        flags.authfile = o.authfile;
        flags.creds = o.creds;
        // docker prints the pull on stderr when run pulls, leaving stdout to the container
        found = pull_into_store(sa, image_name, flags, false, true);
    }
    storage::ImageRecord img = *found;
    storage::ImageConfig cfg = image_config(store, img.id);
    ImageDefaults defaults = defaults_of(cfg);
    // bad flags and a missing command fail before anything is made
    compose_command(o, args, defaults);

    ContainerRecord c;
    c.id = random_hex(32);
    c.image_id = img.id;
    c.image_name = img.names.empty() ? img.id.substr(0, 12) : img.names.front();
    c.created = storage::now_rfc3339();
    c.driver = storage::to_string(sa.driver);
    // the image's labels, and --label over them, as docker merges them
    std::map<std::string, std::string> labels = cfg.config().labels;
    for (const auto& l : o.labels) {
        auto eq = l.find('=');
        if (eq == 0)
            throw Error("invalid --label \"" + l + "\": use KEY=VALUE");
        labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
    }
    c.config = {{"options", to_json(o)}, {"args", args}, {"labels", labels}};

    storage::WorkDir work(store.tmp_root(), "container");
    if (sa.driver == Driver::vfs) {
        std::string rootfs = work.path() + "/rootfs";
        if (img.layers.empty()) {
            make_dirs(rootfs, 0755);
        } else {
            std::string top = store.layer_dir(img.layers.back()) + "/diff";
            auto r = run_program({"cp", "-a", "--reflink=auto", top, rootfs});
            if (exit_code_of(r.status) != 0)
                throw Error("copy the image's files for the container: " + r.output);
        }
    } else {
        for (const char* sub : {"/upper", "/work", "/merged"})
            make_dirs(work.path() + sub, 0755);
    }

    auto lock = store.lock();
    if (!store.image(img.id))
        throw Error(image_name + ": image not known (it was removed meanwhile)");
    if (!o.name.empty()) {
        if (!store.claim_name(o.name, c.id))
            throw Error("the container name \"" + o.name + "\" is already in use by " +
                        store.id_of_name(o.name).value_or("another container") +
                        ": remove that container or choose another name");
        c.name = o.name;
    } else {
        for (int i = 0; i < 100 && c.name.empty(); ++i) {
            std::string name = generate_container_name();
            if (store.claim_name(name, c.id))
                c.name = name;
        }
        if (c.name.empty())
            throw Error("could not find a free container name: give one with --name");
    }
    try {
        atomic_write_file(work.path() + "/container.json", nlohmann::json(c).dump(), 0600);
        work.move_to("", store.container_dir(c.id));
    } catch (...) {
        store.release_name(c.name, c.id);
        throw;
    }
    return c;
}

userns::ContainerSpec container_spec(const StoreAccess& sa, const ContainerRecord& c,
                                     const std::string& runtime_dir) {
    const storage::Store& store = sa.store;
    RunOptions o = run_options_from_json(c.config.value("options", nlohmann::json::object()));
    auto args = c.config.value("args", std::vector<std::string>{});
    if (c.image_id.empty())
        throw Error("container " + c.name + " has no image");
    auto img = store.image(c.image_id);
    if (!img)
        throw Error("the image of container " + c.name + " (" + c.image_id.substr(0, 12) +
                    ") is gone");
    ImageDefaults defaults = defaults_of(image_config(store, c.image_id));
    userns::ContainerSpec spec = build_spec(o, args, runtime_dir, &defaults);
    spec.id = c.id;
    if (o.hostname.empty() && spec.new_uts)
        spec.hostname = c.id.substr(0, 12);

    spec.rootfs_mount = container_root(sa, c, *img);
    spec.rootfs = spec.rootfs_mount.target;
    if (c.driver == "vfs")
        spec.rootfs_mount.kind = userns::RootfsMount::Kind::none;
    return spec;
}

userns::RootfsMount container_root(const StoreAccess& sa, const ContainerRecord& c,
                                   const storage::ImageRecord& img) {
    const storage::Store& store = sa.store;
    std::string dir = store.container_dir(c.id);
    userns::RootfsMount m;
    if (c.driver == "vfs") {
        m.target = dir + "/rootfs";
        return m;
    }
    m.kind = c.driver == "fuse-overlayfs" ? userns::RootfsMount::Kind::fuse_overlayfs
                                          : userns::RootfsMount::Kind::overlay;
    m.base_dir = store.root();
    for (auto it = img.layers.rbegin(); it != img.layers.rend(); ++it)
        m.lower_dirs.push_back("layers/" + *it + "/diff");
    if (m.lower_dirs.empty()) {
        make_dirs(dir + "/empty", 0755);
        m.lower_dirs.push_back("containers/" + c.id + "/empty");
    }
    m.upper_dir = "containers/" + c.id + "/upper";
    m.work_dir = "containers/" + c.id + "/work";
    m.target = dir + "/merged";
    return m;
}

MountedRoot mount_container_root(const StoreAccess& sa, const ContainerRecord& c) {
    auto img = sa.store.image(c.image_id);
    if (!img)
        throw Error("the image of container " + c.name + " is gone");
    userns::RootfsMount m = container_root(sa, c, *img);
    MountedRoot out;
    out.path = m.target;
    if (c.driver != "vfs")
        out.server = Pid(userns::mount_image_rootfs(m));
    return out;
}

void remove_container(StoreAccess& sa, const ContainerRecord& c, bool force) {
    if (is_running(c)) {
        if (!force)
            throw Error("container " + c.name + " is running: use rm -f to kill and remove it");
        ::kill(static_cast<pid_t>(c.pid), SIGKILL);
        for (int i = 0; i < 200 && process_start_time(c.pid) == c.pid_start; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    storage::Store& store = sa.store;
    // a root this command mounted (export, cp) must not stop the removal
    ::umount2((store.container_dir(c.id) + "/merged").c_str(), MNT_DETACH);
    auto lock = store.lock();
    store.remove_tree(store.container_dir(c.id));
    store.release_name(c.name, c.id);
}

int run_in_foreground(StoreAccess& sa, ContainerRecord& c, const std::string& runtime_dir,
                      bool attach_stdin) {
    RunOptions o = run_options_from_json(c.config.value("options", nlohmann::json::object()));
    userns::ContainerSpec spec = container_spec(sa, c, runtime_dir);
    spec.stdin_open = attach_stdin && o.interactive;
    if (spec.terminal) {
        if (auto ws = userns::terminal_size())
            spec.winsize = *ws;
    }
    if (spec.resources.any())
        log::debug("resource limits are applied where cgroups allow");

    sigset_t set = userns::foreground_signals(), old;
    ::sigprocmask(SIG_BLOCK, &set, &old);
    int code = 0;
    try {
        // a FUSE server runs in burrow's mount namespace (see rootfs_mount.hpp) and ends with
        // the container
        Pid fuse_server;
        if (spec.rootfs_mount.kind == userns::RootfsMount::Kind::fuse_overlayfs) {
            fuse_server = Pid(userns::mount_image_rootfs(spec.rootfs_mount));
            spec.rootfs_mount.kind = userns::RootfsMount::Kind::none;
        }
        userns::StartedContainer started =
            userns::start_container(spec, userns::entered_mappings());
        {
            auto lock = sa.store.lock();
            c.status = "running";
            c.pid = started.init.get();
            c.pid_start = process_start_time(c.pid);
            c.started_at = storage::now_rfc3339();
            c.finished_at.clear();
            sa.store.save_container(c);
        }
        code = userns::watch_foreground(started, spec.stdin_open, o.sig_proxy);
        if (fuse_server)
            ::umount2(spec.rootfs.c_str(), MNT_DETACH);
    } catch (const Error& e) {
        ::sigprocmask(SIG_SETMASK, &old, nullptr);
        auto lock = sa.store.lock();
        c.status = c.started_at.empty() ? "created" : "exited";
        c.exit_code = e.exit_code();
        c.pid = 0;
        sa.store.save_container(c);
        if (o.rm) {
            sa.store.remove_tree(sa.store.container_dir(c.id));
            sa.store.release_name(c.name, c.id);
        }
        throw;
    }
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    if (o.rm) {
        remove_container(sa, c, true);
        return code;
    }
    auto lock = sa.store.lock();
    c.status = "exited";
    c.exit_code = code;
    c.pid = 0;
    c.pid_start = 0;
    c.finished_at = storage::now_rfc3339();
    sa.store.save_container(c);
    return code;
}

} // namespace burrow::cli
