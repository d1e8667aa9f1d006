#include "core/table.hpp"

#include <doctest/doctest.h>

using namespace burrow;

TEST_CASE("tables laid out as docker's tabwriter") {
    // columns are the widest cell plus 3, at least 10; the last cell is not padded
    std::string out = format_table({
        {"CONTAINER ID", "IMAGE", "NAMES"},
        {"0123456789ab", "docker.io/library/busybox:latest", "web"},
    });
    CHECK(out == "CONTAINER ID   IMAGE                              NAMES\n"
                 "0123456789ab   docker.io/library/busybox:latest   web\n");

    CHECK(format_table({{"A", "B"}, {"", "x"}}) == "A         B\n"
                                                   "          x\n");
    // "…" is one column wide, though three bytes long
    CHECK(format_table({{"COMMAND", "X"}, {"\"sh -c 'echo hello w…\"", "y"}}) ==
          "COMMAND                  X\n"
          "\"sh -c 'echo hello w…\"   y\n");
    CHECK(format_table({}).empty());
}

TEST_CASE("tab-separated text laid out as a table") {
    CHECK(format_tabbed("ID\tNAMES\nabc\tweb\n") == "ID        NAMES\n"
                                                    "abc       web\n");
    CHECK(format_tabbed("one line") == "one line\n");
}
