#include "core/process.hpp"
#include "core/sync.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace burrow;

TEST_CASE("sync frames keep their fields and boundaries") {
    auto [a, b] = SyncChannel::make_pair();
    a.send({1, 0, 42, {}});
    a.send({5, 13, -1, "open /x: Permission denied"});
    auto m1 = b.receive();
    auto m2 = b.receive();
    REQUIRE(m1);
    REQUIRE(m2);
    CHECK(m1->type == 1);
    CHECK(m1->value == 42);
    CHECK(m1->text.empty());
    CHECK(m2->type == 5);
    CHECK(m2->err == 13);
    CHECK(m2->value == -1);
    CHECK(m2->text == "open /x: Permission denied");
}

TEST_CASE("a frame can carry a file descriptor") {
    auto [a, b] = SyncChannel::make_pair();
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    UniqueFd rd(p[0]), wr(p[1]);
    a.send({3, 0, 0, {}}, wr.get());
    wr.reset();
    UniqueFd got;
    auto m = b.receive(&got);
    REQUIRE(m);
    REQUIRE(got);
    CHECK((::fcntl(got.get(), F_GETFD) & FD_CLOEXEC) != 0);
    REQUIRE(::write(got.get(), "x", 1) == 1);
    char c = 0;
    REQUIRE(::read(rd.get(), &c, 1) == 1);
    CHECK(c == 'x');
}

TEST_CASE("end of file once the other side exec'd: the channel is close-on-exec") {
    auto [a, b] = SyncChannel::make_pair();
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        a.close();
        ::execl("/bin/true", "true", nullptr);
        b.try_send({9, errno, 0, "exec failed"});
        _exit(127);
    }
    Pid child(pid);
    b.close();
    CHECK_FALSE(a.receive().has_value());
    CHECK(exit_code_of(child.wait()) == 0);
}

TEST_CASE("exit codes: the status, or 128 + the signal") {
    auto run = [](const char* script) {
        return exit_code_of(run_program({"/bin/sh", "-c", script}).status);
    };
    CHECK(run("exit 0") == 0);
    CHECK(run("exit 3") == 3);
    CHECK(run("kill -9 $$") == 137);
    CHECK(run("kill -TERM $$") == 143);
}

TEST_CASE("run_program captures output and finds programs in PATH") {
    auto r = run_program({"sh", "-c", "echo out; echo err >&2"});
    CHECK(r.output == "out\nerr\n");
    CHECK(find_program("sh") != "");
    CHECK(find_program("no-such-program-burrow") == "");
    CHECK_THROWS(run_program({"no-such-program-burrow"}));
}
