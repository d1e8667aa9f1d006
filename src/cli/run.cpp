// burrow run: a container from an image (or a root filesystem folder), in the foreground.
#include "cli/container_ops.hpp"
#include "cli/global.hpp"
#include "cli/run_options.hpp"
#include "cli/store_access.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "userns/container.hpp"
#include "userns/foreground.hpp"

#include <csignal>

namespace burrow::cli {

namespace {

// --rootfs: a folder the user prepared, no image and no record, as `unshare` but contained.
int run_rootfs(const RunOptions& o, const std::vector<std::string>& args, const GlobalOptions& g) {
    log::debug("run: flags parsed");
    userns::ContainerSpec spec = build_spec(o, args, g.runtime_root());
    log::debug("run: spec ready");
    userns::UserMappings maps = mappings_for_run();
    if (maps.single_id && !spec.group_add.empty())
        log::warn("--group-add is ignored: supplementary groups cannot be set without a "
                  "subordinate gid range");
    // blocked before the fork: a signal sent while the container starts is forwarded, not lost
    sigset_t set = userns::foreground_signals(), old;
    ::sigprocmask(SIG_BLOCK, &set, &old);
    userns::StartedContainer c = userns::start_container(spec, maps);
    int code = userns::watch_foreground(c, spec.stdin_open, o.sig_proxy);
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    return code;
}

} // namespace

void setup_run_command(CLI::App& cmd, GlobalOptions& g) {
    auto opts = std::make_shared<RunOptions>();
    CLI::App* run = &cmd;
    run->footer("Usage: burrow run [OPTIONS] IMAGE [COMMAND [ARG...]]\n"
                "       burrow run [OPTIONS] --rootfs DIR COMMAND [ARG...]\n\nExamples:\n"
                "  burrow run --rm busybox echo hi\n"
                "  burrow run -it --name box busybox sh\n"
                "  burrow run --rm -v $PWD:/src:ro -w /src busybox ls\n"
                "  burrow run --rootfs ~/rootfs --user 1000:1000 --cap-drop ALL id");
    // as in docker, flags end at the first argument that is not one: the command's own follow
    run->prefix_command();
    // -h is docker's --hostname here; help stays on --help
    run->set_help_flag("--help", "Print this help message and exit");
    add_run_flags(*run, *opts);
    run->callback([run, opts, &g] {
        auto args = command_args(*run, g);
        if (!opts->rootfs.empty()) {
            if (!opts->name.empty() || opts->entrypoint)
                throw Error("--name and --entrypoint need an image, not --rootfs");
            throw ExitRequest{run_rootfs(*opts, args, g)};
        }
        if (args.empty())
            throw Error("no image given: burrow run [OPTIONS] IMAGE [COMMAND [ARG...]]");
        std::string image = args.front();
        args.erase(args.begin());
        // every flag is checked before the user namespace and the store are touched
        check_image_run_flags(*opts, args, g.runtime_root());
        StoreAccess sa = enter_store(g);
        storage::ContainerRecord c = create_container(sa, *opts, args, image);
        throw ExitRequest{run_in_foreground(sa, c, g.runtime_root(), true)};
    });
}

} // namespace burrow::cli
