#pragma once

#include "core/error.hpp"
#include "core/sync.hpp"
#include "core/unique_fd.hpp"

#include <cstdint>
#include <optional>
#include <sys/types.h>

namespace burrow::userns {

// The frames of the start protocol (see container.hpp for the sequence).
enum HandshakeMsg : uint32_t {
    kUsernsReady = 1, // child → burrow: the user namespace exists, write its maps
    kMapsWritten,     // burrow → child: go on
    kInitPid,         // child → burrow: value = pid 1 of the container, in burrow's namespace
    kPtyMaster,       // init → burrow: the pty master, passed as fd
    kSetupError,      // child or init → burrow: text, errno; the sender exits
    kExecError,       // init → burrow: execve failed; text = the command, errno why
};

// burrow's side of the start protocol as a state machine, fed every frame (nullopt = EOF): it
// says what burrow must do next and collects the pid, the pty and the failure.
class StartHandshake {
public:
    enum class Next {
        write_maps, // write the id maps of the child, then send kMapsWritten
        receive,    // wait for the next frame
        started,    // EOF after the init pid: the command was exec'd
        failed,     // failure() says why
    };

    Next on_frame(const std::optional<SyncMessage>& frame, UniqueFd fd = {});
    // For a failure of burrow's own side (writing the maps).
    Next fail(Error e);

    pid_t init_pid() const { return init_pid_; }

    UniqueFd take_pty() { return std::move(pty_); }
    const std::optional<Error>& failure() const { return failure_; }

private:
    enum class State { await_userns, await_init, running, done };
    State state_ = State::await_userns;
    pid_t init_pid_ = -1;

    UniqueFd pty_;
    std::optional<Error> failure_;
};

// The error for a failed execve, as docker words it: 127 when not found, 126 otherwise.
Error exec_error(const std::string& command, int err);

} // namespace burrow::userns
