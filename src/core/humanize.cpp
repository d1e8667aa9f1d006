#include "core/humanize.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace burrow {

std::string human_duration(std::chrono::nanoseconds d) {
    using namespace std::chrono;
    // Go converts with truncation for seconds and minutes but rounds hours
    const auto seconds = duration_cast<std::chrono::seconds>(d).count();
    if (seconds < 1)
        return "Less than a second";
    if (seconds == 1)
        return "1 second";
    if (seconds < 60)
        return std::to_string(seconds) + " seconds";
    const auto minutes = seconds / 60;
    if (minutes == 1)
        return "About a minute";
    if (minutes < 60)
        return std::to_string(minutes) + " minutes";
    const auto hours =
        static_cast<int64_t>(std::llround(duration<double, std::ratio<3600>>(d).count()));
    if (hours == 1)
        return "About an hour";
    if (hours < 48)
        return std::to_string(hours) + " hours";
    if (hours < 24 * 7 * 2)
        return std::to_string(hours / 24) + " days";
    if (hours < 24 * 30 * 2)
        return std::to_string(hours / 24 / 7) + " weeks";
    if (hours < 24 * 365 * 2)
        return std::to_string(hours / 24 / 30) + " months";
    return std::to_string(duration_cast<std::chrono::hours>(d).count() / 24 / 365) + " years";
}

std::string human_size(double bytes, int precision) {
    static constexpr std::array kUnits = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    size_t unit = 0;
    while (bytes >= 1000.0 && unit + 1 < kUnits.size()) {
        bytes /= 1000.0;
        ++unit;
    }
    // C's %g and Go's agree, exponent form included ("1e+03kB" for 999999 bytes, as docker)
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g%s", precision, bytes, kUnits[unit]);
    return buf;
}

namespace {

std::tm local_tm(std::chrono::system_clock::time_point t) {
    std::time_t secs =
        std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
    std::tm tm{};
    ::localtime_r(&secs, &tm);
    return tm;
}

} // namespace

std::string go_time_string(std::chrono::system_clock::time_point t) {
    std::tm tm = local_tm(t);
    char buf[96];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z %Z", &tm);
    return buf;
}

std::string rfc3339_local(std::chrono::system_clock::time_point t) {
    std::tm tm = local_tm(t);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out = buf;
    long off = tm.tm_gmtoff;
    if (off == 0)
        return out + "Z";
    char zone[32];
    char sign = off < 0 ? '-' : '+';
    off = std::labs(off);
    std::snprintf(zone, sizeof zone, "%c%02ld:%02ld", sign, off / 3600, off / 60 % 60);
    return out + zone;
}

std::string go_quote(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\a':
            out += "\\a";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\v':
            out += "\\v";
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

size_t display_width(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80)
            ++n;
    return n;
}

std::string ellipsis(std::string_view s, size_t max_width) {
    if (display_width(s) <= max_width)
        return std::string(s);
    if (max_width == 0)
        return {};
    size_t kept = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (kept == max_width - 1)
                break;
            ++kept;
        }
    }
    return std::string(s.substr(0, i)) + "…";
}

} // namespace burrow
