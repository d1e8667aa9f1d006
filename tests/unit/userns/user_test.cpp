#include "core/error.hpp"
#include "support.hpp"
#include "userns/user.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sched.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace burrow;
using namespace burrow::test;
using namespace burrow::userns;
using Gids = std::vector<gid_t>;

namespace {

// Runs body chrooted into root (chroot is allowed in a fresh user namespace).
int in_root(const std::string& root, const std::function<int()>& body) {
    return in_child([&] {
        if (::unshare(CLONE_NEWUSER) != 0 || ::chroot(root.c_str()) != 0 || ::chdir("/") != 0)
            return 101;
        return body();
    });
}

constexpr std::string_view kPasswd = "root:x:0:0:root:/root:/bin/sh\n"
                                     "# a comment\n"
                                     "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                                     "a malformed line\n"
                                     "broken:x:notanumber:1::/home/broken:/bin/sh\n"
                                     "short:x:1003\n"
                                     ":x:1004:1004::/home/noname:/bin/sh\n"
                                     "\n"
                                     "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
                                     "   bob:x:1001:1001::/home/bob:/bin/sh   \r\n"
                                     "nohome:x:1002:1002::\n"
                                     "huge:x:99999999999:1::/:/bin/sh\n"
                                     "alice:x:2000:2000::/home/alice2:/bin/sh";

constexpr std::string_view kGroup = "root:x:0:\n"
                                    "wheel:x:10:alice,bob\n"
                                    "# staff:x:49:alice\n"
                                    "staff:x:50: alice , carol\n"
                                    "broken:x:abc:alice\n"
                                    "malformed\n"
                                    "audio:x:29:bob\n"
                                    "users:x:100:alice\n"
                                    "again:x:100:alice\n"
                                    "alicefans:x:300:alicex,xalice\n"
                                    "wheel:x:11:\n";

ExecUser user(uid_t uid, gid_t gid, Gids gids, std::string home, std::string name) {
    return ExecUser{uid, gid, std::move(gids), std::move(home), std::move(name)};
}

ExecUser resolve(std::string_view spec, const std::vector<std::string>& group_add = {}) {
    return resolve_user(spec, kPasswd, kGroup, group_add);
}

} // namespace

TEST_CASE("resolve_user: the default is root") {
    CHECK(resolve("") == user(0, 0, {}, "/root", "root"));
    CHECK(resolve_user("", std::nullopt, std::nullopt) == user(0, 0, {}, "/", ""));
    CHECK(resolve_user("", "alice:x:1000:1000::/home/alice:/bin/sh\n", kGroup) ==
          user(0, 0, {}, "/", ""));
    CHECK(resolve("root") == user(0, 0, {}, "/root", "root"));
    CHECK(resolve("0") == user(0, 0, {}, "/root", "root"));
}

TEST_CASE("resolve_user: by name or uid, with the groups that list the user") {
    ExecUser alice = user(1000, 1000, {10, 50, 100}, "/home/alice", "alice");
    CHECK(resolve("alice") == alice);
    CHECK(resolve("1000") == alice);
    CHECK(resolve("alice:") == alice);
    CHECK(resolve("bob") == user(1001, 1001, {10, 29}, "/home/bob", "bob"));
    CHECK(resolve("nohome") == user(1002, 1002, {}, "/", "nohome"));
    CHECK(resolve("daemon") == user(1, 1, {}, "/usr/sbin", "daemon"));
    // a later line with the same uid is found by its uid; the first line wins for the name
    CHECK(resolve("2000") == user(2000, 2000, {10, 50, 100}, "/home/alice2", "alice"));
    // no group file: no supplementary groups
    CHECK(resolve_user("alice", kPasswd, std::nullopt) ==
          user(1000, 1000, {}, "/home/alice", "alice"));
}

TEST_CASE("resolve_user: a uid that passwd does not list") {
    CHECK(resolve("4242") == user(4242, 0, {}, "/", ""));
    CHECK(resolve_user("4242", std::nullopt, std::nullopt) == user(4242, 0, {}, "/", ""));
    CHECK(resolve("4242:4343") == user(4242, 4343, {}, "/", ""));
    CHECK(resolve("4242:wheel") == user(4242, 10, {}, "/", ""));
    CHECK(resolve("2147483647") == user(2147483647, 0, {}, "/", ""));
}

TEST_CASE("resolve_user: an explicit group replaces primary and supplementary groups") {
    CHECK(resolve("alice:staff") == user(1000, 50, {}, "/home/alice", "alice"));
    CHECK(resolve("alice:50") == user(1000, 50, {}, "/home/alice", "alice"));
    CHECK(resolve("alice:5000") == user(1000, 5000, {}, "/home/alice", "alice"));
    CHECK(resolve("1000:wheel") == user(1000, 10, {}, "/home/alice", "alice"));
    CHECK(resolve(":wheel") == user(0, 10, {}, "/root", "root"));
    CHECK(resolve_user("alice:77", kPasswd, std::nullopt) ==
          user(1000, 77, {}, "/home/alice", "alice"));
}

