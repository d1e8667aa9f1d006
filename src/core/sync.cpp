#include "core/sync.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/uio.h>

namespace burrow {

namespace {
struct Header {
    uint32_t type;
    int32_t err;
    int64_t value;
};
constexpr size_t kMaxText = 4096;
} // namespace

std::pair<SyncChannel, SyncChannel> SyncChannel::make_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
        throw SysError("socketpair");
    return {SyncChannel(UniqueFd(fds[0])), SyncChannel(UniqueFd(fds[1]))};
}

bool SyncChannel::try_send(const SyncMessage& msg, int pass_fd) const noexcept {
    Header h{msg.type, msg.err, msg.value};
    size_t text_len = msg.text.size() < kMaxText ? msg.text.size() : kMaxText;
    iovec iov[2] = {{&h, sizeof h}, {const_cast<char*>(msg.text.data()), text_len}};
    msghdr mh{};
    mh.msg_iov = iov;
    mh.msg_iovlen = 2;
    alignas(cmsghdr) char cbuf[CMSG_SPACE(sizeof(int))];
    if (pass_fd >= 0) {
        std::memset(cbuf, 0, sizeof cbuf);
        mh.msg_control = cbuf;
        mh.msg_controllen = sizeof cbuf;
        cmsghdr* c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
    }
    for (;;) {
        if (::sendmsg(fd_.get(), &mh, MSG_NOSIGNAL) >= 0)
            return true;
        if (errno != EINTR)
            return false;
    }
}

void SyncChannel::send(const SyncMessage& msg, int pass_fd) const {
    if (!try_send(msg, pass_fd))
        throw SysError("send on sync socket");
}

std::optional<SyncMessage> SyncChannel::receive(UniqueFd* fd_out) const {
    Header h{};
    std::string text(kMaxText, '\0');
    iovec iov[2] = {{&h, sizeof h}, {text.data(), text.size()}};
    msghdr mh{};
    mh.msg_iov = iov;
    mh.msg_iovlen = 2;
    alignas(cmsghdr) char cbuf[CMSG_SPACE(sizeof(int))];
    mh.msg_control = cbuf;
    mh.msg_controllen = sizeof cbuf;
    ssize_t n;
    do {
        n = ::recvmsg(fd_.get(), &mh, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == ECONNRESET)
            return std::nullopt;
        throw SysError("receive on sync socket");
    }
    for (cmsghdr* c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
            if (fd_out)
                fd_out->reset(fd);
            else
                ::close(fd);
        }
    }
    if (n == 0)
        return std::nullopt;
    if (static_cast<size_t>(n) < sizeof h)
        throw Error("short frame on sync socket");
    text.resize(static_cast<size_t>(n) - sizeof h);
    return SyncMessage{h.type, h.err, h.value, std::move(text)};
}

} // namespace burrow
