#include "core/error.hpp"
#include "core/filters.hpp"

#include <doctest/doctest.h>

using namespace burrow;

TEST_CASE("--filter flags grouped by key") {
    auto f = parse_filters({"status=exited", "name=web", "status=created", "label=a=b"},
                           {"status", "name", "label"});
    CHECK(f.size() == 3);
    CHECK(f["status"] == std::vector<std::string>{"exited", "created"});
    CHECK(f["name"] == std::vector<std::string>{"web"});
    // only the first '=' separates the key
    CHECK(f["label"] == std::vector<std::string>{"a=b"});
    CHECK(f.count("id") == 0);
    CHECK(parse_filters({"name="}, {"name"})["name"] == std::vector<std::string>{""});

    CHECK_THROWS_WITH_AS(parse_filters({"colour=red"}, {"status", "name"}),
                         "invalid filter \"colour=red\": use KEY=VALUE with KEY one of "
                         "status, name",
                         Error);
    CHECK_THROWS_AS(parse_filters({"status"}, {"status"}), Error);
}

TEST_CASE("label filters") {
    std::map<std::string, std::string> labels = {{"app", "web"}, {"tier", ""}};
    CHECK(label_matches(labels, "app"));
    CHECK(label_matches(labels, "app=web"));
    CHECK_FALSE(label_matches(labels, "app=db"));
    CHECK(label_matches(labels, "tier"));
    CHECK(label_matches(labels, "tier="));
    CHECK_FALSE(label_matches(labels, "owner"));
    CHECK_FALSE(label_matches(labels, "app=web=x"));
}

TEST_CASE("reference globs as Go's path.Match") {
    CHECK(glob_matches("busy*", "busybox"));
    CHECK(glob_matches("busybox:*", "busybox:latest"));
    CHECK(glob_matches("*/busybox", "library/busybox"));
    CHECK_FALSE(glob_matches("*", "library/busybox"));
    CHECK_FALSE(glob_matches("busy*", "docker.io/library/busybox"));
    CHECK(glob_matches("b?sybox", "busybox"));
    CHECK(glob_matches("[a-c]usybox", "busybox"));
}

TEST_CASE("boolean filters") {
    CHECK(parse_filter_bool("dangling", "true"));
    CHECK_FALSE(parse_filter_bool("dangling", "false"));
    CHECK_THROWS_WITH_AS(parse_filter_bool("dangling", "maybe"),
                         "invalid filter \"dangling=maybe\": use true or false", Error);
}