TEST_CASE("resolve_user: --group-add names and numbers, without repeats") {
    CHECK(resolve("alice", {"audio", "4000", "wheel", "29"}) ==
          user(1000, 1000, {10, 50, 100, 29, 4000}, "/home/alice", "alice"));
    CHECK(resolve("4242", {"users"}) == user(4242, 0, {100}, "/", ""));
    CHECK(resolve("alice:staff", {"audio"}) == user(1000, 50, {29}, "/home/alice", "alice"));
    CHECK(resolve_user("4242", std::nullopt, std::nullopt, {"12", "12"}) ==
          user(4242, 0, {12}, "/", ""));
}

TEST_CASE("resolve_user: errors") {
    CHECK(error_of([] { resolve("mallory"); }) ==
          "unable to find user mallory: no matching entries in passwd file");
    CHECK(error_of([] { resolve("broken"); }) ==
          "unable to find user broken: no matching entries in passwd file");
    CHECK(error_of([] { resolve("huge"); }) ==
          "unable to find user huge: no matching entries in passwd file");
    CHECK(error_of([] { resolve_user("alice", std::nullopt, kGroup); }) ==
          "unable to find user alice: no matching entries in passwd file");
    CHECK(error_of([] { resolve("alice:nogroup"); }) ==
          "unable to find group nogroup: no matching entries in group file");
    CHECK(error_of([] { resolve_user("alice:wheel", kPasswd, std::nullopt); }) ==
          "unable to find group wheel: no matching entries in group file");
    CHECK(error_of([] { resolve("alice", {"nogroup"}); }) ==
          "unable to find group nogroup: no matching entries in group file");
    CHECK(error_of([] { resolve("alice", {""}); }) ==
          "invalid --group-add \"\": expected a group name or gid");
    CHECK(error_of([] { resolve("alice:wheel:x"); }) ==
          "invalid user \"alice:wheel:x\": expected user[:group]");
    CHECK(error_of([] { resolve("2147483648"); }) ==
          "uid 2147483648 is out of range (0-2147483647)");
    CHECK(error_of([] { resolve("99999999999999999999999"); }) ==
          "uid 99999999999999999999999 is out of range (0-2147483647)");
    CHECK(error_of([] { resolve("1:4294967295"); }) ==
          "gid 4294967295 is out of range (0-2147483647)");
    CHECK(error_of([] { resolve("alice", {"4294967296"}); }) ==
          "gid 4294967296 is out of range (0-2147483647)");
    CHECK(error_of([] { resolve("-1"); }) ==
          "unable to find user -1: no matching entries in passwd file");
}

namespace {} // namespace

TEST_CASE("resolve_user_in_root reads the root's /etc/passwd and /etc/group") {
    TempDir root;
    REQUIRE(::mkdir((root.path + "/etc").c_str(), 0755) == 0);
    root.write("etc/passwd", kPasswd);
    root.write("etc/group", kGroup);
    int rc = in_root(root.path, [] {
        if (resolve_user_in_root("alice", {"audio"}) !=
            user(1000, 1000, {10, 50, 100, 29}, "/home/alice", "alice"))
            return 1;
        if (resolve_user_in_root("", {}) != user(0, 0, {}, "/root", "root"))
            return 2;
        try {
            resolve_user_in_root("mallory", {});
            return 3;
        } catch (const Error& e) {
            if (std::string(e.what()) !=
                "unable to find user mallory: no matching entries in passwd file")
                return 4;
        }
        return 0;
    });
    CHECK(rc == 0);
}

TEST_CASE("resolve_user_in_root: no /etc files is fine for numeric specs") {
    TempDir root;
    int rc = in_root(root.path, [] {
        if (resolve_user_in_root("", {}) != user(0, 0, {}, "/", ""))
            return 1;
        if (resolve_user_in_root("1234:5678", {"90"}) != user(1234, 5678, {90}, "/", ""))
            return 2;
        try {
            resolve_user_in_root("alice", {});
            return 3;
        } catch (const Error& e) {
            if (std::string(e.what()) !=
                "unable to find user alice: no matching entries in passwd file")
                return 4;
        }
        return 0;
    });
    CHECK(rc == 0);
}

TEST_CASE("resolve_user_in_root refuses files that are not regular") {
    TempDir root;
    REQUIRE(::mkdir((root.path + "/etc").c_str(), 0755) == 0);
    // a FIFO with no writer: a plain open would block forever
    REQUIRE(::mkfifo((root.path + "/etc/passwd").c_str(), 0644) == 0);
    REQUIRE(::mkdir((root.path + "/etc/group").c_str(), 0755) == 0);
    int rc = in_root(root.path, [] {
        try {
            resolve_user_in_root("0", {});
            return 1;
        } catch (const Error& e) {
            if (std::string(e.what()) != "reading /etc/passwd of the container: not a regular file")
                return 2;
        }
        return 0;
    });
    CHECK(rc == 0);

    ::unlink((root.path + "/etc/passwd").c_str());
    root.write("etc/passwd", kPasswd);
    rc = in_root(root.path, [] {
        try {
            resolve_user_in_root("alice", {});
            return 1;
        } catch (const Error& e) {
            if (std::string(e.what()) != "reading /etc/group of the container: not a regular file")
                return 2;
        }
        return 0;
    });
    CHECK(rc == 0);
}
