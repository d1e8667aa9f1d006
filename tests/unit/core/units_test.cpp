#include "core/error.hpp"
#include "core/units.hpp"

#include <doctest/doctest.h>

using namespace burrow;

TEST_CASE("byte sizes as docker reads them") {
    CHECK(parse_byte_size("1048576", "--memory") == 1048576);
    CHECK(parse_byte_size("512k", "--memory") == 512 * 1024);
    CHECK(parse_byte_size("64m", "--memory") == 64LL << 20);
    CHECK(parse_byte_size("64M", "--memory") == 64LL << 20);
    CHECK(parse_byte_size("1g", "--memory") == 1LL << 30);
    CHECK(parse_byte_size("2GB", "--memory") == 2LL << 30);
    CHECK(parse_byte_size("1.5g", "--memory") == 3LL << 29);
    CHECK(parse_byte_size("10b", "--memory") == 10);
    for (const char* bad : {"", "m", "12x", "-5m", "1..2g", "0x10"})
        CHECK_THROWS_WITH_AS(parse_byte_size(bad, "--memory"), doctest::Contains("--memory"),
                             Error);
}

TEST_CASE("numbers") {
    CHECK(parse_integer("42", "--pids-limit") == 42);
    CHECK(parse_integer("-1", "--pids-limit") == -1);
    CHECK_THROWS_AS(parse_integer("4x", "--pids-limit"), Error);
    CHECK_THROWS_AS(parse_integer("", "--pids-limit"), Error);
    CHECK(parse_decimal("1.5", "--cpus") == doctest::Approx(1.5));
    CHECK_THROWS_WITH_AS(parse_decimal("one", "--cpus"), "invalid --cpus \"one\": not a number",
                         Error);
}

TEST_CASE("random ids are hex of the asked length and differ") {
    auto a = random_hex(32), b = random_hex(32);
    CHECK(a.size() == 64);
    CHECK(a != b);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
}
