#include "core/log.hpp"

#include "core/error.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace burrow::log {

namespace {
Level g_level = Level::warn;

void emit(Level l, const char* tag, std::string_view msg) {
    if (l < g_level)
        return;
    std::string line = tag;
    line.append(msg);
    line += '\n';
    // one write(2) per line so that lines of concurrent burrow processes do not interleave
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
}
} // namespace

Level parse_level(std::string_view name) {
    if (name == "debug" || name == "trace")
        return Level::debug;
    if (name == "info")
        return Level::info;
    if (name == "warn" || name == "warning")
        return Level::warn;
    if (name == "error" || name == "fatal" || name == "panic")
        return Level::error;
    throw Error("invalid log level \"" + std::string(name) +
                "\": use one of debug, info, warn, error");
}

void set_level(Level level) {
    g_level = level;
}
Level level() {
    return g_level;
}

namespace {

// when burrow's static data was set up, just before main: debug lines give milliseconds since
// then, so a debug log shows where the time goes
const auto g_started = std::chrono::steady_clock::now();

} // namespace

void debug(std::string_view msg) {
    if (g_level > Level::debug)
        return;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - g_started)
                  .count();
    char stamp[48];
    std::snprintf(stamp, sizeof stamp, "DEBU[%lld.%03lldms] ", static_cast<long long>(us / 1000),
                  static_cast<long long>(us % 1000));
    emit(Level::debug, stamp, msg);
}
void info(std::string_view msg) {
    emit(Level::info, "INFO ", msg);
}
void warn(std::string_view msg) {
    emit(Level::warn, "WARN ", msg);
}
void error(std::string_view msg) {
    emit(Level::error, "ERRO ", msg);
}

} // namespace burrow::log
