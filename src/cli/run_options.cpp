#include "cli/run_options.hpp"

#include "core/envfile.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/log.hpp"
#include "core/units.hpp"
#include "storage/store.hpp"
#include "userns/caps.hpp"
#include "userns/mount_specs.hpp"
#include "userns/pty.hpp"
#include "userns/seccomp_cache.hpp"

#include <climits>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

namespace burrow::cli {

void add_run_flags(CLI::App& cmd, RunOptions& o) {
    cmd.add_option("--rootfs", o.rootfs, "Use DIR as the container's root filesystem")
        ->type_name("DIR");
    cmd.add_option("--name", o.name, "Assign a name to the container");
    cmd.add_option("-l,--label", o.labels, "Set a label on the container: KEY=VALUE")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    cmd.add_option("--entrypoint", o.entrypoint, "Overwrite the image's entrypoint (\"\" for none)")
        ->type_name("CMD");
    cmd.add_option("--pull", o.pull, "Pull the image: missing (default), always, newer, never")
        ->check(CLI::IsMember({"missing", "always", "newer", "never"}));
    cmd.add_option("--platform", o.platform, "Pull for this platform: os/arch[/variant]");
    cmd.add_option("--tls-verify", o.tls_verify, "Verify the registry's TLS when pulling")
        ->check(CLI::IsMember({"true", "false"}));
    cmd.add_option("--authfile", o.authfile, "Path of the authentication file for pulling");
    cmd.add_option("--creds", o.creds, "Credentials USER[:PASSWORD] for pulling");
    cmd.add_flag("-i,--interactive", o.interactive, "Keep STDIN open");
    cmd.add_flag("-t,--tty", o.tty, "Allocate a pseudo-TTY");
    cmd.add_flag("--rm", o.rm,
                 "Remove the container when it exits (a --rootfs container keeps no state)");
    cmd.add_option("--sig-proxy", o.sig_proxy, "Forward received signals to the container")
        ->default_str("true");
    cmd.add_option("-e,--env", o.env, "Set an environment variable (KEY=VALUE, or KEY to copy)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    cmd.add_option("--env-file", o.env_files, "Read environment variables from a file")
        ->type_name("FILE")
        ->allow_extra_args(false);
    cmd.add_option("-w,--workdir", o.workdir, "Working directory inside the container")
        ->type_name("DIR");
    cmd.add_option("-u,--user", o.user, "User to run as: name|uid[:group|gid]")
        ->type_name("USER[:GROUP]");
    cmd.add_option("--group-add", o.group_add, "Add a supplementary group")
        ->type_name("GROUP")
        ->allow_extra_args(false);
    cmd.add_option("-h,--hostname", o.hostname, "Container host name (default: the short id)");
    cmd.add_option("--network,--net", o.network, "Network mode: none or host (default none)")
        ->type_name("MODE");
    cmd.add_option("--pid", o.pid_mode, "PID namespace: host to share the host's")
        ->type_name("MODE");
    cmd.add_option("--ipc", o.ipc_mode, "IPC namespace: host to share the host's")
        ->type_name("MODE");
    cmd.add_option("--uts", o.uts_mode, "UTS namespace: host to share the host's")
        ->type_name("MODE");
    cmd.add_option("--cap-add", o.cap_add, "Add a capability (or ALL)")
        ->type_name("CAP")
        ->allow_extra_args(false);
    cmd.add_option("--cap-drop", o.cap_drop, "Drop a capability (or ALL)")
        ->type_name("CAP")
        ->allow_extra_args(false);
    cmd.add_flag("--privileged", o.privileged,
                 "All capabilities of the user namespace, no seccomp, no masked paths");
    cmd.add_option("--security-opt", o.security_opts,
                   "seccomp=unconfined|PROFILE.json, no-new-privileges, label=disable")
        ->type_name("OPT")
        ->allow_extra_args(false);
    cmd.add_option("--ulimit", o.ulimits, "Resource limit: NAME=SOFT[:HARD], e.g. nofile=1024:2048")
        ->type_name("ULIMIT")
        ->allow_extra_args(false);
    cmd.add_flag("--read-only", o.read_only, "Mount the container's root read-only");
    cmd.add_option("--tmpfs", o.tmpfs, "Mount a tmpfs: PATH[:OPTIONS]")
        ->type_name("PATH")
        ->allow_extra_args(false);
    cmd.add_option("-v,--volume", o.volumes, "Bind mount: HOST-DIR:CONTAINER-DIR[:ro]")
        ->type_name("VOLUME")
        ->allow_extra_args(false);
    cmd.add_option("-c,--cpu-shares", o.cpu_shares, "CPU shares (relative weight)")->type_name("N");
    cmd.add_option("--cpus", o.cpus, "Number of CPUs")->type_name("N");
    cmd.add_option("-m,--memory", o.memory, "Memory limit, e.g. 512m")->type_name("SIZE");
    cmd.add_option("--pids-limit", o.pids_limit, "Limit on the number of processes")
        ->type_name("N");
}

namespace {

bool namespace_mode_is_host(const std::string& mode, const char* flag) {
    if (mode.empty() || mode == "private")
        return false;
    if (mode == "host")
        return true;
    throw Error(std::string("invalid ") + flag + " \"" + mode + "\": use host or private");
}

std::string absolute_dir(const std::string& path) {
    char buf[PATH_MAX];
    if (!::realpath(path.c_str(), buf))
        throw SysError("rootfs", path);
    struct stat st;
    if (::stat(buf, &st) < 0)
        throw SysError("rootfs", path);
    if (!S_ISDIR(st.st_mode))
        throw Error("rootfs " + path + ": not a directory");
    return buf;
}

void apply_security_opts(const RunOptions& o, userns::ContainerSpec& spec,
                         const std::string& runtime_dir, bool check_only) {
    bool unconfined = o.privileged;
    std::string profile_path;
    for (const auto& opt : o.security_opts) {
        if (opt == "no-new-privileges" || opt == "no-new-privileges=true" ||
            opt == "no-new-privileges:true")
            spec.no_new_privs = true;
        else if (opt == "no-new-privileges=false" || opt == "no-new-privileges:false")
            spec.no_new_privs = false;
        else if (opt == "seccomp=unconfined" || opt == "seccomp:unconfined")
            unconfined = true;
        else if (opt.rfind("seccomp=", 0) == 0 || opt.rfind("seccomp:", 0) == 0)
            profile_path = opt.substr(8);
        else if (opt.rfind("label=", 0) == 0 || opt.rfind("label:", 0) == 0 ||
                 opt.rfind("apparmor=", 0) == 0 || opt.rfind("apparmor:", 0) == 0)
            log::debug("security option " + opt +
                       " has no effect: burrow does not confine with "
                       "SELinux or AppArmor");
        else
            throw Error("invalid --security-opt \"" + opt +
                        "\": use seccomp=unconfined|PROFILE, no-new-privileges, label=…");
    }
    // the default profile is known to compile: a check of the flags need not load it
    if (unconfined || (check_only && profile_path.empty()))
        return;
    uint64_t effective = spec.cap_mask;
    std::string json = profile_path.empty() ? std::string(userns::default_seccomp_profile_json())
                                            : with_context("seccomp profile",
                                                           [&] { return read_file(profile_path); });
    spec.seccomp = userns::cached_seccomp_program(
        json, effective, profile_path.empty() ? "the default seccomp profile" : profile_path,
        runtime_dir + "/seccomp");
}

} // namespace

std::vector<std::string> compose_command(const RunOptions& o, const std::vector<std::string>& args,
                                         const ImageDefaults& image) {
    std::vector<std::string> cmd;
    if (o.entrypoint) {
        if (!o.entrypoint->empty())
            cmd.push_back(*o.entrypoint);
    } else {
        cmd = image.entrypoint;
    }
    if (!args.empty())
        cmd.insert(cmd.end(), args.begin(), args.end());
    else if (!o.entrypoint)
        cmd.insert(cmd.end(), image.cmd.begin(), image.cmd.end());
    if (cmd.empty())
        throw Error("no command or entrypoint specified for the container: give one after the "
                    "image name");
    return cmd;
}

nlohmann::json to_json(const RunOptions& o) {
    nlohmann::json j = {{"rootfs", o.rootfs},
                        {"name", o.name},
                        {"interactive", o.interactive},
                        {"tty", o.tty},
                        {"rm", o.rm},
                        {"sig_proxy", o.sig_proxy},
                        {"env", o.env},
                        {"env_files", o.env_files},
                        {"workdir", o.workdir},
                        {"user", o.user},
                        {"group_add", o.group_add},
                        {"hostname", o.hostname},
                        {"network", o.network},
                        {"pid", o.pid_mode},
                        {"ipc", o.ipc_mode},
                        {"uts", o.uts_mode},
                        {"cap_add", o.cap_add},
                        {"cap_drop", o.cap_drop},
                        {"privileged", o.privileged},
                        {"security_opt", o.security_opts},
                        {"ulimit", o.ulimits},
                        {"read_only", o.read_only},
                        {"tmpfs", o.tmpfs},
                        {"volume", o.volumes},
                        {"cpu_shares", o.cpu_shares},
                        {"cpus", o.cpus},
                        {"memory", o.memory},
                        {"pids_limit", o.pids_limit}};
    if (o.entrypoint)
        j["entrypoint"] = *o.entrypoint;
    if (!o.labels.empty())
        j["label"] = o.labels;
    return j;
}

RunOptions run_options_from_json(const nlohmann::json& j) {
    RunOptions o;
    auto str = [&](const char* k) { return j.value(k, std::string()); };
    auto list = [&](const char* k) { return j.value(k, std::vector<std::string>{}); };
    o.rootfs = str("rootfs");
    o.name = str("name");
    o.labels = list("label");
    if (j.contains("entrypoint"))
        o.entrypoint = j["entrypoint"].get<std::string>();
    o.interactive = j.value("interactive", false);
    o.tty = j.value("tty", false);
    o.rm = j.value("rm", false);
    o.sig_proxy = j.value("sig_proxy", true);
    o.env = list("env");
    o.env_files = list("env_files");
    o.workdir = str("workdir");
    o.user = str("user");
    o.group_add = list("group_add");
    o.hostname = str("hostname");
    o.network = str("network");
    o.pid_mode = str("pid");
    o.ipc_mode = str("ipc");
    o.uts_mode = str("uts");
    o.cap_add = list("cap_add");
    o.cap_drop = list("cap_drop");
    o.privileged = j.value("privileged", false);
    o.security_opts = list("security_opt");
    o.ulimits = list("ulimit");
    o.read_only = j.value("read_only", false);
    o.tmpfs = list("tmpfs");
    o.volumes = list("volume");
    o.cpu_shares = str("cpu_shares");
    o.cpus = str("cpus");
    o.memory = str("memory");
    o.pids_limit = str("pids_limit");
    return o;
}

userns::ContainerSpec build_spec(const RunOptions& o, const std::vector<std::string>& args,
                                 const std::string& runtime_dir, const ImageDefaults* image,
                                 bool check_only) {
    userns::ContainerSpec spec;
    if (image) {
        spec.args = compose_command(o, args, *image);
        if (!image->workdir.empty())
            spec.cwd = userns::clean_container_path(image->workdir, "the image's WorkingDir");
        spec.user = image->user;
        spec.env = image->env;
    } else {
        if (o.rootfs.empty())
            throw Error("no image and no root filesystem: burrow run [OPTIONS] IMAGE [COMMAND]");
        spec.rootfs = absolute_dir(o.rootfs);
        if (args.empty())
            throw Error("no command given: burrow run --rootfs DIR COMMAND [ARG...]");
        spec.args = args;
    }
    spec.id = random_hex(32);
    spec.hostname = o.hostname.empty() ? spec.id.substr(0, 12) : o.hostname;

    spec.env = merge_env(spec.env, {"container=burrow"});
    for (const auto& f : o.env_files)
        spec.env = merge_env(spec.env, read_env_file(f));
    for (const auto& e : o.env)
        if (auto v = parse_env_arg(e))
            spec.env = merge_env(spec.env, {*v});
    if (!o.workdir.empty())
        spec.cwd = userns::clean_container_path(o.workdir, "--workdir");
    if (!o.user.empty())
        spec.user = o.user;
    spec.group_add = o.group_add;

    if (o.network.empty() || o.network == "none")
        spec.new_net = true;
    else if (o.network == "host")
        spec.new_net = false;
    else if (o.network == "bridge" || o.network.rfind("slirp", 0) == 0 || o.network == "pasta" ||
             o.network == "private")
        throw Error("network mode " + o.network +
                    " is not available yet: use --network none or --network host");
    else
        throw Error("invalid --network \"" + o.network + "\": use none or host");
    spec.new_pid = !namespace_mode_is_host(o.pid_mode, "--pid");
    spec.new_ipc = !namespace_mode_is_host(o.ipc_mode, "--ipc");
    spec.new_uts = !namespace_mode_is_host(o.uts_mode, "--uts");
    if (!spec.new_uts && !o.hostname.empty())
        throw Error("--hostname cannot be set with --uts host");

    spec.privileged = o.privileged;
    spec.cap_mask = userns::resolve_cap_mask(o.cap_add, o.cap_drop, o.privileged);
    // --privileged widens the bounding set only: a non-root user still starts with no
    // capabilities unless named in --cap-add, as in podman
    spec.cap_explicit = userns::explicit_cap_mask(o.cap_add);
    apply_security_opts(o, spec, runtime_dir, check_only);
    if (!o.privileged) {
        spec.masked_paths = userns::default_masked_paths();
        spec.readonly_paths = userns::default_readonly_paths();
    }

    for (const auto& u : o.ulimits)
        spec.ulimits.push_back(userns::parse_ulimit(u));
    spec.read_only = o.read_only;
    for (const auto& v : o.volumes) {
        auto b = userns::parse_volume(v);
        struct stat st;
        if (::stat(b.source.c_str(), &st) < 0)
            throw SysError("volume source", b.source);
        spec.binds.push_back(b);
    }
    for (const auto& t : o.tmpfs)
        spec.tmpfs.push_back(userns::parse_tmpfs(t));

    if (!o.cpu_shares.empty()) {
        int64_t v = parse_integer(o.cpu_shares, "--cpu-shares");
        if (v < 0)
            throw Error("invalid --cpu-shares \"" + o.cpu_shares + "\": must not be negative");
        spec.resources.cpu_shares = static_cast<uint64_t>(v);
    }
    if (!o.cpus.empty()) {
        double v = parse_decimal(o.cpus, "--cpus");
        if (v <= 0)
            throw Error("invalid --cpus \"" + o.cpus + "\": must be more than 0");
        spec.resources.cpus = v;
    }
    if (!o.memory.empty())
        spec.resources.memory = parse_byte_size(o.memory, "--memory");
    if (!o.pids_limit.empty())
        spec.resources.pids = parse_integer(o.pids_limit, "--pids-limit");

    spec.terminal = o.tty;
    spec.stdin_open = o.interactive;
    if (o.tty) {
        if (auto ws = userns::terminal_size())
            spec.winsize = *ws;
    }
    return spec;
}

void check_image_run_flags(const RunOptions& o, const std::vector<std::string>& args,
                           const std::string& runtime_dir) {
    if (!o.name.empty())
        storage::check_container_name(o.name);
    ImageDefaults stand_in;
    stand_in.cmd = {"sh"};
    (void)build_spec(o, args, runtime_dir, &stand_in, true);
}

userns::UserMappings mappings_for_run() {
    userns::UserMappings maps = userns::user_mappings();
    if (maps.single_id) {
        std::string user = std::getenv("USER") ? std::getenv("USER") : "$USER";
        log::warn(maps.reason +
                  ": only your own id is mapped (as root in the container); images "
                  "with other file owners and --user with another id will not work; ask an admin "
                  "for a range: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " +
                  user);
    }
    return maps;
}

} // namespace burrow::cli
