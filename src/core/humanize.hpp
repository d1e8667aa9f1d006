#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// Numbers and times as docker's listings print them (docker/go-units, docker/cli's formatter),
// so that scripts and eyes used to docker read burrow's tables the same way.
namespace burrow {

// units.HumanDuration: "Less than a second", "1 second", "12 seconds", "About a minute",
// "5 minutes", "About an hour", "3 hours", "4 days", "2 weeks", "3 months", "2 years".
// A negative duration (a clock set back) reads as less than a second.
std::string human_duration(std::chrono::nanoseconds d);

// units.HumanSizeWithPrecision: decimal units, `precision` significant digits, no space:
// "4.26MB", "512B", "1.5kB". Listings use 3 digits, `system df` docker's default of 4.
std::string human_size(double bytes, int precision = 3);

// Go's time.Time.String() of a time rounded down to the second, in the local zone:
// "2024-05-01 14:00:00 +0200 CEST", as docker's CreatedAt fields read.
std::string go_time_string(std::chrono::system_clock::time_point t);

// RFC 3339 in the local zone to the second, as Go's time.RFC3339: "2024-05-01T14:00:00+02:00".
std::string rfc3339_local(std::chrono::system_clock::time_point t);

// Go's strconv.Quote: double quotes around s, with \" \\ and control characters escaped.
std::string go_quote(std::string_view s);

// docker/cli's Ellipsis: s cut to max_width characters (UTF-8 code points), the last of them
// replaced by "…" when s was longer.
std::string ellipsis(std::string_view s, size_t max_width);

// The number of UTF-8 code points in s: the width docker's tabwriter gives a cell.
size_t display_width(std::string_view s);

} // namespace burrow
