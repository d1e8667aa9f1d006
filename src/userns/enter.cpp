#include "userns/enter.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/process.hpp"
#include "core/sync.hpp"
#include "userns/handshake.hpp"

#include <csignal>
#include <cstdio>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

namespace burrow::userns {

namespace {

bool g_inside = false;
UserMappings g_maps;
volatile sig_atomic_t g_child = 0;

// Signals sent to burrow's pid (kill, systemd's stop) go on to the child that does the work.
// Those the terminal sends reach the child through the process group already: forwarding
// them too would deliver them twice.
void forward_signal(int sig, siginfo_t* info, void*) {
    if (info->si_code == SI_USER || info->si_code == SI_QUEUE)
        if (g_child > 0)
            ::kill(g_child, sig);
}

int wait_forwarding(pid_t child) {
    g_child = child;
    struct sigaction fwd {};
    fwd.sa_sigaction = forward_signal;
    fwd.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&fwd.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2})
        ::sigaction(sig, &fwd, nullptr);
    int status = wait_status(child);
    return exit_code_of(status);
}

} // namespace

bool is_inside_user_namespace() {
    return g_inside;
}

const UserMappings& entered_mappings() {
    return g_maps;
}

std::optional<int> enter_user_namespace(const UserMappings& maps) {
    if (g_inside)
        return std::nullopt;
    std::fflush(nullptr); // buffered output must not be written twice
    auto [parent_ch, child_ch] = SyncChannel::make_pair();
    pid_t child = ::fork();
    if (child < 0)
        throw SysError("fork");
    if (child == 0) {
        parent_ch.close();
        try {
            if (::unshare(CLONE_NEWUSER) < 0)
                throw SysError("create user namespace");
            child_ch.send({kUsernsReady, 0, 0, {}});
            auto m = child_ch.receive();
            if (!m || m->type != kMapsWritten)
                _exit(125); // the parent reports why
            if (::setresgid(0, 0, 0) < 0 || ::setresuid(0, 0, 0) < 0)
                throw SysError("become root in the user namespace");
            if (::unshare(CLONE_NEWNS) < 0)
                throw SysError("create mount namespace");
            // mounts made for this command stay in it: mount_namespaces(7)
            if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
                throw SysError("make mounts private");
        } catch (const Error& e) {
            child_ch.try_send({kSetupError, 0, 0, e.what()});
            _exit(125);
        }
        child_ch.close();
        g_inside = true;
        g_maps = maps;
        return std::nullopt;
    }
    Pid pid(child);
    child_ch.close();
    StartHandshake hs;
    if (hs.on_frame(parent_ch.receive()) != StartHandshake::Next::write_maps) {
        pid.wait();
        throw *hs.failure();
    }
    write_id_maps(child, maps);
    parent_ch.send({kMapsWritten, 0, 0, {}});
    if (auto m = parent_ch.receive()) {
        pid.wait();
        hs.on_frame(m);
        throw *hs.failure();
    }
    return wait_forwarding(pid.release());
}

} // namespace burrow::userns
