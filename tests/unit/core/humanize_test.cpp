#include "core/humanize.hpp"

#include <cstdlib>
#include <ctime>
#include <doctest/doctest.h>

using namespace burrow;
using namespace std::chrono_literals;

TEST_CASE("durations as docker's units.HumanDuration words them") {
    CHECK(human_duration(0s) == "Less than a second");
    CHECK(human_duration(999ms) == "Less than a second");
    CHECK(human_duration(-5s) == "Less than a second");
    CHECK(human_duration(1s) == "1 second");
    CHECK(human_duration(29s) == "29 seconds");
    CHECK(human_duration(59s) == "59 seconds");
    CHECK(human_duration(60s) == "About a minute");
    CHECK(human_duration(119s) == "About a minute");
    CHECK(human_duration(2min) == "2 minutes");
    CHECK(human_duration(59min) == "59 minutes");
    CHECK(human_duration(60min) == "About an hour");
    // hours are rounded, minutes truncated
    CHECK(human_duration(89min) == "About an hour");
    CHECK(human_duration(90min) == "2 hours");
    CHECK(human_duration(47h) == "47 hours");
    CHECK(human_duration(48h) == "2 days");
    CHECK(human_duration(13 * 24h) == "13 days");
    CHECK(human_duration(14 * 24h) == "2 weeks");
    CHECK(human_duration(59 * 24h) == "8 weeks");
    CHECK(human_duration(60 * 24h) == "2 months");
    CHECK(human_duration(729 * 24h) == "24 months");
    CHECK(human_duration(730 * 24h) == "2 years");
}

TEST_CASE("sizes as docker's units.HumanSizeWithPrecision prints them") {
    CHECK(human_size(0) == "0B");
    CHECK(human_size(512) == "512B");
    CHECK(human_size(999) == "999B");
    CHECK(human_size(1000) == "1kB");
    CHECK(human_size(1500) == "1.5kB");
    CHECK(human_size(4261000) == "4.26MB");
    CHECK(human_size(4265000) == "4.26MB");
    CHECK(human_size(123456789) == "123MB");
    CHECK(human_size(2.5e9) == "2.5GB");
    // Go's %g switches to an exponent too, and docker prints it as it comes
    CHECK(human_size(999999) == "1e+03kB");
    CHECK(human_size(4261234, 4) == "4.261MB");
}

TEST_CASE("quoting as Go's strconv.Quote") {
    CHECK(go_quote("sh") == "\"sh\"");
    CHECK(go_quote("sh -c 'echo \"hi\"'") == "\"sh -c 'echo \\\"hi\\\"'\"");
    CHECK(go_quote("a\tb\nc\\") == "\"a\\tb\\nc\\\\\"");
    CHECK(go_quote(std::string("\x01", 1)) == "\"\\x01\"");
    CHECK(go_quote("caf\xc3\xa9…") == "\"caf\xc3\xa9…\"");
}

TEST_CASE("ellipsis counts characters, not bytes") {
    CHECK(ellipsis("short", 20) == "short");
    CHECK(ellipsis("exactly twenty chars", 20) == "exactly twenty chars");
    CHECK(ellipsis("sh -c 'echo hello world'", 20) == "sh -c 'echo hello w…");
    CHECK(ellipsis("ééééé", 3) == "éé…");
    CHECK(display_width("éé…") == 3);
    CHECK(ellipsis("abc", 0).empty());
}

TEST_CASE("times in Go's layouts") {
    const char* old = std::getenv("TZ");
    std::string saved = old ? old : "";
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    auto t = std::chrono::system_clock::from_time_t(1714564800) + 250ms; // 2024-05-01 12:00 UTC
    CHECK(go_time_string(t) == "2024-05-01 12:00:00 +0000 UTC");
    CHECK(rfc3339_local(t) == "2024-05-01T12:00:00Z");
    ::setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
    ::tzset();
    CHECK(go_time_string(t) == "2024-05-01 14:00:00 +0200 CEST");
    CHECK(rfc3339_local(t) == "2024-05-01T14:00:00+02:00");
    if (old)
        ::setenv("TZ", saved.c_str(), 1);
    else
        ::unsetenv("TZ");
    ::tzset();
}
