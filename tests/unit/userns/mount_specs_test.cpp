#include "core/error.hpp"
#include "userns/mount_specs.hpp"

#include <doctest/doctest.h>
#include <sys/mount.h>

using namespace burrow;
using namespace burrow::userns;

TEST_CASE("volumes: HOST:CTR[:OPTIONS]") {
    auto b = parse_volume("/srv/data:/data");
    CHECK(b.source == "/srv/data");
    CHECK(b.destination == "/data");
    CHECK_FALSE(b.read_only);
    CHECK(parse_volume("/a:/b/../c/:ro").read_only);
    CHECK(parse_volume("/a:/b/../c/:ro").destination == "/c");
    CHECK_FALSE(parse_volume("/a:/b:ro,rw").read_only);
    CHECK(parse_volume("/a:/b:Z,ro").read_only);
}

TEST_CASE("volumes: bad forms are refused with the spec in the message") {
    CHECK_THROWS_WITH_AS(parse_volume("/a"), doctest::Contains("\"/a\""), Error);
    CHECK_THROWS_WITH_AS(parse_volume("myvol:/data"), doctest::Contains("named volumes"), Error);
    CHECK_THROWS_WITH_AS(parse_volume("/a:data"), doctest::Contains("absolute"), Error);
    CHECK_THROWS_WITH_AS(parse_volume("/a:/b:rx"), doctest::Contains("unknown option \"rx\""),
                         Error);
    CHECK_THROWS_AS(parse_volume("/a:/"), Error);
    CHECK_THROWS_AS(parse_volume("/a:/b:ro:x"), Error);
    CHECK_THROWS_AS(parse_volume(":/b"), Error);
}

TEST_CASE("tmpfs: docker's defaults and options") {
    auto t = parse_tmpfs("/scratch");
    CHECK(t.destination == "/scratch");
    CHECK(t.flags == (MS_NOEXEC | MS_NOSUID | MS_NODEV));
    CHECK(t.options == "size=65536k");
    t = parse_tmpfs("/run:exec,size=1m,mode=700,ro");
    CHECK(t.flags == (MS_NOSUID | MS_NODEV | MS_RDONLY));
    CHECK(t.options == "size=1m,mode=700");
    CHECK_THROWS_WITH_AS(parse_tmpfs("/x:bogus"), doctest::Contains("unknown option \"bogus\""),
                         Error);
    CHECK_THROWS_AS(parse_tmpfs("relative"), Error);
}

TEST_CASE("container paths are cleaned lexically and must be absolute") {
    CHECK(clean_container_path("/a/./b//c/..", "x") == "/a/b");
    CHECK(clean_container_path("/../..", "x") == "/");
    CHECK_THROWS_AS(clean_container_path("a/b", "x"), Error);
    CHECK_THROWS_AS(clean_container_path("", "x"), Error);
}

TEST_CASE("mounts over the root, /proc and /dev are refused") {
    CHECK_THROWS_WITH_AS(parse_volume("/a:/proc/sys"), doctest::Contains("/proc/sys"), Error);
    CHECK_THROWS_AS(parse_volume("/a:/proc"), Error);
    CHECK_THROWS_AS(parse_volume("/a:/dev/shm"), Error);
    CHECK_THROWS_AS(parse_volume("/a:/x/../"), Error);
    CHECK_THROWS_AS(parse_tmpfs("/"), Error);
    CHECK_THROWS_AS(parse_tmpfs("/proc"), Error);
    CHECK(parse_volume("/a:/procfs").destination == "/procfs");
    CHECK(parse_tmpfs("/devices").destination == "/devices");
}
