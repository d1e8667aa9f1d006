// burrow run: a container from a root filesystem folder, in the foreground.
#include "cli/global.hpp"
#include "cli/run_options.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "userns/container.hpp"
#include "userns/foreground.hpp"

#include <csignal>

namespace burrow::cli {

void setup_run_command(CLI::App& cmd, GlobalOptions& g) {
    auto opts = std::make_shared<RunOptions>();
    CLI::App* run = &cmd;
    run->footer("Usage: burrow run [OPTIONS] --rootfs DIR COMMAND [ARG...]\n\nExamples:\n"
                "  burrow run --rootfs ~/rootfs /bin/echo hi\n"
                "  burrow run -it --rootfs ~/rootfs --hostname box /bin/sh\n"
                "  burrow run --rootfs ~/rootfs -v $PWD:/src:ro -w /src --network none make\n"
                "  burrow run --rootfs ~/rootfs --user 1000:1000 --cap-drop ALL id");
    // as in docker, flags end at the first argument that is not one: the command's own follow
    run->prefix_command();
    // -h is docker's --hostname here; help stays on --help
    run->set_help_flag("--help", "Print this help message and exit");
    add_run_flags(*run, *opts);
    run->callback([run, opts, &g] {
        auto args = command_args(*run, g);
        userns::ContainerSpec spec = build_spec(*opts, args, g.runtime_root());
        userns::UserMappings maps = mappings_for_run();
        if (maps.single_id && !spec.group_add.empty())
            log::warn("--group-add is ignored: supplementary groups cannot be set without a "
                      "subordinate gid range");

        // blocked before the fork: a signal sent while the container starts is forwarded, not lost
        sigset_t set = userns::foreground_signals(), old;
        ::sigprocmask(SIG_BLOCK, &set, &old);
        userns::StartedContainer c = userns::start_container(spec, maps);
        int code = userns::watch_foreground(c, spec.stdin_open, opts->sig_proxy);
        ::sigprocmask(SIG_SETMASK, &old, nullptr);
        throw ExitRequest{code};
    });
}

} // namespace burrow::cli
