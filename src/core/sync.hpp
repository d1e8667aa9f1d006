#pragma once

#include "core/unique_fd.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace burrow {

// One frame of the parent/child handshake. The child's errors travel to the parent in the same
// frames, errno included, so the parent reports them as its own (crun's convention).
struct SyncMessage {
    uint32_t type = 0;
    int32_t err = 0;   // errno of a failed call, 0 otherwise
    int64_t value = 0; // a pid, a status, a count
    std::string text;  // an error message, a name
};

// A SOCK_SEQPACKET socketpair: frames keep their boundaries and may carry one fd (SCM_RIGHTS).
// Both ends are close-on-exec, so EOF after an exec means the exec succeeded.
class SyncChannel {
public:
    static std::pair<SyncChannel, SyncChannel> make_pair();
    SyncChannel() = default;
    explicit SyncChannel(UniqueFd fd) : fd_(std::move(fd)) {}

    void send(const SyncMessage& msg, int pass_fd = -1) const;
    // Sends without throwing: for the child's last words before _exit. Returns false on failure.
    bool try_send(const SyncMessage& msg, int pass_fd = -1) const noexcept;
    // The next frame, or nullopt when the other end closed. A passed fd lands in *fd_out.
    std::optional<SyncMessage> receive(UniqueFd* fd_out = nullptr) const;

    int fd() const { return fd_.get(); }
    void close() { fd_.reset(); }

private:
    UniqueFd fd_;
};

} // namespace burrow
