#pragma once

#include <string>
#include <string_view>

namespace burrow::log {

enum class Level { debug, info, warn, error };

// Parses "debug", "info", "warn"/"warning", "error"; throws Error on anything else.
Level parse_level(std::string_view name);
void set_level(Level level);
Level level();

void debug(std::string_view msg);
void info(std::string_view msg);
// Warnings go to stderr as `WARN[0000] msg` like podman's, so scripts can grep them.
void warn(std::string_view msg);
void error(std::string_view msg);

} // namespace burrow::log
