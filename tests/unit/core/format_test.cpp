#include "core/format.hpp"

#include <doctest/doctest.h>

using burrow::to_yaml;
using nlohmann::json;

TEST_CASE("to_yaml: nested maps, lists of scalars and of maps, as podman info prints them") {
    json v = json::parse(R"({
        "host": {
            "arch": "amd64",
            "cgroupControllers": ["cpu", "memory"],
            "idMappings": {"uidmap": [{"container_id": 0, "host_id": 1000, "size": 1},
                                      {"container_id": 1, "host_id": 100000, "size": 65536}]},
            "rootless": true
        },
        "store": {"graphRoot": "/home/a/.local/share/burrow/storage", "empty": [], "none": {}}
    })");
    CHECK(to_yaml(v) == R"(host:
  arch: amd64
  cgroupControllers:
  - cpu
  - memory
  idMappings:
    uidmap:
    - container_id: 0
      host_id: 1000
      size: 1
    - container_id: 1
      host_id: 100000
      size: 65536
  rootless: true
store:
  empty: []
  graphRoot: /home/a/.local/share/burrow/storage
  none: {}
)");
}

TEST_CASE("to_yaml: strings that YAML would read as something else are quoted") {
    CHECK(to_yaml(json{{"v", "12"}}) == "v: \"12\"\n");
    CHECK(to_yaml(json{{"v", "true"}}) == "v: \"true\"\n");
    CHECK(to_yaml(json{{"v", ""}}) == "v: \"\"\n");
    CHECK(to_yaml(json{{"v", "a: b"}}) == "v: \"a: b\"\n");
    CHECK(to_yaml(json{{"v", "- x"}}) == "v: \"- x\"\n");
    CHECK(to_yaml(json{{"v", "two\nlines"}}) == "v: \"two\\nlines\"\n");
    CHECK(to_yaml(json{{"v", "6.1.0-18-amd64"}}) == "v: 6.1.0-18-amd64\n");
    CHECK(to_yaml(json{{"v", "4.7.0"}}) == "v: 4.7.0\n");
    CHECK(to_yaml(json{{"v", "1.5"}}) == "v: \"1.5\"\n");
    CHECK(to_yaml(json{{"v", "1e3"}}) == "v: \"1e3\"\n");
    CHECK(to_yaml(json{{"v", "-.inf"}}) == "v: \"-.inf\"\n");
    CHECK(to_yaml(json{{"v", "Debian GNU/Linux 12 (bookworm)"}}) ==
          "v: Debian GNU/Linux 12 (bookworm)\n");
    CHECK(to_yaml(json{{"v", nullptr}}) == "v: null\n");
    CHECK(to_yaml(json{{"v", 1.5}}) == "v: 1.5\n");
}

TEST_CASE("to_yaml: a list of maps nested in a list item's map") {
    json v = json::array({json{{"a", 1}, {"b", json{{"c", 2}}}}});
    CHECK(to_yaml(v) == "- a: 1\n  b:\n    c: 2\n");
}

TEST_CASE("ansic_time: docker's build time format") {
    CHECK(burrow::ansic_time("2025-06-03T12:00:05Z") == "Tue Jun  3 12:00:05 2025");
    CHECK(burrow::ansic_time("2023-07-21T20:35:18Z") == "Fri Jul 21 20:35:18 2023");
    CHECK(burrow::ansic_time("unknown") == "unknown");
}
