#include "core/error.hpp"
#include "core/file.hpp"
#include "support.hpp"
#include "userns/idmap.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <unistd.h>

using namespace burrow;
using namespace burrow::userns;
using namespace burrow::test;

TEST_CASE("subid files: ranges by name and by uid, in file order") {
    const char* text = "# comment\n"
                       "alice:100000:65536\n"
                       "bob:165536:65536\n"
                       "1000:300000:10\n"
                       "alice:400000:5\n"
                       "alice:500000:7\r\n"
                       "alice :600000:7\n";
    auto r = parse_subid_file(text, "alice", 1000);
    REQUIRE(r.size() == 4);
    CHECK(r[0].start == 100000);
    CHECK(r[0].count == 65536);
    CHECK(r[1].start == 300000);
    CHECK(r[2].start == 400000);
    CHECK(r[3].start == 500000);
    CHECK(r[3].count == 7);
}

TEST_CASE("subid files: malformed lines and empty ranges are skipped") {
    const char* text = "alice\n"
                       "alice:abc:10\n"
                       "alice:10\n"
                       "alice:100:0\n"
                       "alice:-5:10\n"
                       "alice:100:10:extra\n"
                       "alicex:1:1\n"
                       "alice:200:20";
    auto r = parse_subid_file(text, "alice", 42);
    REQUIRE(r.size() == 1);
    CHECK(r[0].start == 200);
    CHECK(parse_subid_file("", "alice", 42).empty());
    CHECK(parse_subid_file("bob:1:2\n", "alice", 42).empty());
}

TEST_CASE("id maps: the user is 0, the ranges follow one after another") {
    auto m = build_id_map(1000, {{100000, 65536}, {300000, 10}});
    REQUIRE(m.size() == 3);
    CHECK(m[0] == IdMapEntry{0, 1000, 1});
    CHECK(m[1] == IdMapEntry{1, 100000, 65536});
    CHECK(m[2] == IdMapEntry{65537, 300000, 10});
    CHECK(format_id_map(m) == "0 1000 1\n1 100000 65536\n65537 300000 10\n");
    CHECK(build_id_map(7, {}) == std::vector<IdMapEntry>{{0, 7, 1}});
}

TEST_CASE("user mappings: read from the files, single-id when a file has no range") {
    TempDir d;
    std::string uid = std::to_string(::getuid()), gid = std::to_string(::getgid());
    atomic_write_file(d / "subuid", uid + ":100000:65536\n");
    atomic_write_file(d / "subgid", gid + ":200000:1000\n");
    auto m = user_mappings(d / "subuid", d / "subgid");
    CHECK_FALSE(m.single_id);
    REQUIRE(m.uid_map.size() == 2);
    CHECK(m.uid_map[1] == IdMapEntry{1, 100000, 65536});
    CHECK(m.gid_map[1] == IdMapEntry{1, 200000, 1000});

    atomic_write_file(d / "subgid", "nobody-else:1:2\n");
    m = user_mappings(d / "subuid", d / "subgid");
    CHECK(m.single_id);
    CHECK(m.uid_map.size() == 1);
    CHECK(m.gid_map.size() == 1);
    CHECK(m.reason.find("gid") != std::string::npos);

    m = user_mappings(d / "missing-subuid", d / "subgid");
    CHECK(m.single_id);
    CHECK(m.reason.find("missing-subuid") != std::string::npos);
}

TEST_CASE("single-id maps are written to a /proc stand-in, setgroups denied first") {
    TempDir d;
    std::filesystem::create_directories(d / "4242");
    for (const char* f : {"setgroups", "uid_map", "gid_map"})
        atomic_write_file(d / ("4242/" + std::string(f)), "");
    UserMappings m;
    m.single_id = true;
    m.uid_map = build_id_map(1001, {});
    m.gid_map = build_id_map(1002, {});
    write_id_maps(4242, m, d.path);
    CHECK(read_file(d / "4242/setgroups") == "deny");
    CHECK(read_file(d / "4242/uid_map") == "0 1001 1\n");
    CHECK(read_file(d / "4242/gid_map") == "0 1002 1\n");
}

TEST_CASE("writing maps of a process that does not exist fails with the path") {
    TempDir d;
    UserMappings m;
    m.single_id = true;
    m.uid_map = build_id_map(1, {});
    m.gid_map = build_id_map(1, {});
    CHECK_THROWS_WITH_AS(write_id_maps(999, m, d.path), doctest::Contains("999/setgroups"),
                         burrow::Error);
}

TEST_CASE("subid files: a range listed again, by name or by uid, is used once") {
    auto r = parse_subid_file("alice:100000:65536\n1000:100000:65536\nalice:100010:5\n"
                              "alice:300000:10\n",
                              "alice", 1000);
    REQUIRE(r.size() == 2);
    CHECK(r[0].start == 100000);
    CHECK(r[1].start == 300000);
}
