#include "userns/handshake.hpp"

#include <cerrno>
#include <cstring>

namespace burrow::userns {

Error exec_error(const std::string& command, int err) {
    if (err == ENOENT)
        return Error("exec " + command + ": executable file not found in $PATH", 127);
    return Error("exec " + command + ": " + std::strerror(err), 126);
}

StartHandshake::Next StartHandshake::fail(Error e) {
    failure_ = std::move(e);
    state_ = State::done;
    return Next::failed;
}

StartHandshake::Next StartHandshake::on_frame(const std::optional<SyncMessage>& frame,
                                              UniqueFd fd) {
    if (state_ == State::done)
        return failure_ ? Next::failed : Next::started;
    if (!frame) {
        if (state_ == State::running)
            return state_ = State::done, Next::started;
        return fail(Error("the container's setup process exited before the container started"));
    }
    switch (frame->type) {
    case kSetupError:
        if (state_ == State::await_userns &&
            (frame->err == EPERM || frame->err == ENOSPC || frame->err == EUSERS))
            return fail(Error(frame->text + ": unprivileged user namespaces are disabled or "
                                            "exhausted here; run 'burrow info' for the fix"));
        return fail(Error(frame->text));
    case kExecError:
        return fail(exec_error(frame->text, frame->err));
    case kUsernsReady:
        if (state_ != State::await_userns)
            break;
        state_ = State::await_init;
        return Next::write_maps;
    case kInitPid:
        if (state_ != State::await_init || frame->value <= 0)
            break;
        init_pid_ = static_cast<pid_t>(frame->value);
        state_ = State::running;
        return Next::receive;
    case kPtyMaster:
        if (state_ != State::running || !fd)
            break;
        pty_ = std::move(fd);
        return Next::receive;
    default:
        break;
    }
    return fail(Error("container start: unexpected frame " + std::to_string(frame->type)));
}

} // namespace burrow::userns
