#include "userns/handshake.hpp"

#include <cerrno>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

using namespace burrow;
using namespace burrow::userns;
using Next = StartHandshake::Next;

namespace {
SyncMessage frame(uint32_t type, int32_t err = 0, int64_t value = 0, std::string text = {}) {
    return {type, err, value, std::move(text)};
}
} // namespace

TEST_CASE("handshake: the normal start") {
    StartHandshake hs;
    CHECK(hs.on_frame(frame(kUsernsReady)) == Next::write_maps);
    CHECK(hs.on_frame(frame(kInitPid, 0, 4242)) == Next::receive);
    CHECK(hs.on_frame(std::nullopt) == Next::started);
    CHECK(hs.init_pid() == 4242);
    CHECK_FALSE(hs.failure());
    CHECK_FALSE(hs.take_pty());
}

TEST_CASE("handshake: a pty master arrives with its fd") {
    StartHandshake hs;
    hs.on_frame(frame(kUsernsReady));
    hs.on_frame(frame(kInitPid, 0, 7));
    UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    CHECK(hs.on_frame(frame(kPtyMaster), std::move(fd)) == Next::receive);
    CHECK(hs.on_frame(std::nullopt) == Next::started);
    CHECK(hs.take_pty());
}

TEST_CASE("handshake: failures of the child carry its message and the exit code") {
    SUBCASE("setup error after the maps") {
        StartHandshake hs;
        hs.on_frame(frame(kUsernsReady));
        hs.on_frame(frame(kInitPid, 0, 7));
        CHECK(hs.on_frame(frame(kSetupError, EACCES, 0, "mount /proc: Permission denied")) ==
              Next::failed);
        REQUIRE(hs.failure());
        CHECK(std::string(hs.failure()->what()) == "mount /proc: Permission denied");
        CHECK(hs.failure()->exit_code() == 125);
    }
    SUBCASE("command not found is 127") {
        StartHandshake hs;
        hs.on_frame(frame(kUsernsReady));
        hs.on_frame(frame(kInitPid, 0, 7));
        CHECK(hs.on_frame(frame(kExecError, ENOENT, 0, "nosuch")) == Next::failed);
        CHECK(hs.failure()->exit_code() == 127);
        CHECK(std::string(hs.failure()->what()) ==
              "exec nosuch: executable file not found in $PATH");
    }
    SUBCASE("not executable is 126") {
        StartHandshake hs;
        hs.on_frame(frame(kUsernsReady));
        hs.on_frame(frame(kInitPid, 0, 7));
        hs.on_frame(frame(kExecError, EACCES, 0, "/etc/passwd"));
        CHECK(hs.failure()->exit_code() == 126);
    }
    SUBCASE("no user namespace: the message points at burrow info") {
        StartHandshake hs;
        CHECK(hs.on_frame(frame(kSetupError, EPERM, 0, "create user namespace: denied")) ==
              Next::failed);
        CHECK(std::string(hs.failure()->what()).find("burrow info") != std::string::npos);
    }
}

TEST_CASE("handshake: EOF or frames out of order are failures, never a start") {
    SUBCASE("EOF before anything") {
        StartHandshake hs;
        CHECK(hs.on_frame(std::nullopt) == Next::failed);
    }
    SUBCASE("EOF after the maps but before pid 1") {
        StartHandshake hs;
        hs.on_frame(frame(kUsernsReady));
        CHECK(hs.on_frame(std::nullopt) == Next::failed);
    }
    SUBCASE("pid before the user namespace") {
        StartHandshake hs;
        CHECK(hs.on_frame(frame(kInitPid, 0, 7)) == Next::failed);
    }
    SUBCASE("a second userns frame") {
        StartHandshake hs;
        hs.on_frame(frame(kUsernsReady));
        CHECK(hs.on_frame(frame(kUsernsReady)) == Next::failed);
    }
    SUBCASE("a pty frame without an fd") {
        StartHandshake hs;
        hs.on_frame(frame(kUsernsReady));
        hs.on_frame(frame(kInitPid, 0, 7));
        CHECK(hs.on_frame(frame(kPtyMaster)) == Next::failed);
    }
    SUBCASE("an unknown frame") {
        StartHandshake hs;
        CHECK(hs.on_frame(frame(99)) == Next::failed);
    }
    SUBCASE("a failure of burrow's own side") {
        StartHandshake hs;
        hs.on_frame(frame(kUsernsReady));
        CHECK(hs.fail(Error("newuidmap failed")) == Next::failed);
        CHECK(hs.on_frame(std::nullopt) == Next::failed);
    }
}
