// burrow unshare: a shell as root in the user's mapped user namespace, to look at and clean
// files owned by subordinate ids.
#include "cli/global.hpp"
#include "cli/run_options.hpp"
#include "core/error.hpp"
#include "userns/enter.hpp"
#include "userns/handshake.hpp"

#include <cerrno>
#include <cstdlib>
#include <unistd.h>

namespace burrow::cli {

void setup_unshare_command(CLI::App& command, GlobalOptions& g) {
    CLI::App* cmd = &command;
    cmd->footer("Usage: burrow unshare [COMMAND [ARG...]]\n\nExamples:\n"
                "  burrow unshare                      # a shell; exit to leave\n"
                "  burrow unshare cat /proc/self/uid_map\n"
                "  burrow unshare rm -rf ~/.local/share/burrow/storage/tmp-leftover");
    cmd->prefix_command();
    cmd->callback([cmd, &g] {
        auto args = command_args(*cmd, g);
        if (args.empty()) {
            const char* shell = std::getenv("SHELL");
            args.push_back(shell && *shell ? shell : "/bin/sh");
        }
        ::setenv("CONTAINERS_GRAPHROOT", g.storage_root().c_str(), 1);
        ::setenv("CONTAINERS_RUNROOT", g.runtime_root().c_str(), 1);
        if (auto code = userns::enter_user_namespace(mappings_for_run()))
            throw ExitRequest{*code};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        throw userns::exec_error(args[0], errno);
    });
}

} // namespace burrow::cli
