#include "core/sysinfo.hpp"

#include <doctest/doctest.h>

using namespace burrow::sysinfo;

TEST_CASE("parse_os_release: quotes, escapes, comments") {
    auto r = parse_os_release("# comment\n"
                              "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                              "ID=debian\n"
                              "VERSION_ID='12'\n"
                              "NAME=\"say \\\"hi\\\"\"\n"
                              "\n"
                              "BROKEN=\"unterminated\n"
                              "=novalue\n");
    CHECK(r["PRETTY_NAME"] == "Debian GNU/Linux 12 (bookworm)");
    CHECK(r["ID"] == "debian");
    CHECK(r["VERSION_ID"] == "12");
    CHECK(r["NAME"] == "say \"hi\"");
    CHECK(r.count("BROKEN") == 0);
    CHECK(r.size() == 4);
}

TEST_CASE("cgroup2_path: the unified line of /proc/self/cgroup") {
    CHECK(cgroup2_path("0::/user.slice/user-1000.slice/session-2.scope\n") ==
          "/user.slice/user-1000.slice/session-2.scope");
    CHECK(cgroup2_path("4:memory:/x\n1:cpu:/\n0::/\n") == "/");
    CHECK(!cgroup2_path("4:memory:/x\n1:cpu:/\n").has_value());
}

TEST_CASE("filesystem_name and is_network_filesystem") {
    CHECK(filesystem_name(0xEF53) == "ext4");
    CHECK(filesystem_name(0x6969) == "nfs");
    CHECK(filesystem_name(0x0BD00BD0) == "lustre");
    CHECK(filesystem_name(0x47504653) == "gpfs");
    CHECK(filesystem_name(0x1234abcd) == "0x1234abcd");
    CHECK(is_network_filesystem(0x6969));
    CHECK(is_network_filesystem(0x47504653));
    CHECK_FALSE(is_network_filesystem(0x01021994));
    CHECK_FALSE(is_network_filesystem(0x1234abcd));
}

TEST_CASE("go_arch") {
    CHECK(go_arch("x86_64") == "amd64");
    CHECK(go_arch("aarch64") == "arm64");
    CHECK(go_arch("i686") == "386");
    CHECK(go_arch("sparc64") == "sparc64");
}

TEST_CASE("suggest_subid_start: after every range of every user, at least 100000") {
    CHECK(suggest_subid_start("", "") == 100000);
    CHECK(suggest_subid_start("alice:100000:65536\n", "alice:100000:65536\n") == 165536);
    CHECK(suggest_subid_start("alice:100000:65536\nbob:165536:65536\n", "carol:300000:1000\n") ==
          301000);
    CHECK(suggest_subid_start("# c\nbad line\nx:5:10\n", "") == 100000);
}
